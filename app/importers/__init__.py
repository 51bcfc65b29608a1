"""Importing what analysts already have: another tool's file becomes records of a project,
with a report of what was read, skipped (each with FILE:ROW: reason) and approximated.

    project, reports = import_files(["events.csv"], into=None)

Formats: `csv` (any spreadsheet saved as CSV, columns found by name or given; Demarche's
own tables, app/tables.py, read back exactly), `acled`,
`timelinejs` (its JSON, and its sheet saved as CSV), `markwhen`. Found from the file's
suffix and content when not given.
"""

from __future__ import annotations

import json
import os

from app.exporters import csvtables as own_tables
from app.fileformat import projectfile, spec
from app.importers import acled, events, markwhen, spreadsheet, timelinejs, timelinexml
from app.importers import tables as tables_reader
from app.importers.base import ImportFailed, ProjectBuilder, Report, csv_rows, read_text, sheet_rows
from app.records.model import Project

FORMATS = ("csv", "xlsx", "acled", "icews", "gdelt", "plover", "timelinejs", "markwhen", "timeline")

__all__ = ["FORMATS", "ImportFailed", "Report", "canonical_text", "detect", "import_files"]


SHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def detect(path: str, text: str) -> str:
    """The format of a file, from its suffix and content; ImportFailed when it cannot tell."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in SHEETS:
        return "xlsx"
    if suffix == ".mw":
        return "markwhen"
    if suffix == ".timeline":
        return "timeline"
    if suffix in (".json", ".jsonl"):
        start = text.lstrip()[:2000]
        if '"events"' in start or '"eras"' in start:
            return "timelinejs"
        if '"recipient"' in start or '"target"' in start or '"eventText"' in start:
            return "plover"
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailed(
                f"line {exc.lineno}, column {exc.colno}: not JSON: {exc.msg}"
            ) from None
        raise ImportFailed(
            "a JSON file that is neither TimelineJS (no 'events') nor PLOVER: give --format"
        )
    if suffix in (".csv", ".tsv", ".txt", ".tab"):
        first = text.split("\n", 1)[0]
        if events.looks_like_gdelt(first):
            return "gdelt"
        return _kind_of_table(csv_rows(first)[0])
    raise ImportFailed(
        f"cannot tell the format of '{os.path.basename(path)}': give --format, one of {', '.join(FORMATS)}"
    )


def _kind_of_table(header: list[str]) -> str:
    if acled.looks_like(header):
        return "acled"
    if events.looks_like_icews(header):
        return "icews"
    if timelinejs.looks_like_sheet(header):
        return "timelinejs"
    return "csv"


def import_files(
    paths: list[str],
    fmt: str | None = None,
    into: Project | None = None,
    columns: dict[str, str] | None = None,
    month_first: bool = False,
    link_outcomes: bool | set[str] = False,
    lanes: dict[str, str] | None = None,
) -> tuple[Project, list[tuple[str, str, Report]]]:
    """The records of every file, added to `into` (or a new project). Raises ImportFailed
    naming the file when one cannot be read at all; rows that cannot be read are skipped
    and reported. `link_outcomes`: True applies every PLOVER reply that may settle a
    demand; a set applies those at these places (see Report.outcomes)."""
    project = into if into is not None else Project(title="")
    reports = []
    renamed: dict = {}  # ids given anew, for the references of the files after
    for path in sorted(paths, key=_table_order) if len(paths) > 1 else paths:
        try:
            b = ProjectBuilder(path, project, lanes, renamed)
            kind = _read(path, fmt, b, columns, month_first, link_outcomes)
        except ImportFailed as exc:
            raise ImportFailed(f"{path}: {exc}") from None
        reports.append((path, kind, b.finish()))
    if not project.title:
        project.title = os.path.splitext(os.path.basename(paths[0]))[0] if paths else "Imported"
    return project, reports


def canonical_text(project: Project) -> str:
    """The imported project as its file would hold it; ImportFailed when that file would
    be larger than a project file may be (it could not be opened again)."""
    text = projectfile.dumps(project)
    size = len(text.encode("utf-8"))
    if size > projectfile.MAX_FILE_BYTES:
        raise ImportFailed(
            f"the project would be {size / 2**20:.0f} MiB ({len(project.events):,} events), "
            f"more than the {projectfile.MAX_FILE_BYTES // 2**20} MiB a project file may be: "
            "import fewer rows (split the file, or keep the dates or actors you need)"
        )
    return text


def _read(path: str, fmt, b: ProjectBuilder, columns, month_first: bool, link_outcomes) -> str:
    """Read one file into the builder; the format it was read as."""
    if fmt == "xlsx" or (fmt is None and os.path.splitext(path)[1].lower() in SHEETS):
        table = sheet_rows(path)
        inner = _table(_kind_of_table(table[0]), table, b, columns, month_first)
        return f"xlsx ({inner})"
    text, note = read_text(path)
    if note:
        b.approximated("1", note)
    kind = fmt or detect(path, text)
    if kind in ("csv", "acled", "icews") or (
        kind == "timelinejs" and not text.lstrip().startswith("{")
    ):
        kind = _table(kind, csv_rows(text), b, columns, month_first)
    elif kind == "timelinejs":
        timelinejs.read_json(text, b)
    elif kind == "markwhen":
        markwhen.read(text, b)
    elif kind == "gdelt":
        events.read_gdelt(text, b)
    elif kind == "plover":
        events.read_plover(text, b, link_outcomes)
    elif kind == "timeline":
        timelinexml.read(text, b)
    else:
        raise ImportFailed(f"unknown format '{kind}' (one of {', '.join(FORMATS)})")
    return kind


def _table_order(path: str) -> int:
    """Demarche's own tables in the order their records refer to each other (sources and
    actors before the events that cite them); other files after, as given."""
    try:
        kind = own_tables.kind_of(header_of(path))
    except ImportFailed:
        kind = None
    return spec.KIND_NAMES.index(kind) if kind else len(spec.KIND_NAMES)


def _table(kind: str, table, b: ProjectBuilder, columns, month_first: bool) -> str:
    """Read a table into the builder; what it was read as."""
    own = own_tables.kind_of(table[0]) if kind == "csv" and not columns else None
    if own:
        tables_reader.read(own, table, b)
        return f"csv (Demarche's {own} table)"
    if kind == "acled":
        acled.read(table, b)
    elif kind == "icews":
        events.read_icews(table, b)
    elif kind == "timelinejs":
        timelinejs.read_sheet(table, b)
    else:
        spreadsheet.read(table, b, columns, month_first)
    return kind


def header_of(path: str) -> list[str]:
    """The column names of a spreadsheet or CSV file (for choosing which holds what)."""
    if os.path.splitext(path)[1].lower() in SHEETS:
        return sheet_rows(path)[0]
    text, _ = read_text(path)
    return csv_rows(text.split("\n", 1)[0])[0]
