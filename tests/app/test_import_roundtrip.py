"""Export, then import: Markwhen and TimelineJS give back what they can carry (titles,
exact dates with ~ ? %, types, nested lanes, demands as demands, phases as phases,
sources), for any project of plain words."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings

from app.exporters import markwhen, timelinejs
from app.fileformat import projectfile
from app.importers import import_files
from app.records.model import Actor, Cite, Demand, Event, Project, Source
from app.records.when import parse
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


EXAMPLE = Path(__file__).parents[2] / "projects" / "hostage-talks-2023.yaml"


def named(project: Project, ids) -> tuple:
    return tuple(lane_path(project, a) for a in ids)


def test_the_example_through_markwhen_gives_back_lanes_events_sources_and_description():
    """What Markwhen carries of the example comes back. Not carried: the lanes' ids,
    colours and kinds (a lane is a heading), the phases' colours, the views, and a
    demand raised over a range (its entry spans raised to resolved)."""
    project = projectfile.load(EXAMPLE, [])
    back = imported(markwhen.dumps(project), ".mw")
    assert (back.title, back.description) == (project.title, project.description)
    assert sorted(lane_path(back, a.id) for a in back.actors) == sorted(
        lane_path(project, a.id) for a in project.actors
    )
    assert sorted(
        (e.title, e.when.text, lane_path(back, e.actor), named(back, e.with_)) for e in back.events
    ) == sorted(
        (e.title, e.when.text, lane_path(project, e.actor), named(project, e.with_))
        for e in project.events
    )
    assert sorted(
        (d.text, lane_path(back, d.to), named(back, d.via)) for d in back.demands
    ) == sorted((d.text, lane_path(project, d.to), named(project, d.via)) for d in project.demands)
    assert back.sources == project.sources
    assert {e.id: e.cites for e in back.events} == {e.id: e.cites for e in project.events}
    assert {d.id: d.cites for d in back.demands} == {d.id: d.cites for d in project.demands}


def test_names_with_commas_and_a_wrapped_description_come_back():
    project = Project(
        title="T",
        description="A description long enough for YAML to wrap it: " + "word " * 40,
        actors=[
            Actor(id="usa", name="United States"),
            Actor(id="burns", name="William Burns, CIA Director", parent="usa"),
            Actor(id="qatar", name='Qatar "#1"'),
        ],
        events=[
            Event(
                id="e",
                actor="usa",
                title="Talks",
                when=parse("2023-11-18"),
                with_=("burns", "qatar"),
            )
        ],
        demands=[
            Demand(
                id="d",
                from_="usa",
                to="burns",
                text="Go",
                raised=parse("2023-11-19"),
                via=("burns", "qatar"),
            )
        ],
    )
    back = imported(markwhen.dumps(project), ".mw")
    assert back.description == project.description.strip()
    assert sorted(a.name for a in back.actors) == sorted(a.name for a in project.actors)
    assert named(back, back.events[0].with_) == named(project, ("burns", "qatar"))
    assert named(back, back.demands[0].via) == named(project, ("burns", "qatar"))
    assert lane_path(back, back.demands[0].to) == lane_path(project, "burns")


def test_a_source_with_parentheses_in_its_title_and_publisher_comes_back():
    source = Source(
        id="npr", title="Freed (2 of them)", publisher="NPR (as carried by KUNC)", url=""
    )
    linked = replace(source, id="npr-web", url="https://example.org/npr")
    cites = (Cite(source="npr", credibility=2, quote='"Free" (now)'), Cite(source="npr-web"))
    project = Project(
        title="T",
        actors=[Actor(id="a", name="A")],
        sources=[source, linked],
        events=[Event(id="e", actor="a", title="X", when=parse("2023-11-18"), cites=cites)],
    )
    back = imported(markwhen.dumps(project), ".mw")
    assert back.sources == project.sources
    assert back.events[0].cites == cites
    assert back.events[0].text == ""


def test_a_file_of_an_earlier_version_still_imports():
    """Lanes parted by commas, a link's publisher in parentheses, no sources in the header."""
    back = imported(
        "---\ntitle: T\ndescription: One line\n---\n# A\n# B\n# C\n"
        "2023-11-18: Talks\nwith: A, B\n"
        "[Freed (NPR (as carried by KUNC)), credibility 1 (confirmed)](https://example.org/a)\n",
        ".mw",
    )
    (event,) = back.events
    assert named(back, event.with_) == (("A",), ("B",))
    assert [(s.title, s.publisher) for s in back.sources] == [("Freed", "NPR (as carried by KUNC)")]
    assert event.cites[0].credibility == 1
