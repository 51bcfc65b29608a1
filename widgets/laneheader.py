"""The column of lane names left of the plot. Drag a name to move its lane (with its
nested lanes) where the drop line is, in or out of its parent; click ▾ or ▸ to collapse
or expand; drag the right edge to widen the column (the window remembers it);
right-click for more.

It works on the canvas's `Surface` (widgets/gestures.py), is given the plot and its view
box (to line its rows up with the lanes), the painter and what to call when its width
changes; it never reads the canvas."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app.chart import ChartPainter, Viewport, hittest
from app.chart.metrics import HEADER_WIDTH
from app.editing import edits
from widgets import canvasmenus
from widgets.gestures import Surface

EDGE_GRIP = 5  # px at the right edge that resize the column
MIN_WIDTH, MAX_WIDTH = 120, 480


class LaneHeader(QtWidgets.QWidget):
    def __init__(
        self,
        surface: Surface,
        plot: pg.GraphicsView,  # widgets/chartlayer.py: ChartPlot
        chart: ChartPainter,
        resized: Callable[[int], None],
    ):
        super().__init__(surface.widget)  # beside the plot, in the same widget
        self.surface = surface  # the view, document and edits (widgets/gestures.py)
        self.view, self.doc = surface.view, surface.doc
        self.plot, self.viewbox = plot, plot.getViewBox()  # where the lanes are drawn
        self.chart = chart  # paints the names, in its theme
        self.resized = resized  # (width in px) -> None, as the right edge is dragged
        self.setFixedWidth(int(HEADER_WIDTH))
        self.setMouseTracking(True)
        self._press: tuple[int, float] | None = None
        self._drop_at: int | None = None
        self._resizing = False  # dragging the right edge

    def on_edge(self, x: float) -> bool:
        return x >= self.width() - EDGE_GRIP

    def viewport(self) -> Viewport:
        vb, beside = self.viewbox, self.parentWidget()  # the plot's and this header's parent
        rect = vb.mapRectToScene(vb.boundingRect())
        in_plot = self.plot.mapFromScene(rect.topLeft())
        top_left = self.mapFrom(beside, self.plot.mapTo(beside, in_plot))
        (t0, t1), (y0, y1) = vb.viewRange()
        return Viewport(t0, t1, 0, self.width(), top_left.y(), top_left.y() + rect.height(), y0)

    def lane_index_at(self, y: float) -> int | None:
        return self.view.layout.lane_at(self.viewport().layout_y(y))

    def paintEvent(self, event):
        p = QtGui.QPainter(self)
        theme = self.chart.theme
        p.fillRect(self.rect(), QtGui.QColor(theme.background))
        vp = self.viewport()
        p.setClipRect(QtCore.QRectF(0, vp.top, self.width(), vp.bottom - vp.top))
        layout = self.view.layout
        self.chart.paint_headers(p, layout, vp, self.width())
        if self._drop_at is not None:
            at = self._drop_at
            y = vp.y(layout.lanes[at].top if at < len(layout.lanes) else layout.height)
            p.setPen(QtGui.QPen(QtGui.QColor(theme.selection), 3))
            p.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(self.width(), y))
        p.setPen(QtGui.QPen(QtGui.QColor(theme.separator), 1))
        p.drawLine(self.width() - 1, 0, self.width() - 1, self.height())

    def mousePressEvent(self, ev):
        if ev.button() == QtCore.Qt.MouseButton.LeftButton and self.on_edge(ev.position().x()):
            self._resizing = True
            return
        i = self.lane_index_at(ev.position().y())
        if ev.button() != QtCore.Qt.MouseButton.LeftButton or i is None:
            return
        layout = self.view.layout
        if hittest.header_part(layout, i, ev.position().x()) == "toggle":
            self.surface.apply(edits.toggle_collapsed(self.doc, layout.lanes[i].actor.id))
            return
        self.doc.select([layout.lanes[i].actor.id])
        self._press = (i, ev.position().y())

    def mouseMoveEvent(self, ev):
        if self._resizing:
            width = int(min(max(ev.position().x(), MIN_WIDTH), MAX_WIDTH))
            self.setFixedWidth(width)
            self.resized(width)
            return
        if self._press is None:
            edge = self.on_edge(ev.position().x())
            self.setCursor(QtCore.Qt.CursorShape.SplitHCursor) if edge else self.unsetCursor()
        layout = self.view.layout
        i = self.lane_index_at(ev.position().y())
        if i is not None:
            self.setToolTip(layout.lanes[i].actor.name)
        if self._press is None:
            return
        if abs(ev.position().y() - self._press[1]) < QtWidgets.QApplication.startDragDistance():
            return
        y = self.viewport().layout_y(ev.position().y())
        self._drop_at = next(
            (k for k, lane in enumerate(layout.lanes) if y < lane.centre), len(layout.lanes)
        )
        self.setCursor(QtCore.Qt.CursorShape.ClosedHandCursor)
        self.update()

    def mouseReleaseEvent(self, ev):
        if self._resizing:
            self._resizing = False
            return
        press, drop = self._press, self._drop_at
        self._press, self._drop_at = None, None
        self.unsetCursor()
        self.update()
        if press is None or drop is None:
            return
        shown = [lane.actor.id for lane in self.view.layout.lanes]
        try:  # where the line was drawn, in or out of its parent
            cmd = edits.drop_lane(self.doc, shown[press[0]], shown, drop)
        except edits.RefusedEdit as exc:
            self.surface.say(str(exc))
            return
        self.surface.apply(cmd)

    def contextMenuEvent(self, ev):
        i = self.lane_index_at(ev.pos().y())
        if i is not None:
            actor_id = self.view.layout.lanes[i].actor.id
            canvasmenus.lane_menu(self.surface, actor_id, ev.globalPos())
