"""What a filter keeps, as boolean masks over the chart's columns: each lane's events
(app/chart/laneevents.py), the demand index's entries and the `with` ticks. Made once per
filter and per lane, so that painting and picking at 100,000 events select with numpy
instead of asking a set about each event in Python on every frame."""

from __future__ import annotations

import numpy as np

from app.chart.laneevents import LaneEvents, ids_among


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

    def __init__(self, ids: np.ndarray):
        self.ids = ids
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
            at = self.at()
            try:
                where = np.fromiter(map(at.__getitem__, ids.tolist()), np.intp, len(ids))
            except KeyError:
                where = None
            if len(self._positions) > 4096:  # lanes replaced by many edits: start afresh
                self._positions.clear()
            made = self._positions[id(ids)] = (ids, where)
        return made[1]

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
            made = self._lanes[lane_i] = (data, self.of(data.ids))
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
