"""The sources a chart's foot names: those cited by the events and demands dated within
its span. From a project's stores, read from their columns (each distinct set of sources
once) rather than by making every record."""

from __future__ import annotations

import numpy as np

from app.records.demandstore import DemandStore
from app.records.eventstore import EventStore
from app.records.model import Project


def cited_sources(project: Project, t0: float, t1: float) -> list[str]:
    """Sources cited by what is shown, in the order they are first cited (events, then
    demands), each as "publisher, title, published"."""
    ids: dict[str, None] = {}
    for records in (project.events, project.demands):
        for cited in _cited_within(records, t0, t1):
            ids.update(dict.fromkeys(cited))
    by_id = {s.id: s for s in project.sources}
    out = []
    for i in ids:
        s = by_id.get(i)
        if s:
            out.append(
                ", ".join(
                    x for x in (s.publisher, s.title, s.published.text if s.published else "") if x
                )
            )
    return out


def _cited_within(records, t0: float, t1: float) -> list[tuple[str, ...]]:
    """The sources cited by each record dated within [t0, t1] (events by their date,
    demands by when they were raised), in order; from a store, each distinct set of
    sources once, where it first occurs (which names the same sources in the same order)."""
    if isinstance(records, EventStore):
        codes, numbers = records.dates()
        lo, hi = numbers["lo"][codes], numbers["hi"][codes]
    elif isinstance(records, DemandStore):
        lo, hi = records.numbers("raised_lo"), records.numbers("raised_hi")
    else:
        return [
            tuple(dict.fromkeys(c.source for c in r.cites)) for r in records if _within(r, t0, t1)
        ]
    codes, table = records.keyed("cited")
    codes = codes[~(lo > t1) & ~(hi < t0)]  # an open end (NaN) reaches into any span
    _, first = np.unique(codes, return_index=True)
    return [table[c] for c in codes[np.sort(first)].tolist()]


def _within(record, t0: float, t1: float) -> bool:
    when = getattr(record, "when", None) or record.raised
    return not (when.lo is not None and when.lo > t1 or when.hi is not None and when.hi < t0)
