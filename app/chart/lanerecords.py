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

    def __len__(self) -> int:
        return len(self.refs)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._record(r) for r in self.refs[k]]
        return self._record(self.refs[k])

    def _record(self, ref) -> Event:
        return self.store.original(ref) if isinstance(ref, int) else ref

    def __setitem__(self, k, value) -> None:
        self.refs[k] = value

    def __delitem__(self, k) -> None:
        del self.refs[k]

    def insert(self, k: int, value) -> None:
        self.refs.insert(k, value)

    def copy(self) -> LaneRecords:
        return LaneRecords(self.store, list(self.refs))

    def field(self, attr: str, ks) -> list:
        """A field of the events at lane indices `ks`: from the columns where they hold it."""
        c = self.store.columns
        if attr == "title":
            return [
                c.strings["title"][r] if isinstance(r, int) else r.title
                for r in map(self.refs.__getitem__, ks)
            ]
        if attr in CODED and attr not in ("when", "cited"):
            codes, table = c.codes[attr], c.tables[attr]
            return [
                table[codes[r]] if isinstance(r, int) else getattr(r, attr)
                for r in map(self.refs.__getitem__, ks)
            ]
        return [getattr(self[k], attr) for k in ks]

    def has_links(self) -> np.ndarray:
        """Whether each event of the lane answers earlier ones."""
        links = self.store.columns.has_links
        return np.fromiter(
            (links[r] if isinstance(r, int) else bool(r.responds_to) for r in self.refs),
            bool,
            len(self.refs),
        )


def field(events, attr: str, ks) -> list:
    """A field of the events at indices `ks` of a list or a LaneRecords."""
    if isinstance(events, LaneRecords):
        return events.field(attr, ks)
    return [getattr(events[k], attr) for k in ks]
