"""The importers' registry: each format declares its name, suffixes, a sniff of the
content, the options it takes and a reader that fills a ProjectBuilder (records plus the
report: skipped rows, approximations, proposed outcomes). Detection asks every sniff, so
content decides where the suffix does not; every list of formats is made from here.

The formats themselves are declared in `app.importers.formats`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from app.importers.base import ImportFailed, ProjectBuilder, Table, load_json, peek
from app.importers.textread import (
    SEP_LINE,
    TextCheck,
    check_text,
    csv_file_rows,
    csv_file_stream,
    csv_rows,
    open_checked,
    read_head,
)

# How sure a sniff is that a file is of its format.
NO, CLOSE, LIKELY, SURE = 0, 1, 2, 3

WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx, ods), OLE (xls)
HEAD = 65536  # characters of the text the sniffs look at


class ImportCancelled(Exception):
    """The person cancelled an import that was running."""


@dataclass(frozen=True)
class Options:
    """What the person chose: `columns` {field: header name} for a table read column by
    column; `month_first` for 03/04 dates; `link_outcomes` for PLOVER replies (True, or
    the places of those to apply); `progress(rows)` is called now and then while rows are
    read, and may raise ImportCancelled."""

    columns: dict[str, str] | None = None
    month_first: bool = False
    link_outcomes: bool | set[str] = False
    progress: Callable[[int], None] | None = None
    keep_rows: bool = True  # False: a reader may let each row go once read
    ahead: bool = False  # a reader may start a helper process (app/importers/ahead.py)


class ReadAs(str):
    """What a file was read as, written as the report says it ("csv (Demarche's events
    table)"): its `format`, a `detail`, and whether its columns were mapped one by one
    (`by_columns`: the dialog then offers the column choices)."""

    format: str
    detail: str
    by_columns: bool

    def __new__(cls, format: str, detail: str = "", by_columns: bool = False):  # noqa: A002
        read_as = super().__new__(cls, f"{format} ({detail})" if detail else format)
        read_as.format, read_as.detail, read_as.by_columns = format, detail, by_columns
        return read_as


class Source:
    """One file to import, read at most once: its first bytes, its text, its table (CSV
    or the first sheet of a workbook). Kept by the import dialog, so that changing an
    option builds the records again from the rows already parsed."""

    def __init__(self, path: str, sheet_reader: Callable[[str], Table] | None = None):
        self.path = path
        self.suffix = os.path.splitext(path)[1].lower()
        self._sheet_reader = sheet_reader
        try:
            st = os.stat(path)
            self.stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            self.stamp = None

    @cached_property
    def magic(self) -> bytes:
        """The first bytes, read without blocking on a FIFO or a device."""
        return peek(self.path, 8)

    @property
    def is_workbook(self) -> bool:
        return self.magic.startswith(WORKBOOK_MAGIC)

    @cached_property
    def _check(self) -> TextCheck:
        """The file checked as text (one pass, a chunk at a time) and how to decode it."""
        if self.is_workbook:
            raise ImportFailed("a workbook (xlsx, ods or xls), not text: give --format xlsx")
        return check_text(self.path)

    @cached_property
    def text(self) -> str:
        """The whole text (read only by the formats that need it whole)."""
        with open_checked(self.path, self._check) as f:
            return f.read()

    @cached_property
    def note(self) -> str:
        """How the text was decoded, when it was not UTF-8."""
        return self._check.note

    @cached_property
    def head(self) -> str:
        """The start of the text, for sniffs ("" for a workbook or unreadable text)."""
        try:
            if "text" in self.__dict__:
                return self.text[:HEAD]
            return read_head(self.path, self._check, HEAD)
        except ImportFailed:
            return ""

    @cached_property
    def first_line(self) -> str:
        """The first line (the header's, after the line Excel may write naming its
        delimiter, `sep=;`)."""
        first, _, rest = self.head.partition("\n")
        if SEP_LINE.fullmatch(first.rstrip("\r")):
            return rest.split("\n", 1)[0]
        return first

    @cached_property
    def table(self) -> Table:
        """The header and rows: the first sheet of a workbook, or the CSV text (read
        line by line, never whole)."""
        if self.is_workbook:
            from app.importers.workbook import read_isolated

            return (self._sheet_reader or read_isolated)(self.path)
        return csv_file_rows(self.path, self._check)

    def stream(self, on_big_cell: Callable[[int, str], None]) -> Table:
        """The header and the rows of CSV text as they are read, for a reader that reads
        them once: each row goes once read, so the file is never held whole. The table
        itself when it was read before (its rows left out are then in `skipped`)."""
        if self.is_workbook or "table" in self.__dict__:
            return self.table
        return csv_file_stream(self.path, self._check, on_big_cell)

    @cached_property
    def header(self) -> list[str]:
        """The first row, for sniffs ([] when there is none)."""
        try:
            if self.is_workbook:
                return self.table[0]
            return csv_rows(self.first_line)[0] if self.first_line.strip() else []
        except ImportFailed:
            return []


@dataclass(frozen=True)
class Importer:
    """One format another tool writes. `sniff(source)` says how sure it is (NO, CLOSE,
    LIKELY, SURE); `read(source, builder, options)` fills the builder and says what the
    file was read as. A `table` format reads rows (CSV, or a workbook's first sheet) and
    `read_table(table, builder, options)` reads them whatever file they came from."""

    name: str
    title: str
    suffixes: tuple[str, ...]
    recognised_by: str  # the sniff in words, for the README
    sniff: Callable[[Source], int]
    read: Callable[[Source, ProjectBuilder, Options], ReadAs]
    options: frozenset[str] = field(default_factory=frozenset)
    table: bool = False


IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    IMPORTERS[importer.name] = importer
    return importer


def names() -> tuple[str, ...]:
    return tuple(IMPORTERS)


def detect(source: Source) -> Importer:
    """The format whose sniff is surest (the earlier registered on a tie); ImportFailed
    naming the formats that came close, and the --format to give, when none is likely."""
    scores = [(imp.sniff(source), n, imp) for n, imp in enumerate(IMPORTERS.values())]
    best = max(scores, key=lambda s: (s[0], -s[1]))
    if best[0] >= LIKELY:
        return best[2]
    _why_not_text(source)
    close = [imp.name for score, _, imp in scores if score == CLOSE]
    base = os.path.basename(source.path)
    if close:
        return _fail(
            f"cannot tell the format of '{base}': it could be {' or '.join(close)}, but its "
            f"content does not show it: give --format {close[0]}"
            + (f" (or {', '.join(close[1:])})" if len(close) > 1 else "")
        )
    return _fail(f"cannot tell the format of '{base}': give --format, one of {', '.join(names())}")


def _why_not_text(source: Source) -> None:
    """ImportFailed saying why a file that is not a workbook cannot be read as text, is
    empty, or is JSON that does not parse (at its line and column)."""
    if source.is_workbook:
        return
    text = source.text  # raises: a special file, too large, binary
    if not text.strip():
        _fail("the file is empty")
    start = text.lstrip()[:1]
    if start in ("{", "["):
        load_json(text)  # raises, located, when it is not JSON
        _fail("JSON that is neither TimelineJS (no 'events') nor PLOVER (no 'recipient')")


def _fail(message: str):
    raise ImportFailed(message)


def by_name(name: str) -> Importer:
    try:
        return IMPORTERS[name]
    except KeyError:
        raise ImportFailed(f"unknown format '{name}' (one of {', '.join(names())})") from None


def suffixes() -> list[str]:
    """Every suffix some format reads, in the registry's order."""
    return list(dict.fromkeys(s for imp in IMPORTERS.values() for s in imp.suffixes))


def file_filter() -> str:
    """The file dialog's filter: every readable file, then each format on its own."""
    every = " ".join(f"*{s}" for s in suffixes())
    parts = [f"Timelines and event data ({every})"]
    parts += [
        f"{imp.title} ({' '.join(f'*{s}' for s in imp.suffixes)})" for imp in IMPORTERS.values()
    ]
    return ";;".join([*parts, "All files (*)"])


def help_text() -> str:
    """The formats, one a line, for the command's help."""
    return "\n".join(
        f"  {imp.name:<11} {imp.title} ({' '.join(imp.suffixes)})" for imp in IMPORTERS.values()
    )


def markdown_table() -> str:
    """The README's table of import formats."""
    lines = [
        "| `--format` | Reads | Suffixes | Recognised by |",
        "|---|---|---|---|",
    ]
    for imp in IMPORTERS.values():
        suffixes_ = ", ".join(f"`{s}`" for s in imp.suffixes)
        lines.append(f"| `{imp.name}` | {imp.title} | {suffixes_} | {imp.recognised_by} |")
    return "\n".join(lines)
