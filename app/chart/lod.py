"""Level of detail: what to draw of a lane's events when many share a pixel, so that a
frame's cost follows the pixels on screen rather than the events behind them.

For each lane, made from its arrays (app/chart/laneevents.py) on first paint and kept while
they are, and for each power-of-two bucket of time (2**level seconds), the events of one
sub-row and one look (bar or point, approximate or not) whose anchor (a bar's start, a
point's centre) falls in one bucket are drawn as one mark: a bar from the first start to
the furthest end among them (the longest reach, as Perfetto keeps the longest slice), a
point at the last one's centre with the last one's shape (the one drawn on top when each
is drawn in turn), and a count of the events it stands for. A frame takes the coarsest level whose bucket is at most a pixel wide, so the
picture is the one every event would draw, to within a pixel.

Marks are sorted by (row, start), so the rows on screen and the time in view are found
by bisection: culling the rows scrolled out of a tall lane costs nothing per event either.

A filter makes a level of detail of the events it keeps (and one of those it dims), so
an event hidden by a filter never comes back inside a mark that stands for others.
Pure numpy, no Qt.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from app.chart.laneevents import LaneEvents

MIN_LEVEL = 9  # buckets of 2**9 s (8.5 minutes): finer than this, events are drawn as they are
WORTH = 0.7  # a level is used when it has at most this share of the lane's events


@dataclass(slots=True)
class Marks:
    """What one level draws: per mark, the span it covers (`lo`..`hi`), its sub-row, its
    look, where a point's mark stands (`centre`), how many events it stands for, and one
    of those events (its index in the lane): sorted by (row, lo)."""

    lo: np.ndarray
    hi: np.ndarray
    centre: np.ndarray
    row: np.ndarray
    bar: np.ndarray
    fuzzy: np.ndarray
    kind: np.ndarray
    count: np.ndarray
    event: np.ndarray
    key: np.ndarray  # row * stride + (lo - base): one sorted column to bisect
    base: float
    stride: float
    longest: float  # the longest mark, which bounds how far left of the view one starts

    def __len__(self) -> int:
        return len(self.lo)

    def query(self, t0: float, t1: float, row0: int, row1: int) -> np.ndarray:
        """Positions of the marks in rows [row0, row1) that meet [t0, t1], in (row, lo)
        order: two bisections per row, then only the marks found are looked at."""
        if row1 <= row0 or not len(self.lo):
            return np.empty(0, dtype=np.intp)
        rows = np.arange(row0, row1, dtype=np.float64) * self.stride
        # Offsets within a row run from 0 to stride - 2: clipped to just outside them, a
        # bound never reaches into the next or the previous row.
        low, high = -0.5, self.stride - 1.0
        start = np.searchsorted(
            self.key, rows + min(max(t0 - self.longest - self.base, low), high), "left"
        )
        stop = np.searchsorted(self.key, rows + min(max(t1 - self.base, low), high), "right")
        length = np.maximum(stop - start, 0)
        total = int(length.sum())
        if total == 0:
            return np.empty(0, dtype=np.intp)
        # The ranges start[i]..stop[i] laid end to end, without a Python loop.
        offsets = np.cumsum(length) - length
        found = np.repeat(start - offsets, length) + np.arange(total)
        return found[self.hi[found] >= t0]


def anchors(lane: LaneEvents) -> np.ndarray:
    """Where each event's mark is anchored in time: a bar's start, a point's centre."""
    return np.where(lane.bar, lane.lo, (lane.lo + lane.hi) / 2)


def by_small_key(members: np.ndarray, key: np.ndarray) -> np.ndarray:
    """`members` (ascending, so in the lane's order: by start) stably sorted by a small
    integer key: a radix sort when the key fits in 16 bits, several times faster than
    sorting by (key, start) after an edit has made a lane anew."""
    key = key[members]
    if len(key) and int(key.max()) < 1 << 15:
        key = key.astype(np.int16)
    return members[np.argsort(key, kind="stable")]


