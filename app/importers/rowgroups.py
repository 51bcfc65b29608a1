"""Each row's few values (an event's `with` lanes, its citations) held as codes into a
table of the distinct values an import names: found a chunk at a time with numpy, written
straight to the lines of a project file (app/importers/eventcolumns.py), and made tuples
only when records are made.

    table = Table()
    rows = Grouped(table, table.codes(values), rows_of_values, n)  # first of each kept
    rows.tuples()                                  # [(value, ...), ...], one a row
    rows.lines(first, other, close)                # the bytes of each row's values"""

from __future__ import annotations

import numpy as np


class Table:
    """Distinct values, each given a code (its index in `values`) the first time."""

    def __init__(self):
        self.values: list = []
        self.index: dict = {}

    def code(self, value, key=None) -> int:
        """The code of `value` (of the value first given with `key`, when given)."""
        k = value if key is None else key
        found = self.index.get(k)
        if found is None:
            found = self.index[k] = len(self.values)
            self.values.append(value)
        return found


class Grouped:
    """The values of each of n rows: `codes` (into `table`) in row order, `rows` the row
    of each. A row keeps the first of the values it names twice (by code)."""

    __slots__ = ("table", "codes", "ends", "n")

    def __init__(self, table: Table, codes: np.ndarray, rows: np.ndarray, n: int):
        if len(codes) > 1:
            # The first of each (row, code), in order: rows that name nothing twice (most)
            # keep all theirs.
            pairs = rows * len(table.values) + codes
            _, first = np.unique(pairs, return_index=True)
            if len(first) < len(codes):
                first.sort()
                codes, rows = codes[first], rows[first]
        self.table, self.codes, self.n = table, codes, n
        self.ends = np.cumsum(np.bincount(rows, minlength=n))

    def __len__(self) -> int:
        return self.n

    def tuples(self) -> list[tuple]:
        """Each row's values, as a tuple."""
        flat = list(map(self.table.values.__getitem__, self.codes.tolist()))
        ends = self.ends.tolist()
        return list(map(tuple, map(flat.__getitem__, map(slice, [0, *ends[:-1]], ends))))

    def lines(self, first, other, close: bytes) -> list[bytes]:
        """Each row's values written, by code: first[code] for its first value, other[code]
        for each after (lists, or arrays of objects), then `close`; b"" for a row of none.
        Joined at C speed: every row's parts (a NUL after each row) in one list, the whole
        split again at the NULs (which no written value holds)."""
        n, codes, ends = self.n, self.codes, self.ends
        if not len(codes):
            return [b""] * n
        counts = np.diff(ends, prepend=0)
        rows = np.repeat(np.arange(n), counts)
        starts = ends - counts
        firsts = np.zeros(len(codes), bool)
        firsts[starts[counts > 0]] = True
        parts = np.empty(len(codes) + n, object)
        written = np.asarray(other, object)[codes]
        written[firsts] = np.asarray(first, object)[codes[firsts]]
        parts[np.arange(len(codes)) + rows] = written
        # (Objects from a list: numpy's own bytes would drop the NULs at their ends.)
        ended = np.array([b"\0", close + b"\0"], object)
        parts[ends + np.arange(n)] = ended[(counts > 0).view(np.int8)]
        out = b"".join(parts.tolist()).split(b"\0")
        if len(out) != n + 1:  # (cannot be: no value's lines hold a NUL) one row at a time
            return [self._row(first, other, close, r) for r in range(n)]
        del out[n]
        return out

    def _row(self, first, other, close, r) -> bytes:
        start, end = (int(self.ends[r - 1]) if r else 0), int(self.ends[r])
        codes = self.codes[start:end].tolist()
        if not codes:
            return b""
        return first[codes[0]] + b"".join(other[c] for c in codes[1:]) + close
