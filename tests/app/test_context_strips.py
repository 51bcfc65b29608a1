"""Context strips on the chart: shaded by rows per bucket under the matched lanes only, the
bucket following the zoom, and a mark over a week above its baseline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.context import (
    STRIP_COLORS,
    STRIP_HEIGHT,
    SURGE_MIN_EVENTS,
    SURGE_WORDS,
    ContextLayer,
    bucket_days,
    lane_strip_top,
    lane_strips,
    legend_state,
    shade_steps,
)
from app.chart.layout import LANE_PADDING, Timeline
from app.chart.legend import legend_rows
from app.chart.metrics import DEMAND_SPAN_HEIGHT, DEMAND_SPAN_LIFT, strip_room
from app.chart.style import Style, luminance
from app.chart.theme import DARK, LIGHT
from app.context import project as context_project
from app.context.project import Loaded
from app.context.strips import Strips
from app.context.summary import Summary
from app.records.model import Actor, ContextData, Demand, Project
from app.records.when import parse

DAY = 86400


def day(iso: str) -> int:
    return int(parse(iso).lo // DAY)


def summary() -> Summary:
    first = day("2023-10-02")  # a Monday
    counts = np.zeros((3, 56), np.int32)
    counts[0, :28] = 2  # hamas: steady for four weeks ...
    counts[0, 28:35] = 9  # ... then a week far above that baseline
    return Summary(first, ("hamas", "israel", ""), counts, counts * 1.0, int(counts.sum()), 0)


def picture(layers, demands=(), room=None, theme=LIGHT) -> tuple[QtGui.QImage, Viewport, Timeline]:
    """The chart with `layers` drawn, its lanes making room for those of `room` (for a
    picture without strips laid out as one with them), else for `layers`."""
    project = Project(
        actors=[
            Actor(id="hamas", name="Hamas"),
            Actor(id="israel", name="Israel"),
            Actor(id="qatar", name="Qatar"),
        ],
        demands=list(demands),
    )
    timeline = Timeline(project, strips=lane_strips(layers if room is None else room))
    vp = Viewport(parse("2023-10-01").lo, parse("2023-12-01").lo, 0, 800, 0, 300)
    image = QtGui.QImage(800, 300, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white" if theme is LIGHT else theme.background))
    p = QtGui.QPainter(image)
    ChartPainter(theme).paint(
        p, timeline.layout, vp, PaintOptions(show_labels=False, context=layers)
    )
    p.end()
    return image, vp, timeline


def strip_colour(image, vp, timeline, lane: int, iso: str) -> QtGui.QColor:
    y = lane_strip_top(vp.y(timeline.layout.lanes[lane].bottom)) + STRIP_HEIGHT / 2
    return image.pixelColor(int(vp.x(parse(iso).lo + DAY / 2)), int(y))


def test_strips_shade_the_matched_lanes_only_and_darker_where_busier(qapp):
    layers = [ContextLayer("ACLED", Strips(summary()), color="#5c3566")]
    plain, vp, timeline = picture([], room=layers)
    image, _, _ = picture(layers)
    quiet, busy = (
        strip_colour(image, vp, timeline, 0, "2023-10-10"),
        strip_colour(image, vp, timeline, 0, "2023-11-01"),
    )
    assert quiet != strip_colour(plain, vp, timeline, 0, "2023-10-10")  # drawn
    assert busy.lightness() < quiet.lightness()  # the busier week is darker
    assert strip_colour(image, vp, timeline, 0, "2023-11-20") == strip_colour(
        plain, vp, timeline, 0, "2023-11-20"
    )  # no rows
    for lane in (1, 2):  # Israel has no rows; Qatar matches nothing
        assert strip_colour(image, vp, timeline, lane, "2023-10-10") == strip_colour(
            plain, vp, timeline, lane, "2023-10-10"
        )


def test_on_the_dark_theme_a_strip_is_lightened_to_be_seen(qapp):
    """Plum on near-black reached 1.5:1, and more events made it hardly lighter."""
    for color in STRIP_COLORS:
        layers = [ContextLayer("ACLED", Strips(summary()), color=color)]
        image, vp, timeline = picture(layers, theme=DARK)
        busy = strip_colour(image, vp, timeline, 0, "2023-11-01")
        assert luminance(busy) > 0.3, color
        assert luminance(busy) > luminance(strip_colour(image, vp, timeline, 0, "2023-10-10"))


def test_a_demand_span_and_the_strip_at_the_foot_of_a_lane_are_both_seen(qapp):
    # Hamas's demand of Israel runs from 5 October: its span is drawn at the foot of the lane.
    demand = Demand(id="d", from_="hamas", to="israel", text="A truce", raised=parse("2023-10-05"))
    layers = [ContextLayer("ACLED", Strips(summary()))]
    bare, vp, timeline = picture([], [demand], room=layers)
    image, _, _ = picture(layers, [demand])
    lane = timeline.layout.lanes[0]
    x = int(vp.x(parse("2023-10-10").lo + DAY / 2))
    span_y = int(vp.y(lane.bottom) - DEMAND_SPAN_LIFT)
    strip_y = int(lane_strip_top(vp.y(lane.bottom)) + STRIP_HEIGHT / 2)
    assert bare.pixelColor(x, span_y) != QtGui.QColor("white")  # the span is there ...
    assert image.pixelColor(x, span_y) == bare.pixelColor(x, span_y)  # ... and stays seen
    strip = image.pixelColor(x, strip_y)
    assert strip != bare.pixelColor(x, strip_y) and strip.blue() > strip.green()  # plum
    assert lane_strip_top(0.0) + STRIP_HEIGHT < -(DEMAND_SPAN_LIFT + DEMAND_SPAN_HEIGHT / 2)


def test_the_bucket_follows_the_pixels_and_steps_by_powers_of_two():
    assert bucket_days(10 / DAY) == 1  # 10 px a day: one day a bucket
    assert bucket_days(1 / DAY) == 4  # 1 px a day: at least 3 px, as a power of two
    assert bucket_days(0.01 / DAY) == 512
    assert list(shade_steps(np.array([0, 1, 9, 99]), 99)) == [0, 1, 3, 6]  # log scale


def test_a_surge_week_is_marked_above_the_strip(qapp):
    strips = Strips(summary())
    assert [int(d) for d in strips.surges(0)] == [day("2023-10-30")]
    image, vp, timeline = picture([ContextLayer("ACLED", strips, color="#5c3566")])
    lane = timeline.layout.lanes[0]
    x = int(vp.x(parse("2023-10-30").lo + 3.5 * DAY))
    above = int(lane_strip_top(vp.y(lane.bottom)) - 2)
    mark = image.pixelColor(x, above)
    assert (mark.red(), mark.green(), mark.blue()) == (0x5C, 0x35, 0x66)


def test_a_sparse_lane_needs_a_few_events_before_a_week_is_marked(qapp):
    # One event a week, then 3 (three times the baseline), then SURGE_MIN_EVENTS - 1, then
    # SURGE_MIN_EVENTS over a baseline that the weeks before have raised.
    weeks = [1, 1, 1, 1, 3, 1, 1, 1, 1, SURGE_MIN_EVENTS - 1, 1, 1, 1, 1, SURGE_MIN_EVENTS]
    per_day = np.zeros((2, 7 * len(weeks)), np.int32)
    per_day[0, ::7] = weeks  # all of a week's events on its Monday
    first = day("2023-10-02")
    strips = Strips(Summary(first, ("hamas", ""), per_day, per_day * 1.0, sum(weeks), 0))
    assert [(int(d) - first) // 7 for d in strips.surges(0)] == [len(weeks) - 1]
    assert str(SURGE_MIN_EVENTS) in SURGE_WORDS and "25 %" in SURGE_WORDS  # the legend says it
    style = Style(LIGHT)
    style.context_legend = legend_state([ContextLayer("ACLED", strips)])
    assert SURGE_WORDS in [text for _, items in legend_rows(style) for text, *_ in items]


def test_two_datasets_are_told_apart_by_colour_and_named_in_the_legend(qapp):
    """Two datasets on one lane drew two plum strips: which was which, only the tooltip said."""
    loaded = [
        Loaded(ContextData(id=f"d{k}", title=t, path="x.csv"), Path("x.csv"))
        for k, t in enumerate(("ACLED Gaza", "UCDP GED"))
    ]
    layers = [context_project.layer_of(x, k) for k, x in enumerate(loaded)]
    assert [x.color for x in layers] == list(STRIP_COLORS[:2])  # (hatched: the files are gone)
    style = Style(LIGHT)
    style.context_legend = legend_state(layers)
    (entries,) = [items for heading, items in legend_rows(style) if heading == "Context:"]
    named = {text: draw for text, draw, _ in entries}
    assert {"ACLED Gaza", "UCDP GED"} <= set(named)
    image = QtGui.QImage(40, 20, QtGui.QImage.Format.Format_RGB32)
    for title, color in (("ACLED Gaza", STRIP_COLORS[0]), ("UCDP GED", STRIP_COLORS[1])):
        image.fill(QtGui.QColor("white"))
        p = QtGui.QPainter(image)
        named[title](p, QtCore.QPointF(20, 10))
        p.end()
        darkest = image.pixelColor(28, 10)  # the swatch's darkest step
        assert abs(darkest.hslHue() - QtGui.QColor(color).hslHue()) < 10, title


def test_a_strip_tells_its_numbers_and_dates_under_the_pointer(qapp):
    from app.chart.view import ChartView

    project = Project(actors=[Actor(id="hamas", name="Hamas"), Actor(id="israel", name="Israel")])
    view = ChartView(
        timeline=Timeline(project),
        t0=parse("2023-10-01").lo,
        t1=parse("2023-12-01").lo,
        width=61 * 20,
    )
    view.set_context([ContextLayer("ACLED", Strips(summary()))])
    lane = view.layout.lanes[0]
    at = parse("2023-11-01").lo + 3600
    tip = view.context_at(at, lane_strip_top(lane.bottom) + 2)
    assert tip == "ACLED: 9 events, 9 deaths (1 November 2023)"  # 20 px a day: one day a bucket
    assert view.context_at(at, lane.top + 2) == ""  # above the strip
    view.width = 61  # 1 px a day: buckets of 4 days, from a Monday
    assert view.context_at(at, lane_strip_top(lane.bottom) + 2).startswith(
        "ACLED: 36 events, 36 deaths (30 October 2023 – 2 November 2023"
    )


def test_the_web_page_lays_the_lanes_out_with_the_same_room(qapp):
    from app.exporters.options import ExportOptions
    from app.exporters.webpage import WebPage

    demand = Demand(id="d", from_="hamas", to="israel", text="A truce", raised=parse("2023-10-05"))
    project = Project(
        actors=[Actor(id="hamas", name="Hamas"), Actor(id="israel", name="Israel")],
        demands=[demand],
    )
    layers = [ContextLayer("A", Strips(summary())), ContextLayer("B", Strips(summary()))]
    page = WebPage(project, ExportOptions(context=layers))
    hamas, israel = page.layout.lanes
    assert (hamas.strips, israel.strips) == (2, 0)  # no rows on Israel: no strip
    bare = Timeline(project).layout.lanes[0]
    assert hamas.height == bare.height + strip_room(2, LANE_PADDING)
    # The arrow meets each lane at the middle of its row, as on screen, not of its strips.
    (arrow,) = page.records()["demands"]
    assert (arrow["y0"], arrow["y1"]) == (hamas.centre, israel.centre)
    assert hamas.centre == hamas.top + LANE_PADDING + page.layout.row_height / 2


def test_a_lane_a_dataset_names_but_has_no_rows_for_gets_no_strip(qapp):
    """Every lane is named after itself when a dataset is added: each grew taller, with an
    empty band, though the data had no row for most of them. A file gone still shows its
    hatched strip on every lane it names (its rows are not known)."""
    layer = ContextLayer("A", Strips(summary()))
    assert lane_strips([layer]) == {"hamas": 1}  # israel: named, no rows
    gone = ContextLayer("B", Strips(summary()), missing=True)
    assert lane_strips([layer, gone]) == {"hamas": 2, "israel": 1}


def test_the_datasets_of_two_projects_compared_run_on_in_colour(qapp, tmp_path):
    """With one legend under both charts, each project's first dataset was plum."""
    a = Project(context=[ContextData(id="d0", title="ACLED Gaza", path="a.csv")])
    b = Project(context=[ContextData(id="d0", title="UCDP GED", path="b.csv")])
    ours, theirs = context_project.compared_layers(
        [a, b], [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    )
    assert [x.color for x in ours + theirs] == list(STRIP_COLORS[:2])
    assert legend_state(ours + ours)[1] == (("ACLED Gaza", STRIP_COLORS[0]),)  # said once
