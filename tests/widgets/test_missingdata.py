"""A project opens with a context data file gone: a bar above the chart says so (the Context
panel waits behind the Tables tab), with Locate… (one undoable edit), Context Panel and
Dismiss; no dialog stops the open."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from tests.widgets.test_contextpanel_locate import _answer, _write
from widgets import background
from widgets.comparedock import in_front

LEFT = QtCore.Qt.MouseButton.LeftButton


def _project_with_gone_file(tmp_path, small_project, monkeypatch):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    small_project.context = [
        ContextData(id="acled", title="ACLED", path="data/acled.csv", match=hamas)
    ]
    project = tmp_path / "talks" / "talks.yaml"
    project.parent.mkdir()
    projectfile.save(small_project, project)
    return project


def _said_once_opened(window, qtbot, project):
    """The bar above the chart, once the project is open and its gone file said."""
    window.open_path(str(project))
    qtbot.waitUntil(window.missing_data.isVisible, timeout=20_000)
    return window.missing_data


def test_a_gone_data_file_is_said_above_the_chart_and_located_from_there(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    project = _project_with_gone_file(tmp_path, small_project, monkeypatch)
    bar = _said_once_opened(window, qtbot, project)
    assert QtWidgets.QApplication.activeModalWidget() is None  # nothing to answer
    assert "ACLED" in bar.label.text() and "data/acled.csv" in bar.label.text()
    assert not in_front(window.docks["context"])  # (the panel still behind its tab)
    moved = _write(project.parent / "conflict" / "acled.csv")
    asked = _answer(monkeypatch, moved)
    qtbot.mouseClick(bar.locate, LEFT)
    assert asked == [("Locate acled.csv (ACLED)", str(project.parent))]
    assert window.doc.project.context[0].path == "conflict/acled.csv"
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=20_000)
    assert not window.canvas.view.context[0].missing
    window.actions_["undo"].trigger()  # gone again: said again
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert background.wait_all()


def test_dismissed_it_stays_away_until_a_project_opens(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    project = _project_with_gone_file(tmp_path, small_project, monkeypatch)
    bar = _said_once_opened(window, qtbot, project)
    panel_button = next(b for b in bar.findChildren(QtWidgets.QPushButton) if "Panel" in b.text())
    qtbot.mouseClick(panel_button, LEFT)
    assert in_front(window.docks["context"])
    dismiss = next(b for b in bar.findChildren(QtWidgets.QToolButton) if b.accessibleName())
    qtbot.mouseClick(dismiss, LEFT)
    assert not bar.isVisible()
    window.context.reload()  # read again, the same file gone: not said again
    qtbot.waitUntil(lambda: window.context.task is None, timeout=20_000)
    assert not bar.isVisible()
    copy = project.with_name("copy.yaml")  # (the same file is open already)
    copy.write_bytes(project.read_bytes())
    window.open_path(str(copy))  # a project opened: its gone file said again
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    assert background.wait_all()


def test_a_project_whose_data_is_all_there_shows_no_bar(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    project = _project_with_gone_file(tmp_path, small_project, monkeypatch)
    _write(project.parent / "data" / "acled.csv")
    window.open_path(str(project))
    qtbot.waitUntil(lambda: window.context.list.count() == 1 and window.context.task is None)
    qtbot.waitUntil(
        lambda: window.canvas.view.context and not window.canvas.view.context[0].missing,
        timeout=20_000,
    )
    assert not window.missing_data.isVisible()
    assert background.wait_all()
