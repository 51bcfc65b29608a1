"""Any CSV with a header row: columns mapped by the names Demarche writes and other tools
use (Preceden, Aeon, TimelineJS sheets are read by their own importer), or by `--map`."""

from __future__ import annotations

from app.context.datasets import KIND_TITLES, guess_kind
from app.importers.base import YES, ImportFailed, ProjectBuilder, key, span
from app.records.model import Event
from app.records.when import When, WhenError, parse

# Field: the header names that mean it, compared without case and spacing.
HEADERS = {
    "id": ("id", "event id", "internal identifier", "unique_id"),
    "actor": ("actor", "lane", "layer name", "group", "category", "actor1", "who"),
    "title": ("title", "event name", "headline", "name", "summary", "event"),
    "when": ("when", "date", "edtf"),
    "start": ("start", "start date", "from", "begin"),
    "end": ("end", "end date", "to", "until"),
    "type": ("type", "event type", "kind"),
    "with": ("with", "other actors", "participants", "actor2"),
    "tags": ("tags", "labels", "tag"),
    "text": ("text", "notes", "event notes", "description", "details"),
    "sources": ("sources", "source", "url", "link"),
    "approximate": ("approximate", "circa"),  # the whole date
    "start approximate": ("start approximate",),  # Preceden's: one for each end
    "end approximate": ("end approximate",),
}


def mapping(header: list[str], given: dict[str, str] | None = None) -> dict[str, int]:
    """Column index of each field: from `given` (field → header name) or the known names.
    ImportFailed when no column holds the title or the date."""
    found = guess(header, given)
    if "title" not in found or not ({"when", "start"} & set(found)):
        missing = [f for f in ("title", "when or start") if f.split()[0] not in found]
        said = f"the header has no {' and no '.join(missing)} column"
        kind = guess_kind(header)
        if kind == "acled":  # (read as a plain table: --format csv)
            raise ImportFailed(f"{said}: its columns are an ACLED export's (--format acled)")
        if kind != "csv":
            raise ImportFailed(
                f"{said}: its columns are {KIND_TITLES[kind]}'s, conflict data that "
                "Demarche draws under the lanes (File ▸ Add Context Data…; demarche context)"
            )
        raise ImportFailed(f"{said} (columns: {', '.join(header)})")
    return found


def guess(header: list[str], given: dict[str, str] | None = None) -> dict[str, int]:
    """The fields the header's names (or `given`) place, as far as they go."""
    found: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, h in enumerate(header):
        names.setdefault(key(h), i)  # a name given twice: the first column
    for field_, column in (given or {}).items():
        if key(column) not in names:
            raise ImportFailed(f"--map {field_}={column}: no column is called '{column}'")
        found[field_] = names[key(column)]
    for field_, aliases in HEADERS.items():
        if field_ not in found:
            index = next((names[a] for a in aliases if a in names), None)
            if index is not None:
                found[field_] = index
    return found


def read(table, b: ProjectBuilder, given=None, month_first: bool = False) -> None:
    header, rows = table
    cols = mapping(header, given)
    keys = [key(h) for h in header]
    for field_, i in cols.items():
        if keys.count(keys[i]) > 1:
            b.approximated(
                1,
                f"{keys.count(keys[i])} columns are called '{header[i]}': the first is read as the {field_}",
            )

    def cell(row: list[str], name: str) -> str:
        i = cols.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for n, row in enumerate(rows, start=2):
        b.report.rows += 1
        title = cell(row, "title")
        if not title:
            b.skip(n, "no title")
            continue
        try:
            when = span(cell(row, "when") or cell(row, "start"), cell(row, "end"), month_first)
        except WhenError as exc:
            b.skip(n, str(exc))
            continue
        whole = cell(row, "approximate").lower() in YES
        first, last = (
            whole or cell(row, f"{end} approximate").lower() in YES for end in ("start", "end")
        )
        if first or last:
            when = approximate(when, first, last)
        actor = b.actor(cell(row, "actor") or "Ungrouped")
        with_ = tuple(
            dict.fromkeys(
                b.actor(x) for x in split(cell(row, "with")) if key(x) != key(cell(row, "actor"))
            )
        )
        cites = tuple(_cite(b, s) for s in split(cell(row, "sources")))
        b.event(
            Event(
                id=b.new_id(cell(row, "id") or title, "event"),
                actor=actor,
                title=title,
                when=when,
                with_=with_,
                type=cell(row, "type"),
                text=cell(row, "text"),
                cites=cites,
                tags=tuple(split(cell(row, "tags"))),
            )
        )


def approximate(when: When, start: bool, end: bool) -> When:
    """The date with its start, its end or both marked approximate (EDTF `~`, `%` where
    it was uncertain); a single date by its start."""
    parts = when.text.split("/")
    marks = (start, end) if len(parts) == 2 else (start,)
    return parse("/".join(_circa(p) if m else p for p, m in zip(parts, marks, strict=True)))


def _circa(part: str) -> str:
    if part in ("", "..") or part.endswith(("~", "%")):
        return part
    return part[:-1] + "%" if part.endswith("?") else part + "~"


def split(text: str) -> list[str]:
    for sep in (";", "|", ","):
        if sep in text:
            return [x.strip() for x in text.split(sep) if x.strip()]
    return [text.strip()] if text.strip() else []


def _cite(b: ProjectBuilder, source: str):
    from app.records.model import Cite

    url = source if source.startswith(("http://", "https://")) else ""
    return Cite(source=b.source(source, url))
