"""Phases: their bands' edges and their titles in the strip above the lanes (the bands
themselves are mixed into the lane backgrounds, in lanes.py)."""

from __future__ import annotations

from PySide6 import QtCore, QtGui

from app.chart.base import Frame, Viewport
from app.chart.layout import Layout
from app.chart.style import Style, mixed, qcolor
from app.records.model import Phase


def phase_bands(s: Style, layout: Layout, vp: Viewport) -> list[tuple[float, float, str, Phase]]:
    """The phases in view as (x0, x1, colour, phase): where they start and end, in px."""
    out = []
    for k, ph in enumerate(layout.phases):
        if not ph.dated:
            continue
        lo = ph.when.lo if ph.when.lo is not None else layout.t_min
        hi = ph.when.hi if ph.when.hi is not None else max(layout.t_max, vp.t1)
        if hi < vp.t0 or lo > vp.t1:
            continue
        out.append((vp.x(lo), vp.x(hi), ph.color or ("#c17d11" if k % 2 == 0 else "#4e9a06"), ph))
    return out


def paint_phases(s: Style, p: QtGui.QPainter, layout: Layout, vp: Viewport) -> None:
    """The phases' edges, and their titles in the strip above the lanes (their bands
    are part of the lanes)."""
    strip_top, strip = vp.y(0.0), layout.strip
    top, bottom = strip_top, min(vp.bottom, vp.y(layout.height))
    bands = phase_bands(s, layout, vp)
    if strip and strip_top + strip > vp.top:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(s.brush(s.theme.background))
        p.drawRect(QtCore.QRectF(vp.left, strip_top, vp.right - vp.left, strip))
        for start, end, color, _ in bands:
            x0, x1 = max(start, vp.left - 1), min(end, vp.right + 1)
            p.setBrush(s.brush(mixed(s.theme.background, color, s.theme.phase_alpha)))
            p.drawRect(QtCore.QRectF(x0, strip_top, x1 - x0, strip))
    p.setFont(s.bold)
    baseline = strip_top + (strip + s.metrics.ascent()) / 2 - 1
    for start, end, color, ph in bands:
        p.setPen(QtGui.QPen(qcolor(color, 150), 1, QtCore.Qt.PenStyle.DashLine))
        for x in (start, end):
            if vp.left <= x <= vp.right:
                p.drawLine(QtCore.QPointF(x, max(top, vp.top)), QtCore.QPointF(x, bottom))
        x0, x1 = max(start, vp.left - 1), min(end, vp.right + 1)
        p.setPen(qcolor(s.theme.muted))
        text = phase_title(s, ph.title, max(0.0, x1 - x0 - 8))
        p.drawText(QtCore.QPointF(x0 + 4, baseline), text)
    p.setFont(s.font)


def phase_title(s: Style, title: str, room: float) -> str:
    key = (title, int(room))
    text = s.texts.get(key)
    if text is None:
        text = s.texts[key] = QtGui.QFontMetricsF(s.bold).elidedText(
            title, QtCore.Qt.TextElideMode.ElideRight, room
        )
    return text


def paint(s: Style, f: Frame) -> None:
    if f.options.show_phases:
        paint_phases(s, f.p, f.layout, f.vp)
