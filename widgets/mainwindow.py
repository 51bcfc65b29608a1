"""The editor window: the canvas in the middle, dockable panels, menus and toolbar built
from the action registry (widgets/actions.py), and a status bar. Files are handled by
widgets/filecommands.py around app/session.py; clipboard, inserts and search by
widgets/editcommands.py."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.layout import ROW_HEIGHT
from app.chart.theme import THEMES
from app.editing.document import Document
from app.editing.search import SearchIndex
from app.editing.session import Session
from app.records.eventstore import counts
from app.records.plural import counted
from app.records.when import point_at
from widgets import actions as registry
from widgets import dialogs
from widgets.canvas import MAX_ROW_HEIGHT, TimelineCanvas, min_row_height
from widgets.comparedock import compare_dialog, layout_to_keep
from widgets.conflicts import ConflictsPanel
from widgets.contextpanel import ContextPanel
from widgets.dialogs import apply_palette
from widgets.docks import arrange_docks, place_first_window
from widgets.editcommands import EditCommands
from widgets.exportdata import export_data_dialog
from widgets.fields import DateField
from widgets.filecommands import FileCommands
from widgets.filterpanel import TYPING_PAUSE_MS, FilterPanel, filtering, is_big
from widgets.importdialog import import_files_dialog
from widgets.inspector import Inspector
from widgets.laneheader import MAX_WIDTH, MIN_WIDTH
from widgets.tablespanel import TablesPanel
from widgets.toolbar import add_search, make_toolbar
from widgets.windows import track_window

# The chart is what the window is for: at its smallest, a few lanes and their names still
# show, and the window still fits a 1024x720 screen.
CHART_MINIMUM = (480, 200)
SHOWN_LAYERS = (
    "legend",
    "demands",
    "phases",
    "cursor",
    "numbers",
)  # View toggles kept between runs


def counts_text(p) -> str:
    """The status bar's counts; hidden lanes among the actors, since the chart shows
    nothing of them (the lane header's menu shows them again)."""
    hidden = sum(a.hidden for a in p.actors)
    actors = counted(len(p.actors), "actor") + (f" ({hidden:,} hidden)" if hidden else "")
    open_demands = counts(p.demands, "status").get("open", 0)
    events, demands = counted(len(p.events), "event"), counted(len(p.demands), "demand")
    return f"{actors} · {events} · {demands} ({open_demands:,} open)"


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, settings: QtCore.QSettings | None = None, offer_recovery: bool = True):
        super().__init__()
        track_window(self)  # the application holds it until it closes, then it is deleted
        self.settings = settings or QtCore.QSettings()
        self.doc = Document(parent=self)
        self.session = Session(self.doc, self)
        self.theme_name = str(self.settings.value("theme", "light"))
        self.canvas = TimelineCanvas(self.doc, THEMES.get(self.theme_name, THEMES["light"]))
        self.canvas.setMinimumSize(*CHART_MINIMUM)  # the docks give way first
        self.setCentralWidget(self.canvas)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.files = FileCommands(self, self.session, self.settings)
        self.editing = EditCommands(self)
        self.found = SearchIndex(self.doc)  # what the search box finds
        self._make_docks()
        self.actions_ = registry.build(self, self.canvas, self._handlers(), self.doc.undo_stack)
        registry.fill_menus(
            self.menuBar(),
            self.actions_,
            {"recent": self._recent_menu, "panels": self._panels, "views": self.filters.add_menu},
        )
        self._make_toolbar()
        self._make_status_bar()
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.doc.titleChanged.connect(self._update_title)
        self.doc.pathChanged.connect(self._update_title)
        self.doc.selectionChanged.connect(self.inspector.show_selection)
        self.doc.selectionChanged.connect(self._scroll_to_selection)
        for signal in (self.doc.eventsChanged, self.doc.demandsChanged):
            signal.connect(self._follow_typed_date)
        self.doc.projectReplaced.connect(lambda: self.apply_search(self.search.text()))
        d = self.doc
        for signal in (d.eventsChanged, d.demandsChanged, d.actorsChanged, d.projectReplaced):
            signal.connect(self._update_counts)
        self.canvas.editRequested.connect(self.edit_record)
        self.canvas.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.canvas.refused.connect(
            lambda text: QtWidgets.QMessageBox.warning(self, "Cannot do that", text)
        )
        self.canvas.deleteRequested.connect(self.editing.delete_selection)
        self.keys = registry.WindowKeys(self, self.actions_)
        self._restore_layout()
        apply_palette(self.theme_name)
        self._update_title()
        self._update_counts()
        if offer_recovery:
            QtCore.QTimer.singleShot(0, self, self.files.offer_recovery)

    # ------------------------------------------------------------ building

    def _handlers(self) -> dict:
        f, e, canvas = self.files, self.editing, self.canvas
        return {
            "new": f.new_project,
            "open": f.open_dialog,
            "save": f.save,
            "save_as": f.save_as,
            "revert": f.revert,
            "export": self.export_dialog,
            "import": lambda: import_files_dialog(self),
            "export_data": lambda: export_data_dialog(self),
            "add_context": self.context.add_dataset,
            "compare": lambda: compare_dialog(self),
            "close": self.close,  # asks to save, then the window goes
            "quit": QtWidgets.QApplication.closeAllWindows,
            "cut": e.cut,
            "copy": e.copy,
            "paste": e.paste,
            "duplicate": canvas.duplicate_selection,
            "delete": e.delete_selection,
            "select_all": self.editing.select_all,
            "find": self.focus_search,
            "edit_selection": canvas.edit_selection,
            "select_none": lambda: self.doc.select([]),
            "nudge_left": lambda: canvas.nudge(-1),
            "nudge_right": lambda: canvas.nudge(1),
            "zoom_in": lambda: canvas.zoom(1 / 1.5),
            "zoom_out": lambda: canvas.zoom(1.5),
            "fit": canvas.fit_all,
            "taller": lambda: self.step_row_height(1.25),
            "shorter": lambda: self.step_row_height(1 / 1.25),
            "row_height": lambda: canvas.set_row_height(ROW_HEIGHT),
            "dark": self.set_dark,
            "legend": self._toggle("show_legend"),
            "demands": self._toggle("show_demands"),
            "phases": self._toggle("show_phases"),
            "cursor": self._toggle("show_cursor"),
            "numbers": self._toggle("show_numbers"),
            "add_actor": e.add_actor,
            "add_event": e.add_event,
            "add_demand": e.add_demand,
            "add_phase": e.add_phase,
            "add_source": e.add_source,
            "month_first": self.set_month_first,
            "properties": lambda: dialogs.edit_properties(self, self.doc),
            "shortcuts": lambda: dialogs.show_shortcuts(self),
            "format": lambda: dialogs.show_format(self),
            "about": lambda: dialogs.show_about(self),
        }

    def _make_docks(self) -> None:
        self.inspector = Inspector(self.doc)
        self.tables = TablesPanel(self.doc)
        self.conflicts = ConflictsPanel(self.doc)
        self.context = ContextPanel(self.doc, self.canvas)
        self.filters = FilterPanel(self.doc, self.canvas)
        self.filters.tables = self.tables
        self.history = QtWidgets.QUndoView(self.doc.undo_stack)
        self.history.setEmptyLabel("As opened")  # the state before the first edit
        self.tables.problem.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.docks = arrange_docks(self)

    def _recent_menu(self, parent: QtWidgets.QMenu) -> None:
        self.recent_menu = parent.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(lambda: self.files.fill_recent(self.recent_menu))

    def _panels(self, parent: QtWidgets.QMenu) -> None:
        panels = parent.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())

    def _toggle(self, attr: str):
        def apply(on: bool) -> None:
            setattr(self.canvas, attr, on)
            self.canvas.relayout()  # the legend takes room below the lanes

        return apply

    def _make_toolbar(self) -> None:
        bar = make_toolbar(self, self.actions_, self.doc.undo_stack)
        bar.addWidget(QtWidgets.QLabel(" View: "))
        bar.addWidget(self.filters.views)  # the saved views, chosen from the toolbar
        self.search = add_search(bar, TYPING_PAUSE_MS)
        self.search.big = lambda: is_big(self.doc.project)
        self.search.wanted.connect(self.apply_search)
        self.search.done.connect(self.canvas.setFocus)

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.cursor_label = QtWidgets.QLabel()
        self.zoom_label = QtWidgets.QLabel()
        self.count_label = QtWidgets.QLabel()
        for w in (self.cursor_label, self.zoom_label, self.filters.shown_label, self.count_label):
            bar.addPermanentWidget(w)
        # The vertical zoom, also on Ctrl+wheel and in the View menu.
        self.row_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.row_slider.setRange(int(min_row_height(self.canvas.chart)), int(MAX_ROW_HEIGHT))
        self.row_slider.setValue(int(self.canvas.timeline.row_height))
        self.row_slider.setFixedWidth(110)
        self.row_slider.setToolTip("Lane height (Ctrl+wheel on the chart)")
        self.row_slider.setAccessibleName("Lane height")
        self.row_slider.valueChanged.connect(self.canvas.set_row_height)
        self.canvas.rowHeightChanged.connect(self._show_row_height)
        label = QtWidgets.QLabel("Lane height")
        label.setBuddy(self.row_slider)
        bar.addPermanentWidget(label)
        bar.addPermanentWidget(self.row_slider)
        self.canvas.cursorTimeChanged.connect(
            lambda t: self.cursor_label.setText(
                point_at(t, "minute").describe().replace(" UTC", "")
            )
        )
        self.canvas.zoomChanged.connect(lambda unit: self.zoom_label.setText(f"snap: {unit}"))

    # ------------------------------------------------------------ window state

    def _restore_layout(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QtGui.QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen else QtCore.QRect(0, 0, 1400, 880)
            place_first_window(self, room)
        state = self.settings.value("windowState")
        if state is not None:
            self.restoreState(state)
        try:
            self.canvas.set_row_height(float(self.settings.value("rowHeight", ROW_HEIGHT)))
            width = int(self.settings.value("headerWidth", self.canvas.header.width()))
            self.canvas.header.setFixedWidth(min(max(width, MIN_WIDTH), MAX_WIDTH))
        except (TypeError, ValueError):
            pass  # a hand-edited setting: keep the default
        self.actions_["dark"].setChecked(self.theme_name == "dark")
        self.actions_["month_first"].setChecked(self.settings.value("monthFirst", False, type=bool))
        for key in SHOWN_LAYERS:
            shown = self.settings.value(f"show/{key}", registry.BY_ID[key].checked, type=bool)
            self.actions_[key].setChecked(shown)

    def save_layout(self) -> None:
        self.settings.setValue("windowState", layout_to_keep(self))  # without comparisons
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("theme", self.theme_name)
        self.settings.setValue("rowHeight", self.canvas.timeline.row_height)
        self.settings.setValue("headerWidth", self.canvas.header.width())
        for key in SHOWN_LAYERS:
            self.settings.setValue(f"show/{key}", self.actions_[key].isChecked())

    def step_row_height(self, factor: float) -> None:
        self.canvas.set_row_height(self.canvas.timeline.row_height * factor)

    def _show_row_height(self, height: float) -> None:
        blocked = self.row_slider.blockSignals(True)
        self.row_slider.setValue(round(height))
        self.row_slider.blockSignals(blocked)

    def _update_title(self) -> None:
        name = os.path.basename(self.doc.path) if self.doc.path else "unsaved"
        self.setWindowTitle(f"{self.doc.project.title or 'Untitled'} — {name}[*] — Demarche")
        self.setWindowModified(self.doc.modified)

    def _update_counts(self, *_):
        self.count_label.setText(counts_text(self.doc.project))

    def set_month_first(self, on: bool) -> None:
        DateField.month_first = on
        self.settings.setValue("monthFirst", on)

    def set_dark(self, on: bool) -> None:
        self.theme_name = "dark" if on else "light"
        self.canvas.apply_theme(THEMES[self.theme_name])
        apply_palette(self.theme_name)
        self.settings.setValue("theme", self.theme_name)

    # ------------------------------------------------------------ files (see FileCommands)

    def open_path(self, path: str) -> bool:
        return self.files.open_path(path)

    def write_recovery(self) -> None:
        self.session.write_recovery()

    def offer_recovery(self) -> None:
        self.files.offer_recovery()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """An Escape that a panel's field does not use gives the keys back to the chart."""
        if event.key() != QtCore.Qt.Key.Key_Escape or self.canvas.hasFocus():
            return super().keyPressEvent(event)
        self.canvas.setFocus()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.session.discard_recovery()
        self.save_layout()
        event.accept()

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(u.toLocalFile().endswith((".yaml", ".yml")) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        self.files.drop(event)

    # ------------------------------------------------------------ selection and search

    def edit_record(self, record_id: str) -> None:
        kind = self.doc.kind_of(record_id)
        if kind is None:
            return
        if record_id not in self.doc.selection:
            self.doc.select([record_id])
        self.inspector.show_records(kind, [record_id])
        self.docks["inspector"].show()
        self.docks["inspector"].raise_()
        self.inspector.focus_first()

    def _scroll_to_selection(self) -> None:
        if len(self.doc.selection) == 1 and not self.canvas.underMouse():
            self.canvas.scroll_to(next(iter(self.doc.selection)))

    def _follow_typed_date(self, ids: list[str]) -> None:
        """A date typed in the inspector moves the view to where the record now is."""
        focus = QtWidgets.QApplication.focusWidget()
        if len(ids) == 1 and self.doc.selection == {ids[0]} and self.inspector.isAncestorOf(focus):
            self.canvas.scroll_to(ids[0])

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_search(self, text: str) -> None:
        text = text.strip()  # (as typed: the tables' filter boxes show it; case is ignored)
        self.tables.search(text)
        ids = frozenset(self.found.matching(text)) if text else None
        total = self.doc.project.size()
        self.search.show_count(f"{len(ids)} of {total} match" if ids is not None else "")
        self.filters.search(ids, self.found.kept() if text else None)

    def export_dialog(self) -> None:
        from widgets.exportdialog import ExportDialog

        ExportDialog(self.doc, self.canvas, self.theme_name, self, filtering(self.filters)).exec()
