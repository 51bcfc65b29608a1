"""The `with` ticks: a small mark on the lane of each actor an event is `with`, at the
event's date. Worked out by numpy from the `with` column's distinct values, and after an
edit, for the events it changed only: an edit at a million events touches a few ticks of
the 300,000, not a lane's thousands. Pure numpy, no Qt."""

from __future__ import annotations

import numpy as np

from app.chart.laneevents import LaneEvents, events_among
from app.chart.lanerecords import coded
from app.records.model import Event

Ticks = tuple[np.ndarray, np.ndarray, np.ndarray]  # (time, lane drawn on, third column)


def ticks_of(data: LaneEvents, ks: np.ndarray, lane_of_actor: dict[str, int]) -> Ticks:
    """A tick (time, lane of the actor, k) for each actor `with` each event k of `ks`, in
    that order (-1 for an actor without a lane)."""
    codes, table = coded(data.events, "with_", ks.tolist())
    used, codes = np.unique(codes, return_inverse=True)  # the values these events have
    targets = [[lane_of_actor.get(a, -1) for a in table[u]] for u in used.tolist()]
    counts = np.array([len(t) for t in targets], dtype=np.intp)
    flat = np.array([x for t in targets for x in t], dtype=np.intp)
    starts = np.cumsum(counts) - counts  # where each value's lanes begin in `flat`
    each = counts[codes] if len(codes) else np.empty(0, np.intp)
    total = int(each.sum())
    # The j-th tick of an event is flat[start + j]: j counted by subtracting where the
    # event's run of ticks begins.
    begins = np.cumsum(each) - each
    within = np.arange(total) - np.repeat(begins, each)
    target = flat[np.repeat(starts[codes], each) + within] if total else np.empty(0, np.intp)
    tick = np.where(data.bar[ks], data.lo[ks], (data.lo[ks] + data.hi[ks]) / 2)
    return np.repeat(tick, each), target, np.repeat(ks, each).astype(np.intp)


def lane_ticks(data: LaneEvents, i: int, ks: np.ndarray, lane_of_actor: dict) -> Ticks:
    """The ticks of lane i's events `ks` drawn on other lanes: (time, lane, k)."""
    t, target, event = ticks_of(data, ks, lane_of_actor)
    keep = (target >= 0) & (target != i)
    return t[keep], target[keep], event[keep]


def merged(parts: list[Ticks]) -> Ticks:
    """Ticks of several lanes (time, lane drawn on, lane of the event), sorted by time."""
    if not parts:
        empty = np.empty(0, dtype=np.intp)
        return np.empty(0), empty, empty
    t, lane, source = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(t, kind="stable")
    return t[order], lane[order].astype(np.intp), source[order].astype(np.intp)


def updated(
    old: LaneEvents, new: LaneEvents, i: int, lane_of_actor: dict, was: list, added: list[Event]
) -> tuple[Ticks, Ticks, Ticks] | None:
    """Lane i's ticks after an edit made `new` from `old`, taking out the events `was`
    (as `old` holds them) and putting in `added`: (the new lane's ticks as `lane_ticks`
    gives them, the ticks gone, the ticks come), each tick gone or come as (time, lane
    drawn on, i). None where `old`'s ticks are not known for these lanes."""
    kept = old.with_ticks
    if kept is not None and kept[0] is lane_of_actor:
        t, target, k = kept[1:]
    elif not old.has_with.any():  # no ticks, known without looking
        t, target, k = np.empty(0), np.empty(0, np.intp), np.empty(0, np.intp)
    else:
        return None
    gone_ids, added_ids = {e.id for e in was}, {e.id for e in added}
    gone = np.flatnonzero(events_among(old, gone_ids, was))
    come = np.flatnonzero(events_among(new, added_ids, added))
    if len(gone) != len(gone_ids) or len(come) != len(added_ids):
        return None  # not found by their starts: the caller works the lane out again
    # (Events without `with`, the usual edit, have no ticks to take out or work out.)
    drop = np.isin(k, gone) if any(e.with_ for e in was) else np.zeros(len(k), dtype=bool)
    # A kept event's place in the new lane: its rank among the kept, among the places
    # the added events leave free.
    free = np.ones(len(new.lo), dtype=bool)
    free[come] = False
    rank = k[~drop] - np.searchsorted(gone, k[~drop])
    moved = np.flatnonzero(free)[rank]
    if any(e.with_ for e in added):
        add_t, add_target, add_k = lane_ticks(new, i, come, lane_of_actor)
    else:
        add_t, add_target, add_k = t[:0], target[:0], k[:0]
    every_k = np.concatenate([moved, add_k])
    order = np.argsort(every_k, kind="stable")
    ticks = (
        np.concatenate([t[~drop], add_t])[order],
        np.concatenate([target[~drop], add_target])[order],
        every_k[order],
    )
    lane = np.full(len(add_t), i, dtype=np.intp)
    return ticks, (t[drop], target[drop], np.full(int(drop.sum()), i)), (add_t, add_target, lane)


def spliced(ticks: Ticks, gone: Ticks, come: Ticks) -> Ticks:
    """The merged ticks without the ticks `gone` (one of each) and with `come`, still
    sorted by time: each array copied once."""
    t, lane, source = ticks
    out: list[int] = []
    for when, on, of in zip(*(a.tolist() for a in gone), strict=True):
        a = int(np.searchsorted(t, when, "left"))
        b = int(np.searchsorted(t, when, "right"))
        same = np.flatnonzero((lane[a:b] == on) & (source[a:b] == of)) + a
        for j in same.tolist():
            if j not in out:
                out.append(j)
                break
        else:
            raise ValueError("a tick to take out is not among the ticks")
    come_t, come_lane, come_source = merged([come])
    # Each tick come goes before the first tick not earlier; each tick gone is left out.
    at = np.searchsorted(t, come_t, "left").tolist()
    marks = sorted([(a, 0, k) for k, a in enumerate(at)] + [(j, 1, -1) for j in out])
    return tuple(
        _spliced(column, marks, extra.astype(column.dtype))
        for column, extra in ((t, come_t), (lane, come_lane), (source, come_source))
    )


def _spliced(column: np.ndarray, marks: list[tuple[int, int, int]], extra: np.ndarray):
    """`column` with extra[k] put before index a for each mark (a, 0, k), and index j
    left out for each mark (j, 1, -1): the pieces joined in one copy."""
    pieces, start = [], 0
    for a, gone, k in marks:
        pieces.append(column[start:a])
        if gone:
            start = a + 1
        else:
            pieces.append(extra[k : k + 1])
            start = a
    pieces.append(column[start:])
    return np.concatenate(pieces)
