"""Chart geometry: lanes, sub-rows and the time-sorted arrays that painting and
hit-testing query. Pure geometry: no Qt, so the screen and export share it.

Times are seconds since 1970 (UTC); vertical positions are in layout pixels from the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from app.model import Actor, Demand, Event, Phase, Project
from app.vocabulary import quad_class

DAY = 86400.0
ROW_HEIGHT = 22.0
LANE_PADDING = 5.0
MIN_LANE_HEIGHT = 30.0
PHASE_STRIP = 18.0  # px above the lanes for phase titles, when there are phases


@dataclass(slots=True)
class Lane:
    actor: Actor
    depth: int  # nesting level, for the header's indent
    top: float = 0.0
    height: float = MIN_LANE_HEIGHT
    rows: int = 1
    has_children: bool = False
    members: tuple[
        str, ...
    ] = ()  # actor ids drawn in this lane (itself, plus collapsed descendants)

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> float:
        return self.top + self.height / 2


@dataclass(slots=True)
class LaneEvents:
    """One lane's events, sorted by start time (then id), as parallel arrays."""

    events: list[Event] = field(default_factory=list)
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    lo: np.ndarray = field(default_factory=lambda: np.empty(0))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0))
    row: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    is_range: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    fuzzy: np.ndarray = field(
        default_factory=lambda: np.empty(0, dtype=bool)
    )  # approximate or uncertain
    # Drawn as a bar: ranges, and single dates coarser than a day ("2023-11" spans the month).
    bar: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    has_with: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    # The mark's shape: 0 for other types, else 1 + the type's CAMEO quad class.
    kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    longest: float = 0.0  # the longest duration, which bounds the bisection window
    label_px: np.ndarray | None = None  # title widths, filled in by the painter that draws them
    # The ticks drawn on other lanes, as (lane mapping used, times, lanes): kept while lanes are.
    with_ticks: tuple[dict, np.ndarray, np.ndarray] | None = None

    def visible(self, t0: float, t1: float) -> np.ndarray:
        """Indices of the events that overlap [t0, t1], found by bisection."""
        start = int(np.searchsorted(self.lo, t0 - self.longest, "left"))
        stop = int(np.searchsorted(self.lo, t1, "right"))
        if start >= stop:
            return np.empty(0, dtype=np.intp)
        idx = np.arange(start, stop)
        return idx[self.hi[start:stop] >= t0]


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

    @classmethod
    def of(cls, demands: list[DemandGeometry]) -> DemandIndex:
        from app.model import STATUSES

        def ints(values) -> np.ndarray:
            return np.array(values, dtype=np.intp)

        x = np.array([g.x for g in demands], dtype=float)
        end = np.array(
            [
                g.end if g.end is not None else (np.inf if g.demand.status == "open" else g.x)
                for g in demands
            ],
            dtype=float,
        )
        order = np.argsort(x, kind="stable")
        chains = [(demands[i].from_lane, *demands[i].via_lanes, demands[i].to_lane) for i in order]
        stops = [(k, v) for k, c in enumerate(chains) for v in c[1:-1]]
        stop = np.array(stops, dtype=np.intp).reshape(-1, 2)
        return cls(
            order,
            x[order],
            end[order],
            ints([min(c) for c in chains]),
            ints([max(c) for c in chains]),
            ints([c[0] for c in chains]),
            ints([c[-1] for c in chains]),
            ints([c[-2] for c in chains]),
            ints([STATUSES.index(demands[i].demand.status) for i in order]),
            stop[:, 0],
            stop[:, 1],
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


@dataclass(slots=True)
class Layout:
    lanes: list[Lane]
    lane_events: list[LaneEvents]
    demands: list[DemandGeometry]
    lane_of_actor: dict[
        str, int
    ]  # actor id -> index in `lanes` (collapsed ones map to their ancestor)
    t_min: float
    t_max: float
    row_height: float
    phases: list[Phase] = field(default_factory=list)
    demand_index: DemandIndex | None = None
    # `with` ticks as (time, lane drawn on, lane of the event) sorted by time, built on
    # first use; and the ticks of an earlier layout of the same lanes with the lane data
    # they came from, so that after an edit only the lanes rebuilt are looked at again.
    _ticks: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _edges: tuple[np.ndarray, np.ndarray] | None = None
    ticks_base: tuple[tuple, list[LaneEvents]] | None = None

    def with_ticks(self) -> tuple[np.ndarray, np.ndarray]:
        """Every `with` tick as (time, lane it is drawn on), sorted by time."""
        if self._ticks is None:
            base = self.ticks_base
            if base is None:
                self._ticks = _merged_ticks(self._lane_ticks(range(len(self.lanes))))
            else:
                (t, lane, source), old = base
                rebuilt = [i for i, data in enumerate(self.lane_events) if data is not old[i]]
                keep = ~np.isin(source, rebuilt)
                t, lane, source = t[keep], lane[keep], source[keep]
                add_t, add_lane, add_source = _merged_ticks(self._lane_ticks(rebuilt))
                at = np.searchsorted(t, add_t)
                self._ticks = (
                    np.insert(t, at, add_t),
                    np.insert(lane, at, add_lane),
                    np.insert(source, at, add_source),
                )
            self.ticks_base = None
        return self._ticks[0], self._ticks[1]

    def _lane_ticks(self, lanes) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        out = []
        for i in lanes:
            data = self.lane_events[i]
            if not data.has_with.any():
                continue
            if data.with_ticks is None or data.with_ticks[0] is not self.lane_of_actor:
                tick = np.where(data.bar, data.lo, (data.lo + data.hi) / 2)
                pairs = [
                    (tick[k], self.lane_of_actor.get(a, -1))
                    for k in np.flatnonzero(data.has_with).tolist()
                    for a in data.events[k].with_
                ]
                t = np.array([p[0] for p in pairs], dtype=float)
                target = np.array([p[1] for p in pairs], dtype=np.intp)
                keep = (target >= 0) & (target != i)
                data.with_ticks = (self.lane_of_actor, t[keep], target[keep])
            t, target = data.with_ticks[1], data.with_ticks[2]
            out.append((t, target, np.full(len(t), i)))
        return out

    @property
    def height(self) -> float:
        return self.lanes[-1].bottom if self.lanes else 0.0

    @property
    def strip(self) -> float:
        """The height of the phase titles' strip above the first lane."""
        return self.lanes[0].top if self.lanes else 0.0

    def lane_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Every lane's top and bottom, as arrays."""
        if self._edges is None:
            tops = np.array([lane.top for lane in self.lanes], dtype=float)
            heights = np.array([lane.height for lane in self.lanes], dtype=float)
            self._edges = (tops, tops + heights)
        return self._edges

    def lane_at(self, y: float) -> int | None:
        """The lane index at a vertical position, or None outside every lane."""
        tops, bottoms = self.lane_edges()
        i = int(np.searchsorted(tops, y, "right")) - 1
        if 0 <= i < len(self.lanes) and y < bottoms[i]:
            return i
        return None

    def row_top(self, lane: int, row: int) -> float:
        return self.lanes[lane].top + LANE_PADDING + row * self.row_height

    def event_at(self, t: float, y: float, tolerance_s: float) -> Event | None:
        """The event drawn at (t, y), with `tolerance_s` of slack in time for small marks."""
        lane_i = self.lane_at(y)
        if lane_i is None:
            return None
        data = self.lane_events[lane_i]
        row = int((y - self.lanes[lane_i].top - LANE_PADDING) // self.row_height)
        best, best_d = None, None
        for i in data.visible(t - tolerance_s, t + tolerance_s):
            if data.row[i] != row:
                continue
            lo, hi = data.lo[i], data.hi[i]
            if data.bar[i] and lo - tolerance_s <= t <= hi + tolerance_s:
                d = 0.0 if lo <= t <= hi else min(abs(t - lo), abs(t - hi))
            else:
                d = abs(t - (lo + hi) / 2)
                if d > tolerance_s + (hi - lo) / 2:
                    continue
            if best_d is None or d < best_d:
                best, best_d = data.events[i], d
        return best

    def events_in(self, t0: float, t1: float, y0: float, y1: float) -> list[str]:
        """Ids of events whose marks meet a rectangle (for rubber-band selection)."""
        out = []
        for lane_i, lane in enumerate(self.lanes):
            if lane.bottom < y0 or lane.top > y1:
                continue
            data = self.lane_events[lane_i]
            for i in data.visible(t0, t1):
                top = self.row_top(lane_i, int(data.row[i]))
                if top + self.row_height >= y0 and top <= y1:
                    out.append(data.events[i].id)
        return out


def _merged_ticks(parts: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not parts:
        empty = np.empty(0, dtype=np.intp)
        return np.empty(0), empty, empty
    t, lane, source = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(t, kind="stable")
    return t[order], lane[order].astype(np.intp), source[order].astype(np.intp)


def visible_actors(project: Project) -> list[tuple[Actor, int, tuple[str, ...], bool]]:
    """Actors that get a lane, in order, as (actor, depth, member ids, has children).

    Children follow their parent's lane, whatever their place in the file. Hidden actors
    and the descendants of collapsed actors get no lane; a collapsed lane draws its
    descendants' events itself.
    """
    by_id = {a.id: a for a in project.actors}
    children: dict[str, list[Actor]] = {}
    roots = []
    for a in project.actors:
        if a.parent and a.parent in by_id:
            children.setdefault(a.parent, []).append(a)
        else:
            roots.append(a)
    out = []

    def descendants(actor_id: str) -> list[str]:
        found = []
        for c in children.get(actor_id, []):
            found.append(c.id)
            found += descendants(c.id)
        return found

    def walk(actor: Actor, depth: int) -> None:
        if actor.hidden:
            return
        kids = children.get(actor.id, [])
        if actor.collapsed:
            out.append((actor, depth, (actor.id, *descendants(actor.id)), bool(kids)))
            return
        out.append((actor, depth, (actor.id,), bool(kids)))
        for c in kids:
            walk(c, depth + 1)

    for r in roots:
        walk(r, 0)
    return out


def _place(ends: list[float], start: float, stop: float) -> int:
    """Greedy interval packing, one step: the first sub-row free at `start` takes the event."""
    for r, end in enumerate(ends):
        if end <= start:
            ends[r] = stop
            return r
    ends.append(stop)
    return len(ends) - 1


def stack_rows(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Each event, in order, takes the first sub-row free at its start."""
    ends: list[float] = []
    rows = [_place(ends, a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]
    return np.array(rows, dtype=np.int32)


_COLUMNS = ("lo", "hi", "is_range", "fuzzy", "bar", "has_with", "kind")
_TYPES = (float, float, bool, bool, bool, bool, np.int8)


def _order(t_min: float):
    """The lane order: by start (open starts first), then by id, so that a lane built
    afresh and one updated edit by edit agree."""
    return lambda e: (e.when.lo if e.when.lo is not None else t_min, e.id)


def _columns(events: list[Event], t_min: float, t_max: float) -> dict[str, np.ndarray]:
    facts = np.array(
        [
            (
                e.when.lo if e.when.lo is not None else t_min,
                e.when.hi if e.when.hi is not None else t_max,
                e.when.is_range,
                e.when.fuzzy,
                e.when.is_range or e.when.start.precision in ("year", "month"),
                bool(e.with_),
                mark_kind(e.type),
            )
            for e in events
        ],
        dtype=float,
    ).reshape(-1, len(_COLUMNS))
    return {
        name: facts[:, k].astype(kind)
        for k, (name, kind) in enumerate(zip(_COLUMNS, _TYPES, strict=True))
    }


def _lane(events: list[Event], columns: dict, rows: np.ndarray) -> LaneEvents:
    lo, hi = columns["lo"], columns["hi"]
    return LaneEvents(
        events,
        np.array([e.id for e in events], dtype=object),
        row=rows,
        longest=float((hi - lo).max()) if len(lo) else 0.0,
        **columns,
    )


def build_lane_events(events: list[Event], t_min: float, t_max: float) -> LaneEvents:
    if not events:
        return LaneEvents()
    ordered = sorted(events, key=_order(t_min))
    columns = _columns(ordered, t_min, t_max)
    return _lane(ordered, columns, stack_rows(columns["lo"], columns["hi"]))


def update_lane_events(
    old: LaneEvents, removed: set[str], added: list[Event], t_min: float, t_max: float
) -> LaneEvents:
    """`old` without the events `removed` and with `added`: the same as building the lane
    afresh, at the cost of the change rather than of the lane. Rows are stacked again from
    the first change only until the packing is back in the state it had before."""
    if not len(old.events):
        return build_lane_events(added, t_min, t_max)
    gone = ids_among(old.ids, removed)
    kept = np.flatnonzero(~gone)
    added = sorted(added, key=_order(t_min))
    new = _columns(added, t_min, t_max)
    # Where each added event goes among the kept ones: by start, then by id.
    kept_lo, kept_ids = old.lo[kept], old.ids[kept]
    at = []
    for e, lo in zip(added, new["lo"].tolist(), strict=True):
        k = int(np.searchsorted(kept_lo, lo, "left"))
        stop = int(np.searchsorted(kept_lo, lo, "right"))
        while k < stop and kept_ids[k] < e.id:
            k += 1
        at.append(k)
    columns = {name: np.insert(getattr(old, name)[kept], at, new[name]) for name in _COLUMNS}
    events = list(old.events)
    for i in reversed(np.flatnonzero(gone).tolist()):
        del events[i]
    for offset, (k, e) in enumerate(zip(at, added, strict=True)):
        events.insert(k + offset, e)
    is_added = np.insert(np.zeros(len(kept), dtype=bool), at, True)
    rows = np.insert(old.row[kept], at, -1).astype(np.int32)
    # Before the first change, both orders are the same and so are the rows.
    first = int(np.argmax(is_added)) if added else len(events)
    if gone.any():
        first = min(first, int(np.argmax(gone)))
    _restack(old, gone, rows, is_added, columns["lo"], columns["hi"], first)
    lane = _lane(events, columns, rows)
    if old.label_px is not None:  # widths kept; the painter measures the new titles
        lane.label_px = np.insert(old.label_px[kept], at, np.nan)
    return lane


def ids_among(ids: np.ndarray, wanted) -> np.ndarray:
    """Which of `ids` (an object array) are in `wanted`, a few ids: compared in C."""
    found = np.zeros(len(ids), dtype=bool)
    for i in wanted:
        found |= ids == i
    return found


def _restack(old, gone, rows, is_added, lo, hi, first: int) -> None:
    """Stack `rows` again from `first`, walking the old order alongside, and stop as soon
    as all changes are behind and the free rows are as they were: from there on, each
    event takes the row it had."""
    ends: list[float] = []
    if first:
        before = np.full(int(rows[:first].max()) + 1, -np.inf)
        np.maximum.at(before, rows[:first], hi[:first])
        ends = before.tolist()
    old_ends = list(ends)
    last_added = int(np.flatnonzero(is_added)[-1]) if is_added.any() else -1
    last_gone = int(np.flatnonzero(gone)[-1]) if gone.any() else -1
    old_row, old_hi = old.row.tolist(), old.hi.tolist()
    lo_list, hi_list = lo.tolist(), hi.tolist()
    i_old, i_new, n_old = first, first, len(old_row)

    def follow_old() -> None:
        nonlocal i_old
        r = old_row[i_old]
        if r == len(old_ends):
            old_ends.append(old_hi[i_old])
        else:
            old_ends[r] = old_hi[i_old]
        i_old += 1

    while i_new < len(rows):
        if i_old < n_old and gone[i_old]:
            follow_old()
            continue
        rows[i_new] = _place(ends, lo_list[i_new], hi_list[i_new])
        if not is_added[i_new]:
            follow_old()
        i_new += 1
        if i_new > last_added and i_old > last_gone and ends == old_ends:
            break


@lru_cache(maxsize=1024)
def mark_kind(event_type: str) -> int:
    """0 for a type outside CAMEO's quad classes, else 1 + its class."""
    qc = quad_class(event_type)
    return 0 if qc is None else 1 + qc


def data_span(project: Project) -> tuple[float, float]:
    values = []
    for e in project.events:
        values += [e.when.lo, e.when.hi]
    for d in project.demands:
        values += [d.raised.lo, d.resolved.hi if d.resolved else None]
    for p in project.phases:
        values += [p.when.lo, p.when.hi]
    values = [v for v in values if v is not None]
    if not values:
        return 1.6e9, 1.6e9 + 30 * DAY
    return min(values), max(values)


class Timeline:
    """The layout of a project, kept up to date edit by edit.

    Events are bucketed by actor, so an edit re-stacks only the lanes it touches and the
    cost of an edit does not grow with the project.
    """

    def __init__(self, project: Project, row_height: float = ROW_HEIGHT):
        self.project = project
        self.row_height = row_height
        self.reset()

    def reset(self) -> None:
        """Rebuild everything, e.g. after a new project or a change of lanes."""
        self.t_min, self.t_max = data_span(self.project)
        self._by_actor: dict[str, dict[str, Event]] = {}
        self._actor_of: dict[str, str] = {}
        for e in self.project.events:
            self._by_actor.setdefault(e.actor, {})[e.id] = e
            self._actor_of[e.id] = e.actor
        self._lane_cache: dict[tuple[str, ...], LaneEvents] = {}
        self.layout_lanes_of_actor: dict[str, int] = {}
        self.layout = self._build()

    def event(self, event_id: str) -> Event | None:
        """The event as the layout has it now (before a change is taken in)."""
        actor = self._actor_of.get(event_id)
        return None if actor is None else self._by_actor[actor].get(event_id)

    def events_changed(self, events: list[Event | None], ids: list[str]) -> set[str]:
        """Take changed events (None where an id was removed); return the actors touched."""
        removed: dict[str, set[str]] = {}  # by actor
        added: dict[str, list[Event]] = {}
        for record_id, e in zip(ids, events, strict=False):
            old_actor = self._actor_of.pop(record_id, None)
            if old_actor is not None:
                self._by_actor.get(old_actor, {}).pop(record_id, None)
                removed.setdefault(old_actor, set()).add(record_id)
            if e is not None:
                self._by_actor.setdefault(e.actor, {})[e.id] = e
                self._actor_of[e.id] = e.actor
                added.setdefault(e.actor, []).append(e)
                for t in (e.when.lo, e.when.hi):
                    if t is not None:
                        self.t_min, self.t_max = min(self.t_min, t), max(self.t_max, t)
        self.layout = self._build((removed, added), self.layout.demands, self.layout.demand_index)
        return set(removed) | set(added)

    def demands_changed(self) -> None:
        self.layout.demands = self._demands(self.layout.lane_of_actor)
        self.layout.demand_index = DemandIndex.of(self.layout.demands)

    def set_row_height(self, row_height: float) -> None:
        self.row_height = row_height
        self.layout = self._build()

    def _build(
        self,
        changes: tuple[dict[str, set[str]], dict[str, list[Event]]] = ({}, {}),
        demands: list[DemandGeometry] | None = None,
        index: DemandIndex | None = None,
    ) -> Layout:
        """Lay the lanes out, reusing each lane's events unless `changes` (ids removed and
        events added, by actor) touch it."""
        removed, added = changes
        rows_of = visible_actors(self.project)
        lane_of_actor: dict[str, int] = {}
        lanes, lane_events = [], []
        # A strip above the lanes for the phases' titles, so that they never cover events.
        top = PHASE_STRIP if any(p.dated for p in self.project.phases) else 0.0
        for i, (actor, depth, members, kids) in enumerate(rows_of):
            for m in members:
                lane_of_actor[m] = i
            data = self._lane_cache.get(members)
            gone = {i for m in members for i in removed.get(m, ())}
            new = [e for m in members for e in added.get(m, ())]
            if data is None:
                events = [e for m in members for e in self._by_actor.get(m, {}).values()]
                data = build_lane_events(events, self.t_min, self.t_max)
            elif gone or new:
                data = update_lane_events(data, gone, new, self.t_min, self.t_max)
            self._lane_cache[members] = data
            rows = int(data.row.max()) + 1 if len(data.row) else 1
            height = max(MIN_LANE_HEIGHT, 2 * LANE_PADDING + rows * self.row_height)
            lanes.append(Lane(actor, depth, top, height, rows, kids, members))
            lane_events.append(data)
            top += height
        if lane_of_actor == self.layout_lanes_of_actor:
            lane_of_actor = self.layout_lanes_of_actor  # the same: caches keyed on it stay valid
        self.layout_lanes_of_actor = lane_of_actor
        if demands is None or index is None:
            demands = self._demands(lane_of_actor)
            index = DemandIndex.of(demands)
        layout = Layout(
            lanes,
            lane_events,
            demands,
            lane_of_actor,
            self.t_min,
            self.t_max,
            self.row_height,
            self.project.phases,
            index,
        )
        previous = getattr(self, "layout", None)
        if previous is not None and previous.lane_of_actor is lane_of_actor:
            if previous._ticks is not None:
                layout.ticks_base = (previous._ticks, previous.lane_events)
            else:
                layout.ticks_base = previous.ticks_base
        return layout

    def _demands(self, lane_of_actor: dict[str, int]) -> list[DemandGeometry]:
        out = []
        for d in self.project.demands:
            a, b = lane_of_actor.get(d.from_), lane_of_actor.get(d.to)
            if a is None or b is None or d.raised.lo is None:
                continue
            via = tuple(lane_of_actor[v] for v in d.via if v in lane_of_actor)
            end = d.resolved.hi if d.resolved and d.resolved.hi is not None else None
            out.append(DemandGeometry(d, d.raised.lo, end, a, b, via))
        return out


def snap_unit(seconds_per_pixel: float) -> float:
    """The time unit that dragging snaps to at a zoom level: hour, day, or month."""
    if seconds_per_pixel < 120:
        return 3600.0
    if seconds_per_pixel < 3 * 3600:
        return DAY
    return 30 * DAY
