"""Importing what analysts already have: another tool's file becomes records of a project,
with a report of what was read, skipped (each with FILE:ROW: reason) and approximated.

    project, reports = import_files(["events.csv"], into=None)

The formats are a registry (`app.importers.registry`, declared in `formats`): each has
a name, suffixes, a sniff of the content and a reader; a file's format is the one whose
sniff is surest, unless one is given.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from app.exporters import csvtables as own_tables
from app.fileformat import projectfile, spec
from app.fileformat.canonical import dumps_utf8, write_utf8
from app.importers import formats as _formats  # noqa: F401 - fills the registry
from app.importers.base import ImportFailed, ProjectBuilder, Report
from app.importers.registry import (
    IMPORTERS,
    ImportCancelled,
    Options,
    ReadAs,
    Source,
    by_name,
    detect,
    names,
)
from app.records.model import Project
from app.records.plural import counted

FORMATS = names()

__all__ = [
    "FORMATS",
    "IMPORTERS",
    "ImportCancelled",
    "ImportFailed",
    "Options",
    "ReadAs",
    "Report",
    "Source",
    "canonical_bytes",
    "canonical_text",
    "write_canonical",
    "detect",
    "import_files",
]


def import_files(
    paths: list[str],
    fmt: str | None = None,
    into: Project | None = None,
    columns: dict[str, str] | None = None,
    month_first: bool = False,
    link_outcomes: bool | set[str] = False,
    lanes: dict[str, str] | None = None,
    *,
    progress=None,
    sources: dict[str, Source] | None = None,
    ahead: bool = False,
) -> tuple[Project, list[tuple[str, ReadAs, Report]]]:
    """The records of every file, added to `into` (or a new project). Raises ImportFailed
    naming the file when one cannot be read at all; rows that cannot be read are skipped
    and reported. `link_outcomes`: True applies every PLOVER reply that may settle a
    demand; a set applies those at these places (see Report.outcomes). `sources`: files
    already read, by path (kept by the caller, so that reading again parses nothing);
    `progress(rows)` is called now and then and may raise ImportCancelled. `ahead`: a
    reader may fork a helper process (only the command line asks: app/importers/ahead.py)."""
    # Files nobody keeps (the command line) are read once: their rows may go as they are read.
    options = Options(
        columns, month_first, link_outcomes, progress, keep_rows=sources is not None, ahead=ahead
    )
    project = into if into is not None else Project(title="")
    sources = sources if sources is not None else {}
    reports = []
    renamed: dict = {}  # ids given anew, for the references of the files after
    for path in sorted(paths, key=_table_order) if len(paths) > 1 else paths:
        try:
            source = source_of(path, sources, progress)
            importer = by_name(fmt) if fmt else detect(source)
            b = ProjectBuilder(path, project, lanes, renamed)
            b.progress = progress
            # Read once into a new project: a reader may keep its events as columns.
            b.events_as_columns = not options.keep_rows and len(paths) == 1
            read_as = importer.read(source, b, options)
        except ImportFailed as exc:
            raise ImportFailed(f"{path}: {exc}") from None
        reports.append((path, read_as, b.finish()))
    if not project.title:
        project.title = os.path.splitext(os.path.basename(paths[0]))[0] if paths else "Imported"
    return project, reports


def source_of(path: str, sources: dict[str, Source], progress=None) -> Source:
    """The file as read before when it has not changed since, else read anew."""
    source = sources.get(path)
    fresh = Source(path, _sheet_reader(progress))
    if source is None or source.stamp != fresh.stamp or source.stamp is None:
        sources[path] = source = fresh
    return source


def _sheet_reader(progress):
    def read(path: str):
        from app.importers.workbook import read_isolated

        return read_isolated(path, progress)

    return read


def canonical_text(project: Project) -> str:
    """The imported project as its file would hold it; ImportFailed when that file would
    be larger than a project file may be (it could not be opened again)."""
    return bytes(canonical_bytes(project)).decode("utf-8")


def canonical_bytes(project: Project) -> bytearray:
    """canonical_text, encoded (one copy of the file in memory, not two)."""
    data = dumps_utf8(project)
    if len(data) > projectfile.MAX_FILE_BYTES:
        raise _too_large(len(data), project)
    return data


def write_canonical(project: Project, write: Callable[[bytes], object]) -> None:
    """canonical_bytes handed to `write` a few thousand records at a time, as they are
    made: the command line writes the file so, never holding it whole (105 MB, and a
    tenth of the time, at 100,000 ACLED rows). ImportFailed, once all is counted, when
    the file would be larger than a project file may be; nothing past that size is
    handed to `write` (the caller drops what it was given)."""
    size, limit = 0, projectfile.MAX_FILE_BYTES

    def counted(data) -> None:
        nonlocal size
        size += memoryview(data).nbytes
        if size <= limit:
            write(data)

    write_utf8(project, counted)
    if size > limit:
        raise _too_large(size, project)


def _too_large(size: int, project: Project) -> ImportFailed:
    return ImportFailed(
        f"the project would be {size / 2**20:.0f} MiB ({counted(len(project.events), 'event')}), "
        f"more than the {projectfile.MAX_FILE_BYTES // 2**20} MiB a project file may be: "
        "import fewer rows (split the file, or keep the dates or actors you need)"
    )


def _table_order(path: str) -> int:
    """Demarche's own tables in the order their records refer to each other (sources and
    actors before the events that cite them); other files after, as given."""
    source = Source(path)
    if source.suffix not in (".csv", ".tsv", ".txt", ".tab"):
        return len(spec.KIND_NAMES)
    kind = own_tables.kind_of(source.header)
    if kind == own_tables.PROJECT:
        return -1  # (its title before the records' tables)
    return spec.KIND_NAMES.index(kind) if kind else len(spec.KIND_NAMES)


def header_of(path: str, sources: dict[str, Source] | None = None) -> list[str]:
    """The column names of a spreadsheet or CSV file (for choosing which holds what)."""
    source = source_of(path, sources if sources is not None else {})
    return source.table[0] if source.is_workbook else source.header
