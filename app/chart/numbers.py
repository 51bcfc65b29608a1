"""Each demand's number beside its status glyph, matching the numbered list of demands.

In a picture a number goes on the first side of its glyph (right above, left above, right
below, left below) where it meets no mark, label, glyph or number placed before it; where
every side meets something, on the side that meets fewest. On screen it stays right above:
a repaint of an edit's region may not reach a number's old place, which would then stay.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, Viewport
from app.chart.demands import ARROW_MARGIN
from app.chart.layout import LANE_PADDING, Layout
from app.chart.legend import numbered_range
from app.chart.metrics import CROWDED_ARROWS, GLYPH_RADIUS, MARK, bar_height
from app.chart.style import Style, qcolor
from app.records.model import STATUSES

BESIDE = 9.0  # px from the glyph's centre to the number's near side
RISE = 6.0  # px from the glyph's centre up to the number's baseline (or down to its top)
SIDES = ((1, -1), (-1, -1), (1, 1), (-1, 1))  # right above, left above, right below, left below


def paint(s: Style, f: Frame) -> None:
    """Each demand's number (its place by date in the whole project) beside its glyph,
    matching the numbered list of demands: above the events and labels, so never hidden."""
    index, vp = f.layout.demand_index, f.vp
    if not (f.options.numbers and f.options.show_demands) or index is None or not f.lanes:
        return
    margin = ARROW_MARGIN / vp.scale
    in_view = np.searchsorted(index.x, [vp.t0 - margin, vp.t1 + margin])
    if in_view[1] - in_view[0] > CROWDED_ARROWS:
        return  # hairlines: too many to number
    k = index.visible(f.t0 - 30 / vp.scale, f.t1, f.lanes.start - 1, f.lanes.stop)
    numbered = numbered_range(f.layout, f.options.number_span)
    k = k[(k >= numbered.start) & (k < numbered.stop)]
    x = vp.left + (index.x[k] - vp.t0) * vp.scale + index.shift[k]
    y = vp.y(f.layout.lane_centres()[index.from_lane[k]])
    status = index.status[k]
    shown = (x >= vp.left - 20) & (x <= vp.right) & (y >= vp.top - 20) & (y <= vp.bottom + 20)
    k, x, y, status = k[shown].tolist(), x[shown].tolist(), y[shown].tolist(), status[shown]
    texts = [str(j - numbered.start + 1) for j in k]
    fm = QtGui.QFontMetricsF(s.bold)
    boxes = [QtCore.QRectF(0, -fm.ascent(), fm.horizontalAdvance(t), fm.height()) for t in texts]
    if f.options.picture:  # painted whole: a number moved leaves no old place painted
        places = _placed(s, f, x, y, boxes)
    else:
        places = [QtCore.QPointF(xx + BESIDE, yy - RISE) for xx, yy in zip(x, y, strict=True)]
    p = f.p
    p.setFont(s.bold)
    # Each number on a halo of the background: it reads over a mark or a bar beside the
    # arrow, which still shows around it.
    halo = QtGui.QPen(qcolor(s.theme.background), 3.0)
    halo.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    for at, text, st in zip(places, texts, status.tolist(), strict=True):
        outline = QtGui.QPainterPath()
        outline.addText(at, s.bold, text)
        p.strokePath(outline, halo)
        p.setPen(qcolor(s.theme.status_color(STATUSES[st])))
        p.drawText(at, text)
    p.setFont(s.font)


def _placed(s: Style, f: Frame, x: list, y: list, boxes: list) -> list[QtCore.QPointF]:
    """Each number's baseline, on the side of its glyph (SIDES) that meets least."""
    glyphs = [
        QtCore.QRectF(xx - GLYPH_RADIUS, yy - GLYPH_RADIUS, 2 * GLYPH_RADIUS, 2 * GLYPH_RADIUS)
        for xx, yy in zip(x, y, strict=True)
    ]
    taken: list[QtCore.QRectF] = []
    out = []
    for xx, yy, box in zip(x, y, boxes, strict=True):
        best = None
        for across, up_down in SIDES:
            left = xx + BESIDE if across > 0 else xx - BESIDE - box.width()
            base = yy - RISE if up_down < 0 else yy + RISE - box.top()  # (top: -ascent)
            rect = box.translated(left, base)
            met = sum(rect.intersects(other) for other in (*taken, *glyphs))
            met += _labels_met(s, f.vp, rect) + _marks_met(f.layout, f.vp, rect)
            if best is None or met < best[0]:
                best = (met, rect, QtCore.QPointF(left, base))
            if not met:
                break
        taken.append(best[1])
        out.append(best[2])
    return out


def _labels_met(s: Style, vp: Viewport, rect: QtCore.QRectF) -> int:
    """How many of the labels drawn meet `rect` (in px)."""
    return s.label_boxes.meeting(
        vp.t(rect.left()), vp.t(rect.right()), vp.layout_y(rect.top()), vp.layout_y(rect.bottom())
    )


def _marks_met(layout: Layout, vp: Viewport, rect: QtCore.QRectF) -> int:
    """How many event marks and bars meet `rect` (in px), in the lanes it reaches."""
    top, bottom = vp.layout_y(rect.top()), vp.layout_y(rect.bottom())
    t0, t1 = vp.t(rect.left()), vp.t(rect.right())
    tops, bottoms = layout.lane_edges()
    lanes = range(int(np.searchsorted(bottoms, top, "right")), int(np.searchsorted(tops, bottom)))
    reach = MARK / vp.scale
    met = 0
    for lane_i in lanes:
        data = layout.lane_events[lane_i]
        idx = data.visible(t0 - reach, t1 + reach)
        if not len(idx):
            continue
        centre = layout.lanes[lane_i].top + LANE_PADDING + (data.row[idx] + 0.5) * layout.row_height
        half = np.where(data.bar[idx], bar_height(layout.row_height) / 2, MARK)
        lo = np.where(data.bar[idx], data.lo[idx], (data.lo[idx] + data.hi[idx]) / 2 - reach)
        hi = np.where(data.bar[idx], data.hi[idx], (data.lo[idx] + data.hi[idx]) / 2 + reach)
        meets = (centre + half > top) & (centre - half < bottom) & (hi > t0) & (lo < t1)
        met += int(meets.sum())
    return met
