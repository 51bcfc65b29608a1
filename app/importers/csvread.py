"""The rows of CSV text as `csv.reader` reads them (its default dialect, with the delimiter
given), in a third less time: a line with no quote, or with one quoted cell that holds no
quote (most lines of most exports: ACLED quotes its notes), or with quoted cells of the
plainest kind, is split by str methods at C speed; any other line (a quote in a cell, a
cell over lines, a carriage return inside) is left to `csv.reader` itself. The parsing of
`csv.reader` costs about 40 instructions a character; most of a line here is copied and
split at memchr speed. Held to `csv.reader` by tests/app/test_csvread.py.

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

    def __iter__(self) -> Iterator[list[str]]:
        d, lines = self.delimiter, self.lines
        extra = 0  # lines that csv.reader read beyond the one it was given
        n = 0
        for n, line in enumerate(lines, 1):  # noqa: B007 - n is read after the loop
            if line[-1:] == "\n":
                text = line[:-2] if line[-2:-1] == "\r" else line[:-1]
            else:
                text = line
            q = text.find('"')
            if q < 0:
                if "\r" not in text:
                    yield text.split(d) if text else []
                    continue
            elif "\r" not in text:
                # (Quotes found by `find`, at memchr speed: `count` reads each character.)
                end = text.find('"', q + 1)
                if end > 0 and text.find('"', end + 1) < 0:
                    row = _one_quoted(text, q, end, d)
                else:
                    row = _quoted(text, d)
                if row is not None:
                    yield row
                    continue
            reader = csv.reader(chain((line,), lines), delimiter=d)
            try:
                row = next(reader)
            finally:
                extra += reader.line_num - 1
                self.line_num = n + extra
            yield row
        self.line_num = n + extra


def _one_quoted(text: str, q: int, end: int, d: str) -> list[str] | None:
    """The cells of a line with one quoted cell (its quotes at q and end, no other), or
    None when the quotes do not stand at the cell's ends."""
    last = len(text) - 1
    if (q and text[q - 1] != d) or (end != last and text[end + 1] != d):
        return None
    row = text[: q - 1].split(d) if q else []
    row.append(text[q + 1 : end])
    if end != last:
        row += text[end + 2 :].split(d)
    return row


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
