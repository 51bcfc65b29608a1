"""The Context panel's Filter… and Remove: they say what they act on. With nothing selected
they did nothing, not a word, even with one dataset listed."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.records.model import ContextData
from tests.widgets.test_contextfilter import opened_with_acled
from widgets import background, contextfilter

LEFT = QtCore.Qt.MouseButton.LeftButton


def test_with_one_dataset_filter_and_remove_act_on_it_unselected(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    panel = window.context
    assert panel.list.currentItem() is None  # nothing clicked yet
    opened = []

    def look(dialog):
        opened.append(dialog.record.id)
        return QtWidgets.QDialog.DialogCode.Rejected

    monkeypatch.setattr(contextfilter.ContextFilterDialog, "exec", look)
    qtbot.mouseClick(panel.filter, LEFT)
    assert opened == ["acled"]
    qtbot.mouseClick(panel.remove, LEFT)
    assert window.doc.project.context == []
    qtbot.waitUntil(lambda: panel.list.count() == 0, timeout=5_000)
    assert not panel.filter.isEnabled() and not panel.remove.isEnabled()  # nothing to act on


def test_with_two_datasets_the_buttons_wait_for_a_choice_and_keep_it(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    opened_with_acled(window, qtbot, tmp_path, small_project, monkeypatch)
    panel = window.context
    ged = ContextData(id="ged", title="UCDP", path="gone.csv", kind="ucdp-ged")
    window.doc.undo_stack.push(edits.add(window.doc, "context", ged))
    qtbot.waitUntil(lambda: panel.list.count() == 2 and panel.task is None, timeout=20_000)
    assert not panel.filter.isEnabled() and not panel.remove.isEnabled()
    panel.list.setCurrentRow(1)
    assert panel.filter.isEnabled() and panel.remove.isEnabled()
    panel.list.item(0).setCheckState(QtCore.Qt.CheckState.Unchecked)  # drawn again
    panel.reload()
    qtbot.waitUntil(lambda: panel.task is None, timeout=20_000)
    assert panel.list.currentRow() == 1  # the choice outlives a reading of the data
    assert background.wait_all()
