"""A document's life with its file: open, save, save as, revert, reload when the file
changes on disk, autosave to a recovery copy. No window needed: the editor asks the
person its questions and calls these; "files never lose work" is tested here alone.

    session = Session(doc)
    session.open("talks.yaml")        # ProjectFileError: nothing changed
    session.save()                    # OSError: still modified, nothing lost
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Callable

from PySide6 import QtCore

from app.editing import edits, recovery
from app.editing.document import UNTITLED, Document
from app.fileformat import projectfile
from app.fileformat.textfile import fingerprint
from app.records.model import Project

AUTOSAVE_MS = 30_000


def title_of(path: str) -> str:
    """A title made from a file's name: hostage_talks-2023.yaml is "Hostage talks 2023"."""
    stem = os.path.splitext(os.path.basename(path))[0]
    words = " ".join(stem.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else UNTITLED


def digest(path: str | None) -> str | None:
    """A fingerprint of what the file holds now, or None if it cannot be read."""
    try:
        with open(path, "rb") as f:
            return fingerprint(f.read())
    except (OSError, TypeError):
        return None


def _stat(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def at_once(write: Callable[[], None]) -> None:
    write()


class Session(QtCore.QObject):
    changedOnDisk = QtCore.Signal(str)  # the file was changed by another program
    autosaveFailed = QtCore.Signal(str)  # why the recovery copy could not be written

    def __init__(self, doc: Document, parent=None, autosave_ms: int = AUTOSAVE_MS):
        super().__init__(parent)
        self.doc = doc
        self.id = uuid.uuid4().hex[:12]  # this window's recovery file
        self._claim: QtCore.QLockFile | None = None  # held from its first write on
        self._disk_digest: str | None = None  # what the file held when last read or written
        self._ours: str | None = None  # ... by this session (a change said keeps this one)
        self._ours_stat: tuple | None = None  # its size, time and inode then
        self.saving = False  # while the project is written (no recovery copy meanwhile)
        self._steps = 0  # each push, undo or redo, and each typing merged into a step
        doc.undo_stack.indexChanged.connect(self._stepped)
        self.watcher = QtCore.QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self.autosave = QtCore.QTimer(self)
        self.autosave.setInterval(autosave_ms)
        self.autosave.timeout.connect(self.write_recovery)
        self.autosave.start()

    @property
    def path(self) -> str | None:
        return self.doc.path

    # ---------------------------------------------------------------- files

    def take(self, project: Project, path: str | None, saved: bool = True) -> None:
        """Make `project` the document's, from `path`. With `saved` off (restored work),
        it is marked modified."""
        self.discard_recovery()
        self._unwatch()
        self.doc.replace_project(project)
        self.doc.path = os.path.abspath(path) if path else None
        self.doc.pathChanged.emit()
        if saved:  # clear() leaves an empty stack's clean mark where it was
            self.doc.undo_stack.setClean()
        else:
            self.doc.undo_stack.resetClean()
        self._watch()

    def new(self, path: str | None = None) -> None:
        """An empty project; with `path` (a file not written yet), saved there."""
        self.take(Project(title=title_of(path) if path else UNTITLED), path)

    def name_after(self, path: str) -> None:
        """A project still titled Untitled takes the name of the file it is first saved
        as, as an edit (the window and the charts said "Untitled" after Save As)."""
        if self.doc.project.title == UNTITLED:
            named = edits.set_title(self.doc, title_of(path), self.doc.project.description)
            if named is not None:
                self.doc.undo_stack.push(named)

    def open(self, path: str) -> None:
        """Load `path` into the document. Raises ProjectFileError, changing nothing."""
        self.take(projectfile.load(path), path)

    def reload(self) -> None:
        """Read the file again, dropping unsaved changes. Raises ProjectFileError."""
        self.take(projectfile.load(self.doc.path), self.doc.path)

    def save(
        self,
        path: str | None = None,
        replace_read_only: bool = True,
        run: Callable[[Callable[[], None]], None] = at_once,
    ) -> None:
        """Save atomically to `path` (or the document's own). Raises OSError (ReadOnlyFile
        for a read-only file unless `replace_read_only`), staying modified. `run(write)`
        calls the writing of the file, and returns once it is written (a window writes a
        big project on a thread: widgets/busy.py `waited`)."""
        if not (path or self.doc.path):
            raise ValueError("no file name")
        if self.saving:  # (asked again from within the wait for the write)
            raise OSError(errno.EBUSY, "it is still being saved: try again once it is done")
        target = os.path.abspath(path or self.doc.path)
        # What is written is the project as it is now: an edit or another project taken
        # while a thread writes (the window's timers run) changes neither the file nor it.
        open_now, project, steps = self.doc.project, self.doc.snapshot(), self._steps
        written: list = []  # what the file holds then, read back there (246 MB at 1M events)

        def write() -> None:
            projectfile.save(project, target, replace_read_only)
            written.append((digest(target), _stat(target)))

        self._unwatch()  # our own write is no change on disk
        self.saving = True
        try:
            run(write)
        except BaseException:
            self._watch()
            raise
        finally:
            self.saving = False
        if self.doc.project is not open_now:
            self._watch()
            return  # another project came in meanwhile: it keeps its own file and state
        if target != self.doc.path:
            self.doc.path = target
            self.doc.pathChanged.emit()
        self._watch(*written[0])
        if self._steps == steps:  # (no step since, nor typing merged: the file holds them)
            self.doc.undo_stack.setClean()
            recovery.remove(self.id)
        else:  # the file holds no state the undo stack can come back to
            self.doc.undo_stack.resetClean()

    # ---------------------------------------------------------------- recovery

    @QtCore.Slot(int)
    def _stepped(self, _index: int) -> None:
        self._steps += 1

    def write_recovery(self) -> str | None:
        """Autosave: the recovery copy of modified work (None when there is nothing to keep,
        or while the project itself is being written)."""
        if not self.doc.modified or self.saving:
            return None
        if self._claim is None:
            self._claim = recovery.claim(self.id)
        try:
            return recovery.write(self.doc.project, self.doc.path, self.id)
        except OSError as exc:
            self.autosaveFailed.emit(exc.strerror or str(exc))
            return None

    def discard_recovery(self) -> None:
        recovery.remove(self.id)

    # ---------------------------------------------------------------- watching

    def changed_since_read(self) -> bool:
        """Whether the file now holds something this session neither read nor wrote (a
        change made elsewhere, which the person chose not to reload): a save would replace
        it."""
        if not self.doc.path or _stat(self.doc.path) in (None, self._ours_stat):
            return False  # (as it was: not read again, before a save of a big file)
        now = digest(self.doc.path)
        return now is not None and now != self._ours

    def _watch(self, known: str | None = None, known_stat: tuple | None = None) -> None:
        """Watch the document's file, holding what it holds now (`known`: read already)."""
        path = self.doc.path
        self._disk_digest = self._ours = known or (digest(path) if path else None)
        self._ours_stat = known_stat or (_stat(path) if path else None)
        if self.doc.path and os.path.exists(self.doc.path):
            self.watcher.addPath(self.doc.path)

    def _unwatch(self) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())

    def _file_changed(self, path: str) -> None:
        if path != self.doc.path:
            return
        if os.path.exists(path):
            self.watcher.addPath(path)  # editors and git replace the file, which drops the watch
        now = digest(path)
        if now is None or now == self._disk_digest:
            return
        self._disk_digest = now
        self.changedOnDisk.emit(path)
