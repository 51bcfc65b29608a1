"""A range's title at short rows: inside its bar only where the bar is as tall as the text,
else beside it (the chart's rule for a bar too narrow); never over the bar's edges or the
next row. Drawn by the one painter, so the editor, every picture export and the page's
pictures (painted by it) keep to it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtGui

from app.chart import ChartPainter, Viewport
from app.chart.base import PaintOptions
from app.chart.layout import ROW_HEIGHT, Timeline
from app.chart.metrics import BAR_INSET, bar_height
from app.chart.theme import LIGHT
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.images import pixels

W, H = 900, 160


def project() -> Project:
    return Project(
        actors=[Actor(id="qatar", name="Qatar")],
        events=[
            Event(
                id="a", actor="qatar", title="Talks in Doha", when=parse("2023-10-01/2023-10-20")
            ),
            Event(
                id="b", actor="qatar", title="Envoys shuttle", when=parse("2023-10-05/2023-10-25")
            ),
        ],
    )


def paint(timeline: Timeline, vp: Viewport, labels: bool) -> QtGui.QImage:
    image = QtGui.QImage(W, H, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, timeline.layout, vp, PaintOptions(show_labels=labels))
    p.end()
    return image


@pytest.mark.parametrize("row_height", [14.0, 17.6, ROW_HEIGHT, 30.0])
def test_a_bars_title_stays_inside_its_bar_or_beside_it(qapp, row_height):
    timeline = Timeline(project(), row_height=row_height)
    layout = timeline.layout
    vp = Viewport(parse("2023-09-28").lo, parse("2023-11-20").lo, 0, W, 0, H)
    ink = (pixels(paint(timeline, vp, True)) != pixels(paint(timeline, vp, False))).any(axis=2)
    ys, xs = np.nonzero(ink)
    assert len(xs)  # titles were drawn
    data = layout.lane_events[0]
    drawn_beside = 0
    for k in range(len(data.ids)):
        top = vp.y(layout.row_top(0, int(data.row[k])))
        x0, x1 = vp.x(float(data.lo[k])), vp.x(float(data.hi[k]))
        # Over the bar's span: the ink of its title, or of the other row's title beside
        # its bar, in the bar or in the other row, never on this row's bar's edges.
        over = (xs >= x0 + 1) & (xs <= x1 - 1)
        row_band = (ys >= top) & (ys < top + row_height)
        in_bar = (ys >= top + BAR_INSET) & (ys < top + BAR_INSET + bar_height(row_height))
        assert not (over & row_band & ~in_bar).any(), (data.ids[k], row_height)
        drawn_beside += int((row_band & (xs > x1)).any())
    # Every title keeps to its own row's band, wherever it is drawn.
    bands = [vp.y(layout.row_top(0, r)) for r in range(2)]
    assert ((ys >= bands[0]) & (ys < bands[1] + row_height)).all()
    if bar_height(row_height) < QtGui.QFontMetricsF(ChartPainter(LIGHT).font).height():
        assert drawn_beside == 2  # moved beside their bars, not left out
