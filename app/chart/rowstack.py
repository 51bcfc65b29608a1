"""Sub-rows of lanes: each event, in order of start, takes the first sub-row free at its
start (a row is free once the end of its last event is at or before that start). Pure
numpy and heapq, no Qt."""

from __future__ import annotations

import heapq

import numpy as np

# Stacked a start at a time where events share starts this much on average (dates by
# the day): the cost follows the distinct starts, not the events. Else a heap, event by
# event.
SHARED_STARTS = 8
# Lanes stacked together keep one row of ends each, as wide as the tallest: past this many
# ends in all, a lane is too tall to stack beside the others (a lane of 20,000 rows among
# 2,000 asked for a gigabyte), and each is stacked by heap.
MOST_ENDS = 1 << 18


def first_free(ends: list[float], start: float, stop: float) -> int:
    """The rule, one event at a time: the first sub-row free at `start` takes the event
    (`ends` holds each sub-row's end). What the stacking below does faster."""
    for r, end in enumerate(ends):
        if end <= start:
            ends[r] = stop
            return r
    ends.append(stop)
    return len(ends) - 1


def stack_rows(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """One lane's rows, its events in order of start."""
    return stack_lanes([(lo, hi)])[0]


def stack_lanes(spans: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray]:
    """The rows of many lanes, each given as (starts in order, ends): lanes whose events
    share starts are stacked together, a start at a time for all of them at once."""
    rows: list[np.ndarray | None] = [None] * len(spans)
    together = []
    for i, (lo, hi) in enumerate(spans):
        if np.isnan(lo).any() or np.isnan(hi).any() or (lo[1:] < lo[:-1]).any():
            rows[i] = _by_rule(lo, hi)  # not a lane's dates: the rule itself, whatever it costs
        elif len(lo) and len(lo) >= SHARED_STARTS * (1 + np.count_nonzero(lo[1:] != lo[:-1])):
            together.append(i)
        else:
            rows[i] = _by_heap(lo, hi)
    stacked = _by_start([spans[i] for i in together]) if together else []
    if stacked is None:  # a lane too tall to stack beside the others
        stacked = [_by_heap(*spans[i]) for i in together]
    for i, lane_rows in zip(together, stacked, strict=True):
        rows[i] = lane_rows
    return rows


def _by_rule(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    ends: list[float] = []
    return np.array(
        [first_free(ends, a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)],
        dtype=np.int32,
    )


def _by_heap(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The busy rows in a heap by end and the free ones in a heap by index: n log n for a
    lane of many rows."""
    busy: list[tuple[float, int]] = []  # (end, row)
    free: list[int] = []
    rows = []
    count = 0
    for start, stop in zip(lo.tolist(), hi.tolist(), strict=True):
        while busy and busy[0][0] <= start:  # starts only grow: a row once free stays free
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            r = heapq.heappop(free)
        else:
            r, count = count, count + 1
        heapq.heappush(busy, (stop, r))
        rows.append(r)
    return np.array(rows, dtype=np.int32)


def _by_start(spans: list[tuple[np.ndarray, np.ndarray]]) -> list[np.ndarray] | None:
    """Lanes stacked a distinct start at a time. Each lane's rows are a row of `ends` (the
    end of each sub-row's last event; rows not used yet are free, at -inf). At a start,
    the events starting then take, lane by lane in their order, the first free rows; an
    event over as it starts (no longer than a point) takes the row without holding it.
    None where the lanes would need more than MOST_ENDS ends."""
    sizes = [len(lo) for lo, _ in spans]
    lo = np.concatenate([lo for lo, _ in spans]).astype(float, copy=False)
    hi = np.concatenate([hi for _, hi in spans]).astype(float, copy=False)
    order = np.argsort(lo, kind="stable")  # by start; then by lane, each in its own order
    lane = np.repeat(np.arange(len(spans)), sizes)[order]
    lo, hi = lo[order], hi[order]
    holds = hi > lo
    # The events of one lane at one start form a group: worked out for all groups at once.
    new_start = np.r_[True, lo[1:] != lo[:-1]]
    new_group = new_start | np.r_[True, lane[1:] != lane[:-1]]
    starts, first = np.flatnonzero(new_start), np.flatnonzero(new_group)
    group = np.cumsum(new_group) - 1
    before = np.cumsum(holds) - holds  # holding events before each
    nth = before - before[first][group]  # ... in its group: the rank of the free row it takes
    need = nth[np.r_[first[1:], len(lo)] - 1] + 1  # free rows each group takes
    group_lane = lane[first]
    step_groups = np.searchsorted(first, np.r_[starts, len(lo)])
    ends = np.full((len(spans), 16), -np.inf)
    rows = np.empty(len(lo), dtype=np.int32)
    bounds = np.r_[starts, len(lo)].tolist()
    groups = step_groups.tolist()
    for s in range(len(starts)):
        a, b, ga, gb = bounds[s], bounds[s + 1], groups[s], groups[s + 1]
        lanes, wanted = group_lane[ga:gb], need[ga:gb]
        free = ends[lanes] <= lo[a]
        while (free.sum(axis=1) < wanted).any():  # more rows than any lane had yet
            if 2 * ends.size > MOST_ENDS:
                return None
            ends = np.hstack([ends, np.full(ends.shape, -np.inf)])
            free = ends[lanes] <= lo[a]
        _, taken = np.nonzero(free & (np.cumsum(free, axis=1) <= wanted[:, None]))
        row = taken[(np.cumsum(wanted) - wanted)[group[a:b] - ga] + nth[a:b]]
        rows[a:b] = row
        held = holds[a:b]
        ends[lane[a:b][held], row[held]] = hi[a:b][held]
    in_order = np.empty_like(rows)
    in_order[order] = rows
    return np.split(in_order, np.cumsum(sizes)[:-1])
