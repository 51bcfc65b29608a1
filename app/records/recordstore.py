"""Records kept as columns, made one at a time when something asks for one: what the event
store (app/records/eventstore.py) and the demand store (app/records/demandstore.py) share.

A store is a MutableSequence of records, so code that iterates records works unchanged, at
the price of making each record it asks for. Its columns are read from a file and never
change: each record's text as it stands in the file, some fields as strings, and the fields
many records share as small integer codes into tables of their distinct values. Edits go to
an overlay of records by row, so a save copies an untouched record's text as it was read
(app/fileformat/canonical.py).

Rows are the records' places in the columns; positions are their places in the project's
order. A deleted record keeps its row (unused); an added one takes a new row after the
columns'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableSequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from app.records.when import When, parse


@dataclass(frozen=True, slots=True)
class Strings:
    """Many strings as one UTF-8 buffer: string i is buffer[offsets[i]:offsets[i + 1]]."""

    buffer: np.ndarray  # uint8 (a memory map, when read from the cache)
    offsets: np.ndarray  # int64, one more than there are strings

    @classmethod
    def of(cls, strings: Iterable[str]) -> Strings:
        strings = list(strings)
        joined = "".join(strings)
        if joined.isascii():  # one encode; a character is a byte
            offsets = np.zeros(len(strings) + 1, dtype=np.int64)
            np.cumsum(np.fromiter(map(len, strings), np.int64, len(strings)), out=offsets[1:])
            return cls(np.frombuffer(joined.encode("ascii"), dtype=np.uint8), offsets)
        parts = [s.encode() for s in strings]
        offsets = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in parts], out=offsets[1:])
        return cls(np.frombuffer(b"".join(parts), dtype=np.uint8), offsets)

    @classmethod
    def slices(cls, text: str, starts: np.ndarray, ends: np.ndarray) -> Strings:
        """The pieces text[starts[i]:ends[i]], which follow one another."""
        if text.isascii():
            begin = int(starts[0]) if len(starts) else 0
            end = int(ends[-1]) if len(ends) else 0
            buffer = np.frombuffer(text[begin:end].encode("ascii"), dtype=np.uint8)
            return cls(buffer, np.append(starts, end).astype(np.int64) - begin)
        return cls.of(text[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        return self.buffer[self.offsets[i] : self.offsets[i + 1]].tobytes().decode()

    def take(self, rows: np.ndarray) -> list[str]:
        """The strings at these rows: every string in one go, or only the rows' bytes
        gathered and decoded (a lane's 20,000 titles of a million)."""
        n = len(self)
        if len(rows) == n and n and rows[0] == 0 and (np.diff(rows) == 1).all():
            return self.every()
        return self._gather(rows)

    def _gather(self, rows: np.ndarray) -> list[str]:
        if not len(rows):
            return []
        o = self.offsets
        starts, lengths = o[rows], o[rows + 1] - o[rows]
        ends = np.cumsum(lengths)
        at = np.repeat(starts - (ends - lengths), lengths) + np.arange(int(ends[-1]))
        blob = self.buffer[at].tobytes()
        bounds = zip([0, *ends[:-1].tolist()], ends.tolist(), strict=True)
        if blob.isascii():  # a character a byte: slice the text
            text = blob.decode("ascii")
            return [text[a:b] for a, b in bounds]
        return [blob[a:b].decode() for a, b in bounds]

    def fixed_width(self, limit: int) -> np.ndarray | None:
        """The strings as one array of fixed-width bytes, which numpy sorts in order of the
        text (UTF-8 keeps the order of code points; a string holds no NUL), or None where
        that would take more than `limit` bytes."""
        n, o = len(self), self.offsets
        lengths = np.diff(o)
        width = max(int(lengths.max()), 1) if n else 1
        if n * width > limit:
            return None
        fixed = np.zeros((n, width), dtype=np.uint8)
        fixed[np.arange(width) < lengths[:, None]] = self.buffer[o[0] : o[-1]]  # row by row
        return fixed.view(f"S{width}").ravel()

    def every(self) -> list[str]:
        """Every string, in order: the buffer copied once with a line break after each
        string and split in C (a million ids: 0.1 s, where slicing the decoded text string
        by string took 0.3 s). Where a string holds a line break, gathered as `take` does."""
        buffer, offsets, n = np.asarray(self.buffer), self.offsets, len(self)
        if n == 0:
            return []
        if (buffer == 10).any():
            return self._gather(np.arange(n))
        joined = np.full(len(buffer) + n, 10, dtype=np.uint8)
        text = np.ones(len(joined), dtype=bool)
        text[offsets[1:] + np.arange(n)] = False  # where each string's line break goes
        joined[text] = buffer
        return joined[:-1].tobytes().decode().split("\n")


def codes_of(column: list) -> tuple[np.ndarray, tuple]:
    """A column as int32 codes into the tuple of its distinct values, in order of first use."""
    table = {v: i for i, v in enumerate(dict.fromkeys(column))}
    return np.fromiter(map(table.__getitem__, column), np.int32, len(column)), tuple(table)


def codes_by_identity(column: list) -> tuple[np.ndarray, tuple]:
    """`codes_of` for a column whose equal values are mostly the same objects (a reader's
    shared blocks): each object is looked at once, and only distinct objects are hashed."""
    code_of_id: dict[int, int] = {}
    code_of: dict = {}
    for value in {id(v): v for v in column}.values():
        code_of_id[id(value)] = code_of.setdefault(value, len(code_of))
    codes = np.fromiter(map(code_of_id.__getitem__, map(id, column)), np.int32, len(column))
    return codes, tuple(code_of)


def put_codes(codes: np.ndarray, table: list, placed) -> None:
    """Each (position, value) of `placed` coded into `codes` at its position, `table` (the
    values of the codes) growing by the values it lacks."""
    placed = list(placed)
    put_codes_at(codes, table, [p for p, _ in placed], [v for _, v in placed])


def put_codes_at(codes: np.ndarray, table: list, positions, values) -> None:
    """`values` coded into `codes` at `positions` (a few, or a step's 100,000 at once)."""
    if not len(values):
        return
    code_of = {v: i for i, v in enumerate(table)}
    for value in dict.fromkeys(values):  # each distinct value once, in order
        if value not in code_of:
            code_of[value] = len(table)
            table.append(value)
    codes[np.asarray(positions, np.intp)] = np.fromiter(map(code_of.__getitem__, values), np.int32)


KEEP_MADE = 20_000  # records kept once read: those a frame draws, many times over


class RecordStore(MutableSequence):
    """Records: columns read from a file, and the records edits made. A kind's store says
    which fields its columns hold: STRINGS (one string a record), CODED (codes into a table
    of distinct values) and NUMBERS (one float or bool a record)."""

    STRINGS: tuple[str, ...] = ("id",)
    CODED: tuple[str, ...] = ()
    NUMBERS: tuple[str, ...] = ()

    def __init__(self, columns, read_record: Callable[[str], object]):
        self.columns = columns
        self._read_record = read_record
        self._order = np.arange(len(columns), dtype=np.int64)  # position -> row
        self._read_order = self._order  # never changed in place: `is` it, it is as read
        self._edited: dict[int, object] = {}  # row -> its record since an edit
        self._next_row = len(columns)
        self._ids: list[str] | None = None
        self._ids_as_read: list[str] | None = None  # see `ids_as_read`
        self._positions: tuple[list[str], dict[str, int]] | None = None  # see `positions`
        self._changes = 0  # edits so far: what was read before one is not kept after it
        self._made: dict[int, object] = {}  # records read lately, by row (shared by copies)
        self._dates: dict[str, When] = {}  # dates read from their text, by it (shared too)

    # ------------------------------------------------------------ the sequence

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.record(int(r)) for r in self._order[i]]
        return self.record(int(self._order[i]))

    def __setitem__(self, i, value) -> None:
        self._ids, self._changes = None, self._changes + 1
        if isinstance(i, slice):  # a new order or new records: each takes a row of its own
            rows, value = list(self._order), list(value)
            rows[i] = range(self._next_row, self._next_row + len(value))  # refused as a list's
            self._order = np.array(rows, dtype=np.int64)
            for record in value:
                self._new_row(record)
            return
        self._edited[int(self._order[i])] = value

    def __delitem__(self, i) -> None:
        self._ids, self._changes = None, self._changes + 1
        self._order = np.delete(self._order, i)

    def insert(self, i: int, value) -> None:
        self.put_back([min(max(i, -len(self)), len(self))], [self._new_row(value)])

    def take(self, positions: list[int]) -> np.ndarray:
        """The records at these positions (ascending) taken out in one go, as their rows."""
        rows = self._order[positions]
        del self[positions]
        return rows

    def put_back(self, positions: list[int], rows) -> None:
        """Rows put at these positions, in one go: those `take` took from there (each as it
        was: a record read from the columns stays so, no record made), or new ones."""
        self._ids, self._changes = None, self._changes + 1
        at = np.asarray(positions, np.int64) - np.arange(len(positions))
        order, as_read = np.insert(self._order, at, np.asarray(rows, np.int64)), self._read_order
        self._order = as_read if np.array_equal(order, as_read) else order  # `is` as read

    def swap(self, positions: list[int], records: list) -> list:
        """Records with the same ids put at these positions in one go, and what each held:
        its edited record, or the row whose record as read stood there. Swapped back, such
        a row is as read again (its text in the file stands); a record taken out and put
        back since (a new row) gets that row's record."""
        self._changes += 1
        edited, rows = self._edited, self._order[positions].tolist()
        held = [edited.pop(row, row) for row in rows]
        for row, record in zip(rows, records, strict=True):
            if type(record) is not int:
                edited[row] = record
            elif record != row:
                edited[row] = self.original(record)
        return held

    def insert_many(self, places: list[tuple[int, object]]) -> None:
        """Records put at their positions, as they stood before `del store[positions]`."""
        self.put_back([i for i, _ in places], [self._new_row(r) for _, r in places])

    def extend(self, values) -> None:
        """Records added at the end in one go (added one at a time, each copied the whole
        order: an import of thousands into a big project took minutes)."""
        values = list(values)
        if values:
            self._ids, self._changes = None, self._changes + 1
            added = np.array([self._new_row(v) for v in values], dtype=np.int64)
            self._order = np.concatenate([self._order, added])

    def __iter__(self):
        # `record(r)` for each row, its usual cases here rather than in two calls a record
        # (a diff of two 10,000-event projects spent most of its time in those calls).
        edited, made, read = self._edited, self._made, len(self.columns)
        for r in self._order.tolist():
            found = edited.get(r)
            if found is None and r < read:
                found = made.get(r)
            yield found if found is not None else self.original(r)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (list, RecordStore)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)} records, {len(self._edited)} edited>"

    def copy(self) -> RecordStore:
        """Another store of the same records: the columns are shared (they never change)."""
        other = type(self)(self.columns, self._read_record)
        other._order, other._edited = self._order.copy(), dict(self._edited)
        other._next_row, other._made, other._dates = self._next_row, self._made, self._dates
        return other

    __copy__ = copy

    def __deepcopy__(self, memo) -> RecordStore:
        return self.copy()  # records are frozen: sharing them is a deep copy

    def __reduce__(self):
        return list, (list(self),)  # pickled (for a worker process) as the plain list

    def _new_row(self, record) -> int:
        row, self._next_row = self._next_row, self._next_row + 1
        self._edited[row] = record
        return row

    # ------------------------------------------------------------ rows

    def record(self, row: int):
        """The record at a row: as edited, else read from its text."""
        edited = self._edited.get(row)
        return edited if edited is not None else self.original(row)

    def original(self, row: int):
        """The record at a row as it was read, before any later edit (a row added after the
        columns': its record now). The last records read are kept (each frame asks again
        for the ones whose titles it draws)."""
        if row >= len(self.columns):
            return self._edited[row]
        made = self._made.get(row)
        if made is None:
            if len(self._made) >= KEEP_MADE:
                self._made.clear()
            made = self._made[row] = self._read_record(self.columns.texts[row])
        return made

    def originals(self, rows: list[int]) -> list:
        """`original` of each of these rows, in one call (a frame's labels)."""
        read, made, edited = len(self.columns), self._made, self._edited
        out = []
        for row in rows:
            record = made.get(row) if row < read else edited[row]
            out.append(self.original(row) if record is None else record)
        return out

    @property
    def rows(self) -> np.ndarray:
        """Each position's row (do not change it)."""
        return self._order

    def as_read(self) -> bool:
        """Whether the store holds its columns' records as they were read, and only them."""
        if self._untouched(self._order):
            return True
        return (
            not self._edited
            and len(self) == len(self.columns)
            and bool(np.array_equal(self._order, np.arange(len(self.columns))))
        )

    def untouched(self, row: int) -> bool:
        """Whether the row's record is as read, so its text in the file still stands."""
        return row not in self._edited

    def edited_positions(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The positions whose record is not the columns' (edited or added)."""
        rows = self._order if rows is None else rows
        if self._untouched(rows):
            return np.empty(0, dtype=np.intp)
        return np.flatnonzero((rows >= len(self.columns)) | np.isin(rows, list(self._edited)))

    # A field of every record reads the order once (`rows`): a worker thread reading a
    # field while the window edits gets the order of one moment, not a mix of two.

    def _untouched(self, rows: np.ndarray) -> bool:
        """Whether `rows` (the order, read once) is the order as read, no record edited."""
        return rows is self._read_order and not self._edited

    def _taken(self, column, rows: np.ndarray):
        """A column (an array, or Strings) at each position's row (0 for rows after the
        columns): the whole column, copied, where `rows` is still the order as read (a
        million rows gathered took 10 ms a column)."""
        if rows is self._read_order:
            return column.every() if isinstance(column, Strings) else np.array(column)
        at = np.where(rows < len(self.columns), rows, 0)
        return column.take(at) if isinstance(column, Strings) else column[at]

    def _edits(self, rows: np.ndarray):
        """(position, record) for each record not the columns'."""
        for position in self.edited_positions(rows).tolist():
            yield position, self._edited[int(rows[position])]

    # ------------------------------------------------------------ fields, in order

    def ids(self) -> list[str]:
        """Every record's id, in order: kept until the next change (do not change it)."""
        ids, changes = self._ids, self._changes
        if ids is None:
            ids = self.ids_as_read() if self._untouched(self._order) else self._strings("id")
            if self._changes == changes:  # not kept if an edit came meanwhile (a worker)
                self._ids = ids
        return ids

    def ids_as_read(self) -> list[str]:
        """The columns' ids in their order, which are the ids while the store is as read:
        one list, kept (and shared by whoever looks ids up by it: `positions`)."""
        if self._ids_as_read is None:
            self._ids_as_read = self.columns.strings["id"].every() if len(self.columns) else []
        return self._ids_as_read

    def positions(self, ids: list[str] | None = None) -> dict[str, int]:
        """Each id's position in `ids`, a list `ids()` gave (by default, the ids now): made
        once for that list and shared by whoever asks with it, the document's look-up and
        the chart's (a dict of a million ids took the first edit 0.3 s more)."""
        ids = self.ids() if ids is None else ids
        made = self._positions
        if made is None or made[0] is not ids:
            made = self._positions = (ids, dict(zip(ids, range(len(ids)), strict=True)))
        return made[1]

    def ids_and_rows(self) -> tuple[list[str], np.ndarray]:
        """Every record's id in order, and each one's row in the columns (-1 where its
        record is not the columns': edited or added), from one reading of the order."""
        rows = self._order
        ids = self.ids_as_read() if self._untouched(rows) else self._strings("id", rows)
        column_rows = rows.astype(np.int64)
        column_rows[self.edited_positions(rows)] = -1
        return ids, column_rows

    def _strings(self, attr: str, rows: np.ndarray | None = None) -> list[str]:
        c, rows = self.columns, self._order if rows is None else rows
        out = self._taken(c.strings[attr], rows) if len(c) else [""] * len(rows)
        for position, record in self._edits(rows):
            out[position] = getattr(record, attr)
        return out

    @staticmethod
    def key(record, attr: str):
        """The value a record has in a coded column (a kind's store says otherwise)."""
        return getattr(record, attr)

    def read_dates(self, texts) -> list[When | None]:
        """Dates from their texts (None stays None), each read once for the store."""
        read = self._dates
        return [None if t is None else read.get(t) or read.setdefault(t, parse(t)) for t in texts]

    def keyed(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field of every record in order, as codes into its table of keys (dates
        as their text): the columns', with each edited or added record's put in its place
        (the table grows as needed)."""
        c, rows = self.columns, self._order
        codes = self._taken(c.codes[attr], rows) if len(c) else np.zeros(len(rows), np.int32)
        table = list(c.tables[attr])
        positions = self.edited_positions(rows)
        edited = map(self._edited.__getitem__, rows[positions].tolist())
        put_codes_at(codes, table, positions, list(map(self.key, edited, repeat(attr))))
        return codes, table

    def coded(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field (CODED) of every record in order, as (codes, their values)."""
        return self.keyed(attr)

    def number(self, record, attr: str):
        """The value a record has in a column of NUMBERS."""
        return getattr(record, attr)

    def numbers(self, attr: str) -> np.ndarray:
        """A field of NUMBERS for every record, in order."""
        c, rows = self.columns, self._order
        column = c.numbers[attr]
        out = self._taken(column, rows) if len(c) else np.zeros(len(rows), column.dtype)
        for position, record in self._edits(rows):
            out[position] = self.number(record, attr)
        return out

    def values(self, attr: str) -> list:
        """One field of every record, in order: from the columns where they hold it."""
        if attr in self.STRINGS:
            return self.ids() if attr == "id" else self._strings(attr)
        if attr in self.CODED:
            codes, table = self.coded(attr)
            return [table[c] for c in codes.tolist()]
        return [self.key(r, attr) for r in self]


def as_written(store: RecordStore):
    """In order: each run of records no edit touched, standing one after another in the
    file, as the bytes of their text there (a view, not a copy), and each edited or added
    record as itself. A save of an untouched store is one run."""
    c, rows = store.columns, store._order
    ok = rows < len(c)
    if store._edited:
        ok &= ~np.isin(rows, list(store._edited))
    follows = np.zeros(len(rows), dtype=bool)
    follows[1:] = (rows[1:] == rows[:-1] + 1) & ok[1:] & ok[:-1]
    starts = np.flatnonzero(~follows).tolist()
    offsets = c.texts.offsets
    for start, stop in zip(starts, [*starts[1:], len(rows)], strict=True):
        if ok[start]:
            yield c.texts.buffer[offsets[rows[start]] : offsets[rows[stop - 1] + 1]]
        else:
            yield store._edited[int(rows[start])]
