"""The Context panel in the window: a project's datasets read off the GUI thread and drawn as
strips, turned off and on, added through File ▸ Add Context Data… (one undo step) and removed."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from tests.app.test_context import write_csv
from widgets import contextdialog


def rows(window) -> list[str]:
    return [window.context.list.item(i).text() for i in range(window.context.list.count())]


def test_a_projects_datasets_are_listed_and_drawn_and_can_be_turned_off(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    small_project.context = [
        ContextData(
            id="acled",
            title="ACLED",
            path="acled.csv",
            match=(LaneMatch(actor="hamas", names=("Hamas",)),),
        ),
        ContextData(id="ged", title="UCDP", path="gone.csv", kind="ucdp-ged"),
    ]
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    window.open_path(str(path))
    qtbot.waitUntil(lambda: len(rows(window)) == 2 and window.context.task is None, timeout=20_000)
    assert rows(window)[0] == "ACLED — 5 rows"
    assert rows(window)[1].startswith("UCDP — missing: ") and "gone.csv" in rows(window)[1]
    layers = window.canvas.view.context
    assert [(layer.title, layer.missing) for layer in layers] == [("ACLED", False), ("UCDP", True)]
    assert layers[0].strips.lane("hamas") == 0
    window.context.list.item(0).setCheckState(QtCore.Qt.CheckState.Unchecked)
    assert [layer.title for layer in window.canvas.view.context] == ["UCDP"]


def test_add_context_data_is_one_undo_step(window, qtbot, tmp_path, saved, monkeypatch):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    data = write_csv(tmp_path / "acled.csv")
    window.open_path(str(saved))

    def choose(dialog):
        dialog.path.setText(str(data))
        dialog.inspect()
        qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.columns), timeout=20_000)
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(contextdialog.ContextDialog, "exec", choose)
    monkeypatch.setattr("widgets.contextpanel.ContextDialog", contextdialog.ContextDialog)
    window.actions_["add_context"].trigger()
    (record,) = window.doc.project.context
    assert (record.path, record.kind) == ("acled.csv", "acled")  # beside the project: relative
    assert {m.actor: m.names for m in record.match}["hamas"] == ("Hamas",)
    qtbot.waitUntil(lambda: rows(window) == ["acled — 5 rows"], timeout=20_000)
    window.actions_["undo"].trigger()
    assert window.doc.project.context == []
    qtbot.waitUntil(lambda: rows(window) == [], timeout=5_000)
    window.actions_["redo"].trigger()
    window.context.list.setCurrentRow(0)
    qtbot.waitUntil(lambda: rows(window) == ["acled — 5 rows"], timeout=20_000)
    window.context.list.setCurrentRow(0)
    window.context.remove_dataset()
    assert window.doc.project.context == []


def test_a_table_without_a_date_column_is_listed_as_an_error_in_words(
    window, qtbot, tmp_path, saved, monkeypatch
):
    # The file format refuses such a dataset, but an edit made before this fix could add one.
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(saved.parent / "data.csv")
    window.open_path(str(saved))
    record = ContextData(id="data", title="data", path="data.csv", kind="csv")
    window.doc.undo_stack.push(edits.add(window.doc, "context", record))
    qtbot.waitUntil(lambda: len(rows(window)) == 1 and window.context.task is None, timeout=20_000)
    assert rows(window)[0].startswith("data.csv: no date column chosen — remove it")
    assert "names its" not in rows(window)[0]
