"""Painting the chart with a QPainter: one painter for the screen, PNG, SVG and PDF.

Everything is drawn in device pixels from a `Layout` and a `Viewport`, so the canvas and
export produce the same picture. Only what is visible is painted, found by bisection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtCore, QtGui

from app.batch import draw_fragments, draw_lines, draw_rects
from app.layout import LANE_PADDING, Layout, ids_among, mark_kind
from app.model import STATUSES, Event, Phase
from app.theme import STATUS_GLYPHS, Theme, actor_color

MARK = 6.0  # half-size of a point event's diamond, px
LABEL_GAP = 4.0
ATLAS_CELL = 20  # px per picture in the status atlas
MARK_CELL = 18  # px per point mark in a colour's atlas: room for pens and corners
LEGEND_ROW = 20.0  # px per row of the legend
CROWDED_ARROWS = 150  # arrows on screen above which they are drawn as hairlines


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
    scale: float = field(init=False)  # px per second

    def __post_init__(self) -> None:
        self.scale = (self.right - self.left) / max(self.t1 - self.t0, 1e-9)

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


def _one_per_pixel(data, idx: np.ndarray, vp: Viewport) -> np.ndarray:
    """Of marks that would cover the same pixels (same row, ends, look), keep one: in a
    dense lane zoomed out, thousands of identical rectangles cost time and show nothing more."""
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
    _, first = np.unique(key, return_index=True)
    return idx[np.sort(first)]


def _qcolor(hex_: str, alpha: int = 255) -> QtGui.QColor:
    c = QtGui.QColor(hex_)
    c.setAlpha(alpha)
    return c


def _mixed(base: str, over: str, alpha: int) -> str:
    """`over` at `alpha` (0-255) laid on the opaque `base`, as an opaque colour."""
    a, b = QtGui.QColor(base), QtGui.QColor(over)
    f = alpha / 255

    def channel(x: int, y: int) -> int:
        return round(x + (y - x) * f)

    return QtGui.QColor(
        channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue())
    ).name()


def _is_vector(p: QtGui.QPainter) -> bool:
    """Painting into SVG or PDF, where pictures are drawn as shapes rather than blitted."""
    return p.paintEngine().type() in (QtGui.QPaintEngine.Type.SVG, QtGui.QPaintEngine.Type.Pdf)


def _luminance(color: QtGui.QColor) -> float:
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()


def _readable_on(color: QtGui.QColor) -> QtGui.QColor:
    return QtGui.QColor("#101418") if _luminance(color) > 0.6 else QtGui.QColor("#ffffff")


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
        self._elided: dict[tuple[str, str, int], QtGui.QStaticText] = {}
        self._widths: dict[str, float] = {}
        self._brushes: dict[tuple[str, int], QtGui.QBrush] = {}
        self._glyphs: dict[tuple, QtGui.QPixmap] = {}
        self._phase_titles: dict[tuple[str, int], str] = {}
        self._legend_layouts: dict[int, tuple[list, QtCore.QSizeF]] = {}
        self._shown_colors: dict[str, str] = {}  # actor colours as the theme shows them
        self.labels_drawn = 0  # in the last frame
        self.glyph_font = QtGui.QFont(self.bold)
        self.glyph_font.setPointSizeF(self.font.pointSizeF() + 1)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._brushes.clear()
        self._glyphs.clear()
        self._legend_layouts.clear()  # its swatches draw in the theme's colours
        self._shown_colors.clear()

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

    def elided(self, event_id: str, title: str, room: float) -> QtGui.QStaticText:
        """A title shortened with an ellipsis to fit `room`, in steps of 16 px so it caches."""
        step = int(room // 16) * 16
        key = (event_id, title, step)
        st = self._elided.get(key)
        if st is None:
            if len(self._elided) > 20000:
                self._elided.clear()
            st = QtGui.QStaticText(
                self.metrics.elidedText(title, QtCore.Qt.TextElideMode.ElideRight, step)
            )
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), self.font)
            self._elided[key] = st
        return st

    def forget_labels(self, ids) -> None:
        for i in ids:
            self._labels.pop(i, None)

    def visible_lanes(self, layout: Layout, vp: Viewport) -> range:
        y0, y1 = vp.layout_y(vp.top), vp.layout_y(vp.bottom)
        tops, bottoms = layout.lane_edges()
        first = int(np.searchsorted(bottoms, y0, "right"))  # the first lane ending below y0
        return range(first, max(first, int(np.searchsorted(tops, y1, "left"))))

    def lane_color(self, layout: Layout, lane_i: int) -> str:
        """The lane's actor colour, lightened on a dark background where it is too dark to
        stand out (an outlined mark in navy on near-black is lost)."""
        color = actor_color(layout.lanes[lane_i].actor.color, lane_i)
        if not self.theme.dark:
            return color
        shown = self._shown_colors.get(color)
        if shown is None:
            c = QtGui.QColor(color)
            for _ in range(12):
                if _luminance(c) >= 0.45:
                    break
                c = c.lighter(112)
            shown = self._shown_colors[color] = c.name()
        return shown

    # ------------------------------------------------------------ layers

    def paint(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        options: PaintOptions,
        exposed: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Paint everything in the viewport, or only what meets `exposed` (t0, t1, y0, y1 in
        time and layout y), so a small edit repaints a small region at a small cost."""
        p.save()
        p.setClipRect(
            QtCore.QRectF(vp.left, vp.top, vp.right - vp.left, vp.bottom - vp.top),
            QtCore.Qt.ClipOperation.IntersectClip,
        )
        lanes = self.visible_lanes(layout, vp)
        t0, t1 = vp.t0, vp.t1
        if exposed is not None:
            t0, t1 = max(t0, exposed[0]), min(t1, exposed[1])
            inside = [
                i
                for i in lanes
                if layout.lanes[i].bottom >= exposed[2] and layout.lanes[i].top <= exposed[3]
            ]
            lanes = range(inside[0], inside[-1] + 1) if inside else range(0)
        self.paint_lanes(p, layout, vp, lanes, options.show_phases)
        if options.show_phases:
            self.paint_phases(p, layout, vp)
        visible = {}
        for i in lanes:
            lane = layout.lanes[i]
            if exposed is not None and (
                min(lane.bottom, exposed[3]) - max(lane.top, exposed[2]) < LANE_PADDING
            ):
                continue  # only a sliver of its edge is exposed, where no event is drawn
            data = layout.lane_events[i]
            left, right = t0 - 2 * MARK / vp.scale, t1 + 2 * MARK / vp.scale
            if exposed is not None:
                # A label drawn here may start left of the region (as far as the lane's
                # longest title), and is shortened by the next mark, which may lie right of it.
                left -= (self.longest_label(data) + LABEL_GAP) / vp.scale
                right += (16 + 2 * LABEL_GAP) / vp.scale
            visible[i] = data.visible(max(vp.t0, left), right)
        self.paint_with_marks(p, layout, vp, lanes, (t0, t1))
        self.paint_events(p, layout, vp, visible, options)
        if options.show_demands:
            self.paint_demands(
                p, layout, vp, lanes, options, (t0 - 20 / vp.scale, t1 + 20 / vp.scale)
            )
        if options.show_labels:
            self.paint_labels(p, layout, vp, visible, options)
        self.paint_ghosts(p, layout, vp, options)
        p.restore()

    def paint_lanes(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        lanes: range,
        phases: bool = True,
    ) -> None:
        """Lane backgrounds, alternating, with the phases' bands mixed in. The bands are
        opaque mixed colours rather than a translucent layer: blending a rectangle the size
        of the plot costs more than all the lanes."""
        t = self.theme
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        width = vp.right - vp.left
        bands = self.phase_bands(layout, vp) if phases else []
        for i in lanes:
            lane = layout.lanes[i]
            base = t.lane_odd if i % 2 else t.lane_even
            y = vp.y(lane.top)
            p.setBrush(self.brush(base))
            p.drawRect(QtCore.QRectF(vp.left, y, width, lane.height))
            for x0, x1, color, _ in bands:
                x0, x1 = max(x0, vp.left - 1), min(x1, vp.right + 1)
                p.setBrush(self.brush(_mixed(base, color, t.phase_alpha)))
                p.drawRect(QtCore.QRectF(x0, y, x1 - x0, lane.height))
        p.setPen(QtGui.QPen(_qcolor(t.separator), 1))
        ys = [round(vp.y(layout.lanes[i].bottom)) - 0.5 for i in lanes]
        draw_lines(p, vp.left, np.array(ys), vp.right, np.array(ys))

    def phase_bands(self, layout: Layout, vp: Viewport) -> list[tuple[float, float, str, Phase]]:
        """The phases in view as (x0, x1, colour, phase): where they start and end, in px."""
        out = []
        for k, ph in enumerate(layout.phases):
            if not ph.dated:
                continue
            lo = ph.when.lo if ph.when.lo is not None else layout.t_min
            hi = ph.when.hi if ph.when.hi is not None else max(layout.t_max, vp.t1)
            if hi < vp.t0 or lo > vp.t1:
                continue
            out.append(
                (vp.x(lo), vp.x(hi), ph.color or ("#c17d11" if k % 2 == 0 else "#4e9a06"), ph)
            )
        return out

    def paint_phases(self, p: QtGui.QPainter, layout: Layout, vp: Viewport) -> None:
        """The phases' edges, and their titles in the strip above the lanes (their bands
        are part of the lanes)."""
        strip_top, strip = vp.y(0.0), layout.strip
        top, bottom = strip_top, min(vp.bottom, vp.y(layout.height))
        bands = self.phase_bands(layout, vp)
        if strip and strip_top + strip > vp.top:
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(self.theme.background))
            p.drawRect(QtCore.QRectF(vp.left, strip_top, vp.right - vp.left, strip))
            for start, end, color, _ in bands:
                x0, x1 = max(start, vp.left - 1), min(end, vp.right + 1)
                p.setBrush(self.brush(_mixed(self.theme.background, color, self.theme.phase_alpha)))
                p.drawRect(QtCore.QRectF(x0, strip_top, x1 - x0, strip))
        p.setFont(self.bold)
        baseline = strip_top + (strip + self.metrics.ascent()) / 2 - 1
        for start, end, color, ph in bands:
            p.setPen(QtGui.QPen(_qcolor(color, 150), 1, QtCore.Qt.PenStyle.DashLine))
            for x in (start, end):
                if vp.left <= x <= vp.right:
                    p.drawLine(QtCore.QPointF(x, max(top, vp.top)), QtCore.QPointF(x, bottom))
            x0, x1 = max(start, vp.left - 1), min(end, vp.right + 1)
            p.setPen(_qcolor(self.theme.muted))
            text = self._phase_title(ph.title, max(0.0, x1 - x0 - 8))
            p.drawText(QtCore.QPointF(x0 + 4, baseline), text)
        p.setFont(self.font)

    def _phase_title(self, title: str, room: float) -> str:
        key = (title, int(room))
        text = self._phase_titles.get(key)
        if text is None:
            if len(self._phase_titles) > 1000:
                self._phase_titles.clear()
            text = self._phase_titles[key] = QtGui.QFontMetricsF(self.bold).elidedText(
                title, QtCore.Qt.TextElideMode.ElideRight, room
            )
        return text

    def paint_with_marks(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, lanes: range, span: tuple
    ) -> None:
        """A small tick on the lane of each of an event's `with` actors, at its date. The
        event may be in any lane, painted or not."""
        times, targets = layout.with_ticks()
        reach = 2 / vp.scale
        start = int(np.searchsorted(times, span[0] - reach, "left"))
        stop = int(np.searchsorted(times, span[1] + reach, "right"))
        target = targets[start:stop]
        keep = (target >= lanes.start) & (target < lanes.stop)
        if not keep.any():
            return
        x = vp.left + (times[start:stop][keep] - vp.t0) * vp.scale
        target = target[keep]
        tops, bottoms = layout.lane_edges()
        centre = vp.y((tops[target] + bottoms[target]) / 2)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        for j in np.unique(target).tolist():
            mine = target == j
            p.setBrush(self.brush(self.lane_color(layout, j), 150))
            draw_rects(p, x[mine] - 1.5, centre[mine] - 5, 3.0, 10.0)

    def paint_events(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
    ) -> None:
        rh = layout.row_height
        bar_h = rh - 8
        selected_rects: list[QtCore.QRectF] = []
        selected_marks: list[tuple[int, QtCore.QPointF]] = []
        for lane_i, idx in visible.items():
            if len(idx) == 0:
                continue
            data = layout.lane_events[lane_i]
            color = self.lane_color(layout, lane_i)
            all_idx = idx
            if len(idx) > 300 and not options.dimmed and options.filtered is None:
                idx = _one_per_pixel(data, idx, vp)
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
            # approximate or uncertain. Days and times: a mark shaped by the event's type.
            wide = data.bar[idx]
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            for mask, alpha in ((wide & ~faded, 235), (wide & faded, 60)):
                if not mask.any():
                    continue
                left = np.maximum(x0[mask], vp.left - 4)
                right = np.minimum(np.maximum(x1[mask], x0[mask] + 2), vp.right + 4)
                width = np.maximum(right - left, 2.0)
                top = y[mask] + 4
                p.setBrush(self.brush(color, alpha))
                draw_rects(p, left, top, width, bar_h)
                hatch = fuzzy[mask]
                if not hatch.any():
                    continue
                p.setBrush(
                    self.brush(self.theme.background, 150, QtCore.Qt.BrushStyle.BDiagPattern)
                )
                draw_rects(p, left[hatch], top[hatch], width[hatch], bar_h)
            points = ~wide
            if points.any():
                cx = ((x0 + x1) / 2)[points]
                cy = (y + rh / 2)[points]
                # One batch per look: shape (the type's class), faded, approximate.
                look = data.kind[idx][points] * 4 + faded[points] * 2 + fuzzy[points]
                vector = _is_vector(p)
                if vector:
                    for key in np.unique(look).tolist():
                        same = look == key
                        kind, faded_, fuzzy_ = key // 4, bool(key & 2), bool(key & 1)
                        for a, b in zip(cx[same].tolist(), cy[same].tolist(), strict=True):
                            self._mark(p, color, kind, faded_, fuzzy_, QtCore.QPointF(a, b))
                else:
                    ratio = p.device().devicePixelRatioF()
                    cell = MARK_CELL * ratio
                    atlas = self._mark_atlas(color, ratio)
                    draw_fragments(p, atlas, cx, cy, look * cell, 0.0, cell, cell)
            if options.selection or options.hover:
                marked = options.selection | ({options.hover} if options.hover else set())
                idx = all_idx
                lo, hi, row = data.lo[idx], data.hi[idx], data.row[idx]
                x0 = vp.left + (lo - vp.t0) * vp.scale
                x1 = vp.left + (hi - vp.t0) * vp.scale
                y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh
                wide = data.bar[idx]
                for k, i in enumerate(idx):
                    if data.events[i].id in marked:
                        if wide[k]:
                            selected_rects.append(
                                QtCore.QRectF(
                                    x0[k] - 1, y[k] + 3, max(x1[k] - x0[k], 2) + 2, bar_h + 2
                                )
                            )
                        else:
                            selected_marks.append(
                                (
                                    int(data.kind[i]),
                                    QtCore.QPointF((x0[k] + x1[k]) / 2, y[k] + rh / 2),
                                )
                            )
        if selected_rects or selected_marks:
            p.setPen(QtGui.QPen(_qcolor(self.theme.selection), 2.0))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            for r in selected_rects:
                p.drawRoundedRect(r, 2, 2)
            for kind, c in selected_marks:
                self._mark_outline(p, kind, c, MARK + 3)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

    def label_widths(self, data) -> np.ndarray:
        """Each event's title width in px, computed once per lane arrangement."""
        if data.label_px is None or len(data.label_px) != len(data.events):
            data.label_px = np.array([self.label_width(e.title) for e in data.events], dtype=float)
        elif np.isnan(data.label_px).any():  # events added to a lane since
            for i in np.flatnonzero(np.isnan(data.label_px)).tolist():
                data.label_px[i] = self.label_width(data.events[i].title)
        return data.label_px

    def label_width(self, title: str) -> float:
        """A title's width in px, remembered: lanes are re-stacked often, titles rarely change."""
        width = self._widths.get(title)
        if width is None:
            if len(self._widths) > 200_000:
                self._widths.clear()
            width = self._widths[title] = self.metrics.horizontalAdvance(title)
        return width

    def longest_label(self, data) -> float:
        return float(self.label_widths(data).max()) if len(data.events) else 0.0

    def edit_window(
        self, before: Layout, after: Layout, events: list[Event], spp: float
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
                    reach = self.longest_label(data) * spp + gap + margin
                    t0 = min(t0, float(data.lo[changed].min()) - reach)
                    label_end = data.hi + self.label_widths(data) * spp + 2 * gap
                    t1 = max(t1, float(label_end[changed].max()) + margin)
        # Labels that start among the changed marks and labels may now be drawn, shortened
        # or left out: they run on as far as their own length.
        right = t1
        for data in datas:
            width = self.label_widths(data) * spp
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

    def paint_labels(
        self, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
    ) -> None:
        """Titles beside or inside their events, thinned by collision in each sub-row:
        a label never runs over another label or the next mark in its row; it is
        shortened with an ellipsis, or left out when too little room is left.
        Positions are computed with numpy; only the greedy pass is a Python loop."""
        rh = layout.row_height
        p.setFont(self.font)
        text_pen = _qcolor(self.theme.text)
        forced: list[tuple[QtCore.QPointF, QtGui.QStaticText, float]] = []
        # A label shortened to fewer letters than this says nothing: leave it out.
        min_room = self.metrics.horizontalAdvance("Abcdef…")
        self.labels_drawn = 0
        text_dy = (rh - self.metrics.height()) / 2
        marked = options.selection | ({options.hover} if options.hover else frozenset())
        for lane_i, idx in visible.items():
            n = len(idx)
            if n == 0:
                continue
            data = layout.lane_events[lane_i]
            lo, hi, row, bar = data.lo[idx], data.hi[idx], data.row[idx], data.bar[idx]
            width = self.label_widths(data)[idx]
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
            inside = bar & (
                np.minimum(x1, vp.right) - np.maximum(x0, vp.left) >= width + 2 * LABEL_GAP
            )
            x = (
                np.where(inside, np.maximum(x0, vp.left), np.where(bar, x1, (x0 + x1) / 2 + MARK))
                + LABEL_GAP
            )
            # A label ends before the next mark in its row, and before the plot's edge (where
            # it is shortened rather than cut: SVG viewers do not all clip text).
            limit = (
                np.minimum(np.where(inside, np.minimum(x1, vp.right), next_mark), vp.right)
                - LABEL_GAP
            )
            y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh + text_dy
            # Only labels with room can be drawn (or must be): drop the rest before the loop.
            room_ok = (
                (limit - x >= np.minimum(width, min_room))
                & (x <= vp.right)
                & (x + width >= vp.left)
            )
            if marked:
                room_ok |= np.array([data.events[i].id in marked for i in idx.tolist()], dtype=bool)
            if not room_ok.all():
                idx, row, x, y, width, limit, inside = (
                    a[room_ok] for a in (idx, row, x, y, width, limit, inside)
                )
            pens = (text_pen, _readable_on(_qcolor(self.lane_color(layout, lane_i))))
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
                    forced.append((QtCore.QPointF(xk, yk), self.label(e.id, e.title)[0], w))
                    last_end[r] = xk + w + LABEL_GAP
                    continue
                if xk < last_end.get(r, -1e18) or xk > vp.right or xk + w < vp.left:
                    continue
                room = lim - xk
                if room < w and room < min_room:
                    continue
                if ins != pen_now:
                    p.setPen(pens[ins])
                    pen_now = ins
                self.labels_drawn += 1
                if w <= room:
                    p.drawStaticText(QtCore.QPointF(xk, yk), self.label(e.id, e.title)[0])
                    last_end[r] = xk + w + LABEL_GAP
                else:
                    p.drawStaticText(QtCore.QPointF(xk, yk), self.elided(e.id, e.title, room))
                    last_end[r] = xk + room + LABEL_GAP
        # Hovered and selected titles always show in full, on a backing so they read over anything.
        for pos, static, width in forced:
            h = static.size().height()
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(self.brush(self.theme.background, 235))
            p.drawRoundedRect(QtCore.QRectF(pos.x() - 3, pos.y() - 1, width + 6, h + 2), 3, 3)
            p.setPen(text_pen)
            p.drawStaticText(pos, static)

    def paint_demands(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        lanes: range,
        options: PaintOptions,
        span: tuple[float, float] | None = None,
    ) -> None:
        """An arrow from the demander's lane to the target's at `raised`, through the
        mediators' lanes; a span in the demander's lane while it runs; a status glyph at
        the tail. Geometry is computed with numpy and drawn in batches by status."""
        index = layout.demand_index
        if not layout.demands or not len(lanes) or index is None:
            return
        t = self.theme
        t0, t1 = span if span is not None else (vp.t0, vp.t1)
        k = index.visible(t0, t1, lanes.start - 1, lanes.stop)
        if options.filtered is not None:
            k = np.array(
                [
                    j
                    for j in k.tolist()
                    if layout.demands[index.order[j]].demand.id in options.filtered
                ],
                dtype=np.intp,
            )
        if len(k) == 0:
            return
        tops, bottoms = layout.lane_edges()
        centre = vp.y((tops + bottoms) / 2)
        bottom = vp.y(bottoms) - 4
        x_all = vp.left + (index.x - vp.t0) * vp.scale
        x = x_all[k]
        end = index.span_end[k]
        end_x = np.where(
            np.isinf(end), vp.right + 5, vp.left + (np.minimum(end, vp.t1 + 1) - vp.t0) * vp.scale
        )
        status = index.status[k]
        y_from, y_to = centre[index.from_lane[k]], centre[index.to_lane[k]]
        span_y = bottom[index.from_lane[k]]
        on_screen = (x >= vp.left - 20) & (x <= vp.right + 20)
        has_span = (end_x > x + 0.5) & (span_y >= vp.top) & (span_y <= vp.bottom)
        # An arrow runs in one column through every lane it visits: its line is drawn once,
        # from the highest of them to the lowest. Mediators' stops of the arrows on screen:
        top_y, bottom_y = centre[index.lane_lo[k]], centre[index.lane_hi[k]]
        shown = np.zeros(len(index.x), dtype=bool)
        shown[k[on_screen]] = True
        stops = np.flatnonzero(shown[index.stop_of])
        stop_of = index.stop_of[stops]
        head_y = y_to
        direction = np.where(y_to < centre[index.before_head[k]], -1.0, 1.0)
        low, high = vp.top - 20, vp.bottom + 20
        vector = _is_vector(p)
        ratio = p.device().devicePixelRatioF()
        # Where arrows crowd, thinner lines keep them apart (and cost half as much to fill).
        # Counted over the whole view, so that a partial repaint draws them alike.
        in_view = np.searchsorted(index.x, [vp.t0 - 20 / vp.scale, vp.t1 + 20 / vp.scale])
        hairlines = in_view[1] - in_view[0] > CROWDED_ARROWS
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        for s_i, name in enumerate(STATUSES):
            mine = status == s_i
            if not mine.any():
                continue
            color = _qcolor(t.status_color(name))
            # Lines are drawn as thin filled rectangles: the raster engine fills those far
            # faster than it strokes wide lines, and they look the same.
            spans = mine & has_span
            if spans.any():
                left = np.maximum(x[spans], vp.left - 5)
                p.setBrush(self.brush(t.status_color(name), 170))
                draw_rects(p, left, span_y[spans] - 1.5, end_x[spans] - left, 3.0)
            arrows = mine & on_screen
            if not arrows.any():
                continue
            xs, a, b = np.rint(x[arrows]), top_y[arrows], bottom_y[arrows]
            if hairlines:
                p.setPen(QtGui.QPen(color, 0))
                draw_lines(p, xs, a, xs, b)
                p.setPen(QtCore.Qt.PenStyle.NoPen)
            else:
                p.setBrush(color)
                draw_rects(p, xs - 1, a, 2.0, b - a)
            p.setBrush(color)
            in_status = index.status[stop_of] == s_i
            draw_rects(
                p,
                x_all[stop_of[in_status]] - 3,
                centre[index.stop_lane[stops[in_status]]] - 3,
                6.0,
                6.0,
            )
            if vector:
                heads = arrows & (head_y >= low) & (head_y <= high)
                tails = arrows & (y_from >= low) & (y_from <= high)
                for xx, yy, d in zip(
                    x[heads].tolist(),
                    head_y[heads].tolist(),
                    direction[heads].tolist(),
                    strict=True,
                ):
                    self._head_vector(p, name, xx, yy, d)
                for xx, yy in zip(x[tails].tolist(), y_from[tails].tolist(), strict=True):
                    self._glyph_vector(p, name, QtCore.QPointF(xx, yy))
                p.setPen(QtCore.Qt.PenStyle.NoPen)
        if not vector:
            # Heads, then glyphs on top, each in one call from an atlas of every status.
            atlas = self._status_atlas(ratio)
            cell = ATLAS_CELL * ratio
            heads = on_screen & (head_y >= low) & (head_y <= high)
            draw_fragments(
                p,
                atlas,
                x[heads],
                head_y[heads] - 4.5 * direction[heads],
                np.where(direction[heads] > 0, 1, 2) * cell,
                status[heads] * cell,
                cell,
                cell,
            )
            tails = on_screen & (y_from >= low) & (y_from <= high)
            draw_fragments(p, atlas, x[tails], y_from[tails], 0.0, status[tails] * cell, cell, cell)
        marked = options.selection | ({options.hover} if options.hover else frozenset())
        if marked:
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            p.setPen(QtGui.QPen(_qcolor(t.selection), 2))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            for j, xx, ya in zip(k.tolist(), x.tolist(), y_from.tolist(), strict=True):
                if layout.demands[index.order[j]].demand.id in marked:
                    p.drawEllipse(QtCore.QPointF(xx, ya), 10, 10)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)

    def _head_vector(
        self, p: QtGui.QPainter, status: str, x: float, y: float, direction: float
    ) -> None:
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(_qcolor(self.theme.status_color(status)))
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

    def _mark(
        self, q: QtGui.QPainter, color: str, kind: int, faded: bool, fuzzy: bool, c: QtCore.QPointF
    ) -> None:
        """A point event's mark. Its shape tells the class of its type (see the legend):
        hollow for words, solid for deeds; faded when dimmed, stippled when approximate."""
        hollow = kind in (1, 3)
        if hollow:
            q.setPen(QtGui.QPen(_qcolor(color, 60 if faded else 255), 2))
            q.setBrush(self.brush(self.theme.background))
        else:
            q.setPen(QtGui.QPen(_qcolor(self.theme.background), 1))
            q.setBrush(self.brush(color, 60 if faded else 255))
        reach = MARK - 0.5 if hollow else MARK  # same outer size, pen included
        self._mark_outline(q, kind, c, reach)
        if fuzzy:
            stipple = self.brush(self.theme.background, 170, QtCore.Qt.BrushStyle.Dense5Pattern)
            if hollow:
                q.setPen(QtGui.QPen(stipple, 2))
                q.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            else:
                q.setBrush(stipple)
            self._mark_outline(q, kind, c, reach)

    @staticmethod
    def _mark_outline(q: QtGui.QPainter, kind: int, c: QtCore.QPointF, r: float) -> None:
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

    def _mark_atlas(self, color: str, ratio: float) -> QtGui.QPixmap:
        """Every look of a point mark in one colour, side by side: the cell at
        kind * 4 + faded * 2 + fuzzy, each MARK_CELL px wide."""
        half = MARK_CELL / 2
        looks = 5 * 4

        def draw(q: QtGui.QPainter) -> None:
            for look in range(looks):
                kind, faded, fuzzy = look // 4, bool(look & 2), bool(look & 1)
                at = QtCore.QPointF(look * MARK_CELL + half, half)
                self._mark(q, color, kind, faded, fuzzy, at)

        return self._cached_pixmap(("marks", color), (looks * MARK_CELL, MARK_CELL), ratio, draw)

    def _cached_pixmap(
        self, key: tuple, size: tuple[int, int], ratio: float, draw
    ) -> QtGui.QPixmap:
        """A small antialiased picture drawn once per key (theme included) and reused:
        blitting is far cheaper than drawing text or polygons per event."""
        key = (*key, ratio, self.theme.name)
        pixmap = self._glyphs.get(key)
        if pixmap is None:
            pixmap = QtGui.QPixmap(int(size[0] * ratio), int(size[1] * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(QtCore.Qt.GlobalColor.transparent)
            q = QtGui.QPainter(pixmap)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            draw(q)
            q.end()
            self._glyphs[key] = pixmap
        return pixmap

    def _status_atlas(self, ratio: float) -> QtGui.QPixmap:
        """Every status's glyph, downward head and upward head, a row per status (in the
        order of STATUSES), each centred in an ATLAS_CELL square."""
        key = ("atlas", ratio, self.theme.name)
        atlas = self._glyphs.get(key)
        if atlas is None:
            atlas = QtGui.QPixmap(
                int(3 * ATLAS_CELL * ratio), int(len(STATUSES) * ATLAS_CELL * ratio)
            )
            atlas.setDevicePixelRatio(ratio)
            atlas.fill(QtCore.Qt.GlobalColor.transparent)
            q = QtGui.QPainter(atlas)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            half = ATLAS_CELL / 2
            for row, status in enumerate(STATUSES):
                y = row * ATLAS_CELL + half
                self._glyph_vector(q, status, QtCore.QPointF(half, y))
                for column, direction in ((1, 1.0), (2, -1.0)):
                    # The tip sits 4.5 px past the centre, towards where the arrow points.
                    tip = y + 4.5 * direction
                    self._head_vector(q, status, column * ATLAS_CELL + half, tip, direction)
            q.end()
            self._glyphs[key] = atlas
        return atlas

    def _glyph_vector(self, p: QtGui.QPainter, status: str, at: QtCore.QPointF) -> None:
        color = _qcolor(self.theme.status_color(status))
        p.setBrush(self.brush(self.theme.background))
        p.setPen(QtGui.QPen(color, 1.4))
        p.drawEllipse(at, 8, 8)
        p.setFont(self.glyph_font)
        p.setPen(color)
        p.drawText(
            QtCore.QRectF(at.x() - 8, at.y() - 8, 16, 16),
            QtCore.Qt.AlignmentFlag.AlignCenter,
            STATUS_GLYPHS[status],
        )
        p.setFont(self.font)

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
                self._mark_outline(p, mark_kind(g.event.type), c, MARK)
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
        if layout.strip and vp.y(layout.strip) > vp.top:
            p.setPen(_qcolor(t.muted))
            p.setFont(self.font)
            p.drawText(
                QtCore.QRectF(x + 8, vp.y(0.0), width - 12, layout.strip),
                QtCore.Qt.AlignmentFlag.AlignVCenter,
                "Phases",
            )
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

    def _legend_rows(self) -> list[tuple[str, list[tuple[str, object, float]]]]:
        """The legend's rows: a heading and its entries, each a label, a swatch painter
        (drawing centred on the point it is given, or None) and the swatch's width."""
        t = self.theme

        def status(name: str):
            def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
                color = _qcolor(t.status_color(name))
                p.setPen(QtGui.QPen(color, 1.4))
                p.setBrush(self.brush(t.background))
                p.drawEllipse(c, 7, 7)
                p.setFont(self.bold)
                p.drawText(
                    QtCore.QRectF(c.x() - 7, c.y() - 7, 14, 14),
                    QtCore.Qt.AlignmentFlag.AlignCenter,
                    STATUS_GLYPHS[name],
                )
                p.setFont(self.font)

            return draw

        def marks(*kinds: int):
            def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
                step = 2 * MARK + 3
                left = c.x() - (len(kinds) - 1) * step / 2
                for n, kind in enumerate(kinds):
                    at = QtCore.QPointF(left + n * step, c.y())
                    self._mark(p, t.muted, kind, False, False, at)

            return draw

        def bar(hatched: bool):
            def draw(p: QtGui.QPainter, c: QtCore.QPointF) -> None:
                r = QtCore.QRectF(c.x() - 8, c.y() - 5, 16, 10)
                p.setPen(QtCore.Qt.PenStyle.NoPen)
                p.setBrush(self.brush(t.muted))
                p.drawRect(r)
                if hatched:
                    p.setBrush(self.brush(t.background, 170, QtCore.Qt.BrushStyle.BDiagPattern))
                    p.drawRect(r)

            return draw

        return [
            ("Demands:", [(name, status(name), 16.0) for name in STATUS_GLYPHS]),
            (
                "Events:",
                [
                    ("cooperation", marks(1, 2), 30.0),
                    ("conflict", marks(3, 4), 30.0),
                    ("other", marks(0), 16.0),
                    ("range", bar(False), 16.0),
                    ("approx.", bar(True), 16.0),
                    ("(hollow: said, solid: done)", None, 0.0),
                ],
            ),
        ]

    def _legend_layout(
        self, max_width: float
    ) -> tuple[list[tuple[float, int, str, object, float]], QtCore.QSizeF]:
        """(x, row, text, swatch painter, swatch width) of every heading and entry, flowed
        onto more rows where a row would be wider than `max_width`; and the legend's size."""
        key = int(min(max_width, 1e6))
        cached = self._legend_layouts.get(key)
        if cached is not None:
            return cached
        fm = self.metrics
        out = []
        rows = self._legend_rows()
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
        cached = self._legend_layouts[key] = (out, QtCore.QSizeF(width, (row + 1) * LEGEND_ROW + 8))
        return cached

    def legend_size(self, max_width: float = float("inf")) -> QtCore.QSizeF:
        return self._legend_layout(max_width)[1]

    def paint_legend(
        self, p: QtGui.QPainter, topleft: QtCore.QPointF, max_width: float = float("inf")
    ) -> QtCore.QRectF:
        """A compact legend: demand statuses (glyph and colour) and event marks. Drawn
        once into a pixmap for the screen; drawn as vectors for SVG and PDF."""
        rect = QtCore.QRectF(topleft, self.legend_size(max_width))
        if _is_vector(p):
            self._draw_legend(p, topleft, max_width)
            return rect
        ratio = p.device().devicePixelRatioF()
        key = ("legend", self.font.toString(), ratio, self.theme.name, rect.size().toTuple())
        pixmap = self._glyphs.get(key)
        if pixmap is None:
            size = rect.size().toSize() + QtCore.QSize(2, 2)
            pixmap = QtGui.QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(QtCore.Qt.GlobalColor.transparent)
            q = QtGui.QPainter(pixmap)
            self._draw_legend(q, QtCore.QPointF(0.5, 0.5), max_width)
            q.end()
            self._glyphs[key] = pixmap
        p.drawPixmap(topleft - QtCore.QPointF(0.5, 0.5), pixmap)
        return rect

    def _draw_legend(self, p: QtGui.QPainter, topleft: QtCore.QPointF, max_width: float) -> None:
        t = self.theme
        fm = self.metrics
        entries, size = self._legend_layout(max_width)
        rect = QtCore.QRectF(topleft, size)
        p.save()
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(_qcolor(t.separator), 1))
        p.setBrush(self.brush(t.background, 235))
        p.drawRoundedRect(rect, 4, 4)
        p.setFont(self.font)
        for x, row, text, draw, swatch in entries:
            mid = rect.top() + 4 + row * LEGEND_ROW + LEGEND_ROW / 2
            left = rect.left() + x
            if draw is None:  # a heading or a note
                p.setPen(_qcolor(t.muted))
            else:
                draw(p, QtCore.QPointF(left + swatch / 2, mid))
                left += swatch + 4
                p.setPen(_qcolor(t.text))
            p.drawText(QtCore.QPointF(left, mid + fm.ascent() / 2 - 1), text)
        p.restore()