def grouped(lane: LaneEvents, members: np.ndarray) -> np.ndarray:
    """`members` by look, row and anchor: then the events of one bucket, row and look
    stand together at every level. In a sub-row events do not overlap, so there the
    order by start is the order by anchor too."""
    look = lane.bar.astype(np.int32) * 2 + lane.fuzzy
    rows = int(lane.row.max()) + 1 if len(lane.row) else 1
    return by_small_key(members, look * rows + lane.row)


def _starts(lane: LaneEvents, e: np.ndarray, level: int, anchor_all: np.ndarray) -> np.ndarray:
    """Where each group of the events at `e` (in `grouped` order) begins: one bucket of
    the level, one row, one look."""
    bucket = np.floor(anchor_all[e] / 2.0**level)
    row, look = lane.row[e], lane.bar[e].astype(np.int8) * 2 + lane.fuzzy[e]
    change = np.ones(len(e), dtype=bool)
    change[1:] = (bucket[1:] != bucket[:-1]) | (row[1:] != row[:-1]) | (look[1:] != look[:-1])
    return np.flatnonzero(change)


def _marks(lane: LaneEvents, e: np.ndarray, level: int | None, starts=None) -> Marks:
    """The marks of the lane's events at `e` (indices into the lane, in `grouped` order
    when `level` is given) at a level, or one mark per event when `level` is None."""
    lo_all, hi_all = lane.lo, lane.hi
    bar_all, row_all = lane.bar, lane.row
    anchor_all = anchors(lane)
    if level is None:
        e = by_small_key(e, row_all)  # by row, then start
        starts = np.arange(len(e))
        count = np.ones(len(e), dtype=np.int64)
        lo, hi = lo_all[e], hi_all[e]
    else:
        starts = _starts(lane, e, level, anchor_all) if starts is None else starts
        count = np.diff(np.append(starts, len(e)))
        lo = np.minimum.reduceat(lo_all[e], starts) if len(e) else np.empty(0)
        hi = np.maximum.reduceat(hi_all[e], starts) if len(e) else np.empty(0)
    # The last event of a group is the one drawn on top when each is drawn in turn.
    last = e[starts + count - 1]
    row = row_all[last]
    if level is not None:  # groups of one look, then the next: by row and start again
        order = np.lexsort((lo, row))
        lo, hi, last, count, row = lo[order], hi[order], last[order], count[order], row[order]
    base = float(lo.min()) if len(lo) else 0.0
    stride = (float(lo.max()) - base if len(lo) else 0.0) + 2.0
    return Marks(
        lo=lo,
        hi=hi,
        centre=anchor_all[last],
        row=row,
        bar=bar_all[last],
        fuzzy=lane.fuzzy[last],
        kind=lane.kind[last],
        count=count,
        event=last,
        key=row * stride + (lo - base),
        base=base,
        stride=stride,
        longest=float((hi - lo).max()) if len(lo) else 0.0,
    )


class LaneDetail:
    """The levels of detail of a lane's events (all, or those at `members`), each made on
    first use. It keeps no reference to the lane, so that it goes with the lane's arrays:
    each call is given the lane it was made for."""

    def __init__(self, members: np.ndarray | None = None):
        self.members = members
        self._raw: Marks | None = None
        self._grouped: np.ndarray | None = None
        self._levels: dict[int, Marks] = {}

    def _of(self, lane: LaneEvents) -> np.ndarray:
        return np.arange(len(lane.lo)) if self.members is None else self.members

    def raw(self, lane: LaneEvents) -> Marks:
        """One mark per event: the events themselves, sorted by (row, start)."""
        if self._raw is None:
            self._raw = _marks(lane, self._of(lane), None)
        return self._raw

    def level(self, lane: LaneEvents, level: int) -> Marks:
        """The marks at a level, or the events themselves when it would not draw markedly
        fewer."""
        if level < MIN_LEVEL:
            return self.raw(lane)
        made = self._level(lane, level)
        return self.raw(lane) if made is None else made

    def _level(self, lane: LaneEvents, level: int) -> Marks | None:
        """The marks at a level, None where they are not markedly fewer than the events."""
        if level not in self._levels:
            if self._grouped is None:
                self._grouped = grouped(lane, self._of(lane))
            # The events themselves have a mark each: counted before any mark is made.
            starts = _starts(lane, self._grouped, level, anchors(lane))
            fewer = len(starts) <= WORTH * len(self._grouped)
            self._levels[level] = _marks(lane, self._grouped, level, starts) if fewer else None
        return self._levels[level]

    def is_events(self, lane: LaneEvents, seconds_per_pixel: float) -> bool:
        """Whether the marks at a zoom are the events themselves: found without making
        their marks (after an edit, a lane zoomed in draws its events, not marks)."""
        level = level_for(seconds_per_pixel)
        return level < MIN_LEVEL or self._level(lane, level) is None

    def at(self, lane: LaneEvents, seconds_per_pixel: float) -> Marks:
        """The marks to draw at a zoom: the coarsest level whose bucket fits in a pixel."""
        return self.level(lane, level_for(seconds_per_pixel))


