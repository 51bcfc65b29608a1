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

What every store shares (rows, positions, the overlay) is in app/records/recordstore.py.
"""

from __future__ import annotations

import math
import os
import stat
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from app.records.model import Event
from app.records.recordstore import RecordStore, Strings, codes_of
from app.records.when import When, parse

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
        codes["cited"], tables["cited"] = codes_of([cited[k] for k in codes["cites"].tolist()])
        for attr in CODED[:-2]:
            codes[attr], tables[attr] = codes_of(
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


_WRITERS: list[threading.Thread] = []
_WRITERS_LOCK = threading.Lock()


def arrays_written() -> None:
    """Waits for the arrays being kept (ArraysBeside.put) to be written."""
    with _WRITERS_LOCK:
        writers = list(_WRITERS)
    for writer in writers:
        writer.join()


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
        """Kept whole or not at all (written beside, then renamed); failing is no error.
        Written on a thread of its own: a million events' lanes took 0.18 s to write, in
        the way of the first frame (numpy lets go of the GIL while it writes). The thread
        is not a daemon: a process ends once its writes are done."""
        writer = threading.Thread(target=self._write, args=(name, array), name="kept arrays")
        with _WRITERS_LOCK:
            _WRITERS[:] = [w for w in _WRITERS if w.is_alive()] + [writer]
        writer.start()

    def _write(self, name: str, array: np.ndarray) -> None:
        temp = None
        try:
            fd, temp = tempfile.mkstemp(prefix=".writing-", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                np.save(f, array, allow_pickle=False)
            os.replace(temp, self._path(name))
        except OSError:
            if temp is not None and os.path.lexists(temp):
                os.unlink(temp)


class EventStore(RecordStore):
    """The events of a project: columns read from a file, and the records edits made."""

    STRINGS, CODED = STRINGS, CODED

    key = staticmethod(coded_value)

    def __init__(self, columns: EventColumns, read_record: Callable[[str], Event]):
        super().__init__(columns, read_record)
        # Where arrays worked out from these columns are kept (the parse cache sets it).
        self.beside: ArraysBeside | None = None

    def coded(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field (CODED) of every event in order, as (codes, their values). Dates
        come as When, read once each."""
        codes, table = self.keyed(attr)
        return codes, self.read_dates(table) if attr == "when" else table

    def dates(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Each event's date, in order, as a code into the numbers of the distinct dates
        (see `date_numbers`): from the columns, without reading a date."""
        codes, texts = self.keyed("when")
        numbers = self.columns.dates
        extra = texts[len(self.columns.tables["when"]) :]
        if extra:
            more = date_numbers([parse(text) for text in extra])
            numbers = {k: np.concatenate([v, more[k]]) for k, v in numbers.items()}
        return codes, numbers

    def has_links(self) -> np.ndarray:
        """Whether each event, in order, answers earlier ones."""
        c, rows = self.columns, self._order
        out = self._taken(c.has_links, rows) if len(c) else np.zeros(len(rows), bool)
        for position, event in self._edits(rows):
            out[position] = bool(event.responds_to)
        return out


def values(records, attr: str) -> list:
    """One field of every record of a list or of every event of a store, in order
    ("cited": the sources each cites, once each)."""
    if isinstance(records, RecordStore):
        return records.values(attr)
    if attr == "cited":
        return [tuple(dict.fromkeys(c.source for c in r.cites)) for r in records]
    return [getattr(r, attr) for r in records]


@dataclass(frozen=True)
class StoreRows:
    """Each record's row in a store's columns (-1: a record edited or added), and those
    columns: rows mean something only with the columns they are rows of."""

    rows: np.ndarray
    columns: object


def ids_and_rows(records) -> tuple[list[str], StoreRows | None]:
    """Every record's id, and for a store each one's row in its columns (from the same
    reading of its order: RecordStore.ids_and_rows); None for a list."""
    if isinstance(records, RecordStore):
        ids, rows = records.ids_and_rows()
        return ids, StoreRows(rows, records.columns)
    return values(records, "id"), None


def coded_values(records, attr: str) -> tuple[np.ndarray, list]:
    """One field of every record as codes into its distinct values: a store's own, where
    it keeps the field coded (no value made a record at a time), else made here."""
    if isinstance(records, RecordStore) and attr in records.CODED:
        return records.keyed(attr)
    codes, table = codes_of(values(records, attr))
    return codes, list(table)


def date_texts(records, attr: str) -> list[str]:
    """A date field of every record, in order, as written ("" where there is none): from a
    store, without reading a date."""
    if isinstance(records, RecordStore) and attr in records.CODED:
        codes, table = records.keyed(attr)
        table = ["" if t is None else t for t in table]
        return [table[c] for c in codes.tolist()]
    return [w.text if w is not None else "" for w in values(records, attr)]


def date_starts(records, attr: str) -> list[float]:
    """The earliest instant of a date field of every record, in order (-inf where none or
    open): from a store's numbers, without reading a date."""
    if isinstance(records, EventStore) and attr == "when":
        codes, numbers = records.dates()
        lo = numbers["lo"][codes]
    elif isinstance(records, RecordStore) and f"{attr}_lo" in records.NUMBERS:
        lo = records.numbers(f"{attr}_lo")
    else:
        return [w.lo if w and w.lo is not None else -math.inf for w in values(records, attr)]
    return np.where(np.isnan(lo), -np.inf, lo).tolist()


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
    """How many records have each value of a coded field (a store's CODED): by numpy from a
    store."""
    if isinstance(events, RecordStore):
        codes, table = events.coded(attr)
        tally = np.bincount(codes, minlength=len(table)).tolist()
        return {v: n for v, n in zip(table, tally, strict=True) if n}
    return dict(Counter(getattr(e, attr) for e in events))
