"""The editor window: the canvas in the middle, dockable panels, menus, and files that
never lose work (prompts, atomic saves, autosave and recovery, reload on change)."""

from __future__ import annotations

import hashlib
import os
import sys
import time
import traceback
import uuid
from dataclasses import replace

from PySide6 import QtCore, QtGui, QtWidgets

from app import commands as c
from app import projectfile, recovery
from app.document import Document
from app.layout import ROW_HEIGHT
from app.model import Actor, Demand, Event, Phase, Project, Source
from app.projectfile import ProjectFileError
from app.theme import THEMES
from app.when import parse, point_at
from widgets.canvas import MAX_ROW_HEIGHT, MIN_ROW_HEIGHT, TimelineCanvas
from widgets.inspector import Inspector
from widgets.tables import TablesPanel

AUTOSAVE_MS = 30_000
MAX_RECENT = 10
FILTER = "Demarche projects (*.yaml *.yml);;All files (*)"

SHORTCUTS_HELP = """<h3>Keyboard and mouse</h3><table cellspacing=4>
<tr><td><b>Click</b> / <b>Ctrl+click</b></td><td>select / add to the selection</td></tr>
<tr><td><b>Drag on empty space</b></td><td>select with a rubber band</td></tr>
<tr><td><b>Shift+drag</b>, <b>middle drag</b></td><td>pan</td></tr>
<tr><td><b>Drag an event</b></td><td>move in time (snaps to hour, day or month; hold Alt to move freely) or to another lane</td></tr>
<tr><td><b>Drag a range's edge</b></td><td>resize it</td></tr>
<tr><td><b>Drag a demand's arrow</b></td><td>move it in time; drop its head on a lane to change who it is addressed to</td></tr>
<tr><td><b>Ctrl+drag lane to lane</b></td><td>new demand</td></tr>
<tr><td><b>Double-click a lane</b></td><td>new event there</td></tr>
<tr><td><b>Wheel</b> / <b>Ctrl+wheel</b> / <b>Shift+wheel</b></td><td>zoom time / lane height / scroll lanes</td></tr>
<tr><td><b>Ctrl+Shift+↑ ↓</b>, <b>Ctrl+Shift+0</b></td><td>taller, shorter, normal lanes</td></tr>
<tr><td><b>F</b> or <b>Home</b></td><td>fit all</td></tr>
<tr><td><b>+</b> / <b>−</b></td><td>zoom in / out</td></tr>
<tr><td><b>← →</b></td><td>nudge the selection by one snap unit</td></tr>
<tr><td><b>Delete</b>, <b>Ctrl+D</b>, <b>Enter</b></td><td>delete, duplicate, edit the selection</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Shift+Z</b></td><td>undo / redo</td></tr>
<tr><td><b>Ctrl+F</b></td><td>search</td></tr>
</table>"""

SHOWN_LAYERS = ("legend", "demands", "phases", "cursor")  # View toggles kept between runs


