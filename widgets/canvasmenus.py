"""The canvas's context menus: on a lane's header, and on an event or a demand.

They work on the canvas's `Surface` (widgets/gestures.py): the document, `apply` for an
edit, the widget they open over and what they ask of the window (edit in the inspector,
delete, duplicate); never on the canvas itself.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.theme import STATUS_GLYPHS
from app.editing import describe, edits
from app.records.model import Actor
from widgets import dialogs
from widgets.gestures import Surface


def lane_menu(surface: Surface, actor_id: str, at: QtCore.QPoint) -> None:
    doc = surface.doc
    a = doc.get("actors", actor_id)
    menu = QtWidgets.QMenu(surface.widget)
    menu.addAction("Rename…", lambda: rename_actor(surface, a))
    menu.addAction("Colour…", lambda: recolour_actor(surface, a))
    menu.addAction("Hide", lambda: surface.apply(edits.hide_lane(doc, a.id)))
    hidden = sum(x.hidden for x in doc.project.actors)
    if hidden:  # the chart shows nothing of them: here is where they come back
        show = f"Show Hidden Lanes ({hidden})"
        menu.addAction(show, lambda: surface.apply(edits.show_hidden_lanes(doc)))
    if any(x.parent == a.id for x in doc.project.actors):
        menu.addAction(
            "Expand" if a.collapsed else "Collapse",
            lambda: surface.apply(edits.toggle_collapsed(doc, a.id)),
        )
    menu.addAction("Add nested actor…", lambda: add_nested(surface, a))
    menu.addSeparator()
    menu.addAction("Delete…", lambda: (doc.select([a.id]), surface.delete()))
    menu.addAction("Edit in inspector", lambda: surface.edit(a.id))
    menu.exec(at)
    menu.deleteLater()  # not a child of the canvas for good (one a right-click)


def rename_actor(surface: Surface, a: Actor) -> None:
    name, ok = QtWidgets.QInputDialog.getText(surface.widget, "Rename actor", "Name:", text=a.name)
    if ok and name.strip() and name != a.name:
        surface.apply(edits.set_field(surface.doc, "actors", a.id, "name", name.strip()))


def recolour_actor(surface: Surface, a: Actor) -> None:
    color = QtWidgets.QColorDialog.getColor(
        QtGui.QColor(a.color or "#3465a4"), surface.widget, f"Colour of {a.name}"
    )
    if color.isValid():
        surface.apply(edits.set_field(surface.doc, "actors", a.id, "color", color.name()))


def add_nested(surface: Surface, parent: Actor) -> None:
    name, ok = QtWidgets.QInputDialog.getText(
        surface.widget, "Add nested actor", f"Name of the actor inside {parent.name}:"
    )
    if ok and name.strip():
        doc = surface.doc
        actor = Actor(
            id=doc.new_id(name), name=name.strip(), color=parent.color, kind="", parent=parent.id
        )
        index = doc.position("actors", parent.id) + 1
        surface.apply(edits.add(doc, "actors", actor, index))


def item_menu(
    surface: Surface,
    record_id: str,
    at: QtCore.QPoint,
    time: float | None = None,
    selected: set[str] | None = None,
):
    """`time` is the instant under the pointer: a status change proposes its day;
    `selected`, the selection before the right-click chose this record (one other event
    there: the menu offers to link the two)."""
    doc = surface.doc
    kind = doc.kind_of(record_id)
    menu = QtWidgets.QMenu(surface.widget)
    menu.addAction("Edit…", lambda: surface.edit(record_id))
    menu.addAction("Duplicate", surface.duplicate)
    menu.addAction("Delete", surface.delete)
    if kind == "events":
        title_menu(menu, surface, doc.get("events", record_id))
        link_action(menu, surface, record_id, selected)
    if kind == "demands":
        status_menu = menu.addMenu("Change status")
        d = doc.get("demands", record_id)
        for status, glyph in STATUS_GLYPHS.items():
            act = status_menu.addAction(
                f"{glyph}  {status}",
                lambda s=status: change_status(surface, record_id, s, time),
            )
            act.setCheckable(True)
            act.setChecked(status == d.status)
    menu.addAction(
        "Copy as text",
        lambda: QtWidgets.QApplication.clipboard().setText(describe.as_text(doc, record_id)),
    )
    menu.exec(at)
    menu.deleteLater()  # not a child of the canvas for good (one a right-click)


def link_action(
    menu: QtWidgets.QMenu, surface: Surface, event_id: str, selected: set[str] | None = None
) -> None:
    """With one other event selected (`selected`, else the selection): link the two (or
    unlink them), as Alt+drag does; the way to it where the desktop takes Alt+drag."""
    doc = surface.doc
    selected = doc.selection if selected is None else selected
    others = [i for i in selected if i != event_id and doc.kind_of(i) == "events"]
    if len(others) != 1 or len(selected - {event_id}) != 1:
        return
    what = edits.link_words(doc, others[0], event_id)
    menu.addAction(what, lambda: surface.apply(edits.toggle_link(doc, others[0], event_id)))


TITLE_CHOICES = (("", "Where there is room"), ("shown", "Always"), ("hidden", "Never"))


def title_menu(menu: QtWidgets.QMenu, surface: Surface, e) -> None:
    """Show the event's title on the chart where there is room, always or never (an
    export still names it, by number, in the list below the chart)."""
    sub = menu.addMenu("Show title")
    for value, text in TITLE_CHOICES:
        act = sub.addAction(
            text,
            lambda v=value: surface.apply(edits.set_field(surface.doc, "events", e.id, "label", v)),
        )
        act.setCheckable(True)
        act.setChecked(e.label == value)


def change_status(surface: Surface, demand_id: str, status: str, time: float | None) -> None:
    """Ask when it changed (proposing the day under the pointer), then mark it."""
    answer = dialogs.ask_status_date(surface.widget, surface.doc, demand_id, status, time)
    if answer is not None:
        when, note = answer
        try:
            cmd = edits.set_status(surface.doc, demand_id, status, when, note)
        except edits.RefusedEdit as exc:  # (the dialog refuses such a date first)
            QtWidgets.QMessageBox.warning(surface.widget, "Cannot change", str(exc))
            return
        surface.apply(cmd)
