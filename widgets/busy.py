"""The wait cursor over the whole application while a long step runs on the GUI thread:
it says the window is working, not frozen; and a step run on a thread while the window
keeps painting (`waited`)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from PySide6 import QtCore, QtWidgets

from widgets.background import wait_until
from widgets.progressrun import SHOW_AFTER_MS

INPUT_WAITS = QtCore.QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents


@contextlib.contextmanager
def waiting(long: bool = True) -> Iterator[None]:
    """The wait cursor while within, for a long step; nothing for a short one."""
    if long:
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        if long:
            QtWidgets.QApplication.restoreOverrideCursor()


def waited(step: Callable[[], None], parent: QtWidgets.QWidget, label: str) -> None:
    """`step()` run on a thread, returned from once it has ended (raising what it raised).
    Meanwhile the window paints and its timers run, under the wait cursor, and a dialog
    says what it waits for after SHOW_AFTER_MS. The keys and clicks wait too, and come
    after: an edit made while a project is written would race its writer. (On the GUI
    thread, writing a million events froze the window for five seconds.)"""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as exc:  # raised again on the GUI thread
            failed.append(exc)

    thread = threading.Thread(target=run, name=label)
    dialog = QtWidgets.QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)  # (a file half written is never left: nothing to cancel)
    dialog.setWindowTitle(parent.window().windowTitle() if parent else label)
    dialog.setMinimumDuration(0)
    dialog.hide()
    shown = QtCore.QTimer(dialog, singleShot=True, interval=SHOW_AFTER_MS)
    shown.timeout.connect(dialog.show)
    with waiting():
        thread.start()
        shown.start()
        try:
            wait_until(lambda: not thread.is_alive(), -1, INPUT_WAITS)
        finally:
            shown.stop()
            dialog.hide()
            dialog.deleteLater()
    if failed:
        raise failed[0]
