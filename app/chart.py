"""Painting the chart with a QPainter: one painter for the screen, PNG, SVG and PDF.

Everything is drawn in device pixels from a `Layout` and a `Viewport`, so the canvas and
export produce the same picture. Only what is visible is painted, found by bisection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtCore, QtGui

from app.layout import LANE_PADDING, Layout
from app.model import Event
from app.theme import STATUS_GLYPHS, Theme, actor_color

MARK = 6.0  # half-size of a point event's diamond, px
LABEL_GAP = 4.0
SQRT1_2 = math.sqrt(0.5)


@dataclass
class Viewport:
    """Maps time and layout y to device pixels for the plot area."""

    t0: float
    t1: float
    left: float  # px of t0
    right: float  # px of t1
    top: float  # px of the plot area's top edge
    bottom: float  # px of its bottom edge
    y_offset: float = 0.0  # layout y shown at `top`

    @property
    def scale(self) -> float:
        return (self.right - self.left) / max(self.t1 - self.t0, 1e-9)

    def x(self, t: float) -> float:
        return self.left + (t - self.t0) * self.scale

    def t(self, x: float) -> float:
        return self.t0 + (x - self.left) / self.scale

    def y(self, layout_y: float) -> float:
        return self.top + layout_y - self.y_offset

    def layout_y(self, y: float) -> float:
        return y - self.top + self.y_offset


@dataclass
class Ghost:
    """An event drawn where a drag would put it."""

    event: Event
    lane: int
    lo: float
    hi: float
    row: int = 0


@dataclass
class PaintOptions:
    selection: frozenset = frozenset()
    hover: str | None = None
    show_demands: bool = True
    show_phases: bool = True
    show_labels: bool = True
    ghosts: list[Ghost] = field(default_factory=list)
    dimmed: frozenset = frozenset()  # ids being dragged: drawn faded at their old place
    filtered: frozenset | None = None  # ids matching a search; others drawn faded


def _qcolor(hex_: str, alpha: int = 255) -> QtGui.QColor:
    c = QtGui.QColor(hex_)
    c.setAlpha(alpha)
    return c


def _readable_on(color: QtGui.QColor) -> QtGui.QColor:
    luminance = 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()
    return QtGui.QColor("#101418") if luminance > 0.6 else QtGui.QColor("#ffffff")


class ChartPainter:
    """Paints lanes, phases, events, demands and labels. Keeps text caches between frames."""

    def __init__(self, theme: Theme, font: QtGui.QFont | None = None):
        self.theme = theme
        self.font = QtGui.QFont(font) if font else QtGui.QFont()
        if not font:
            self.font.setPointSizeF(9.0)
        self.bold = QtGui.QFont(self.font)
        self.bold.setBold(True)
        self.metrics = QtGui.QFontMetricsF(self.font)
        self._labels: dict[str, tuple[str, QtGui.QStaticText, float]] = {}
        self._brushes: dict[tuple[str, int], QtGui.QBrush] = {}

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._brushes.clear()

    # ------------------------------------------------------------ helpers

    def brush(
        self, hex_: str, alpha: int = 255, style=QtCore.Qt.BrushStyle.SolidPattern
    ) -> QtGui.QBrush:
        key = (hex_, alpha, style)
        b = self._brushes.get(key)
        if b is None:
            b = self._brushes[key] = QtGui.QBrush(_qcolor(hex_, alpha), style)
        return b

    def label(self, event_id: str, title: str) -> tuple[QtGui.QStaticText, float]:
        """A cached static text for an event's title and its width in px."""
        cached = self._labels.get(event_id)
        if cached is None or cached[0] != title:
            st = QtGui.QStaticText(title)
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), self.font)
            cached = self._labels[event_id] = (title, st, self.metrics.horizontalAdvance(title))
        return cached[1], cached[2]

    def forget_labels(self, ids) -> None:
        for i in ids:
            self._labels.pop(i, None)

    def visible_lanes(self, layout: Layout, vp: Viewport) -> range:
        y0, y1 = vp.layout_y(vp.top), vp.layout_y(vp.bottom)
        first = layout.lane_at(max(y0, 0.0))
        if first is None:
            first = 0 if y0 < 0 else len(layout.lanes)
        last = first
        while last < len(layout.lanes) and layout.lanes[last].top < y1:
            last += 1
        return range(first, last)

    def lane_color(self, layout: Layout, lane_i: int) -> str:
        return actor_color(layout.lanes[lane_i].actor.color, lane_i)

    # ------------------------------------------------------------ layers

    def paint(self, p: QtGui.QPainter, layout: Layout, vp: Viewport, options: PaintOptions) -> None:
        p.save()
        p.setClipRect(QtCore.QRectF(vp.left, vp.top, vp.right - vp.left, vp.bottom - vp.top))
        lanes = self.visible_lanes(layout, vp)
        self.paint_lanes(p, layout, vp, lanes)
        if options.show_phases:
            self.paint_phases(p, layout, vp)
        visible = {
            i: layout.lane_events[i].visible(
                vp.t0 - 2 * MARK / vp.scale, vp.t1 + 2 * MARK / vp.scale
            )
            for i in lanes
        }
        self.paint_with_marks(p, layout, vp, visible)
        self.paint_events(p, layout, vp, visible, options)
        if options.show_demands:
            self.paint_demands(p, layout, vp, lanes, options)
        if options.show_labels:
            self.paint_labels(p, layout, vp, visible, options)
        self.paint_ghosts(p, layout, vp, options)
        p.restore()

    def paint_lanes(self, p: QtGui.QPainter, layout: Layout, vp: Viewport, lanes: range) -> None:
        t = self.theme
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        width = vp.right - vp.left
        for i in lanes:
            lane = layout.lanes[i]
            p.setBrush(self.brush(t.lane_odd if i % 2 else t.lane_even))
            p.drawRect(QtCore.QRectF(vp.left, vp.y(lane.top), width, lane.height))
        p.setPen(QtGui.QPen(_qcolor(t.separator), 1))
        lines = [
            QtCore.QLineF(
                vp.left,
                round(vp.y(layout.lanes[i].bottom)) - 0.5,
                vp.right,
                round(vp.y(layout.lanes[i].bottom)) - 0.5,
            )
            for i in lanes
        ]
        if lines:
            p.drawLines(lines)

    def paint_phases(self, p: QtGui.QPainter, layout: Layout, vp: Viewport) -> None:
        phases = [ph for ph in layout.phases if ph.when.lo is not None or ph.when.hi is not None]
        top, bottom = vp.top, min(vp.bottom, vp.y(layout.height)) if layout.lanes else vp.bottom
        p.setFont(self.bold)
        for k, ph in enumerate(phases):
            lo = ph.when.lo if ph.when.lo is not None else layout.t_min
            hi = ph.when.hi if ph.when.hi is not None else max(layout.t_max, vp.t1)
            if hi < vp.t0 or lo > vp.t1:
                continue
            x0, x1 = max(vp.x(lo), vp.left - 1), min(vp.x(hi), vp.right + 1)
            color = ph.color or ("#c17d11" if k % 2 == 0 else "#4e9a06")
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(color, self.theme.phase_alpha))
            p.drawRect(QtCore.QRectF(x0, top, x1 - x0, bottom - top))
            pen = QtGui.QPen(_qcolor(color, 150), 1, QtCore.Qt.PenStyle.DashLine)
            p.setPen(pen)
            for x in (vp.x(lo), vp.x(hi)):
                if vp.left <= x <= vp.right:
                    p.drawLine(QtCore.QPointF(x, top), QtCore.QPointF(x, bottom))
            p.setPen(_qcolor(self.theme.muted))
            text = QtGui.QFontMetricsF(self.bold).elidedText(
                ph.title, QtCore.Qt.TextElideMode.ElideRight, max(0.0, x1 - x0 - 8)
            )
            p.drawText(QtCore.QPointF(x0 + 4, top + 12), text)
        p.setFont(self.font)

    def paint_with_marks(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict
    ) -> None:
        """Small dots on the lanes of an event's `with` actors, joined by a faint line."""
        lanes_shown = set(visible)
        dots: dict[str, list[QtCore.QRectF]] = {}
        lines = []
        for lane_i, idx in visible.items():
            data = layout.lane_events[lane_i]
            for i in idx:
                e = data.events[i]
                if not e.with_:
                    continue
                x = vp.x((data.lo[i] + data.hi[i]) / 2 if not data.bar[i] else data.lo[i])
                y_from = vp.y(layout.row_top(lane_i, int(data.row[i])) + layout.row_height / 2)
                for other in e.with_:
                    j = layout.lane_of_actor.get(other)
                    if j is None or j == lane_i:
                        continue
                    y = vp.y(layout.lanes[j].centre)
                    lines.append(QtCore.QLineF(x, y_from, x, y))
                    if j in lanes_shown or vp.top <= y <= vp.bottom:
                        dots.setdefault(self.lane_color(layout, j), []).append(
                            QtCore.QRectF(x - 3, y - 3, 6, 6)
                        )
        if lines:
            p.setPen(QtGui.QPen(_qcolor(self.theme.muted, 70), 1, QtCore.Qt.PenStyle.DotLine))
            p.drawLines(lines)
        p.setPen(QtGui.QPen(_qcolor(self.theme.background), 1))
        for color, rects in dots.items():
            p.setBrush(self.brush(color))
            for r in rects:
                p.drawEllipse(r)

    def paint_events(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
    ) -> None:
        rh = layout.row_height
        bar_h = rh - 8
        selected_rects: list[QtCore.QRectF] = []
        selected_diamonds: list[QtCore.QRectF] = []
        for lane_i, idx in visible.items():
            if len(idx) == 0:
                continue
            data = layout.lane_events[lane_i]
            color = self.lane_color(layout, lane_i)
            lo, hi, row = data.lo[idx], data.hi[idx], data.row[idx]
            x0 = vp.left + (lo - vp.t0) * vp.scale
            x1 = vp.left + (hi - vp.t0) * vp.scale
            y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh
            fuzzy = data.fuzzy[idx]
            faded = (
                np.array(
                    [
                        (data.events[i].id in options.dimmed)
                        or (
                            options.filtered is not None
                            and data.events[i].id not in options.filtered
                        )
                        for i in idx
                    ],
                    dtype=bool,
                )
                if (options.dimmed or options.filtered is not None)
                else np.zeros(len(idx), dtype=bool)
            )
            # Ranges and partial dates (a month spans the month): bars, hatched when
            # approximate or uncertain. Days and times: diamonds, a rotated square each.
            wide = data.bar[idx]
            for mask, alpha in ((wide & ~faded, 235), (wide & faded, 60)):
                if mask.any():
                    left = np.maximum(x0[mask], vp.left - 4)
                    right = np.minimum(np.maximum(x1[mask], x0[mask] + 2), vp.right + 4)
                    rects = [
                        QtCore.QRectF(a, b + 4, max(c - a, 2.0), bar_h)
                        for a, b, c in zip(
                            left.tolist(), y[mask].tolist(), right.tolist(), strict=False
                        )
                    ]
                    p.setPen(QtCore.Qt.PenStyle.NoPen)
                    p.setBrush(self.brush(color, alpha))
                    p.drawRects(rects)
                    hatch = mask & fuzzy
                    if hatch.any():
                        p.setBrush(
                            self.brush(
                                self.theme.background, 150, QtCore.Qt.BrushStyle.BDiagPattern
                            )
                        )
                        p.drawRects(
                            [r for r, h in zip(rects, hatch[mask].tolist(), strict=False) if h]
                        )
            points = ~wide
            if points.any():
                cx = ((x0 + x1) / 2)[points]
                cy = (y + rh / 2)[points]
                # In a frame turned 45 degrees, each diamond is an axis-aligned square.
                u = (cx + cy) * SQRT1_2
                v = (cy - cx) * SQRT1_2
                side = MARK * 2 * SQRT1_2
                p.save()
                p.rotate(45)
                pts_faded, pts_fuzzy = faded[points], fuzzy[points]
                squares = [
                    QtCore.QRectF(a - side / 2, b - side / 2, side, side)
                    for a, b in zip(u.tolist(), v.tolist(), strict=False)
                ]
                for keep, alpha in ((~pts_faded, 255), (pts_faded, 60)):
                    chosen = [s for s, k in zip(squares, keep.tolist(), strict=False) if k]
                    if chosen:
                        p.setPen(QtGui.QPen(_qcolor(self.theme.background), 1))
                        p.setBrush(self.brush(color, alpha))
                        p.drawRects(chosen)
                if pts_fuzzy.any():
                    p.setBrush(
                        self.brush(self.theme.background, 170, QtCore.Qt.BrushStyle.Dense5Pattern)
                    )
                    p.drawRects([s for s, f in zip(squares, pts_fuzzy.tolist(), strict=False) if f])
                p.restore()
            if options.selection or options.hover:
                marked = options.selection | ({options.hover} if options.hover else set())
                for k, i in enumerate(idx):
                    if data.events[i].id in marked:
                        if wide[k]:
                            selected_rects.append(
                                QtCore.QRectF(
                                    x0[k] - 1, y[k] + 3, max(x1[k] - x0[k], 2) + 2, bar_h + 2
                                )
                            )
                        else:
                            selected_diamonds.append(
                                QtCore.QRectF(
                                    (x0[k] + x1[k]) / 2 - MARK - 2,
                                    y[k] + rh / 2 - MARK - 2,
                                    2 * MARK + 4,
                                    2 * MARK + 4,
                                )
                            )
        if selected_rects or selected_diamonds:
            p.setPen(QtGui.QPen(_qcolor(self.theme.selection), 2.0))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            for r in selected_rects:
                p.drawRoundedRect(r, 2, 2)
            for r in selected_diamonds:
                c = r.center()
                h = r.width() / 2
                p.drawPolygon(
                    QtGui.QPolygonF(
                        [
                            QtCore.QPointF(c.x(), c.y() - h),
                            QtCore.QPointF(c.x() + h, c.y()),
                            QtCore.QPointF(c.x(), c.y() + h),
                            QtCore.QPointF(c.x() - h, c.y()),
                        ]
                    )
                )

    def paint_labels(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
    ) -> None:
        """Titles beside or inside their events, thinned by collision in each sub-row:
        a label never runs over another label or the next mark in its row; it is
        shortened with an ellipsis, or left out when too little room is left."""
        rh = layout.row_height
        p.setFont(self.font)
        text_pen = _qcolor(self.theme.text)
        forced: list[tuple[QtCore.QPointF, QtGui.QStaticText, float]] = []
        min_room = self.metrics.horizontalAdvance("Abcd…")
        for lane_i, idx in visible.items():
            if len(idx) == 0:
                continue
            data = layout.lane_events[lane_i]
            lane_top = vp.y(layout.lanes[lane_i].top) + LANE_PADDING
            inside_pen = _readable_on(_qcolor(self.lane_color(layout, lane_i)))
            order = idx.tolist()
            # The start of the next mark in the same row, for each visible event.
            next_mark: dict[int, float] = {}
            last_in_row: dict[int, int] = {}
            for i in order:
                row = int(data.row[i])
                if row in last_in_row:
                    x = (
                        vp.x(data.lo[i])
                        if data.bar[i]
                        else vp.x((data.lo[i] + data.hi[i]) / 2) - MARK
                    )
                    next_mark[last_in_row[row]] = x
                last_in_row[row] = i
            last_end: dict[int, float] = {}
            for i in order:
                e = data.events[i]
                if options.filtered is not None and e.id not in options.filtered:
                    continue
                row = int(data.row[i])
                x0, x1 = vp.x(data.lo[i]), vp.x(data.hi[i])
                static, width = self.label(e.id, e.title)
                y = lane_top + row * rh + (rh - static.size().height()) / 2
                inside = (
                    data.bar[i] and min(x1, vp.right) - max(x0, vp.left) >= width + 2 * LABEL_GAP
                )
                if inside:
                    x = max(x0, vp.left) + LABEL_GAP
                    limit = min(x1, vp.right) - LABEL_GAP
                    pen = inside_pen
                else:
                    x = (x1 if data.bar[i] else (x0 + x1) / 2 + MARK) + LABEL_GAP
                    limit = next_mark.get(i, vp.right + 1e6) - LABEL_GAP
                    pen = text_pen
                if e.id in options.selection or e.id == options.hover:
                    forced.append((QtCore.QPointF(x, y), static, width))
                    last_end[row] = x + width + LABEL_GAP
                    continue
                if x < last_end.get(row, -1e18) or x > vp.right or x + width < vp.left:
                    continue
                room = limit - x
                if room < min(width, min_room):
                    continue
                p.setPen(pen)
                if width <= room:
                    p.drawStaticText(QtCore.QPointF(x, y), static)
                    last_end[row] = x + width + LABEL_GAP
                else:
                    text = self.metrics.elidedText(
                        e.title, QtCore.Qt.TextElideMode.ElideRight, room
                    )
                    p.drawText(QtCore.QPointF(x, y + self.metrics.ascent()), text)
                    last_end[row] = x + room + LABEL_GAP
        # Hovered and selected titles always show in full, on a backing so they read over anything.
        for pos, static, width in forced:
            h = static.size().height()
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(self.theme.background, 235))
            p.drawRoundedRect(QtCore.QRectF(pos.x() - 3, pos.y() - 1, width + 6, h + 2), 3, 3)
            p.setPen(text_pen)
            p.drawStaticText(pos, static)

    def paint_demands(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, lanes: range, options: PaintOptions
    ) -> None:
        """An arrow from the demander's lane to the target's at `raised`, through the
        mediators' lanes; a span in the demander's lane while it runs; a status glyph."""
        t = self.theme
        y_top, y_bottom = vp.layout_y(vp.top), vp.layout_y(vp.bottom)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        glyph_font = QtGui.QFont(self.bold)
        glyph_font.setPointSizeF(self.font.pointSizeF() + 1)
        for g in layout.demands:
            d = g.demand
            if options.filtered is not None and d.id not in options.filtered:
                continue
            if g.x > vp.t1:
                continue
            end = g.end if g.end is not None else (vp.t1 if d.status == "open" else g.x)
            if end < vp.t0:
                continue
            ys = [
                layout.lanes[g.from_lane].centre,
                *(layout.lanes[v].centre for v in g.via_lanes),
                layout.lanes[g.to_lane].centre,
            ]
            if max(ys) < y_top - 20 or min(ys) > y_bottom + 20:
                continue
            color = _qcolor(t.status_color(d.status))
            selected = d.id in options.selection or d.id == options.hover
            # The span in the demander's lane.
            lane = layout.lanes[g.from_lane]
            span_y = vp.y(lane.bottom) - 4
            p.setPen(
                QtGui.QPen(
                    _qcolor(t.status_color(d.status), 170),
                    3 if not selected else 4,
                    QtCore.Qt.PenStyle.SolidLine,
                    QtCore.Qt.PenCapStyle.FlatCap,
                )
            )
            if end > g.x:
                p.drawLine(
                    QtCore.QPointF(vp.x(g.x), span_y),
                    QtCore.QPointF(min(vp.x(end), vp.right + 5), span_y),
                )
            # The arrow, through each mediator.
            x = vp.x(g.x)
            if not vp.left - 20 <= x <= vp.right + 20:
                continue
            pts = [QtCore.QPointF(x, vp.y(y)) for y in ys]
            style = (
                QtCore.Qt.PenStyle.DashLine
                if d.status in ("open", "withdrawn")
                else QtCore.Qt.PenStyle.SolidLine
            )
            pen = QtGui.QPen(color, 2.5 if selected else 1.6, style)
            p.setPen(pen)
            p.drawPolyline(QtGui.QPolygonF(pts))
            p.setBrush(color)
            for via in pts[1:-1]:
                p.drawEllipse(via, 3.5, 3.5)
            head, before = pts[-1], pts[-2]
            direction = 1.0 if head.y() >= before.y() else -1.0
            if head.y() == before.y():
                direction = 1.0
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.drawPolygon(
                QtGui.QPolygonF(
                    [
                        head,
                        QtCore.QPointF(head.x() - 5, head.y() - 9 * direction),
                        QtCore.QPointF(head.x() + 5, head.y() - 9 * direction),
                    ]
                )
            )
            # Glyph at the tail, on a disc so it reads over lanes and in greyscale.
            tail = pts[0]
            p.setBrush(self.brush(t.background))
            p.setPen(QtGui.QPen(color, 1.4))
            p.drawEllipse(tail, 8, 8)
            p.setFont(glyph_font)
            p.setPen(color)
            p.drawText(
                QtCore.QRectF(tail.x() - 8, tail.y() - 8, 16, 16),
                QtCore.Qt.AlignmentFlag.AlignCenter,
                STATUS_GLYPHS[d.status],
            )
        p.setFont(self.font)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

    def paint_ghosts(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, options: PaintOptions
    ) -> None:
        if not options.ghosts:
            return
        rh = layout.row_height
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for g in options.ghosts:
            color = _qcolor(self.lane_color(layout, g.lane), 200)
            y = vp.y(layout.row_top(g.lane, g.row))
            x0, x1 = vp.x(g.lo), vp.x(g.hi)
            p.setPen(QtGui.QPen(_qcolor(self.theme.selection), 2, QtCore.Qt.PenStyle.DashLine))
            p.setBrush(color)
            if g.event.when.is_range or g.event.when.start.precision in ("year", "month"):
                p.drawRect(QtCore.QRectF(x0, y + 4, max(x1 - x0, 2), rh - 8))
            else:
                c = QtCore.QPointF((x0 + x1) / 2, y + rh / 2)
                p.drawPolygon(
                    QtGui.QPolygonF(
                        [
                            c + QtCore.QPointF(0, -MARK),
                            c + QtCore.QPointF(MARK, 0),
                            c + QtCore.QPointF(0, MARK),
                            c + QtCore.QPointF(-MARK, 0),
                        ]
                    )
                )
            p.setPen(_qcolor(self.theme.text))
            p.drawText(
                QtCore.QPointF(max(x1, x0 + MARK) + LABEL_GAP, y + rh / 2 + 4), g.event.when.text
            )
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

    # ------------------------------------------------------------ headers and legend

    def paint_headers(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, width: float, x: float = 0.0
    ) -> None:
        """Lane names in a column left of the plot: indented by nesting, elided to fit."""
        t = self.theme
        fm = self.metrics
        for i in self.visible_lanes(layout, vp):
            lane = layout.lanes[i]
            top = vp.y(lane.top)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(t.lane_odd if i % 2 else t.lane_even))
            p.drawRect(QtCore.QRectF(x, top, width, lane.height))
            p.setBrush(self.brush(self.lane_color(layout, i)))
            indent = x + 6 + 14 * lane.depth
            p.drawRect(QtCore.QRectF(indent, top + 5, 4, lane.height - 10))
            text_x = indent + 10
            if lane.has_children:
                p.setPen(_qcolor(t.muted))
                p.drawText(
                    QtCore.QRectF(text_x, top, 12, min(lane.height, 28)),
                    QtCore.Qt.AlignmentFlag.AlignVCenter,
                    "▸" if lane.actor.collapsed else "▾",
                )
                text_x += 13
            p.setFont(self.bold if lane.depth == 0 else self.font)
            p.setPen(_qcolor(t.text))
            name = QtGui.QFontMetricsF(p.font()).elidedText(
                lane.actor.name, QtCore.Qt.TextElideMode.ElideRight, x + width - text_x - 6
            )
            p.drawText(
                QtCore.QRectF(text_x, top, x + width - text_x - 6, min(lane.height, 28)),
                QtCore.Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            p.setPen(QtGui.QPen(_qcolor(t.separator), 1))
            p.drawLine(
                QtCore.QPointF(x, round(vp.y(lane.bottom)) - 0.5),
                QtCore.QPointF(x + width, round(vp.y(lane.bottom)) - 0.5),
            )
        p.setFont(self.font)
        _ = fm

    def legend_size(self) -> QtCore.QSizeF:
        fm = self.metrics
        width = (
            sum(fm.horizontalAdvance(f"{g} {s}") + 22 for s, g in STATUS_GLYPHS.items())
            + fm.horizontalAdvance("Demands:")
            + 8
        )
        width += 3 * 70
        return QtCore.QSizeF(width, fm.height() + 10)

    def paint_legend(self, p: QtGui.QPainter, topleft: QtCore.QPointF) -> QtCore.QRectF:
        """A one-line legend: demand statuses (glyph and colour) and event marks."""
        t = self.theme
        size = self.legend_size()
        rect = QtCore.QRectF(topleft, size)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(_qcolor(t.separator), 1))
        p.setBrush(self.brush(t.background, 235))
        p.drawRoundedRect(rect, 4, 4)
        fm = self.metrics
        x = rect.left() + 8
        mid = rect.center().y()
        p.setFont(self.font)
        p.setPen(_qcolor(t.muted))
        p.drawText(QtCore.QPointF(x, mid + fm.ascent() / 2 - 1), "Demands:")
        x += fm.horizontalAdvance("Demands:") + 8
        for status, glyph in STATUS_GLYPHS.items():
            color = _qcolor(t.status_color(status))
            p.setPen(QtGui.QPen(color, 1.4))
            p.setBrush(self.brush(t.background))
            p.drawEllipse(QtCore.QPointF(x + 6, mid), 7, 7)
            p.setFont(self.bold)
            p.drawText(
                QtCore.QRectF(x - 1, mid - 7, 14, 14), QtCore.Qt.AlignmentFlag.AlignCenter, glyph
            )
            p.setFont(self.font)
            p.setPen(_qcolor(t.text))
            p.drawText(QtCore.QPointF(x + 16, mid + fm.ascent() / 2 - 1), status)
            x += fm.horizontalAdvance(f"{glyph} {status}") + 22
        # Event marks: point, range, approximate.
        for label, kind in (("point", 0), ("range", 1), ("approx.", 2)):
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(t.muted))
            if kind == 0:
                p.drawPolygon(
                    QtGui.QPolygonF(
                        [
                            QtCore.QPointF(x + 5, mid - 5),
                            QtCore.QPointF(x + 10, mid),
                            QtCore.QPointF(x + 5, mid + 5),
                            QtCore.QPointF(x, mid),
                        ]
                    )
                )
            else:
                r = QtCore.QRectF(x, mid - 5, 14, 10)
                p.drawRect(r)
                if kind == 2:
                    p.setBrush(self.brush(t.background, 170, QtCore.Qt.BrushStyle.BDiagPattern))
                    p.drawRect(r)
            p.setPen(_qcolor(t.text))
            p.drawText(QtCore.QPointF(x + 17, mid + fm.ascent() / 2 - 1), label)
            x += 70
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        return rect
