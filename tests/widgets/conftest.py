from __future__ import annotations

import copy

import pytest
from PySide6 import QtCore, QtWidgets

from app.editing import recovery
from app.editing.document import Document
from app.fileformat import projectfile
from widgets.canvas import TimelineCanvas
from widgets.mainwindow import MainWindow
from widgets.windows import open_windows


@pytest.fixture
def canvas(qtbot, small_project):
    doc = Document(copy.deepcopy(small_project))
    widget = TimelineCanvas(doc)
    widget.resize(1200, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_time_range(*_span("2023-10-15", "2023-11-30"))
    QtWidgets.QApplication.processEvents()
    yield widget
    # The commands go now, while their Python sides live. Left to the cyclic collector
    # with their document (which no window owns here), a command's Python side could go
    # before the stack that deletes it: a crash in QUndoStack::clear, about one run of
    # this folder's test_canvas.py in 25, after its last test.
    doc.undo_stack.clear()


def _span(a: str, b: str) -> tuple[float, float]:
    from app.records.when import parse

    return parse(a).lo, parse(b).lo


def to_screen(canvas: TimelineCanvas, t: float, y: float) -> QtCore.QPoint:
    """Where a time and layout y are on the plot's viewport, in its pixels."""
    scene = canvas.viewbox.mapViewToScene(QtCore.QPointF(t, y))
    return canvas.plot.mapFromScene(scene)


YES = QtWidgets.QMessageBox.StandardButton.Yes


def killed(window: MainWindow) -> None:
    """As when the window's editor is killed: no close, no clean-up, and the hold on its
    recovery copy gone with its process (app/editing/recovery.py `claim`)."""
    window.hide()
    window.session._claim = None


@pytest.fixture
def saved(tmp_path, small_project):
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    return path


@pytest.fixture
def make_window(qtbot, tmp_path, monkeypatch):
    """Opens an editor window, shown; for a test that must not hold it past its close (a
    fixture's value is held until the test ends)."""
    monkeypatch.setattr(recovery, "folder", lambda: str(_folder(tmp_path / "recovery")))
    settings = QtCore.QSettings(str(tmp_path / "settings.ini"), QtCore.QSettings.Format.IniFormat)

    def make() -> MainWindow:
        w = MainWindow(settings, offer_recovery=False)
        w.resize(1400, 900)
        w.show()
        qtbot.waitExposed(w)
        return w

    return make


@pytest.fixture
def window(make_window):
    return make_window()  # closed and deleted after the test, with every other window


@pytest.fixture(autouse=True)
def no_window_outlives_its_test(qapp):
    """Every editor window a test opened (the fixture's, its own, an import's new one) is
    closed after it, without the unsaved-changes question, and deleted."""
    yield
    for w in open_windows():
        w.doc.undo_stack.setClean()
        w.close()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert not open_windows(), "a window refused to close"


def _folder(path):
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def answers(monkeypatch):
    """Patch the message boxes: record what was asked, answer as told."""
    asked = []
    reply = {"question": YES}

    def question(parent, title, text, *args, **kwargs):
        asked.append(("question", title, text))
        return reply["question"]

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            asked.append((kind, title, text))
            return QtWidgets.QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", record("critical"))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", record("warning"))
    return asked, reply


@pytest.fixture
def when_asked(qtbot):
    """Answer each "when did it change?" dialog as told, in turn: a text typed over the
    proposal (None keeps it), a note and, where it is asked, a status; or "cancel".
    Records what each dialog proposed."""
    from PySide6.QtTest import QTest

    from widgets.dialogs import WhenDialog

    replies: list = []
    proposed: list[str] = []

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, WhenDialog) or not dialog.isVisible() or not replies:
            return
        reply = replies.pop(0)
        proposed.append(dialog.field.edit.text())
        if reply == "cancel":
            dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).click()
            return
        text, note, *status = reply if isinstance(reply, tuple) else (reply, "")
        if text is not None:
            dialog.field.edit.selectAll()
            QTest.keyClicks(dialog.field.edit, text)
        QTest.keyClicks(dialog.note, note)
        if status:  # a history's new row: the status it changed to
            assert dialog.status.isVisible(), "the dialog does not ask the status"
            dialog.status.setCurrentIndex(dialog.status.findData(status[0]))
        dialog.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).click()

    timer = QtCore.QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    yield replies, proposed
    timer.stop()
