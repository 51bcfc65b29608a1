"""The wait cursor over the whole application while a long step runs on the GUI thread:
it says the window is working, not frozen."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6 import QtCore, QtWidgets


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
