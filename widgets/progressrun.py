"""Long work behind a progress dialog with Cancel (exports, opening a big file): the work
runs on a thread (widgets/background.py), the window keeps painting and answering, and
the dialog shows only when the work lasts (a small project's export flashes nothing).

    ProgressRun(window, "Export", "Exporting talks.png…", work, on_done, on_error, on_cancel)

`work(task)` calls `task.step(done, total)` between its steps; once the person cancels,
the next step raises `Cancelled` and the work stops there, before it writes anything."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

from widgets import busy
from widgets.background import WAKE_MS, Cancelled, Task, run_in_background, wait_until

SHOW_AFTER_MS = 400  # shorter work finishes without a dialog


class ProgressRun(QtCore.QObject):
    """One piece of work and its dialog. Exactly one of `on_done(result)`, `on_error(exc)`
    or `on_cancel()` is called, on the GUI thread, once the work has stopped (work that
    finished before it could see the cancel answers `on_done`: what it wrote is there)."""

    def __init__(
        self,
        parent: QtWidgets.QWidget,
        title: str,
        label: str,
        work: Callable[[Task], object],
        on_done: Callable[[object], None],
        on_error: Callable[[BaseException], None],
        on_cancel: Callable[[], None] | None = None,
        dialog: bool = True,
    ):
        super().__init__(parent)
        self.on_done, self.on_error, self.on_cancel = on_done, on_error, on_cancel
        self.running = True
        self.dialog: QtWidgets.QProgressDialog | None = None
        # A modal dialog's setValue runs the event loop, where the work may end and its
        # dialog be let go: what ends meanwhile is deleted once setValue has returned (a
        # dialog deleted inside its own setValue crashed the editor).
        self._stepping = False
        self._to_delete: list[QtCore.QObject] = []
        if dialog:
            self.dialog = QtWidgets.QProgressDialog(label, "Cancel", 0, 0, parent)
            self.dialog.setWindowTitle(title)
            self.dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
            self.dialog.setMinimumDuration(SHOW_AFTER_MS)
            self.dialog.setAutoReset(False)
            self.dialog.setAutoClose(False)
            self.dialog.canceled.connect(self.cancel)
            self.dialog.setValue(0)  # starts its clock: it shows after SHOW_AFTER_MS, steps or not
        self.task = run_in_background(work, self._done, self._failed, self)
        self.task.stepped.connect(self._stepped)

    def cancel(self) -> None:
        """Ask the work to stop at its next step (the dialog goes at once)."""
        self.task.cancel()
        self._close()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Until the work has answered (for scripts and tests); whether it did."""
        return wait_until(lambda: not self.running, timeout_ms)

    @QtCore.Slot(int, int)
    def _stepped(self, done: int, total: int) -> None:
        if self.dialog is None or not self.running or self.task.cancelled or self._stepping:
            return
        if busy.steps_waited():  # (its setValue would serve every event, the keys too)
            return
        self._stepping = True
        try:
            self.dialog.setMaximum(total)
            self.dialog.setValue(done)
        finally:
            self._stepping = False
            for gone in self._to_delete:
                gone.deleteLater()
            self._to_delete.clear()

    def _delete_later(self, gone: QtCore.QObject) -> None:
        if self._stepping:
            self._to_delete.append(gone)
        else:
            gone.deleteLater()

    @QtCore.Slot(object)
    def _done(self, result) -> None:
        if self._after_a_save(self._done, result):
            return
        if self.running:  # answered once
            on_done, _, _ = self._end()
            on_done(result)

    @QtCore.Slot(object)
    def _failed(self, exc: BaseException) -> None:
        if self._after_a_save(self._failed, exc) or not self.running:
            return
        _, on_error, on_cancel = self._end()
        if isinstance(exc, Cancelled):
            if on_cancel is not None:
                on_cancel()
        else:
            on_error(exc)

    def _after_a_save(self, answer, value) -> bool:
        """Whether a save is being written (busy.waited): the answer then comes after it
        (a file opened meanwhile came in under the save; a question asked waited in it)."""
        if not busy.steps_waited():
            return False
        QtCore.QTimer.singleShot(WAKE_MS, self, lambda: answer(value))
        return True

    def _end(self) -> tuple:
        """The run is over: its dialog goes, and its answers are handed back once (what
        they hold, a project read or painted, goes with them). The run itself stays, a
        small child of its window until the window goes: deleted once done (deleteLater),
        it took the editor down after an export now and then ("shared QObject was deleted
        directly", PySide6 6.11)."""
        self.running = False
        self._close()
        answers = self.on_done, self.on_error, self.on_cancel
        self.on_done = self.on_error = self.on_cancel = None
        return answers

    def _close(self) -> None:
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            self._delete_later(dialog)
