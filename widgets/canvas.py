"""The timeline canvas: a pyqtgraph ViewBox with date axes, one painted layer, and a
lane header column. Every edit made with the mouse or keyboard is a command.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field, replace

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app import commands as c
from app.chart import MARK, ChartPainter, Ghost, PaintOptions, Viewport
from app.document import Document
from app.layout import DAY, Timeline, snap_unit
from app.model import Demand, Event
from app.theme import LIGHT, STATUS_GLYPHS, Theme
from app.when import WhenError, parse, point_at

HEADER_WIDTH = 200
PAD_FRACTION = 0.04

MIN_ROW_HEIGHT, MAX_ROW_HEIGHT = 14.0, 60.0  # px: the vertical zoom's bounds


@dataclass
class Drag:
    """What a mouse drag on the plot is doing."""

    kind: str  # move | resize | demand | demand-head | band | new-demand | pan
    start_t: float
    start_y: float
    ids: list[str] = field(default_factory=list)
    edge: str = ""
    one_lane: bool = True  # all dragged events share a lane, so they may change lane together
    current_t: float = 0.0
    current_y: float = 0.0


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
            canvas.paint_empty_state(painter, vp)
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
        if canvas.drag and canvas.drag.kind in ("band", "new-demand"):
            canvas.paint_drag_feedback(painter, vp)
        painter.restore()
        self.last_paint_ms = (time.perf_counter() - started) * 1000
        self.paints += 1


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


class LaneHeader(QtWidgets.QWidget):
    """Lane names at the left. Drag a name to reorder; right-click for more."""

    def __init__(self, canvas: TimelineCanvas):
        super().__init__(canvas)
        self.canvas = canvas
        self.setFixedWidth(HEADER_WIDTH)
        self.setMouseTracking(True)
        self._press: tuple[int, float] | None = None
        self._drop_at: int | None = None
        self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.DefaultContextMenu)

    def viewport(self) -> Viewport:
        vb = self.canvas.viewbox
        rect = vb.mapRectToScene(vb.boundingRect())
        in_plot = self.canvas.plot.mapFromScene(rect.topLeft())
        top_left = self.mapFrom(self.canvas, self.canvas.plot.mapTo(self.canvas, in_plot))
        (t0, t1), (y0, y1) = vb.viewRange()
        return Viewport(t0, t1, 0, self.width(), top_left.y(), top_left.y() + rect.height(), y0)

    def lane_index_at(self, y: float) -> int | None:
        vp = self.viewport()
        return self.canvas.timeline.layout.lane_at(vp.layout_y(y))

    def paintEvent(self, event):
        p = QtGui.QPainter(self)
        theme = self.canvas.chart.theme
        p.fillRect(self.rect(), QtGui.QColor(theme.background))
        vp = self.viewport()
        p.setClipRect(QtCore.QRectF(0, vp.top, self.width(), vp.bottom - vp.top))
        self.canvas.chart.paint_headers(p, self.canvas.timeline.layout, vp, self.width())
        if self._drop_at is not None:
            layout = self.canvas.timeline.layout
            y = vp.y(
                layout.lanes[self._drop_at].top
                if self._drop_at < len(layout.lanes)
                else layout.height
            )
            p.setPen(QtGui.QPen(QtGui.QColor(theme.selection), 3))
            p.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(self.width(), y))
        p.setPen(QtGui.QPen(QtGui.QColor(theme.separator), 1))
        p.drawLine(self.width() - 1, 0, self.width() - 1, self.height())

    def mousePressEvent(self, ev):
        i = self.lane_index_at(ev.position().y())
        if ev.button() == QtCore.Qt.MouseButton.LeftButton and i is not None:
            lane = self.canvas.timeline.layout.lanes[i]
            toggle_x = 6 + 14 * lane.depth + 10
            if lane.has_children and toggle_x - 2 <= ev.position().x() <= toggle_x + 14:
                self.canvas.toggle_collapsed(lane.actor.id)
                return
            self._press = (i, ev.position().y())

    def mouseMoveEvent(self, ev):
        i = self.lane_index_at(ev.position().y())
        if i is not None:
            self.setToolTip(self.canvas.timeline.layout.lanes[i].actor.name)
        if self._press is None:
            return
        if abs(ev.position().y() - self._press[1]) < QtWidgets.QApplication.startDragDistance():
            return
        layout = self.canvas.timeline.layout
        vp = self.viewport()
        y = vp.layout_y(ev.position().y())
        drop = len(layout.lanes)
        for k, lane in enumerate(layout.lanes):
            if y < lane.centre:
                drop = k
                break
        self._drop_at = drop
        self.setCursor(QtCore.Qt.CursorShape.ClosedHandCursor)
        self.update()

    def mouseReleaseEvent(self, ev):
        press, drop = self._press, self._drop_at
        self._press, self._drop_at = None, None
        self.unsetCursor()
        self.update()
        if press is None or drop is None:
            return
        self.canvas.move_lane(press[0], drop)

    def contextMenuEvent(self, ev):
        i = self.lane_index_at(ev.pos().y())
        if i is not None:
            self.canvas.lane_menu(self.canvas.timeline.layout.lanes[i].actor.id, ev.globalPos())


class TimelineCanvas(QtWidgets.QWidget):
    """The chart that a person looks at and edits with the mouse."""

    cursorTimeChanged = QtCore.Signal(float)  # the time under the mouse
    zoomChanged = QtCore.Signal(str)  # the snap unit's name
    rowHeightChanged = QtCore.Signal(float)  # px per sub-row of a lane
    editRequested = QtCore.Signal(str)  # open this record in the inspector
    message = QtCore.Signal(str)  # a short note for the status bar

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
        self.drag: Drag | None = None
        self.ghosts: list[Ghost] = []

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
        self.chart.forget_labels(list(self.chart._labels))
        self._after_layout()
        self.fit_all()

    def _after_layout(self) -> None:
        self._update_scroll()
        self.refresh()

    def refresh(self) -> None:
        self.layer.update()
        self.header.update()

    def paint_options(self) -> PaintOptions:
        return PaintOptions(
            selection=self.doc.selection,
            hover=self.hover_id,
            show_demands=self.show_demands,
            show_phases=self.show_phases,
            ghosts=self.ghosts,
            dimmed=frozenset(g.event.id for g in self.ghosts),
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

    def tolerance(self) -> float:
        return (MARK + 3) * self.seconds_per_pixel

    def event_at(self, pos: QtCore.QPointF) -> Event | None:
        return self.timeline.layout.event_at(pos.x(), pos.y(), self.tolerance())

    def demand_at(self, pos: QtCore.QPointF) -> tuple[Demand, str] | None:
        """The demand whose arrow passes at `pos`, and which part: 'head' or 'body'."""
        layout = self.timeline.layout
        spp = self.seconds_per_pixel
        best = None
        for g in layout.demands:
            if abs(pos.x() - g.x) > 9 * spp:
                continue
            ys = [
                layout.lanes[g.from_lane].centre,
                *(layout.lanes[v].centre for v in g.via_lanes),
                layout.lanes[g.to_lane].centre,
            ]
            if not min(ys) - 9 <= pos.y() <= max(ys) + 9:
                continue
            part = "head" if abs(pos.y() - ys[-1]) <= 10 else "body"
            d = abs(pos.x() - g.x) / spp
            if best is None or d < best[0]:
                best = (d, g.demand, part)
        return (best[1], best[2]) if best else None

    def edge_at(self, e: Event, pos: QtCore.QPointF) -> str:
        """'start' or 'end' when the pointer is on a range's edge, else ''."""
        if not e.when.is_range:
            return ""
        grip = 5 * self.seconds_per_pixel
        if e.when.lo is not None and abs(pos.x() - e.when.lo) <= grip:
            return "start"
        if e.when.hi is not None and abs(pos.x() - e.when.hi) <= grip:
            return "end"
        return ""

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
                self.item_menu(hit_id, ev.screenPos().toPoint())
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
            self.drag = self._begin_drag(ev)
        drag = self.drag
        if drag is None:
            return
        if drag.kind == "pan":
            last = self.viewbox.mapToView(ev.lastPos())
            self.viewbox.translateBy(x=last.x() - pos.x())
            self.scroll.setValue(int(self.scroll.value() + (ev.lastPos().y() - ev.pos().y())))
            if ev.isFinish():
                self.drag = None
            return
        drag.current_t, drag.current_y = pos.x(), pos.y()
        free = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.AltModifier)
        if ev.isFinish():
            self.drag = None
            self.ghosts = []
            self._finish_drag(drag, free)
        else:
            self._preview(drag, free)
        self.refresh()

    def _begin_drag(self, ev) -> Drag | None:
        down = self.viewbox.mapToView(ev.buttonDownPos())
        mods = ev.modifiers()
        if (
            ev.button() == QtCore.Qt.MouseButton.MiddleButton
            or mods & QtCore.Qt.KeyboardModifier.ShiftModifier
        ):
            return Drag("pan", down.x(), down.y())
        if ev.button() != QtCore.Qt.MouseButton.LeftButton:
            return None
        hit = self.event_at(down)
        if hit is not None:
            edge = self.edge_at(hit, down)
            if edge:
                return Drag("resize", down.x(), down.y(), [hit.id], edge)
            ids = (
                sorted(i for i in self.doc.selection if self.doc.kind_of(i) == "events")
                if hit.id in self.doc.selection
                else [hit.id]
            )
            if hit.id not in self.doc.selection:
                self.doc.select([hit.id])
            lanes = {
                self.timeline.layout.lane_of_actor.get(self.doc.get("events", i).actor) for i in ids
            }
            return Drag("move", down.x(), down.y(), ids, one_lane=len(lanes) == 1)
        found = self.demand_at(down)
        if found is not None:
            demand, part = found
            self.doc.select([demand.id])
            return Drag(
                "demand-head" if part == "head" else "demand", down.x(), down.y(), [demand.id]
            )
        if mods & QtCore.Qt.KeyboardModifier.ControlModifier and self.lane_actor_at(down.y()):
            return Drag("new-demand", down.x(), down.y())
        return Drag("band", down.x(), down.y())

    def snapped_delta(self, drag: Drag, free: bool) -> float:
        delta = drag.current_t - drag.start_t
        if free:
            return delta
        unit = snap_unit(self.seconds_per_pixel)
        return round(delta / unit) * unit

    def _moved(self, e: Event, drag: Drag, free: bool) -> tuple[Event, str] | None:
        """The event as the drag would leave it, or None if the date cannot move so."""
        delta = self.snapped_delta(drag, free)
        try:
            when = (
                e.when.with_edge(drag.edge, delta)
                if drag.kind == "resize"
                else e.when.shifted(delta)
            )
        except WhenError:
            return None
        actor = e.actor
        if drag.kind == "move":
            target = self.lane_actor_at(drag.current_y)
            origin = self.lane_actor_at(drag.start_y)
            if target and origin and target != origin and drag.one_lane:
                actor = target
        return replace(e, when=when, actor=actor), actor

    def _preview(self, drag: Drag, free: bool) -> None:
        layout = self.timeline.layout
        self.ghosts = []
        if drag.kind in ("move", "resize"):
            for i in drag.ids:
                moved = self._moved(self.doc.get("events", i), drag, free)
                if moved is None:
                    continue
                e, actor = moved
                lane = layout.lane_of_actor.get(actor)
                if lane is None or e.when.lo is None:
                    continue
                self.ghosts.append(
                    Ghost(e, lane, e.when.lo, e.when.hi if e.when.hi is not None else layout.t_max)
                )
            if self.ghosts:
                self.message.emit(", ".join(g.event.when.text for g in self.ghosts[:3]))

    def _finish_drag(self, drag: Drag, free: bool) -> None:
        stack = self.doc.undo_stack
        if drag.kind in ("move", "resize"):
            moves = []
            for i in drag.ids:
                old = self.doc.get("events", i)
                moved = self._moved(old, drag, free)
                if moved and (moved[0].when != old.when or moved[0].actor != old.actor):
                    moves.append(c.MoveEvent(self.doc, i, moved[0].when, moved[0].actor))
            self._push_all(moves, f"Move {len(moves)} events")
        elif drag.kind in ("demand", "demand-head"):
            d = self.doc.get("demands", drag.ids[0])
            changes = {}
            delta = self.snapped_delta(drag, free)
            if drag.kind == "demand" and delta:
                try:
                    changes["raised"] = d.raised.shifted(delta)
                    if d.resolved:
                        changes["resolved"] = d.resolved.shifted(delta)
                except WhenError:
                    return
            target = self.lane_actor_at(drag.current_y)
            if drag.kind == "demand-head" and target and target not in (d.to, d.from_):
                changes["to"] = target
            if changes:
                stack.push(
                    c.UpdateRecord(
                        self.doc,
                        "demands",
                        replace(d, **changes),
                        text=f"Move demand '{c.label(d)}'",
                    )
                )
        elif drag.kind == "band":
            t0, t1 = sorted((drag.start_t, drag.current_t))
            y0, y1 = sorted((drag.start_y, drag.current_y))
            ids = self.timeline.layout.events_in(t0, t1, y0, y1)
            add = bool(
                QtWidgets.QApplication.keyboardModifiers()
                & QtCore.Qt.KeyboardModifier.ControlModifier
            )
            self.doc.select((set(self.doc.selection) if add else set()) | set(ids))
        elif drag.kind == "new-demand":
            a, b = self.lane_actor_at(drag.start_y), self.lane_actor_at(drag.current_y)
            if a and b and a != b:
                self.create_demand(a, b, drag.start_t)

    def _push_all(self, cmds: list, text: str) -> None:
        if not cmds:
            return
        stack = self.doc.undo_stack
        if len(cmds) == 1:
            stack.push(cmds[0])
            return
        stack.beginMacro(text)
        for cmd in cmds:
            stack.push(cmd)
        stack.endMacro()

    def paint_drag_feedback(self, p: QtGui.QPainter, vp: Viewport) -> None:
        drag = self.drag
        theme = self.chart.theme
        if drag.kind == "band":
            x0, x1 = sorted((vp.x(drag.start_t), vp.x(drag.current_t)))
            y0, y1 = sorted((vp.y(drag.start_y), vp.y(drag.current_y)))
            color = QtGui.QColor(theme.selection)
            p.setPen(QtGui.QPen(color, 1, QtCore.Qt.PenStyle.DashLine))
            color.setAlpha(40)
            p.setBrush(color)
            p.drawRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))
        else:
            x = vp.x(drag.start_t)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            p.setPen(
                QtGui.QPen(QtGui.QColor(theme.status_color("open")), 2, QtCore.Qt.PenStyle.DashLine)
            )
            p.drawLine(
                QtCore.QPointF(x, vp.y(drag.start_y)), QtCore.QPointF(x, vp.y(drag.current_y))
            )

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
                if self.edge_at(hit, pos)
                else QtCore.Qt.CursorShape.OpenHandCursor
            )
        else:
            self.plot.viewport().unsetCursor()

    def tooltip(self, record_id: str) -> str:
        """Title, date as written and in words, actor, type and sources."""
        doc = self.doc
        kind = doc.kind_of(record_id)

        def names(ids) -> str:
            return ", ".join(doc.get("actors", a).name if doc.get("actors", a) else a for a in ids)

        def sources(cites) -> str:
            out = []
            for ct in cites:
                s = doc.get("sources", ct.source)
                out.append(
                    (s.title if s else ct.source)
                    + (f" ({s.publisher})" if s and s.publisher else "")
                )
            return "; ".join(out)

        lines = []
        if kind == "events":
            e = doc.get("events", record_id)
            lines = [
                f"<b>{_html(e.title)}</b>",
                f"{_html(e.when.text)} — {_html(e.when.describe())}",
                f"Actor: {_html(names([e.actor]))}",
            ]
            if e.with_:
                lines.append(f"With: {_html(names(e.with_))}")
            if e.type:
                lines.append(f"Type: {_html(e.type)}")
            if e.cites:
                lines.append(f"Sources: {_html(sources(e.cites))}")
        elif kind == "demands":
            d = doc.get("demands", record_id)
            lines = [
                f"<b>{STATUS_GLYPHS[d.status]} {_html(d.text)}</b>",
                f"{_html(names([d.from_]))} → {_html(names([d.to]))}"
                + (f" via {_html(names(d.via))}" if d.via else ""),
                f"Raised {_html(d.raised.text)} — {_html(d.raised.describe())}",
                f"Status: {d.status}" + (f", {_html(d.resolved.text)}" if d.resolved else ""),
            ]
            if d.offer:
                lines.append(f"Offer: {_html(d.offer)}")
            if d.cites:
                lines.append(f"Sources: {_html(sources(d.cites))}")
        return "<br>".join(lines)

    # ------------------------------------------------------------ creating and editing

    def create_event_at(self, pos: QtCore.QPointF) -> None:
        actor = self.lane_actor_at(pos.y())
        if actor is None:
            self.message.emit("Double-click inside a lane to add an event there")
            return
        precision = "minute" if self.snap_name() == "hour" else "day"
        when = parse(point_at(pos.x(), precision).text())
        e = Event(self.doc.new_id("event"), actor, "New event", when)
        self.doc.undo_stack.push(c.AddRecord(self.doc, "events", e))
        self.doc.select([e.id])
        self.editRequested.emit(e.id)

    def create_demand(self, from_: str, to: str, t: float) -> None:
        when = parse(point_at(t, "day").text())
        d = Demand(self.doc.new_id("demand"), from_, to, "New demand", when)
        self.doc.undo_stack.push(c.AddRecord(self.doc, "demands", d))
        self.doc.select([d.id])
        self.editRequested.emit(d.id)

    def nudge(self, steps: int) -> None:
        unit = snap_unit(self.seconds_per_pixel)
        moves = []
        for i in sorted(self.doc.selection):
            if self.doc.kind_of(i) != "events":
                continue
            e = self.doc.get("events", i)
            try:
                moves.append(c.MoveEvent(self.doc, i, e.when.shifted(steps * unit)))
            except WhenError:
                continue
        self._push_all(moves, f"Move {len(moves)} events")

    def delete_selection(self) -> None:
        cmds = []
        for i in sorted(self.doc.selection):
            kind = self.doc.kind_of(i)
            if kind in ("events", "demands", "phases"):
                cmds.append(c.RemoveRecord(self.doc, kind, i))
        self._push_all(cmds, f"Delete {len(cmds)} items")

    def duplicate_selection(self) -> None:
        cmds, new_ids = [], []
        for i in sorted(self.doc.selection):
            kind = self.doc.kind_of(i)
            if kind not in ("events", "demands"):
                continue
            record = self.doc.get(kind, i)
            new_id = self.doc.new_id(i)
            while new_id in new_ids:
                new_id = self.doc.new_id(new_id + "-copy")
            new_ids.append(new_id)
            cmds.append(
                c.AddRecord(
                    self.doc, kind, replace(record, id=new_id), self.doc.position(kind, i) + 1
                )
            )
        self._push_all(cmds, f"Duplicate {len(cmds)} items")
        if new_ids:
            self.doc.select(new_ids)

    def toggle_collapsed(self, actor_id: str) -> None:
        a = self.doc.get("actors", actor_id)
        verb = "Expand" if a.collapsed else "Collapse"
        self.doc.undo_stack.push(
            c.UpdateRecord(
                self.doc, "actors", replace(a, collapsed=not a.collapsed), text=f"{verb} '{a.name}'"
            )
        )

    def move_lane(self, from_index: int, drop_index: int) -> None:
        """Move the lane at `from_index` (with its nested lanes) before the lane at `drop_index`."""
        layout = self.timeline.layout
        moving = layout.lanes[from_index].actor
        order = [a.id for a in self.doc.project.actors]
        block = [moving.id] + [a for a in order if _is_descendant(self.doc, a, moving.id)]
        rest = [a for a in order if a not in block]
        if drop_index >= len(layout.lanes):
            at = len(rest)
        else:
            target = layout.lanes[drop_index].actor.id
            if target in block:
                return
            at = rest.index(target)
        new_order = rest[:at] + block + rest[at:]
        if new_order != order:
            self.doc.undo_stack.push(c.ReorderActors(self.doc, new_order))

    def lane_menu(self, actor_id: str, at: QtCore.QPoint) -> None:
        a = self.doc.get("actors", actor_id)
        menu = QtWidgets.QMenu(self)
        menu.addAction("Rename…", lambda: self._rename_actor(a))
        menu.addAction("Colour…", lambda: self._recolour_actor(a))
        menu.addAction(
            "Hide",
            lambda: self.doc.undo_stack.push(
                c.UpdateRecord(self.doc, "actors", replace(a, hidden=True), text=f"Hide '{a.name}'")
            ),
        )
        if any(x.parent == a.id for x in self.doc.project.actors):
            menu.addAction(
                "Expand" if a.collapsed else "Collapse", lambda: self.toggle_collapsed(a.id)
            )
        menu.addAction("Add nested actor…", lambda: self._add_nested(a))
        menu.addSeparator()
        menu.addAction("Edit in inspector", lambda: self.editRequested.emit(a.id))
        menu.exec(at)

    def _rename_actor(self, a) -> None:
        name, ok = QtWidgets.QInputDialog.getText(self, "Rename actor", "Name:", text=a.name)
        if ok and name.strip() and name != a.name:
            self.doc.undo_stack.push(
                c.UpdateRecord(
                    self.doc, "actors", replace(a, name=name.strip()), text=f"Rename '{a.name}'"
                )
            )

    def _recolour_actor(self, a) -> None:
        color = QtWidgets.QColorDialog.getColor(
            QtGui.QColor(a.color or "#3465a4"), self, f"Colour of {a.name}"
        )
        if color.isValid():
            self.doc.undo_stack.push(
                c.UpdateRecord(
                    self.doc, "actors", replace(a, color=color.name()), text=f"Recolour '{a.name}'"
                )
            )

    def _add_nested(self, parent) -> None:
        name, ok = QtWidgets.QInputDialog.getText(
            self, "Add nested actor", f"Name of the actor inside {parent.name}:"
        )
        if ok and name.strip():
            from app.model import Actor

            actor = Actor(self.doc.new_id(name), name.strip(), parent.color, "", parent.id)
            index = self.doc.position("actors", parent.id) + 1
            self.doc.undo_stack.push(c.AddRecord(self.doc, "actors", actor, index))

    def item_menu(self, record_id: str, at: QtCore.QPoint) -> None:
        kind = self.doc.kind_of(record_id)
        menu = QtWidgets.QMenu(self)
        menu.addAction("Edit…", lambda: self.editRequested.emit(record_id))
        menu.addAction("Duplicate", self.duplicate_selection)
        menu.addAction("Delete", self.delete_selection)
        if kind == "demands":
            status_menu = menu.addMenu("Change status")
            d = self.doc.get("demands", record_id)
            for status, glyph in STATUS_GLYPHS.items():
                act = status_menu.addAction(
                    f"{glyph}  {status}", lambda s=status: self._set_status(record_id, s)
                )
                act.setCheckable(True)
                act.setChecked(status == d.status)
        menu.addAction(
            "Copy as text",
            lambda: QtWidgets.QApplication.clipboard().setText(self.as_text(record_id)),
        )
        menu.exec(at)

    def _set_status(self, demand_id: str, status: str) -> None:
        d = self.doc.get("demands", demand_id)
        if d.status == status:
            return
        today = parse(point_at(time.time(), "day").text())
        when = d.resolved if d.resolved and status != "open" else today
        self.doc.undo_stack.push(c.change_status(self.doc, demand_id, status, when))

    def as_text(self, record_id: str) -> str:
        kind = self.doc.kind_of(record_id)
        if kind == "events":
            e = self.doc.get("events", record_id)
            return f"{e.when.text}\t{self.doc.get('actors', e.actor).name}\t{e.title}"
        if kind == "demands":
            d = self.doc.get("demands", record_id)
            return f"{d.raised.text}\t{d.from_} → {d.to}\t{d.text}\t{d.status}"
        return record_id

    # ------------------------------------------------------------ keys

    def keyPressEvent(self, ev: QtGui.QKeyEvent) -> None:
        key, mods = ev.key(), ev.modifiers()
        k = QtCore.Qt.Key
        if key in (k.Key_F, k.Key_Home) and not mods & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.fit_all()
        elif key in (k.Key_Plus, k.Key_Equal):
            self.zoom(1 / 1.5)
        elif key in (k.Key_Minus, k.Key_Underscore):
            self.zoom(1.5)
        elif key == k.Key_Left:
            self.nudge(-1)
        elif key == k.Key_Right:
            self.nudge(1)
        elif key in (k.Key_Delete, k.Key_Backspace):
            self.delete_selection()
        elif key == k.Key_D and mods & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.duplicate_selection()
        elif key in (k.Key_Return, k.Key_Enter) and self.doc.selection:
            self.editRequested.emit(sorted(self.doc.selection)[0])
        elif key == k.Key_Escape:
            self.doc.select([])
        else:
            super().keyPressEvent(ev)
            return
        ev.accept()

    # ------------------------------------------------------------ empty state

    def paint_empty_state(self, p: QtGui.QPainter, vp: Viewport) -> None:
        theme = self.chart.theme
        if not self.doc.project.actors:
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
            max(vp.top + 40, vp.y(self.timeline.layout.height) + 30)
            if self.doc.project.actors
            else (vp.top + vp.bottom) / 2 - 30
        )
        rect = QtCore.QRectF(vp.left, top, vp.right - vp.left, 60)
        p.drawText(
            rect,
            QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignTop,
            "\n".join(lines),
        )


def settle_heap() -> None:
    """After a project is loaded, move what exists to the collector's permanent generation:
    the records live as long as the document, and rescanning them on every collection made
    frames at 10,000 events a third slower. Freed records still go by reference counting."""
    gc.collect()
    gc.freeze()


def _is_descendant(doc: Document, actor_id: str, ancestor: str) -> bool:
    seen = set()
    a = doc.get("actors", actor_id)
    while a is not None and a.parent and a.parent not in seen:
        if a.parent == ancestor:
            return True
        seen.add(a.parent)
        a = doc.get("actors", a.parent)
    return False


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
