"""The chart painter: one ordered list of layers, painted by the screen and every export.

    chart = ChartPainter(theme, font)
    chart.paint(p, layout, viewport, options)      # the screen: every layer at once
    chart.paint_part(p, layout, viewport, part)    # an export: one part at a time

Each layer is a function of the shared `Style` and a `Frame`. A "lane" layer paints only
inside the frame's lanes, so an export can paint it lane by lane (one SVG group per lane)
and still stack exactly as the screen does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart import context, demands, events, labels, lanes, legend, links, numbers, phases
from app.chart.base import Frame, PaintOptions, Viewport, visible_lanes
from app.chart.layout import LANE_PADDING, Layout
from app.chart.lod import count_near, lod_of, visible_rows
from app.chart.metrics import LABEL_GAP, MARK
from app.chart.style import Style
from app.chart.theme import Theme
from app.records.model import Event

VIEW, LANE = "view", "lane"
MANY_EVENTS = 2000  # in a lane's time in view, above which its rows are found by bisection

# The chart, bottom to top: (part, scope, painter). Consecutive layers of one part are
# exported together; "lane" layers are exported lane by lane.
LAYERS = (
    ("backdrop", VIEW, lanes.paint),
    ("backdrop", VIEW, phases.paint),
    ("backdrop", VIEW, context.paint),
    ("demands", VIEW, demands.paint),
    ("demands", VIEW, links.paint),
    ("lane", LANE, events.paint_ticks),
    ("lane", LANE, events.paint),
    ("lane", LANE, labels.paint),
    ("numbers", VIEW, numbers.paint),
    ("overlay", VIEW, events.paint_drag_ghosts),
)
PARTS = tuple(dict.fromkeys(part for part, _, _ in LAYERS))


class ChartPainter:
    """Paints the layers of the chart with one shared style and its caches."""

    def __init__(self, theme: Theme, font: QtGui.QFont | None = None):
        self.style = Style(theme, font)

    # -------------------------------------------------------- style, for the views

    @property
    def theme(self) -> Theme:
        return self.style.theme

    @property
    def font(self) -> QtGui.QFont:
        return self.style.font

    @property
    def metrics(self) -> QtGui.QFontMetricsF:
        return self.style.metrics

    @property
    def labels_drawn(self) -> int:
        return self.style.labels_drawn

    def set_theme(self, theme: Theme) -> None:
        self.style.set_theme(theme)

    def forget_labels(self, ids=None) -> None:
        """Forget the cached label texts of these events (of every event when None)."""
        if ids is None:
            self.style.labels.clear()
        else:
            self.style.forget_labels(ids)

    def lane_color(self, layout: Layout, lane_i: int) -> str:
        return self.style.lane_color(layout, lane_i)

    # -------------------------------------------------------- painting

    def frame(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        options: PaintOptions,
        exposed: tuple[float, float, float, float] | None = None,
        only_lane: int | None = None,
        all_rows: bool = True,
    ) -> Frame:
        """What one paint covers: the visible lanes (or one), each lane's events in view
        (those a filter hides left out; of a tall lane, those in the rows on screen), or
        only what meets `exposed` (t0, t1, y0, y1 in time and layout y). Without
        `all_rows`, of a tall lane only the rows in the viewport (the screen's frames: an
        export's viewport maps time, but its pages lay the lanes out their own way)."""
        shown = visible_lanes(layout, vp) if only_lane is None else range(only_lane, only_lane + 1)
        t0, t1 = vp.t0, vp.t1
        if exposed is not None:
            t0, t1 = max(t0, exposed[0]), min(t1, exposed[1])
            tops, bottoms = layout.lane_edges()  # the lanes meeting it: (sorted) by bisection
            first = max(shown.start, int(np.searchsorted(bottoms, exposed[2], "left")))
            shown = range(
                first, max(first, min(shown.stop, int(np.searchsorted(tops, exposed[3], "right"))))
            )
        visible, in_rows = {}, {}
        y0, y1 = vp.layout_y(vp.top), vp.layout_y(vp.bottom)
        margin = 2 * MARK / vp.scale
        hidden = options.kept if options.hide_filtered else None
        for i in shown:
            lane = layout.lanes[i]
            top, bottom = lane.top, lane.top + lane.height
            if exposed is not None and (
                min(bottom, exposed[3]) - max(top, exposed[2]) < LANE_PADDING
            ):
                continue  # only a sliver of its edge is exposed, where no event is drawn
            data = layout.lane_events[i]
            left, right = t0 - margin, t1 + margin
            if exposed is not None:
                # A label drawn here may start left of the region (as far as the lane's
                # longest title) and be shortened by the next mark in its row, which may lie
                # as far right of it.
                longest = self.style.longest_label(data)
                left -= (longest + LABEL_GAP) / vp.scale
                right += (longest + 16 + 2 * LABEL_GAP) / vp.scale
            left = max(vp.t0, left)
            rows = None  # all of them
            if not all_rows and (top < y0 or bottom > y1):  # a lane part way in view
                rows = visible_rows(top, lane.rows, layout.row_height, y0, y1, LANE_PADDING)
                if rows == (0, lane.rows):
                    rows = None
            if rows is None:
                idx = data.visible(left, right)
            elif count_near(data, left, right) > MANY_EVENTS:
                # A tall lane part way in view: its rows on screen, by bisection.
                raw = lod_of(data).all.raw(data)
                idx = np.sort(raw.event[raw.query(left, right, *rows)])
                in_rows[i] = rows
            else:
                idx = data.visible(left, right)
                idx = idx[(data.row[idx] >= rows[0]) & (data.row[idx] < rows[1])]
                in_rows[i] = rows
            if hidden is not None:
                idx = idx[hidden.lane(layout, i)[idx]]  # what is hidden is not there
            visible[i] = idx
        return Frame(p, layout, vp, options, shown, visible, t0, t1, in_rows)

    def paint(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        options: PaintOptions,
        exposed: tuple[float, float, float, float] | None = None,
    ) -> None:
        """Paint every layer in the viewport, or only what meets `exposed`, so a small
        edit repaints a small region at a small cost."""
        p.save()
        p.setClipRect(
            QtCore.QRectF(vp.left, vp.top, vp.right - vp.left, vp.bottom - vp.top),
            QtCore.Qt.ClipOperation.IntersectClip,
        )
        frame = self.frame(p, layout, vp, options, exposed, all_rows=False)
        if exposed is None:
            self.style.label_boxes.clear()  # a full frame draws every label anew
        else:
            self.style.label_boxes.forget(*exposed)
        for _part, _scope, layer in LAYERS:
            layer(self.style, frame)
        p.restore()

    def paint_part(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        options: PaintOptions,
        part: str,
        lane: int | None = None,
    ) -> None:
        """The layers of one part (see PARTS), for one lane when the part is "lane"."""
        frame = self.frame(p, layout, vp, options, only_lane=lane)
        for name, _scope, layer in LAYERS:
            if name == part:
                layer(self.style, frame)

    def unnamed_events(
        self, layout: Layout, vp: Viewport, options: PaintOptions
    ) -> Sequence[Event]:
        """The events in view whose titles cannot be drawn in full beside their marks."""
        frame = self.frame(None, layout, vp, options)
        return labels.unnamed_events(self.style, layout, vp, frame.visible, options)

    def label_at(self, t: float, y: float) -> str | None:
        """The id of the event whose label the last frames drew at (t, layout y)."""
        return self.style.label_boxes.at(t, y)

    def edit_window(
        self, before: Layout, after: Layout, changed: list[Event], spp: float
    ) -> tuple[float, float, float, float] | None:
        return labels.edit_window(self.style, before, after, changed, spp)

    # -------------------------------------------------------- headers and legend

    def paint_headers(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        vp: Viewport,
        width: float,
        x: float = 0.0,
        toggles: bool = True,
    ) -> None:
        lanes.paint_headers(self.style, p, layout, vp, width, x, toggles)

    def header_width(self, layout: Layout, cap: float) -> float:
        return lanes.header_width(self.style, layout, cap)

    def legend_size(self, max_width: float = float("inf")) -> QtCore.QSizeF:
        return legend.legend_size(self.style, max_width)

    def paint_legend(
        self, p: QtGui.QPainter, topleft: QtCore.QPointF, max_width: float = float("inf")
    ) -> QtCore.QRectF:
        return legend.paint_legend(self.style, p, topleft, max_width)

    def demand_list_size(
        self, layout: Layout, width: float, span=None, lanes=None
    ) -> QtCore.QSizeF:
        return legend.demand_list_size(self.style, layout, width, span, lanes)

    def paint_demand_list(
        self,
        p: QtGui.QPainter,
        layout: Layout,
        topleft: QtCore.QPointF,
        width: float,
        span=None,
        lanes=None,
    ) -> None:
        """The numbered demands (those raised within `span`, and in the first `lanes`
        lanes, when given)."""
        legend.paint_demand_list(self.style, p, layout, topleft, width, span, lanes)

    def legend_rows(self) -> list:
        return legend.legend_rows(self.style)
