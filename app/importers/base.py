"""What every importer shares: a project being built from rows of another tool's file,
actors matched by name, ids made unique, and a report of what was read, skipped and
approximated, each skipped row with its place (FILE:ROW: reason)."""

from __future__ import annotations

import bisect
import dataclasses
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field

from app.fileformat import projectfile, textfile, writtensize
from app.fileformat.build import ID_PATTERN
from app.fileformat.spec import BY_NAME, KIND_NAMES
from app.importers.lanes import LaneMatching, key
from app.records.datewords import edtf
from app.records.eventstore import values
from app.records.ids import ascii_letters
from app.records.model import Event, Project, Source
from app.records.plural import counted
from app.records.when import When, WhenError, parse

PROGRESS_EVERY = 2000
_YAML_WORDS = frozenset(("yes", "no", "true", "false", "null"))  # read as other than text


class ImportFailed(Exception):
    """A file that cannot be imported at all (not of the format, unreadable), with why."""


@dataclass
class Report:
    rows: int = 0
    created: dict[str, int] = field(default_factory=dict)
    given: list[str] = field(default_factory=list)  # the project's own fields it set (title)
    skipped: list[str] = field(default_factory=list)  # "FILE:ROW: reason"
    approximated: list[str] = field(default_factory=list)
    # The same approximation on many rows, counted: {what: [rows, first places]}.
    approximated_rows: dict[str, list] = field(default_factory=dict)
    # Replies that may settle a demand, for the person to confirm: ("FILE:record N", what).
    outcomes: list[tuple[str, str]] = field(default_factory=list)

    def lines(self, fmt: str) -> list[str]:
        made = made_words(self.created)
        out = [f"format: {fmt}", f"rows read: {self.rows}", f"created: {made}"]
        if self.given:
            out.append(f"set: the project's {' and '.join(self.given)}")
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


def made_words(created: dict[str, int]) -> str:
    """Records created, by kind, in words: "1 actor, 6 events" ("nothing" for none)."""
    made = ", ".join(counted(n, BY_NAME[kind].singular) for kind, n in created.items() if n)
    return made or "nothing"


def _rows(n: int) -> str:
    return counted(n, "row")


_SLUG = re.compile(r"[a-z][a-z0-9-]{0,47}")
# Lines of the characters of slugs, each beginning with a letter: read by a loop over a
# class of characters (100,000 ids: 0.009 s, where a pattern that also refuses the hyphens
# `slug` does not keep repeats a group a character and takes 0.040 s).
_LINES_OF_SLUG_CHARACTERS = re.compile(r"[a-z][a-z0-9-]*(?:\n[a-z][a-z0-9-]*)*")


def slug_lines(text: str) -> bool:
    """Whether the text is slugs a line each, as `slug` keeps them (no hyphen at the end
    or two in a row), but for their length (held to that pattern by
    tests/app/test_import_scale.py)."""
    return (
        _LINES_OF_SLUG_CHARACTERS.fullmatch(text) is not None
        and "--" not in text
        and "-\n" not in text
        and text[-1] != "-"
    )


def slug(text: str, fallback: str) -> str:
    lower = ascii_letters(text)  # Rózsa Péter → rozsa-peter, not r-zsa-p-ter
    if _SLUG.fullmatch(lower) and not lower.endswith("-") and "--" not in lower:
        return lower  # already one (most ids another tool writes): no rewriting
    out = re.sub(r"[^a-z0-9]+", "-", lower).strip("-")[:48].strip("-")
    if not out or not out[0].isalpha():
        out = f"{fallback}-{out}" if out else fallback
    return out


