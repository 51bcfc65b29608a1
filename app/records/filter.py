"""What a view shows: a filter over a project's events and demands, by actor (a parent takes
its nested lanes), event type or CAMEO class, tag, demand status, the sources' credibility,
words, and a date span. The answer is a boolean mask per kind, computed from columns made once
per project, so a filter change at 100,000 events costs a few numpy operations."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import partial

import numpy as np

from app.records.demandstore import DemandStore
from app.records.eventstore import ids_and_rows, values
from app.records.model import Project, View
from app.records.textfind import RowTexts
from app.records.vocabulary import QUAD_CLASSES, quad_class


@dataclass(frozen=True, slots=True, kw_only=True)
class Filter:
    """Every field narrows what is shown; an empty field does not filter."""

    actors: tuple[str, ...] = ()  # actor ids; each takes the lanes nested in it
    types: tuple[str, ...] = ()  # event types, or CAMEO classes ("verbal cooperation", ...)
    tags: tuple[str, ...] = ()  # an event with any of them
    status: tuple[str, ...] = ()  # demands with one of these statuses
    text: str = ""  # words, all of which appear in the title or the text (any case)
    start: float | None = None  # seconds since 1970: what overlaps [start, end) is shown
    end: float | None = None
    min_credibility: int | None = None  # events citing a source at least this credible (1..6)

    def events_only(self) -> bool:
        """It asks for kinds of event (types, tags, credibility) and no demand status:
        demands, which have none of these, are not what it shows."""
        return bool(self.types or self.tags or self.min_credibility is not None) and not self.status

    def demands_only(self) -> bool:
        """It asks for demand statuses and nothing only events have: events are not shown."""
        return bool(self.status) and not (
            self.types or self.tags or self.min_credibility is not None
        )

    def leaves_out(self) -> str:
        """Why a whole kind is not shown, in the person's words ("" when both are)."""
        if self.events_only():
            return "demands have no type, tag or credibility"
        return "events have no status" if self.demands_only() else ""

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, (), "") for f in fields(self))

    def same_as(self, other: Filter) -> bool:
        """It shows what `other` shows: the same values, whatever the order of a list's."""
        return all(
            set(a) == set(b) if isinstance(a, tuple) else a == b
            for a, b in ((getattr(self, f.name), getattr(other, f.name)) for f in fields(self))
        )


def lanes_under(project: Project, actors: tuple[str, ...]) -> set[str]:
    """The actors and every lane nested in them, at any depth."""
    children: dict[str, list[str]] = {}
    for a in project.actors:
        children.setdefault(a.parent, []).append(a.id)
    out, todo = set(), list(actors)
    while todo:
        actor = todo.pop()
        if actor not in out:
            out.add(actor)
            todo.extend(children.get(actor, ()))
    return out


class _Codes:
    """Values as small integers: each distinct value once, so a filter compares numbers."""

    def __init__(self, values: list[str]):
        self.index: dict[str, int] = {}
        self.codes = np.fromiter(
            (self.index.setdefault(v, len(self.index)) for v in values), np.int32, len(values)
        )

    def isin(self, wanted) -> np.ndarray:
        return np.isin(self.codes, [self.index[w] for w in wanted if w in self.index])


def _having_all(words: RowTexts, text: str) -> np.ndarray:
    """True for each row holding every word of `text` (in any of its parts)."""
    keep = np.ones(words.n, bool)
    for word in text.split():
        keep &= words.matching(word)
    return keep


class EventColumns:
    """A project's events and demands as the columns a filter reads. Made once per project
    version; a filter change then costs a few numpy operations."""

    def __init__(self, project: Project):
        events, demands = project.events, project.demands
        n = len(events)
        column = partial(values, events)  # from an EventStore's columns, no record made
        self.actor = _Codes(column("actor"))
        self.type = _Codes(column("type"))
        quads = np.array(
            [-1 if (q := quad_class(t)) is None else q for t in self.type.index] or [-1]
        )
        self.quad = quads[self.type.codes] if n else np.empty(0, np.int64)
        whens = column("when")
        self.lo = np.fromiter(map(_lo, whens), np.float64, n)
        self.hi = np.fromiter(map(_hi, whens), np.float64, n)
        self.words = RowTexts(n, str.casefold)
        for field in ("title", "text"):
            self.words.add(column(field))
        best = {}  # by citation block: records share them
        for cites in column("cites"):
            if id(cites) not in best:
                best[id(cites)] = min((c.credibility for c in cites if c.credibility), default=99)
        self.best_credibility = np.fromiter(
            map(best.__getitem__, map(id, column("cites"))), np.int16, n
        )
        self.by_tag: dict[str, list[int]] = {}
        for i, tags in enumerate(column("tags")):
            for tag in tags:
                self.by_tag.setdefault(tag, []).append(i)
        demanded = partial(values, demands)  # from a DemandStore's columns, no record made
        self.status = _Codes(demanded("status"))
        self.demand_from = _Codes(demanded("from_"))
        self.demand_to = _Codes(demanded("to"))
        # Each mediator as a (demand, actor) pair, so a filter by actor reads them in numpy.
        vias = demanded("via")
        self.via_demand = np.fromiter((i for i, via in enumerate(vias) for _ in via), np.intp)
        self.via = _Codes([v for via in vias for v in via])
        # Every id, events then demands: what a filter keeps, as ids, is taken from it.
        ids, self.rows = ids_and_rows(events)  # (rows: the store's, for the chart's lanes)
        self.ids = np.array(ids + demanded("id"), dtype=object)
        self.demand_lo, self.demand_hi = _demand_spans(demands)
        self.demand_words = RowTexts(len(demands), str.casefold)
        for field in ("text", "offer", "label"):
            self.demand_words.add(demanded(field))


