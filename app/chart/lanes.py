"""Lanes: their backgrounds (with the phases' bands mixed in) and the header column of
lane names."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, Viewport, visible_lanes
from app.chart.batch import draw_lines
from app.chart.layout import Layout
from app.chart.metrics import (
    HEADER_INDENT,
    HEADER_LINE,
    HEADER_PAD,
    SWATCH_WIDTH,
    TOGGLE_WIDTH,
    header_text_x,
)
from app.chart.phases import phase_bands
from app.chart.style import Style, mixed, qcolor


def paint_lanes(
    s: Style,
    p: QtGui.QPainter,
    layout: Layout,
    vp: Viewport,
    lanes: range,
    phases: bool = True,
) -> None:
    """Lane backgrounds, alternating, with the phases' bands mixed in. The bands are
    opaque mixed colours rather than a translucent layer: blending a rectangle the size
    of the plot costs more than all the lanes."""
    t = s.theme
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    width = vp.right - vp.left
    bands = phase_bands(s, layout, vp) if phases else []
    for i in lanes:
        lane = layout.lanes[i]
        base = t.lane_odd if i % 2 else t.lane_even
        y = vp.y(lane.top)
        p.setBrush(s.brush(base))
        p.drawRect(QtCore.QRectF(vp.left, y, width, lane.height))
        for x0, x1, color, _ in bands:
            x0, x1 = max(x0, vp.left - 1), min(x1, vp.right + 1)
            p.setBrush(s.brush(mixed(base, color, t.phase_alpha)))
            p.drawRect(QtCore.QRectF(x0, y, x1 - x0, lane.height))
    p.setPen(QtGui.QPen(qcolor(t.separator), 1))
    ys = [round(vp.y(layout.lanes[i].bottom)) - 0.5 for i in lanes]
    draw_lines(p, vp.left, np.array(ys), vp.right, np.array(ys))


def paint_headers(
    s: Style,
    p: QtGui.QPainter,
    layout: Layout,
    vp: Viewport,
    width: float,
    x: float = 0.0,
    toggles: bool = True,
) -> None:
    """Lane names in a column left of the plot: indented by nesting, elided to fit. The
    collapse toggles (▾ ▸) are for the screen; exports leave them out."""
    t = s.theme
    if layout.strip and vp.y(layout.strip) > vp.top:
        p.setPen(qcolor(t.muted))
        p.setFont(s.font)
        p.drawText(
            QtCore.QRectF(x + 8, vp.y(0.0), width - 12, layout.strip),
            QtCore.Qt.AlignmentFlag.AlignVCenter,
            "Phases",
        )
    for i in visible_lanes(layout, vp):
        lane = layout.lanes[i]
        top = vp.y(lane.top)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(s.brush(t.lane_odd if i % 2 else t.lane_even))
        p.drawRect(QtCore.QRectF(x, top, width, lane.height))
        p.setBrush(s.brush(s.lane_color(layout, i)))
        indent = x + HEADER_PAD + HEADER_INDENT * lane.depth
        p.drawRect(QtCore.QRectF(indent, top + 5, SWATCH_WIDTH, lane.height - 10))
        text_x = header_text_x(lane.depth, x)
        if lane.has_children and toggles:
            p.setPen(qcolor(t.muted))
            p.drawText(
                QtCore.QRectF(text_x, top, TOGGLE_WIDTH - 1, min(lane.height, HEADER_LINE)),
                QtCore.Qt.AlignmentFlag.AlignVCenter,
                "▸" if lane.actor.collapsed else "▾",
            )
            text_x += TOGGLE_WIDTH
        p.setFont(s.bold if lane.depth == 0 else s.font)
        p.setPen(qcolor(t.text))
        room = x + width - text_x - 6
        lines = name_lines(QtGui.QFontMetricsF(p.font()), lane.actor.name, room, lane.height)
        p.drawText(
            QtCore.QRectF(text_x, top, room, min(lane.height, HEADER_LINE * len(lines))),
            QtCore.Qt.AlignmentFlag.AlignVCenter,
            "\n".join(lines),
        )
        p.setPen(QtGui.QPen(qcolor(t.separator), 1))
        p.drawLine(
            QtCore.QPointF(x, round(vp.y(lane.bottom)) - 0.5),
            QtCore.QPointF(x + width, round(vp.y(lane.bottom)) - 0.5),
        )
    p.setFont(s.font)


def paint(s: Style, f: Frame) -> None:
    paint_lanes(s, f.p, f.layout, f.vp, f.lanes, f.options.show_phases)


def name_lines(fm: QtGui.QFontMetricsF, name: str, room: float, height: float) -> list[str]:
    """A lane's name on one line, or on two where it is too long and the lane is tall
    enough (the second elided if need be)."""
    if fm.horizontalAdvance(name) <= room or height < 2 * fm.height() + 4:
        return [fm.elidedText(name, QtCore.Qt.TextElideMode.ElideRight, room)]
    words, first = name.split(), ""
    while words and fm.horizontalAdvance(f"{first} {words[0]}".strip()) <= room:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one long word: cut it where it fills the line
        cut = len(name)
        while cut > 1 and fm.horizontalAdvance(name[:cut]) > room:
            cut -= 1
        first, words = name[:cut], [name[cut:]]
    rest = fm.elidedText(" ".join(words), QtCore.Qt.TextElideMode.ElideRight, room)
    return [first, rest] if rest else [first]


def header_width(s: Style, layout: Layout, cap: float) -> float:
    """The width of a header column that fits the longest name (bold at the top level,
    with its indent and toggle), within `cap`."""
    bold, plain = QtGui.QFontMetricsF(s.bold), QtGui.QFontMetricsF(s.font)
    widest = 0.0
    for lane in layout.lanes:
        fm = bold if lane.depth == 0 else plain
        widest = max(
            widest,
            header_text_x(lane.depth) + TOGGLE_WIDTH + fm.horizontalAdvance(lane.actor.name) + 8,
        )
    return min(max(widest, 120.0), cap)
