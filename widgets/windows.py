"""The editor's windows belong to the application object: each is deleted when it closes,
and until then the application holds it, so a window opened from another (an import's
new project) needs no list of its own to stay alive."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

_KEY = "_demarche_windows"


def _held() -> dict[int, QtWidgets.QWidget]:
    app = QtWidgets.QApplication.instance()
    held = getattr(app, _KEY, None)
    if held is None:
        held = {}
        setattr(app, _KEY, held)
    return held


def track_window(window: QtWidgets.QWidget) -> None:
    """Hold `window` until it closes, then let Qt delete it."""
    window.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
    held, key = _held(), id(window)
    held[key] = window
    # Forget it when Qt deletes it (the slot must not hold the window itself).
    window.destroyed.connect(lambda *_: held.pop(key, None))


def open_windows() -> list[QtWidgets.QWidget]:
    """The windows open now, oldest first."""
    return list(_held().values())


def current_window() -> QtWidgets.QWidget | None:
    """The active editor window, else the newest one open, else None."""
    windows = open_windows()
    active = QtWidgets.QApplication.activeWindow()
    if active in windows:
        return active
    return windows[-1] if windows else None
