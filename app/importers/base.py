"""What every importer shares: a project being built from rows of another tool's file,
actors matched by name, ids made unique, and a report of what was read, skipped and
approximated, each skipped row with its place (FILE:ROW: reason)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.chart.theme import LANE_COLORS
from app.fileformat.build import ID_PATTERN
from app.fileformat.spec import KIND_NAMES
from app.records.datewords import edtf
from app.records.ids import ascii_letters
from app.records.model import Actor, Event, Project, Source
from app.records.when import When, WhenError, parse


class ImportFailed(Exception):
    """A file that cannot be imported at all (not of the format, unreadable), with why."""


@dataclass
class Report:
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "FILE:ROW: reason"
    approximated: list[str] = field(default_factory=list)
    # The same approximation on many rows, counted: {what: [rows, first places]}.
    approximated_rows: dict[str, list] = field(default_factory=dict)
    # Replies that may settle a demand, for the person to confirm: ("FILE:record N", what).
    outcomes: list[tuple[str, str]] = field(default_factory=list)

    def lines(self, fmt: str) -> list[str]:
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items() if n) or "nothing"
        out = [f"format: {fmt}", f"rows read: {self.rows}", f"created: {made}"]
        if self.skipped:
            out.append(f"skipped {_rows(len(self.skipped))}:")
            out += [f"  {s}" for s in self.skipped]
        if self.approximated or self.approximated_rows:
            out.append("approximated:")
            out += [f"  {a}" for a in self.approximated]
            for what, (count, places) in self.approximated_rows.items():
                more = ", …" if count > len(places) else ""
                out.append(f"  {what}: {_rows(count)} ({', '.join(places)}{more})")
        return out


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


_SLUG = re.compile(r"[a-z][a-z0-9-]{0,47}")


def slug(text: str, fallback: str) -> str:
    lower = ascii_letters(text)  # Rózsa Péter → rozsa-peter, not r-zsa-p-ter
    if _SLUG.fullmatch(lower) and not lower.endswith("-") and "--" not in lower:
        return lower  # already one (most ids another tool writes): no rewriting
    out = re.sub(r"[^a-z0-9]+", "-", lower).strip("-")[:48].strip("-")
    if not out or not out[0].isalpha():
        out = f"{fallback}-{out}" if out else fallback
    return out


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """How actor names are matched: case and spacing do not count."""
    return " ".join(name.split()).casefold()


class ProjectBuilder:
    """A project filled record by record, into an existing one or a new one."""

    def __init__(
        self,
        name: str,
        into: Project | None = None,
        lanes: dict[str, str] | None = None,
        renamed: dict[tuple[str, str], str] | None = None,
    ):
        self.name = name
        self.project = into if into is not None else Project(title="")
        self.report = Report()
        self.ids = self.project.all_ids()
        self.known_ids = {kind: {r.id for r in getattr(self.project, kind)} for kind in KIND_NAMES}
        # Ids a file gave that were taken, {(kind, id as written): id given}: shared by the
        # files of one import, so that references between them follow.
        self.renamed = renamed if renamed is not None else {}
        self.actors = {key(a.name): a.id for a in self.project.actors}
        # Names the person matched to existing lanes: {imported name: actor id}.
        self.actors.update({key(name): actor_id for name, actor_id in (lanes or {}).items()})
        self.sources = {key(s.title): s.id for s in self.project.sources}
        self.made = {k: 0 for k in ("actors", "events", "demands", "phases", "sources")}

    def known(self, kind: str) -> set[str]:
        """The ids of the project's records of one kind."""
        return self.known_ids[kind]

    def keep_id(self, wanted: str, fallback: str) -> str:
        """`wanted` itself when it is a free, valid id; else one made from it."""
        if wanted and ID_PATTERN.fullmatch(wanted) and wanted not in self.ids:
            self.ids.add(wanted)
            return wanted
        return self.new_id(wanted, fallback)

    def new_id(self, wanted: str, fallback: str) -> str:
        base = slug(wanted, fallback)
        candidate, n = base, 2
        while candidate in self.ids or candidate.lower() in ("yes", "no", "true", "false", "null"):
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def actor(
        self, name: str, parent: str = "", kind: str = "", color: str = "", wanted_id: str = ""
    ) -> str:
        """The id of the actor called `name` (inside `parent`), created when new (with
        `wanted_id` when that is free)."""
        name = " ".join(name.split())
        k = key(name) if not parent else f"{parent}/{key(name)}"
        found = self.actors.get(k) or (self.actors.get(key(name)) if not parent else None)
        if found:
            return found
        actor_id = self.keep_id(wanted_id, "actor") if wanted_id else self.new_id(name, "actor")
        color = color or LANE_COLORS[len(self.project.actors) % len(LANE_COLORS)]
        self.add("actors", Actor(id=actor_id, name=name, color=color, kind=kind, parent=parent))
        self.actors[k] = actor_id
        return actor_id

    def source(self, title: str, url: str = "", publisher: str = "") -> str:
        k = key(url or title)
        if k in self.sources:
            return self.sources[k]
        source_id = self.new_id(publisher or title, "source")
        self.add("sources", Source(id=source_id, title=title, publisher=publisher, url=url))
        self.sources[k] = source_id
        return source_id

    def event(self, event: Event) -> None:
        self.add("events", event)

    def add(self, kind: str, record) -> None:
        getattr(self.project, kind).append(record)
        self.known_ids[kind].add(record.id)
        self.made[kind] += 1

    def skip(self, row: int | str, reason: str) -> None:
        self.report.skipped.append(f"{self.name}:{row}: {reason}")

    def approximated(self, row: int | str, what: str) -> None:
        self.report.approximated.append(f"{self.name}:{row}: {what}")

    def approximated_row(self, row: int, what: str) -> None:
        """One more row approximated as many others are: counted, the first few named."""
        entry = self.report.approximated_rows.setdefault(what, [0, []])
        entry[0] += 1
        if len(entry[1]) < 3:
            entry[1].append(f"{self.name}:{row}")

    def finish(self) -> Report:
        self.report.created = {k: v for k, v in self.made.items()}
        return self.report


