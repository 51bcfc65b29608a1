"""Windows own their lifetime: a closed window is deleted and let go, and each window's
keys are its own."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest
from shiboken6 import Shiboken

from widgets import importdialog
from widgets.windows import open_windows

Key = QtCore.Qt.Key
CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | QtCore.Qt.KeyboardModifier.ShiftModifier
Button = QtWidgets.QMessageBox.StandardButton


def deleted(widget) -> bool:
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    return not Shiboken.isValid(widget)


def opened_from_import(qtbot, window, tmp_path):
    """File ▸ Import ▸ Open as New Project: the new window, unsaved."""
    mw = tmp_path / "c.mw"
    mw.write_text("# Egypt\n1978-09-05: Sadat arrives\n")
    importdialog.ImportDialog(window, [str(mw)]).open_new()
    new = open_windows()[-1]
    assert new is not window and new.isWindowModified()
    new.resize(1400, 900)  # room for the toolbar's search box
    new.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is new)
    return new


def test_a_closed_window_is_deleted_and_let_go(window, saved, answers):
    asked, _ = answers
    window.open_path(str(saved))
    window.close()
    assert deleted(window) and not open_windows() and not asked


def test_a_windows_keys_watch_only_its_own_focused_field(qtbot, window, tmp_path, monkeypatch):
    """No application-wide filter: a window looks only at its own focused widget, so a
    key in one window's field acts there and not in another window."""
    other = opened_from_import(qtbot, window, tmp_path)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Qatar", True))
    other.search.setFocus()
    assert other.keys.watched is other.search and window.keys.watched is None
    QTest.keyClick(other.search, Key.Key_A, CTRL_SHIFT)  # a line edit's Deselect
    assert [a.name for a in other.doc.project.actors][-1] == "Qatar"
    assert "Qatar" not in [a.name for a in window.doc.project.actors]
