"""A dataset's filters edited from the Context panel: the countries and types offered from the
data, the strips read again off the GUI thread, the change one undo step."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from tests.app.test_context import write_csv
from widgets import contextfilter


def rows(window) -> list[str]:
    return [window.context.list.item(i).text() for i in range(window.context.list.count())]


def hamas_rows(window) -> int:
    (layer,) = window.canvas.view.context
    return int(layer.strips.summary.counts[layer.strips.lane("hamas")].sum())


def opened_with_acled(window, qtbot, tmp_path, project, monkeypatch) -> None:
    """`project` with five ACLED rows beside it (two on Hamas's lane), open in `window`."""
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    project.context = [
        ContextData(
            id="acled",
            title="ACLED",
            path="acled.csv",
            match=(LaneMatch(actor="hamas", names=("Hamas",)),),
        )
    ]
    path = tmp_path / "talks.yaml"
    projectfile.save(project, path)
    window.open_path(str(path))
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 5 rows"], timeout=20_000)


def test_a_filter_changes_the_strips_and_ctrl_z_restores_them(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    assert hamas_rows(window) == 2  # the battle of 7 October and "HAMAS supporters" (2022)
    offered = {}

    def choose(dialog):
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
        offered["countries"] = [
            dialog.countries.item(i).text() for i in range(dialog.countries.count())
        ]
        offered["types"] = [dialog.types.item(i).text() for i in range(dialog.types.count())]
        dialog.tick(dialog.countries, "Israel")
        qtbot.keyClicks(dialog.start, "2023-01-01")
        return QtWidgets.QDialog.DialogCode.Accepted

    monkeypatch.setattr(contextfilter.ContextFilterDialog, "exec", choose)
    window.context.list.setCurrentRow(0)
    qtbot.mouseClick(window.context.filter, QtCore.Qt.MouseButton.LeftButton)
    assert offered == {
        "countries": ["Israel", "Lebanon", "Palestine"],
        "types": ["Battles", "Explosions/Remote violence", "Protests", "Riots"],
    }
    (record,) = window.doc.project.context
    assert record.countries == ("Israel",) and record.from_.text == "2023-01-01"
    qtbot.waitUntil(
        lambda: rows(window) == ["ACLED — 1 row (of Israel; from 2023-01-01)"], timeout=20_000
    )
    assert hamas_rows(window) == 1  # only the battle: the 2022 protest is before the span

    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.doc.project.context[0].countries == ()
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 5 rows"], timeout=20_000)
    assert hamas_rows(window) == 2


def test_the_export_dialog_draws_the_strips_the_chart_shows(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    from widgets.exportdialog import ExportDialog

    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    qtbot.addWidget(dialog)
    assert [layer.title for layer in dialog.options().context] == ["ACLED"]
    window.context.list.item(0).setCheckState(QtCore.Qt.CheckState.Unchecked)
    assert dialog.options().context == []  # hidden in the panel: not in the picture either
