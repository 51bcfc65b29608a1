"""Acting on a menu or dialog a test opens, once it is open: Qt's exec() holds the test
until it closes, so the action waits on a timer. A fixed delay is not enough under load
(the timer fired before the menu opened, and the run hung on the open menu)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore, QtWidgets

popup = QtWidgets.QApplication.activePopupWidget
modal = QtWidgets.QApplication.activeModalWidget


def when_open(act: Callable, find: Callable = popup, timeout_ms: int = 10_000) -> None:
    """Run `act(widget)` as soon as `find()` gives an open widget, looking every 10 ms
    until `timeout_ms`. If `act` fails, the widget is closed, so that the test fails
    (pytest-qt reports the exception) instead of hanging."""
    deadline = QtCore.QDeadlineTimer(timeout_ms)

    def look() -> None:
        widget = find()
        if widget is None or not widget.isVisible():
            if not deadline.hasExpired():
                QtCore.QTimer.singleShot(10, look)
            return
        try:
            act(widget)
        except BaseException:
            widget.close()
            raise

    QtCore.QTimer.singleShot(10, look)
