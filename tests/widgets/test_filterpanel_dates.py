"""The Filter panel's dates: what cannot be read, or ends before it starts, is said and
not saved as a view."""

from __future__ import annotations

from PySide6 import QtWidgets


def test_a_view_is_not_saved_while_a_date_cannot_be_read(window, saved, qtbot, monkeypatch):
    window.open_path(str(saved))
    panel = window.filters
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Mine", True))
    qtbot.keyClicks(panel.start, "not a date")
    panel.start.editingFinished.emit()
    assert panel.problem.text().startswith("Dates:")
    before = list(window.doc.project.views)
    panel.save_view()  # said, not raised out of the button's slot
    assert window.doc.project.views == before
    assert panel.problem.text().startswith("Dates:")


def test_dates_that_end_before_they_start_are_said_and_not_saved(window, saved, qtbot, monkeypatch):
    """Such a view would make the file fail to open ("the view ends before it starts")."""
    window.open_path(str(saved))
    panel = window.filters
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Backwards", True))
    for box, text in ((panel.start, "2023-11-30"), (panel.end, "2023-10-01")):
        qtbot.keyClicks(box, text)
        box.editingFinished.emit()
    assert "before" in panel.problem.text()
    before = list(window.doc.project.views)
    panel.save_view()
    assert window.doc.project.views == before
