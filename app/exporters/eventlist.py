"""The events a picture cannot name beside their marks (no room, or a title pinned off):
each carries a number on the chart and is listed, numbered, below it, the way demands
are. So an export names every event in view. A fixed height with no room for every lane
shows the lanes that fit with their list, and says how many it left out."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.labels import note_text
from app.chart.layout import Layout
from app.records.model import Event
from app.records.plural import counted

HEADING = "Events numbered on the chart"
LIMIT = 300  # events listed at most; beyond, the picture says how to name them all
COLUMN_GAP = 18.0


def unnamed(
    chart: ChartPainter, layout: Layout, vp: Viewport, options: PaintOptions
) -> Sequence[Event]:
    """The events in the picture's time span (every lane) whose titles it cannot draw in
    full beside their marks, by date."""
    whole = Viewport(vp.t0, vp.t1, vp.left, vp.right, 0.0, max(layout.height, 1.0) + 1, 0.0)
    return chart.unnamed_events(layout, whole, options)


def listing(events: Sequence[Event], layout: Layout) -> tuple[list[str], dict | None]:
    """The lines listing `events` (`unnamed`'s), and their numbers by id (None when there
    are too many to list: labels are then thinned, as on screen)."""
    if len(events) > LIMIT:
        return [too_many(len(events))], None
    return lines(events, layout), {e.id: n for n, e in enumerate(events, start=1)}


def lanes_that_fit(chart, layout: Layout, events, box: tuple, cut: float, more=lambda k: 0.0):
    """Where a fixed height has no room for every lane: the most whole lanes, from the top,
    that fit in `box` (px high and wide) with the list of their events of `events` (the
    picture's, every lane's, which `unnamed` finds lane by lane) and `more(k)` px of what
    else the first k lanes list (their demands); as the plot's height for them and that
    `listing`. When no count of lanes fits (a lane taller than the room, or lists too long
    until they pass the limit): the plot cut at `cut` px, with the list of every lane's
    events it was worked out with."""
    room, width = box
    lane_of = layout.lane_of_actor
    in_lane = np.array([lane_of.get(e.actor, len(layout.lanes)) for e in events], dtype=int)
    by_lane = np.argsort(in_lane, kind="stable")  # the events of the first k lanes first
    counts = np.cumsum(np.bincount(in_lane, minlength=len(layout.lanes) + 1))
    fits = None
    for k, lane in enumerate(layout.lanes, start=1):
        count = int(counts[k - 1])
        if count > LIMIT:
            found: tuple = ([too_many(count)], None)
        else:  # in date order, as `unnamed` gave them
            found = listing([events[i] for i in np.sort(by_lane[:count]).tolist()], layout)
        if lane.bottom + size(chart, found[0], width) + more(k) <= room:
            fits = lane.bottom, found
    return fits if fits is not None else (cut, listing(events, layout))


def lines(events: Sequence[Event], layout: Layout) -> list[str]:
    """ "12  20 Oct 2023  Hamas: Hamas releases two women", numbered from 1."""
    names = {lane.actor.id: lane.actor.name for lane in layout.lanes}
    return [
        f"{note_text(n, n)}  {e.when.describe()}  {names.get(e.actor, e.actor)}: {e.title}"
        for n, e in enumerate(events, start=1)
    ]


def too_many(count: int) -> str:
    return (
        f"{counted(count, 'event has', 'events have')} no room for their titles in this picture: "
        "export a shorter span (--from, --to), fewer lanes (--actors) or a wider picture "
        "(--width) to name each"
    )


def _columns(chart: ChartPainter, texts: list[str], width: float) -> tuple[int, int, float]:
    """How many columns fit, rows per column and a column's width: titles are cut only
    where one alone is wider than the list (`paint` elides it)."""
    widest = max(chart.metrics.horizontalAdvance(t) for t in texts)
    count = max(1, min(len(texts), int((width - 8 + COLUMN_GAP) // (widest + COLUMN_GAP))))
    return count, math.ceil(len(texts) / count), widest + COLUMN_GAP


def size(chart: ChartPainter, texts: list[str], width: float) -> float:
    """The list's height in px (0 when every event is named on the chart)."""
    if not texts:
        return 0.0
    _, rows, _ = _columns(chart, texts, width)
    return (rows + 1) * chart.metrics.height() + 8


def paint(
    chart: ChartPainter,
    p: QtGui.QPainter,
    texts: list[str],
    topleft: QtCore.QPointF,
    width: float,
    heading: str = HEADING,
) -> None:
    if not texts:
        return
    fm = chart.metrics
    p.save()
    p.setFont(chart.font)
    p.setPen(QtGui.QColor(chart.theme.muted))
    x0, y0 = topleft.x() + 8, topleft.y() + 4 + fm.ascent()
    room = width - 8  # to the plot's right edge, as the demand lines end
    elide = QtCore.Qt.TextElideMode.ElideRight
    p.drawText(QtCore.QPointF(x0, y0), fm.elidedText(heading, elide, room))
    p.setPen(QtGui.QColor(chart.theme.text))
    _, rows, column = _columns(chart, texts, width)
    for k, text in enumerate(texts):
        col, row = divmod(k, rows)
        shown = fm.elidedText(text, elide, room - col * column)
        p.drawText(QtCore.QPointF(x0 + col * column, y0 + (row + 1) * fm.height()), shown)
    p.restore()


def paint_left_out(chart: ChartPainter, p: QtGui.QPainter, page, font: QtGui.QFont) -> None:
    """Under the lane names, how many lanes the picture had no room for."""
    n = page.lanes_left_out
    if not n:
        return
    text = f"+{counted(n, 'lane')} not shown"
    fm = QtGui.QFontMetricsF(font)
    text = fm.elidedText(text, QtCore.Qt.TextElideMode.ElideRight, page.header.width() - 4)
    p.setFont(font)
    p.setPen(QtGui.QColor(chart.theme.muted))
    p.drawText(QtCore.QPointF(page.header.left() + 4, page.plot.bottom() + 4 + fm.ascent()), text)
