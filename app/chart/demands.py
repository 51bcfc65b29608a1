"""Demands: an arrow from the demander's lane to the target's at the date raised, through
the mediators' lanes; a span while it runs; a status glyph at the tail."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, PaintOptions, Viewport
from app.chart.batch import distinct_places, draw_fragments, draw_lines, draw_rects
from app.chart.kept import kept_mask
from app.chart.layout import Layout
from app.chart.metrics import (
    ATLAS_CELL,
    CROWDED_ARROWS,
    DEMAND_SPAN_HEIGHT,
    DEMAND_SPAN_LIFT,
    GLYPH_RADIUS,
)
from app.chart.style import Style, is_vector, qcolor
from app.chart.theme import STATUS_GLYPHS
from app.records.model import STATUSES

ARROW_MARGIN = 20.0  # px beyond the plot's sides where arrows are still drawn
FADED_OPACITY = 0.25  # a demand the filter dims (events' faded looks are about as light)


def paint_demands(
    s: Style,
    p: QtGui.QPainter,
    layout: Layout,
    vp: Viewport,
    lanes: range,
    options: PaintOptions,
    span: tuple[float, float],
) -> None:
    """An arrow from the demander's lane to the target's at `raised`, through the
    mediators' lanes; a span in the demander's lane while it runs; a status glyph at
    the tail. Geometry is computed with numpy and drawn in batches by status. Only what
    can reach the part painted is looked at: the arrows raised in `span` (which holds
    their reach and shift) and the spans in view that run into it."""
    index = layout.demand_index
    if not layout.demands or not len(lanes) or index is None:
        return
    t0, t1 = span
    k = index.visible(t0, t1, lanes.start - 1, lanes.stop, arrows_from=t0)
    if options.kept is not None:
        kept = options.kept.demands(layout)[k]
        if not options.hide_filtered and not kept.all():  # dimmed, as the events it dims
            p.save()
            p.setOpacity(FADED_OPACITY)
            _draw(s, p, layout, vp, options, span, k[~kept])
            p.restore()
        k = k[kept]
    _draw(s, p, layout, vp, options, span, k)


def _draw(s, p, layout: Layout, vp: Viewport, options: PaintOptions, span, k) -> None:
    """The demands `k` (of the layout's demand index) of those `paint_demands` looks at."""
    if len(k) == 0:
        return
    index, t, (t0, t1) = layout.demand_index, s.theme, span
    _, bottoms = layout.lane_edges()
    centre = vp.y(layout.lane_centres())
    bottom = vp.y(bottoms) - DEMAND_SPAN_LIFT
    x = vp.left + (index.x[k] - vp.t0) * vp.scale + index.shift[k]
    end = index.span_end[k]
    # A span still running, or ending after the view, stops at the plot's right edge (an
    # SVG is not clipped: a picture must not show a bar past its frame).
    end_x = np.where(np.isinf(end), vp.right, vp.left + (np.minimum(end, vp.t1) - vp.t0) * vp.scale)
    status = index.status[k]
    y_from, y_to = centre[index.from_lane[k]], centre[index.to_lane[k]]
    span_y = bottom[index.from_lane[k]]
    on_screen = (x >= max(vp.left - ARROW_MARGIN, vp.x(t0))) & (
        x <= min(vp.right + ARROW_MARGIN, vp.x(t1))
    )
    has_span = (end_x > x + 0.5) & (span_y >= vp.top) & (span_y <= vp.bottom)
    # Of the demands raised before the view, only a span in a lane on screen shows: the
    # others are left out before the work for each demand drawn.
    drawn = on_screen | has_span
    if not drawn.all():
        columns = (k, x, end_x, status, y_from, y_to, span_y, on_screen, has_span)
        k, x, end_x, status, y_from, y_to, span_y, on_screen, has_span = (c[drawn] for c in columns)
        if len(k) == 0:
            return
    # An arrow runs in one column through every lane it visits: its line is drawn once,
    # from the highest of them to the lowest. Mediators' stops of the arrows on screen:
    top_y, bottom_y = centre[index.lane_lo[k]], centre[index.lane_hi[k]]
    shown = np.zeros(len(index.x), dtype=bool)
    shown[k[on_screen]] = True
    stops = np.flatnonzero(shown[index.stop_of])
    stop_of = index.stop_of[stops]
    head_y = y_to
    direction = np.where(y_to < centre[index.before_head[k]], -1.0, 1.0)
    margin = ARROW_MARGIN / vp.scale
    in_view = np.searchsorted(index.x, [vp.t0 - margin, vp.t1 + margin])
    # Where arrows crowd, thinner lines keep them apart (and cost half as much to fill),
    # and those that turn back are drawn straight: at that density no path can be read.
    # Counted over the whole view, so that a partial repaint draws them alike.
    hairlines = in_view[1] - in_view[0] > CROWDED_ARROWS
    if hairlines:
        turned, head_dx, pieces = np.zeros(len(k), dtype=bool), np.zeros(len(k)), {}
    else:
        turned, head_dx, pieces = turning_arrows(index, k, x, centre, on_screen)
    head_x = x + head_dx
    low, high = vp.top - 20, vp.bottom + 20
    # Each straight arrow's line and each mediator's stop, for all statuses at once: where
    # arrows pile up (more than the view has columns of pixels), those that fall on the
    # same pixels are drawn once (they are opaque: one looks as many do, and their order
    # does not show). Fewer are drawn as they are: finding them cost more than drawing.
    straight = np.flatnonzero(on_screen & ~turned)
    line_x, line_a, line_b = np.rint(x[straight]), top_y[straight], bottom_y[straight]
    line_status = status[straight]
    stop_status = index.status[stop_of]
    stop_x = vp.left + (index.x[stop_of] - vp.t0) * vp.scale + index.shift[stop_of]
    stop_y = centre[index.stop_lane[stops]]
    if hairlines and len(straight) > vp.right - vp.left:  # a status as x's lowest 3 bits
        line_a, line_b = np.clip(line_a, low, high), np.clip(line_b, low, high)
        at, line_a, line_b = distinct_places(line_x * 8 + line_status, line_a, line_b)
        line_x, line_status = at // 8, at % 8
        at, stop_y = distinct_places(np.rint(stop_x) * 8 + stop_status, np.clip(stop_y, low, high))
        stop_x, stop_status = at // 8, at % 8
    vector = is_vector(p)
    ratio = p.device().devicePixelRatioF()
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    for s_i, name in enumerate(STATUSES):
        mine = status == s_i
        if not mine.any():
            continue
        color = qcolor(t.status_color(name))
        # Lines are drawn as thin filled rectangles: the raster engine fills those far
        # faster than it strokes wide lines, and they look the same.
        spans = mine & has_span
        if spans.any():
            left = np.maximum(x[spans], vp.left)
            p.setBrush(s.brush(t.status_color(name), 170))
            h = DEMAND_SPAN_HEIGHT
            draw_rects(p, left, span_y[spans] - h / 2, end_x[spans] - left, h)
        arrows = mine & on_screen
        if not arrows.any():
            continue
        p.setBrush(color)
        for pos in np.flatnonzero(arrows & turned).tolist():
            for rect in pieces[pos]:
                p.drawRect(rect)
        mine = line_status == s_i
        xs, a, b = line_x[mine], line_a[mine], line_b[mine]
        if hairlines:
            p.setPen(QtGui.QPen(color, 0))
            draw_lines(p, xs, a, xs, b)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
        else:
            p.setBrush(color)
            draw_rects(p, xs - 1, a, 2.0, b - a)
        p.setBrush(color)
        mine = stop_status == s_i
        draw_rects(p, stop_x[mine] - 3, stop_y[mine] - 3, 6.0, 6.0)
        if vector:
            heads = arrows & (head_y >= low) & (head_y <= high)
            tails = arrows & (y_from >= low) & (y_from <= high)
            for xx, yy, d in zip(
                head_x[heads].tolist(),
                head_y[heads].tolist(),
                direction[heads].tolist(),
                strict=True,
            ):
                head_vector(s, p, name, xx, yy, d)
            for xx, yy in zip(x[tails].tolist(), y_from[tails].tolist(), strict=True):
                glyph_vector(s, p, name, QtCore.QPointF(xx, yy))
            p.setPen(QtCore.Qt.PenStyle.NoPen)
    if not vector:
        # Heads, then glyphs on top, each in one call from an atlas of every status.
        atlas = status_atlas(s, ratio)
        cell = ATLAS_CELL * ratio
        heads = on_screen & (head_y >= low) & (head_y <= high)
        draw_fragments(
            p,
            atlas,
            head_x[heads],
            head_y[heads] - 4.5 * direction[heads],
            np.where(direction[heads] > 0, 1, 2) * cell,
            status[heads] * cell,
            cell,
            cell,
        )
        tails = on_screen & (y_from >= low) & (y_from <= high)
        draw_fragments(p, atlas, x[tails], y_from[tails], 0.0, status[tails] * cell, cell, cell)
    marked = options.marked
    if marked:  # (found by numpy: a Python test of each of 100,000 demands took 40 ms)
        hit = np.flatnonzero(kept_mask(index.ids[k], marked))
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(qcolor(t.selection), 2))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        for xx, ya in zip(x[hit].tolist(), y_from[hit].tolist(), strict=True):
            p.drawEllipse(QtCore.QPointF(xx, ya), 10, 10)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)


