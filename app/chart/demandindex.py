"""Demands placed on the lanes, and indexed by date for painting and hit-testing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.chart.metrics import GLYPH_RADIUS
from app.records.demandstore import DemandStore
from app.records.model import STATUSES, Demand


@dataclass(slots=True)
class DemandGeometry:
    demand: Demand
    x: float  # time of `raised`
    end: float | None  # resolved, or None while open
    from_lane: int
    to_lane: int
    via_lanes: tuple[int, ...]


class DemandPlaces(Sequence):
    """The demands the chart draws (both parties have a lane and the date is known), in the
    project's order, as arrays: from a demand store's columns, no record is made. Entry k's
    DemandGeometry (with its record) is made when asked for."""

    def __init__(self, records, positions, x, end, status, sizes, chains, ids):
        self.records = records  # the project's demands (a list or a DemandStore)
        self.positions = positions  # each one's position among the records
        self.x = x  # when it was raised
        self.end = end  # when it was resolved (NaN while open)
        self.status = status  # index into STATUSES
        self.sizes = sizes  # the lanes of each one's chain: demander, mediators, asked
        self.chains = chains  # the chains end to end
        self.starts = np.cumsum(sizes) - sizes
        self.ids = ids  # object array

    @classmethod
    def of(cls, records, lane_of_actor: dict[str, int]) -> DemandPlaces:
        if isinstance(records, DemandStore):
            return cls._of_store(records, lane_of_actor)
        kept = []
        for i, d in enumerate(records):
            a, b = lane_of_actor.get(d.from_), lane_of_actor.get(d.to)
            if a is None or b is None or d.raised.lo is None:
                continue
            via = tuple(lane_of_actor[v] for v in d.via if v in lane_of_actor)
            end = d.resolved.hi if d.resolved and d.resolved.hi is not None else np.nan
            kept.append((i, d.raised.lo, end, _STATUS[d.status], (a, *via, b), d.id))
        return cls.of_rows(records, kept)

    @classmethod
    def of_rows(cls, records, kept: list[tuple]) -> DemandPlaces:
        """From (position, x, end, status, chain, id) for each demand drawn."""
        n = len(kept)
        positions, x, end, status, chains, ids = zip(*kept, strict=True) if n else ([],) * 6
        sizes = np.fromiter(map(len, chains), np.intp, n)
        return cls(
            records,
            np.array(positions, dtype=np.intp),
            np.array(x, dtype=float),
            np.array(end, dtype=float),
            np.array(status, dtype=np.intp),
            sizes,
            np.fromiter((lane for c in chains for lane in c), np.intp, int(sizes.sum())),
            np.array(ids, dtype=object),
        )

    @classmethod
    def _of_store(cls, store: DemandStore, lane_of_actor: dict[str, int]) -> DemandPlaces:
        def lanes(attr: str) -> np.ndarray:
            codes, table = store.coded(attr)
            return np.array([lane_of_actor.get(a, -1) for a in table], np.intp)[codes]

        a, b, x = lanes("from_"), lanes("to"), store.numbers("raised_lo")
        positions = np.flatnonzero((a >= 0) & (b >= 0) & ~np.isnan(x))
        via_codes, via_table = store.coded("via")
        via = [[lane_of_actor[v] for v in t if v in lane_of_actor] for t in via_table]
        widest = max(map(len, via), default=0)
        via_lanes = np.array([v + [0] * (widest - len(v)) for v in via], np.intp).reshape(
            len(via), widest
        )
        code = via_codes[positions]
        count = np.array(list(map(len, via)), np.intp)[code]
        sizes = 2 + count
        starts = np.cumsum(sizes) - sizes
        chains = np.empty(int(sizes.sum()), np.intp)
        chains[starts], chains[starts + sizes - 1] = a[positions], b[positions]
        for k in range(widest):
            has = count > k
            chains[starts[has] + 1 + k] = via_lanes[code[has], k]
        status_codes, status_table = store.coded("status")
        status = np.array([_STATUS[s] for s in status_table], np.intp)[status_codes]
        return cls(
            store,
            positions,
            x[positions],
            store.numbers("resolved_hi")[positions],
            status[positions],
            sizes,
            chains,
            np.array(store.ids(), dtype=object)[positions],
        )

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, k: int) -> DemandGeometry:
        chain = self.chain(k)
        end = float(self.end[k])
        return DemandGeometry(
            self.records[int(self.positions[k])],
            float(self.x[k]),
            None if np.isnan(end) else end,
            chain[0],
            chain[-1],
            chain[1:-1],
        )

    def chain(self, k: int) -> tuple[int, ...]:
        start = int(self.starts[k])
        return tuple(self.chains[start : start + int(self.sizes[k])].tolist())


@dataclass(slots=True)
class DemandIndex:
    """Demands as arrays sorted by `raised`, for finding the visible ones by bisection
    and drawing them in batches; the mediators' stops flattened, so they draw without a
    loop."""

    order: np.ndarray  # place in Layout.demands (DemandPlaces) of each sorted entry
    x: np.ndarray
    span_end: np.ndarray  # where the span in the demander's lane ends (inf while open)
    lane_lo: np.ndarray  # the lowest and highest lane index the arrow touches
    lane_hi: np.ndarray
    from_lane: np.ndarray
    to_lane: np.ndarray
    before_head: np.ndarray  # the lane the arrow's last segment starts from
    status: np.ndarray  # index into STATUSES
    stop_of: np.ndarray  # sorted position of each mediator stop's demand
    stop_lane: np.ndarray
    # px right of its date: demands raised on the same day across the same lanes stand side
    # by side instead of on top of each other
    shift: np.ndarray
    # The lanes each arrow visits, in order, end to end by sorted position: those that turn
    # back (a mediator below the target) are drawn segment by segment (`chain`), so the
    # path still reads from → via → to.
    chains: np.ndarray
    chain_starts: np.ndarray  # where each arrow's lanes begin in `chains`, and the end
    turning: np.ndarray  # whether the arrow turns back, by sorted position
    ids: np.ndarray  # each demand's id, by sorted position (object array): what a filter reads

    @classmethod
    def of(cls, places: DemandPlaces) -> DemandIndex:
        n = len(places)
        x, status = places.x, places.status
        end = np.where(np.isnan(places.end), np.where(status == _OPEN, np.inf, x), places.end)
        order = np.argsort(x, kind="stable")
        # The chains end to end in the sorted order: each arrow's lanes, from the demander
        # through its mediators to the one asked, read by numpy at each chain's start and end.
        sizes = places.sizes[order]
        ends = np.cumsum(sizes)
        starts = ends - sizes
        at = np.arange(int(ends[-1]) if n else 0) - np.repeat(starts, sizes)
        flat = places.chains[np.repeat(places.starts[order], sizes) + at]
        inner = np.ones(len(flat), dtype=bool)
        inner[starts], inner[ends - 1] = False, False  # the mediators' stops
        lane_lo = np.minimum.reduceat(flat, starts) if n else np.empty(0, np.intp)
        lane_hi = np.maximum.reduceat(flat, starts) if n else np.empty(0, np.intp)
        # Only an arrow with a mediator can turn back; with one, by the signs of its steps.
        turning = np.zeros(n, dtype=bool)
        three = np.flatnonzero(sizes == 3)
        first, second = (
            flat[starts[three] + 1] - flat[starts[three]],
            flat[ends[three] - 1] - flat[starts[three] + 1],
        )
        turning[three] = (first != 0) & (second != 0) & ((first > 0) != (second > 0))
        for k in np.flatnonzero(sizes > 3).tolist():
            turning[k] = _turns_back(tuple(flat[starts[k] : ends[k]].tolist()))
        return cls(
            order,
            x[order],
            end[order],
            lane_lo,
            lane_hi,
            flat[starts],
            flat[ends - 1],
            flat[ends - 2],
            status[order],
            np.repeat(np.arange(n), sizes)[inner],
            flat[inner],
            _slots(x[order], lane_lo, lane_hi),
            flat,
            np.append(starts, len(flat)),
            turning,
            places.ids[order],
        )

    def chain(self, k: int) -> tuple[int, ...]:
        """The lanes the arrow at sorted position k visits, in order."""
        return tuple(self.chains[self.chain_starts[k] : self.chain_starts[k + 1]].tolist())

    def visible(
        self, t0: float, t1: float, first_lane: int, last_lane: int, arrows_from: float = -np.inf
    ) -> np.ndarray:
        """Sorted positions of demands whose arrow or span meets the view. Of those raised
        before `arrows_from`, whose arrows cannot reach it, only a span can: they are kept
        where their demander's lane (the span's) is in view. Open demands raised long
        before the view are many at a million events, and an edit's repaint looked at each."""
        stop = int(np.searchsorted(self.x, t1, "right"))
        early = min(int(np.searchsorted(self.x, arrows_from, "left")), stop)
        hit = self.span_end[:stop] >= t0
        spans_from = self.from_lane[:early]
        hit[:early] &= (spans_from >= first_lane) & (spans_from <= last_lane)
        hit[early:] &= (self.lane_hi[early:stop] >= first_lane) & (
            self.lane_lo[early:stop] <= last_lane
        )
        return np.flatnonzero(hit)


