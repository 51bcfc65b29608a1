"""A dataset whose file is gone (moved, renamed): the Context panel says which file, and
Locate… (or a double-click) finds it with a file dialog, kept as one undoable edit, relative
to the project as its old path was. It could only be removed and added again, matches and
filters retyped."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from tests.app.test_context import write_csv
from widgets import background

LEFT = QtCore.Qt.MouseButton.LeftButton


def rows(window) -> list[str]:
    return [window.context.list.item(i).text() for i in range(window.context.list.count())]


def _opened_with_gone(window, qtbot, tmp_path, small_project, monkeypatch, path: str):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    small_project.context = [
        ContextData(id="acled", title="ACLED", path=path, match=hamas, countries=("Palestine",))
    ]
    project = tmp_path / "talks" / "talks.yaml"
    project.parent.mkdir()
    projectfile.save(small_project, project)
    window.open_path(str(project))
    window.docks["context"].raise_()  # (behind the Tables' tab until asked for)
    qtbot.waitUntil(lambda: len(rows(window)) == 1 and window.context.task is None, timeout=20_000)
    return project


def _write(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(path)


def _answer(monkeypatch, path) -> list:
    """The file dialog answers `path`; what it was asked is kept."""
    asked = []

    def dialog(parent, caption, folder, filters):
        asked.append((caption, folder))
        return str(path), filters

    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", dialog)
    return asked


def test_a_gone_file_is_said_and_located_as_one_undo_step_kept_relative(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    project = _opened_with_gone(
        window, qtbot, tmp_path, small_project, monkeypatch, "data/acled.csv"
    )
    panel = window.context
    (row,) = rows(window)
    assert row.startswith("ACLED — missing: ") and "data/acled.csv (moved or deleted?)" in row
    assert "ACLED (data/acled.csv)" in panel.status.text() and "Locate…" in panel.status.text()
    assert panel.locate.isEnabled()  # the only dataset listed: no need to select it
    moved = _write(project.parent / "conflict" / "acled-2023.csv")
    asked = _answer(monkeypatch, moved)
    qtbot.mouseClick(panel.locate, LEFT)
    assert asked == [("Locate acled.csv (ACLED)", str(project.parent))]  # (data/ is gone too)
    (record,) = window.doc.project.context
    assert record.path == os.path.join("conflict", "acled-2023.csv")  # relative, as it was
    assert record.countries == ("Palestine",)  # the rest of the dataset as it was
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 2 rows (of Palestine)"], timeout=20_000)
    assert not panel.locate.isEnabled() and panel.status.text() == ""
    assert [layer.missing for layer in window.canvas.view.context] == [False]
    window.actions_["save"].trigger()
    assert 'path: "conflict/acled-2023.csv"' in project.read_text()
    window.actions_["undo"].trigger()
    assert window.doc.project.context[0].path == "data/acled.csv"
    qtbot.waitUntil(lambda: rows(window)[0].startswith("ACLED — missing: "), timeout=20_000)
    assert window.canvas.view.context[0].missing
    window.actions_["redo"].trigger()
    assert window.doc.project.context[0].path == "conflict/acled-2023.csv"
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 2 rows (of Palestine)"], timeout=20_000)
    assert background.wait_all()


def test_a_double_click_locates_and_a_path_kept_whole_stays_whole(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    gone = tmp_path / "old" / "acled.csv"
    _opened_with_gone(window, qtbot, tmp_path, small_project, monkeypatch, str(gone))
    moved = _write(tmp_path / "new" / "acled.csv")
    asked = _answer(monkeypatch, moved)
    panel = window.context
    item = panel.list.item(0)
    rect = panel.list.visualItemRect(item)
    qtbot.mouseClick(panel.list.viewport(), LEFT, pos=rect.center())  # (a view takes a
    qtbot.mouseDClick(panel.list.viewport(), LEFT, pos=rect.center())  # press before it)
    assert asked == [("Locate acled.csv (ACLED)", str(tmp_path))]
    assert window.doc.project.context[0].path == str(moved)  # whole, outside the project
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 2 rows (of Palestine)"], timeout=20_000)
    # Locating it where it already is changes nothing (no empty undo step).
    assert edits.relocate_context(window.doc, "acled", str(moved)) is None
    assert background.wait_all()


def test_a_relative_path_stays_relative_even_outside_the_projects_folder(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    _opened_with_gone(window, qtbot, tmp_path, small_project, monkeypatch, "acled.csv")
    moved = _write(tmp_path / "shared" / "acled.csv")
    command = edits.relocate_context(window.doc, "acled", str(moved))
    window.doc.undo_stack.push(command)
    assert window.doc.project.context[0].path == os.path.join("..", "shared", "acled.csv")
    assert window.doc.undo_stack.undoText() == "Locate the data of 'ACLED'"
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 2 rows (of Palestine)"], timeout=20_000)
    assert background.wait_all()


def test_with_one_file_gone_among_several_locate_needs_no_choice(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    project = _opened_with_gone(window, qtbot, tmp_path, small_project, monkeypatch, "gone.csv")
    _write(project.parent / "here.csv")
    here = ContextData(id="here", title="Here", path="here.csv", kind="acled")
    window.doc.undo_stack.push(edits.add(window.doc, "context", here))
    panel = window.context
    qtbot.waitUntil(lambda: panel.list.count() == 2 and panel.task is None, timeout=20_000)
    assert panel.list.currentItem() is None and panel.locate.isEnabled()
    moved = _write(project.parent / "found.csv")
    asked = _answer(monkeypatch, moved)
    qtbot.mouseClick(panel.locate, LEFT)
    assert len(asked) == 1
    assert [r.path for r in window.doc.project.context] == ["found.csv", "here.csv"]
    panel.list.setCurrentRow(1)  # a dataset whose file is there: nothing to locate
    qtbot.waitUntil(lambda: panel.task is None, timeout=20_000)
    assert not panel.locate.isEnabled()
    assert background.wait_all()