def when_of(text: str, month_first: bool = False) -> When:
    """A date as another tool writes it, read as EDTF (WhenError says why not)."""
    return parse(edtf(text, month_first))


def span(start: str, end: str, month_first: bool = False) -> When:
    """From a start and an optional end, each in any form `datewords` reads."""
    a = edtf(start, month_first)
    if not end.strip():
        return parse(a)
    b = edtf(end, month_first)
    if a == b:
        return parse(a)
    try:
        return parse(f"{a}/{b}")
    except WhenError as exc:
        raise WhenError(f"{start} to {end}: {exc}") from None


MAX_IMPORT_BYTES = 256 * 2**20


def read_text(path: str) -> tuple[str, str]:
    """A file another tool wrote, as text, and a note on its encoding when it was not
    UTF-8: UTF-16 with its BOM is read; bytes that are not UTF-8 are read as Windows-1252
    (the usual Latin-1 of spreadsheets), and said so."""
    from app.fileformat.textfile import TextFileError, read_bounded

    try:
        raw = read_bounded(path, MAX_IMPORT_BYTES)
    except TextFileError as exc:
        raise ImportFailed(exc.message) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "read as UTF-16"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "not UTF-8: read as Windows-1252 (Latin-1)"
    if "\x00" in text:
        raise ImportFailed("binary data (a NUL byte): not a text file")
    return text, ""


def csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of CSV or TSV text, the delimiter found from the header."""
    import csv
    import io

    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ImportFailed(f"not readable as CSV: {exc}") from None
    rows = [r for r in rows if "".join(r).strip()]  # blank lines and rows of empty cells out
    if not rows:
        raise ImportFailed("the file is empty")
    return [h.strip() for h in rows[0]], rows[1:]


def sheet_rows(path: str) -> tuple[list[str], list[list[str]]]:
    """The first sheet of an XLSX or ODS workbook, as text cells (python-calamine: it
    read 50,000 rows of 31 columns in 1.5 s where openpyxl took 25 s, here)."""
    import datetime as dt

    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFailed(f"not a readable workbook: {exc}") from None

    def text(value) -> str:
        if isinstance(value, dt.datetime):
            return (
                value.isoformat(timespec="minutes")
                if value.time() != dt.time()
                else value.date().isoformat()
            )
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    table = [[text(v) for v in row] for row in rows]
    table = [r for r in table if any(r)]
    if not table:
        raise ImportFailed("the sheet is empty")
    return table[0], table[1:]
