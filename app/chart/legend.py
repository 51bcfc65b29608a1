"""The legend: demand statuses and event marks, flowed onto rows to fit a width."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.context import STRIP_COLOR as CONTEXT_COLOR
from app.chart.context import SURGE_WORDS
from app.chart.events import hatch_lines, mark
from app.chart.links import LINK_ALPHA
from app.chart.metrics import DEMAND_SPAN_HEIGHT, LEGEND_ROW, MARK, TICK_HEIGHT, TICK_WIDTH
from app.chart.style import Style, is_vector, qcolor
from app.chart.theme import STATUS_GLYPHS
from app.records.plural import counted


def legend_rows(s: Style) -> list[tuple[str, list[tuple[str, object, float]]]]:
    """The legend's rows: a heading and its entries, each a label, a swatch painter
    (drawing centred on the point it is given, or None) and the swatch's width."""
    t = s.theme

    def status(name: str):
        def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
            color = qcolor(t.status_color(name))
            p.setPen(QtGui.QPen(color, 1.4))
            p.setBrush(s.brush(t.background))
            p.drawEllipse(c, 7, 7)
            p.setFont(s.bold)
            p.drawText(
                QtCore.QRectF(c.x() - 7, c.y() - 7, 14, 14),
                QtCore.Qt.AlignmentFlag.AlignCenter,
                STATUS_GLYPHS[name],
            )
            p.setFont(s.font)

        return draw

    def marks(*kinds: int):
        def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
            step = 2 * MARK + 3
            left = c.x() - (len(kinds) - 1) * step / 2
            for n, kind in enumerate(kinds):
                at = QtCore.QPointF(left + n * step, c.y())
                mark(s, p, t.muted, kind, False, False, at)

        return draw

    def bar(hatched: bool):
        def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
            r = QtCore.QRectF(c.x() - 8, c.y() - 5, 16, 10)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(s.brush(t.muted))
            p.drawRect(r)
            if hatched and is_vector(p):
                hatch_lines(
                    s, p, np.array([r.x()]), np.array([r.y()]), np.array([r.width()]), r.height()
                )
            elif hatched:
                p.setBrush(s.brush(t.background, 170, QtCore.Qt.BrushStyle.BDiagPattern))
                p.drawRect(r)

        return draw

    def block(width: float, height: float, alpha: int):
        """A rectangle of the muted colour, centred: a `with` tick, a demand's span."""

        def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(s.brush(t.muted, alpha))
            p.drawRect(QtCore.QRectF(c.x() - width / 2, c.y() - height / 2, width, height))

        return draw

    tick = block(TICK_WIDTH, TICK_HEIGHT, 150)  # as paint_with_marks draws it
    span = block(20, DEMAND_SPAN_HEIGHT, 170)  # as the demands' spans are drawn

    def link(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
        path = QtGui.QPainterPath(QtCore.QPointF(c.x() - 10, c.y() + 4))
        path.cubicTo(
            QtCore.QPointF(c.x() - 4, c.y() - 6),
            QtCore.QPointF(c.x() + 4, c.y() - 6),
            QtCore.QPointF(c.x() + 10, c.y() + 4),
        )
        p.setPen(QtGui.QPen(qcolor(t.text, LINK_ALPHA), 1.2))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.drawPath(path)

    state, datasets = s.context_legend or ("", ((None, CONTEXT_COLOR),))

    def strip(color: str):
        def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            for k in range(4):
                p.setBrush(s.brush(s.shown(color), 60 + k * 60))
                p.drawRect(QtCore.QRectF(c.x() - 12 + k * 6, c.y() - 2.5, 6, 5))

        return draw

    def surge(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(s.brush(s.shown(datasets[0][1])))
        p.drawPolygon(
            QtGui.QPolygonF(
                [
                    QtCore.QPointF(c.x() - 4, c.y() + 3),
                    QtCore.QPointF(c.x() + 4, c.y() + 3),
                    QtCore.QPointF(c.x(), c.y() - 4),
                ]
            )
        )

    words = "conflict events per bucket of days (stronger colour: more)"
    shades = (  # several datasets: each by its colour (two on one lane looked alike)
        [(words, strip(datasets[0][1]), 24.0)]
        if len(datasets) == 1
        else [(words + ":", None, 0.0), *((title, strip(color), 24.0) for title, color in datasets)]
    )
    context = [
        (
            "Context:",
            [
                *shades,
                (SURGE_WORDS, surge, 10.0),
                *(
                    [("below the lanes: each dataset's rows that match no lane", None, 0.0)]
                    if state == "unmatched"
                    else []
                ),
            ],
        )
    ]
    return [
        *(context if s.context_legend else []),
        (
            "Demands:",
            [
                *((name, status(name), 16.0) for name in STATUS_GLYPHS),
                ("in the demander's lane while it runs", span, 20.0),
            ],
        ),
        (
            "Events:",
            [
                ("cooperation", marks(1, 2), 30.0),
                ("conflict", marks(3, 4), 30.0),
                ("other", marks(0), 16.0),
                ("range", bar(False), 16.0),
                ("approx.", bar(True), 16.0),
                ("answers", link, 20.0),
                ("with (in each other party's lane)", tick, 6.0),
                ("(hollow: said, solid: done)", None, 0.0),
            ],
        ),
    ]


def legend_layout(
    s: Style, max_width: float
) -> tuple[list[tuple[float, int, str, object, float]], QtCore.QSizeF]:
    """(x, row, text, swatch painter, swatch width) of every heading and entry, flowed
    onto more rows where a row would be wider than `max_width`; and the legend's size."""
    key = ("legend", int(min(max_width, 1e6)), s.context_legend)
    cached = s.texts.get(key)
    if cached is not None:
        return cached
    fm = s.metrics
    out = []
    rows = legend_rows(s)
    heading_w = max(fm.horizontalAdvance(h) for h, _ in rows) + 10
    width, row = 0.0, -1
    for heading, entries in rows:
        row += 1
        out.append((8.0, row, heading, None, 0.0))
        x = 8.0 + heading_w
        for text, draw, swatch in entries:
            step = swatch + (4 if swatch else 0) + fm.horizontalAdvance(text) + 14
            if x > 8.0 + heading_w and x + step - 6 > max_width:
                row, x = row + 1, 8.0 + heading_w
            out.append((x, row, text, draw, swatch))
            x += step
            width = max(width, x - 6)
    cached = s.texts[key] = (out, QtCore.QSizeF(width, (row + 1) * LEGEND_ROW + 8))
    return cached


def legend_size(s: Style, max_width: float = float("inf")) -> QtCore.QSizeF:
    return legend_layout(s, max_width)[1]


def paint_legend(
    s: Style, p: QtGui.QPainter, topleft: QtCore.QPointF, max_width: float = float("inf")
) -> QtCore.QRectF:
    """A compact legend: demand statuses (glyph and colour) and event marks. Drawn
    once into a pixmap for the screen; drawn as vectors for SVG and PDF."""
    rect = QtCore.QRectF(topleft, legend_size(s, max_width))
    if is_vector(p):
        draw_legend(s, p, topleft, max_width)
        return rect
    ratio = p.device().devicePixelRatioF()
    key = (
        "legend",
        s.font.toString(),
        ratio,
        s.theme.name,
        rect.size().toTuple(),
        s.context_legend,
    )
    pixmap = s.pixmaps.get(key)
    if pixmap is None:
        size = rect.size().toSize() + QtCore.QSize(2, 2)
        pixmap = QtGui.QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        q = QtGui.QPainter(pixmap)
        draw_legend(s, q, QtCore.QPointF(0.5, 0.5), max_width)
        q.end()
        s.pixmaps[key] = pixmap
    p.drawPixmap(topleft - QtCore.QPointF(0.5, 0.5), pixmap)
    return rect


def draw_legend(s: Style, p: QtGui.QPainter, topleft: QtCore.QPointF, max_width: float) -> None:
    t = s.theme
    fm = s.metrics
    entries, size = legend_layout(s, max_width)
    rect = QtCore.QRectF(topleft, size)
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    p.setPen(QtGui.QPen(qcolor(t.separator), 1))
    p.setBrush(s.brush(t.background, 235))
    p.drawRoundedRect(rect, 4, 4)
    p.setFont(s.font)
    for x, row, text, draw, swatch in entries:
        mid = rect.top() + 4 + row * LEGEND_ROW + LEGEND_ROW / 2
        left = rect.left() + x
        if draw is None:  # a heading or a note
            p.setPen(qcolor(t.muted))
        else:
            draw(p, QtCore.QPointF(left + swatch / 2, mid))
            left += swatch + 4
            p.setPen(qcolor(t.text))
        p.drawText(QtCore.QPointF(left, mid + fm.ascent() / 2 - 1), text)
    p.restore()


LIST_LIMIT = 150  # demands numbered and listed at most (more, and arrows are hairlines)


def numbered_range(layout, span: tuple[float, float] | None = None) -> range:
    """The demands that carry numbers, as positions in the layout's demand index (by
    date): all of them, or those raised within `span` (the arrows a picture draws).
    Numbers count from 1 at the first of them."""
    index = layout.demand_index
    if index is None:
        return range(0)
    if span is None:
        return range(len(index.x))
    lo, hi = np.searchsorted(index.x, span, side="left")
    return range(int(lo), int(hi))


def demand_lines(
    layout, span: tuple[float, float] | None = None, lanes: int | None = None
) -> list[tuple[str | None, str]]:
    """(status, line) for each demand in date order (only those raised within `span`
    when given), numbered as on the arrows:
    "3  Hamas → Israel: Stop drone reconnaissance (partial, 21 Nov 2023)".
    `lanes`: how many lanes, from the top, a picture has room for. A demand's number stands
    in the lane that raised it, so those raised in the others are left out (their numbers
    skipped), and a last line (status None) says how many."""
    index = layout.demand_index
    numbered = numbered_range(layout, span)
    if index is None or not 0 < len(numbered) <= LIST_LIMIT:
        return []
    names = {lane.actor.id: lane.actor.name for lane in layout.lanes}
    out: list[tuple[str | None, str]] = []
    left_out = 0
    raised_in = index.from_lane[numbered.start : numbered.stop].tolist()
    for n, j in enumerate(index.order[numbered.start : numbered.stop].tolist(), start=1):
        if lanes is not None and raised_in[n - 1] >= lanes:
            left_out += 1
            continue
        d = layout.demands[j].demand
        what = d.label or d.text
        when = d.resolved or d.raised
        out.append(
            (
                d.status,
                f"{n}  {STATUS_GLYPHS[d.status]} {names.get(d.from_, d.from_)} → "
                f"{names.get(d.to, d.to)}: {what} ({d.status}, {when.describe()})",
            )
        )
    if left_out:
        out.append((None, f"+{counted(left_out, 'demand')} raised in lanes not shown"))
    return out


def demand_list_size(s: Style, layout, width: float, span=None, lanes=None) -> QtCore.QSizeF:
    lines = demand_lines(layout, span, lanes)
    return QtCore.QSizeF(width, len(lines) * s.metrics.height() + 8 if lines else 0.0)


def paint_demand_list(
    s: Style,
    p: QtGui.QPainter,
    layout,
    topleft: QtCore.QPointF,
    width: float,
    span=None,
    lanes=None,
) -> None:
    """The numbered demands, one per line, below the chart: what each arrow asks."""
    p.save()
    p.setFont(s.font)
    y = topleft.y() + 4 + s.metrics.ascent()
    for status, line in demand_lines(layout, span, lanes):
        p.setPen(qcolor(s.theme.status_color(status) if status else s.theme.muted))
        shown = s.metrics.elidedText(line, QtCore.Qt.TextElideMode.ElideRight, width - 8)
        p.drawText(QtCore.QPointF(topleft.x() + 8, y), shown)
        y += s.metrics.height()
    p.restore()