TURN_PX = 5.0  # where an arrow turns back, its next segment stands this far to the right


def turning_arrows(index, k: np.ndarray, x: np.ndarray, centre: np.ndarray, shown: np.ndarray):
    """For arrows that turn back (a mediator beyond the target): which they are, how far
    right their head moves, and their segments as rectangles, each turn a step right so
    that the path reads from → via → to instead of running back over itself."""
    turned = index.turning[k] & shown  # only arrows in view (open spans reach far)
    head_dx = np.zeros(len(k))
    pieces: dict[int, list[QtCore.QRectF]] = {}
    for pos in np.flatnonzero(turned).tolist():
        chain = index.chain(int(k[pos]))
        dx, heading, rects = 0.0, 0, []
        for a, b in zip(chain, chain[1:], strict=False):
            if a == b:
                continue
            d = 1 if b > a else -1
            if heading and d != heading:
                rects.append(QtCore.QRectF(x[pos] + dx - 1, centre[a] - 1, TURN_PX + 2, 2.0))
                dx += TURN_PX
            y0, y1 = sorted((centre[a], centre[b]))
            rects.append(QtCore.QRectF(round(x[pos] + dx) - 1, y0, 2.0, y1 - y0))
            heading = d
        head_dx[pos], pieces[pos] = dx, rects
    return turned, head_dx, pieces