def _demand_spans(demands) -> tuple[np.ndarray, np.ndarray]:
    """When each demand was raised and resolved (infinite where open)."""
    if isinstance(demands, DemandStore):
        lo, hi = demands.numbers("raised_lo"), demands.numbers("resolved_hi")
        return np.where(np.isnan(lo), -np.inf, lo), np.where(np.isnan(hi), np.inf, hi)
    m = len(demands)
    return (
        np.fromiter((_lo(d.raised) for d in demands), np.float64, m),
        np.fromiter((_hi(d.resolved) if d.resolved else np.inf for d in demands), np.float64, m),
    )


def _lo(when) -> float:
    return -np.inf if when.lo is None else when.lo


def _hi(when) -> float:
    return np.inf if when.hi is None else when.hi


def event_mask(project: Project, f: Filter, columns: EventColumns | None = None) -> np.ndarray:
    """True for each event the filter shows, in the project's order."""
    c = columns or EventColumns(project)
    keep = np.full(len(project.events), not f.demands_only())
    if f.actors:
        keep &= c.actor.isin(lanes_under(project, f.actors))
    if f.types:
        classes = [QUAD_CLASSES.index(t) for t in f.types if t in QUAD_CLASSES]
        keep &= c.type.isin(f.types) | np.isin(c.quad, classes)
    if f.tags:
        tagged = np.zeros(len(keep), bool)
        for tag in f.tags:
            tagged[c.by_tag.get(tag, [])] = True
        keep &= tagged
    if f.text:
        keep &= _having_all(c.words, f.text)
    keep &= _in_span(c.lo, c.hi, f)
    if f.min_credibility is not None:
        keep &= c.best_credibility <= f.min_credibility
    return keep


def demand_mask(project: Project, f: Filter, columns: EventColumns | None = None) -> np.ndarray:
    """True for each demand the filter shows: its status, a party or mediator among the
    actors, the words in its text, offer or label, and its span (raised to resolved)."""
    c = columns or EventColumns(project)
    keep = np.full(len(project.demands), not f.events_only())
    if f.status:
        keep &= c.status.isin(f.status)
    if f.actors:
        lanes = lanes_under(project, f.actors)
        party = c.demand_from.isin(lanes) | c.demand_to.isin(lanes)
        party[c.via_demand[c.via.isin(lanes)]] = True
        keep &= party
    if f.text:
        keep &= _having_all(c.demand_words, f.text)
    return keep & _in_span(c.demand_lo, c.demand_hi, f)


def kept_ids(
    project: Project, f: Filter, columns: EventColumns
) -> tuple[frozenset, np.ndarray, int, int]:
    """The ids of the events and demands the filter shows, its mask over `columns.ids`
    (events then demands), and how many events and demands it shows."""
    events, demands = event_mask(project, f, columns), demand_mask(project, f, columns)
    mask = np.concatenate([events, demands])
    return frozenset(columns.ids[mask].tolist()), mask, int(events.sum()), int(demands.sum())


def _in_span(lo: np.ndarray, hi: np.ndarray, f: Filter) -> np.ndarray:
    """What overlaps the filter's [start, end): an open end keeps everything on its side."""
    keep = np.ones(len(lo), bool)
    if f.start is not None:
        keep &= hi > f.start
    if f.end is not None:
        keep &= lo < f.end
    return keep


def of_view(view: View) -> Filter:
    """The filter a saved view describes."""
    return Filter(
        actors=view.actors,
        types=view.types,
        tags=view.tags,
        status=view.status,
        text=view.text,
        start=view.from_.lo if view.from_ else None,
        end=view.to.hi if view.to else None,
        min_credibility=view.min_credibility,
    )


def shown(project: Project, f: Filter) -> Project:
    """The project as the filter shows it: only the events and demands it keeps and, when it
    names actors, only their lanes (nested ones included; a lane whose parent is not shown
    stands at the top). References to what is not shown are dropped, so the result is a
    valid project that every export can write."""
    if f.is_empty():
        return project
    columns = EventColumns(project)
    events = [project.events[i] for i in np.flatnonzero(event_mask(project, f, columns)).tolist()]
    kept = np.flatnonzero(demand_mask(project, f, columns)).tolist()
    demands = [project.demands[i] for i in kept]  # only those shown are made
    actors = project.actors
    if f.actors:
        lanes = lanes_under(project, f.actors)
        # A demand shown (a party or mediator is in the lanes) keeps both parties' lanes, so
        # its arrow has its two ends, as on screen.
        lanes |= {a for d in demands for a in (d.from_, d.to)}
        actors = [
            a if a.parent in lanes else replace(a, parent="")
            for a in project.actors
            if a.id in lanes
        ]
        events = [replace(e, with_=tuple(w for w in e.with_ if w in lanes)) for e in events]
        demands = [replace(d, via=tuple(v for v in d.via if v in lanes)) for d in demands]
    kept = {e.id for e in events}
    events = [
        e
        if set(e.responds_to) <= kept
        else replace(e, responds_to=tuple(r for r in e.responds_to if r in kept))
        for e in events
    ]
    ids = {a.id for a in actors}
    views = [v for v in project.views if set(v.actors) <= ids]
    context = [
        replace(c, match=tuple(m for m in c.match if m.actor in ids)) for c in project.context
    ]
    return replace(
        project, actors=actors, events=events, demands=demands, views=views, context=context
    )