_STATUS = {s: i for i, s in enumerate(STATUSES)}
_OPEN = _STATUS["open"]
# Between demands raised on the same day across the same lanes: their glyphs side by side,
# a px apart (at 14 px, they overlapped).
SLOT_PX = 2 * GLYPH_RADIUS + 2
MAX_SLOTS = 8  # more than this at one place share the last slots: a crowd is a crowd


def side_by_side(x: np.ndarray, chains: list[tuple[int, ...]]) -> np.ndarray:
    """Each demand's shift in px: the first slot (of SLOT_PX each) that no earlier demand at
    the same date, across overlapping lanes, has taken."""
    lo = np.array([min(c) for c in chains], dtype=np.intp)
    hi = np.array([max(c) for c in chains], dtype=np.intp)
    return _slots(x, lo, hi)


def _slots(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """`side_by_side` from each arrow's lowest and highest lane. Each slot keeps the lanes
    its demands cover as the bits of one number, so a demand asks each slot once instead
    of asking every earlier demand (which grew with the square of a crowded date)."""
    shift = np.zeros(len(x))
    if len(x) < 2:
        return shift
    starts = np.flatnonzero(np.diff(x) != 0) + 1
    first = np.array([0, *starts.tolist()], dtype=np.intp)
    sizes = np.diff(np.append(first, len(x)))
    crowded = sizes > 1
    if not crowded.any():
        return shift
    first, sizes = first[crowded], sizes[crowded]
    slot_of = np.zeros(len(x))
    if int(hi.max()) < 63:  # every arrow's lanes fit the bits of one 64-bit number
        lanes = (np.uint64(2) << hi.astype(np.uint64)) - (np.uint64(1) << lo.astype(np.uint64))
        taken, rounds = _slots_by_round(lanes, first, sizes, slot_of)
        # The demands of the few dates longer than that go on one at a time, as below.
        long_dates = np.flatnonzero(sizes > rounds).tolist()
        bits = lanes.tolist() if long_dates else []
        for d in long_dates:
            k, size = int(first[d]), int(sizes[d])
            _one_at_a_time(bits, k + rounds, k + size, taken[d].tolist(), slot_of)
        return slot_of * SLOT_PX
    # More lanes: each arrow's lanes as the bits of a Python int, a date at a time.
    bits = [(1 << (h + 1)) - (1 << low) for low, h in zip(lo.tolist(), hi.tolist(), strict=True)]
    for k, size in zip(first.tolist(), sizes.tolist(), strict=True):
        _one_at_a_time(bits, k, k + size, [0] * min(size, MAX_SLOTS), slot_of)
    return slot_of * SLOT_PX


# A round costs a few numpy calls whatever the dates it serves: once fewer dates than this
# have demands left, they end one demand at a time (200,000 on one date: 4.5 s by rounds).
MIN_DATES = 32


def _slots_by_round(
    lanes: np.ndarray, first: np.ndarray, sizes: np.ndarray, slot_of: np.ndarray
) -> tuple[np.ndarray, int]:
    """The slots of the demands of the crowded dates (beginning at `first`, `sizes` long),
    found for the j-th demand of every date at once while MIN_DATES dates or more have a
    j-th: a date's demands take their slots one after another, and dates do not share
    slots. Returns the lanes each date's slots cover, and the rounds made."""
    taken = np.zeros((len(first), MAX_SLOTS), dtype=np.uint64)  # lanes covered, by slot
    # A date of fewer than MAX_SLOTS demands has as many slots: the others count as taken.
    beyond = np.arange(MAX_SLOTS) >= np.minimum(sizes, MAX_SLOTS)[:, None]
    for j in range(int(sizes.max())):
        dates = np.flatnonzero(sizes > j)
        if len(dates) < MIN_DATES:
            return taken, j
        at = first[dates] + j
        bits = lanes[at]
        busy = ((taken[dates] & bits[:, None]) != 0) | beyond[dates]
        slot = np.where(busy.all(axis=1), MAX_SLOTS - 1, busy.argmin(axis=1))  # else a crowd
        taken[dates, slot] |= bits
        slot_of[at] = slot
    return taken, int(sizes.max())


def _one_at_a_time(lanes: list[int], start: int, end: int, taken: list[int], slot_of) -> None:
    """Demands start to end of one date take their slots one after another, after those
    `taken` (the lanes each slot covers) already holds."""
    for j in range(start, end):
        bits = lanes[j]
        slot = 0
        while slot < len(taken) and taken[slot] & bits:
            slot += 1
        if slot == len(taken):  # a crowd: the last slot
            slot = MAX_SLOTS - 1
        taken[slot] |= bits
        slot_of[j] = slot


def _turns_back(chain: tuple[int, ...]) -> bool:
    steps = [b - a for a, b in zip(chain, chain[1:], strict=False) if b != a]
    return any((s > 0) != (steps[0] > 0) for s in steps)
