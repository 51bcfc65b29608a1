"""The days of a dataset's filter, typed in the real dialog: in any form the date fields
take, and a day it cannot read said in the dialog, which stays open with what was ticked."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from tests.widgets.test_contextfilter import opened_with_acled, rows
from widgets import background
from widgets.contextfilter import ContextFilterDialog

OK = QtWidgets.QDialogButtonBox.StandardButton.Ok


def when_open(qtbot, work) -> None:
    """Run `work(dialog)` on the filter dialog once it is open and has read its choices."""

    def look(tries=[0]) -> None:  # noqa: B006 - one count for this dialog
        shown = [
            w
            for w in QtWidgets.QApplication.topLevelWidgets()
            if isinstance(w, ContextFilterDialog) and w.isVisible()
        ]
        if shown and shown[0].task is None:
            work(shown[0])
        elif tries[0] < 500:
            tries[0] += 1
            QtCore.QTimer.singleShot(20, look)

    QtCore.QTimer.singleShot(20, look)


def ok(dialog) -> None:
    dialog.findChild(QtWidgets.QDialogButtonBox).button(OK).click()


def test_the_first_day_may_be_typed_as_the_date_fields_take_dates(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))

    def work(dialog) -> None:
        dialog.tick(dialog.countries, "Israel")
        dialog.start.setText("1 Jan 2023")
        ok(dialog)

    when_open(qtbot, work)
    window.context.list.setCurrentRow(0)
    qtbot.mouseClick(window.context.filter, QtCore.Qt.MouseButton.LeftButton)
    assert not said
    (record,) = window.doc.project.context
    assert record.countries == ("Israel",) and record.from_.text == "2023-01-01"
    qtbot.waitUntil(
        lambda: rows(window) == ["ACLED — 1 row (of Israel; from 2023-01-01)"], timeout=20_000
    )


def test_a_day_it_cannot_read_keeps_the_dialog_open_with_its_ticks(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    """A slip in the day closed the dialog and said so in a box: every tick was lost."""
    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: None)
    seen = {}

    def work(dialog) -> None:
        dialog.tick(dialog.countries, "Israel")
        dialog.start.setText("1 Jnu 2023")
        ok(dialog)
        seen["open"] = dialog.isVisible()
        seen["said"] = dialog.status.text()
        dialog.start.setText("2023-01-01")
        ok(dialog)

    when_open(qtbot, work)
    window.context.list.setCurrentRow(0)
    qtbot.mouseClick(window.context.filter, QtCore.Qt.MouseButton.LeftButton)
    assert seen["open"], "the dialog closed on a day it could not read"
    assert "Jnu" in seen["said"]
    (record,) = window.doc.project.context
    assert record.countries == ("Israel",) and record.from_.text == "2023-01-01"
    assert background.wait_all()  # the strips read again: no thread left running
