"""Which rows hold a text in one of their parts, ignoring case: the search box's finder
(app/editing/search.py) and each table's (widgets/tablerows.py).

    texts = RowTexts(3)
    texts.add(["Talks in Doha", "Release", "Pause"])       # a part for each row
    texts.add(["hostages", "doha"], rows=np.array([0, 2]))  # parts of some rows
    texts.matching("doha")                                  # array([ True, False,  True])

A column of parts is kept as it searches fastest, chosen once when added:
- few distinct values (actors, types, tags; given as codes, or found so): each distinct
  value is searched once, and its rows are found by their codes;
- many (titles, notes): one lowered UTF-8 buffer, the parts apart by NUL; a search is a
  numpy pass over its bytes for the text's rarest byte, each place checked for the others.
  A million titles are searched in tens of milliseconds, where a Python test of each row
  took a fifth of a second, and making a lowered string of each took seconds;
- a part holding a NUL itself (rare): its column is searched a part at a time.
A row's parts may be given again after an edit (`replace`): they are searched apart."""

from __future__ import annotations

from itertools import repeat

import numpy as np

_BLOCK = 1 << 22  # bytes searched for the anchor at a time: the places found stay small
_FEW = 8  # a column with at most one distinct text in this many is kept by codes


class _Coded:
    """A column of few distinct values, each some parts (a name, or a tuple of tags): each
    value searched once, and its rows found by their codes."""

    def __init__(self, codes: np.ndarray, values: list[tuple[str, ...]], fold):
        self.codes = codes
        self.values = [list(map(fold, parts)) for parts in values]

    def hits(self, text: str) -> np.ndarray:
        """True for each row whose value has a part that holds `text`."""
        found = np.array([any(text in part for part in parts) for parts in self.values], bool)
        return found[self.codes] if len(found) else np.zeros(len(self.codes), bool)


class _Buffer:
    """A column of many texts, as one lowered UTF-8 buffer (the parts apart by NUL)."""

    def __init__(self, joined: bytes, ends: np.ndarray):
        self.bytes = np.frombuffer(joined, np.uint8)
        self.ends = ends  # where each part ends (its NUL, or the buffer's end)
        # How often each byte is met (in a sample: bincount widens each byte to 8), so
        # that a search anchors on its text's rarest byte.
        sample = self.bytes[:: max(1, len(self.bytes) >> 20)]
        self.counts = np.bincount(sample, minlength=256)

    def hits(self, text: str) -> np.ndarray:
        found = np.zeros(len(self.ends), bool)
        found[self.parts_holding(text.encode("utf-8", "surrogatepass"))] = True
        return found

    def parts_holding(self, pattern: bytes) -> np.ndarray:
        data, m = self.bytes, len(pattern)
        want = np.frombuffer(pattern, np.uint8)
        anchor = int(np.argmin(self.counts[want]))
        last = len(data) - m  # the last place a match can begin
        places = [np.empty(0, np.intp)]
        for start in range(0, len(data), _BLOCK):
            at = np.flatnonzero(data[start : start + _BLOCK] == want[anchor])
            at += start - anchor  # where a match would begin
            at = at[(at >= 0) & (at <= last)]
            for k in range(m):
                if k != anchor and len(at):
                    at = at[data[at + k] == want[k]]
            places.append(at)
        at = np.concatenate(places)
        part = np.searchsorted(self.ends, at)  # the part each place begins in
        return part[at + m <= self.ends[part]]  # ended within it (never across a NUL)


class _Each:
    """A column whose parts hold a NUL themselves: each part lowered and searched apart."""

    def __init__(self, texts: list[str], fold):
        self.texts = list(map(fold, texts))

    def hits(self, text: str) -> np.ndarray:
        return np.fromiter(map(str.__contains__, self.texts, repeat(text)), bool, len(self.texts))


def _column(texts: list, fold):
    """The column as it searches fastest (texts: strings, or values read as str makes them)."""
    if set(map(type, texts)) != {str}:  # (1 and True are one key of a dict: not one text)
        texts = list(map(str, texts))
    sample = texts[:1000]
    if len(dict.fromkeys(sample)) * _FEW <= len(sample):
        distinct = {text: k for k, text in enumerate(dict.fromkeys(texts))}
        if len(distinct) * _FEW <= len(texts):
            codes = np.fromiter(map(distinct.__getitem__, texts), np.int32, len(texts))
            return _Coded(codes, [(text,) for text in distinct], fold)
    joined = fold("\0".join(texts)).encode("utf-8", "surrogatepass")
    ends = np.flatnonzero(np.frombuffer(joined, np.uint8) == 0)
    if len(ends) != len(texts) - 1:  # a part holds a NUL
        return _Each(texts, fold)
    return _Buffer(joined, np.append(ends, len(joined)).astype(np.int64))


class RowTexts:
    """The parts of `n` rows, in columns; which rows hold a text in one of them, ignoring
    case as `fold` does (str.lower, or str.casefold: "Straße" holds "SS")."""

    def __init__(self, n: int, fold=str.lower):
        self.n, self.fold = n, fold
        self._columns: list[tuple[object, np.ndarray | None]] = []
        self._replaced: dict[int, list[str]] = {}  # a row's parts given again, folded

    def add(self, texts: list, rows: np.ndarray | None = None) -> None:
        """A column of parts: `texts[k]` is a part of row `rows[k]` (of row k, without)."""
        if len(texts):
            self._columns.append((_column(texts, self.fold), rows))

    def add_coded(
        self, codes: np.ndarray, values: list[tuple[str, ...]], rows: np.ndarray | None = None
    ) -> None:
        """A column given by codes: row k's parts are `values[codes[k]]` (rows as `add`)."""
        if len(codes):
            self._columns.append((_Coded(codes, values, self.fold), rows))

    def replace(self, row: int, parts: list[str]) -> None:
        """The row's parts, after an edit: searched in place of those it had."""
        self._replaced[row] = list(map(self.fold, parts))

    @property
    def replaced(self) -> int:
        """How many rows were given again (past many, making anew is cheaper)."""
        return len(self._replaced)

    def matching(self, text: str) -> np.ndarray:
        """True for each row one of whose parts holds `text`, ignoring case."""
        text = self.fold(text)
        if not text:
            return np.ones(self.n, bool)
        found = np.zeros(self.n, bool)
        for column, rows in self._columns:
            hits = column.hits(text)
            if rows is None:  # (the first rows, when fewer than n)
                found[: len(hits)] |= hits
            else:
                found[rows[hits]] = True
        for row, parts in self._replaced.items():
            found[row] = any(text in p for p in parts)
        return found
