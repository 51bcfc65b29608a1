"""The timeline canvas: a pyqtgraph ViewBox with date axes, one painted layer, and a
lane header column. Every edit made with the mouse or keyboard is a command.
"""

from __future__ import annotations

import gc
import time

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app import commands as c
from app import describe, edits, hittest
from app.chart import ChartPainter, PaintOptions, Viewport
from app.document import Document
from app.layout import DAY, Timeline, snap_unit
from app.model import Demand, Event
from app.theme import LIGHT, Theme
from app.when import parse, point_at
from widgets import canvasmenus, gestures
from widgets.laneheader import LaneHeader

PAD_FRACTION = 0.04

MIN_ROW_HEIGHT, MAX_ROW_HEIGHT = 14.0, 60.0  # px: the vertical zoom's bounds


class TimelineLayer(QtWidgets.QGraphicsObject):
    """The single painted item: lanes, phases, events, demands and labels."""

    def __init__(self, canvas: TimelineCanvas):
        super().__init__()
        self.canvas = canvas
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.last_paint_ms = 0.0
        self.paints = 0  # how many times it has painted, for tests and benchmarks

    def boundingRect(self) -> QtCore.QRectF:
        # Everything the view can show: panning must never leave unpainted space.
        return QtCore.QRectF(-1e11, -1e7, 4e11, 2e8)

    def viewport(self, transform: QtGui.QTransform) -> Viewport:
        (t0, t1), (y0, y1) = self.canvas.viewbox.viewRange()
        a = transform.map(QtCore.QPointF(t0, y0))
        b = transform.map(QtCore.QPointF(t1, y1))
        return Viewport(t0, t1, a.x(), b.x(), a.y(), b.y(), y0)

    def paint(self, painter: QtGui.QPainter, option, widget=None) -> None:
        # A frame allocates thousands of small Qt objects; a cyclic collection in the
        # middle of it costs more than the frame. Collect between frames instead.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._paint(painter, option)
        finally:
            if collecting:
                gc.enable()

    def _paint(self, painter: QtGui.QPainter, option) -> None:
        started = time.perf_counter()
        vp = self.viewport(painter.transform())
        painter.save()
        painter.resetTransform()
        canvas = self.canvas
        layout = canvas.timeline.layout
        window = None
        if not layout.lanes:
            painter.fillRect(
                QtCore.QRectF(vp.left, vp.top, vp.right - vp.left, vp.bottom - vp.top),
                QtGui.QColor(canvas.chart.theme.background),
            )
        else:
            exposed = option.exposedRect
            if not exposed.contains(self.canvas.viewbox.viewRect()):
                window = (exposed.left(), exposed.right(), exposed.top(), exposed.bottom())
            canvas.chart.paint(painter, layout, vp, canvas.paint_options(), window)
        if not canvas.doc.project.events:
            self.paint_empty_state(painter, vp)
        room = vp.right - vp.left - 20
        size = canvas.chart.legend_size(room)
        legend = QtCore.QRectF(
            QtCore.QPointF(vp.right - size.width() - 10, vp.bottom - size.height() - 10), size
        )
        repainted = window is None or legend.intersects(
            QtCore.QRectF(
                QtCore.QPointF(vp.x(window[0]), vp.y(window[2])),
                QtCore.QPointF(vp.x(window[1]), vp.y(window[3])),
            )
        )
        if (
            canvas.show_legend
            and layout.lanes
            and repainted
            and size.width() <= room
            and size.height() <= (vp.bottom - vp.top) / 3
        ):
            canvas.chart.paint_legend(painter, legend.topLeft(), room)
        if canvas.drag is not None:
            canvas.drag.paint(painter, vp)
        painter.restore()
        self.last_paint_ms = (time.perf_counter() - started) * 1000
        self.paints += 1

    def paint_empty_state(self, p: QtGui.QPainter, vp: Viewport) -> None:
        canvas = self.canvas
        theme = canvas.chart.theme
        if not canvas.doc.project.actors:
            lines = [
                "This project has no actors yet.",
                "Insert ▸ Actor (Ctrl+Shift+A) adds a lane for each party.",
            ]
        else:
            lines = [
                "No events yet.",
                "Double-click a lane to add an event there; Ctrl+drag between lanes adds a demand.",
            ]
        font = QtGui.QFont(canvas.chart.font)
        font.setPointSizeF(font.pointSizeF() + 3)
        p.setFont(font)
        p.setPen(QtGui.QColor(theme.muted))
        top = (
            max(vp.top + 40, vp.y(canvas.timeline.layout.height) + 30)
            if canvas.doc.project.actors
            else (vp.top + vp.bottom) / 2 - 30
        )
        rect = QtCore.QRectF(vp.left, top, vp.right - vp.left, 60)
        p.drawText(
            rect,
            QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignTop,
            "\n".join(lines),
        )


