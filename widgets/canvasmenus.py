"""The canvas's context menus: on a lane's header, and on an event or a demand."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.theme import STATUS_GLYPHS
from app.editing import describe, edits
from app.records.model import Actor
from widgets import dialogs


def lane_menu(canvas, actor_id: str, at: QtCore.QPoint) -> None:
    doc = canvas.doc
    a = doc.get("actors", actor_id)
    menu = QtWidgets.QMenu(canvas)
    menu.addAction("Rename…", lambda: rename_actor(canvas, a))
    menu.addAction("Colour…", lambda: recolour_actor(canvas, a))
    menu.addAction("Hide", lambda: canvas.apply(edits.hide_lane(doc, a.id)))
    if any(x.parent == a.id for x in doc.project.actors):
        menu.addAction(
            "Expand" if a.collapsed else "Collapse",
            lambda: canvas.apply(edits.toggle_collapsed(doc, a.id)),
        )
    menu.addAction("Add nested actor…", lambda: add_nested(canvas, a))
    menu.addSeparator()
    menu.addAction("Delete…", lambda: (doc.select([a.id]), canvas.deleteRequested.emit()))
    menu.addAction("Edit in inspector", lambda: canvas.editRequested.emit(a.id))
    menu.exec(at)


def rename_actor(canvas, a: Actor) -> None:
    name, ok = QtWidgets.QInputDialog.getText(canvas, "Rename actor", "Name:", text=a.name)
    if ok and name.strip() and name != a.name:
        canvas.apply(edits.set_field(canvas.doc, "actors", a.id, "name", name.strip()))


def recolour_actor(canvas, a: Actor) -> None:
    color = QtWidgets.QColorDialog.getColor(
        QtGui.QColor(a.color or "#3465a4"), canvas, f"Colour of {a.name}"
    )
    if color.isValid():
        canvas.apply(edits.set_field(canvas.doc, "actors", a.id, "color", color.name()))


def add_nested(canvas, parent: Actor) -> None:
    name, ok = QtWidgets.QInputDialog.getText(
        canvas, "Add nested actor", f"Name of the actor inside {parent.name}:"
    )
    if ok and name.strip():
        doc = canvas.doc
        actor = Actor(
            id=doc.new_id(name), name=name.strip(), color=parent.color, kind="", parent=parent.id
        )
        index = doc.position("actors", parent.id) + 1
        canvas.apply(edits.add(doc, "actors", actor, index))


def item_menu(canvas, record_id: str, at: QtCore.QPoint, time: float | None = None) -> None:
    """`time` is the instant under the pointer: a status change proposes its day."""
    doc = canvas.doc
    kind = doc.kind_of(record_id)
    menu = QtWidgets.QMenu(canvas)
    menu.addAction("Edit…", lambda: canvas.editRequested.emit(record_id))
    menu.addAction("Duplicate", canvas.duplicate_selection)
    menu.addAction("Delete", canvas.deleteRequested.emit)
    if kind == "events":
        title_menu(menu, canvas, doc.get("events", record_id))
    if kind == "demands":
        status_menu = menu.addMenu("Change status")
        d = doc.get("demands", record_id)
        for status, glyph in STATUS_GLYPHS.items():
            act = status_menu.addAction(
                f"{glyph}  {status}",
                lambda s=status: change_status(canvas, record_id, s, time),
            )
            act.setCheckable(True)
            act.setChecked(status == d.status)
    menu.addAction(
        "Copy as text",
        lambda: QtWidgets.QApplication.clipboard().setText(describe.as_text(doc, record_id)),
    )
    menu.exec(at)


TITLE_CHOICES = (("", "Where there is room"), ("shown", "Always"), ("hidden", "Never"))


def title_menu(menu: QtWidgets.QMenu, canvas, e) -> None:
    """Show the event's title on the chart where there is room, always or never (an
    export still names it, by number, in the list below the chart)."""
    sub = menu.addMenu("Show title")
    for value, text in TITLE_CHOICES:
        act = sub.addAction(
            text,
            lambda v=value: canvas.apply(edits.set_field(canvas.doc, "events", e.id, "label", v)),
        )
        act.setCheckable(True)
        act.setChecked(e.label == value)


def change_status(canvas, demand_id: str, status: str, time: float | None) -> None:
    """Ask when it changed (proposing the day under the pointer), then mark it."""
    answer = dialogs.ask_status_date(canvas, canvas.doc, demand_id, status, time)
    if answer is not None:
        when, note = answer
        canvas.apply(edits.set_status(canvas.doc, demand_id, status, when, note))
