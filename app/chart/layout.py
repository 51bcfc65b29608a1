"""Chart geometry: lanes, sub-rows and the time-sorted arrays that painting and
hit-testing query. Pure geometry: no Qt, so the screen and export share it.

Times are seconds since 1970 (UTC); vertical positions are in layout pixels from the top.
"""

from __future__ import annotations

import hashlib
import time
import weakref
from dataclasses import dataclass, field

import numpy as np

from app.chart import withticks
from app.chart.actorlanes import visible_actors
from app.chart.demandindex import DemandIndex, DemandPlaces
from app.chart.laneevents import LaneEvents, build_lane_events, update_lane_events
from app.chart.metrics import strip_room
from app.chart.storelanes import ActorsById, StoreColumns
from app.records.demandstore import DemandStore
from app.records.eventstore import EventStore
from app.records.model import Actor, Event, Phase, Project

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
    # The actor ids drawn in this lane (itself, plus collapsed descendants).
    members: tuple[str, ...] = ()
    strips: int = 0  # context strips under its rows, each in a band of its own

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> float:
        return lane_centre(self.top, self.height, self.strips)


def lane_centre(top, height, strips):
    """The middle of a lane's rows, not of its strips: where arrows and `with` ticks meet
    it. Of one lane, or of arrays of each lane's numbers."""
    return top + (height - strip_room(strips, LANE_PADDING)) / 2


