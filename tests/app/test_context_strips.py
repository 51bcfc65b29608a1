"""Context strips on the chart: shaded by rows per bucket under the matched lanes only, the
bucket following the zoom, and a mark over a week above its baseline."""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.context import STRIP_HEIGHT, ContextLayer, bucket_days, shade_steps
from app.chart.layout import Timeline
from app.chart.theme import LIGHT
from app.context.strips import Strips
from app.context.summary import Summary
from app.records.model import Actor, Project
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


def picture(layers) -> tuple[QtGui.QImage, Viewport, Timeline]:
    project = Project(
        actors=[
            Actor(id="hamas", name="Hamas"),
            Actor(id="israel", name="Israel"),
            Actor(id="qatar", name="Qatar"),
        ]
    )
    timeline = Timeline(project)
    vp = Viewport(parse("2023-10-01").lo, parse("2023-12-01").lo, 0, 800, 0, 300)
    image = QtGui.QImage(800, 300, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(
        p, timeline.layout, vp, PaintOptions(show_labels=False, context=layers)
    )
    p.end()
    return image, vp, timeline


def strip_colour(image, vp, timeline, lane: int, iso: str) -> QtGui.QColor:
    y = vp.y(timeline.layout.lanes[lane].bottom) - 1 - STRIP_HEIGHT / 2
    return image.pixelColor(int(vp.x(parse(iso).lo + DAY / 2)), int(y))


def test_strips_shade_the_matched_lanes_only_and_darker_where_busier(qapp):
    plain, vp, timeline = picture([])
    image, _, _ = picture([ContextLayer("ACLED", Strips(summary()), color="#5c3566")])
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
    above = int(vp.y(lane.bottom) - 1 - STRIP_HEIGHT - 2)
    mark = image.pixelColor(x, above)
    assert (mark.red(), mark.green(), mark.blue()) == (0x5C, 0x35, 0x66)
