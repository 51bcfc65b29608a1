"""What the pointer does on the plot without dragging: clicks (select, open, add, the
context menu), hovering (highlight, tooltip, cursor shape), and the lines that follow
it (the cursor line with its date, and today's line).

It works on the canvas's `Surface` (widgets/gestures.py) and is given the few widgets it
needs (the plot with its view box, the lanes' scroll bar) and the canvas's requests as
functions; it never reads the canvas."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyqtgraph as pg
from PySide6 import QtCore, QtWidgets

from app.chart import hittest
from app.chart.theme import Theme
from app.editing import describe, edits
from app.records.when import parse, point_at
from widgets import canvasmenus
from widgets.gestures import Surface

Button = QtCore.Qt.MouseButton
TODAY = "#e8590c"


class Pointer:
    """Reads and changes the chart through `surface` (its view, the document, edits, the
    widget that takes the focus); `plot` for tooltips and the cursor's shape, its view box
    for the lines; `scroll` moves the lanes. The canvas's requests: `refresh()` after the
    hover changes, `moved(t)` as the pointer moves, `zoom(factor, t)` and
    `set_row_height(px)` for the wheel."""

    def __init__(
        self,
        surface: Surface,
        plot: pg.GraphicsView,  # widgets/chartlayer.py: ChartPlot
        scroll: QtWidgets.QScrollBar,
        *,
        refresh: Callable[[], None],
        moved: Callable[[float], None],
        zoom: Callable[[float, float], None],
        set_row_height: Callable[[float], None],
    ):
        self.surface = surface
        self.view, self.doc = surface.view, surface.doc
        self.plot, self.viewbox, self.scroll = plot, plot.getViewBox(), scroll
        self.refresh, self.moved = refresh, moved
        self.zoom, self.set_row_height = zoom, set_row_height
        self.today_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(TODAY, width=1.5, style=QtCore.Qt.PenStyle.DashLine),
            label="today",  # (the legend of exports has no today to explain)
            labelOpts={"position": 0.005, "color": TODAY, "anchors": [(0, 0), (0, 0)]},
        )
        self.cursor_line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen((120, 120, 120, 160), width=1)
        )
        self.cursor_label = pg.TextItem(anchor=(0, 0))
        for z, decoration in enumerate((self.today_line, self.cursor_line, self.cursor_label)):
            decoration.setZValue(10 + z)
            decoration.setAcceptedMouseButtons(Button.NoButton)
            decoration.setAcceptHoverEvents(False)
            if decoration is not self.cursor_label:
                self.viewbox.addItem(decoration, ignoreBounds=True)
        # The date is written on the top axis, over its own ticks' words: in the chart, it
        # covered the first lane's marks and titles where no phase strip was above them.
        self.cursor_label.setParentItem(plot.getAxis("top"))
        self.cursor_label.setVisible(False)  # until the pointer is over the chart
        self.cursor_label.textItem.document().setDocumentMargin(2)  # (as tall as the axis)
        self.today_line.label.setAcceptedMouseButtons(Button.NoButton)  # (a child of the line)
        self.today_line.label.setAcceptHoverEvents(False)
        self.doc.projectReplaced.connect(lambda: self.view_changed(*self.viewbox.viewRange()[0]))
        # An edit does not move today: moving the line to the second at each one cost it.
        self.doc.eventsChanged.connect(
            lambda *_: self.today_line.setVisible(self._today_shown(*self.viewbox.viewRange()[0]))
        )

    def apply_theme(self, theme: Theme) -> None:
        # Light on the muted grey, a tag of its own over the axis's words: on the axis's
        # ground, what it left of a tick's ("9 O" of "9 Oct") read as part of the date.
        self.cursor_label.setColor(theme.background)
        self.cursor_label.fill = pg.mkBrush(theme.muted)
        self.cursor_label.update()
        self.today_line.label.fill = pg.mkBrush(theme.background)  # over a phase's title
        self.today_line.label.update()

    def view_changed(self, t0: float, t1: float) -> None:
        """Today's line, where the view shows today; not in a project with no events yet,
        whose first words are drawn where a new project opens: on today."""
        now = time.time()
        # Near the right edge, the label goes on the line's left (as the cursor's date).
        label = self.today_line.label
        room = (t1 - now) / max(t1 - t0, 1e-9) * self.viewbox.width()
        side = (1, 0) if room < label.boundingRect().width() + 4 else (0, 0)
        label.anchors = [side, side]  # (taken up as the value is set, below)
        self.today_line.setVisible(self._today_shown(t0, t1))
        self.today_line.setValue(now)

    def _today_shown(self, t0: float, t1: float) -> bool:
        """Whether a view from t0 to t1 shows today, and there is an event."""
        return t0 <= time.time() <= t1 and len(self.doc.project.events) > 0

    def record_at(self, pos: QtCore.QPointF):
        """The event or demand under the pointer, and the event if it is one."""
        hit = self.view.event_at(pos.x(), pos.y())
        if hit is not None:
            return hit.id, hit
        found = self.view.demand_at(pos.x(), pos.y())
        return (found[0].id if found else None), None

    def wheel(self, delta: int, modifiers, at: QtCore.QPointF) -> None:
        """The wheel zooms time at the pointer; with Ctrl, the lane height; with Shift or
        Alt, it scrolls the lanes."""
        factor = 1.2 ** (-delta / 120)
        if modifiers & QtCore.Qt.KeyboardModifier.ControlModifier:
            self.set_row_height(self.view.timeline.row_height / factor)
        elif modifiers & (
            QtCore.Qt.KeyboardModifier.ShiftModifier | QtCore.Qt.KeyboardModifier.AltModifier
        ):
            self.scroll.setValue(
                self.scroll.value() - int(delta / 120 * 3 * self.view.timeline.row_height)
            )
        else:
            self.zoom(factor, at.x())

    def click(self, ev) -> None:
        doc = self.doc
        pos = self.viewbox.mapToView(ev.pos())
        ctrl = bool(ev.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier)
        ev.accept()
        self.surface.widget.setFocus()
        hit_id, _ = self.record_at(pos)
        if ev.button() == Button.RightButton:
            if hit_id:
                before = set(doc.selection)  # one event selected: the menu links the two
                if hit_id not in doc.selection:
                    doc.select([hit_id])
                at = ev.screenPos().toPoint()
                canvasmenus.item_menu(self.surface, hit_id, at, pos.x(), before)
            return
        if ev.button() != Button.LeftButton:
            return
        if ev.double():
            if hit_id:
                self.surface.edit(hit_id)
            else:
                self.create_event_at(pos)
        elif ctrl and hit_id:
            doc.select(doc.selection ^ {hit_id})
        elif hit_id:
            doc.select([hit_id])
        elif not ctrl:
            doc.select([])

    def hover(self, pos: QtCore.QPointF | None, screen_pos) -> None:
        if pos is None:
            self.cursor_line.setVisible(False)
            self.cursor_label.setVisible(False)
            self.cursor_label.parentItem().cover(None)
            if self.view.hover:
                self.view.hover = None
                self.refresh()
            return
        self.moved(pos.x())
        self.cursor_line.setVisible(self.view.show_cursor)
        self.cursor_line.setValue(pos.x())
        self.cursor_label.setVisible(self.view.show_cursor)
        precision = "day" if self.view.snap_name() != "hour" else "minute"
        self.cursor_label.setText(point_at(pos.x(), precision).describe())
        (_t0, t1), (y0, _y1) = self.viewbox.viewRange()
        # Left of the line where the date would run past the right edge (it was cut off).
        wide = self.cursor_label.boundingRect().width() * self.view.seconds_per_pixel
        self.cursor_label.setAnchor((1, 0) if pos.x() + wide > t1 else (0, 0))
        axis = self.cursor_label.parentItem()
        at = axis.mapFromScene(self.viewbox.mapViewToScene(QtCore.QPointF(pos.x(), y0)))
        lift = (axis.size().height() - self.cursor_label.boundingRect().height()) / 2
        self.cursor_label.setPos(at.x(), max(lift, 0.0))  # (in line with the ticks' words)
        tag = self.cursor_label.mapRectToParent(self.cursor_label.boundingRect())
        axis.cover((tag.left() - 4, tag.right() + 4) if self.view.show_cursor else None)
        hover, event = self.record_at(pos)
        if hover != self.view.hover:
            self.view.hover = hover
            self.refresh()
        tip = describe.tooltip(self.doc, hover) if hover else self.view.context_at(pos.x(), pos.y())
        if tip and screen_pos is not None:
            QtWidgets.QToolTip.showText(screen_pos.toPoint(), tip, self.plot)
        else:  # nothing to say, or a drag under way (no screen position)
            QtWidgets.QToolTip.hideText()
        viewport = self.plot.viewport()
        if event is None:
            viewport.unsetCursor()
        elif hittest.edge_at(event, pos.x(), self.view.seconds_per_pixel):
            viewport.setCursor(QtCore.Qt.CursorShape.SizeHorCursor)
        else:
            viewport.setCursor(QtCore.Qt.CursorShape.OpenHandCursor)

    def create_event_at(self, pos: QtCore.QPointF) -> None:
        """A new event where the pointer is, opened in the inspector."""
        actor = self.view.lane_actor_at(pos.y())
        if actor is None:
            self.surface.say("Double-click inside a lane to add an event there")
            return
        precision = "minute" if self.view.snap_name() == "hour" else "day"
        e = edits.add_event_at(self.doc, actor, parse(point_at(pos.x(), precision).text()))
        self.surface.apply(edits.add(self.doc, "events", e), select=[e.id], edit=e.id)
