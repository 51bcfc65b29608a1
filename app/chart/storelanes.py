"""Lanes built from an EventStore's columns (app/records/eventstore.py): every event's
dates, mark and `with` flag are taken from tables of distinct values by numpy, and no
record is made. The lanes are the same as `build_lane_events` makes from records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.chart.laneevents import LaneEvents, mark_kind, stack_rows
from app.records.eventstore import EventStore, LaneRecords


@dataclass(slots=True)
class StoreColumns:
    """What the lanes need of every event of a store, in the store's order."""

    store: EventStore
    rows: np.ndarray  # each position's row in the store, when these columns were taken
    ids: np.ndarray  # object
    actor: np.ndarray  # codes into `actors`
    actors: list[str]
    columns: dict[str, np.ndarray]  # as LaneEvents has them: lo, hi, is_range, ...
    edited: np.ndarray  # bool: the record is not the columns' (edited or added)

    @classmethod
    def of(cls, store: EventStore, t_min: float, t_max: float) -> StoreColumns:
        when, dates = store.dates()
        lo = np.where(np.isnan(dates["lo"]), t_min, dates["lo"])
        hi = np.where(np.isnan(dates["hi"]), t_max, dates["hi"])
        is_range, fuzzy, coarse = dates["is_range"], dates["fuzzy"], dates["coarse"]
        kind, types = store.coded("type")
        withs, with_table = store.coded("with_")
        actor, actors = store.coded("actor")
        columns = {
            "lo": lo[when],
            "hi": hi[when],
            "is_range": is_range[when],
            "fuzzy": fuzzy[when],
            "bar": (is_range | coarse)[when],
            "has_with": np.array([bool(w) for w in with_table], dtype=bool)[withs],
            "kind": np.array([mark_kind(t) for t in types], dtype=np.int8)[kind],
        }
        edited = np.zeros(len(store), dtype=bool)
        edited[store.edited_positions()] = True
        ids = np.array(store.ids(), dtype=object)
        return cls(store, store.rows, ids, actor, actors, columns, edited)

    def positions_by_actor(self) -> dict[str, np.ndarray]:
        """Each actor's events, as positions in the store's order."""
        order = np.argsort(self.actor, kind="stable")
        bounds = np.searchsorted(self.actor[order], np.arange(len(self.actors) + 1))
        return {
            a: order[bounds[i] : bounds[i + 1]]
            for i, a in enumerate(self.actors)
            if bounds[i + 1] > bounds[i]
        }

    def lane(self, positions: np.ndarray) -> LaneEvents:
        """The lane of the events at these positions, sorted by start then id."""
        if not len(positions):
            return LaneEvents()
        ids = self.ids[positions]
        order = positions[np.lexsort((ids.astype(str), self.columns["lo"][positions]))]
        columns = {name: column[order] for name, column in self.columns.items()}
        lo, hi = columns["lo"], columns["hi"]
        refs = self.rows[order].tolist()
        for k in np.flatnonzero(self.edited[order]).tolist():  # as they are now
            refs[k] = self.store.record(refs[k])
        return LaneEvents(
            LaneRecords(self.store, refs),
            self.ids[order],
            row=stack_rows(lo, hi),
            longest=float((hi - lo).max()),
            **columns,
        )
