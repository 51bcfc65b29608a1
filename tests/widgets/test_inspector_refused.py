"""The inspector says an edit it refuses; it does not raise it."""

from __future__ import annotations

from PySide6 import QtWidgets

from app.editing import edits
from app.records.model import Actor
from tests.widgets.test_inspector import inspector  # noqa: F401 (the fixture)


def test_a_refused_field_edit_is_said_not_raised(inspector, monkeypatch):  # noqa: F811
    """Choosing a nested lane as the actor's own parent: said in a message, nothing changes."""
    doc = inspector.doc
    parent = doc.project.actors[0]
    child = Actor(id="inner", name="Inner", parent=parent.id)
    doc.undo_stack.push(edits.add(doc, "actors", child))
    doc.select([parent.id])
    inspector.show_selection()
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    combo = inspector.editors["parent"]
    combo.setCurrentIndex(combo.findData("inner"))
    combo.activated.emit(combo.currentIndex())
    assert said and "inside itself" in said[0]
    assert doc.get("actors", parent.id).parent == ""
