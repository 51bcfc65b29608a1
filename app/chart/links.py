"""Links between events (`responds_to`): a thin curved arrow from the earlier mark to the one
that answers it, bowed above the lanes' rows so it is not mistaken for a demand's straight,
coloured arrow. Where each linked event sits is worked out once per version of the lanes."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame
from app.chart.layout import Layout
from app.chart.style import Style, qcolor

LINK_ALPHA = 170
HEAD = 5.0  # px: the arrow head's length
_cache: dict[int, tuple[tuple, list]] = {}  # id(layout) -> (version, links)


def links_of(layout: Layout) -> list[tuple[int, int, int, int]]:
    """(lane, index) of each link's earlier event and of the event answering it."""
    # Each lane's list of events and its length: a list is replaced on an edit, and a
    # reused id with the same lengths everywhere is as good as impossible.
    version = tuple((id(d.events), len(d.events)) for d in layout.lane_events)
    cached = _cache.get(id(layout))
    if cached is not None and cached[0] == version:
        return cached[1]
    answering = [
        (lane, i, e.responds_to)
        for lane, data in enumerate(layout.lane_events)
        for i, e in enumerate(data.events)
        if e.responds_to
    ]
    wanted = {r for *_, targets in answering for r in targets}
    where = {}
    if wanted:
        for lane, data in enumerate(layout.lane_events):
            for i, e in enumerate(data.events):
                if e.id in wanted:
                    where[e.id] = (lane, i)
    links = [(*where[r], lane, i) for lane, i, targets in answering for r in targets if r in where]
    _cache.clear()  # one layout at a time is drawn: keep only its links
    _cache[id(layout)] = (version, links)
    return links


def paint(s: Style, f: Frame) -> None:
    links = links_of(f.layout)
    if not links:
        return
    layout, vp, p = f.layout, f.vp, f.p
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    pen = QtGui.QPen(qcolor(s.theme.text, LINK_ALPHA), 1.2)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    kept = f.options.kept if f.options.hide_filtered else None
    for a_lane, a, b_lane, b in links:
        if kept is not None and not (kept.lane(layout, a_lane)[a] and kept.lane(layout, b_lane)[b]):
            continue  # an arrow to an event the filter hides would point at nothing
        start, end = _anchor(layout, a_lane, a), _anchor(layout, b_lane, b)
        if max(start[0], end[0]) < f.t0 or min(start[0], end[0]) > f.t1:
            continue
        x0, y0 = vp.x(start[0]), vp.y(start[1])
        x1, y1 = vp.x(end[0]), vp.y(end[1])
        bow = min(60.0, 12.0 + abs(x1 - x0) * 0.15)
        c0 = QtCore.QPointF(x0 + (x1 - x0) * 0.3, min(y0, y1) - bow)
        c1 = QtCore.QPointF(x0 + (x1 - x0) * 0.7, min(y0, y1) - bow)
        path = QtGui.QPainterPath(QtCore.QPointF(x0, y0))
        path.cubicTo(c0, c1, QtCore.QPointF(x1, y1))
        p.setPen(pen)
        p.drawPath(path)
        _head(p, c1, QtCore.QPointF(x1, y1), pen.color())
    p.restore()


def _anchor(layout: Layout, lane: int, i: int) -> tuple[float, float]:
    """(time, layout y) of an event's mark: its start, at its row's middle."""
    data = layout.lane_events[lane]
    return float(data.lo[i]), layout.row_top(lane, int(data.row[i])) + layout.row_height / 2


def _head(p: QtGui.QPainter, towards_from: QtCore.QPointF, tip: QtCore.QPointF, color) -> None:
    d = np.array([tip.x() - towards_from.x(), tip.y() - towards_from.y()])
    length = float(np.hypot(*d)) or 1.0
    ux, uy = d / length
    back = QtCore.QPointF(tip.x() - ux * HEAD, tip.y() - uy * HEAD)
    left = QtCore.QPointF(back.x() - uy * HEAD * 0.5, back.y() + ux * HEAD * 0.5)
    right = QtCore.QPointF(back.x() + uy * HEAD * 0.5, back.y() - ux * HEAD * 0.5)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawPolygon(QtGui.QPolygonF([tip, left, right]))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
