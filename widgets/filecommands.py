"""The File menu's side of files that never lose work: the questions (save, discard or
cancel; reload after a change on disk; restore after a crash) around app/session.py,
which does the work.

A big file is read and checked on a thread, behind a progress dialog with Cancel: the
window keeps answering, and the project already open stays as it is until the new one
has been read without error (and its unsaved changes were saved or let go)."""

from __future__ import annotations

import os
import sys
from functools import partial
from html import escape

from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.layout import Timeline
from app.editing import recovery
from app.editing.session import Session, at_once
from app.fileformat import projectfile
from app.fileformat.projectfile import ProjectFileError
from app.fileformat.textfile import printable
from app.records.plural import counted
from widgets.background import Task
from widgets.busy import waited
from widgets.dialogs import ErrorListDialog, write_or_ask
from widgets.progressrun import ProgressRun

MAX_RECENT = 10
# Files at least this big are read on a thread; a smaller one opens in about 0.1 s here
# (2 MB is some 8,000 events), at once, with no dialog to flash.
BIG_FILE_BYTES = 2 << 20
# Records past which a project is written on a thread, the window painting meanwhile
# (about 0.15 s of writing; a million events took five seconds, the window frozen).
WRITTEN_ON_A_THREAD = 20_000
FILTER = "Demarche projects (*.yaml *.yml);;All files (*)"
Button = QtWidgets.QMessageBox.StandardButton


