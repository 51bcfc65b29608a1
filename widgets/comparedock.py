"""File ▸ Compare…: a second negotiation, read-only, under the open one, shifted so that an
event (or date) of each falls on the same day, day 0. While it is open, the top axis of both
charts counts the days before and after ("day −12", "day +40"), at the same x in both, and the
bottom axes keep each chart's own dates; zoom and pan in either chart move both (a drag on
the compared chart pans it, since nothing there can be edited). The comparison as a picture
is `demarche compare` (app/exporters/compare.py), which counts the days the same way."""

from __future__ import annotations

import html
import os
from functools import partial

from PySide6 import QtCore, QtWidgets

from app.editing.document import Document
from app.exporters.compare import day_zero
from app.exporters.options import ExportError
from app.fileformat import projectfile
from widgets.canvas import TimelineCanvas

# What a read-only chart refuses: double-clicks (they add or open records), menus and keys.
# Presses and moves pass: a drag pans, and the wheel zooms and scrolls.
_BLOCKED = {
    QtCore.QEvent.Type.MouseButtonDblClick,
    QtCore.QEvent.Type.ContextMenu,
    QtCore.QEvent.Type.KeyPress,
}


# The lane names take no press at all: a click folds a lane, a drag moves it.
_HEADER_BLOCKED = _BLOCKED | {
    QtCore.QEvent.Type.MouseButtonPress,
    QtCore.QEvent.Type.MouseButtonRelease,
}


class ReadOnly(QtCore.QObject):
    """Swallows the double-clicks, menus and keys that would edit the compared project
    (`blocked`: on the lane names, every press too)."""

    def __init__(self, parent: QtCore.QObject, blocked=_BLOCKED):
        super().__init__(parent)
        self.blocked = blocked

    def eventFilter(self, obj, event) -> bool:
        return event.type() in self.blocked


class ComparedCanvas(TimelineCanvas):
    """The compared project's chart: any drag pans it, a click selects nothing."""

    def __init__(self, doc: Document, theme):
        super().__init__(doc, theme)
        self.viewbox.mouseClickEvent = lambda ev: ev.accept()

    def drag_event(self, ev) -> None:
        ev.accept()
        if ev.button() == QtCore.Qt.MouseButton.RightButton:
            return
        before, now = self.viewbox.mapToView(ev.lastPos()), self.viewbox.mapToView(ev.pos())
        self.viewbox.translateBy(x=before.x() - now.x())
        self.scroll.setValue(int(self.scroll.value() + (ev.lastPos().y() - ev.pos().y())))


def _dates_again(axis, ticks_of, *_) -> None:
    """The open chart's top axis shows dates again when its comparison closes (unless a
    later comparison counts its days now, or the window is gone already)."""
    try:
        if axis.ticks_of is ticks_of:
            axis.count_days_from(None)
    except RuntimeError:
        pass


