"""Events: bars for ranges and partial dates, marks shaped by type for days and times,
`with` ticks on other lanes, selection outlines, and the ghosts of a drag."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, PaintOptions, Viewport
from app.chart.batch import draw_fragments, draw_rects
from app.chart.kept import kept_mask
from app.chart.laneevents import mark_kind
from app.chart.layout import LANE_PADDING, Layout
from app.chart.lod import MIN_LEVEL, level_for, lod_of
from app.chart.metrics import (
    BAR_INSET,
    BAR_MIN_WIDTH,
    LABEL_GAP,
    MARK,
    MARK_CELL,
    MARK_GRIP,
    TICK_HEIGHT,
    TICK_WIDTH,
    bar_height,
)
from app.chart.style import Style, is_vector, qcolor


def one_per_pixel(
    data, idx: np.ndarray, vp: Viewport, faded: np.ndarray | None = None
) -> np.ndarray:
    """Of marks that would cover the same pixels (same row, ends, look), keep one: in a
    dense lane zoomed out, thousands of identical rectangles cost time and show nothing more.
    With `faded`, a faded mark and a plain one are different looks."""
    x0 = (
        np.clip(np.rint(vp.left + (data.lo[idx] - vp.t0) * vp.scale), -64, 32000).astype(np.int64)
        + 64
    )
    x1 = (
        np.clip(np.rint(vp.left + (data.hi[idx] - vp.t0) * vp.scale), -64, 32000).astype(np.int64)
        + 64
    )
    bar = data.bar[idx]
    centre = (x0 + x1) // 2
    key = (np.where(bar, x0, centre) * 40000 + np.where(bar, x1, 0)) * 1024 + data.row[idx]
    key = key * 4 + bar * 2 + data.fuzzy[idx]
    if faded is not None:
        key = key * 2 + faded
    return first_of_each(key)


def first_of_each(key: np.ndarray) -> np.ndarray:
    """Positions of the first of each distinct value of `key` (non-negative int64), in
    order. With the position packed under the key, one plain sort of integers does what
    `np.unique(..., return_index=True)` does with a slower stable sort."""
    n = len(key)
    if n == 0 or int(key.max()) >= (1 << 62) // max(n, 1):
        _, first = np.unique(key, return_index=True)
        return np.sort(first)
    packed = np.sort(key * n + np.arange(n))
    owner = packed // n
    starts = np.ones(n, dtype=bool)
    starts[1:] = owner[1:] != owner[:-1]
    return np.sort(packed[starts] % n)


def paint_with_marks(
    s: Style,
    p: QtGui.QPainter,
    layout: Layout,
    vp: Viewport,
    lanes: range,
    span: tuple,
    ticks: tuple[np.ndarray, np.ndarray] | None = None,
    alpha: int = 150,
) -> None:
    """A small tick on the lane of each of an event's `with` actors, at its date. The
    event may be in any lane, painted or not."""
    times, targets = layout.with_ticks() if ticks is None else ticks
    reach = 2 / vp.scale
    start = int(np.searchsorted(times, span[0] - reach, "left"))
    stop = int(np.searchsorted(times, span[1] + reach, "right"))
    if stop - start > MANY_TICKS:  # zoomed out: only the lanes in view, by bisection
        by_lane = ticks_by_lane(times, targets)
        parts = []
        for j in lanes:
            t = by_lane.get(j)
            if t is not None:
                a = int(np.searchsorted(t, span[0] - reach, "left"))
                b = int(np.searchsorted(t, span[1] + reach, "right"))
                parts.append((j, t[a:b]))
    else:
        target = targets[start:stop]
        keep = (target >= lanes.start) & (target < lanes.stop)
        t, target = times[start:stop][keep], target[keep]
        parts = [(j, t[target == j]) for j in np.unique(target).tolist()]
    centres = layout.lane_centres()
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    for j, t in parts:
        if not len(t):
            continue
        x = vp.left + (t - vp.t0) * vp.scale  # translucent: a pile shows darker
        centre = vp.y(centres[j])
        p.setBrush(s.brush(s.lane_color(layout, j), alpha))
        draw_rects(p, x - TICK_WIDTH / 2, centre - TICK_HEIGHT / 2, TICK_WIDTH, TICK_HEIGHT)


# Above this many ticks in view, they are split by lane (once per set of ticks, which an
# edit makes anew: a sort of them all, worth it only for many frames of a wide view).
MANY_TICKS = 50_000
_TICKS: list[tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]] = []


def ticks_by_lane(times: np.ndarray, targets: np.ndarray) -> dict[int, np.ndarray]:
    """The ticks' times (sorted) by the lane they are drawn on, so a frame bisects the
    lanes in view instead of looking at every tick: made once per set of ticks."""
    for made in _TICKS:
        if made[0] is times and made[1] is targets:
            return made[2]
    small = len(targets) and 0 <= int(targets.min()) and int(targets.max()) < 1 << 15
    # Times stay sorted within each lane; lane numbers in 16 bits are sorted by radix.
    order = np.argsort(targets.astype(np.int16) if small else targets, kind="stable")
    lane, t = targets[order], times[order]
    bounds = np.flatnonzero(np.diff(lane)) + 1
    starts, stops = [0, *bounds.tolist()], [*bounds.tolist(), len(lane)]
    split = {int(lane[a]): t[a:b] for a, b in zip(starts, stops, strict=True) if b > a}
    _TICKS.insert(0, (times, targets, split))
    del _TICKS[4:]  # the layout's and a filter's, and those of the layout before an edit
    return split


def paint_events(
    s: Style,
    p: QtGui.QPainter,
    layout: Layout,
    vp: Viewport,
    visible: dict,
    options: PaintOptions,
    span: tuple[float, float] | None = None,
    rows: dict[int, tuple[int, int]] | None = None,
) -> None:
    """Each lane's events in `visible`; of a lane in `rows`, those in its sub-rows
    [first, last) only."""
    rows = rows or {}
    rh = layout.row_height
    bar_h = bar_height(rh)
    selected_rects: list[QtCore.QRectF] = []
    selected_marks: list[tuple[int, QtCore.QPointF]] = []
    for lane_i, idx in visible.items():
        if len(idx) == 0:
            continue
        data = layout.lane_events[lane_i]
        color = s.lane_color(layout, lane_i)
        all_idx = idx  # those a filter hides are already left out (ChartPainter.frame)
        detail = None
        if len(idx) > 300:
            in_rows = rows.get(lane_i, (0, layout.lanes[lane_i].rows))
            detail = lod_marks(layout, vp, lane_i, options, span, in_rows)
        if detail is not None:  # many events to a pixel: the marks that stand for them
            m, idx, faded = detail  # at most a mark or two a pixel: none to thin out
            centre = m.centre[idx]
        else:
            m = data
            faded = options.faded(layout, lane_i, idx)
            if len(idx) > 300:
                keep = one_per_pixel(data, idx, vp, faded)
                idx, faded = idx[keep], faded[keep]
            centre = None  # of the events' own dates (below)
        y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + m.row[idx] * rh
        look = (m.lo[idx], m.hi[idx], centre, y, m.bar[idx], m.fuzzy[idx], m.kind[idx], faded)
        draw_looks(s, p, vp, color, rh, *look)
        if options.selection or options.hover:
            marked = options.selection | ({options.hover} if options.hover else set())
            idx = all_idx
            lo, hi, row = data.lo[idx], data.hi[idx], data.row[idx]
            x0 = vp.left + (lo - vp.t0) * vp.scale
            x1 = vp.left + (hi - vp.t0) * vp.scale
            y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh
            wide = data.bar[idx]
            for k in np.flatnonzero(kept_mask(data.ids[idx], marked)).tolist():
                if wide[k]:
                    selected_rects.append(
                        QtCore.QRectF(
                            x0[k] - 1,
                            y[k] + BAR_INSET - 1,
                            max(x1[k] - x0[k], BAR_MIN_WIDTH) + 2,
                            bar_h + 2,
                        )
                    )
                else:
                    selected_marks.append(
                        (
                            int(data.kind[idx[k]]),
                            QtCore.QPointF((x0[k] + x1[k]) / 2, y[k] + rh / 2),
                        )
                    )
    if selected_rects or selected_marks:
        p.setPen(QtGui.QPen(qcolor(s.theme.selection), 2.0))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for r in selected_rects:
            p.drawRoundedRect(r, 2, 2)
        for kind, c in selected_marks:
            mark_outline(p, kind, c, MARK_GRIP)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)


def draw_looks(
    s: Style, p: QtGui.QPainter, vp: Viewport, color: str, rh: float, *look: np.ndarray
) -> None:
    """Bars and marks in one lane's colour, from their columns: (start, end, a point's
    centre (None: the middle of start and end), the row's top in px, bar, approximate,
    shape, faded)."""
    lo, hi, centre, y, wide, fuzzy, kind, faded = look
    if centre is None:
        centre = (lo + hi) / 2
    bar_h = bar_height(rh)
    x0 = vp.left + (lo - vp.t0) * vp.scale
    x1 = vp.left + (hi - vp.t0) * vp.scale
    # Ranges and partial dates (a month spans the month): bars, hatched when
    # approximate or uncertain. Days and times: a mark shaped by the event's type.
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    for mask, alpha in ((wide & ~faded, 235), (wide & faded, 60)):
        if not mask.any():
            continue
        left = np.maximum(x0[mask], vp.left - 4)
        right = np.minimum(np.maximum(x1[mask], x0[mask] + BAR_MIN_WIDTH), vp.right + 4)
        width = np.maximum(right - left, BAR_MIN_WIDTH)
        top = y[mask] + BAR_INSET
        p.setBrush(s.brush(color, alpha))
        draw_rects(p, left, top, width, bar_h)
        hatch = fuzzy[mask]
        if not hatch.any():
            continue
        if is_vector(p):  # SVG viewers draw pattern brushes unlike Qt: real lines
            hatch_lines(s, p, left[hatch], top[hatch], width[hatch], bar_h)
        else:
            p.setBrush(s.brush(s.theme.background, 150, QtCore.Qt.BrushStyle.BDiagPattern))
            draw_rects(p, left[hatch], top[hatch], width[hatch], bar_h)
    points = ~wide
    if not points.any():
        return
    cx = (vp.left + (centre - vp.t0) * vp.scale)[points]
    cy = (y + rh / 2)[points]
    # One batch per look: shape (the type's class), faded, approximate.
    look_of = kind[points] * 4 + faded[points] * 2 + fuzzy[points]
    if is_vector(p):
        for key in np.unique(look_of).tolist():
            same = look_of == key
            kind_, faded_, fuzzy_ = key // 4, bool(key & 2), bool(key & 1)
            for a, b in zip(cx[same].tolist(), cy[same].tolist(), strict=True):
                mark(s, p, color, kind_, faded_, fuzzy_, QtCore.QPointF(a, b))
    else:
        ratio = p.device().devicePixelRatioF()
        cell = MARK_CELL * ratio
        atlas = mark_atlas(s, color, ratio)
        draw_fragments(p, atlas, cx, cy, look_of * cell, 0.0, cell, cell)


def lod_marks(
    layout: Layout,
    vp: Viewport,
    lane_i: int,
    options: PaintOptions,
    span: tuple[float, float] | None = None,
    rows: tuple[int, int] | None = None,
):
    """What stands for a lane's events in view when many share a pixel, as (marks, their
    positions, faded): the level of detail (app/chart/lod.py) of those a filter keeps, and
    of those it dims; None when the events are to be drawn themselves (zoomed in, or a
    drag dims a few of them)."""
    if options.dimmed or level_for(1 / vp.scale) < MIN_LEVEL:
        return None
    data = layout.lane_events[lane_i]
    lod = lod_of(data)
    if options.kept is None:
        parts = [(lod.all, False)]
    else:
        plain, dimmed = lod.split(options.kept.lane(layout, lane_i))
        parts = [(plain, False)] if options.hide_filtered else [(plain, False), (dimmed, True)]
    rows = rows if rows is not None else (0, layout.lanes[lane_i].rows)
    t0, t1 = span if span is not None else (vp.t0, vp.t1)
    reach = 2 * MARK / vp.scale
    t0, t1 = max(vp.t0, t0 - reach), t1 + reach
    found = []
    for detail, fade in parts:
        if not fade and detail.is_events(data, 1 / vp.scale):
            return None  # no fewer marks than events: draw the events
        m = detail.at(data, 1 / vp.scale)
        found.append((m, m.query(t0, t1, *rows), fade))
    if len(found) == 1:
        m, at, fade = found[0]
        return m, at, np.full(len(at), fade)
    # Kept and dimmed marks come from two sets of marks: take them into one.
    (a, at_a, _), (b, at_b, _) = found
    merged = _concat(a, at_a, b, at_b)
    faded = np.repeat([False, True], [len(at_a), len(at_b)])
    order = np.lexsort((merged.lo, merged.row))  # kept and dimmed, each drawn in its turn
    return merged, order, faded[order]


def _concat(a, at_a: np.ndarray, b, at_b: np.ndarray) -> SimpleNamespace:
    """The columns of marks `at_a` of `a` then `at_b` of `b`."""
    names = ("lo", "hi", "centre", "row", "bar", "fuzzy", "kind", "count", "event")
    return SimpleNamespace(
        **{n: np.concatenate((getattr(a, n)[at_a], getattr(b, n)[at_b])) for n in names}
    )


def mark(
    s: Style, q: QtGui.QPainter, color: str, kind: int, faded: bool, fuzzy: bool, c: QtCore.QPointF
) -> None:
    """A point event's mark. Its shape tells the class of its type (see the legend):
    hollow for words, solid for deeds; faded when dimmed, stippled when approximate."""
    hollow = kind in (1, 3)
    if hollow:
        q.setPen(QtGui.QPen(qcolor(color, 60 if faded else 255), 2))
        q.setBrush(s.brush(s.theme.background))
    else:
        q.setPen(QtGui.QPen(qcolor(s.theme.background), 1))
        q.setBrush(s.brush(color, 60 if faded else 255))
    reach = MARK - 0.5 if hollow else MARK  # same outer size, pen included
    mark_outline(q, kind, c, reach)
    if fuzzy:
        stipple = s.brush(s.theme.background, 170, QtCore.Qt.BrushStyle.Dense5Pattern)
        if hollow:
            q.setPen(QtGui.QPen(stipple, 2))
            q.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        else:
            q.setBrush(stipple)
        mark_outline(q, kind, c, reach)


def mark_outline(q: QtGui.QPainter, kind: int, c: QtCore.QPointF, r: float) -> None:
    """The shape of a mark kind around `c`, with the painter's pen and brush: a diamond
    for other types, a circle for cooperation, a triangle for conflict."""
    if kind in (1, 2):
        q.drawEllipse(c, r - 0.5, r - 0.5)  # a circle looks larger than a diamond
    elif kind in (3, 4):
        r *= 1.15  # a triangle covers less than a circle of the same reach
        q.drawPolygon(
            QtGui.QPolygonF(
                [
                    c + QtCore.QPointF(0, -r),
                    c + QtCore.QPointF(r, 0.8 * r),
                    c + QtCore.QPointF(-r, 0.8 * r),
                ]
            )
        )
    else:
        q.drawPolygon(
            QtGui.QPolygonF(
                [
                    c + QtCore.QPointF(0, -r),
                    c + QtCore.QPointF(r, 0),
                    c + QtCore.QPointF(0, r),
                    c + QtCore.QPointF(-r, 0),
                ]
            )
        )


def mark_atlas(s: Style, color: str, ratio: float) -> QtGui.QPixmap:
    """Every look of a point mark in one colour, side by side: the cell at
    kind * 4 + faded * 2 + fuzzy, each MARK_CELL px wide."""
    half = MARK_CELL / 2
    looks = 5 * 4

    def draw(q: QtGui.QPainter) -> None:
        for look in range(looks):
            kind, faded, fuzzy = look // 4, bool(look & 2), bool(look & 1)
            at = QtCore.QPointF(look * MARK_CELL + half, half)
            mark(s, q, color, kind, faded, fuzzy, at)

    return s.cached_pixmap(("marks", color), (looks * MARK_CELL, MARK_CELL), ratio, draw)


def paint_ghosts(
    s: Style, p: QtGui.QPainter, layout: Layout, vp: Viewport, options: PaintOptions
) -> None:
    if not options.ghosts:
        return
    rh = layout.row_height
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    metrics = QtGui.QFontMetricsF(p.font())
    for k, g in enumerate(options.ghosts):
        color = qcolor(s.lane_color(layout, g.lane), 200)
        y = vp.y(layout.row_top(g.lane, g.row))
        x0, x1 = vp.x(g.lo), vp.x(g.hi)
        p.setPen(QtGui.QPen(qcolor(s.theme.selection), 2, QtCore.Qt.PenStyle.DashLine))
        p.setBrush(color)
        if g.event.when.is_range or g.event.when.start.precision in ("year", "month"):
            p.drawRect(
                QtCore.QRectF(x0, y + BAR_INSET, max(x1 - x0, BAR_MIN_WIDTH), bar_height(rh))
            )
        else:
            c = QtCore.QPointF((x0 + x1) / 2, y + rh / 2)
            mark_outline(p, mark_kind(g.event.type), c, MARK)
        if k < GHOST_DATES:
            span = (min(x0, x1 - MARK), max(x1, x0 + MARK))
            box = ghost_date_box(metrics, g.event.when.text, span, y + rh / 2, vp)
            ghost_date(s, p, g.event.when.text, box)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)


GHOST_DATES = 3  # dragged events whose new dates are written (as the status bar says them)


def ghost_date(s: Style, p: QtGui.QPainter, text: str, box: QtCore.QRectF) -> None:
    """A dragged event's date, on a ground of its own beside it (it was written over the
    titles it crossed)."""
    p.setPen(QtGui.QPen(qcolor(s.theme.selection), 1))
    p.setBrush(qcolor(s.theme.background, 235))
    p.drawRoundedRect(box, 3, 3)
    p.setPen(qcolor(s.theme.text))
    p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)


def ghost_date_box(metrics, text: str, span, middle: float, vp: Viewport) -> QtCore.QRectF:
    """Right of the ghost's `span` (its left and right in px); on its left where the
    chart's right edge would cut it (as it did while a range was stretched to it)."""
    width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
    left = span[1] + LABEL_GAP
    if left + width > vp.right and span[0] - LABEL_GAP - width >= vp.left:
        left = span[0] - LABEL_GAP - width
    return QtCore.QRectF(left, middle - height / 2, width, height)


