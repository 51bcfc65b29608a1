"""A lane updated by an edit stacks its rows as the lane built afresh does: the re-stacking
stops early once the rows are in the same state, and must never stop too early."""

from __future__ import annotations

import dataclasses
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import laneevents
from app.chart.laneevents import build_lane_events, update_lane_events
from app.records.model import Event
from app.records.when import parse
from tests.examples import examples

DAY = 86400.0


def _event(k: int, day: int, length: int) -> Event:
    text = f"2023-11-{day:02d}"
    if length:
        text += f"/2023-11-{min(day + length, 30):02d}"
    return Event(id=f"e{k:03d}", actor="a", title=f"Event {k}", when=parse(text))


spans = st.lists(st.tuples(st.integers(1, 28), st.sampled_from([0, 0, 1, 2, 3, 5, 9])), max_size=90)
changes = st.lists(
    st.tuples(st.sampled_from(["move", "remove", "add"]), st.integers(0, 1000), st.integers(-4, 4)),
    min_size=1,
    max_size=4,
)


@settings(deadline=None, max_examples=examples(300))
@given(lane=spans, edits=st.lists(changes, min_size=1, max_size=5))
def test_a_lane_updated_edit_by_edit_stacks_its_rows_as_one_built_afresh(lane, edits):
    events = [_event(k, day, length) for k, (day, length) in enumerate(lane)]
    t_min, t_max = parse("2023-10-01").lo, parse("2023-12-31").hi
    data = build_lane_events(events, t_min, t_max)
    serial = len(events)
    for step in edits:  # each a change of one to four events at once
        removed, added = set(), []
        for action, pick, days in step:
            if action == "add" or not events:
                serial += 1
                e = _event(serial, 1 + pick % 28, pick % 4)
                events.append(e)
                added.append(e)
                continue
            e = events[pick % len(events)]
            if e.id in removed or any(a.id == e.id for a in added):
                continue
            events.remove(e)
            removed.add(e.id)
            if action == "move":
                moved = dataclasses.replace(e, when=e.when.shifted(days * DAY))
                events.append(moved)
                added.append(moved)
        data = update_lane_events(data, removed, added, t_min, t_max)
        fresh = build_lane_events(events, t_min, t_max)
        assert data.ids.tolist() == fresh.ids.tolist()
        assert data.row.tolist() == fresh.row.tolist()
        assert np.array_equal(data.lo, fresh.lo) and np.array_equal(data.hi, fresh.hi)


def test_an_edit_finds_the_event_it_moves_by_its_start_not_by_every_id(monkeypatch):
    from app.chart import laneevents
    from app.chart.layout import Timeline
    from app.records.model import Actor, Project

    # (A lane of FEW events or fewer is searched whole: this one is longer.)
    events = [_event(k, 1 + k % 28, k % 3) for k in range(3 * laneevents.FEW)]
    project = Project(title="One lane", actors=[Actor(id="a", name="A")], events=events)
    timeline = Timeline(project)
    monkeypatch.setattr(laneevents, "ids_among", lambda *a: pytest.fail("compared every id"))
    moved = dataclasses.replace(events[30], when=events[30].when.shifted(2 * DAY))
    project.events[30] = moved
    timeline.events_changed([moved], [moved.id])
    fresh = Timeline(project).layout.lane_events[0]
    assert timeline.layout.lane_events[0].ids.tolist() == fresh.ids.tolist()
    assert timeline.layout.lane_events[0].row.tolist() == fresh.row.tolist()


@settings(deadline=None, max_examples=examples(100))
@given(
    seed=st.integers(0, 10_000),
    moves=st.lists(st.tuples(st.integers(0, 10_000), st.integers(-3, 3)), min_size=1, max_size=6),
)
def test_a_crowded_lane_restacked_far_past_a_move_stacks_as_one_built_afresh(seed, moves):
    """Hundreds of events of mixed lengths in a few weeks: a move re-stacks dozens of rows
    for hundreds of events after it (as a lane at a million events does), where the
    differing rows are looked at again only when a start reaches their ends."""
    events = _crowded(seed)
    t_min, t_max = parse("2023-10-01").lo, parse("2023-12-31").hi
    data = build_lane_events(events, t_min, t_max)
    for pick, shift in moves:
        k = pick % len(events)
        e = events[k]
        events[k] = dataclasses.replace(e, when=e.when.shifted(shift * DAY))
        data = update_lane_events(data, {e.id}, [events[k]], t_min, t_max, [e])
        fresh = build_lane_events(events, t_min, t_max)
        assert data.ids.tolist() == fresh.ids.tolist()
        assert data.row.tolist() == fresh.row.tolist()


def _crowded(seed: int) -> list[Event]:
    """Hundreds of events of mixed lengths in four weeks."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(100, 600))
    days, lengths = rng.integers(1, 29, n), rng.choice([0, 0, 0, 1, 2, 4, 9, 20], n)
    events = [_event(k, int(d), int(x)) for k, (d, x) in enumerate(zip(days, lengths, strict=True))]
    return events


@settings(deadline=None, max_examples=examples(100))
@given(
    seed=st.integers(0, 10_000),
    moves=st.lists(st.tuples(st.integers(0, 10_000), st.integers(-3, 3)), min_size=1, max_size=8),
    made_after=st.sampled_from([0, 1, 2, 256]),
    cut=st.tuples(st.integers(0, 600), st.integers(0, 600)),
)
def test_ids_spliced_edit_after_edit_and_never_asked_for_are_those_built_afresh(
    seed, moves, made_after, cut
):
    """A lane an edit made takes its ids from the lane before only when asked: edits one
    after the other splice what the ids are made from, and any stretch of them read
    without making them all is the stretch of the ids of the lane built afresh."""
    events = _crowded(seed)
    t_min, t_max = parse("2023-10-01").lo, parse("2023-12-31").hi
    data = build_lane_events(events, t_min, t_max)
    with patch.object(laneevents, "SPLICED_IDS", made_after):
        for pick, shift in moves:
            k = pick % len(events)
            e = events[k]
            events[k] = dataclasses.replace(e, when=e.when.shifted(shift * DAY))
            data = update_lane_events(data, {e.id}, [events[k]], t_min, t_max, [e])
    fresh = build_lane_events(events, t_min, t_max).ids
    a, b = sorted(cut)
    assert data.ids_in(a, b).tolist() == fresh[a:b].tolist()
    assert data.ids.tolist() == fresh.tolist()
