"""A timer that counts its ticks: a test of work off the GUI thread checks the event loop
kept serving timers meanwhile."""

from __future__ import annotations

from PySide6 import QtCore


def ticking() -> list:
    """[how many times a 10 ms timer has fired, the timer (kept alive with the list)]"""
    ticks = [0]
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(10)
    ticks.append(timer)
    return ticks
