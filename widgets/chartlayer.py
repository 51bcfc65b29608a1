"""The canvas's painted layer (one QGraphicsObject that paints the chart's layers for
what is visible, or for the region an edit exposed) and the ViewBox that routes mouse
gestures to the pointer and the drag handler. Neither knows the canvas: the layer reads
its `Surface` (widgets/gestures.py) and is given the view box, the painter and the drag
in progress."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app.chart import ChartPainter, PaintOptions, Viewport, axis
from app.records.collector import collection_paused


class TimelineLayer(QtWidgets.QGraphicsObject):
    """The single painted item: lanes, phases, events, demands and labels."""

    def __init__(self, surface, viewbox: pg.ViewBox, chart: ChartPainter, drag: Callable):
        super().__init__()
        self.view, self.doc = surface.view, surface.doc
        self.viewbox = viewbox  # its range is what the layer shows
        self.chart = chart
        self.drag = drag  # () -> the gesture in progress (widgets/gestures.py), or None
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.last_paint_ms = 0.0
        self.paints = 0  # how many times it has painted, for tests and benchmarks
        self.hint_rect: QtCore.QRectF | None = None  # where the last frame put the hint
        self.legend_rect: QtCore.QRectF | None = None  # and the legend

    def boundingRect(self) -> QtCore.QRectF:
        # Everything the view can show: panning must never leave unpainted space.
        return QtCore.QRectF(-1e11, -1e7, 4e11, 2e8)

    def viewport(self, transform: QtGui.QTransform) -> Viewport:
        (t0, t1), (y0, y1) = self.viewbox.viewRange()
        a = transform.map(QtCore.QPointF(t0, y0))
        b = transform.map(QtCore.QPointF(t1, y1))
        return Viewport(t0, t1, a.x(), b.x(), a.y(), b.y(), y0)

    def paint_options(self) -> PaintOptions:
        drag = self.drag()
        self.view.ghosts = drag.ghosts if drag is not None else []
        return self.view.paint_options(self.doc.selection)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        with collection_paused():  # collected between frames, not in the middle of one
            self._paint(painter, option)

    def _paint(self, painter: QtGui.QPainter, option) -> None:
        started = time.perf_counter()
        vp = self.viewport(painter.transform())
        painter.save()
        painter.resetTransform()
        view, chart = self.view, self.chart
        layout = view.layout
        window = None
        if not layout.lanes:
            painter.fillRect(
                QtCore.QRectF(vp.left, vp.top, vp.right - vp.left, vp.bottom - vp.top),
                QtGui.QColor(chart.theme.background),
            )
        else:
            exposed = option.exposedRect
            if not exposed.contains(self.viewbox.viewRect()):
                window = (exposed.left(), exposed.right(), exposed.top(), exposed.bottom())
            chart.paint(painter, layout, vp, self.paint_options(), window)
        below_lanes = vp.y(view.chart_height) + 10
        self.hint_rect = None
        if not self.doc.project.events:
            self.hint_rect = self.paint_empty_state(painter, vp)
            if self.doc.project.actors:
                below_lanes = max(below_lanes, self.hint_rect.bottom() + 10)  # under the hint
        room = vp.right - vp.left - 20
        size = chart.legend_size(room)
        # Docked below the last lane, scrolling with the lanes: it never covers one.
        legend = QtCore.QRectF(QtCore.QPointF(vp.left + 10, below_lanes), size)
        repainted = window is None or legend.intersects(
            QtCore.QRectF(
                QtCore.QPointF(vp.x(window[0]), vp.y(window[2])),
                QtCore.QPointF(vp.x(window[1]), vp.y(window[3])),
            )
        )
        if view.show_legend and layout.lanes and repainted and legend.top() < vp.bottom:
            legend = self.legend_rect = chart.paint_legend(painter, legend.topLeft(), room)
        if view.show_numbers and layout.lanes and repainted:
            below = legend.bottom() + 6 if view.show_legend else below_lanes
            chart.paint_demand_list(painter, layout, QtCore.QPointF(vp.left + 10, below), room)
        drag = self.drag()
        if drag is not None:
            drag.paint(painter, vp, chart.theme)
        painter.restore()
        self.last_paint_ms = (time.perf_counter() - started) * 1000
        self.paints += 1

    def paint_empty_state(self, p: QtGui.QPainter, vp: Viewport) -> QtCore.QRectF:
        """What to do first, in an empty project; returns where the words went."""
        theme = self.chart.theme
        if self.view.reading:  # not an empty project: one on its way
            lines = [f"Reading {self.view.reading}…", ""]
        elif not self.doc.project.actors:
            lines = [
                "This project has no actors yet.",
                "Insert ▸ Actor (Ctrl+Shift+A) adds a lane for each party.",
            ]
        else:
            lines = [
                "No events yet.",
                "Double-click a lane to add an event there; Ctrl+drag between lanes adds a demand.",
            ]
        font = QtGui.QFont(self.chart.font)
        font.setPointSizeF(font.pointSizeF() + 3)
        p.setFont(font)
        p.setPen(QtGui.QColor(theme.muted))
        top = (
            max(vp.top + 40, vp.y(self.view.chart_height) + 30)
            if self.doc.project.actors and not self.view.reading
            else (vp.top + vp.bottom) / 2 - 30
        )
        rect = QtCore.QRectF(vp.left + 10, top, vp.right - vp.left - 20, 90)
        return p.drawText(
            rect,
            QtCore.Qt.AlignmentFlag.AlignHCenter
            | QtCore.Qt.AlignmentFlag.AlignTop
            | QtCore.Qt.TextFlag.TextWordWrap,  # a narrow chart wraps it, never cuts it
            "\n".join(lines),
        )


class TimelineViewBox(pg.ViewBox):
    """Routes the wheel, clicks and hovering to a pointer (widgets/pointer.py) and drags to
    a handler (`route_to`); time zooms, lanes scroll."""

    def __init__(self):
        super().__init__(enableMenu=False)
        self.pointer = None  # widgets.pointer.Pointer, once the canvas has built it
        self.dragged: Callable | None = None  # (pyqtgraph's drag event) -> None
        self.setMouseEnabled(x=True, y=False)
        self.invertY(True)
        self.setAcceptHoverEvents(True)

    def updateViewRange(self, forceX=False, forceY=False):
        super().updateViewRange(forceX, forceY)
        # pyqtgraph moves the items to the new range when the next paint begins: moved
        # there, they are marked for painting mid-paint, and every pan, zoom and resize
        # painted the chart twice. Moved now, the one paint to come shows them.
        self.updateMatrix()

    def route_to(self, pointer, dragged: Callable) -> None:
        """The pointer is built on the view box (its lines live in it), so it comes later."""
        self.pointer, self.dragged = pointer, dragged

    def wheelEvent(self, ev, axis=None):
        self.pointer.wheel(ev.delta(), ev.modifiers(), self.mapToView(ev.pos()))
        ev.accept()

    def mouseClickEvent(self, ev):
        self.pointer.click(ev)

    def mouseDragEvent(self, ev, axis=None):
        self.dragged(ev)

    def hoverEvent(self, ev):
        if ev.isExit():
            self.pointer.hover(None, None)
        else:  # no screen position in a drag: no tooltip over what is being dragged
            self.pointer.hover(self.mapToView(ev.pos()), None if ev.buttons() else ev.screenPos())


class TimeAxis(pg.AxisItem):
    """Date ticks from app/axis.py, as in exports: one level, labels that never meet, the
    year on the first tick and at each new year. `ticks_of` may count days instead
    (`axis.day_ticks`, while two charts are compared)."""

    def __init__(self, orientation: str):
        super().__init__(orientation)
        self.labels: dict[float, str] = {}
        self.ticks_of = axis.ticks  # (t0, t1, width px) -> [(time, label)]
        self.covered: tuple[float, float] | None = None  # see `cover`

    def cover(self, span: tuple[float, float] | None) -> None:
        """Leave out the ticks' words that meet `span` (x from and to, in the axis's own
        coordinates), where the cursor's date is written: the part of a word left beside
        it ("ct" of "30 Oct") read as part of the date. None: every word again."""
        if span != self.covered:
            self.covered = span
            self.picture = None
            self.update()

    def generateDrawSpecs(self, p):
        specs = super().generateDrawSpecs(p)
        if specs is None or self.covered is None:
            return specs
        line, ticks, words = specs
        left, right = self.covered
        return line, ticks, [w for w in words if w[0].right() < left or w[0].left() > right]

    def count_days_from(self, origin: float | None) -> None:
        """Label the axis "day −12", "day 0", "day +40" from `origin`; None: dates again."""
        self.ticks_of = axis.ticks if origin is None else axis.day_ticks(origin)
        self.picture = None  # pyqtgraph's cached drawing of the ticks
        self.update()

    def tickValues(self, minVal, maxVal, size):
        found = self.ticks_of(minVal, maxVal, size)
        self.labels = dict(found)
        return [(1.0, [t for t, _ in found])]

    def tickStrings(self, values, scale, spacing):
        return [self.labels.get(v, "") for v in values]


class ChartPlot(pg.GraphicsView):
    """The view box between its two date axes, and nothing else: what the chart used of
    pyqtgraph's PlotWidget, whose PlotItem also makes a settings form and its menus, a
    title, a button and two more axes (hidden here), half the cost of making a canvas and
    of deleting it."""

    def __init__(self, viewbox: pg.ViewBox):
        super().__init__()
        self.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Expanding
        )
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        self.viewbox = viewbox
        self.axes = {"top": TimeAxis(orientation="top"), "bottom": TimeAxis(orientation="bottom")}
        frame = pg.GraphicsWidget()
        grid = QtWidgets.QGraphicsGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(0)
        frame.setLayout(grid)
        for row, item in enumerate((self.axes["top"], viewbox, self.axes["bottom"])):
            grid.addItem(item, row, 0)
            grid.setRowStretchFactor(row, 100 if item is viewbox else 1)
        for axis_item in self.axes.values():
            axis_item.linkToView(viewbox)
            axis_item.setZValue(0.5)  # as in a PlotItem: over the view box's edge
        self.setCentralItem(frame)

    def getViewBox(self) -> pg.ViewBox:
        return self.viewbox

    def getAxis(self, name: str) -> TimeAxis:
        return self.axes[name]


def make_plot(viewbox: pg.ViewBox) -> ChartPlot:
    """The plot around the view box: date axes above and below, nothing else."""
    return ChartPlot(viewbox)
