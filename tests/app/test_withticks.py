"""The `with` ticks brought up to date edit by edit, for the events an edit changed only,
are the ticks worked out afresh: lane by lane in the lane's order, and all of them merged."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import withticks
from app.chart.layout import Timeline
from app.fileformat import canonical, projectfile
from app.records.eventstore import EventStore
from app.records.model import Actor, Event, Project
from app.records.when import parse

DAY = 86400.0
ACTORS = ("a", "b", "c", "d")
WITH = [(), (), ("b",), ("a", "c"), ("d", "zz"), ("c", "b", "a")]  # zz is hidden: no lane


def project_of(seed: int, n: int = 50) -> Project:
    rng = np.random.default_rng(seed)
    events = []
    for k in range(n):
        day = 1 + int(rng.integers(0, 14))
        text = f"2023-11-{day:02d}"
        if rng.random() < 0.3:
            text += f"/2023-11-{day + int(rng.integers(1, 5)):02d}"
        events.append(
            Event(
                id=f"e{k:02d}",
                actor=str(rng.choice(ACTORS)),
                title=f"Event {k}",
                when=parse(text),
                with_=WITH[int(rng.integers(0, len(WITH)))],
            )
        )
    actors = [Actor(id=a, name=a.upper()) for a in ACTORS]
    actors.append(Actor(id="zz", name="ZZ", hidden=True))
    return Project(title="With", actors=actors, events=events)


steps = st.lists(
    st.lists(
        st.tuples(
            st.sampled_from(["move", "with", "actor", "add", "remove"]),
            st.integers(0, 1000),
            st.integers(-3, 3),
        ),
        min_size=1,
        max_size=3,
    ),
    min_size=1,
    max_size=8,
)


def _same_ticks(timeline: Timeline, project: Project) -> None:
    plain = dataclasses.replace(project, events=list(project.events))
    fresh = Timeline(plain).layout
    kept = timeline.layout
    for mine, theirs in zip(kept.lane_ticks(), fresh.lane_ticks(), strict=True):
        for a, b in zip(mine, theirs, strict=True):
            assert a.tolist() == b.tolist()
    t, lane = kept.with_ticks()
    assert np.all(np.diff(t) >= 0)
    assert sorted(zip(t.tolist(), lane.tolist(), strict=True)) == sorted(
        zip(*(a.tolist() for a in fresh.with_ticks()), strict=True)
    )


@pytest.mark.parametrize("from_file", [False, True], ids=["records", "columns"])
@settings(deadline=None)
@given(seed=st.integers(0, 300), edits=steps, painted=st.lists(st.booleans(), min_size=8))
def test_ticks_kept_up_edit_by_edit_equal_ticks_found_afresh(from_file, seed, edits, painted):
    project = project_of(seed)
    if from_file:
        project = projectfile.loads(canonical.dumps(project))
        assert isinstance(project.events, EventStore)
    timeline = Timeline(project)
    timeline.layout.with_ticks()
    serial = 0
    for step, paint in zip(edits, painted, strict=False):
        changed, ids = [], []
        for action, pick, days in step:
            if action == "add" or not project.events:
                serial += 1
                e = Event(
                    id=f"new{serial}",
                    actor=ACTORS[pick % 4],
                    title="New",
                    when=parse(f"2023-11-{1 + pick % 14:02d}"),
                    with_=WITH[pick % len(WITH)],
                )
                project.events.append(e)
                changed.append(e)
                ids.append(e.id)
                continue
            k = pick % len(project.events)
            e = project.events[k]
            if e.id in ids:
                continue
            if action == "remove":
                del project.events[k]
                changed.append(None)
                ids.append(e.id)
                continue
            if action == "move":
                e = dataclasses.replace(e, when=e.when.shifted(days * DAY))
            elif action == "with":
                e = dataclasses.replace(e, with_=WITH[(WITH.index(e.with_) + 1) % len(WITH)])
            else:
                e = dataclasses.replace(e, actor=ACTORS[(ACTORS.index(e.actor) + 1) % 4])
            project.events[k] = e
            changed.append(e)
            ids.append(e.id)
        timeline.events_changed(changed, ids)
        if paint:  # painted after some edits only: then the next is brought up whole
            timeline.layout.with_ticks()
    _same_ticks(timeline, project)


def test_a_move_brings_up_the_ticks_of_the_event_moved_only(monkeypatch):
    project = project_of(3, n=200)
    timeline = Timeline(project)
    timeline.layout.with_ticks()
    k = next(k for k, e in enumerate(project.events) if len(e.with_) >= 2)
    moved = dataclasses.replace(project.events[k], when=project.events[k].when.shifted(DAY))
    project.events[k] = moved
    looked_at = []
    lane_ticks = withticks.lane_ticks
    monkeypatch.setattr(
        withticks,
        "lane_ticks",
        lambda d, i, ks, m: looked_at.append(len(ks)) or lane_ticks(d, i, ks, m),
    )
    timeline.events_changed([moved], [moved.id])
    timeline.layout.with_ticks()
    assert looked_at == [1]  # the event moved, not its lane's events
    _same_ticks(timeline, project)


def test_a_move_of_an_event_without_with_actors_keeps_the_ticks_themselves():
    project = project_of(5, n=120)
    timeline = Timeline(project)
    before = timeline.layout.with_ticks()
    k = next(k for k, e in enumerate(project.events) if not e.with_)
    moved = dataclasses.replace(project.events[k], when=project.events[k].when.shifted(DAY))
    project.events[k] = moved
    timeline.events_changed([moved], [moved.id])
    after = timeline.layout.with_ticks()
    assert after[0] is before[0] and after[1] is before[1]  # not copied
    _same_ticks(timeline, project)
