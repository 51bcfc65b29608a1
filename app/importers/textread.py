"""Another tool's text file, read safely and without holding it whole when it need not be:
a first pass checks it (a regular file, not over the size limit, no NUL byte, its
encoding), then its text is read whole (JSON, Markwhen, XML), from its start (the
sniffs), or line by line (CSV, whose rows are parsed as they come).

    check = check_text(path)            # raises ImportFailed: special, too large, binary
    header, rows = csv_stream(lines(path, check), on_big_cell)   # rows parsed as read

UTF-16 with its BOM is read; bytes that are not UTF-8 are read as Windows-1252 (the usual
Latin-1 of spreadsheets), and said so (`check.note`)."""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain

from app.fileformat import textfile
from app.importers.base import MAX_IMPORT_BYTES, ImportFailed, Table
from app.importers.csvread import Reader

CHUNK = 1 << 20
TEXT_CHUNK = 1 << 16
SEP_LINE = re.compile("sep=(.)")
MAX_CELL = 128 * 1024  # a cell larger than this is not a spreadsheet's cell: its row is skipped


@dataclass(frozen=True)
class TextCheck:
    """How a checked file is decoded, and the size and time it had when checked."""

    encoding: str
    errors: str
    note: str  # how the text was decoded, when it was not UTF-8
    stamp: tuple[int, int]
    # Lines cut at line feeds only (a quoted cell may hold any other separator); None,
    # read as line feeds, for text whose lines end in carriage returns alone (Excel for
    # the Mac's "CSV (Macintosh)"), which has none.
    newline: str | None = "\n"