def level_for(seconds_per_pixel: float) -> int:
    """The level whose bucket (2**level s) is the widest at most one pixel wide."""
    if not seconds_per_pixel > 0 or math.isinf(seconds_per_pixel):
        return 0
    return math.floor(math.log2(seconds_per_pixel))


class LaneLod:
    """A lane's level of detail: of every event, and of those a filter keeps and dims."""

    def __init__(self) -> None:
        self.all = LaneDetail()
        self._parts: tuple[weakref.ref, LaneDetail, LaneDetail] | None = None

    def split(self, kept: np.ndarray) -> tuple[LaneDetail, LaneDetail]:
        """The detail of the events `kept` (a mask over the lane) and of the others, made
        once per mask: a filter's masks are kept while it is (app/chart/kept.py)."""
        parts = self._parts
        if parts is None or parts[0]() is not kept:
            parts = self._parts = (
                weakref.ref(kept),
                LaneDetail(np.flatnonzero(kept)),
                LaneDetail(np.flatnonzero(~kept)),
            )
        return parts[1], parts[2]


# Each lane's detail, while its arrays live: an edit makes a new lane with new arrays, and
# the detail of the old one goes with them.
_LODS: dict[int, tuple[tuple[weakref.ref, ...], LaneLod]] = {}
_COLUMNS = ("lo", "hi", "row", "bar", "fuzzy", "kind")


def lod_of(lane: LaneEvents) -> LaneLod:
    """The lane's level of detail, made on first use and kept while its arrays are."""
    arrays = [getattr(lane, name) for name in _COLUMNS]
    key = id(arrays[0])
    made = _LODS.get(key)
    if made is not None and all(r() is a for r, a in zip(made[0], arrays, strict=True)):
        return made[1]
    lod = LaneLod()
    refs = tuple(weakref.ref(a, lambda _r, k=key: _forget(k, _r)) for a in arrays)
    _LODS[key] = (refs, lod)
    return lod


def _forget(key: int, ref: weakref.ref) -> None:
    made = _LODS.get(key)
    if made is not None and ref in made[0]:  # (an export's thread may drop a lane too)
        _LODS.pop(key, None)


def count_near(lane: LaneEvents, t0: float, t1: float) -> int:
    """How many of the lane's events `LaneEvents.visible` would look at for [t0, t1]: those
    starting from the longest event's length before t0 to t1."""
    lo = lane.lo
    return int(np.searchsorted(lo, t1, "right") - np.searchsorted(lo, t0 - lane.longest, "left"))


def visible_rows(lane_top: float, rows: int, row_height: float, y0: float, y1: float, pad: float):
    """The sub-rows [first, last) of a lane whose band meets layout y [y0, y1], with one row
    to spare either side (a point's mark overhangs its row a little)."""
    first = math.floor((y0 - lane_top - pad) / row_height) - 1
    last = math.ceil((y1 - lane_top - pad) / row_height) + 1
    return max(first, 0), min(max(last, 0), rows)
