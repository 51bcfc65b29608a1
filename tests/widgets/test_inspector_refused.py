"""The inspector says an edit it refuses; it does not raise it. It offers no choice the
edit would refuse."""

from __future__ import annotations

from PySide6 import QtWidgets

from app.editing import edits
from app.records.model import Actor
from app.records.when import parse
from tests.widgets.test_inspector import inspector  # noqa: F401 (the fixture)


def offered(combo) -> list[str]:
    return [combo.itemData(i) for i in range(combo.count())]


def test_inside_offers_only_the_lanes_an_actor_may_nest_in(inspector, monkeypatch):  # noqa: F811
    """It offered the actor's own nested lanes, and choosing one was refused."""
    doc = inspector.doc
    doc.undo_stack.push(edits.add(doc, "actors", Actor(id="burns", name="Burns", parent="cia")))
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    doc.select(["usa"])  # usa ⊃ cia ⊃ burns
    inspector.show_selection()
    combo = inspector.editors["parent"]
    assert offered(combo) == ["", "hamas", "israel"]
    doc.select(["burns"])
    inspector.show_selection()  # another record's form
    combo = inspector.editors["parent"]
    assert offered(combo) == ["", "usa", "cia", "hamas", "israel"]
    assert combo.currentData() == "cia"
    for choice in offered(combo):  # each one offered is taken
        combo.setCurrentIndex(combo.findData(choice))
        combo.activated.emit(combo.currentIndex())
        assert doc.get("actors", "burns").parent == choice
    assert said == []


def test_a_refused_field_edit_is_said_not_raised(inspector, monkeypatch):  # noqa: F811
    """A demand resolved before it was raised: said in a message, nothing changes."""
    doc = inspector.doc
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    before = doc.get("demands", "drones")
    inspector.commit("resolved", parse("1999-01-01"))
    assert said and "before" in said[0], said
    assert doc.get("demands", "drones") == before and doc.undo_stack.count() == 0
