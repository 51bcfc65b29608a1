"""Export, then import: Markwhen and TimelineJS give back what they can carry (titles,
exact dates with ~ ? %, types, nested lanes, demands as demands, phases as phases,
sources), for any project of plain words."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace

from hypothesis import given, settings

from app.exporters import markwhen, timelinejs
from app.importers import import_files
from app.records.model import Project
from tests.app.strategies import projects, words


def distinct_names(project: Project) -> Project:
    """Lanes named apart (a name is how both formats say which lane), sources on the
    web (Markwhen carries a source as a link)."""
    actors = [replace(a, name=f"{a.name} {n}") for n, a in enumerate(project.actors)]
    sources = [replace(s, url=f"https://example.org/{n}") for n, s in enumerate(project.sources)]
    return replace(project, actors=actors, sources=sources)


def lane_path(project: Project, actor_id: str) -> tuple[str, ...]:
    by_id = {a.id: a for a in project.actors}
    path, seen = [], set()
    while actor_id in by_id and actor_id not in seen:
        seen.add(actor_id)
        path.insert(0, by_id[actor_id].name)
        actor_id = by_id[actor_id].parent
    return tuple(path)


def events_of(project: Project, with_type: bool = True) -> list:
    return sorted(
        (e.title, e.when.text, e.type if with_type else "", lane_path(project, e.actor))
        for e in project.events
    )


def imported(text: str, suffix: str) -> Project:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"p{suffix}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return import_files([path])[0]


@settings(deadline=None)
@given(projects(texts=words))
def test_markwhen_gives_back_what_it_can_carry(project):
    project = distinct_names(project)
    back = imported(markwhen.dumps(project), ".mw")
    assert events_of(back) == events_of(project)
    assert sorted((p.title, p.when.text) for p in back.phases) == sorted(
        (p.title, p.when.text) for p in project.phases if p.dated
    )
    assert sorted(
        (lane_path(back, d.from_), lane_path(back, d.to), d.text, d.status) for d in back.demands
    ) == sorted(
        (lane_path(project, d.from_), lane_path(project, d.to), d.text, d.status)
        for d in project.demands
    )
    assert sorted((d.text, d.history) for d in back.demands) == sorted(
        (d.text, d.history) for d in project.demands
    )
    cited = sorted(len(e.cites) for e in back.events)
    assert cited == sorted(len(e.cites) for e in project.events)
    titles = {s.title for s in project.sources}
    assert {s.title for s in back.sources} <= titles | {s.url for s in project.sources}
    assert links_of(back) == links_of(project)


def links_of(project: Project) -> list:
    """Each link as the titles and dates of the two events (ids may change on import)."""
    by_id = {e.id: e for e in project.events}
    return sorted(
        ((e.title, e.when.text), (by_id[r].title, by_id[r].when.text))
        for e in project.events
        for r in e.responds_to
        if r in by_id
    )


@settings(deadline=None)
@given(projects(texts=words))
def test_timelinejs_gives_back_titles_dates_and_nested_lanes(project):
    project = distinct_names(project)
    back = imported(timelinejs.dumps(project), ".json")
    assert events_of(back, with_type=False) == events_of(project, with_type=False)
