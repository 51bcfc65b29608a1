"""Events an import would repeat: the same file imported twice into a project gave every
event twice, without a word. They are counted and said (never left out unasked: an event
may well happen twice)."""

from __future__ import annotations

from app.importers.base import key
from app.records.eventstore import date_texts, values
from app.records.model import Project

Key = tuple[str, str, str]


def event_keys(project: Project, skip: int = 0) -> list[Key]:
    """Each event's (lane's name as matched, title, date as written), from the `skip`-th on:
    what importing its row again gives again."""
    names = {a.id: key(a.name) for a in project.actors}
    events = project.events
    actors, titles = values(events, "actor")[skip:], values(events, "title")[skip:]
    return [
        (names.get(a, a), t, w)
        for a, t, w in zip(actors, titles, date_texts(events, "when")[skip:], strict=True)
    ]


def repeated(before: set[Key], keys: list[Key]) -> int:
    """How many of `keys` were among the events `before`."""
    return sum(k in before for k in keys)


def repeats_of(project: Project, imported: Project, skip: int = 0) -> int:
    """How many events of `imported`, from the `skip`-th on, `project` has already."""
    return repeated(set(event_keys(project)), event_keys(imported, skip)) if project.events else 0


def repeats_words(n: int, where: str) -> str:
    return f"{n} of these events {'is' if n == 1 else 'are'} already in {where} (same lane, title and date)"
