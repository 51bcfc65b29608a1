"""The timeline canvas: a pyqtgraph ViewBox with date axes, one painted layer, and a
lane header column. Every edit made with the mouse or keyboard is a command.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from app.chart import ChartPainter, PaintOptions, snap
from app.chart import context as chart_context
from app.chart.layout import DAY, Timeline, data_span
from app.chart.theme import LIGHT, Theme
from app.chart.view import ChartView, ViewField
from app.editing import describe, edits
from app.editing.document import Document
from app.records.when import T_MAX, T_MIN
from widgets import gestures, heap
from widgets.chartlayer import TimelineLayer, TimelineViewBox, make_plot
from widgets.laneheader import LaneHeader
from widgets.pointer import Pointer

PAD_FRACTION = 0.04

MIN_ROW_HEIGHT, MAX_ROW_HEIGHT = 14.0, 60.0  # px: the vertical zoom's bounds


def min_row_height(chart: ChartPainter) -> float:
    """The shortest row: MIN_ROW_HEIGHT, or a line of the chart's text where that is
    taller (a larger desktop font), so that a title never runs over the next row."""
    return max(MIN_ROW_HEIGHT, float(math.ceil(chart.style.metrics.height())))


def padded(t_min: float, t_max: float) -> tuple[float, float]:
    """A span of time with room at both ends, within what the chart can show."""
    pad = max(t_max - t_min, DAY) * PAD_FRACTION + DAY / 2
    return max(t_min - pad, T_MIN), min(t_max + pad, T_MAX)


def show_context(canvas: TimelineCanvas, layers: list) -> None:
    """Draw `layers` (context strips) on `canvas`: its lanes make room for them, and its
    legend explains them."""
    canvas.view.set_context(layers)
    canvas.chart.style.context_legend = chart_context.legend_state(layers)
    canvas.relayout()  # the lanes grew or shrank; the legend may have a row more


def surface_of(canvas: TimelineCanvas) -> gestures.Surface:
    """What the canvas's helpers (gestures, pointer, lane header, menus) work on: the
    view, the document and edits, the widget a menu opens over and the window's
    requests; not the canvas's other attributes."""
    return gestures.Surface(
        canvas.view,
        canvas.doc,
        canvas.apply,
        canvas.message.emit,
        canvas,
        canvas.editRequested.emit,
        canvas.deleteRequested.emit,
        canvas.duplicate_selection,
    )