class ProjectBuilder(LaneMatching):
    """A project filled record by record, into an existing one or a new one."""

    SAMPLE = 16  # one record in this many is measured while the project is far from too large

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
        self._tried: dict[str, int] = {}  # a slug: the number its next id may take
        self.known_ids = {
            kind: set(values(getattr(self.project, kind), "id")) for kind in KIND_NAMES
        }
        # Ids a file gave that were taken, {(kind, id as written): id given}: shared by the
        # files of one import, so that references between them follow.
        self.renamed = renamed if renamed is not None else {}
        self.match_lanes(lanes or {})
        self.sources = {key(s.title): s.id for s in self.project.sources}
        self.made = {k: 0 for k in ("actors", "events", "demands", "phases", "sources", "views")}
        self.row_shifts: list[tuple[int, int]] = []  # the table's (Table.row_shifts)
        # Called with the rows read so far every PROGRESS_EVERY records; it may raise to stop.
        self.progress: Callable[[int], None] | None = None
        self._until_progress = PROGRESS_EVERY
        # The bytes the records made so far take in a project file, at least: a project
        # too large for a file is refused as soon as it is, not once every row is read.
        # Counted exactly once near the limit; until then guessed from every SAMPLE-th
        # record (`_guess`, for those `_seen` but not `_counted`).
        self.written = 0
        self._guess = 0.0
        self._counted = {kind: len(getattr(self.project, kind)) for kind in self.made}
        self._seen = dict(self._counted)
        # Whether a reader may keep the events it makes as columns (an EventStore) rather
        # than records: the importer sets it when nobody asks for the records one by one.
        self.events_as_columns = False

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
        """An id made from `wanted`: its slug, or the slug with the first free number.
        Ids are never given back, so the numbers tried before for a slug stay taken: the
        search goes on from the last (80,000 rows titled alike were quadratic)."""
        base = slug(wanted, fallback)
        if base not in self.ids and base not in _YAML_WORDS:
            self.ids.add(base)
            return base
        n = self._tried.get(base, 2)
        candidate = f"{base}-{n}"
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self._tried[base] = n + 1
        self.ids.add(candidate)
        return candidate

    def new_ids(self, wanted: list[str], fallback: str) -> list[str]:
        """`[new_id(w, fallback) for w in wanted]`, in one go when each is already a slug
        of ASCII (after lower case) that no id takes (ids a file gives: YEM1234)."""
        bases = self.plain_ids(wanted)
        if bases is not None:
            self.ids.update(bases)
            return bases
        return [self.new_id(w, fallback) for w in wanted]

    def plain_ids(self, wanted: list[str]) -> list[str] | None:
        """The ids `new_ids` gives `wanted` in one go, or None: each its own slug (and
        so what `new_id` makes of it while no id takes it), none taken, none twice."""
        joined = "\n".join(wanted)
        if joined.isascii() and wanted:
            lower = joined.lower()
            bases = lower.split("\n")
            if (
                len(bases) == len(wanted)
                and slug_lines(lower)
                and max(map(len, bases)) <= 48
                and len(set(bases)) == len(bases)
                and self.ids.isdisjoint(bases)
                and _YAML_WORDS.isdisjoint(bases)
            ):
                return bases
        return None

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
        self._until_progress -= 1
        if not self._until_progress:
            self._until_progress = PROGRESS_EVERY
            self._count_written()
            if self.progress is not None:
                self.progress(self.report.rows)

    def made_elsewhere(self, kind: str, ids: list[str], size: int) -> None:
        """Records made and kept by the reader (as columns) until it hands them to the
        project: counted as `add` counts them, with the bytes they take in a project file,
        counted exactly (their text is made)."""
        self.known_ids[kind].update(ids)
        self.made[kind] += len(ids)
        self.written += size
        self._until_progress -= len(ids)
        if self._until_progress <= 0:
            self._until_progress = PROGRESS_EVERY
            self._count_written()
            if self.progress is not None:
                self.progress(self.report.rows)

    def adopt(self, kind: str, records: list) -> None:
        """Records a reader made and counted (`made_elsewhere`), handed to the project."""
        getattr(self.project, kind).extend(records)
        self._seen[kind] = self._counted[kind] = len(getattr(self.project, kind))

    def _count_written(self) -> None:
        """ImportFailed once the records made so far are more than a project file may hold.
        Their size is guessed from a sample while it is well under the limit, and counted
        (a floor: never more than the file would take) once the guess comes near it."""
        limit = projectfile.MAX_FILE_BYTES
        for kind, seen in self._seen.items():
            records = getattr(self.project, kind)
            if len(records) > seen:
                sample = records[seen :: self.SAMPLE]
                self._guess += writtensize.floor(kind, sample) * (len(records) - seen) / len(sample)
                self._seen[kind] = len(records)
        if self.written + self._guess < 0.9 * limit:
            return
        for kind, done in self._counted.items():
            seen = self._seen[kind]
            if seen > done:
                self.written += writtensize.floor(kind, getattr(self.project, kind)[done:seen])
                self._counted[kind] = seen
        self._guess = 0.0
        if self.written > limit:
            raise ImportFailed(
                f"the project would be more than the {limit // 2**20} MiB a project file may "
                f"be: after {_rows(self.report.rows)}, its {counted(self.made['events'], 'event')} "
                f"already take {self.written / 2**20:,.0f} MiB: import fewer rows (split the "
                "file, or keep the dates or actors you need)"
            )

    def skip(self, row: int | str, reason: str) -> None:
        self.report.skipped.append(f"{self.name}:{self.shown(row)}: {reason}")

    def approximated(self, row: int | str, what: str) -> None:
        self.report.approximated.append(f"{self.name}:{self.shown(row)}: {what}")

    def approximated_row(self, row: int | str, what: str) -> None:
        """One more row approximated as many others are: counted, the first few named."""
        entry = self.report.approximated_rows.setdefault(what, [0, []])
        entry[0] += 1
        if len(entry[1]) < 3:
            entry[1].append(f"{self.name}:{self.shown(row)}")

    def approximated_rows(self, rows: list, what: str) -> None:
        """approximated_row of each of these rows, in order, at once."""
        entry = self.report.approximated_rows.setdefault(what, [0, []])
        entry[0] += len(rows)
        entry[1] += [f"{self.name}:{self.shown(row)}" for row in rows[: 3 - len(entry[1])]]

    def shown(self, row: int | str) -> int | str:
        """A row numbered as read, as the file or sheet shows it (Table.row_shifts)."""
        if not self.row_shifts or not isinstance(row, int):
            return row
        at = bisect.bisect_right(self.row_shifts, (row, math.inf)) - 1
        return row + self.row_shifts[at][1] if at >= 0 else row

    def finish(self) -> Report:
        self.drop_emptied_groups()
        self.report.created = {k: v for k, v in self.made.items()}
        return self.report


