"""What a filter keeps, as boolean masks over the chart's columns: each lane's events
(app/chart/laneevents.py), the demand index's entries and the `with` ticks. Made once per
filter and per lane, so that painting and picking at 100,000 events select with numpy
instead of asking a set about each event in Python on every frame."""

from __future__ import annotations

import numpy as np

from app.chart.laneevents import LaneEvents, ids_among
from app.chart.lanerecords import LaneRecords
from app.records.eventstore import StoreRows


def kept_mask(ids: np.ndarray, kept) -> np.ndarray:
    """Which of `ids` (an object array) are in `kept` (a set): one pass over them in C, or
    for a few wanted ids (a selection, a hover) a comparison of the column with each."""
    if len(kept) <= 8:
        return ids_among(ids, kept)
    return np.fromiter(map(kept.__contains__, ids.tolist()), bool, len(ids))


class IdIndex:
    """Where each id stands in one order of records (a project's events then demands, as
    the filter's columns hold them), made once per version of the project; and where each
    lane's events stand in it, made once per lane. A filter's mask in that order then
    becomes a lane's mask by indexing, without asking a set about each id."""

    def __init__(self, ids: np.ndarray, placed: StoreRows | None = None):
        self.ids = ids
        # The store's column row of the first records (-1: not the columns' record), from
        # the same reading of its order as their ids (eventstore.ids_and_rows).
        self._placed = placed
        self._rows = None if placed is None else placed.rows
        self._row_at: np.ndarray | None = None
        self._rest: dict[str, int] | None = None
        self._at: dict[str, int] | None = None
        self._positions: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def at(self) -> dict[str, int]:
        if self._at is None:
            self._at = dict(zip(self.ids.tolist(), range(len(self.ids)), strict=True))
        return self._at

    def positions(self, ids: np.ndarray) -> np.ndarray | None:
        """Where each of `ids` (a lane's, an object array kept as it is) stands; None when
        one is not there (an edit the index has not caught up with)."""
        made = self._positions.get(id(ids))
        if made is None or made[0] is not ids:
            where = None
            for at in self._lookups():
                try:
                    where = np.fromiter(map(at.__getitem__, ids.tolist()), np.intp, len(ids))
                    break
                except KeyError:
                    pass
            if len(self._positions) > 4096:  # lanes replaced by many edits: start afresh
                self._positions.clear()
            made = self._positions[id(ids)] = (ids, where)
        return made[1]

    def _lookups(self):
        """Where each id stands: first among the records rows do not place (the demands,
        the events edited), where rows place the others: a few hundred demands are then
        found without a dict of a million ids (0.4 s); then among every id."""
        if self._rows is not None:
            if self._rest is None:
                n = len(self._rows)
                rest = np.concatenate([np.flatnonzero(self._rows < 0), np.arange(n, len(self.ids))])
                self._rest = dict(zip(self.ids[rest].tolist(), rest.tolist(), strict=True))
            yield self._rest
        yield self.at()

    def positions_of_rows(self, lane: LaneRecords) -> np.ndarray | None:
        """Where the events of a lane of a store's rows stand, by their rows: by indexing,
        where looking up a million ids took 1.2 s. None where one is not a column's record
        here (an edit since), or the rows are another store's, or none were given."""
        if self._placed is None or lane.store.columns is not self._placed.columns:
            return None  # (another project's rows)
        rows = lane.rows()
        if self._row_at is None:
            column = self._rows >= 0
            self._row_at = np.full(int(self._rows.max(initial=-1)) + 1, -1, np.intp)
            self._row_at[self._rows[column]] = np.flatnonzero(column)
        row_at = self._row_at
        if len(rows) and (rows.min() < 0 or rows.max() >= len(row_at)):
            return None
        where = row_at[rows]
        return None if (where < 0).any() else where

    def mask_of(self, ids) -> np.ndarray:
        """True where the order holds one of `ids` (a set)."""
        if len(ids) * 4 > len(self.ids):
            return kept_mask(self.ids, ids)
        at = self.at()
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[[at[i] for i in ids if i in at]] = True
        return mask


class Kept:
    """The ids a filter keeps (events and demands), and their masks, made on first use.
    A lane's mask is checked against the lane's identity: an edit makes a new lane, whose
    mask is made again; a layout (ticks) and a demand index likewise. Given the filter's
    own mask in an `IdIndex`'s order, a lane's mask is taken from it by position."""

    def __init__(
        self, ids: frozenset, index: IdIndex | None = None, mask: np.ndarray | None = None
    ):
        self.ids = ids
        self.index, self.mask = (index, mask) if mask is not None else (None, None)
        self._lanes: dict[int, tuple[LaneEvents, np.ndarray]] = {}
        self._ticks: tuple[object, tuple[np.ndarray, np.ndarray]] | None = None
        self._demands: tuple[object, np.ndarray] | None = None

    def of(self, ids: np.ndarray) -> np.ndarray:
        """Which of `ids` (an object array: a lane's, the demand index's) are kept."""
        if self.index is not None:
            where = self.index.positions(ids)
            if where is not None:
                return self.mask[where]
        return kept_mask(ids, self.ids)

    def lane(self, layout, lane_i: int) -> np.ndarray:
        """True for each of the lane's events (in the lane's order) the filter keeps."""
        data = layout.lane_events[lane_i]
        made = self._lanes.get(lane_i)
        if made is None or made[0] is not data:
            where = None
            if self.index is not None and isinstance(data.events, LaneRecords):
                where = self.index.positions_of_rows(data.events)
            mask = self.of(data.ids) if where is None else self.mask[where]
            made = self._lanes[lane_i] = (data, mask)
        return made[1]

    def demands(self, layout) -> np.ndarray:
        """True for each entry of the layout's demand index (in its sorted order) kept."""
        index = layout.demand_index
        if self._demands is None or self._demands[0] is not index:
            self._demands = (index, self.of(index.ids))
        return self._demands[1]

    def ticks(self, layout) -> tuple[np.ndarray, np.ndarray]:
        """The `with` ticks of the events kept, as (time, lane drawn on) sorted by time:
        a tick stands for its event, so one filtered out leaves none behind."""
        if self._ticks is None or self._ticks[0] is not layout:
            times, targets = [], []
            for i, (t, target, event) in enumerate(layout.lane_ticks()):
                if len(t):
                    keep = self.lane(layout, i)[event]
                    times.append(t[keep])
                    targets.append(target[keep])
            t = np.concatenate(times) if times else np.empty(0)
            target = np.concatenate(targets) if targets else np.empty(0, np.intp)
            order = np.argsort(t, kind="stable")
            self._ticks = (layout, (t[order], target[order].astype(np.intp)))
        return self._ticks[1]
