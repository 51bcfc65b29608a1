"""A project's events as columns: numpy arrays per field, strings as one buffer with offsets,
and a record made only when something asks for one (the inspector, an edit, an export).

    store = EventStore(columns, read_record)   # made by the file reader, or from its cache
    store[i]                                   # the Event at position i, read from its text
    store[i] = changed                         # an edit: kept beside the columns
    store.coded("actor")                       # one field of every event, as codes

The columns hold each event's text as it stands in the project file; its id, title and
text as strings; and the fields many events share (actor, date, type, label, `with`
actors, tags, citations) as small integer codes into tables of their distinct values: a
project of 100,000 events has about 17,000 distinct dates and 50 actors. Each distinct
date's numbers (earliest, latest, range, fuzzy, coarse) are kept beside it, so lanes are
laid out without reading a date. Edits go to an overlay of records by row; the columns
never change, so a save copies an untouched event's text as it was read
(app/fileformat/canonical.py).

Rows are the events' places in the columns; positions are their places in the project's
order. A deleted event keeps its row (unused); an added one takes a new row after the
columns'. The store is a MutableSequence, so code that iterates events works unchanged,
at the price of making each record it asks for.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, MutableSequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from app.records.model import Event
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
        """The strings at these rows, in one decode where the buffer is plain ASCII."""
        o = self.offsets
        if len(rows) > 64 and _ascii(self.buffer):
            text = self.buffer.tobytes().decode("ascii")
            return [text[a:b] for a, b in zip(o[rows].tolist(), o[rows + 1].tolist(), strict=True)]
        return [self[int(r)] for r in rows]


def _ascii(buffer: np.ndarray) -> bool:
    return not len(buffer) or int(buffer.max()) < 0x80


# The fields kept as codes into a table of their distinct values, for every event at once
# (records share them: 100,000 events have about 17,000 distinct dates and 50 actors);
# "cited" is the sources an event cites, each once. A date is coded by its text.
CODED = ("actor", "when", "type", "label", "with_", "tags", "cites", "cited")  # cites last
STRINGS = ("id", "title", "text")  # the fields kept as strings, one each


def coded_value(event: Event, attr: str):
    """The value an event has in a coded column."""
    if attr == "when":
        return event.when.text
    if attr == "cited":
        return tuple(dict.fromkeys(c.source for c in event.cites))
    return getattr(event, attr)


@dataclass(frozen=True, slots=True)
class EventColumns:
    """The events as read from a file; never changed afterwards."""

    strings: dict[str, Strings]  # by field in STRINGS
    texts: Strings  # each event's record as written in the file
    codes: dict[str, np.ndarray]  # by field in CODED: int32 codes into `tables`
    tables: dict[str, tuple]  # by field: its distinct values (dates as their text)
    has_links: np.ndarray  # bool: it answers earlier events (`responds_to`)
    dates: dict[str, np.ndarray]  # the numbers of the distinct dates (`date_numbers`)

    def __len__(self) -> int:
        return len(self.has_links)

    @classmethod
    def of(cls, events: list[Event], texts: Strings) -> EventColumns:
        """The columns of records just read, whose texts are `texts`."""
        codes, tables = {}, {}
        # The reader shares equal citation blocks: each distinct one is looked at once, by
        # identity (a Cite's own hash is slow Python).
        every = list(map(_CITES, events))
        distinct = {id(c): c for c in every}
        at = {k: i for i, k in enumerate(distinct)}
        codes["cites"] = np.fromiter(map(at.__getitem__, map(id, every)), np.int32, len(every))
        tables["cites"] = tuple(distinct.values())
        cited = [tuple(dict.fromkeys(x.source for x in c)) for c in tables["cites"]]
        codes["cited"], tables["cited"] = _codes([cited[k] for k in codes["cites"].tolist()])
        for attr in CODED[:-2]:
            codes[attr], tables[attr] = _codes(
                list(map(_GETTERS.get(attr) or attrgetter(attr), events))
            )
        # Each date's When by its text, to take its numbers from (records share their dates).
        whens = {id(w): w for w in map(_WHEN, events)}.values()
        first = {w.text: w for w in whens}
        return cls(
            strings={attr: Strings.of(map(attrgetter(attr), events)) for attr in STRINGS},
            texts=texts,
            codes=codes,
            tables=tables,
            has_links=np.fromiter(map(bool, map(_LINKS, events)), bool, len(events)),
            dates=date_numbers([first[text] for text in tables["when"]]),
        )


DATE_NUMBERS = ("lo", "hi", "is_range", "fuzzy", "coarse")
_COARSE = ("year", "month")


def date_numbers(whens: list[When]) -> dict[str, np.ndarray]:
    """What the chart needs of each date: its earliest and latest instant (NaN where a range
    is open), whether it is a range, approximate or uncertain, and coarser than a day."""
    return {
        "lo": np.array([np.nan if w.lo is None else w.lo for w in whens], dtype=float),
        "hi": np.array([np.nan if w.hi is None else w.hi for w in whens], dtype=float),
        "is_range": np.array([w.is_range for w in whens], dtype=bool),
        "fuzzy": np.array([w.fuzzy for w in whens], dtype=bool),
        "coarse": np.array(
            [not w.is_range and w.start.precision in _COARSE for w in whens], dtype=bool
        ),
    }


_CITES, _LINKS, _WHEN = attrgetter("cites"), attrgetter("responds_to"), attrgetter("when")
_GETTERS = {"when": attrgetter("when.text")}


def _codes(column: list) -> tuple[np.ndarray, tuple]:
    table = {v: i for i, v in enumerate(dict.fromkeys(column))}
    return np.fromiter(map(table.__getitem__, column), np.int32, len(column)), tuple(table)


class ArraysBeside:
    """Arrays worked out from a file's columns (a lane's order and rows), kept in the cache
    folder beside its parse under the file's key, so the next open maps them instead of
    working them out. A kept array is only a hint: its user checks it before use."""

    def __init__(self, folder: str, key: str):
        self.folder, self.key = folder, key

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, f"{self.key}.{name}.npy")

    def get(self, name: str) -> np.ndarray | None:
        path = self._path(name)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None
            return np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError):
            return None

    def put(self, name: str, array: np.ndarray) -> None:
        """Kept whole or not at all (written beside, then renamed); failing is no error."""
        temp = None
        try:
            fd, temp = tempfile.mkstemp(prefix=".writing-", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                np.save(f, array, allow_pickle=False)
            os.replace(temp, self._path(name))
        except OSError:
            if temp is not None and os.path.lexists(temp):
                os.unlink(temp)


KEEP_MADE = 20_000  # records kept once read: those a frame draws, many times over


class EventStore(MutableSequence):
    """The events of a project: columns read from a file, and the records edits made."""

    def __init__(self, columns: EventColumns, read_record: Callable[[str], Event]):
        self.columns = columns
        self._read_record = read_record
        self._order = np.arange(len(columns), dtype=np.int64)  # position -> row
        self._edited: dict[int, Event] = {}  # row -> its record since an edit
        self._next_row = len(columns)
        self._whens: list[When] | None = None
        self._ids: list[str] | None = None
        self._made: dict[int, Event] = {}  # records read lately, by row (shared by copies)
        # Where arrays worked out from these columns are kept (the parse cache sets it).
        self.beside: ArraysBeside | None = None

    # ------------------------------------------------------------ the sequence

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.record(int(r)) for r in self._order[i]]
        return self.record(int(self._order[i]))

    def __setitem__(self, i, value) -> None:
        self._ids = None
        if isinstance(i, slice):  # a new order or new records: each takes a row of its own
            rows, value = list(self._order), list(value)
            rows[i] = range(self._next_row, self._next_row + len(value))  # refused as a list's
            self._order = np.array(rows, dtype=np.int64)
            for e in value:
                self._new_row(e)
            return
        self._edited[int(self._order[i])] = value

    def __delitem__(self, i) -> None:
        self._ids = None
        self._order = np.delete(self._order, i)

    def insert(self, i: int, value: Event) -> None:
        self._ids = None
        self._order = np.insert(
            self._order, min(max(i, -len(self)), len(self)), self._new_row(value)
        )

    def __iter__(self):
        for r in self._order.tolist():
            yield self.record(r)

    def __eq__(self, other) -> bool:
        if not isinstance(other, (list, EventStore)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"<EventStore of {len(self)} events, {len(self._edited)} edited>"

    def copy(self) -> EventStore:
        """Another store of the same events: the columns are shared (they never change)."""
        other = EventStore(self.columns, self._read_record)
        other._order, other._edited = self._order.copy(), dict(self._edited)
        other._next_row, other._whens, other._made = self._next_row, self._whens, self._made
        return other

    __copy__ = copy

    def __deepcopy__(self, memo) -> EventStore:
        return self.copy()  # records are frozen: sharing them is a deep copy

    def __reduce__(self):
        return list, (list(self),)  # pickled (for a worker process) as the plain list

    def _new_row(self, event: Event) -> int:
        row, self._next_row = self._next_row, self._next_row + 1
        self._edited[row] = event
        return row

    # ------------------------------------------------------------ rows

    def record(self, row: int) -> Event:
        """The event at a row: as edited, else read from its text."""
        edited = self._edited.get(row)
        return edited if edited is not None else self.original(row)

    def original(self, row: int) -> Event:
        """The event at a row as it was read (or added), before any later edit. The last
        records read are kept (each frame asks again for the events whose titles it draws)."""
        if row >= len(self.columns):
            return self._edited[row]
        made = self._made.get(row)
        if made is None:
            if len(self._made) >= KEEP_MADE:
                self._made.clear()
            made = self._made[row] = self._read_record(self.columns.texts[row])
        return made

    def row_at(self, position: int) -> int:
        return int(self._order[position])

    @property
    def rows(self) -> np.ndarray:
        """Each position's row (do not change it)."""
        return self._order

    def as_read(self) -> bool:
        """Whether the store holds its columns' events as they were read, and only them."""
        return (
            not self._edited
            and len(self) == len(self.columns)
            and bool(np.array_equal(self._order, np.arange(len(self.columns))))
        )

    def as_written(self):
        """In order: each run of events no edit touched, standing one after another in the
        file, as the bytes of their text there (a view, not a copy), and each edited or added
        event as its record. A save of an untouched store is one run."""
        c, rows = self.columns, self._order
        ok = rows < len(c)
        if self._edited:
            ok &= ~np.isin(rows, list(self._edited))
        follows = np.zeros(len(rows), dtype=bool)
        follows[1:] = (rows[1:] == rows[:-1] + 1) & ok[1:] & ok[:-1]
        starts = np.flatnonzero(~follows).tolist()
        offsets = c.texts.offsets
        for start, stop in zip(starts, [*starts[1:], len(rows)], strict=True):
            if ok[start]:
                yield c.texts.buffer[offsets[rows[start]] : offsets[rows[stop - 1] + 1]]
            else:
                yield self._edited[int(rows[start])]

    def untouched(self, row: int) -> bool:
        """Whether the row's event is as read, so its text in the file still stands."""
        return row not in self._edited

    def ids(self) -> list[str]:
        """Every event's id, in order: kept until the next change (do not change it)."""
        if self._ids is None:
            self._ids = self._strings("id")
        return self._ids

    def _strings(self, attr: str) -> list[str]:
        c, rows = self.columns, self._order
        out = c.strings[attr].take(self._at()) if len(c) else [""] * len(rows)
        for position in self.edited_positions().tolist():
            out[position] = getattr(self._edited[int(rows[position])], attr)
        return out

    def edited_positions(self) -> np.ndarray:
        """The positions whose record is not the columns' (edited or added)."""
        rows = self._order
        return np.flatnonzero((rows >= len(self.columns)) | np.isin(rows, list(self._edited)))

    def when_table(self) -> list[When]:
        """The columns' distinct dates, read once (when a filter or a list asks for them)."""
        if self._whens is None:
            self._whens = [parse(text) for text in self.columns.tables["when"]]
        return self._whens

    def _at(self) -> np.ndarray:
        """Each position's row in the columns (0 for rows after them)."""
        return np.where(self._order < len(self.columns), self._order, 0)

    def _keys(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field of every event in order, as codes into its table (dates as their
        text): the columns', with each edited or added record's put in its place (the
        table grows as needed)."""
        c, rows = self.columns, self._order
        codes = c.codes[attr][self._at()] if len(c) else np.zeros(len(rows), np.int32)
        table = list(c.tables[attr])
        changed = self.edited_positions()
        if len(changed):
            code_of = {v: i for i, v in enumerate(table)}
            for position in changed.tolist():
                key = coded_value(self._edited[int(rows[position])], attr)
                code = code_of.get(key)
                if code is None:
                    code = code_of[key] = len(table)
                    table.append(key)
                codes[position] = code
        return codes, table

    def coded(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field (CODED) of every event in order, as (codes, their values). Dates
        come as When, read once each."""
        codes, table = self._keys(attr)
        if attr == "when":
            known = self.when_table()
            table = known + [parse(text) for text in table[len(known) :]]
        return codes, table

    def dates(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Each event's date, in order, as a code into the numbers of the distinct dates
        (see `date_numbers`): from the columns, without reading a date."""
        codes, texts = self._keys("when")
        numbers = self.columns.dates
        extra = texts[len(self.columns.tables["when"]) :]
        if extra:
            more = date_numbers([parse(text) for text in extra])
            numbers = {k: np.concatenate([v, more[k]]) for k, v in numbers.items()}
        return codes, numbers

    def values(self, attr: str) -> list:
        """One field of every event, in order: from the columns where they hold it."""
        if attr in STRINGS:
            return self.ids() if attr == "id" else self._strings(attr)
        if attr in CODED:
            codes, table = self.coded(attr)
            return [table[c] for c in codes.tolist()]
        return [getattr(e, attr) for e in self]

    def has_links(self) -> np.ndarray:
        """Whether each event, in order, answers earlier ones."""
        c, rows = self.columns, self._order
        out = c.has_links[self._at()] if len(c) else np.zeros(len(rows), bool)
        for position in self.edited_positions().tolist():
            out[position] = bool(self._edited[int(rows[position])].responds_to)
        return out


def values(records, attr: str) -> list:
    """One field of every record of a list or of every event of a store, in order
    ("cited": the sources each cites, once each)."""
    if isinstance(records, EventStore):
        return records.values(attr)
    if attr == "cited":
        return [coded_value(r, attr) for r in records]
    return [getattr(r, attr) for r in records]


def linked(events) -> list[Event]:
    """The events that answer earlier ones: from a store, only those are made."""
    if isinstance(events, EventStore):
        return [events[i] for i in np.flatnonzero(events.has_links()).tolist()]
    return [e for e in events if e.responds_to]


# The fields by which an event names another record (the spec's references; a test holds
# the two alike): its actor, the actors `with` it, the sources it cites, the events it answers.
NAMING = ("actor", "with_", "cites", "responds_to")


def naming(events, record_id: str) -> list[Event]:
    """The events that may name `record_id` in a field of NAMING: from a store, only those
    its columns say name it are made (the rest are not read from their text)."""
    if not isinstance(events, EventStore):
        return list(events)
    maybe = events.has_links()
    for attr in ("actor", "with_", "cited"):
        codes, table = events.coded(attr)
        hits = [i for i, v in enumerate(table) if v == record_id or record_id in v]
        if hits:
            maybe |= np.isin(codes, hits)
    return [events[i] for i in np.flatnonzero(maybe).tolist()]


def counts(events, attr: str) -> dict:
    """How many events have each value of a coded field (CODED): by numpy from a store."""
    if isinstance(events, EventStore):
        codes, table = events.coded(attr)
        tally = np.bincount(codes, minlength=len(table)).tolist()
        return {v: n for v, n in zip(table, tally, strict=True) if n}
    return dict(Counter(getattr(e, attr) for e in events))
