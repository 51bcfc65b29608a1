"""A lane's events as the lanes built from an EventStore hold them: rows of its columns
until an edit, records made only when asked for."""

from __future__ import annotations

from collections.abc import MutableSequence

import numpy as np

from app.records.eventstore import CODED, EventStore
from app.records.model import Event
from app.records.recordstore import codes_of, put_codes


class LaneRecords(MutableSequence):
    """One lane's events, in the lane's order, for a lane built from an EventStore: each
    item is a row of the store's columns (the event as read) or an Event (taken in after an
    edit), so a lane of 100,000 events costs a list of ints and no record is made until
    one is asked for."""

    def __init__(self, store: EventStore, refs: list | None, rows: np.ndarray | None = None):
        """`refs` None: every event is a row of the columns, the `rows` given (the list of
        refs is made at the first change: a million ints cost a first frame 36 MB)."""
        self.store, self._refs = store, refs
        # Each ref's row, -1 for a record: given by the lane's maker, or made once, and
        # kept in step with the refs by each change (an edit changes one or two of them).
        self._rows = rows

    @property
    def refs(self) -> list:
        if self._refs is None:
            self._refs = self._rows.tolist()
        return self._refs

    def __len__(self) -> int:
        return len(self._rows) if self._refs is None else len(self._refs)

    def __getitem__(self, k):
        if self._refs is None:  # rows only
            if isinstance(k, slice):
                return [self.store.original(r) for r in self._rows[k].tolist()]
            return self.store.original(int(self._rows[k]))
        if isinstance(k, slice):
            return [self._record(r) for r in self._refs[k]]
        return self._record(self._refs[k])

    def records(self, ks: list[int]) -> list[Event]:
        """The events at lane indices `ks` (a frame's labels: one look-up each)."""
        if self._refs is None:
            return self.store.originals(self._rows[ks].tolist())
        return [self._record(self._refs[k]) for k in ks]

    def _record(self, ref) -> Event:
        return self.store.original(ref) if isinstance(ref, int) else ref

    def __setitem__(self, k, value) -> None:
        self.refs[k] = value
        if isinstance(k, slice):
            self._rows = None
        elif self._rows is not None:
            self._rows[k] = _row_of(value)

    def __delitem__(self, k) -> None:
        del self.refs[k]
        if isinstance(k, slice):
            self._rows = None
        elif self._rows is not None:
            self._rows = np.delete(self._rows, k)

    def insert(self, k: int, value) -> None:
        if self._rows is not None:  # where list.insert puts it
            n = len(self.refs)
            at = min(max(k + n if k < 0 else k, 0), n)
            self._rows = np.insert(self._rows, at, _row_of(value))
        self.refs.insert(k, value)

    def copy(self) -> LaneRecords:
        rows = None if self._rows is None else self._rows.copy()
        return LaneRecords(self.store, None if self._refs is None else list(self._refs), rows)

    def rows(self) -> np.ndarray:
        """Each event's row in the store's columns, or -1 where it is a record."""
        if self._rows is None:
            self._rows = np.fromiter(map(_row_of, self.refs), np.int64, len(self.refs))
        return self._rows

    def most_bytes(self, attr: str) -> int:
        """The most bytes a string field takes (UTF-8) among the events: from the columns'
        offsets, no string made (a bound on its characters)."""
        rows, c = self.rows(), self.store.columns
        read = rows[rows >= 0]
        offsets = c.strings[attr].offsets if len(c) else np.zeros(1, np.int64)
        most = int((offsets[read + 1] - offsets[read]).max()) if len(read) else 0
        for k in np.flatnonzero(rows < 0).tolist():  # records taken in after an edit
            most = max(most, len(getattr(self.refs[k], attr).encode("utf-8", "surrogatepass")))
        return most

    def field(self, attr: str, ks) -> list:
        """A field of the events at lane indices `ks`: from the columns where they hold it."""
        c = self.store.columns
        ks = np.asarray(ks, dtype=np.intp)
        rows = self.rows()[ks]
        if attr in ("title", "id"):
            out = c.strings[attr].take(np.maximum(rows, 0)) if len(c) else [""] * len(ks)
        elif attr in CODED and attr not in ("when", "cited"):
            table = c.tables[attr]
            out = [table[code] for code in c.codes[attr][np.maximum(rows, 0)].tolist()]
        else:
            return [getattr(self[k], attr) for k in ks.tolist()]
        for i in np.flatnonzero(rows < 0).tolist():  # records taken in after an edit
            out[i] = getattr(self.refs[ks[i]], attr)
        return out

    def coded(self, attr: str, ks) -> tuple[np.ndarray, list]:
        """A coded field (CODED, not dates) of the events at lane indices `ks`, as codes
        into a table of its values: the columns' codes, and new ones for records."""
        c = self.store.columns
        ks = np.asarray(ks, dtype=np.intp)
        rows = self.rows()[ks]
        if not len(c):
            return _coded([getattr(self.refs[k], attr) for k in ks.tolist()])
        codes = c.codes[attr][np.maximum(rows, 0)].astype(np.intp)
        table = list(c.tables[attr])
        taken = np.flatnonzero(rows < 0).tolist()  # records taken in since the columns
        put_codes(codes, table, ((i, getattr(self.refs[ks[i]], attr)) for i in taken))
        return codes, table

    def has_links(self) -> np.ndarray:
        """Whether each event of the lane answers earlier ones."""
        rows = self.rows()
        out = self.store.columns.has_links[np.maximum(rows, 0)]
        for k in np.flatnonzero(rows < 0).tolist():
            out[k] = bool(self.refs[k].responds_to)
        return out


def ids_at(store, positions: np.ndarray) -> list[str]:
    """The ids of a store's events at these positions, from its columns where untouched."""
    rows = store.rows[positions]
    read = len(store.columns)
    out = store.columns.strings["id"].take(np.where(rows < read, rows, 0)) if read else []
    out = out or [""] * len(rows)
    for i, row in enumerate(rows.tolist()):
        if row >= read or not store.untouched(row):
            out[i] = store.record(row).id
    return out


def _row_of(ref) -> int:
    return ref if isinstance(ref, int) else -1


def _coded(column: list) -> tuple[np.ndarray, list]:
    codes, table = codes_of(column)
    return codes.astype(np.intp), list(table)


def coded(events, attr: str, ks) -> tuple[np.ndarray, list]:
    """A coded field of the events at indices `ks` of a list or a LaneRecords, as (codes,
    their values): for a LaneRecords, the store's codes, without making a record."""
    if isinstance(events, LaneRecords):
        return events.coded(attr, ks)
    return _coded([getattr(events[k], attr) for k in ks])


def records(events, ks: list[int]) -> list[Event]:
    """The events at indices `ks` of a list or a LaneRecords."""
    if isinstance(events, LaneRecords):
        return events.records(ks)
    return [events[k] for k in ks]


def field(events, attr: str, ks) -> list:
    """A field of the events at indices `ks` of a list or a LaneRecords."""
    if isinstance(events, LaneRecords):
        return events.field(attr, ks)
    return [getattr(events[k], attr) for k in ks]
