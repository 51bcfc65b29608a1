"""A lane's events as the lanes built from an EventStore hold them: rows of its columns
until an edit, records made only when asked for."""

from __future__ import annotations

from collections.abc import MutableSequence

import numpy as np

from app.records.eventstore import CODED, EventStore
from app.records.model import Event


class LaneRecords(MutableSequence):
    """One lane's events, in the lane's order, for a lane built from an EventStore: each
    item is a row of the store's columns (the event as read) or an Event (taken in after an
    edit), so a lane of 100,000 events costs a list of ints and no record is made until
    one is asked for."""

    def __init__(self, store: EventStore, refs: list):
        self.store, self.refs = store, refs
        self._rows: np.ndarray | None = None  # each ref's row, -1 for a record: made once

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._record(r) for r in self.refs[k]]
        return self._record(self.refs[k])

    def _record(self, ref) -> Event:
        return self.store.original(ref) if isinstance(ref, int) else ref

    def __setitem__(self, k, value) -> None:
        self.refs[k], self._rows = value, None

    def __delitem__(self, k) -> None:
        del self.refs[k]
        self._rows = None

    def insert(self, k: int, value) -> None:
        self.refs.insert(k, value)
        self._rows = None

    def copy(self) -> LaneRecords:
        return LaneRecords(self.store, list(self.refs))

    def rows(self) -> np.ndarray:
        """Each event's row in the store's columns, or -1 where it is a record."""
        if self._rows is None:
            self._rows = np.fromiter(
                (r if isinstance(r, int) else -1 for r in self.refs), np.int64, len(self.refs)
            )
        return self._rows

    def field(self, attr: str, ks) -> list:
        """A field of the events at lane indices `ks`: from the columns where they hold it."""
        c = self.store.columns
        ks = np.asarray(ks, dtype=np.intp)
        rows = self.rows()[ks]
        if attr == "title":
            out = c.strings["title"].take(np.maximum(rows, 0)) if len(c) else [""] * len(ks)
        elif attr in CODED and attr not in ("when", "cited"):
            table = c.tables[attr]
            out = [table[code] for code in c.codes[attr][np.maximum(rows, 0)].tolist()]
        else:
            return [getattr(self[k], attr) for k in ks.tolist()]
        for i in np.flatnonzero(rows < 0).tolist():  # records taken in after an edit
            out[i] = getattr(self.refs[ks[i]], attr)
        return out

    def has_links(self) -> np.ndarray:
        """Whether each event of the lane answers earlier ones."""
        rows = self.rows()
        out = self.store.columns.has_links[np.maximum(rows, 0)]
        for k in np.flatnonzero(rows < 0).tolist():
            out[k] = bool(self.refs[k].responds_to)
        return out


def field(events, attr: str, ks) -> list:
    """A field of the events at indices `ks` of a list or a LaneRecords."""
    if isinstance(events, LaneRecords):
        return events.field(attr, ks)
    return [getattr(events[k], attr) for k in ks]
