"""File ▸ Compare…: a second negotiation, read-only, under the open one, shifted so that an
event (or date) of each falls on the same day; zoom and pan are shared. The comparison as a
picture is `demarche compare` (app/exporters/compare.py), which counts the days on its axis."""

from __future__ import annotations

import html
import os

from PySide6 import QtCore, QtWidgets

from app.editing.document import Document
from app.exporters.compare import day_zero
from app.exporters.options import ExportError
from app.fileformat import projectfile
from widgets.canvas import TimelineCanvas

# What a read-only chart lets through: the wheel (zoom, scroll) and the pointer's moves.
_BLOCKED = {
    QtCore.QEvent.Type.MouseButtonPress,
    QtCore.QEvent.Type.MouseButtonDblClick,
    QtCore.QEvent.Type.MouseButtonRelease,
    QtCore.QEvent.Type.ContextMenu,
    QtCore.QEvent.Type.KeyPress,
}


class ReadOnly(QtCore.QObject):
    """Swallows the clicks, drags and keys that would edit the compared project."""

    def eventFilter(self, obj, event) -> bool:
        return event.type() in _BLOCKED


class CompareView(QtWidgets.QWidget):
    def __init__(self, main: TimelineCanvas, doc: Document, offset: float, caption: str):
        super().__init__()
        self.main, self.offset = main, offset  # other's time = main's time + offset
        self.canvas = TimelineCanvas(doc, main.chart.theme)
        self.guard = ReadOnly(self)
        for widget in (self.canvas.plot.viewport(), self.canvas.header, self.canvas):
            widget.installEventFilter(self.guard)
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
        self.follow()

    def follow(self, *_) -> None:
        """The compared chart shows the days around day 0 as the open one does."""
        if self._following:
            return
        self._following = True
        try:
            (t0, t1), _ = self.main.viewbox.viewRange()
            # The same seconds per pixel from the same left edge, whatever the two widths: a
            # day falls at one x in both charts.
            ratio = max(self.canvas.viewbox.width(), 1.0) / max(self.main.viewbox.width(), 1.0)
            self.canvas.set_time_range(t0 + self.offset, t0 + self.offset + (t1 - t0) * ratio)
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
    view = CompareView(window.canvas, Document(other, path), b - a, caption)
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
