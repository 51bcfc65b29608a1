"""Event labels: titles beside or inside their events, thinned by collision; and the
region an edit can change, which depends on how far labels reach."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, PaintOptions, Viewport
from app.chart.laneevents import ids_among
from app.chart.layout import LANE_PADDING, Layout
from app.chart.metrics import LABEL_GAP, MARK
from app.chart.style import Style, qcolor, readable_on
from app.records.model import Event


def paint_labels(
    s: Style, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
) -> None:
    """Titles beside or inside their events, thinned by collision in each sub-row:
    a label never runs over another label or the next mark in its row; it is
    shortened with an ellipsis, or left out when too little room is left.
    Positions are computed with numpy; only the greedy pass is a Python loop."""
    rh = layout.row_height
    p.setFont(s.font)
    text_pen = qcolor(s.theme.text)
    forced: list[tuple[QtCore.QPointF, QtGui.QStaticText, float]] = []
    # A label shortened to fewer letters than this says nothing: leave it out.
    min_room = s.metrics.horizontalAdvance("Abcdef…")
    s.labels_drawn = 0
    boxes = s.label_boxes
    line_h = s.metrics.height()
    text_dy = (rh - s.metrics.height()) / 2
    marked = options.selection | ({options.hover} if options.hover else frozenset())
    for lane_i, idx in visible.items():
        n = len(idx)
        if n == 0:
            continue
        data = layout.lane_events[lane_i]
        lo, hi, row, bar = data.lo[idx], data.hi[idx], data.row[idx], data.bar[idx]
        width = s.label_widths(data)[idx]
        x0 = vp.left + (lo - vp.t0) * vp.scale
        x1 = vp.left + (hi - vp.t0) * vp.scale
        mark_start = np.where(bar, x0, (x0 + x1) / 2 - MARK)
        # The start of the next mark in the same row, for each visible event.
        by_row = np.lexsort((np.arange(n), row))
        following = np.full(n, np.inf)
        same_row = row[by_row][1:] == row[by_row][:-1]
        following[:-1] = np.where(same_row, mark_start[by_row][1:], np.inf)
        next_mark = np.empty(n)
        next_mark[by_row] = following
        inside = bar & (np.minimum(x1, vp.right) - np.maximum(x0, vp.left) >= width + 2 * LABEL_GAP)
        x = (
            np.where(inside, np.maximum(x0, vp.left), np.where(bar, x1, (x0 + x1) / 2 + MARK))
            + LABEL_GAP
        )
        # A label ends before the next mark in its row, and before the plot's edge (where
        # it is shortened rather than cut: SVG viewers do not all clip text).
        limit = (
            np.minimum(np.where(inside, np.minimum(x1, vp.right), next_mark), vp.right) - LABEL_GAP
        )
        y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh + text_dy
        # Only labels with room can be drawn (or must be): drop the rest before the loop.
        room_ok = (
            (limit - x >= np.minimum(width, min_room)) & (x <= vp.right) & (x + width >= vp.left)
        )
        if marked:
            room_ok |= np.array([data.events[i].id in marked for i in idx.tolist()], dtype=bool)
        if not room_ok.all():
            idx, row, x, y, width, limit, inside = (
                a[room_ok] for a in (idx, row, x, y, width, limit, inside)
            )
        pens = (text_pen, readable_on(qcolor(s.lane_color(layout, lane_i))))
        last_end: dict[int, float] = {}
        events = data.events
        pen_now = None
        for i, r, xk, yk, w, lim, ins in zip(
            idx.tolist(),
            row.tolist(),
            x.tolist(),
            y.tolist(),
            width.tolist(),
            limit.tolist(),
            inside.tolist(),
            strict=True,
        ):
            e = events[i]
            if options.filtered is not None and e.id not in options.filtered:
                continue
            if e.id in marked:
                forced.append((QtCore.QPointF(xk, yk), s.label(e.id, e.title)[0], w))
                last_end[r] = xk + w + LABEL_GAP
                boxes.add(vp, e.id, xk, yk, w, line_h)
                continue
            if xk < last_end.get(r, -1e18) or xk > vp.right or xk + w < vp.left:
                continue
            room = lim - xk
            if room < w and room < min_room:
                continue
            if ins != pen_now:
                p.setPen(pens[ins])
                pen_now = ins
            s.labels_drawn += 1
            if w <= room:
                p.drawStaticText(QtCore.QPointF(xk, yk), s.label(e.id, e.title)[0])
                last_end[r] = xk + w + LABEL_GAP
            else:
                p.drawStaticText(QtCore.QPointF(xk, yk), s.elided(e.id, e.title, room))
                last_end[r] = xk + room + LABEL_GAP
            boxes.add(vp, e.id, xk, yk, min(w, room), line_h)
    # Hovered and selected titles always show in full, on a backing so they read over anything.
    for pos, static, width in forced:
        h = static.size().height()
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(s.brush(s.theme.background, 235))
        p.drawRoundedRect(QtCore.QRectF(pos.x() - 3, pos.y() - 1, width + 6, h + 2), 3, 3)
        p.setPen(text_pen)
        p.drawStaticText(pos, static)


def edit_window(
    s: Style, before: Layout, after: Layout, events: list[Event], spp: float
) -> tuple[float, float, float, float] | None:
    """The part of the chart (t0, t1, y0, y1) that changes when `events` (their old and
    new versions) change from `before` to `after`, at `spp` seconds per pixel: where
    they were and are, the events re-stacked into other rows as a result, the labels
    that may reach them, and the lanes of their `with` actors. None when the lanes
    themselves moved, which changes everything."""
    if [(lane.actor.id, lane.top, lane.height) for lane in before.lanes] != [
        (lane.actor.id, lane.top, lane.height) for lane in after.lanes
    ]:
        return None
    ids = {e.id for e in events}
    actors = {a for e in events for a in (e.actor, *e.with_)}
    lanes = {after.lane_of_actor[a] for a in actors if a in after.lane_of_actor}
    margin = (MARK + 4) * spp  # a point's mark and its selection outline
    gap = LABEL_GAP * spp
    t0, t1 = np.inf, -np.inf
    datas = []
    edited = list(ids)
    for i in lanes:
        old, new = before.lane_events[i], after.lane_events[i]
        # The events not edited are in the same order in both: compare their rows.
        masks = [ids_among(data.ids, edited) for data in (old, new)]
        restacked = old.row[~masks[0]] != new.row[~masks[1]]
        for data, changed in zip((old, new), masks, strict=True):
            datas.append(data)
            changed[np.flatnonzero(~changed)[restacked]] = True
            if changed.any():
                # Labels to the left may reach the changed marks: none is longer than
                # the lane's longest title.
                reach = s.longest_label(data) * spp + gap + margin
                t0 = min(t0, float(data.lo[changed].min()) - reach)
                label_end = data.hi + s.label_widths(data) * spp + 2 * gap
                t1 = max(t1, float(label_end[changed].max()) + margin)
    # Labels that start among the changed marks and labels may now be drawn, shortened
    # or left out: they run on as far as their own length.
    right = t1
    for data in datas:
        width = s.label_widths(data) * spp
        lo, hi, bar = data.lo, data.hi, data.bar
        starts = (
            (np.where(bar, hi, (lo + hi) / 2 + MARK * spp) + gap, hi + 2 * gap + width),
            (np.where(bar, lo, np.inf), np.minimum(hi, lo + width + 2 * gap)),  # inside bars
        )
        for start, end in starts:
            here = (start >= t0) & (start <= t1)
            if here.any():
                right = max(right, float(end[here].max()) + margin)
    t1 = right
    if not lanes or t0 > t1:
        return None
    return (
        t0,
        t1,
        min(after.lanes[i].top for i in lanes),
        max(after.lanes[i].bottom for i in lanes),
    )


def paint(s: Style, f: Frame) -> None:
    if f.options.show_labels:
        paint_labels(s, f.p, f.layout, f.vp, f.visible, f.options)
