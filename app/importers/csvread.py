"""The rows of CSV text as `csv.reader` reads them (its default dialect, with the delimiter
given), in under half its instructions (100,000 ACLED rows: 2.8 G against 6.4 G): a line
with no quote, or with one quoted cell that holds no quote (most lines of most exports:
ACLED quotes its notes), or with quoted cells of the plainest kind, is split by str
methods at C speed; any other line (a quote in a cell, a cell over lines, a carriage
return other than before the line feed) is left to `csv.reader` itself, which parses
at about 40 instructions a character. Held to `csv.reader` by tests/app/test_csvread.py.

    reader = Reader(lines, ",")
    for row in reader: ...          # reader.line_num: the lines read, after an error too"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from itertools import chain


class Reader:
    """Rows of lines (each with its line feed, as a text file gives them, newline="\\n")."""

    def __init__(self, lines: Iterable[str], delimiter: str):
        self.lines, self.delimiter = iter(lines), delimiter
        self.line_num = 0  # lines read: kept when a row is left to csv.reader, or it fails
        # The line of a quoted cell never closed (csv.reader reads the rest of the text
        # into it, and says nothing), for the caller to refuse; 0 when there is none.
        self.unclosed = 0

    def __iter__(self) -> Iterator[list[str]]:
        d, lines = self.delimiter, self.lines
        extra = 0  # lines that csv.reader read beyond the one it was given
        n = 0
        for n, raw in enumerate(lines, 1):  # noqa: B007 - n is read after the loop
            line, end = raw, 1  # `end`: the length of the line feed that ends the line
            if "\r" in line:
                if line[-2:] != "\r\n" or line.find("\r") != len(line) - 2:
                    line = ""  # a carriage return inside: csv.reader's to read
                else:
                    # (A CR before the LF ends the record too: both cut off the last cell,
                    # the line not copied without them, a third of the time of a line.)
                    end = 2
            # The most lines: no quote, or one quoted cell (partition: no arguments to
            # parse, where `find` parses its own).
            before, quote, rest = line.partition('"')
            if not quote and line:
                row = line.split(d)
                if row[-1][-1:] == "\n":
                    row[-1] = row[-1][:-end]
                yield row if row != [""] else []
                continue
            inner, quote, after = rest.partition('"')
            if quote and '"' not in after:
                row = before.split(d)
                if not row.pop():  # only a delimiter, or nothing, before the quote
                    if after[-1:] == "\n":
                        after = after[:-end]
                    if not after:
                        row.append(inner)
                        yield row
                        continue
                    cells = after.split(d)
                    if not cells[0]:  # a delimiter after the closing quote
                        cells[0] = inner
                        row += cells
                        yield row
                        continue
            elif quote:
                row = _quoted(line[:-end] if line[-1:] == "\n" else line, d)
                if row is not None:
                    yield row
                    continue
            record = _Record(chain((raw,), lines))
            reader = csv.reader(record, delimiter=d)
            try:
                row = next(reader)
            finally:
                extra += reader.line_num - 1
                self.line_num = n + extra
            if record.ran_out:  # still in a quoted cell at the end (the last line's too)
                self.unclosed = n + extra - reader.line_num + 1
            yield row
        self.line_num = n + extra


class _Record:
    """The lines csv.reader reads one record from, and whether it asked for one past the
    end: it does only inside a quoted cell (a line end ends any other record)."""

    def __init__(self, lines: Iterator[str]):
        self.lines, self.ran_out = lines, False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        try:
            return next(self.lines)
        except StopIteration:
            self.ran_out = True
            raise


def _quoted(text: str, d: str) -> list[str] | None:
    """The cells of a line whose quoted cells hold no quote (none doubled) and each stand
    between delimiters; None for any other line."""
    parts = text.split('"')  # outside, inside, outside, ... for such a line
    last = len(parts) - 1
    if last % 2:
        return None  # a quoted cell goes on to the next line (or a quote stands alone)
    first, after = parts[0], parts[last]
    if (first and first[-1] != d) or (after and after[0] != d):
        return None
    row = first[:-1].split(d) if first else []
    for k in range(1, last, 2):
        row.append(parts[k])
        between = parts[k + 1]
        if k + 1 < last:
            # Between two quoted cells: a delimiter after the first and before the next
            # (an empty one is a doubled quote: csv.reader's to read).
            if not between or between[0] != d or between[-1] != d:
                return None
            if len(between) > 1:
                row += between[1:-1].split(d)
        elif between:
            row += between[1:].split(d)
    return row
