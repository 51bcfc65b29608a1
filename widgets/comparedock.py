"""File ▸ Compare…: a second negotiation, read-only, under the open one (a tab beside the
Tables panel, so the open chart keeps its height), shifted so that an event (or date) of each
falls on the same day, day 0. While it is open, the top axis of both
charts counts the days before and after ("day −12", "day +40"), at the same x in both, and the
bottom axes keep each chart's own dates; zoom and pan in either chart move both (a drag on
the compared chart pans it, since nothing there can be edited). The panel's Export… writes the
comparison as `demarche compare` draws it (app/exporters/compare.py, which counts the days the
same way), from widgets/compareexport.py."""

from __future__ import annotations

import html
import os
from functools import partial

import numpy as np
from PySide6 import QtCore, QtWidgets

from app.context import project as context_project
from app.editing.document import Document
from app.exporters.compare import day_text, day_zero
from app.exporters.options import ExportError
from app.fileformat import projectfile
from app.records.eventstore import values
from widgets import filecommands
from widgets.background import Cancelled, run_in_background
from widgets.canvas import TimelineCanvas, show_context
from widgets.compareexport import export_comparison
from widgets.progressrun import ProgressRun

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
        self.main_axis = main.plot.getAxis("top")
        self.main_axis.count_days_from(ours)
        self.canvas.plot.getAxis("top").count_days_from(theirs)
        self.destroyed.connect(partial(_dates_again, self.main_axis, self.main_axis.ticks_of))
        label = QtWidgets.QLabel(caption)
        label.setWordWrap(True)
        # Where the comparison is looked at, the way to keep it (show_comparison wires it).
        self.export_button = QtWidgets.QPushButton("Export…")
        self.export_button.setToolTip("The comparison as a picture or page, as `demarche compare`")
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(label, 1)
        top.addWidget(self.export_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        # The chart sits in a row whose margins put its plot under the open one's plot,
        # edge to edge (not under the Inspector): both show the same days, no more.
        self.row = QtWidgets.QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.canvas)
        layout.addLayout(self.row, 1)
        self._following = False
        self.canvas.header.setFixedWidth(main.header.width())
        main.headerResized.connect(self._header_resized)
        main.viewbox.sigRangeChanged.connect(self.follow)
        main.viewbox.sigResized.connect(self.follow)
        self.canvas.viewbox.sigResized.connect(self.follow)
        self.canvas.viewbox.sigRangeChanged.connect(self.lead)
        main.viewbox.sigResized.connect(self.align)
        self.canvas.viewbox.sigResized.connect(self.align)
        self.follow()

    @QtCore.Slot(object)
    def draw_context(self, layers: list) -> None:
        """The compared project's context strips, read (a slot: the answer comes queued
        from the reading's thread, and not after the panel is gone)."""
        show_context(self.canvas, layers)

    @QtCore.Slot(object)
    def context_failed(self, error: BaseException) -> None:
        if not isinstance(error, Cancelled):  # (closed while reading)
            raise error  # a defect (a dataset that cannot be read is drawn hatched)

    def _header_resized(self, width: int) -> None:
        self.canvas.header.setFixedWidth(width)
        self.align()

    def align(self, *_) -> None:
        """Give the compared chart's plot the open plot's left and right edges on screen.
        Worked out from the open plot and this panel's own edges, never from the compared
        plot (it moves with these margins, and a layout not yet redone would mislead)."""
        if not (self.isVisible() and self.main.isVisible()):
            return
        plot = self.main.plot
        left = plot.mapToGlobal(QtCore.QPoint(0, 0)).x()
        right = left + plot.width()
        mine = self.mapToGlobal(QtCore.QPoint(0, 0)).x()
        scroll = self.canvas.scroll
        new_left = left - self.canvas.header.width() - mine
        new_right = (
            mine
            + self.width()
            - right
            - (scroll.sizeHint().width() if scroll.isVisibleTo(self.canvas) else 0)
        )
        if new_left < 0 or new_right < 0:
            new_left = new_right = 0  # not under the open chart (floated, or moved aside)
        m = self.row.contentsMargins()
        if (new_left, new_right) != (m.left(), m.right()):
            self.row.setContentsMargins(new_left, 0, new_right, 0)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QtCore.QTimer.singleShot(0, self, self.align)  # once the dock has its place

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

    def lead(self, _viewbox=None, _range=None, changed=(True, True)) -> None:
        """A zoom or pan of the compared chart moves the open one alike. Only a change of
        its days does: a resize scrolls it up or down first, and its days were set for its
        old width then (so leading from them would zoom the open chart in)."""
        if self._following or not changed[0]:
            return
        self._following = True
        try:
            (t0, t1), _ = self.canvas.viewbox.viewRange()
            start = t0 - self.offset
            self.main.set_time_range(start, start + (t1 - t0) / self._ratio())
        finally:
            self._following = False


