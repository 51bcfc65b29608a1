"""The rows of a dataset that match no lane: a row of their own below the lanes, one per
dataset, shaded and marked as the lanes' strips are, told by its tooltip, in the legend and in
every picture; a dataset whose rows all match a lane adds nothing below the lanes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
from PySide6 import QtGui

from app.chart import ChartPainter, Viewport
from app.chart.context import (
    STRIP_HEIGHT,
    ContextLayer,
    chart_height,
    lane_strips,
    strip_top,
    unmatched_rows,
)
from app.chart.layout import LANE_PADDING, Timeline
from app.chart.metrics import CONTEXT_GAP, CONTEXT_ROW, strip_room
from app.chart.theme import LIGHT
from app.chart.view import ChartView
from app.context.strips import Strips
from app.context.summary import Summary
from app.exporters.images import ChartExporter
from app.exporters.options import ExportOptions
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.images import pixels

DAY = 86400
SVG = "{http://www.w3.org/2000/svg}"


def day(iso: str) -> int:
    return int(parse(iso).lo // DAY)


def summary(unmatched: bool = True) -> Summary:
    """Hamas's rows, and (when `unmatched`) rows on no lane: 3 a day, 7 on 1 November."""
    first = day("2023-10-02")  # a Monday
    counts = np.zeros((2, 56), np.int32)
    counts[0, :10] = 1
    if unmatched:
        counts[1, :28] = 3
        counts[1, 28:35] = 7
    return Summary(first, ("hamas", ""), counts, counts * 2.0, int(counts.sum()), 0)


def project() -> Project:
    return Project(
        actors=[Actor(id="hamas", name="Hamas"), Actor(id="israel", name="Israel")],
        events=[Event(id="e", actor="hamas", title="Talks", when=parse("2023-10-05"))],
    )


def test_rows_on_no_lane_get_a_row_below_the_lanes_with_their_numbers(qapp):
    layers = [
        ContextLayer("ACLED", Strips(summary())),
        ContextLayer("UCDP", Strips(summary(unmatched=False))),
    ]
    timeline = Timeline(project(), strips=lane_strips(layers))
    rows = unmatched_rows(timeline.layout, layers)
    assert [(r[0].title, r[2]) for r in rows] == [("ACLED", timeline.layout.height + CONTEXT_GAP)]
    assert (
        chart_height(timeline.layout, layers) == timeline.layout.height + CONTEXT_GAP + CONTEXT_ROW
    )

    view = ChartView(
        timeline=timeline, t0=parse("2023-10-01").lo, t1=parse("2023-12-01").lo, width=61 * 20
    )
    view.set_context(layers)
    top = rows[0][2]
    at = parse("2023-11-01").lo + 3600
    assert view.context_at(at, strip_top(top) + 2) == (
        "ACLED — not on a lane: 7 events, 14 deaths (1 November 2023)"
    )
    assert view.context_at(at, top + CONTEXT_ROW + 1) == ""  # below the group

    # Drawn: the strip is shaded where there are rows, darker where busier, and its surge
    # week is marked above it.
    vp = Viewport(view.t0, view.t1, 0, 61 * 20, 0, 300)
    image = QtGui.QImage(61 * 20, 300, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, timeline.layout, vp, view.paint_options(frozenset()))
    p.end()

    def colour(iso: str, dy: float = STRIP_HEIGHT / 2) -> QtGui.QColor:
        return image.pixelColor(int(vp.x(parse(iso).lo + DAY / 2)), int(strip_top(top) + dy))

    quiet, busy, empty = colour("2023-10-10"), colour("2023-11-01"), colour("2023-11-20")
    assert quiet.lightness() < empty.lightness()
    assert busy.lightness() < quiet.lightness()
    mark = image.pixelColor(int(vp.x(parse("2023-10-30").lo + 3.5 * DAY)), int(strip_top(top) - 2))
    assert (mark.red(), mark.green(), mark.blue()) == (0x5C, 0x35, 0x66)


