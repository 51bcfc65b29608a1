"""The wait cursor over the whole application while a long step runs on the GUI thread:
it says the window is working, not frozen; and a step run on a thread while the window
keeps painting (`waited`)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from PySide6 import QtCore, QtWidgets

from widgets.background import wait_until

INPUT_WAITS = QtCore.QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
_WAITING = [0]  # `waited` steps under way


def steps_waited() -> bool:
    """Whether a step is being waited for (`waited`): work that ends meanwhile answers
    after it, and nothing else serves the person's input."""
    return _WAITING[0] > 0


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


def waited(step: Callable[[], None], say: Callable[[str], None], label: str) -> None:
    """`step()` run on a thread, returned from once it has ended (raising what it raised).
    Meanwhile the window paints and its timers run, under the wait cursor, and `say(label)`
    tells what it waits for (in the status bar: a dialog shown took the focus, and a field
    left committed its text, an edit made while the project was written). The keys and
    clicks wait too, and come after. (On the GUI thread, writing a million events froze the
    window for five seconds.)"""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            step()
        except BaseException as exc:  # raised again on the GUI thread
            failed.append(exc)

    thread = threading.Thread(target=run, name=label)
    with waiting():
        say(label)
        _WAITING[0] += 1
        try:
            thread.start()
            wait_until(lambda: not thread.is_alive(), -1, INPUT_WAITS)
        finally:
            _WAITING[0] -= 1
            say("")
    if failed:
        raise failed[0]