class FileCommands(QtCore.QObject):
    def __init__(self, window: QtWidgets.QMainWindow, session: Session, settings):
        super().__init__(window)
        self.window, self.session, self.settings = window, session, settings
        self.doc = session.doc
        self.opening: ProgressRun | None = None  # a big file being read
        session.changedOnDisk.connect(self.file_changed_on_disk)
        session.autosaveFailed.connect(lambda why: self.status(f"Autosave failed: {why}", 8000))

    def status(self, text: str, ms: int = 4000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def show_problems(self, title: str, intro: str, exc: ProjectFileError) -> None:
        ErrorListDialog(title, intro, [str(d) for d in exc.diagnostics], self.window).exec()

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded, or clean)."""
        if not self.doc.modified:
            return True
        name = os.path.basename(self.doc.path) if self.doc.path else "this new project"
        answer = QtWidgets.QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"Save the changes to {name}?",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    # ---------------------------------------------------------------- commands

    def new_project(self) -> None:
        self.stop_opening()
        if self.maybe_save():
            self.session.new()

    def new_at(self, path: str) -> bool:
        """A new, empty project named `path`, written when saved (as editors do)."""
        if problem := not_creatable(path):
            QtWidgets.QMessageBox.warning(self.window, "Cannot create project", problem)
            return False
        if self.maybe_save():
            self.session.new(path)
            self.status(f"New project: {os.path.basename(path)} is created when you save", 8000)
        return self.doc.path == os.path.abspath(path)

    def open_dialog(self) -> None:
        folder = str(self.settings.value("lastFolder", os.getcwd()))
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self.window, "Open project", folder, FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        if self.session.saving:  # (a file dropped: X11's drops are not held as input)
            self.status(f"Not opened: {self.doc.path} is still being saved", 6000)
            return False
        path = os.path.abspath(path)
        self.stop_opening()  # the last file asked for wins, read on a thread or at once
        if self.doc.path == path:
            self.status(f"{os.path.basename(path)} is already open here", 5000)
            self.window.raise_()
            self.window.activateWindow()
            return True
        if is_big(path):
            self.read_in_background(
                path, partial(self.take_opened, path), partial(self.not_opened, path)
            )
            return True
        try:
            project = projectfile.load(path)
        except ProjectFileError as exc:
            self.not_opened(path, exc)
            return False
        return self.take_opened(path, project)

    def stop_opening(self) -> None:
        """A file still being read is not taken once another is asked for."""
        if self.opening is not None:
            self.opening.cancel()

    def read_in_background(self, path: str, take, refused, verb: str = "open") -> ProgressRun:
        """Read `path` on a thread, then `take(project)`, or `refused(ProjectFileError)`.
        Cancel leaves the project already open as it was; the last file asked for wins."""
        self.stop_opening()
        row_height = self.window.canvas.timeline.row_height

        def work(task: Task):
            project = projectfile.load(path)
            task.step(1, 2)  # cancelled while it read: the project read is dropped
            # The lanes laid out here, not on the GUI thread.
            timeline = Timeline(project, row_height)
            task.step(2, 2)
            return project, timeline

        def wanted() -> bool:  # not cancelled, and no other file asked for since
            return run is self.opening and not run.task.cancelled

        def done(read) -> None:
            project, timeline = read
            if wanted():
                self.opening = None
                self._reading("")
                self.window.canvas.prepared = timeline
                take(project)
                self.window.canvas.prepared = None  # not taken after all (kept the one open)
            else:  # Cancel came after the last step: the project read is dropped all the same
                cancelled()

        def failed(exc: BaseException) -> None:
            if not wanted():
                return
            self.opening = None
            self._reading("")
            if not isinstance(exc, ProjectFileError):
                raise exc  # a defect: the usual error report
            refused(exc)

        def cancelled() -> None:
            if run is self.opening:
                self.opening = None
                self._reading("")
                self.status(f"Did not {verb} {os.path.basename(path)}: cancelled", 6000)

        name = os.path.basename(path)
        label = f"Reading {name}…"
        run = self.opening = ProgressRun(self.window, "Open", label, work, done, failed, cancelled)
        self._reading(name)
        return run

    def _reading(self, name: str) -> None:
        """The chart says a file is on its way rather than that the project is empty."""
        canvas = self.window.canvas
        canvas.view.reading = name
        canvas.layer.update()

    def not_opened(self, path: str, exc: ProjectFileError) -> None:
        intro = f"<b>{escape(os.path.basename(path))}</b> was not opened.{still_open(self.doc)}"
        self.show_problems("Cannot open project", intro, exc)

    def take_opened(self, path: str, project) -> bool:
        """The project read from `path` becomes the window's (once unsaved changes to the
        one open are saved or let go)."""
        if not self.maybe_save():
            return False
        self.settings.setValue("lastFolder", os.path.dirname(path))
        self.session.take(project, path)
        self.add_recent(path)
        return True

    def save(self) -> bool:
        if not self.doc.path:
            return self.save_as()
        return may_save_over(self.window, self.session) and self.save_to(self.doc.path)

    def save_as(self) -> bool:
        start = self.doc.path or os.path.join(
            str(self.settings.value("lastFolder", os.getcwd())), "untitled.yaml"
        )
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, "Save project as", start, FILTER
        )
        if not path:
            return False
        path += "" if os.path.splitext(path)[1] else ".yaml"
        self.session.name_after(path)
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            if not write_or_ask(self.window, path, _writer(self.window, self.session, path)):
                return False
        except OSError as exc:
            QtWidgets.QMessageBox.critical(
                self.window,
                "Not saved",
                f"Could not save {path}:\n\n{exc.strerror or exc}\n\n"
                "Your changes are still here, not lost. Try another folder with File ▸ Save As.",
            )
            return False
        self.add_recent(os.path.abspath(path))  # (not the document's if another came in)
        self.status(f"Saved {os.path.abspath(path)}")
        return True

    def revert(self) -> None:
        if not self.doc.path:
            return
        if self.doc.modified:
            answer = QtWidgets.QMessageBox.question(
                self.window, "Revert", "Drop your unsaved changes and reload the file from disk?"
            )
            if answer != Button.Yes:
                return
        self.reload()

    def reload(self) -> None:
        def refused(exc: ProjectFileError) -> None:
            intro = "The file on disk has problems; your document is unchanged."
            self.show_problems("Cannot reload", intro, exc)

        path = self.doc.path
        if is_big(path):
            before = self.edit_mark()

            def take(project) -> None:
                # (The window answers while the file is read: an edit then is not dropped unasked.)
                if self.edit_mark() != before and (
                    QtWidgets.QMessageBox.question(
                        self.window,
                        "Reload",
                        "You changed the project while the file was read. "
                        "Drop those changes too and reload?",
                    )
                    != Button.Yes
                ):
                    self.status("Not reloaded: your changes are kept", 6000)
                    return
                self.session.take(project, path=path)

            self.read_in_background(path, take, refused, "reload")
            return
        try:
            self.session.reload()
        except ProjectFileError as exc:
            refused(exc)

    def edit_mark(self) -> tuple:
        """Where the undo stack stands: another after any edit, undo or redo (a new edit
        after an undo is a new command where the last one was)."""
        stack = self.doc.undo_stack
        return stack.index(), stack.count(), stack.command(stack.index() - 1)

    def file_changed_on_disk(self, path: str) -> None:
        text = f"{os.path.basename(path)} has changed on disk."
        if self.doc.modified:
            text += "\n\nYou also have unsaved changes here: reloading drops them."
        answer = QtWidgets.QMessageBox.question(
            self.window, "File changed", text + "\n\nReload it?"
        )
        if answer == Button.Yes:
            self.reload()

    # ---------------------------------------------------------------- recent files

    def add_recent(self, path: str) -> None:
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", [path, *recent][:MAX_RECENT])

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        return [value] if isinstance(value, str) else list(value or [])

    def fill_recent(self, menu: QtWidgets.QMenu) -> None:
        menu.clear()
        files = self.recent_files()
        if not files:
            menu.addAction("(none)").setEnabled(False)
        for path in files:
            menu.addAction(path, lambda p=path: self.open_path(p))

    def drop(self, event: QtGui.QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith((".yaml", ".yml")):
                self.open_path(url.toLocalFile())
                event.acceptProposedAction()
                return

    # ---------------------------------------------------------------- recovery

    def offer_recovery(self) -> None:
        """Offer each copy another session left; one kept stays until restored or discarded."""
        found, skipped = recovery.pending(exclude=self.session.id)
        for bad in skipped:  # left where it is, for a person to look at
            note = f"Skipped recovery file {bad.path}: {bad.reason}"
            print(f"demarche: {printable(note)}", file=sys.stderr)
            self.status(note, 8000)
        for item in found:
            held = recovery.hold(item.path)  # until asked: no other editor offers it too
            if held is None:
                continue
            p = item.project
            answer = QtWidgets.QMessageBox.question(
                self.window,
                "Recover unsaved work",
                "Demarche found work that was not saved when it last stopped:\n\n"
                f"{item.original or 'an unsaved project'}\n"
                f"“{p.title}”: {counted(len(p.events), 'event')}, {counted(len(p.demands), 'demand')}\n"
                f"autosaved {item.saved}\n\nRestore it?",
                Button.Yes | Button.No,
            )
            if answer == Button.Yes:
                self.session.take(item.project, item.original or None, saved=False)
                recovery.discard(item.path)
                self.session.write_recovery()  # now this session's own copy
                return
            ask = "Delete this recovered copy? (No keeps it, to be offered next time.)"
            answer = QtWidgets.QMessageBox.question(self.window, "Recover unsaved work", ask)
            if answer == Button.Yes:
                recovery.discard(item.path)


def not_creatable(path: str) -> str:
    """Why a new project cannot be saved as `path`, or ""."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"{path} was not created: there is no folder {folder}."
    if os.path.splitext(path)[1].lower() not in (".yaml", ".yml"):
        return f"{path} was not created: a Demarche project's name ends in .yaml."
    return ""


