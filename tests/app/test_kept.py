"""A filter as masks over the chart's columns (app/chart/kept.py): each mask says of each
event, demand and `with` tick what asking the filter's set of ids about it says, whichever
way the masks are made; and what a hidden filter leaves out cannot be pointed at."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.kept import IdIndex, Kept
from app.chart.layout import Timeline
from app.chart.theme import LIGHT
from app.chart.view import ChartView
from app.editing import commands
from app.editing.document import Document
from app.fileformat import canonical, projectfile
from app.records.eventstore import EventStore, ids_and_rows
from app.records.filter import EventColumns, Filter, kept_ids
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.app.test_eventstore import talks
from tests.app.test_store_edits import _command, steps
from tests.bench.generate import generate
from tests.examples import scaled


def plain_ticks(layout, kept: frozenset) -> tuple[np.ndarray, np.ndarray]:
    """The `with` ticks of the events kept, worked out one event at a time."""
    times, targets = [], []
    for i, data in enumerate(layout.lane_events):
        for k, e in enumerate(data.events):
            if e.id not in kept or not e.with_:
                continue
            t = float(data.lo[k] if data.bar[k] else (data.lo[k] + data.hi[k]) / 2)
            for a in e.with_:
                j = layout.lane_of_actor.get(a, -1)
                if j >= 0 and j != i:
                    times.append(t)
                    targets.append(j)
    order = np.argsort(np.array(times, dtype=float), kind="stable")
    return np.array(times, dtype=float)[order], np.array(targets, dtype=np.intp)[order]


@settings(max_examples=scaled(25), deadline=None)
@given(seed=st.integers(0, 10_000), share=st.floats(0.0, 1.0), by_index=st.booleans())
def test_each_mask_says_what_the_set_of_ids_says(seed, share, by_index):
    project = generate(400, n_actors=8, seed=seed % 50)
    rng = random.Random(seed)
    ids = [e.id for e in project.events] + [d.id for d in project.demands]
    kept_set = frozenset(i for i in ids if rng.random() < share)
    index = IdIndex(np.array(ids, dtype=object))
    kept = Kept(kept_set, index, index.mask_of(kept_set)) if by_index else Kept(kept_set)
    layout = Timeline(project).layout
    for i, data in enumerate(layout.lane_events):
        assert kept.lane(layout, i).tolist() == [e.id in kept_set for e in data.events]
    demands = [layout.demands[o].demand.id in kept_set for o in layout.demand_index.order]
    assert kept.demands(layout).tolist() == demands
    times, targets = kept.ticks(layout)
    plain_times, plain_targets = plain_ticks(layout, kept_set)
    assert times.tolist() == plain_times.tolist()
    assert targets.tolist() == plain_targets.tolist()


def test_a_lane_changed_by_an_edit_gets_its_mask_made_again():
    project = generate(200, n_actors=4)
    timeline = Timeline(project)
    first = project.events[0]
    kept = Kept(frozenset({first.id}))
    lane = timeline.layout.lane_of_actor[first.actor]
    assert kept.lane(timeline.layout, lane).sum() == 1
    moved = replace(first, id="moved", when=first.when.shifted(86400.0))
    timeline.events_changed([None, moved], [first.id, moved.id])
    assert kept.lane(timeline.layout, lane).sum() == 0  # its one kept event is gone


def test_masks_from_the_filters_own_mask_paint_what_masks_from_ids_paint(qapp):
    project = generate(1500, n_actors=10)
    columns = EventColumns(project)
    ids, mask, _, _ = kept_ids(project, Filter(types=("reject",)), columns)
    timeline = Timeline(project)
    t0 = parse("2022-03-01").lo
    vp = Viewport(t0, t0 + 120 * 86400, 0, 900, 0, 700)

    def picture(kept: Kept, hide: bool) -> QtGui.QImage:
        image = QtGui.QImage(900, 700, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtGui.QColor("white"))
        p = QtGui.QPainter(image)
        options = PaintOptions(filtered=ids, hide_filtered=hide, kept=kept)
        ChartPainter(LIGHT).paint(p, timeline.layout, vp, options)
        p.end()
        return image

    for hide in (False, True):
        by_mask = picture(Kept(ids, IdIndex(columns.ids), mask), hide)
        assert by_mask == picture(Kept(ids), hide)
    assert picture(Kept(ids), True) != picture(Kept(ids), False)


def test_what_a_filter_hides_cannot_be_pointed_at_and_what_it_dims_can():
    a = Event(id="a", actor="x", title="Strike", when=parse("2023-10-20"))
    b = Event(id="b", actor="x", title="Talks", when=parse("2023-10-25"))
    project = Project(actors=[Actor(id="x", name="X")], events=[a, b])
    view = ChartView(t0=parse("2023-10-15").lo, t1=parse("2023-10-31").lo, width=800)
    view.timeline = Timeline(project)
    layout = view.layout
    data = layout.lane_events[0]
    y = layout.row_top(0, int(data.row[list(data.ids).index("a")])) + layout.row_height / 2
    t = a.when.lo + 43200
    assert view.event_at(t, y).id == "a"
    view.set_filter(frozenset({"b"}))
    assert view.event_at(t, y).id == "a"  # dimmed: drawn, so it can be clicked
    assert set(view.events_in(t - 86400 * 9, t + 86400 * 9, 0, 200)) == {"a", "b"}
    view.hide_filtered = True
    assert view.event_at(t, y) is None
    assert view.events_in(t - 86400 * 9, t + 86400 * 9, 0, 200) == ["b"]


@settings(max_examples=scaled(40), deadline=None)
@given(project=talks(), before=steps, after=steps, seed=st.integers(0, 1000))
def test_lanes_of_a_store_take_their_masks_by_row_as_ids_would(qapp, project, before, after, seed):
    """A lane of a store's rows takes its mask by row (IdIndex.positions_of_rows), and the
    demands theirs from the ids rows do not place, where an index of the store's ids and
    rows was made: edits before it, and edits after it that the index has not caught up
    with, give what asking the set of ids gives."""
    doc = Document(projectfile.loads(canonical.dumps(project)))
    assert isinstance(doc.project.events, EventStore)

    def apply(plan):
        for action, pick in plan:
            if action in ("undo", "redo"):
                getattr(doc.undo_stack, action)()
                continue
            try:
                command = _command(doc, action, pick)
            except commands.RefusedEdit:
                continue
            if command is not None:
                doc.undo_stack.push(command)

    apply(before)
    ids, rows = ids_and_rows(doc.project.events)
    ids = ids + [d.id for d in doc.project.demands]
    rng = random.Random(seed)
    kept_set = frozenset(i for i in ids if rng.random() < 0.5)
    index = IdIndex(np.array(ids, dtype=object), rows)
    kept = Kept(kept_set, index, index.mask_of(kept_set))
    apply(after)
    layout = Timeline(doc.project).layout
    for i, data in enumerate(layout.lane_events):
        assert kept.lane(layout, i).tolist() == [e.id in kept_set for e in data.events]
    demands = [layout.demands[o].demand.id in kept_set for o in layout.demand_index.order]
    assert kept.demands(layout).tolist() == demands


def test_a_store_read_as_it_is_makes_no_dict_of_every_id(qapp, monkeypatch):
    """Lanes by their rows, demands among the ids rows do not place: no look-up of every
    id is made (0.4 s at a million events)."""
    project = generate(300, n_actors=6, seed=3)
    doc = Document(projectfile.loads(canonical.dumps(project)))
    ids, rows = ids_and_rows(doc.project.events)
    ids = ids + [d.id for d in doc.project.demands]
    kept_set = frozenset(ids[::3])
    index = IdIndex(np.array(ids, dtype=object), rows)
    kept = Kept(kept_set, index, index.mask_of(kept_set))
    monkeypatch.setattr(IdIndex, "at", None)  # not asked
    layout = Timeline(doc.project).layout
    for i, data in enumerate(layout.lane_events):
        assert kept.lane(layout, i).tolist() == [e.id in kept_set for e in data.events]
    demands = [layout.demands[o].demand.id in kept_set for o in layout.demand_index.order]
    assert len(demands) > 10 and kept.demands(layout).tolist() == demands


def test_rows_of_another_store_are_not_taken_for_this_ones(qapp):
    """Two files of the same events in another order: an index of one store's rows gives
    the other's lanes their masks by id, not by rows that hold other events there."""
    project = generate(300, n_actors=6, seed=4)
    reordered = replace(project, events=list(reversed(project.events)))
    one, other = (Document(projectfile.loads(canonical.dumps(p))) for p in (project, reordered))
    ids, rows = ids_and_rows(one.project.events)
    ids = ids + [d.id for d in one.project.demands]
    kept_set = frozenset(ids[::2])
    index = IdIndex(np.array(ids, dtype=object), rows)
    kept = Kept(kept_set, index, index.mask_of(kept_set))
    layout = Timeline(other.project).layout
    for i, data in enumerate(layout.lane_events):
        assert index.positions_of_rows(data.events) is None
        assert kept.lane(layout, i).tolist() == [e.id in kept_set for e in data.events]
