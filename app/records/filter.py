"""What a view shows: a filter over a project's events and demands, by actor (a parent takes
its nested lanes), event type or CAMEO class, tag, demand status, the sources' credibility,
words, and a date span. The answer is a boolean mask per kind, computed from columns made once
per project, so a filter change at 100,000 events costs a few numpy operations."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from app.records.model import Project
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

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, (), "") for f in fields(self))


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


class EventColumns:
    """A project's events as the columns a filter reads. Made once per project version."""

    def __init__(self, project: Project):
        events = project.events
        n = len(events)
        self.actor = [e.actor for e in events]
        self.type = [e.type for e in events]
        self.quad = np.fromiter(
            (-1 if (q := quad_class(t)) is None else q for t in self.type), np.int8, n
        )
        self.lo = np.fromiter((_lo(e.when) for e in events), np.float64, n)
        self.hi = np.fromiter((_hi(e.when) for e in events), np.float64, n)
        self.words = [f"{e.title}\n{e.text}".casefold() for e in events]
        self.best_credibility = np.fromiter(
            (min((c.credibility for c in e.cites if c.credibility), default=99) for e in events),
            np.int16,
            n,
        )
        self.by_tag: dict[str, list[int]] = {}
        for i, e in enumerate(events):
            for tag in e.tags:
                self.by_tag.setdefault(tag, []).append(i)


def _lo(when) -> float:
    return -np.inf if when.lo is None else when.lo


def _hi(when) -> float:
    return np.inf if when.hi is None else when.hi


def event_mask(project: Project, f: Filter, columns: EventColumns | None = None) -> np.ndarray:
    """True for each event the filter shows, in the project's order."""
    c = columns or EventColumns(project)
    n = len(project.events)
    keep = np.ones(n, bool)
    if f.actors:
        lanes = lanes_under(project, f.actors)
        keep &= np.fromiter((a in lanes for a in c.actor), bool, n)
    if f.types:
        wanted = set(f.types)
        classes = [QUAD_CLASSES.index(t) for t in wanted if t in QUAD_CLASSES]
        by_type = np.fromiter((t in wanted for t in c.type), bool, n)
        keep &= by_type | np.isin(c.quad, classes)
    if f.tags:
        tagged = np.zeros(n, bool)
        for tag in f.tags:
            tagged[c.by_tag.get(tag, [])] = True
        keep &= tagged
    if f.text:
        words = f.text.casefold().split()
        keep &= np.fromiter((all(w in t for w in words) for t in c.words), bool, n)
    if f.start is not None:
        keep &= c.hi > f.start
    if f.end is not None:
        keep &= c.lo < f.end
    if f.min_credibility is not None:
        keep &= c.best_credibility <= f.min_credibility
    return keep


def demand_mask(project: Project, f: Filter) -> np.ndarray:
    """True for each demand the filter shows: its status, a party or mediator among the
    actors, the words in its text or offer, and its span (raised to resolved) in the dates."""
    demands = project.demands
    keep = np.ones(len(demands), bool)
    lanes = lanes_under(project, f.actors) if f.actors else None
    words = f.text.casefold().split()
    for i, d in enumerate(demands):
        if f.status and d.status not in f.status:
            keep[i] = False
        elif lanes is not None and not ({d.from_, d.to, *d.via} & lanes):
            keep[i] = False
        elif words and not all(w in f"{d.text}\n{d.offer}\n{d.label}".casefold() for w in words):
            keep[i] = False
        elif not _overlaps(d, f):
            keep[i] = False
    return keep


def _overlaps(demand, f: Filter) -> bool:
    lo = _lo(demand.raised)
    hi = _hi(demand.resolved) if demand.resolved else np.inf
    return (f.start is None or hi > f.start) and (f.end is None or lo < f.end)