HATCH_STEP = 6.0  # px between the diagonal lines of an approximate bar


def hatch_lines(s: Style, p: QtGui.QPainter, left, top, width, height: float) -> None:
    """Diagonal lines across each bar, cut at its edges: how an approximate range looks
    in SVG and PDF, where pattern brushes render differently from viewer to viewer (and
    QSvgGenerator writes no clipping, so each line is cut here)."""
    p.save()
    p.setPen(QtGui.QPen(qcolor(s.theme.background, 130), 1.0))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    lines = []
    for x, y, w in zip(left.tolist(), top.tolist(), width.tolist(), strict=True):
        # A line rises from (x + d, y + height) at 45°: it is inside while x <= x + d + u <= x + w.
        for d in np.arange(-height, w, HATCH_STEP).tolist():
            lo, hi = max(0.0, -d), min(height, w - d)
            if lo < hi:
                lines.append(
                    QtCore.QLineF(x + d + lo, y + height - lo, x + d + hi, y + height - hi)
                )
    p.drawLines(lines)
    p.restore()


def paint_ticks(s: Style, f: Frame) -> None:
    span, kept = (f.t0, f.t1), f.options.kept
    if kept is None:
        paint_with_marks(s, f.p, f.layout, f.vp, f.lanes, span)
        return
    if not f.options.hide_filtered:  # the others faded, as their events are
        paint_with_marks(s, f.p, f.layout, f.vp, f.lanes, span, alpha=40)
    paint_with_marks(s, f.p, f.layout, f.vp, f.lanes, span, kept.ticks(f.layout))


def paint(s: Style, f: Frame) -> None:
    paint_events(s, f.p, f.layout, f.vp, f.visible, f.options, (f.t0, f.t1), f.rows)


def paint_drag_ghosts(s: Style, f: Frame) -> None:
    paint_ghosts(s, f.p, f.layout, f.vp, f.options)
