"""The layout kept up to date edit by edit is the layout built afresh."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import links
from app.chart.layout import Timeline
from app.fileformat import canonical, projectfile
from app.records.eventstore import EventStore
from app.records.model import Actor, Event, Project
from app.records.when import parse

DAY = 86400.0
ACTORS = ("a", "b", "c")


def crowded(seed: int, n: int = 40) -> Project:
    rng = np.random.default_rng(seed)
    events = []
    for k in range(n):
        day = 1 + int(rng.integers(0, 12))
        text = f"2023-11-{day:02d}"
        if rng.random() < 0.3:
            text += f"/2023-11-{day + int(rng.integers(1, 6)):02d}"
        events.append(
            Event(
                id=f"e{k:02d}", actor=str(rng.choice(ACTORS)), title=f"Event {k}", when=parse(text)
            )
        )
    actors = [Actor(id=a, name=a.upper()) for a in ACTORS]
    return Project(title="Crowded", actors=actors, events=events)


edits = st.lists(
    st.tuples(
        st.sampled_from(["move", "resize", "actor", "add", "remove"]),
        st.integers(0, 10_000),
        st.integers(-5, 5),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.parametrize("from_file", [False, True], ids=["records", "columns"])
@settings(deadline=None)
@given(seed=st.integers(0, 500), steps=edits)
def test_lanes_updated_edit_by_edit_equal_lanes_built_afresh(from_file, seed, steps):
    """From a list of records, or from an EventStore's columns (a project read from its
    file), whose lanes hold rows until an edit."""
    project = crowded(seed)
    if from_file:
        project = projectfile.loads(canonical.dumps(project))
        assert isinstance(project.events, EventStore)
    timeline = Timeline(project)
    for lane in timeline.layout.lane_events:  # as the links layer finds them, before the edits
        links._kept_answering(lane)
    serial = 0
    for action, pick, days in steps:
        if action == "add" or not project.events:
            serial += 1
            day = 1 + pick % 12
            e = Event(
                id=f"new{serial}",
                actor=ACTORS[pick % 3],
                title="New",
                when=parse(f"2023-11-{day:02d}"),
                # an answer to some event, now and then (links kept edit by edit)
                responds_to=(f"e{pick % 7:02d}",) if pick % 3 else (),
            )
            project.events.append(e)
            timeline.events_changed([e], [e.id])
            continue
        k = pick % len(project.events)
        e = project.events[k]
        if action == "remove":
            del project.events[k]
            assert timeline.event(e.id) == e  # before the change is taken in
            timeline.events_changed([None], [e.id])
            continue
        if action == "move":
            e = dataclasses.replace(e, when=e.when.shifted(days * DAY))
        elif action == "resize" and e.when.is_range:
            e = dataclasses.replace(e, when=e.when.with_edge("end", (abs(days) + 1) * DAY))
        else:
            e = dataclasses.replace(e, actor=ACTORS[(ACTORS.index(e.actor) + 1) % 3])
        old, project.events[k] = project.events[k], e
        assert timeline.event(e.id) == old
        timeline.events_changed([e], [e.id])
        assert timeline.event(e.id) == e
    plain = dataclasses.replace(project, events=list(project.events))
    kept, fresh = timeline.layout, Timeline(plain).layout
    if from_file:  # the columns taken again after the edits give the same lanes
        _same(Timeline(project).layout, fresh)
    _same(kept, fresh)


@pytest.mark.parametrize("from_file", [False, True], ids=["records", "columns"])
def test_the_links_of_a_lane_whose_every_event_changed_are_kept(from_file):
    """An edit of a lane's only event leaves none of its old events in place (the list of
    those that answer others was then worked out over no place at all: an IndexError)."""
    project = Project(
        title="Two",
        actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
        events=[
            Event(id="ask", actor="a", title="Ask", when=parse("2023-11-01")),
            Event(
                id="answer",
                actor="b",
                title="Answer",
                when=parse("2023-11-03"),
                responds_to=("ask",),
            ),
        ],
    )
    if from_file:
        project = projectfile.loads(canonical.dumps(project))
    timeline = Timeline(project)
    assert links.links_of(timeline.layout) == [(0, 0, 1, 0)]
    moved = dataclasses.replace(project.events[1], when=parse("2023-11-05"))
    project.events[1] = moved
    timeline.events_changed([moved], [moved.id])
    assert timeline.layout.lane_events[1].answering == [(0, ("ask",))]
    assert links.links_of(timeline.layout) == [(0, 0, 1, 0)]


def _same(kept, fresh) -> None:
    for mine, theirs in zip(kept.lane_events, fresh.lane_events, strict=True):
        assert mine.ids.tolist() == theirs.ids.tolist()
        assert mine.row.tolist() == theirs.row.tolist()
        for name in ("lo", "hi", "bar", "fuzzy", "kind", "has_with"):
            assert np.array_equal(getattr(mine, name), getattr(theirs, name)), name
        assert mine.longest == theirs.longest
        assert list(mine.events) == list(theirs.events)
        if mine.answering is not None:  # kept through the edits: as found afresh
            assert mine.answering == links._answering(theirs)
    assert [lane.height for lane in kept.lanes] == [lane.height for lane in fresh.lanes]


def test_phase_titles_get_a_strip_above_the_lanes_only_when_there_are_phases(small_project):
    from app.chart.layout import PHASE_STRIP

    with_phases = Timeline(small_project).layout
    assert with_phases.strip == with_phases.lanes[0].top == PHASE_STRIP
    small_project.phases = []
    without = Timeline(small_project).layout
    assert without.strip == without.lanes[0].top == 0.0
    assert with_phases.height - without.height == PHASE_STRIP


@pytest.mark.parametrize("stored", [False, True], ids=["records", "store"])
def test_an_edit_that_widens_the_span_moves_open_ends_to_its_new_edges(stored):
    """An open start or end stands at the span's edge: when an edit widens the span, the
    lanes kept hold theirs where a fresh build puts them."""
    actors = [Actor(id=a, name=a) for a in ("a", "b")]
    events = [
        Event(id="open", actor="a", title="", when=parse("2023-11-05/..")),
        Event(id="since", actor="a", title="", when=parse("../2023-11-02")),
        Event(id="e1", actor="b", title="", when=parse("2023-11-01")),
        Event(id="e2", actor="b", title="", when=parse("2023-11-20")),
    ]
    plain = Project(title="Open ends", actors=actors, events=events)
    project = projectfile.loads(canonical.dumps(plain)) if stored else plain
    timeline = Timeline(project)
    moved = Event(id="e2", actor="b", title="", when=parse("2024-03-01"))  # later: a wider span
    project.events[3] = moved
    timeline.events_changed([moved], ["e2"])
    fresh = Timeline(Project(title="Open ends", actors=actors, events=[*events[:3], moved]))
    assert timeline.layout.t_max == fresh.layout.t_max > parse("2023-11-20").lo
    for mine, theirs in zip(timeline.layout.lane_events, fresh.layout.lane_events, strict=True):
        assert mine.ids.tolist() == theirs.ids.tolist()
        assert mine.lo.tolist() == theirs.lo.tolist() and mine.hi.tolist() == theirs.hi.tolist()