@dataclass(slots=True, weakref_slot=True)  # (links.py's memos go with their layout)
class Layout:
    lanes: list[Lane]
    lane_events: list[LaneEvents]
    demands: DemandPlaces
    lane_of_actor: dict[str, int]  # actor id -> index in `lanes` (collapsed: its ancestor's)
    t_min: float
    t_max: float
    row_height: float
    phases: list[Phase] = field(default_factory=list)
    demand_index: DemandIndex | None = None
    # `with` ticks as (time, lane drawn on, lane of the event) sorted by time, built on
    # first use; and the ticks of an earlier layout of the same lanes with the lane data
    # they came from, so that after an edit only the lanes rebuilt are looked at again.
    _ticks: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    _edges: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    ticks_base: tuple[tuple, list[LaneEvents], dict | None] | None = None

    def with_ticks(self) -> tuple[np.ndarray, np.ndarray]:
        """Every `with` tick as (time, lane it is drawn on), sorted by time."""
        if self._ticks is None:
            base = self.ticks_base
            if base is None:
                self._ticks = withticks.merged(self._lane_ticks(range(len(self.lanes))))
            else:
                self._ticks = self._ticks_after(*base)
            self.ticks_base = None
        return self._ticks[0], self._ticks[1]

    def _ticks_after(self, ticks, old: list[LaneEvents], edits: dict | None):
        """The ticks of the layout these lanes were made from, brought up to date: for
        the lanes an edit updated (`edits`: lane -> (its events before, the events taken
        out as they were, the events added)), of those events only, if few; other lanes
        rebuilt are looked at again whole."""
        rebuilt = [i for i, data in enumerate(self.lane_events) if data is not old[i]]
        gone, come, again = [], [], []
        for i in rebuilt:
            change = (edits or {}).get(i)
            found = None
            if (
                change is not None
                and change[0] is old[i]
                and len(change[1]) == len({e.id for e in change[1]})
                and len(change[1]) + len(change[2]) <= max(64, len(old[i].lo) // 16)
            ):
                found = withticks.updated(
                    old[i], self.lane_events[i], i, self.lane_of_actor, *change[1:]
                )
            if not found:
                again.append(i)
                continue
            lane, out, into = found
            self.lane_events[i].with_ticks = (self.lane_of_actor, *lane)
            if len(out[0]) or len(into[0]):  # an edit of events without `with` copies nothing
                gone.append(out)
                come.append(into)
        if again:
            t, lane, source = ticks
            keep = ~np.isin(source, again)
            ticks = (t[keep], lane[keep], source[keep])
            come += self._lane_ticks(again)
        if not gone and not come:
            return ticks
        empty = (np.empty(0), np.empty(0, np.intp), np.empty(0, np.intp))
        gone_all = tuple(np.concatenate(c) for c in zip(empty, *gone, strict=True))
        come_all = tuple(np.concatenate(c) for c in zip(empty, *come, strict=True))
        return withticks.spliced(ticks, gone_all, come_all)

    def _lane_ticks(self, lanes) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        out = []
        for i in lanes:
            if self.lane_events[i].has_with.any():
                t, target, _ = self.lane_tick(i)
                out.append((t, target, np.full(len(t), i)))
        return out

    def lane_tick(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The `with` ticks of lane i's events, as (time, lane drawn on, the event's index
        in the lane), in the lane's order: kept with the lane while the lanes stay."""
        data = self.lane_events[i]
        if data.with_ticks is None or data.with_ticks[0] is not self.lane_of_actor:
            ks = np.flatnonzero(data.has_with)
            ticks = withticks.lane_ticks(data, i, ks, self.lane_of_actor)
            data.with_ticks = (self.lane_of_actor, *ticks)
        return data.with_ticks[1], data.with_ticks[2], data.with_ticks[3]

    def lane_ticks(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """`lane_tick` of every lane (empty arrays for a lane without `with` actors)."""
        none = (np.empty(0), np.empty(0, np.intp), np.empty(0, np.intp))
        return [
            self.lane_tick(i) if data.has_with.any() else none
            for i, data in enumerate(self.lane_events)
        ]

    @property
    def height(self) -> float:
        return self.lanes[-1].bottom if self.lanes else 0.0

    @property
    def strip(self) -> float:
        """The height of the phase titles' strip above the first lane."""
        return self.lanes[0].top if self.lanes else 0.0

    def lane_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Every lane's top and bottom, as arrays."""
        if self._edges is None:  # (by columns: `Lane.centre` a lane cost an edit 11 us)
            tops = np.array([x.top for x in self.lanes], dtype=float)
            heights = np.array([x.height for x in self.lanes], dtype=float)
            strips = np.array([x.strips for x in self.lanes], dtype=float)
            self._edges = tops, tops + heights, lane_centre(tops, heights, strips)
        return self._edges[:2]

    def lane_centres(self) -> np.ndarray:
        """Every lane's `centre`, as an array."""
        self.lane_edges()
        return self._edges[2]

    def lane_at(self, y: float) -> int | None:
        """The lane index at a vertical position, or None outside every lane."""
        tops, bottoms = self.lane_edges()
        i = int(np.searchsorted(tops, y, "right")) - 1
        if 0 <= i < len(self.lanes) and y < bottoms[i]:
            return i
        return None

    def row_top(self, lane: int, row: int) -> float:
        return self.lanes[lane].top + LANE_PADDING + row * self.row_height

    def event_at(self, t: float, y: float, tolerance_s: float, shown=None) -> Event | None:
        """The event drawn at (t, y), with `tolerance_s` of slack in time for small marks;
        of those `shown` keeps (a filter's masks, app/chart/kept.py), when given."""
        lane_i = self.lane_at(y)
        if lane_i is None:
            return None
        data = self.lane_events[lane_i]
        row = int((y - self.lanes[lane_i].top - LANE_PADDING) // self.row_height)
        best, best_d = None, None
        idx = data.visible(t - tolerance_s, t + tolerance_s)
        if shown is not None:
            idx = idx[shown.lane(self, lane_i)[idx]]
        for i in idx.tolist():
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

    def events_in(self, t0: float, t1: float, y0: float, y1: float, shown=None) -> list[str]:
        """Ids of events whose marks meet a rectangle (for rubber-band selection); of
        those `shown` keeps, when given."""
        out = []
        for lane_i, lane in enumerate(self.lanes):
            if lane.bottom < y0 or lane.top > y1:
                continue
            data = self.lane_events[lane_i]
            idx = data.visible(t0, t1)
            if shown is not None:
                idx = idx[shown.lane(self, lane_i)[idx]]
            top = lane.top + LANE_PADDING + data.row[idx] * self.row_height
            out += data.ids[idx[(top + self.row_height >= y0) & (top <= y1)]].tolist()
        return out


def data_span(project: Project) -> tuple[float, float]:
    events = project.events
    if isinstance(events, EventStore):
        codes, dates = events.dates()
        used = np.zeros(len(dates["lo"]), dtype=bool)
        used[codes] = True  # each distinct date once, without sorting a million codes
        values = [
            t for t in np.concatenate([dates["lo"][used], dates["hi"][used]]).tolist() if t == t
        ]
    else:
        every = [e.when for e in events]
        whens = dict(zip(map(id, every), every, strict=True)).values()  # shared dates: each once
        values = [w.lo for w in whens] + [w.hi for w in whens]
    demands = project.demands
    if isinstance(demands, DemandStore):
        dates = np.concatenate([demands.numbers("raised_lo"), demands.numbers("resolved_hi")])
        dates = dates[~np.isnan(dates)]
        values += [float(dates.min()), float(dates.max())] if len(dates) else []
    else:
        for d in demands:
            values += [d.raised.lo, d.resolved.hi if d.resolved else None]
    for p in project.phases:
        values += [p.when.lo, p.when.hi]
    values = [v for v in values if v is not None]
    if not values:  # nothing dated yet: the month around today
        today = time.time() // DAY * DAY
        return today - 15 * DAY, today + 15 * DAY
    return min(values), max(values)


class Timeline:
    """The layout of a project, kept up to date edit by edit.

    Events are bucketed by actor, so an edit re-stacks only the lanes it touches and the
    cost of an edit does not grow with the project.
    """

    def __init__(self, project: Project, row_height: float = ROW_HEIGHT, strips=None):
        self.project = project
        self.row_height = row_height
        self.strips: dict[str, int] = dict(strips or {})  # actor id -> context strips
        self.reset()

    def reset(self) -> None:
        """Rebuild everything, e.g. after a new project or a change of lanes."""
        self.t_min, self.t_max = data_span(self.project)
        events = self.project.events
        # Events taken in since (all of them, for a plain list), by actor and id.
        self._by_actor: dict[str, dict[str, Event]] = {}
        self._actor_of: dict[str, str] | ActorsById | None = None  # a store's: at first use
        self._columns: StoreColumns | None = None
        if isinstance(events, EventStore):
            self._take_columns(events)
        else:
            self._actor_of = {}
            for e in events:
                self._by_actor.setdefault(e.actor, {})[e.id] = e
                self._actor_of[e.id] = e.actor
        self._lane_cache: dict[tuple[str, ...], LaneEvents] = {}
        # Sub-rows of each lane, by a weak reference to the rows counted: the count is
        # kept, not the lane (its arrays and their detail go when the lane does).
        self._rows_of: dict[tuple[str, ...], tuple[weakref.ref, int]] = {}
        self.layout_lanes_of_actor: dict[str, int] = {}
        self._actor_rows: tuple[tuple[Actor, ...], list] = ((), [])
        self.layout = self._build()

    def _take_columns(self, store: EventStore) -> None:
        """Lanes to come are built from the store's columns as they are now; the records
        that differ from the columns' texts are kept as taken in."""
        self._columns = c = StoreColumns.of(store, self.t_min, self.t_max)
        self._positions = c.positions_by_actor()
        self._by_actor, self._actor_of, self._stale = {}, None, False
        for position in np.flatnonzero(c.edited).tolist():
            e = store.record(int(c.rows[position]))
            self._by_actor.setdefault(e.actor, {})[e.id] = e

    def actor_of(self) -> dict[str, str] | ActorsById:
        """Each event's actor, by id, as the layout has it now."""
        if self._actor_of is None:
            self._actor_of = ActorsById(self._columns)
        return self._actor_of

    def event(self, event_id: str) -> Event | None:
        """The event as the layout has it now (before a change is taken in)."""
        actor = self.actor_of().get(event_id)
        if actor is None:
            return None
        taken = self._by_actor.get(actor, {}).get(event_id)
        if taken is not None or self._columns is None:
            return taken
        return self._columns.store.original(self._actor_of.row(event_id))

    def events_changed(self, events: list[Event | None], ids: list[str]) -> set[str]:
        """Take changed events (None where an id was removed); return the actors touched."""
        removed: dict[str, set[str]] = {}  # by actor
        added: dict[str, list[Event]] = {}
        was: dict[str, list[Event]] = {}  # the removed as the lanes hold them, by actor
        actor_of = self.actor_of()
        span = (self.t_min, self.t_max)
        for record_id, e in zip(ids, events, strict=False):
            old_actor = actor_of.get(record_id)
            if old_actor is not None:
                before = self.event(record_id)
                if before is not None:
                    was.setdefault(old_actor, []).append(before)
                del actor_of[record_id]
                self._by_actor.get(old_actor, {}).pop(record_id, None)
                removed.setdefault(old_actor, set()).add(record_id)
            if e is not None:
                self._by_actor.setdefault(e.actor, {})[e.id] = e
                actor_of[e.id] = e.actor
                added.setdefault(e.actor, []).append(e)
                for t in (e.when.lo, e.when.hi):
                    if t is not None:
                        self.t_min, self.t_max = min(self.t_min, t), max(self.t_max, t)
        self._stale = True
        if (self.t_min, self.t_max) != span:
            self._forget_open_ends(*span)
        changes = (removed, added, was)
        self.layout = self._build(changes, self.layout.demands, self.layout.demand_index)
        return set(removed) | set(added)

    def _forget_open_ends(self, t_min: float, t_max: float) -> None:
        """The span grew: an open start or end stands at the span's edge, so where there are
        any, lanes that may hold one (an event at the old edge) are built again."""
        taken = (e for events in self._by_actor.values() for e in events.values())
        if not any(e.when.lo is None or e.when.hi is None for e in taken) and not (
            self._columns is not None and self._columns.open_ended
        ):
            return
        for members, data in list(self._lane_cache.items()):
            if len(data.lo) and (data.lo[0] <= t_min or (data.hi >= t_max).any()):
                del self._lane_cache[members]

    def _lanes(self, lanes: list[tuple[str, ...]]) -> dict[tuple[str, ...], LaneEvents]:
        """Lanes built afresh from their members' events (a lane's members as key)."""
        if not lanes:
            return {}
        if self._columns is None:
            return {
                members: build_lane_events(
                    [e for m in members for e in self._by_actor.get(m, {}).values()],
                    self.t_min,
                    self.t_max,
                )
                for members in lanes
            }
        if self._stale:  # edits since the columns were taken: take them again
            self._take_columns(self._columns.store)
        wanted = []
        for members in lanes:
            found = [self._positions[m] for m in members if m in self._positions]
            span = repr((members, self.t_min, self.t_max)).encode()
            name = "lane-" + hashlib.blake2b(span, digest_size=12).hexdigest()
            wanted.append((np.concatenate(found) if found else np.empty(0, np.intp), name))
        return dict(zip(lanes, self._columns.lanes(wanted), strict=True))

    def demands_changed(self) -> None:
        self.layout.demands = self._demands(self.layout.lane_of_actor)
        self.layout.demand_index = DemandIndex.of(self.layout.demands)

    def set_row_height(self, row_height: float) -> None:
        self.row_height = row_height
        self.layout = self._build()

    def set_strips(self, strips: dict[str, int]) -> None:
        """Room under each lane for its context strips (actor id -> how many)."""
        if strips != self.strips:
            self.strips = dict(strips)
            self.layout = self._build()

    def _build(
        self,
        changes: tuple[dict[str, set[str]], dict[str, list[Event]]] = ({}, {}),
        demands: DemandPlaces | None = None,
        index: DemandIndex | None = None,
    ) -> Layout:
        """Lay the lanes out, reusing each lane's events unless `changes` (ids removed and
        events added, by actor) touch it."""
        removed, added, *also = changes  # and the removed as the lanes hold them, if given
        was = also[0] if also else {}
        actors = tuple(self.project.actors)  # the same as the last build's: its lanes' rows
        if actors != self._actor_rows[0]:  # (12 us of an edit at 50 lanes, for nothing)
            self._actor_rows = actors, visible_actors(self.project)
        rows_of = self._actor_rows[1]
        lane_of_actor: dict[str, int] = {}
        lanes, lane_events = [], []
        edits: dict[int, tuple] = {}  # lanes updated: (lane before, events as were, added)
        # A strip above the lanes for the phases' titles, so that they never cover events.
        top = PHASE_STRIP if any(p.dated for p in self.project.phases) else 0.0
        # Lanes not built yet are built together (their rows are stacked at once).
        fresh = self._lanes([m for _, _, m, _ in rows_of if m not in self._lane_cache])
        for i, (actor, depth, members, kids) in enumerate(rows_of):
            for m in members:
                lane_of_actor[m] = i
            data = self._lane_cache.get(members)
            gone = {i for m in members for i in removed.get(m, ())}
            new = [e for m in members for e in added.get(m, ())]
            if data is None:
                data = fresh[members]
            elif gone or new:
                before = [e for m in members for e in was.get(m, ())]
                if len(before) == len(gone):  # each found as it was
                    edits[i] = (data, before, new)
                data = update_lane_events(data, gone, new, self.t_min, self.t_max, before)
            self._lane_cache[members] = data
            counted = self._rows_of.get(members)
            if counted is None or counted[0]() is not data.row:  # once per lane's arrays
                count = int(data.row.max()) + 1 if len(data.row) else 1
                counted = self._rows_of[members] = (weakref.ref(data.row), count)
            rows, strips = counted[1], self.strips.get(actor.id, 0)
            room = strip_room(strips, LANE_PADDING)
            height = max(MIN_LANE_HEIGHT, 2 * LANE_PADDING + rows * self.row_height + room)
            lanes.append(Lane(actor, depth, top, height, rows, kids, members, strips))
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
                layout.ticks_base = (previous._ticks, previous.lane_events, edits)
            elif previous.ticks_base is not None:  # more than one edit since: lanes whole
                layout.ticks_base = (*previous.ticks_base[:2], None)
        return layout

    def _demands(self, lane_of_actor: dict[str, int]) -> DemandPlaces:
        return DemandPlaces.of(self.project.demands, lane_of_actor)
