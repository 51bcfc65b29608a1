"""Each demand's number beside its status glyph, matching the numbered list of demands."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame
from app.chart.demands import ARROW_MARGIN
from app.chart.legend import numbered_range
from app.chart.metrics import CROWDED_ARROWS
from app.chart.style import Style, qcolor
from app.records.model import STATUSES


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
    p = f.p
    p.setFont(s.bold)
    # Each number on a halo of the background: it reads over a mark or a bar beside the
    # arrow, which still shows around it.
    halo = QtGui.QPen(qcolor(s.theme.background), 3.0)
    halo.setJoinStyle(QtCore.Qt.PenJoinStyle.RoundJoin)
    for j, xx, yy, st in zip(
        k[shown].tolist(), x[shown].tolist(), y[shown].tolist(), status[shown].tolist(), strict=True
    ):
        at, text = QtCore.QPointF(xx + 9, yy - 6), str(j - numbered.start + 1)
        outline = QtGui.QPainterPath()
        outline.addText(at, s.bold, text)
        p.strokePath(outline, halo)
        p.setPen(qcolor(s.theme.status_color(STATUSES[st])))
        p.drawText(at, text)
    p.setFont(s.font)