class TimelineCanvas(QtWidgets.QWidget):
    """The chart that a person looks at and edits with the mouse."""

    cursorTimeChanged = QtCore.Signal(float)  # the time under the mouse
    zoomChanged = QtCore.Signal(str)  # the snap unit's name
    rowHeightChanged = QtCore.Signal(float)  # px per sub-row of a lane
    editRequested = QtCore.Signal(str)  # open this record in the inspector
    message = QtCore.Signal(str)  # a short note for the status bar
    refused = QtCore.Signal(str)  # an edit the model refused, and why
    deleteRequested = QtCore.Signal()
    headerResized = QtCore.Signal(int)  # the lane names' column, in px
    # What the chart shows lives in its ChartView (self.view); these read and write it.
    show_demands, show_phases, show_legend = ViewField(), ViewField(), ViewField()
    show_cursor, show_numbers, filtered = ViewField(), ViewField(), ViewField()
    timeline = ViewField()

    def __init__(self, doc: Document, theme: Theme = LIGHT, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.chart = ChartPainter(theme, self.font())
        self.view = ChartView(labels=self.chart.style.label_boxes)  # what the chart shows
        self.drag: gestures.Gesture | None = None
        self.doc = doc
        self.timeline = Timeline(doc.project)
        self.prepared: Timeline | None = None  # the next project's layout, made on a thread
        self.surface = surface_of(self)  # what the helpers work on

        self.viewbox = TimelineViewBox()
        self.viewbox.setLimits(xMin=T_MIN, xMax=T_MAX)  # the calendar's years 1 to 9999
        self.plot = make_plot(self.viewbox)
        self.layer = TimelineLayer(self.surface, self.viewbox, self.chart, lambda: self.drag)
        self.viewbox.addItem(self.layer, ignoreBounds=True)
        self.scroll = QtWidgets.QScrollBar(QtCore.Qt.Orientation.Vertical)
        self.scroll.valueChanged.connect(self._scrolled)
        self.pointer = Pointer(
            self.surface,
            self.plot,
            self.scroll,
            refresh=self.refresh,
            moved=self.cursorTimeChanged.emit,
            zoom=self.zoom,
            set_row_height=self.set_row_height,
        )
        self.header = LaneHeader(self.surface, self.plot, self.chart, self.headerResized.emit)
        self.viewbox.route_to(self.pointer, self.drag_event)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.header)
        row.addWidget(self.plot, 1)
        row.addWidget(self.scroll)
        # Its own timer: a QTimer.singleShot pending at deletion held the canvas for good.
        self._pin_soon = QtCore.QTimer(self, singleShot=True, interval=0)
        self._pin_soon.timeout.connect(self._pin_y)
        self.viewbox.sigRangeChanged.connect(self._range_changed)
        self.viewbox.sigResized.connect(self._resized)
        self.view.pin(doc.project.events)
        heap.settle(self, doc.project)
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
        if len(ids) > 500 and len(ids) * 20 > len(self.doc.project.events):
            self.view.pin(self.doc.project.events)  # many: all made again (0.3 s at 100,000,
            return self._lanes_changed()  # not 6 s taking each in)
        before = self.timeline.layout
        old = [self.timeline.event(i) for i in ids]
        new = [self.doc.get("events", i) for i in ids]
        self.timeline.events_changed(new, ids)
        self.view.pin(new, ids)
        window = None
        if not self.drag and len(ids) <= 20:
            changed = [e for e in (*old, *new) if e is not None]
            window = self.chart.edit_window(
                before, self.timeline.layout, changed, self.seconds_per_pixel
            )
        if window is None:
            self.relayout()
        else:
            t0, t1, y0, y1 = window
            self.layer.update(QtCore.QRectF(t0, y0, t1 - t0, y1 - y0))

    def _lanes_changed(self, _ids=None) -> None:
        self.timeline.reset()
        self.relayout()

    def _demands_changed(self, _ids=None) -> None:
        self.timeline.demands_changed()
        self.refresh()

    def _project_replaced(self) -> None:
        prepared, self.prepared = self.prepared, None
        self.timeline = timeline_for(self.doc.project, self.timeline, prepared)
        self.view.pin(self.doc.project.events)
        heap.settle(self, self.doc.project)
        self.chart.forget_labels()
        self.relayout()
        self.fit_all()

    def relayout(self) -> None:
        self._update_scroll()
        self.refresh()

    def refresh(self) -> None:
        self.layer.update()
        self.header.update()

    def paint_options(self) -> PaintOptions:
        return self.layer.paint_options()

    def apply_theme(self, theme: Theme) -> None:
        self.chart.set_theme(theme)
        self.plot.setBackground(theme.background)
        for name in ("top", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(theme.separator))
            axis.setTextPen(pg.mkPen(theme.text))
        self.pointer.apply_theme(theme)
        self.refresh()

    def set_filter(self, ids: frozenset | None, kept=None) -> None:
        """Show these ids, the others dimmed or hidden (`view.hide_filtered`); `kept`, the
        filter's masks (app/chart/kept.py) when the caller has them."""
        self.view.set_filter(ids, kept)
        self.refresh()

    # ------------------------------------------------------------ view

    @property
    def seconds_per_pixel(self) -> float:
        return self.view.seconds_per_pixel  # kept current by _range_changed and _resized

    def fit_all(self) -> None:
        """Show everything the project holds now (the layout's extents only ever grow)."""
        self.set_time_range(*padded(*data_span(self.doc.project)))
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
        kind = self.doc.kind_of(record_id)
        if kind not in ("events", "demands"):
            return
        t, lane = self.view.whereabouts(self.doc.get(kind, record_id))
        if t is None:
            return
        (t0, t1), (y0, y1) = self.viewbox.viewRange()
        if not t0 <= t <= t1:
            self.set_time_range(t - (t1 - t0) / 2, t + (t1 - t0) / 2)
        lanes = self.timeline.layout.lanes
        if lane is not None and (lanes[lane].top < y0 or lanes[lane].bottom > y1):
            self.scroll.setValue(int(max(0, lanes[lane].top - 20)))

    def _pin_y(self) -> None:
        """Keep one layout pixel per screen pixel vertically; the scroll bar chooses the offset."""
        height = max(self.viewbox.height(), 1.0)
        y0 = float(self.scroll.value())
        self.viewbox.setYRange(y0, y0 + height, padding=0, update=True)

    def _update_scroll(self) -> None:
        height = max(int(self.viewbox.height()), 1)
        total = int(self.view.chart_height) + 40 + int(self.legend_room())
        self.scroll.setPageStep(height)
        self.scroll.setSingleStep(int(self.timeline.row_height))
        self.scroll.setRange(0, max(0, total - height))
        if (total > height) != self.scroll.isVisibleTo(self):
            self.scroll.setVisible(total > height)
            self.layout().invalidate()  # (shown from a resize, it was given no width)
        self._pin_y()

    def legend_room(self) -> float:
        """The height the legend takes below the last lane, when it is shown."""
        width = max(self.viewbox.width() - 20, 100)
        room = self.chart.legend_size(width).height() + 10 if self.show_legend else 0.0
        if self.doc.project.actors and not self.doc.project.events:
            room += 90  # the hint on what to do first stands above the legend
        if self.show_numbers:
            room += self.chart.demand_list_size(self.timeline.layout, width).height() + 6
        return room

    def _scrolled(self, _value: int) -> None:
        self._pin_y()
        self.header.update()

    def _resized(self) -> None:
        self.view.width = max(self.viewbox.width(), 1.0)
        self._update_scroll()

    def _range_changed(self, *_):
        _, (y0, y1) = self.viewbox.viewRange()
        if abs((y1 - y0) - self.viewbox.height()) > 0.5 or abs(y0 - self.scroll.value()) > 0.5:
            self._pin_soon.start()
        (t0, t1), _ = self.viewbox.viewRange()
        self.view.t0, self.view.t1 = t0, t1
        self.view.width = max(self.viewbox.width(), 1.0)
        self.pointer.view_changed(t0, t1)
        self.zoomChanged.emit(self.snap_name())
        self.header.update()

    def snap_name(self) -> str:
        return self.view.snap_name()

    def set_row_height(self, height: float) -> None:
        """The vertical zoom: how tall each sub-row of a lane is, within readable bounds."""
        height = float(min(max(height, min_row_height(self.chart)), MAX_ROW_HEIGHT))
        if height == self.timeline.row_height:
            return
        self.timeline.set_row_height(height)
        self.relayout()
        self.rowHeightChanged.emit(height)

    # ------------------------------------------------------------ mouse

    def drag_event(self, ev) -> None:
        ev.accept()
        pos = self.viewbox.mapToView(ev.pos())
        if ev.isStart():
            down = self.viewbox.mapToView(ev.buttonDownPos())
            self.drag = gestures.begin(
                self.surface, down.x(), down.y(), ev.button(), ev.modifiers()
            )
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
        except edits.RefusedEdit as exc:
            self.refused.emit(str(exc))
            return
        if select is not None:
            self.doc.select(select)
        if edit is not None:
            self.editRequested.emit(edit)

    def tooltip(self, record_id: str) -> str:
        return describe.tooltip(self.doc, record_id)

    # ------------------------------------------------------------ creating and editing

    def nudge(self, steps: int) -> None:
        """Move the selected events by whole hours, days or calendar months."""
        doc = self.doc
        chosen = [doc.get("events", i) for i in sorted(doc.selection) if doc.kind_of(i) == "events"]
        self.apply(edits.move_events(doc, snap.nudged(chosen, steps, self.snap_name())))

    def delete_selection(self) -> None:
        try:
            cmd = edits.delete(self.doc, self.doc.selection)
        except edits.RefusedEdit as exc:
            self.refused.emit(str(exc))
            return
        self.apply(cmd)

    def duplicate_selection(self) -> None:
        cmd, new_ids = edits.duplicate(self.doc, self.doc.selection)
        self.apply(cmd, select=new_ids if new_ids else None)

    def edit_selection(self) -> None:
        if self.doc.selection:
            self.editRequested.emit(sorted(self.doc.selection)[0])


def timeline_for(project, old: Timeline, prepared: Timeline | None) -> Timeline:
    """The project's layout: the one made where its file was read, if it is for it. Its
    lanes keep the old one's height and room for the context strips drawn until they are
    read again."""
    row_height = old.row_height
    if prepared is not None and prepared.project is project and prepared.row_height == row_height:
        prepared.set_strips(old.strips)
        return prepared
    return Timeline(project, row_height, old.strips)