def is_big(path: str | None) -> bool:
    """Whether the file is big enough to be read on a thread."""
    try:
        return bool(path) and os.path.getsize(path) >= BIG_FILE_BYTES
    except OSError:
        return False  # load says why, located


def may_save_over(window: QtWidgets.QWidget, session: Session) -> bool:
    """Whether to save over the document's file: yes, unless it changed elsewhere since it
    was read (and was not reloaded), when the person is asked."""
    if not session.changed_since_read():
        return True
    name = os.path.basename(session.path)
    answer = QtWidgets.QMessageBox.question(
        window,
        "File changed on disk",
        f"{name} has been changed by another program since you opened it.\n\n"
        f"Save your version over it? (What it holds now is kept as {name}.bak.)",
        Button.Save | Button.Cancel,
        Button.Cancel,
    )
    return answer == Button.Save


def still_open(doc) -> str:
    """The project that stays open untouched, named; nothing at launch or after Close,
    when there is none."""
    if doc.path:
        return f" {escape(os.path.basename(doc.path))}, open here, is untouched."
    return " The new project you are working on is untouched." if doc.modified else ""


def _writer(window: QtWidgets.QWidget, session: Session, path: str):
    """`write(force)`: the session saved to `path`, a big project written on a thread
    (busy.waited), a small one at once."""
    run = at_once
    if session.doc.project.size() > WRITTEN_ON_A_THREAD:
        say = window.statusBar().showMessage
        run = partial(waited, say=say, label=f"Saving {os.path.basename(path)}…")
    return lambda force: session.save(path, replace_read_only=force, run=run)
