"""Work off the GUI thread: results come back on the GUI thread, and a cancel reaches work
that registers its stop after the person pressed Stop."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
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


def test_an_answer_that_is_no_method_of_a_qobject_is_refused():
    """A plain function or a lambda connected to the task (which lives on its thread) was
    called on that thread once its loop had ended, so never: an answer or error lost
    without a word. Refused at once, before any work starts."""
    receiver = Receiver()
    for answer in (print, lambda result: None):
        with pytest.raises(TypeError, match="not a method of a QObject"):
            run_in_background(lambda task: 1, answer, receiver.done, receiver)
        with pytest.raises(TypeError, match="not a method of a QObject"):
            run_in_background(lambda task: 1, receiver.done, answer, receiver)


QUIT_WHILE_READING = """
import threading, time
from PySide6 import QtCore, QtWidgets
app = QtWidgets.QApplication([])
from widgets.background import run_in_background
class Receiver(QtCore.QObject):
    @QtCore.Slot(object)
    def said(self, answer):
        print(answer)
receiver = Receiver()
quitting = threading.Event()
def read(task):  # cannot stop midway: still running when the application quits, and after
    quitting.wait(30)
    time.sleep(0.3)
def quit():
    quitting.set()
    app.quit()
run_in_background(read, receiver.said, receiver.said, receiver)
QtCore.QTimer.singleShot(100, quit)
app.exec()
print("quit cleanly")
"""


def test_quitting_while_a_task_runs_waits_for_it_instead_of_aborting():
    """A QThread destroyed while it runs aborts the process: the task ends first."""
    root = Path(__file__).parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_READING],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "quit cleanly" in done.stdout


def test_a_cancel_between_two_statements_still_stops_the_next_one(qtbot):
    """DuckDB's interrupt stops only the statement running: one that came while none ran
    (connected, between two statements) was lost, and the next read on for as long as it
    took. The cancel is said again until the work ends."""
    from app.context.summary import Guarded, connect

    receiver = Receiver()
    connected = threading.Event()

    def work(task):
        con = Guarded(connect())  # (its interrupt must not race its close)
        task.on_cancel(con.interrupt)
        connected.set()
        while not task.cancelled:  # the cancel comes now, while no statement runs
            threading.Event().wait(0.01)
        try:  # a trillion rows: hours, unless interrupted
            return con.execute("SELECT count(*) FROM range(1000000000000)").fetchall()
        except Exception as e:
            return type(e).__name__
        finally:
            con.close()

    task = run_in_background(work, receiver.done, receiver.done, receiver)
    connected.wait(10)
    task.cancel()
    qtbot.waitUntil(lambda: bool(receiver.results), timeout=10_000)
    assert receiver.results == ["InterruptException"]