def _read(path: str, task):
    """The other project, read on a thread; dropped if Cancel was pressed while it read."""
    other = projectfile.load(path)
    task.step(1, 1)  # raises once cancelled: nothing is compared
    return other


def compare_dialog(window) -> None:
    """Pick the other project and the two moments to align; show it under the chart. A big
    file is read on a thread, behind a progress dialog with Cancel, as Open reads one."""
    folder = str(window.settings.value("lastFolder", os.getcwd()))
    path, _ = QtWidgets.QFileDialog.getOpenFileName(
        window, "Compare With", folder, "Demarche projects (*.yaml *.yml)"
    )
    if not path:
        return

    def refused(e: BaseException) -> None:
        if not isinstance(e, projectfile.ProjectFileError):
            raise e  # a defect: the usual error report
        QtWidgets.QMessageBox.warning(window, "Cannot compare", str(e))

    if filecommands.is_big(path):
        name = os.path.basename(path)
        ProgressRun(
            window,
            "Compare With",
            f"Reading {name}…",
            partial(_read, path),
            partial(_aligned, window, path),
            refused,
        )
        return
    try:
        other = projectfile.load(path)
    except projectfile.ProjectFileError as e:
        refused(e)
        return
    _aligned(window, path, other)


def _aligned(window, path: str, other) -> None:
    """Day 0 asked in each project, then the comparison shown."""
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
    ids), or typed: an id or a date (as the date fields take one). One it cannot read is
    said and asked again, the text kept. None when cancelled."""
    ids, items = day_zero_choices(project)
    label = f"Day 0 in '{project.title}': pick an event, or type a date:"
    typed = None
    while True:
        text, ok = choose(window, "Compare", label, items, 0, True, typed)
        if not ok:
            return None
        text = text.strip()
        ref = ids[items.index(text)] if text in items else text
        try:
            day_zero(project, ref)
        except ExportError as e:
            QtWidgets.QMessageBox.warning(window, "Cannot compare", str(e))
            typed = text
            continue
        return ref


def day_zero_choices(project) -> tuple[list[str], list[str]]:
    """The events with a start, by date (then id), as their ids and their entries in the
    list: read from the columns, no record made (a record of each of 100,000 events, sorted,
    froze the window for seconds before the question)."""
    ids, titles, whens = (values(project.events, attr) for attr in ("id", "title", "when"))
    lo = np.fromiter(
        (w.lo if w.start is not None and w.lo is not None else np.nan for w in whens),
        np.float64,
        len(whens),
    )
    started = np.flatnonzero(~np.isnan(lo))
    order = started[np.lexsort((np.array(ids, dtype=object)[started], lo[started]))].tolist()
    return (
        [ids[i] for i in order],
        [f"{whens[i].text}  {titles[i]}  [{ids[i]}]" for i in order],
    )


def choose(parent, title, label, items, current=0, editable=True, text=None) -> tuple[str, bool]:
    """QInputDialog.getItem without its inline completion: typing a date completed it into
    the first event whose date it begins ('2023-11' into 9 November's talks), and OK took
    the event. `text`: what the field holds at first (a refused answer, to mend)."""
    dialog = QtWidgets.QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    # One item makes the dialog a box; the list is then its model, whole (the dialog's own
    # setComboBoxItems added 100,000 entries one at a time, over a second).
    dialog.setComboBoxItems(items[:1])
    dialog.setComboBoxEditable(editable)
    combo = dialog.findChild(QtWidgets.QComboBox) if items else None
    if combo is not None:
        combo.setModel(QtCore.QStringListModel(items, combo))
        combo.setCompleter(None)
        combo.setCurrentIndex(current)
        if text is not None:
            combo.setEditText(text)
    elif text is not None:
        dialog.setTextValue(text)
    try:
        ok = dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted
        return (combo.currentText() if combo is not None else dialog.textValue()), ok
    finally:
        dialog.deleteLater()


def caption_of(window, other, path: str, ours: str, theirs: str) -> tuple[float, float, str]:
    """Day 0 in each project and the caption saying it once for each: 'Day 0: “the open
    project's event” (its title) and “the other's” (its title)'. Rich text, so titles are
    escaped: shown as written, never read as markup."""
    a, a_event = day_zero(window.doc.project, ours)
    b, b_event = day_zero(other, theirs)
    a_title = window.doc.project.title or os.path.basename(window.doc.path or "") or "open"
    b_title = other.title or os.path.basename(path)
    if a_title == b_title:  # a copy: the file names tell them apart
        a_title, b_title = os.path.basename(window.doc.path or "") or "open", os.path.basename(path)
    a_said, b_said = (moment_of(name, t) for name, t in ((a_event, a), (b_event, b)))
    a_title, b_title = html.escape(a_title), html.escape(b_title)
    both = (
        f"{a_said} in both"
        if a_said == b_said
        else f"{a_said} ({a_title}) and {b_said} ({b_title})"
    )
    return (
        a,
        b,
        # Its file too: a copy saved under another name has the same title.
        f"<b>{html.escape(other.title or os.path.basename(path))}</b> "
        f"({html.escape(os.path.basename(path))}, read-only). Day 0: {both}",
    )


def moment_of(name: str, t: float) -> str:
    """An event's title in quotes, or (aligned on a date) the date."""
    return f"\u201c{html.escape(name)}\u201d" if name else day_text(t)


def show_comparison(window, other, path: str, ours: str, theirs: str) -> CompareView:
    a, b, caption = caption_of(window, other, path, ours, theirs)
    view = CompareView(window.canvas, Document(other, path), a, b, caption)
    view.refs, view.path = (ours, theirs), path  # what `demarche compare` would be given
    view.export_button.clicked.connect(partial(export_comparison, window, view))
    dock = ComparedDock(window, view)
    dock.setObjectName(f"dock-compare-{len(window.findChildren(QtWidgets.QDockWidget))}")
    dock.place()
    _read_context(view, other, path, len(window.doc.project.context))
    return view


def _read_context(view: CompareView, other, path: str, first: int) -> None:
    """The compared project's datasets, all of them, read on a thread as its export and
    `demarche compare` read them (DuckDB, or its cache), then drawn under its lanes (a
    dataset that cannot be read hatched), in colours after the `first` (ours)."""
    if other.context:
        work = partial(_context_layers, other, path, first)
        view.reading = task = run_in_background(work, view.draw_context, view.context_failed, view)
        view.destroyed.connect(lambda *_: task.cancel())  # closed: DuckDB is interrupted


def _context_layers(other, path: str, first: int, task) -> list:
    stop = task.on_cancel
    loaded = context_project.load(
        other, path, step=task.step, on_connect=lambda con: stop(con.interrupt)
    )
    return [context_project.layer_of(x, k) for k, x in enumerate(loaded, start=first)]


def shown_comparison(window: QtWidgets.QMainWindow) -> CompareView | None:
    """The comparison a person sees in the window (the tab in front, else any shown)."""
    docks = [d for d in window.findChildren(ComparedDock) if d.isVisible()]
    docks.sort(key=lambda d: not in_front(d))
    return docks[0].widget() if docks else None


def layout_to_keep(window: QtWidgets.QMainWindow) -> QtCore.QByteArray:
    """The window's state to save: with every comparison closed first, since none is
    reopened at the next start (their room and tab would be kept, the chart squeezed)."""
    close_comparisons(window)
    return window.saveState()


def close_comparisons(window) -> None:
    """Close every comparison, giving the panels their room and tab back."""
    for dock in window.findChildren(ComparedDock):
        if dock.isVisible():
            front = in_front(dock)
            dock.close()
            if dock.host is not None and front:  # in front now, before the state is saved
                _give_back(window, dock.host, dock.host_height)


class ComparedDock(QtWidgets.QDockWidget):
    """The comparison's panel: a tab beside the panels below the chart (Tables…), so the
    open chart keeps its height; closing it gives that panel back its tab and height."""

    def __init__(self, window: QtWidgets.QMainWindow, view: CompareView):
        super().__init__("Compared", window)
        self.window_ = window
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWidget(view)
        self.host: QtWidgets.QDockWidget | None = None
        self.host_height = 0
        for moved in (self.topLevelChanged, self.dockLocationChanged):
            moved.connect(lambda *_: QtCore.QTimer.singleShot(0, view, view.align))

    def place(self) -> None:
        window, bottom = self.window_, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea
        vertical = QtCore.Qt.Orientation.Vertical
        hosts = [
            d
            for d in window.findChildren(QtWidgets.QDockWidget)
            if d is not self
            and in_front(d)
            and not d.isFloating()
            and window.dockWidgetArea(d) == bottom
        ]
        chart = window.canvas.height()
        if not hosts:  # nothing below the chart: a third of the window, the chart keeps the rest
            window.addDockWidget(bottom, self, vertical)
            self.show()
            window.resizeDocks([self], [max(200, window.height() // 3)], vertical)
            return
        beside, height = hosts[0], hosts[0].height()
        # What resizeDocks gives it back: the height of its tabs' bar too.
        self.host, self.host_height = beside, height + _tabs_height(window, beside)
        if isinstance(beside, ComparedDock):  # a second comparison: give back what the first took
            self.host, self.host_height = beside.host, beside.host_height
        window.tabifyDockWidget(beside, self)
        self.show()
        self.raise_()
        if height < chart:  # the two charts share the height the two had
            window.resizeDocks([self], [(chart + height) // 2], vertical)

    def closeEvent(self, event) -> None:
        # Only the tab in front gives back (a tab behind one the user looks at leaves it).
        # Once this tab is gone: Qt raises the next tab (Context) in its place, and while it
        # is there the panels' height cannot go below what the compared chart needs.
        if self.host is not None and in_front(self):
            give_back = partial(_give_back, self.window_, self.host, self.host_height)
            QtCore.QTimer.singleShot(0, self.host, give_back)
        super().closeEvent(event)


def in_front(dock: QtWidgets.QDockWidget) -> bool:
    """Shown: a tab behind another is "visible" too, but moved off the window."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def _tabs_height(window: QtWidgets.QMainWindow, dock: QtWidgets.QDockWidget) -> int:
    """The height of the bar of tabs a dock is a tab of (0 when it is none)."""
    bars = window.findChildren(
        QtWidgets.QTabBar, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly
    )
    titles = (bar for bar in bars if bar.isVisible())
    return next(
        (b.height() for b in titles if dock.windowTitle() in map(b.tabText, range(b.count()))), 0
    )


def _give_back(window, dock: QtWidgets.QDockWidget, height: int) -> None:
    """The panel a comparison stood beside, in front again with the height it had."""
    try:
        window.resizeDocks([dock], [height], QtCore.Qt.Orientation.Vertical)
        dock.raise_()
    except RuntimeError:
        pass  # closed meanwhile (the window too)
