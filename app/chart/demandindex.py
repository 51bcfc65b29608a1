"""Demands placed on the lanes, and indexed by date for painting and hit-testing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.records.model import STATUSES, Demand


@dataclass(slots=True)
class DemandGeometry:
    demand: Demand
    x: float  # time of `raised`
    end: float | None  # resolved, or None while open
    from_lane: int
    to_lane: int
    via_lanes: tuple[int, ...]


@dataclass(slots=True)
class DemandIndex:
    """Demands as arrays sorted by `raised`, for finding the visible ones by bisection
    and drawing them in batches; the mediators' stops flattened, so they draw without a
    loop."""

    order: np.ndarray  # position in Layout.demands of each sorted entry
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
    # The lanes each arrow visits, in order, for those that turn back (a mediator below the
    # target): they are drawn segment by segment, so the path still reads from → via → to.
    turns: dict[int, tuple[int, ...]]
    turning: np.ndarray  # True where `turns` has the demand, by sorted position
    ids: np.ndarray  # each demand's id, by sorted position (object array): what a filter reads

    @classmethod
    def of(cls, demands: list[DemandGeometry]) -> DemandIndex:
        n = len(demands)
        x = np.fromiter((g.x for g in demands), float, n)
        status = np.fromiter((_STATUS[g.demand.status] for g in demands), np.intp, n)
        end = np.fromiter((np.nan if g.end is None else g.end for g in demands), float, n)
        end = np.where(np.isnan(end), np.where(status == _OPEN, np.inf, x), end)
        order = np.argsort(x, kind="stable")
        chains = [(demands[i].from_lane, *demands[i].via_lanes, demands[i].to_lane) for i in order]
        # The chains end to end: each arrow's lanes, from the demander through its
        # mediators to the one asked, read by numpy at each chain's start and end.
        sizes = np.fromiter(map(len, chains), np.intp, n)
        flat = np.fromiter((lane for c in chains for lane in c), np.intp, int(sizes.sum()))
        ends = np.cumsum(sizes)
        starts = ends - sizes
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
            turning[k] = _turns_back(chains[k])
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
            {k: chains[k] for k in np.flatnonzero(turning).tolist()},
            turning,
            np.array([demands[i].demand.id for i in order.tolist()], dtype=object),
        )

    def visible(self, t0: float, t1: float, first_lane: int, last_lane: int) -> np.ndarray:
        """Sorted positions of demands whose arrow or span meets the view."""
        stop = int(np.searchsorted(self.x, t1, "right"))
        hit = (
            (self.span_end[:stop] >= t0)
            & (self.lane_hi[:stop] >= first_lane)
            & (self.lane_lo[:stop] <= last_lane)
        )
        return np.flatnonzero(hit)


_STATUS = {s: i for i, s in enumerate(STATUSES)}
_OPEN = _STATUS["open"]
SLOT_PX = 14.0  # between demands raised on the same day across the same lanes
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
    bounds = zip([0, *starts.tolist()], [*starts.tolist(), len(x)], strict=True)
    crowded = [(k, end) for k, end in bounds if end - k > 1]
    if not crowded:
        return shift
    # Each arrow's lanes as bits, made once (Python ints: there may be more than 63 lanes).
    lanes = [(1 << (h + 1)) - (1 << low) for low, h in zip(lo.tolist(), hi.tolist(), strict=True)]
    slot_of = [0] * len(x)
    for k, end in crowded:
        taken = [0] * min(end - k, MAX_SLOTS)  # lanes covered, by slot
        for j in range(k, end):
            bits = lanes[j]
            slot = 0
            while slot < len(taken) and taken[slot] & bits:
                slot += 1
            if slot == len(taken):  # a crowd: the last slot
                slot = MAX_SLOTS - 1
            taken[slot] |= bits
            slot_of[j] = slot
    return np.array(slot_of, dtype=float) * SLOT_PX


def _turns_back(chain: tuple[int, ...]) -> bool:
    steps = [b - a for a, b in zip(chain, chain[1:], strict=False) if b != a]
    return any((s > 0) != (steps[0] > 0) for s in steps)