class ErrorListDialog(QtWidgets.QDialog):
    """Every problem in a file, one per line, with a button to copy them."""

    def __init__(self, title: str, intro: str, lines: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 360)
        label = QtWidgets.QLabel(intro)
        label.setWordWrap(True)
        self.text = QtWidgets.QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(
            lambda: QtWidgets.QApplication.clipboard().setText(self.text.toPlainText())
        )
        buttons.rejected.connect(self.reject)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(label)
        box.addWidget(self.text)
        box.addWidget(buttons)


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, settings: QtCore.QSettings | None = None, offer_recovery: bool = True):
        super().__init__()
        self.settings = settings or QtCore.QSettings()
        self.session = uuid.uuid4().hex[:12]
        self.doc = Document(Project(title="Untitled"), parent=self)
        self.theme_name = str(self.settings.value("theme", "light"))
        self.canvas = TimelineCanvas(self.doc, THEMES.get(self.theme_name, THEMES["light"]))
        self.setCentralWidget(self.canvas)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self._disk_digest: str | None = None  # what the file held when we last read or wrote it
        self.watcher = QtCore.QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed_on_disk)
        self._make_docks()
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status_bar()
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.doc.titleChanged.connect(self._update_title)
        self.doc.pathChanged.connect(self._update_title)
        self.doc.selectionChanged.connect(self.inspector.show_selection)
        self.doc.selectionChanged.connect(self._scroll_to_selection)
        for signal in (
            self.doc.eventsChanged,
            self.doc.demandsChanged,
            self.doc.actorsChanged,
            self.doc.projectReplaced,
        ):
            signal.connect(self._update_counts)
        self.canvas.editRequested.connect(self.edit_record)
        self.canvas.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.autosave = QtCore.QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()
        self._restore_layout()
        apply_palette(self.theme_name)
        self._update_title()
        self._update_counts()
        if offer_recovery:
            QtCore.QTimer.singleShot(0, self.offer_recovery)

    # ------------------------------------------------------------ building

    def _make_docks(self) -> None:
        self.inspector = Inspector(self.doc)
        self.tables = TablesPanel(self.doc)
        self.history = QtWidgets.QUndoView(self.doc.undo_stack)
        self.history.setEmptyLabel("<opened>")
        for table in self.tables.tables.values():
            table.model.problem.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.docks = {}
        for name, title, widget, area in (
            (
                "inspector",
                "Inspector",
                self.inspector,
                QtCore.Qt.DockWidgetArea.RightDockWidgetArea,
            ),
            ("tables", "Tables", self.tables, QtCore.Qt.DockWidgetArea.BottomDockWidgetArea),
            ("history", "History", self.history, QtCore.Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock = QtWidgets.QDockWidget(title, self)
            dock.setObjectName(f"dock-{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        self.tabifyDockWidget(self.docks["inspector"], self.docks["history"])
        self.docks["inspector"].raise_()
        self.resizeDocks([self.docks["inspector"]], [320], QtCore.Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["tables"]], [180], QtCore.Qt.Orientation.Vertical)

    def _action(
        self,
        text: str,
        slot,
        shortcut=None,
        tip: str = "",
        checkable: bool = False,
        checked: bool = False,
    ) -> QtGui.QAction:
        act = QtGui.QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                act.setShortcuts([QtGui.QKeySequence(s) for s in shortcut])
            else:
                act.setShortcut(QtGui.QKeySequence(shortcut))
        if tip:
            act.setStatusTip(tip)
        if checkable:
            act.setCheckable(True)
            act.setChecked(checked)
            act.toggled.connect(slot)
        else:
            act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _make_actions(self) -> None:
        K = QtGui.QKeySequence.StandardKey
        self.actions_ = a = {}
        a["new"] = self._action("&New", self.new_project, K.New)
        a["open"] = self._action("&Open…", self.open_dialog, K.Open)
        a["save"] = self._action("&Save", self.save, K.Save)
        a["save_as"] = self._action("Save &As…", self.save_as, K.SaveAs)
        a["revert"] = self._action(
            "&Revert", self.revert, tip="Reload the file from disk, dropping unsaved changes"
        )
        a["export"] = self._action("&Export…", self.export_dialog, "Ctrl+E")
        a["close"] = self._action("&Close", self.close_project, K.Close)
        a["quit"] = self._action("&Quit", self.close, K.Quit)
        a["undo"] = self.doc.undo_stack.createUndoAction(self, "&Undo")
        a["undo"].setShortcut(K.Undo)
        a["redo"] = self.doc.undo_stack.createRedoAction(self, "&Redo")
        a["redo"].setShortcuts([QtGui.QKeySequence(K.Redo), QtGui.QKeySequence("Ctrl+Y")])
        a["cut"] = self._action("Cu&t", self.cut, K.Cut)
        a["copy"] = self._action("&Copy", self.copy, K.Copy)
        a["paste"] = self._action("&Paste", self.paste, K.Paste)
        a["duplicate"] = self._action("&Duplicate", self.canvas.duplicate_selection, "Ctrl+D")
        a["delete"] = self._action("De&lete", self.delete_selection, K.Delete)
        a["select_all"] = self._action("Select &All", self.select_all, K.SelectAll)
        a["find"] = self._action("&Find…", self.focus_search, K.Find)
        a["zoom_in"] = self._action(
            "Zoom &In", lambda: self.canvas.zoom(1 / 1.5), [K.ZoomIn, "Ctrl+="]
        )
        a["zoom_out"] = self._action("Zoom &Out", lambda: self.canvas.zoom(1.5), K.ZoomOut)
        a["fit"] = self._action("&Fit All", self.canvas.fit_all, "Ctrl+0")
        a["taller"] = self._action(
            "&Taller Lanes", lambda: self.step_row_height(1.25), "Ctrl+Shift+Up"
        )
        a["shorter"] = self._action(
            "S&horter Lanes", lambda: self.step_row_height(1 / 1.25), "Ctrl+Shift+Down"
        )
        a["row_height"] = self._action(
            "&Normal Lane Height", lambda: self.canvas.set_row_height(ROW_HEIGHT), "Ctrl+Shift+0"
        )
        a["dark"] = self._action(
            "&Dark Theme", self.set_dark, checkable=True, checked=self.theme_name == "dark"
        )
        a["legend"] = self._action(
            "&Legend", self._toggle("show_legend"), checkable=True, checked=True
        )
        a["demands"] = self._action(
            "&Demands", self._toggle("show_demands"), checkable=True, checked=True
        )
        a["phases"] = self._action(
            "&Phases", self._toggle("show_phases"), checkable=True, checked=True
        )
        a["cursor"] = self._action(
            "&Cursor Line", self._toggle("show_cursor"), checkable=True, checked=True
        )
        a["add_actor"] = self._action("&Actor…", self.add_actor, "Ctrl+Shift+A")
        a["add_event"] = self._action("&Event", self.add_event, "Ctrl+Shift+E")
        a["add_demand"] = self._action("&Demand", self.add_demand, "Ctrl+Shift+D")
        a["add_phase"] = self._action("&Phase", self.add_phase, "Ctrl+Shift+P")
        a["add_source"] = self._action("&Source", self.add_source, "Ctrl+Shift+S")
        a["shortcuts"] = self._action("&Keyboard Shortcuts", self.show_shortcuts, K.HelpContents)
        a["format"] = self._action("&File Format", self.show_format)
        a["about"] = self._action("&About Demarche", self.show_about)

    def _toggle(self, attr: str):
        def apply(on: bool) -> None:
            setattr(self.canvas, attr, on)
            self.canvas.refresh()

        return apply

    def _make_menus(self) -> None:
        a = self.actions_
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        for key in ("new", "open"):
            file_menu.addAction(a[key])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        for key in ("save", "save_as", "revert"):
            file_menu.addAction(a[key])
        file_menu.addSeparator()
        file_menu.addAction(a["export"])
        file_menu.addSeparator()
        file_menu.addAction(a["close"])
        file_menu.addAction(a["quit"])
        edit = bar.addMenu("&Edit")
        for key in (
            "undo",
            "redo",
            None,
            "cut",
            "copy",
            "paste",
            "duplicate",
            "delete",
            None,
            "select_all",
            "find",
        ):
            edit.addSeparator() if key is None else edit.addAction(a[key])
        view = bar.addMenu("&View")
        for key in (
            "zoom_in",
            "zoom_out",
            "fit",
            None,
            "taller",
            "shorter",
            "row_height",
            None,
            "dark",
            "legend",
            "demands",
            "phases",
            "cursor",
            None,
        ):
            view.addSeparator() if key is None else view.addAction(a[key])
        panels = view.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        insert = bar.addMenu("&Insert")
        for key in ("add_actor", "add_event", "add_demand", "add_phase", "add_source"):
            insert.addAction(a[key])
        help_menu = bar.addMenu("&Help")
        for key in ("shortcuts", "format", "about"):
            help_menu.addAction(a[key])

    def _make_toolbar(self) -> None:
        a = self.actions_
        bar = self.addToolBar("Main")
        bar.setObjectName("toolbar-main")
        bar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        stack = self.doc.undo_stack
        keys = (
            "new",
            "open",
            "save",
            None,
            "undo",
            "redo",
            None,
            "add_event",
            "add_demand",
            None,
            "zoom_in",
            "zoom_out",
            "fit",
        )
        for key in keys:
            if key is None:
                bar.addSeparator()
            elif key in ("undo", "redo"):
                bar.addAction(self._short_undo_action(stack, key))
            else:
                bar.addAction(a[key])
        spacer = QtWidgets.QWidget()
        spacer.setSizePolicy(
            QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred
        )
        bar.addWidget(spacer)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Search titles, text, tags, actors  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(340)
        self.search.textChanged.connect(self.apply_search)
        bar.addWidget(self.search)
        self.search_count = QtWidgets.QLabel()
        self.search_count.setMinimumWidth(90)
        bar.addWidget(self.search_count)

    def _short_undo_action(self, stack: QtGui.QUndoStack, verb: str) -> QtGui.QAction:
        """'Undo' or 'Redo' with a short label for the toolbar; the tooltip names the command."""
        act = QtGui.QAction(verb.capitalize(), self)
        act.triggered.connect(stack.undo if verb == "undo" else stack.redo)
        act.setEnabled(False)
        (stack.canUndoChanged if verb == "undo" else stack.canRedoChanged).connect(act.setEnabled)
        text_changed = stack.undoTextChanged if verb == "undo" else stack.redoTextChanged
        text_changed.connect(lambda text: act.setToolTip(f"{verb.capitalize()} {text}".strip()))
        return act

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.cursor_label = QtWidgets.QLabel()
        self.zoom_label = QtWidgets.QLabel()
        self.count_label = QtWidgets.QLabel()
        for w in (self.cursor_label, self.zoom_label, self.count_label):
            bar.addPermanentWidget(w)
        # The vertical zoom, also on Ctrl+wheel and in the View menu.
        self.row_slider = QtWidgets.QSlider(QtCore.Qt.Orientation.Horizontal)
        self.row_slider.setRange(int(MIN_ROW_HEIGHT), int(MAX_ROW_HEIGHT))
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
            self.resize(min(1400, int(room.width() * 0.92)), min(900, int(room.height() * 0.9)))
        state = self.settings.value("windowState")
        if state is not None:
            self.restoreState(state)
        try:
            self.canvas.set_row_height(float(self.settings.value("rowHeight", ROW_HEIGHT)))
        except (TypeError, ValueError):
            pass  # a hand-edited setting: keep the default
        for key in SHOWN_LAYERS:
            self.actions_[key].setChecked(self.settings.value(f"show/{key}", True, type=bool))

    def save_layout(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        self.settings.setValue("theme", self.theme_name)
        self.settings.setValue("rowHeight", self.canvas.timeline.row_height)
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
        p = self.doc.project
        open_demands = sum(1 for d in p.demands if d.status == "open")
        self.count_label.setText(
            f"{len(p.actors)} actors · {len(p.events)} events · {len(p.demands)} demands ({open_demands} open)"
        )

    def set_dark(self, on: bool) -> None:
        self.theme_name = "dark" if on else "light"
        self.canvas.apply_theme(THEMES[self.theme_name])
        apply_palette(self.theme_name)
        self.settings.setValue("theme", self.theme_name)

    # ------------------------------------------------------------ files

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded, or clean)."""
        if not self.doc.modified:
            return True
        name = os.path.basename(self.doc.path) if self.doc.path else "this new project"
        answer = QtWidgets.QMessageBox.question(
            self,
            "Unsaved changes",
            f"Save the changes to {name}?",
            QtWidgets.QMessageBox.StandardButton.Save
            | QtWidgets.QMessageBox.StandardButton.Discard
            | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Save,
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QtWidgets.QMessageBox.StandardButton.Discard

    def _take(self, project: Project, path: str | None) -> None:
        old_path = self.doc.path
        recovery.remove(old_path, self.session)
        if old_path:
            self.watcher.removePath(old_path)
        self.doc.replace_project(project)
        self.doc.path = os.path.abspath(path) if path else None
        self.doc.pathChanged.emit()
        self._disk_digest = _digest(self.doc.path) if self.doc.path else None
        if self.doc.path:
            self.watcher.addPath(self.doc.path)
            self._add_recent(self.doc.path)
        self._update_title()
        self.apply_search(self.search.text())

    def show_problems(self, title: str, intro: str, exc: ProjectFileError) -> None:
        ErrorListDialog(title, intro, [str(d) for d in exc.diagnostics], self).exec()

    def new_project(self) -> None:
        if self.maybe_save():
            self._take(Project(title="Untitled"), None)

    def open_dialog(self) -> None:
        folder = str(self.settings.value("lastFolder", os.getcwd()))
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open project", folder, FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        path = os.path.abspath(path)
        if self.doc.path == path:
            self.statusBar().showMessage(f"{os.path.basename(path)} is already open here", 5000)
            self.raise_()
            self.activateWindow()
            return True
        try:
            project = projectfile.load(path)
        except ProjectFileError as exc:
            intro = f"<b>{os.path.basename(path)}</b> was not opened. The project already open is untouched."
            self.show_problems("Cannot open project", intro, exc)
            return False
        if not self.maybe_save():
            return False
        self.settings.setValue("lastFolder", os.path.dirname(path))
        self._take(project, path)
        return True

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        start = self.doc.path or os.path.join(
            str(self.settings.value("lastFolder", os.getcwd())), "untitled.yaml"
        )
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Save project as", start, FILTER)
        if not path:
            return False
        if not os.path.splitext(path)[1]:
            path += ".yaml"
        return self._save_to(path)

    def _save_to(self, path: str) -> bool:
        old_path = self.doc.path
        if old_path:
            self.watcher.removePath(old_path)
        try:
            self.doc.save(path)
        except OSError as exc:
            if old_path:
                self.watcher.addPath(old_path)
            QtWidgets.QMessageBox.critical(
                self,
                "Not saved",
                f"Could not save {path}:\n\n{exc.strerror or exc}\n\n"
                "Your changes are still here, not lost. Try another folder with File ▸ Save As.",
            )
            return False
        recovery.remove(old_path, self.session)
        recovery.remove(None, self.session)
        self._disk_digest = _digest(self.doc.path)
        self.watcher.addPath(self.doc.path)
        self._add_recent(self.doc.path)
        self.statusBar().showMessage(f"Saved {self.doc.path}", 4000)
        return True

    def revert(self) -> None:
        if not self.doc.path:
            return
        if self.doc.modified:
            answer = QtWidgets.QMessageBox.question(
                self, "Revert", "Drop your unsaved changes and reload the file from disk?"
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return
        self.reload()

    def reload(self) -> None:
        try:
            project = projectfile.load(self.doc.path)
        except ProjectFileError as exc:
            self.show_problems(
                "Cannot reload", "The file on disk has problems; your document is unchanged.", exc
            )
            return
        self._take(project, self.doc.path)

    def close_project(self) -> None:
        if self.maybe_save():
            self._take(Project(title="Untitled"), None)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        recovery.remove(self.doc.path, self.session)
        recovery.remove(None, self.session)
        self.save_layout()
        event.accept()

    def _file_changed_on_disk(self, path: str) -> None:
        if path != self.doc.path:
            return
        if os.path.exists(path):
            self.watcher.addPath(path)  # editors and git replace the file, which drops the watch
        digest = _digest(path)
        if digest is None or digest == self._disk_digest:
            return
        self._disk_digest = digest
        text = f"{os.path.basename(path)} has changed on disk."
        if self.doc.modified:
            text += "\n\nYou also have unsaved changes here: reloading drops them."
        answer = QtWidgets.QMessageBox.question(self, "File changed", text + "\n\nReload it?")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.reload()

    def _add_recent(self, path: str) -> None:
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", [path, *recent][:MAX_RECENT])

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        return [value] if isinstance(value, str) else list(value or [])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in files:
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(u.toLocalFile().endswith((".yaml", ".yml")) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith((".yaml", ".yml")):
                self.open_path(url.toLocalFile())
                event.acceptProposedAction()
                return

    # ------------------------------------------------------------ recovery

    def write_recovery(self) -> None:
        if self.doc.modified:
            try:
                recovery.write(self.doc.project, self.doc.path, self.session)
            except OSError as exc:
                self.statusBar().showMessage(f"Autosave failed: {exc.strerror or exc}", 8000)

    def offer_recovery(self) -> None:
        for found in recovery.pending():
            if found.path == recovery.path_for(self.doc.path, self.session):
                continue
            name = found.original or "an unsaved project"
            p = found.project
            answer = QtWidgets.QMessageBox.question(
                self,
                "Recover unsaved work",
                f"Demarche found work that was not saved when it last stopped:\n\n{name}\n"
                f"“{p.title}”: {len(p.events)} events, {len(p.demands)} demands\nautosaved {found.saved}\n\nRestore it?",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            )
            if answer == QtWidgets.QMessageBox.StandardButton.Yes:
                self._take(found.project, found.original or None)
                self.doc.undo_stack.resetClean()  # restored work is not saved yet
                self._update_title()
                os.unlink(found.path)
                self.write_recovery()
                return
            if (
                QtWidgets.QMessageBox.question(
                    self, "Recover unsaved work", "Delete this recovered copy?"
                )
                == QtWidgets.QMessageBox.StandardButton.Yes
            ):
                os.unlink(found.path)

    # ------------------------------------------------------------ editing

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

    def delete_selection(self) -> None:
        try:
            self.canvas.delete_selection()
        except c.RefusedEdit as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot delete", str(exc))

    def select_all(self) -> None:
        self.doc.select(
            [e.id for e in self.doc.project.events] + [d.id for d in self.doc.project.demands]
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def apply_search(self, text: str) -> None:
        text = text.strip().lower()
        for table in self.tables.tables.values():
            table.filter.setText(text)
        if not text:
            self.canvas.set_filter(None)
            self.search_count.setText("")
            return
        actors = {a.id: a.name.lower() for a in self.doc.project.actors}

        def hit(*parts) -> bool:
            return any(text in p.lower() for p in parts if p)

        ids = {
            e.id
            for e in self.doc.project.events
            if hit(
                e.title,
                e.text,
                e.type,
                *e.tags,
                actors.get(e.actor, ""),
                *(actors.get(w, "") for w in e.with_),
            )
        }
        ids |= {
            d.id
            for d in self.doc.project.demands
            if hit(
                d.text,
                d.offer,
                actors.get(d.from_, ""),
                actors.get(d.to, ""),
                *(actors.get(v, "") for v in d.via),
            )
        }
        total = len(self.doc.project.events) + len(self.doc.project.demands)
        self.search_count.setText(f" {len(ids)} of {total} match")
        self.canvas.set_filter(frozenset(ids))

    def _default_actor(self) -> str | None:
        for i in self.doc.selection:
            e = self.doc.get("events", i)
            if e:
                return e.actor
            a = self.doc.get("actors", i)
            if a:
                return a.id
        layout = self.canvas.timeline.layout
        return layout.lanes[0].actor.id if layout.lanes else None

    def _view_day(self) -> str:
        (t0, t1), _ = self.canvas.viewbox.viewRange()
        return point_at((t0 + t1) / 2, "day").text()

    def _add(self, kind: str, record) -> None:
        self.doc.undo_stack.push(c.AddRecord(self.doc, kind, record))
        self.doc.select([record.id])
        self.edit_record(record.id)

    def add_actor(self) -> None:
        name, ok = QtWidgets.QInputDialog.getText(
            self, "Add actor", "Name of the actor (a state, person, agency or group):"
        )
        if ok and name.strip():
            self._add("actors", Actor(self.doc.new_id(name), name.strip()))

    def add_event(self) -> None:
        actor = self._default_actor()
        if actor is None:
            QtWidgets.QMessageBox.information(
                self, "Add event", "Add an actor first: each event sits on an actor's lane."
            )
            return
        self._add(
            "events", Event(self.doc.new_id("event"), actor, "New event", parse(self._view_day()))
        )

    def add_demand(self) -> None:
        actors = [a.id for a in self.doc.project.actors]
        if len(actors) < 2:
            QtWidgets.QMessageBox.information(
                self, "Add demand", "A demand runs between two actors: add them first."
            )
            return
        start = self._default_actor() or actors[0]
        to = next(a for a in actors if a != start)
        self._add(
            "demands",
            Demand(self.doc.new_id("demand"), start, to, "New demand", parse(self._view_day())),
        )

    def add_phase(self) -> None:
        day = self._view_day()
        self._add("phases", Phase(self.doc.new_id("phase"), "New phase", parse(f"{day}/{day}")))

    def add_source(self) -> None:
        self._add("sources", Source(self.doc.new_id("source"), "New source"))

    # clipboard: events as YAML text, the same form as in project files
    def copy(self) -> bool:
        events = [
            self.doc.get("events", i)
            for i in sorted(
                self.doc.selection,
                key=lambda i: self.doc.position("events", i) if self.doc.get("events", i) else 0,
            )
        ]
        events = [e for e in events if e is not None]
        if not events:
            return False
        text = projectfile.dumps(Project(events=events))
        QtWidgets.QApplication.clipboard().setText(text[text.index("events:") :])
        self.statusBar().showMessage(f"Copied {len(events)} events", 3000)
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete_selection()

    def paste(self) -> None:
        text = QtWidgets.QApplication.clipboard().text()
        if not text.lstrip().startswith("events:"):
            self.statusBar().showMessage(
                "The clipboard holds no events (expected YAML starting with 'events:')", 5000
            )
            return
        base = projectfile.dumps(
            replace(self.doc.project, events=[], demands=[], phases=[], preamble="")
        )
        base = base.replace("events: []\n", "")
        try:
            pasted = projectfile.loads(base + text.strip() + "\n", "clipboard").events
        except ProjectFileError as exc:
            self.show_problems("Cannot paste", "The clipboard's events have problems:", exc)
            return
        cmds, ids = [], []
        for e in pasted:
            new_id = self.doc.new_id(e.id)
            while new_id in ids:
                new_id = self.doc.new_id(new_id + "-copy")
            ids.append(new_id)
            cmds.append(c.AddRecord(self.doc, "events", replace(e, id=new_id)))
        self.canvas._push_all(cmds, f"Paste {len(cmds)} events")
        self.doc.select(ids)

    # ------------------------------------------------------------ help

    def show_shortcuts(self) -> None:
        QtWidgets.QMessageBox.information(self, "Keyboard shortcuts", SHORTCUTS_HELP)

    def show_format(self) -> None:
        QtWidgets.QMessageBox.information(
            self,
            "File format",
            "<p>A project is one UTF-8 YAML file: <code>demarche: 1</code>, a <code>title</code>, then lists of "
            "<code>sources</code>, <code>actors</code>, <code>phases</code>, <code>events</code> and <code>demands</code>.</p>"
            "<p>Dates follow EDTF: <code>2023</code>, <code>2023-11</code>, <code>2023-11-22</code>, "
            "<code>2023-11-22T01:00+02:00</code>, with <code>~</code> (approximate), <code>?</code> (uncertain) or "
            "<code>%</code> (both), and intervals <code>A/B</code> with <code>..</code> for an open end.</p>"
            "<p>The JSON Schema is in <code>resources/demarche.schema.json</code>; check files with "
            "<code>demarche validate FILE</code>. The README describes every key.</p>",
        )

    def show_about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "About Demarche",
            "<b>Demarche</b><br>A visual timeline editor for negotiations and conflicts.",
        )

    def export_dialog(self) -> None:
        from widgets.exportdialog import ExportDialog

        ExportDialog(self.doc, self.canvas, self.theme_name, self).exec()


def apply_palette(theme_name: str) -> None:
    """The whole window follows the chart's theme: Fusion with a dark palette, or the default."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        return
    if not hasattr(app, "_light_palette"):
        app._light_palette = QtGui.QPalette(app.palette())
    if theme_name != "dark":
        app.setPalette(app._light_palette)
        return
    app.setStyle("Fusion")
    theme = THEMES["dark"]
    R = QtGui.QPalette.ColorRole
    palette = QtGui.QPalette()
    for role, color in (
        (R.Window, "#2a2e35"),
        (R.WindowText, theme.text),
        (R.Base, theme.background),
        (R.AlternateBase, theme.lane_odd),
        (R.Text, theme.text),
        (R.Button, "#33383f"),
        (R.ButtonText, theme.text),
        (R.ToolTipBase, "#33383f"),
        (R.ToolTipText, theme.text),
        (R.Highlight, "#3d6fb5"),
        (R.HighlightedText, "#ffffff"),
        (R.PlaceholderText, theme.muted),
        (R.Mid, theme.muted),
        (R.Link, "#74a7ea"),
    ):
        palette.setColor(role, QtGui.QColor(color))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.ButtonText, QtGui.QColor("#6c737d"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.WindowText, QtGui.QColor("#6c737d"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.Text, QtGui.QColor("#6c737d"))
    app.setPalette(palette)


def _digest(path: str | None) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except (OSError, TypeError):
        return None


def install_crash_handler(window_getter) -> None:
    """Unexpected errors show a dialog with the details, write a crash log, and keep the
    autosave, instead of silently killing the editor."""

    def handle(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        folder = os.path.dirname(recovery.folder())
        log = os.path.join(folder, f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log")
        try:
            with open(log, "w", encoding="utf-8") as f:
                f.write(details)
        except OSError:
            log = "(could not be written)"
        window = window_getter()
        if window is not None:
            try:
                window.write_recovery()
            except Exception:  # noqa: BLE001 - the crash report must still show
                pass
        print(details, file=sys.stderr)
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Critical,
            "Unexpected error",
            f"Something went wrong: {value}\n\nYour work is kept in the recovery file. "
            f"A crash log was written to {log}.",
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = handle
