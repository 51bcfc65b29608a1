"""A store lane's fields read from the columns are the records' fields."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.chart.lanerecords import ids_at
from app.records.recordstore import Strings


@given(
    strings=st.lists(st.text(max_size=12), min_size=1, max_size=40),
    picks=st.lists(st.integers(0, 10_000), max_size=60),
)
def test_the_strings_taken_at_some_rows_are_those_strings(strings, picks):
    rows = np.array([k % len(strings) for k in picks], dtype=np.int64)
    assert Strings.of(strings).take(rows) == [strings[r] for r in rows.tolist()]


@given(strings=st.lists(st.text(max_size=12), max_size=40))
def test_every_string_split_in_one_go_is_every_string(strings):
    assert Strings.of(strings).every() == strings
    assert Strings.of(strings).take(np.arange(len(strings))) == strings


def test_ids_and_pinned_titles_of_a_store_are_those_of_its_records():
    from app.chart.view import ChartView
    from app.fileformat import canonical, projectfile
    from tests.app.test_chart import crowded_project

    plain = crowded_project(7)
    plain.events[3] = dataclasses.replace(plain.events[3], label="shown")
    plain.events[9] = dataclasses.replace(plain.events[9], label="hidden")
    store = projectfile.loads(canonical.dumps(plain)).events
    store[5] = dataclasses.replace(store[5], id="renamed", label="shown")  # an edit
    store.append(dataclasses.replace(store[1], id="added", label="hidden"))
    positions = np.array([0, 5, 9, len(store) - 1, 3])
    assert ids_at(store, positions) == [store[k].id for k in positions.tolist()]
    from_store, from_list = ChartView(), ChartView()
    from_store.pin(store)
    from_list.pin(list(store))
    assert (
        from_store.pinned
        == from_list.pinned
        == {
            plain.events[3].id: "shown",
            plain.events[9].id: "hidden",
            "renamed": "shown",
            "added": "hidden",
        }
    )


def test_a_store_lanes_rows_kept_in_step_by_edits_are_those_worked_out_afresh():
    from app.chart.lanerecords import LaneRecords
    from app.chart.layout import Timeline
    from app.fileformat import canonical, projectfile
    from tests.app.test_chart import crowded_project

    project = projectfile.loads(canonical.dumps(crowded_project(4)))
    timeline = Timeline(project)
    for k, days in ((3, 2), (10, -1), (3, 1), (60, 4)):
        e = project.events[k]
        moved = dataclasses.replace(e, when=e.when.shifted(days * 86400.0))
        project.events[k] = moved
        timeline.events_changed([moved], [moved.id])
    taken_in = 0
    for data in timeline.layout.lane_events:
        records = data.events
        assert isinstance(records, LaneRecords)
        fresh = LaneRecords(records.store, list(records.refs)).rows()
        assert records.rows().tolist() == fresh.tolist()
        taken_in += int((records.rows() < 0).sum())
    assert taken_in == 3  # the events moved, as records; the others as rows of the columns


@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["set", "del", "insert", "slice", "copy"]), st.integers(-30, 30)),
        max_size=8,
    )
)
def test_a_lane_of_rows_only_behaves_as_the_list_of_its_records(edits):
    """A lane made of rows alone (no list of refs until a change) reads, changes and
    copies as a list of its events does, and its rows stay in step."""
    from app.chart.lanerecords import LaneRecords
    from app.fileformat import canonical, projectfile
    from tests.app.test_chart import crowded_project

    store = stored_crowd(projectfile, canonical, crowded_project)
    order = np.array([7, 3, 12, 0, 40, 41, 5], dtype=np.int64)
    lane, model = LaneRecords(store, None, order.copy()), [store[k] for k in order.tolist()]
    other = dataclasses.replace(store[1], id="taken-in")
    copied = []
    for verb, k in edits:
        assert lane[:] == model and len(lane) == len(model)
        if model:
            assert lane[k % len(model)] == model[k % len(model)]
            assert lane[-1] == model[-1]
        if verb == "set" and model:
            lane[k % len(model)] = model[k % len(model)] = other
        elif verb == "del" and model:
            del lane[k % len(model)]
            del model[k % len(model)]
        elif verb == "insert":
            lane.insert(k, other)
            model.insert(k, other)
        elif verb == "slice":
            lane[1:3] = model[1:3] = [other]
        elif verb == "copy":  # the copy changes alone from here on
            copied.append((lane, list(model)))
            lane = lane.copy()
        rows = lane.rows().tolist()
        assert rows == [-1 if e is other else int(order_of(store, e)) for e in model]
    assert list(lane) == model
    for source, as_copied in copied:
        assert source[:] == as_copied


def stored_crowd(projectfile, canonical, crowded_project):
    if not hasattr(stored_crowd, "store"):  # read once: each example changes only a lane
        stored_crowd.store = projectfile.loads(canonical.dumps(crowded_project(3))).events
    return stored_crowd.store


def order_of(store, event) -> int:
    return next(r for r in range(len(store)) if store[r] is event or store[r] == event)
