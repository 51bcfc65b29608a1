"""Which records use which: the events and demands naming an actor or citing a source, and
how many events stand on each lane. What a table asks for each row it paints is worked out
for every actor or source at once and kept until an event or demand changes
(`Document._changed` tells `forget`)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from app.records.eventstore import counts, values
from app.records.model import Project


class Uses:
    def __init__(self, project: Callable[[], Project]):
        self._project = project  # the document's, now (it replaces its project at a reload)
        self.forget()

    def forget(self) -> None:
        self._cited_by: dict[str, list[str]] | None = None
        self._events_on: dict[str, int] | None = None

    def of_actor(self, actor_id: str) -> list[str]:
        """Ids of records that refer to an actor."""
        p = self._project()
        fields_of = (values(p.events, attr) for attr in ("id", "actor", "with_"))
        events = zip(*fields_of, strict=True)
        out = [i for i, actor, with_ in events if actor == actor_id or actor_id in with_]
        demands = zip(
            *(values(p.demands, attr) for attr in ("id", "from_", "to", "via")), strict=True
        )
        out += [i for i, a, b, via in demands if actor_id in (a, b) or actor_id in via]
        out += [a.id for a in p.actors if a.parent == actor_id]
        return out

    def events_on(self, actor_id: str) -> int:
        """How many events stand on an actor's own lane: counted for every actor at once
        and kept until an event changes (the Actors table asks it for each row it paints)."""
        if self._events_on is None:
            self._events_on = counts(self._project().events, "actor")
        return self._events_on.get(actor_id, 0)

    def of_source(self, source_id: str) -> list[str]:
        """The events and demands citing `source_id`. Worked out for every source at once
        and kept until an event or demand changes: the Sources table asks it for each row
        (at 100,000 events, a scan a row froze the window for minutes)."""
        if self._cited_by is None:
            cited_by: dict[str, list[str]] = {}
            p = self._project()
            kinds = (p.events, p.demands)  # read from the columns of stores
            for record_id, sources in chain(
                *(zip(values(r, "id"), values(r, "cited"), strict=True) for r in kinds)
            ):
                for source in sources:
                    cited_by.setdefault(source, []).append(record_id)
            self._cited_by = cited_by
        return list(self._cited_by.get(source_id, ()))