class TimelineViewBox(pg.ViewBox):
    """Routes mouse gestures to the canvas; time zooms, lanes scroll."""

    def __init__(self, canvas: TimelineCanvas):
        super().__init__(enableMenu=False)
        self.canvas = canvas
        self.setMouseEnabled(x=True, y=False)
        self.invertY(True)
        self.setAcceptHoverEvents(True)

    def wheelEvent(self, ev, axis=None):
        self.canvas.wheel(ev.delta(), ev.modifiers(), self.mapToView(ev.pos()))
        ev.accept()

    def mouseClickEvent(self, ev):
        self.canvas.click(ev)

    def mouseDragEvent(self, ev, axis=None):
        self.canvas.drag_event(ev)

    def hoverEvent(self, ev):
        if ev.isExit():
            self.canvas.set_hover(None, None)
        else:
            self.canvas.set_hover(self.mapToView(ev.pos()), ev.screenPos())


class TimelineCanvas(QtWidgets.QWidget):
    """The chart that a person looks at and edits with the mouse."""

    cursorTimeChanged = QtCore.Signal(float)  # the time under the mouse
    zoomChanged = QtCore.Signal(str)  # the snap unit's name
    rowHeightChanged = QtCore.Signal(float)  # px per sub-row of a lane
    editRequested = QtCore.Signal(str)  # open this record in the inspector
    message = QtCore.Signal(str)  # a short note for the status bar
    refused = QtCore.Signal(str)  # an edit the model refused, and why

    def __init__(self, doc: Document, theme: Theme = LIGHT, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.chart = ChartPainter(theme, self.font())
        self.show_demands = True
        self.show_phases = True
        self.show_legend = True
        self.show_cursor = True
        self.filtered: frozenset | None = None
        self.hover_id: str | None = None
        self.drag: gestures.Gesture | None = None

        self.viewbox = TimelineViewBox(self)
        axes = {
            "bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0),
            "top": pg.DateAxisItem(orientation="top", utcOffset=0),
        }
        self.plot = pg.PlotWidget(viewBox=self.viewbox, axisItems=axes)
        self.plot.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        item = self.plot.getPlotItem()
        item.hideAxis("left")
        item.showAxis("top")
        item.hideButtons()
        item.setMenuEnabled(False)
        item.layout.setContentsMargins(0, 0, 0, 0)
        self.layer = TimelineLayer(self)
        self.viewbox.addItem(self.layer, ignoreBounds=True)
        self.today_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen("#e8590c", width=1.5, style=QtCore.Qt.PenStyle.DashLine),
        )
        self.today_line.setZValue(10)
        self.viewbox.addItem(self.today_line, ignoreBounds=True)
        self.cursor_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen((120, 120, 120, 160), width=1)
        )
        self.cursor_line.setZValue(11)
        self.viewbox.addItem(self.cursor_line, ignoreBounds=True)
        self.cursor_label = pg.TextItem(anchor=(0, 0))
        self.cursor_label.setZValue(12)
        self.viewbox.addItem(self.cursor_label, ignoreBounds=True)
        for decoration in (self.today_line, self.cursor_line, self.cursor_label):
            decoration.setAcceptedMouseButtons(QtCore.Qt.MouseButton.NoButton)
            decoration.setAcceptHoverEvents(False)
        self.header = LaneHeader(self)
        self.scroll = QtWidgets.QScrollBar(QtCore.Qt.Orientation.Vertical)
        self.scroll.valueChanged.connect(self._scrolled)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.header)
        row.addWidget(self.plot, 1)
        row.addWidget(self.scroll)
        self.viewbox.sigRangeChanged.connect(self._range_changed)
        self.viewbox.sigResized.connect(self._resized)

        self.doc = doc
        self.timeline = Timeline(doc.project)
        settle_heap()
        self._connect(doc)
        self.apply_theme(theme)
        self.fit_all()

    # ------------------------------------------------------------ document

    def _connect(self, doc: Document) -> None:
        doc.eventsChanged.connect(self._events_changed)
        doc.actorsChanged.connect(self._lanes_changed)
        doc.demandsChanged.connect(self._demands_changed)
        doc.phasesChanged.connect(self._lanes_changed)  # the titles' strip may come or go
        doc.selectionChanged.connect(self.refresh)
        doc.projectReplaced.connect(self._project_replaced)

    def _events_changed(self, ids: list[str]) -> None:
        self.chart.forget_labels(ids)
        before = self.timeline.layout
        old = [self.timeline.event(i) for i in ids]
        new = [self.doc.get("events", i) for i in ids]
        self.timeline.events_changed(new, ids)
        window = None
        if not self.drag and len(ids) <= 20:
            window = self.chart.edit_window(
                before,
                self.timeline.layout,
                [e for e in (*old, *new) if e is not None],
                self.seconds_per_pixel,
            )
        if window is None:
            self._after_layout()
        else:
            t0, t1, y0, y1 = window
            self.layer.update(QtCore.QRectF(t0, y0, t1 - t0, y1 - y0))

    def _lanes_changed(self, _ids=None) -> None:
        self.timeline.reset()
        self._after_layout()

    def _demands_changed(self, _ids=None) -> None:
        self.timeline.demands_changed()
        self.refresh()

    def _project_replaced(self) -> None:
        self.timeline = Timeline(self.doc.project, self.timeline.row_height)
        settle_heap()
        self.chart.forget_labels()
        self._after_layout()
        self.fit_all()

    def _after_layout(self) -> None:
        self._update_scroll()
        self.refresh()

    def refresh(self) -> None:
        self.layer.update()
        self.header.update()

    def paint_options(self) -> PaintOptions:
        ghosts = self.drag.ghosts if self.drag is not None else []
        return PaintOptions(
            selection=self.doc.selection,
            hover=self.hover_id,
            show_demands=self.show_demands,
            show_phases=self.show_phases,
            ghosts=ghosts,
            dimmed=frozenset(g.event.id for g in ghosts),
            filtered=self.filtered,
        )

    def apply_theme(self, theme: Theme) -> None:
        self.chart.set_theme(theme)
        self.plot.setBackground(theme.background)
        for name in ("top", "bottom"):
            axis = self.plot.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(theme.separator))
            axis.setTextPen(pg.mkPen(theme.text))
        self.cursor_label.setColor(theme.muted)
        self.refresh()

    def set_filter(self, ids: frozenset | None) -> None:
        self.filtered = ids
        self.refresh()

    # ------------------------------------------------------------ view

    @property
    def seconds_per_pixel(self) -> float:
        (t0, t1), _ = self.viewbox.viewRange()
        return (t1 - t0) / max(self.viewbox.width(), 1.0)

    def fit_all(self) -> None:
        layout = self.timeline.layout
        span = max(layout.t_max - layout.t_min, DAY)
        pad = span * PAD_FRACTION + DAY / 2
        self.set_time_range(layout.t_min - pad, layout.t_max + pad)
        self.scroll.setValue(0)

    def set_time_range(self, t0: float, t1: float) -> None:
        self.viewbox.setXRange(t0, t1, padding=0)
        self._pin_y()

    def zoom(self, factor: float, centre: float | None = None) -> None:
        (t0, t1), _ = self.viewbox.viewRange()
        centre = (t0 + t1) / 2 if centre is None else centre
        span = min(max((t1 - t0) * factor, 600.0), 400 * 365 * DAY)
        ratio = (centre - t0) / (t1 - t0)
        self.set_time_range(centre - ratio * span, centre - ratio * span + span)

    def scroll_to(self, record_id: str) -> None:
        """Bring an event or demand into view, keeping the zoom."""
        layout = self.timeline.layout
        kind = self.doc.kind_of(record_id)
        if kind == "events":
            e = self.doc.get("events", record_id)
            lane = layout.lane_of_actor.get(e.actor)
            t = e.when.lo if e.when.lo is not None else e.when.hi
        elif kind == "demands":
            d = self.doc.get("demands", record_id)
            lane = layout.lane_of_actor.get(d.from_)
            t = d.raised.lo
        else:
            return
        if t is None:
            return
        (t0, t1), (y0, y1) = self.viewbox.viewRange()
        if not t0 <= t <= t1:
            span = t1 - t0
            self.set_time_range(t - span / 2, t + span / 2)
        if lane is not None:
            top, bottom = layout.lanes[lane].top, layout.lanes[lane].bottom
            if top < y0 or bottom > y1:
                self.scroll.setValue(int(max(0, top - 20)))

    def _pin_y(self) -> None:
        """Keep one layout pixel per screen pixel vertically; the scroll bar chooses the offset."""
        height = max(self.viewbox.height(), 1.0)
        y0 = float(self.scroll.value())
        self.viewbox.setYRange(y0, y0 + height, padding=0, update=True)

    def _update_scroll(self) -> None:
        height = max(int(self.viewbox.height()), 1)
        total = int(self.timeline.layout.height) + 40
        self.scroll.setPageStep(height)
        self.scroll.setSingleStep(int(self.timeline.row_height))
        self.scroll.setRange(0, max(0, total - height))
        self.scroll.setVisible(total > height)
        self._pin_y()

    def _scrolled(self, _value: int) -> None:
        self._pin_y()
        self.header.update()

    def _resized(self) -> None:
        self._update_scroll()

    def _range_changed(self, *_):
        _, (y0, y1) = self.viewbox.viewRange()
        if abs((y1 - y0) - self.viewbox.height()) > 0.5 or abs(y0 - self.scroll.value()) > 0.5:
            QtCore.QTimer.singleShot(0, self._pin_y)
        now = time.time()
        (t0, t1), _ = self.viewbox.viewRange()
        self.today_line.setVisible(t0 <= now <= t1)
        self.today_line.setValue(now)
        self.zoomChanged.emit(self.snap_name())
        self.header.update()

    def snap_name(self) -> str:
        unit = snap_unit(self.seconds_per_pixel)
        return {3600.0: "hour", DAY: "day"}.get(unit, "month")

    def set_row_height(self, height: float) -> None:
        """The vertical zoom: how tall each sub-row of a lane is, within readable bounds."""
        height = float(min(max(height, MIN_ROW_HEIGHT), MAX_ROW_HEIGHT))
        if height == self.timeline.row_height:
            return
        self.timeline.set_row_height(height)
        self._after_layout()
        self.rowHeightChanged.emit(height)

    def wheel(self, delta: int, modifiers, at: QtCore.QPointF) -> None:
        factor = 1.2 ** (-delta / 120)
        if modifiers & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.set_row_height(self.timeline.row_height / factor)
        elif modifiers & (
            QtCore.Qt.KeyboardModifier.ShiftModifier | QtCore.Qt.KeyboardModifier.AltModifier
        ):
            self.scroll.setValue(
                self.scroll.value() - int(delta / 120 * 3 * self.timeline.row_height)
            )
        else:
            self.zoom(factor, at.x())

    # ------------------------------------------------------------ hit-testing

    def event_at(self, pos: QtCore.QPointF) -> Event | None:
        return hittest.event_at(self.timeline.layout, pos.x(), pos.y(), self.seconds_per_pixel)

    def demand_at(self, pos: QtCore.QPointF) -> tuple[Demand, str] | None:
        return hittest.demand_at(self.timeline.layout, pos.x(), pos.y(), self.seconds_per_pixel)

    def lane_actor_at(self, y: float) -> str | None:
        i = self.timeline.layout.lane_at(y)
        return None if i is None else self.timeline.layout.lanes[i].actor.id

    # ------------------------------------------------------------ mouse

    def click(self, ev) -> None:
        pos = self.viewbox.mapToView(ev.pos())
        ctrl = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier)
        ev.accept()
        self.setFocus()
        hit = self.event_at(pos)
        hit_id = hit.id if hit else None
        if hit is None:
            found = self.demand_at(pos)
            hit_id = found[0].id if found else None
        if ev.button() == QtCore.Qt.MouseButton.RightButton:
            if hit_id:
                if hit_id not in self.doc.selection:
                    self.doc.select([hit_id])
                canvasmenus.item_menu(self, hit_id, ev.screenPos().toPoint())
            return
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        if ev.double():
            if hit_id:
                self.editRequested.emit(hit_id)
            else:
                self.create_event_at(pos)
            return
        if ctrl and hit_id:
            self.doc.select(self.doc.selection ^ {hit_id})
        elif hit_id:
            self.doc.select([hit_id])
        elif not ctrl:
            self.doc.select([])

    def drag_event(self, ev) -> None:
        ev.accept()
        pos = self.viewbox.mapToView(ev.pos())
        if ev.isStart():
            down = self.viewbox.mapToView(ev.buttonDownPos())
            self.drag = gestures.begin(self, down.x(), down.y(), ev.button(), ev.modifiers())
        drag = self.drag
        if drag is None:
            return
        if isinstance(drag, gestures.Pan):
            last = self.viewbox.mapToView(ev.lastPos())
            self.viewbox.translateBy(x=last.x() - pos.x())
            self.scroll.setValue(int(self.scroll.value() + (ev.lastPos().y() - ev.pos().y())))
            if ev.isFinish():
                self.drag = None
            return
        free = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.AltModifier)
        if ev.isFinish():
            self.drag = None
            drag.finish(pos.x(), pos.y(), free)
        else:
            drag.update(pos.x(), pos.y(), free)
        self.refresh()

    def apply(self, cmd, select: list[str] | None = None, edit: str | None = None) -> None:
        """Push an edit (None: nothing to do); then select and open records if asked.
        An edit the model refuses is said in the status bar."""
        try:
            if cmd is not None:
                self.doc.undo_stack.push(cmd)
        except c.RefusedEdit as exc:
            self.refused.emit(str(exc))
            return
        if select is not None:
            self.doc.select(select)
        if edit is not None:
            self.editRequested.emit(edit)

    def set_hover(self, pos: QtCore.QPointF | None, screen_pos) -> None:
        if pos is None:
            self.cursor_line.setVisible(False)
            self.cursor_label.setVisible(False)
            if self.hover_id:
                self.hover_id = None
                self.refresh()
            return
        self.cursorTimeChanged.emit(pos.x())
        self.cursor_line.setVisible(self.show_cursor)
        self.cursor_line.setValue(pos.x())
        self.cursor_label.setVisible(self.show_cursor)
        self.cursor_label.setText(
            point_at(pos.x(), "day" if self.snap_name() != "hour" else "minute").describe()
        )
        _, (y0, _y1) = self.viewbox.viewRange()
        self.cursor_label.setPos(pos.x(), y0)
        hit = self.event_at(pos)
        demand = None if hit else self.demand_at(pos)
        hover = hit.id if hit else (demand[0].id if demand else None)
        if hover != self.hover_id:
            self.hover_id = hover
            self.refresh()
        tip = self.tooltip(hover) if hover else ""
        if tip and screen_pos is not None:
            QtWidgets.QToolTip.showText(screen_pos.toPoint(), tip, self.plot)
        elif not tip:
            QtWidgets.QToolTip.hideText()
        if hit is not None:
            self.plot.viewport().setCursor(
                QtCore.Qt.CursorShape.SizeHorCursor
                if hittest.edge_at(hit, pos.x(), self.seconds_per_pixel)
                else QtCore.Qt.CursorShape.OpenHandCursor
            )
        else:
            self.plot.viewport().unsetCursor()

    def tooltip(self, record_id: str) -> str:
        return describe.tooltip(self.doc, record_id)

    # ------------------------------------------------------------ creating and editing

    def create_event_at(self, pos: QtCore.QPointF) -> None:
        actor = self.lane_actor_at(pos.y())
        if actor is None:
            self.message.emit("Double-click inside a lane to add an event there")
            return
        precision = "minute" if self.snap_name() == "hour" else "day"
        e = edits.add_event_at(self.doc, actor, parse(point_at(pos.x(), precision).text()))
        self.apply(edits.add(self.doc, "events", e), select=[e.id], edit=e.id)

    def nudge(self, steps: int) -> None:
        ids = [i for i in self.doc.selection if self.doc.kind_of(i) == "events"]
        self.apply(edits.shift_events(self.doc, ids, steps * snap_unit(self.seconds_per_pixel)))

    def delete_selection(self) -> None:
        try:
            cmd = edits.delete(self.doc, self.doc.selection)
        except c.RefusedEdit as exc:
            self.refused.emit(str(exc))
            return
        self.apply(cmd)

    def duplicate_selection(self) -> None:
        cmd, new_ids = edits.duplicate(self.doc, self.doc.selection)
        self.apply(cmd, select=new_ids if new_ids else None)

    def edit_selection(self) -> None:
        if self.doc.selection:
            self.editRequested.emit(sorted(self.doc.selection)[0])


def settle_heap() -> None:
    """After a project is loaded, move what exists to the collector's permanent generation:
    the records live as long as the document, and rescanning them on every collection made
    frames at 10,000 events a third slower. Freed records still go by reference counting."""
    gc.collect()
    gc.freeze()
