"""Titles are measured only where a label may go: the labels placed are those placed
with every title of the lanes measured."""

from __future__ import annotations

import dataclasses

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.labels import place_labels
from app.chart.layout import Timeline
from app.chart.theme import LIGHT
from app.records.when import parse
from tests.app.test_chart import crowded_project


def _placed(chart, layout, vp, options, measure_all: bool):
    for data in layout.lane_events:
        data.label_px = None
        if measure_all:
            chart.style.label_widths(data)
    frame = chart.frame(None, layout, vp, options)
    placed = place_labels(chart.style, layout, vp, frame.visible, options)
    return {
        lane: [_seen(layout.lane_events[lane].events[i].id, *rest) for i, *rest in items]
        for lane, items in placed.items()
    }


def _seen(event_id, x, y, width, room, inside, how):
    """What a placed label shows: an event not named (numbered, for an export) shows no
    title, so the width of its title (not measured, when it could not have fitted) is not
    part of it."""
    if how in ("unnamed", "note"):
        return (event_id, x, y, inside, how)
    return (event_id, x, y, width, room, inside, how)


# A crowded project seen from a start, over some days, on a narrow or a wide plot.
VIEWS = {
    "seed": st.integers(0, 1000),
    "start": st.integers(0, 25),
    "days": st.sampled_from([1, 3, 10, 40, 400]),
    "width": st.sampled_from([300, 900]),
}


@settings(deadline=None)
@given(**VIEWS, pinned=st.lists(st.integers(0, 69), max_size=3), footnotes=st.booleans())
def test_titles_measured_where_a_label_may_go_place_the_labels_all_measured_do(
    qapp, seed, start, days, width, pinned, footnotes
):
    project = crowded_project(seed)
    layout = Timeline(project).layout
    t0 = parse("2023-10-20").lo + start * 86400.0
    vp = Viewport(t0, t0 + days * 86400.0, 0, width, 0, 600)
    options = PaintOptions()
    ids = [project.events[k].id for k in pinned]
    options = dataclasses.replace(
        options,
        pinned={i: "shown" for i in ids[:2]},
        selection=frozenset(ids[2:]),
        footnotes={} if footnotes else None,
    )
    chart = ChartPainter(LIGHT)
    lazily = _placed(chart, layout, vp, options, measure_all=False)
    assert lazily == _placed(chart, layout, vp, options, measure_all=True)


@settings(deadline=None)
@given(**VIEWS)
def test_a_frame_with_nothing_marked_places_the_labels_the_whole_rule_does(
    qapp, seed, start, days, width
):
    """The screen's usual frame takes a shorter path (`_place_in_turn`); a pin on an event
    of no lane sends it down the whole rule, which must place every label alike."""
    layout = Timeline(crowded_project(seed)).layout
    t0 = parse("2023-10-20").lo + start * 86400.0
    vp = Viewport(t0, t0 + days * 86400.0, 0, width, 0, 600)
    chart = ChartPainter(LIGHT)
    plain = PaintOptions()
    whole_rule = dataclasses.replace(plain, pinned={"no-such-event": "shown"})
    short = _placed(chart, layout, vp, plain, measure_all=False)
    assume(any(short.values()))  # a view with labels in it
    assert short == _placed(chart, layout, vp, whole_rule, measure_all=False)


def test_a_few_selected_titles_show_in_full_and_many_do_not(qapp):
    """Select All wrote every title in full over the next: only a few selected (or the one
    hovered) are, the rest placed as when nothing is selected (and still outlined)."""
    from app.chart.base import FULL_TITLES_AT_MOST

    project = crowded_project(1)
    layout = Timeline(project).layout
    t0 = parse("2023-10-20").lo
    vp = Viewport(t0, t0 + 40 * 86400.0, 0, 900, 0, 600)
    chart = ChartPainter(LIGHT)
    ids = frozenset(e.id for e in project.events)
    assert len(ids) > FULL_TITLES_AT_MOST

    def placed(selection: frozenset, hover=None) -> dict:
        options = PaintOptions(selection=selection, hover=hover)
        return _placed(chart, layout, vp, options, measure_all=False)

    def forced(plan: dict) -> set[str]:
        return {seen[0] for items in plan.values() for seen in items if seen[-1] == "forced"}

    few = frozenset(sorted(ids)[:3])
    assert forced(placed(few)) and forced(placed(few)) <= few
    assert placed(ids) == placed(frozenset())  # all selected: placed as if none were
    hovered = sorted(ids)[0]
    assert forced(placed(ids, hover=hovered)) == {hovered}