class CompareView(QtWidgets.QWidget):
    def __init__(
        self, main: TimelineCanvas, doc: Document, ours: float, theirs: float, caption: str
    ):
        super().__init__()
        self.main = main
        self.offset = theirs - ours  # the compared chart's time = the open one's + offset
        self.canvas = ComparedCanvas(doc, main.chart.theme)
        self.guard = ReadOnly(self)
        for widget in (self.canvas.plot.viewport(), self.canvas):
            widget.installEventFilter(self.guard)
        self.header_guard = ReadOnly(self, _HEADER_BLOCKED)
        self.canvas.header.installEventFilter(self.header_guard)
        # Both top axes count days from day 0: one day at one x in both charts.
        self.main_axis = main.plot.getPlotItem().getAxis("top")
        self.main_axis.count_days_from(ours)
        self.canvas.plot.getPlotItem().getAxis("top").count_days_from(theirs)
        self.destroyed.connect(partial(_dates_again, self.main_axis, self.main_axis.ticks_of))
        label = QtWidgets.QLabel(caption)
        label.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.canvas, 1)
        self._following = False
        main.viewbox.sigRangeChanged.connect(self.follow)
        main.viewbox.sigResized.connect(self.follow)
        self.canvas.viewbox.sigResized.connect(self.follow)
        self.canvas.viewbox.sigRangeChanged.connect(self.lead)
        self.follow()

    def _ratio(self) -> float:
        """The compared chart's width over the open one's: the same seconds per pixel from
        the same left edge, whatever the two widths, puts a day at one x in both."""
        return max(self.canvas.viewbox.width(), 1.0) / max(self.main.viewbox.width(), 1.0)

    def follow(self, *_) -> None:
        """The compared chart shows the days around day 0 as the open one does."""
        if self._following:
            return
        self._following = True
        try:
            (t0, t1), _ = self.main.viewbox.viewRange()
            start = t0 + self.offset
            self.canvas.set_time_range(start, start + (t1 - t0) * self._ratio())
        finally:
            self._following = False

    def lead(self, *_) -> None:
        """A zoom or pan of the compared chart moves the open one alike."""
        if self._following:
            return
        self._following = True
        try:
            (t0, t1), _ = self.canvas.viewbox.viewRange()
            start = t0 - self.offset
            self.main.set_time_range(start, start + (t1 - t0) / self._ratio())
        finally:
            self._following = False


def compare_dialog(window) -> None:
    """Pick the other project and the two moments to align; show it under the chart."""
    folder = str(window.settings.value("lastFolder", os.getcwd()))
    path, _ = QtWidgets.QFileDialog.getOpenFileName(
        window, "Compare With", folder, "Demarche projects (*.yaml *.yml)"
    )
    if not path:
        return
    try:
        other = projectfile.load(path)
    except projectfile.ProjectFileError as e:
        QtWidgets.QMessageBox.warning(window, "Cannot compare", str(e))
        return
    ours = ask_day_zero(window, window.doc.project)
    if ours is None:
        return
    theirs = ask_day_zero(window, other)
    if theirs is None:
        return
    try:
        show_comparison(window, other, path, ours, theirs)
    except ExportError as e:
        QtWidgets.QMessageBox.warning(window, "Cannot compare", str(e))


def ask_day_zero(window, project) -> str | None:
    """Day 0 in `project`, picked from its events by date and title (nobody remembers
    ids), or typed: an id or a date. None when cancelled."""
    events = sorted(
        (e for e in project.events if e.when.start is not None), key=lambda e: (e.when.lo, e.id)
    )
    items = [f"{e.when.text}  {e.title}  [{e.id}]" for e in events]
    text, ok = QtWidgets.QInputDialog.getItem(
        window,
        "Compare",
        f"Day 0 in '{project.title}': pick an event, or type a date:",
        items,
        0,
        True,  # editable: a date, or an id, typed
    )
    if not ok:
        return None
    text = text.strip()
    if text in items:
        return events[items.index(text)].id
    return text


def show_comparison(window, other, path: str, ours: str, theirs: str) -> CompareView:
    a, a_name = day_zero(window.doc.project, ours)
    b, b_name = day_zero(other, theirs)
    title, b_name, a_name = (
        html.escape(t)
        for t in (other.title or os.path.basename(path), b_name or theirs, a_name or ours)
    )  # the caption is rich text: titles are shown as written, never read as markup
    caption = f"<b>{title}</b> (read-only), shifted so that {b_name} falls on {a_name}"
    view = CompareView(window.canvas, Document(other, path), a, b, caption)
    dock = QtWidgets.QDockWidget("Compared", window)
    dock.setObjectName(f"dock-compare-{len(window.findChildren(QtWidgets.QDockWidget))}")
    dock.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    dock.setWidget(view)
    # Under the chart at its whole width, so the two time axes run alike.
    window.addDockWidget(
        QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, dock, QtCore.Qt.Orientation.Vertical
    )
    dock.show()
    # Room to read its lanes: a third of the window, taken from the panels above it.
    window.resizeDocks([dock], [max(260, window.height() // 3)], QtCore.Qt.Orientation.Vertical)
    return view