def maker(cls):
    """A function that makes a record of a frozen, slotted dataclass from the same
    keywords as its constructor, each field set by its slot: the constructor sets each
    through object.__setattr__, which costs half the making of an imported event. For
    records with nothing to do once made (no __post_init__) and plain defaults."""
    fields = dataclasses.fields(cls)
    if not cls.__dataclass_params__.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: not a frozen, slotted dataclass")
    if hasattr(cls, "__post_init__") or any(f.default_factory is not MISSING for f in fields):
        raise TypeError(f"{cls.__name__}: made by its constructor only")
    env = {"new": object.__new__, "cls": cls}
    params, body = [], ["    r = new(cls)"]
    for n, f in enumerate(fields):
        env[f"set{n}"] = cls.__dict__[f.name].__set__
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"default{n}"] = f.default
            params.append(f"{f.name}=default{n}")
        body.append(f"    set{n}(r, {f.name})")
    source = f"def make(*, {', '.join(params)}):\n" + "\n".join(body) + "\n    return r"
    exec(source, env)  # noqa: S102 - source made above from the dataclass's fields
    return env["make"]


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


class Table(tuple):
    """(header, rows) of a table, with the rows left out before reading:
    `skipped` [(row number, why)]. Rows are numbered as read, the header 1; where blank
    rows were left out before row n, it is that many further down in the file or sheet:
    `row_shifts` [(n, rows further down from n on)], in order (filled as a stream is read)."""

    skipped: list[tuple[int, str]]
    row_shifts: list[tuple[int, int]]

    def __new__(cls, header: list[str], rows: list[list[str]], skipped=None, row_shifts=None):
        table = super().__new__(cls, (header, rows))
        table.skipped = list(skipped or [])
        table.row_shifts = row_shifts if row_shifts is not None else []
        return table


def peek(path: str, size: int) -> bytes:
    """The first `size` bytes of a regular file; ImportFailed for a FIFO, a device or a
    folder, without blocking on it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ImportFailed(f"cannot read: {exc.strerror or exc}") from None
    try:
        kind = stat.S_IFMT(os.fstat(fd).st_mode)
        if kind != stat.S_IFREG:
            raise ImportFailed(
                f"not a regular file: it is {textfile._KINDS.get(kind, 'a special file')}"
            )
        return os.read(fd, size)
    except OSError as exc:
        raise ImportFailed(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_json(text: str):
    """JSON another tool wrote; ImportFailed, located, for text that is not JSON, nested
    too deep, or holding a number too long to read."""
    import json

    try:
        return whole_characters(json.loads(text), text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}") from None
    except RecursionError:
        raise ImportFailed(
            "JSON nested too deep to read (arrays or objects inside each other)"
        ) from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise ImportFailed(f"not readable as JSON: {str(exc)[:160]}") from None


_HALF_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # an escaped surrogate: perhaps a lone one


def whole_characters(data, text: str):
    """JSON's data with U+FFFD for each lone surrogate (JSON cut inside an emoji escapes
    half of it), which no UTF-8 file or page holds. Looked for only where the text escapes
    a surrogate."""
    return _whole(data) if _HALF_ESCAPE.search(text) else data


def _whole(data):
    if isinstance(data, str):
        return data.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(data, list):
        return [_whole(v) for v in data]
    if isinstance(data, dict):
        return {_whole(k): _whole(v) for k, v in data.items()}
    return data


YES = ("yes", "true", "1", "y")  # a cell that says yes (an "approximate" column's)


def text_of(value) -> str:
    """A field another tool may have written as text, a number or something else: its
    text, or "" for a list, an object or nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return (
            str(value)
            if not isinstance(value, float) or not value.is_integer()
            else str(int(value))
        )
    return ""
