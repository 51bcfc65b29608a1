"""Work off the GUI thread: results come back on the GUI thread, and a cancel reaches work
that registers its stop after the person pressed Stop."""

from __future__ import annotations

import threading

from PySide6 import QtCore

from widgets.background import run_in_background


class Receiver(QtCore.QObject):
    def __init__(self):
        super().__init__()
        self.results, self.threads = [], []

    @QtCore.Slot(object)
    def done(self, result) -> None:
        self.results.append(result)
        self.threads.append(threading.current_thread())


def test_a_stop_registered_after_cancel_is_called_at_once(qtbot):
    receiver = Receiver()
    pressed, stopped = threading.Event(), threading.Event()

    def work(task):
        pressed.wait(5)  # the person presses Stop before DuckDB has connected
        task.on_cancel(stopped.set)
        return stopped.wait(5)

    task = run_in_background(work, receiver.done, receiver.done, receiver)
    task.cancel()
    pressed.set()
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=10_000)
    assert receiver.results == [True]
    assert receiver.threads == [threading.main_thread()]