def _open(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file, opened without blocking on a FIFO or a device."""
    try:
        return textfile.open_regular(path)
    except textfile.TextFileError as exc:
        raise ImportFailed(exc.message) from None


def _too_large(size: int) -> ImportFailed:
    return ImportFailed(textfile._too_large(size, MAX_IMPORT_BYTES))


def check_text(path: str) -> TextCheck:
    """One pass over the file, holding a chunk at a time: ImportFailed for a special
    file, a file over the size limit, a NUL byte (at its line) or UTF-16 that does not
    decode; the encoding to read it with."""
    fd, st = _open(path)
    try:
        if st.st_size > MAX_IMPORT_BYTES:
            raise _too_large(st.st_size)
        first = os.read(fd, CHUNK)
        utf16 = first.startswith((b"\xff\xfe", b"\xfe\xff"))
        decoder = codecs.getincrementaldecoder("utf-16" if utf16 else "utf-8")()
        utf8, total, chunk = True, 0, first
        feeds = returns = False
        while chunk:
            total += len(chunk)
            if not utf16:  # (UTF-16's line ends are looked for in its characters, below)
                feeds = feeds or b"\n" in chunk
                returns = returns or b"\r" in chunk
            if total > MAX_IMPORT_BYTES:
                raise _too_large(total)
            if not utf16:  # checked before any decoding: the Windows-1252 fallback too
                nul = chunk.find(b"\x00")
                if nul >= 0:
                    line = _line_at(fd, total - len(chunk) + nul)
                    raise ImportFailed(f"line {line}: binary data (a NUL byte): not a text file")
            # (ASCII, with no character begun before it, is UTF-8: not decoded, a tenth
            # of the time.)
            if utf8 and (utf16 or decoder.buffer or not chunk.isascii()):
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    if utf16:
                        raise ImportFailed(f"not readable as UTF-16: {exc.reason}") from None
                    utf8 = False
                else:
                    if utf16:  # a 0x0A or 0x0D byte is half of many a character there
                        feeds = feeds or "\n" in text
                        returns = returns or "\r" in text
            chunk = os.read(fd, CHUNK)
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                if utf16:
                    raise ImportFailed(f"not readable as UTF-16: {exc.reason}") from None
                utf8 = False
    except OSError as exc:
        raise ImportFailed(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    stamp = (st.st_mtime_ns, st.st_size)
    newline = None if returns and not feeds else "\n"
    if utf16:
        return TextCheck("utf-16", "strict", "read as UTF-16", stamp, newline)
    if utf8:
        return TextCheck("utf-8-sig", "strict", "", stamp, newline)
    note = "not UTF-8: read as Windows-1252 (Latin-1)"
    return TextCheck("cp1252", "replace", note, stamp, newline)


def _line_at(fd: int, offset: int) -> int:
    """The line of the byte at `offset`, its line feeds counted anew (only a file refused
    is counted: a count of every chunk took as long as the rest of the check)."""
    lines, at = 1, 0
    while at < offset:
        chunk = os.pread(fd, min(CHUNK, offset - at), at)
        if not chunk:
            break
        lines += chunk.count(b"\n")
        at += len(chunk)
    return lines


def open_checked(path: str, check: TextCheck):
    """The file as text as `check` found it (its line endings kept as written, lines cut
    at line feeds only: a quoted cell may hold any other separator, but for text of
    carriage returns alone, TextCheck.newline); ImportFailed when it changed since."""
    fd, st = _open(path)
    if (st.st_mtime_ns, st.st_size) != check.stamp:
        os.close(fd)
        raise ImportFailed("the file changed while it was read: import it again")
    f = open(fd, encoding=check.encoding, errors=check.errors, newline=check.newline)  # noqa: SIM115
    # Decoded 64 KB at a time, not 8 KB: its lines read in 0.05 s of processor time against
    # 0.09 s for the 85 MB of 100,000 ACLED rows (the decoder's Python steps a chunk).
    f._CHUNK_SIZE = TEXT_CHUNK
    return f


def read_text(path: str) -> tuple[str, str]:
    """The whole text of a file another tool wrote, and a note on its encoding when it
    was not UTF-8."""
    check = check_text(path)
    with open_checked(path, check) as f:
        return f.read(), check.note


def read_head(path: str, check: TextCheck, chars: int) -> str:
    """The first `chars` characters of the text (all of it when shorter)."""
    with open_checked(path, check) as f:
        return f.read(chars)


def _lines(text: str):
    """The lines of `text`, each with its line feed, cut at line feeds only (a quoted
    cell may hold any other separator)."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def csv_stream(
    lines: Iterable[str], on_big_cell: Callable[[int, str], None], shifts: list | None = None
) -> tuple[list[str], Iterator[list[str]]]:
    """The header of CSV or TSV text (the delimiter found from its first line) and its
    rows, parsed as they are asked for. Blank lines and rows of empty cells are left
    out; a row with a cell over MAX_CELL too, told to `on_big_cell(row, why)` (rows
    counted from the header, 1). `shifts` gets, as rows are read, where the rows left
    out move the count off the row a spreadsheet shows (Table.row_shifts)."""
    shifts = shifts if shifts is not None else []
    lines = iter(lines)
    first = next(lines, "")
    hint = SEP_LINE.fullmatch(first.rstrip("\r\n"))
    if hint:  # Excel's first line naming its delimiter, before the header
        first = next(lines, "")
        shifts.append((1, 1))
    delimiter = hint[1] if hint else max(",;\t|", key=first.split("\n", 1)[0].count)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_IMPORT_BYTES))
    reader = Reader(chain((first,), lines), delimiter)  # csv.reader's rows, sooner

    def rows() -> Iterator[list[str]]:
        counted = blank = 0  # rows so far, the header and the rows left out included
        try:
            for row in reader:
                if not row or (not row[0].strip() and not "".join(row).strip()):
                    blank += 1  # blank lines and rows of empty cells out
                    continue
                counted += 1
                if blank:
                    shifts.append((counted, blank + (shifts[-1][1] if shifts else 0)))
                    blank = 0
                # A cell over the limit makes the row longer still: the row's length (one
                # call, at C speed) first, each cell's only for a row that long.
                if len("".join(row)) > MAX_CELL and (big := max(map(len, row))) > MAX_CELL:
                    if counted == 1:
                        raise ImportFailed("row 1: the header has a cell over 128 KB")
                    on_big_cell(counted, f"a cell of {big / 1024:,.0f} KB (the limit is 128 KB)")
                    continue
                yield row
        except csv.Error as exc:
            raise ImportFailed(f"line {reader.line_num}: not readable as CSV: {exc}") from None
        if reader.unclosed:
            raise ImportFailed(
                f"line {reader.unclosed}: a quoted cell opened on this line is never closed "
                "(a stray quote, or the file is cut short): the rest of the file would be "
                "read as that one cell"
            )

    body = rows()
    header = next(body, None)
    if header is None:
        raise ImportFailed("the file is empty")
    return [h.strip() for h in header], body


def csv_rows(text: str) -> Table:
    """The header and the rows of CSV or TSV text, all read; the rows left out for a
    cell over MAX_CELL listed in `skipped` with their row."""
    skipped: list[tuple[int, str]] = []
    shifts: list = []
    header, rows = csv_stream(_lines(text), lambda row, why: skipped.append((row, why)), shifts)
    return Table(header, list(rows), skipped, shifts)


def csv_file_rows(path: str, check: TextCheck) -> Table:
    """csv_rows of a checked file, read line by line (never its whole text at once)."""
    skipped: list[tuple[int, str]] = []
    shifts: list = []
    with open_checked(path, check) as f:
        header, rows = csv_stream(f, lambda row, why: skipped.append((row, why)), shifts)
        return Table(header, list(rows), skipped, shifts)


def csv_file_stream(path: str, check: TextCheck, on_big_cell) -> Table:
    """The header of a checked CSV file and its rows as they are read: each row goes
    once its reader has done with it. The file closes once the rows are all read."""
    f = open_checked(path, check)
    shifts: list = []
    try:
        header, rows = csv_stream(f, on_big_cell, shifts)
    except BaseException:
        f.close()
        raise
    return Table(header, _closing(rows, f), row_shifts=shifts)


def _closing(rows: Iterator[list[str]], f) -> Iterator[list[str]]:
    with f:
        yield from rows
