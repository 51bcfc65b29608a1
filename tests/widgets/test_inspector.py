"""The inspector driven as a person would: status changes ask when, the form shows what
an edit changed at once, the history and sources rows."""

from __future__ import annotations

import copy

import pytest
from PySide6 import QtWidgets

from app.editing import edits
from app.editing.document import Document
from app.fileformat import projectfile
from app.records.model import Event
from app.records.when import parse
from widgets.inspector import Inspector


@pytest.fixture
def inspector(qtbot, small_project):
    doc = Document(copy.deepcopy(small_project))
    widget = Inspector(doc)
    widget.resize(420, 900)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    doc.select(["drones"])
    widget.show_selection()
    return widget


def choose_status(inspector, status: str) -> None:
    combo = inspector.editors["status"]
    combo.setCurrentIndex(combo.findData(status))
    combo.activated.emit(combo.currentIndex())


def test_a_status_change_asks_when_and_the_form_shows_it_at_once(inspector, when_asked, tmp_path):
    doc = inspector.doc
    walkout = Event(id="walkout", actor="israel", title="Walkout", when=parse("2023-11-23"))
    doc.undo_stack.push(edits.add(doc, "events", walkout))
    replies, proposed = when_asked
    replies.append(("about 25 Nov 2023", "after the walkout"))
    choose_status(inspector, "rejected")
    assert proposed == ["2023-11-23"]  # the last event of its parties, not today
    d = doc.get("demands", "drones")
    assert (d.status, d.resolved.text) == ("rejected", "2023-11-25~")
    # the form shows the change at once: Resolved and the new History row
    assert inspector.editors["resolved"].edit.text() == "2023-11-25~"
    history = inspector.editors["history"].table
    assert history.rowCount() == 2 and history.item(1, 0).text() == "2023-11-25~"
    assert history.item(1, 2).text() == "after the walkout"
    path = tmp_path / "out.yaml"
    projectfile.save(doc.project, path)
    text = path.read_text()
    assert 'resolved: "2023-11-25~"' in text and 'when: "2023-11-25~"' in text


def test_cancelling_the_date_changes_nothing(inspector, when_asked):
    when_asked[0].append("cancel")
    choose_status(inspector, "withdrawn")
    assert inspector.doc.get("demands", "drones").status == "accepted"
    assert inspector.editors["status"].currentData() == "accepted"
    assert inspector.doc.undo_stack.count() == 0


def test_plus_under_history_asks_the_date_and_adds_a_row(inspector, when_asked):
    when_asked[0].append(("2023-11~", "reported later"))
    editor = inspector.editors["history"]
    plus = next(b for b in editor.findChildren(QtWidgets.QToolButton) if b.text() == "+")
    plus.click()
    d = inspector.doc.get("demands", "drones")
    assert [h.when.text for h in d.history] == ["2023-11-21", "2023-11~"]
    assert d.history[-1].note == "reported later" and editor.error.text() == ""
    assert editor.table.rowCount() == 2


def test_a_history_date_typed_in_its_cell_reads_forgiving_forms(inspector):
    table = inspector.editors["history"].table
    table.item(0, 0).setText("22 Nov 2023")
    d = inspector.doc.get("demands", "drones")
    assert d.history[0].when.text == "2023-11-22" and d.resolved.text == "2023-11-22"
    assert inspector.editors["resolved"].edit.text() == "2023-11-22"


def test_taking_their_status_in_the_conflicts_panel_asks_when(qtbot, small_project, when_asked):
    from app.editing import commands
    from app.records.model import Conflict
    from widgets.conflicts import ConflictsPanel

    doc = Document(copy.deepcopy(small_project))
    conflict = Conflict(
        kind="demands", id="drones", field="status", ours='"accepted"', theirs='"rejected"'
    )
    doc.undo_stack.push(commands.SetConflicts(doc, [conflict], "merge"))
    panel = ConflictsPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    when_asked[0].append("27/11/2023")
    panel.theirs.click()
    d = doc.get("demands", "drones")
    assert when_asked[1] == ["2023-11-20~"]  # its parties did nothing since: the raised day
    assert (d.status, d.history[-1].when.text) == ("rejected", "2023-11-27")
    assert not doc.project.conflicts
