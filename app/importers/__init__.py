"""Importing what analysts already have: another tool's file becomes records of a project,
with a report of what was read, skipped (each with FILE:ROW: reason) and approximated.

    project, reports = import_files(["events.csv"], into=None)

Formats: `csv` (any spreadsheet saved as CSV, columns found by name or given), `acled`,
`timelinejs` (its JSON, and its sheet saved as CSV), `markwhen`. Found from the file's
suffix and content when not given.
"""

from __future__ import annotations

import os

from app.importers import acled, markwhen, spreadsheet, timelinejs
from app.importers.base import ImportFailed, ProjectBuilder, Report, csv_rows, read_text
from app.model import Project

FORMATS = ("csv", "acled", "timelinejs", "markwhen")
NOT_YET = ("xlsx", "ods", "icews", "gdelt", "plover", "timeline")

__all__ = ["FORMATS", "ImportFailed", "Report", "detect", "import_files"]


def detect(path: str, text: str) -> str:
    """The format of a file, from its suffix and content; ImportFailed when it cannot tell."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".mw":
        return "markwhen"
    if suffix == ".json":
        return "timelinejs"
    if suffix in (".csv", ".tsv", ".txt"):
        header, _ = csv_rows(text.split("\n", 1)[0])
        if acled.looks_like(header):
            return "acled"
        if timelinejs.looks_like_sheet(header):
            return "timelinejs"
        return "csv"
    if suffix in (".xlsx", ".ods", ".timeline"):
        raise ImportFailed(f"{suffix} files cannot be imported yet: save the sheet as CSV")
    raise ImportFailed(
        f"cannot tell the format of '{os.path.basename(path)}': give --format, one of {', '.join(FORMATS)}"
    )


def import_files(
    paths: list[str],
    fmt: str | None = None,
    into: Project | None = None,
    columns: dict[str, str] | None = None,
    month_first: bool = False,
) -> tuple[Project, list[tuple[str, str, Report]]]:
    """The records of every file, added to `into` (or a new project). Raises ImportFailed
    naming the file when one cannot be read at all; rows that cannot be read are skipped
    and reported."""
    project = into if into is not None else Project(title="")
    reports = []
    for path in paths:
        try:
            text, note = read_text(path)
            kind = fmt or detect(path, text)
            b = ProjectBuilder(path, project)
            if note:
                b.approximated("1", note)
            if kind == "csv":
                spreadsheet.read(text, b, columns, month_first)
            elif kind == "acled":
                acled.read(text, b)
            elif kind == "timelinejs":
                (timelinejs.read_json if text.lstrip().startswith("{") else timelinejs.read_sheet)(
                    text, b
                )
            elif kind == "markwhen":
                markwhen.read(text, b)
            else:
                raise ImportFailed(
                    f"'{kind}' cannot be imported yet (formats: {', '.join(FORMATS)})"
                )
        except ImportFailed as exc:
            raise ImportFailed(f"{path}: {exc}") from None
        reports.append((path, kind, b.finish()))
    if not project.title:
        project.title = os.path.splitext(os.path.basename(paths[0]))[0] if paths else "Imported"
    return project, reports