def head_vector(
    s: Style, p: QtGui.QPainter, status: str, x: float, y: float, direction: float
) -> None:
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(qcolor(s.theme.status_color(status)))
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    p.drawConvexPolygon(
        QtGui.QPolygonF(
            [
                QtCore.QPointF(x, y),
                QtCore.QPointF(x - 5, y - 9 * direction),
                QtCore.QPointF(x + 5, y - 9 * direction),
            ]
        )
    )


def status_atlas(s: Style, ratio: float) -> QtGui.QPixmap:
    """Every status's glyph, downward head and upward head, a row per status (in the
    order of STATUSES), each centred in an ATLAS_CELL square."""
    key = ("atlas", ratio, s.theme.name)
    atlas = s.pixmaps.get(key)
    if atlas is None:
        atlas = QtGui.QPixmap(int(3 * ATLAS_CELL * ratio), int(len(STATUSES) * ATLAS_CELL * ratio))
        atlas.setDevicePixelRatio(ratio)
        atlas.fill(QtCore.Qt.GlobalColor.transparent)
        q = QtGui.QPainter(atlas)
        q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        half = ATLAS_CELL / 2
        for row, status in enumerate(STATUSES):
            y = row * ATLAS_CELL + half
            glyph_vector(s, q, status, QtCore.QPointF(half, y))
            for column, direction in ((1, 1.0), (2, -1.0)):
                # The tip sits 4.5 px past the centre, towards where the arrow points.
                tip = y + 4.5 * direction
                head_vector(s, q, status, column * ATLAS_CELL + half, tip, direction)
        q.end()
        s.pixmaps[key] = atlas
    return atlas


def glyph_vector(s: Style, p: QtGui.QPainter, status: str, at: QtCore.QPointF) -> None:
    color = qcolor(s.theme.status_color(status))
    p.setBrush(s.brush(s.theme.background))
    p.setPen(QtGui.QPen(color, 1.4))
    r = GLYPH_RADIUS
    p.drawEllipse(at, r, r)
    p.setFont(s.glyph_font)
    p.setPen(color)
    p.drawText(
        QtCore.QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r),
        QtCore.Qt.AlignmentFlag.AlignCenter,
        STATUS_GLYPHS[status],
    )
    p.setFont(s.font)


def paint(s: Style, f: Frame) -> None:
    index = f.layout.demand_index
    if f.options.show_demands and index is not None:
        # A glyph, a head, a number or a turn may reach into the span from outside it, and
        # demands side by side stand right of their date.
        shifted = float(index.shift.max()) if len(index.shift) else 0.0
        reach = 30 / f.vp.scale
        span = (f.t0 - reach - shifted / f.vp.scale, f.t1 + reach)
        paint_demands(s, f.p, f.layout, f.vp, f.lanes, f.options, span)
