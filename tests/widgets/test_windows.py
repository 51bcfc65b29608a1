"""Windows own their lifetime: a closed window is deleted and let go, Close closes (after
the unsaved-changes question), each window's keys are its own, and Ctrl+Y redoes."""

from __future__ import annotations

import dataclasses
import gc
import weakref

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest
from shiboken6 import Shiboken

from widgets import heap, importdialog
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
    dialog = importdialog.ImportDialog(window, [str(mw)])
    assert dialog.wait()  # the preview is read off the GUI thread
    dialog.open_new()
    assert dialog.wait()
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


def test_a_closed_window_of_a_big_project_lets_its_project_go(
    qtbot, make_window, saved, monkeypatch
):
    """A big project's records are kept out of the collector's passes while shown
    (widgets/heap.py); once its window is closed, its window, document and records
    (which hold one another) are freed all the same."""
    monkeypatch.setattr(heap, "SETTLE_FROM", 1)  # the test's project counts as big
    window = make_window()
    window.open_path(str(saved))
    assert gc.get_freeze_count() > 0
    gone = [weakref.ref(o) for o in (window, window.doc, window.canvas)]  # and the records
    window.close()
    assert deleted(window)
    del window
    qtbot.waitUntil(lambda: not any(r() for r in gone))
    gc.freeze()  # as the suite had it (tests/conftest.py), for the tests after this one


def test_nothing_stays_frozen_once_no_canvas_shows_a_big_project(qtbot, small_project, monkeypatch):
    """The collector gets everything back when the last big project goes: its canvas
    deleted (even while something still holds the canvas's Python object), or showing a
    small project instead."""
    from app.editing.document import Document
    from widgets.canvas import TimelineCanvas

    monkeypatch.setattr(heap, "SETTLE_FROM", 3)  # the test's project counts as big
    gc.unfreeze()  # what the suite froze (tests/conftest.py): frozen again at the end
    kept = TimelineCanvas(Document(small_project))
    assert gc.get_freeze_count() > 0
    kept.deleteLater()
    assert deleted(kept)
    qtbot.waitUntil(lambda: gc.get_freeze_count() == 0)
    canvas = TimelineCanvas(Document(small_project))
    qtbot.addWidget(canvas)
    assert gc.get_freeze_count() > 0
    canvas.doc.replace_project(dataclasses.replace(small_project, events=[], demands=[]))
    qtbot.waitUntil(lambda: gc.get_freeze_count() == 0)
    gc.freeze()  # as the suite had it (tests/conftest.py), for the tests after this one


def test_ctrl_w_and_discard_close_a_window_opened_by_an_import(qtbot, window, tmp_path, answers):
    asked, reply = answers
    new = opened_from_import(qtbot, window, tmp_path)
    reply["question"] = Button.Discard
    QTest.keyClick(new.canvas, Key.Key_W, CTRL)
    assert [a[1] for a in asked] == ["Unsaved changes"]  # asked once
    assert deleted(new) and new not in open_windows()  # no empty "Untitled" left behind
    assert open_windows() == [window] and window.isVisible()


def test_new_after_an_import_gives_a_clean_project(qtbot, window, tmp_path, answers):
    asked, reply = answers
    new = opened_from_import(qtbot, window, tmp_path)
    reply["question"] = Button.Discard
    QTest.keyClick(new.canvas, Key.Key_N, CTRL)
    assert len(asked) == 1 and not new.doc.project.events
    assert not new.isWindowModified() and "unsaved[*]" in new.windowTitle()
    new.actions_["close"].trigger()
    assert deleted(new) and len(asked) == 1  # nothing to ask about an empty new project


def test_close_with_cancel_keeps_the_window_and_its_work(qtbot, window, tmp_path, answers):
    asked, reply = answers
    new = opened_from_import(qtbot, window, tmp_path)
    reply["question"] = Button.Cancel
    new.actions_["close"].trigger()
    assert not deleted(new) and new.isVisible() and new in open_windows()
    assert new.doc.project.events[0].title == "Sadat arrives" and new.isWindowModified()
    reply["question"] = Button.Discard
    new.actions_["close"].trigger()
    assert deleted(new) and len(asked) == 2


def test_close_closes_a_saved_window_without_asking(window, saved, answers):
    asked, _ = answers
    window.open_path(str(saved))
    QTest.keyClick(window.canvas, Key.Key_W, CTRL)
    assert deleted(window) and not open_windows() and not asked


@pytest.fixture
def x11_keys(monkeypatch):
    """The standard keys of a real X11 window (xcb), where Redo is Ctrl+Shift+Z alone; the
    offscreen platform's generic theme adds Ctrl+Y itself."""
    standard = QtGui.QKeySequence.keyBindings
    x11 = {QtGui.QKeySequence.StandardKey.Redo: ["Ctrl+Shift+Z"]}

    def key_bindings(key):
        if key in x11:
            return [QtGui.QKeySequence(k) for k in x11[key]]
        return standard(key)

    monkeypatch.setattr(QtGui.QKeySequence, "keyBindings", key_bindings)


def test_ctrl_y_and_ctrl_shift_z_redo(x11_keys, window, saved):
    window.open_path(str(saved))
    before = window.doc.get("events", "release").when
    window.canvas.setFocus()
    window.doc.select(["release"])
    QTest.keyClick(window.canvas, Key.Key_Right)  # nudge: one undo step
    moved = window.doc.get("events", "release").when
    assert moved != before
    for redo in ((Key.Key_Y, CTRL), (Key.Key_Z, CTRL_SHIFT)):
        QTest.keyClick(window.canvas, Key.Key_Z, CTRL)
        assert window.doc.get("events", "release").when == before
        QTest.keyClick(window.canvas, *redo)
        assert window.doc.get("events", "release").when == moved, redo


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