def test_a_dataset_whose_rows_all_match_draws_no_empty_group(qapp):
    timeline = Timeline(project())
    layers = [ContextLayer("ACLED", Strips(summary(unmatched=False)))]
    assert unmatched_rows(timeline.layout, layers) == []
    assert chart_height(timeline.layout, layers) == timeline.layout.height
    missing = ContextLayer("GED", Strips(summary()), missing=True)
    assert unmatched_rows(timeline.layout, [missing]) == []  # nothing known of a missing file
    tall = ChartExporter(project(), ExportOptions(context=[ContextLayer("A", Strips(summary()))]))
    flat = ChartExporter(project(), ExportOptions(context=layers))
    bare = ChartExporter(project(), ExportOptions())
    room = strip_room(1, LANE_PADDING)  # Hamas's lane grows by a strip's band
    assert flat.page().plot.height() == bare.page().plot.height() + room
    assert tall.page().plot.height() == bare.page().plot.height() + room + CONTEXT_GAP + CONTEXT_ROW
    assert "not on a lane" not in _texts(flat.svg_bytes())


def _texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_the_group_is_in_the_svg_export_and_its_legend(qapp):
    layers = [ContextLayer("ACLED", Strips(summary()))]
    exporter = ChartExporter(
        project(),
        ExportOptions(context=layers, t0=parse("2023-10-01").lo, t1=parse("2023-12-01").lo),
    )
    texts = _texts(exporter.svg_bytes())
    assert "ACLED — not on a lane" in texts
    assert "rows that match no lane" in texts  # the legend says what the row is
    plot = exporter.page().plot
    assert plot.height() >= exporter.layout.height + CONTEXT_GAP + CONTEXT_ROW  # not clipped


def test_the_comparison_draws_each_projects_group_and_explains_it_once(qapp):
    from app.exporters.compare import Comparison

    layers = [ContextLayer("ACLED", Strips(summary()))]
    c = Comparison(
        [project(), project()], ["e", "e"], ExportOptions(width=1200), contexts=[layers, []]
    )
    texts = _texts(c.svg_bytes())
    assert texts.count("ACLED — not on a lane") == 1  # the first project's only
    assert "rows that match no lane" in texts  # in the legend under the last block
    first, second = (b.page.plot.height() for b in c.blocks)
    assert first == second + strip_room(1, LANE_PADDING) + CONTEXT_GAP + CONTEXT_ROW


def test_the_web_pages_pictures_hold_the_group(qapp):
    from app.exporters.webpage import WebPage

    layers = [ContextLayer("ACLED", Strips(summary()))]
    page = WebPage(project(), ExportOptions(context=layers))
    bare = WebPage(project(), ExportOptions())
    assert page.lanes_h == bare.lanes_h + strip_room(1, LANE_PADDING) + CONTEXT_GAP + CONTEXT_ROW
    svg = page.plot_svg(page.level_widths()[0]).decode("utf-8")
    assert "ACLED — not on a lane" in svg


def test_a_surge_mark_under_the_rows_title_keeps_clear_of_its_letters(qapp):
    # The surge week (from 30 October) sits under the title's letters when the view starts
    # two days before it: the marks stand below the title, a gap between.
    layers = [ContextLayer("ACLED", Strips(summary()))]
    timeline = Timeline(project(), strips=lane_strips(layers))
    view = ChartView(
        timeline=timeline, t0=parse("2023-10-28").lo, t1=parse("2023-11-30").lo, width=33 * 20
    )
    view.set_context(layers)
    top = unmatched_rows(timeline.layout, layers)[0][2]
    vp = Viewport(view.t0, view.t1, 0, 33 * 20, 0, 300)
    image = QtGui.QImage(33 * 20, 300, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, timeline.layout, vp, view.paint_options(frozenset()))
    p.end()
    rgb = pixels(image)[int(top) : int(strip_top(top)), :200]
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    inked = rgb.sum(axis=2) < 600
    plum = inked & (r - g > 20) & (b - g > 20)  # the strip's colour: the marks
    grey = inked & (abs(r - g) < 12) & (abs(b - g) < 12)  # the title's letters
    mark_rows, letter_rows = np.nonzero(plum.any(axis=1))[0], np.nonzero(grey.any(axis=1))[0]
    assert len(mark_rows) and len(letter_rows)
    mark_xs = np.nonzero(plum.any(axis=0))[0]
    letter_xs = np.nonzero(grey.any(axis=0))[0]
    assert mark_xs.min() < letter_xs.max()  # under the title, not past its end
    assert mark_rows.min() - letter_rows.max() >= 3  # a clear gap between
