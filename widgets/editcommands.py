"""The Edit and Insert menus' commands that need the window: the clipboard (events as
YAML text, the same form as in project files), new records, and search."""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.editing.document import FEW
from app.fileformat import projectfile
from app.fileformat.projectfile import ProjectFileError
from app.records.eventstore import values
from app.records.model import Actor, Demand, Phase, Project, Source
from app.records.plural import counted
from app.records.when import parse, point_at
from widgets import dialogs
from widgets.dialogs import ErrorListDialog
from widgets.filterpanel import is_big


class EditCommands(QtCore.QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.doc = window.doc
        self.canvas = window.canvas

    def status(self, text: str, ms: int = 3000) -> None:
        self.window.statusBar().showMessage(text, ms)

    def select_all(self) -> None:
        """Every event and demand; in a table, every row of it."""
        with dialogs.waiting(is_big(self.doc.project)):  # (a million: about a second)
            if not self.window.tables.select_all_rows():
                self.doc.select_every(("events", "demands"))

    # ---------------------------------------------------------------- clipboard

    def copy(self) -> bool:
        every, chosen = self.doc.project.events, self.doc.selection
        events = [every[i] for i, x in enumerate(values(every, "id")) if x in chosen]
        if not events:
            return False
        text = projectfile.dumps(Project(events=events))
        QtWidgets.QApplication.clipboard().setText(text[text.index("events:") :])
        self.status(f"Copied {counted(len(events), 'event')}")
        return True

    def cut(self) -> None:
        if self.copy():
            self.canvas.delete_selection()

    def paste(self) -> None:
        text = QtWidgets.QApplication.clipboard().text()
        if not text.lstrip().startswith("events:"):
            self.status(
                "The clipboard holds no events (expected YAML starting with 'events:')", 5000
            )
            return
        base = projectfile.dumps(
            replace(self.doc.project, events=[], demands=[], phases=[], preamble="")
        ).replace("events: []\n", "")
        try:
            pasted = projectfile.loads(base + text.strip() + "\n", "clipboard").events
        except ProjectFileError as exc:
            lines = [str(d) for d in exc.diagnostics]
            ErrorListDialog(
                "Cannot paste", "The clipboard's events have problems:", lines, self.window
            ).exec()
            return
        cmd, ids = edits.paste_events(self.doc, pasted)
        self.canvas.apply(cmd, select=ids)

    def delete_selection(self) -> None:
        """Delete what is selected. An actor still in use can have its items moved to
        another actor first, in the same step."""
        doc = self.doc
        selected = list(doc.selection)
        if (
            len(selected) == 1
            and doc.kind_of(selected[0]) == "actors"
            and doc.uses.of_actor(selected[0])
        ):
            actor = doc.get("actors", selected[0])
            others = [a for a in doc.project.actors if a.id != actor.id]
            used = len(doc.uses.of_actor(actor.id))
            if not others:
                QtWidgets.QMessageBox.warning(
                    self.window,
                    "Cannot delete",
                    f"'{actor.name}' is used by {counted(used, 'item')}, and there is no other actor "
                    "to move them to.",
                )
                return
            names = [f"{a.name}  [{a.id}]" for a in others]
            choice, ok = QtWidgets.QInputDialog.getItem(
                self.window,
                f"Delete '{actor.name}'",
                f"'{actor.name}' is used by {counted(used, 'item')} (events, demands, nested actors).\n"
                "Move them to:",
                names,
                0,
                False,
            )
            if ok:
                self.remove_actor(actor, others[names.index(choice)])
            return
        with dialogs.waiting(len(selected) > FEW):  # (120,000 records: two seconds)
            self.canvas.delete_selection()

    def remove_actor(self, actor, heir) -> None:
        """Remove `actor`, its items moved to `heir`; a demand between the two would be
        one `heir` makes of itself: the person sees them and deletes them too, or stops."""
        doc = self.doc
        own = edits.demands_of_itself(doc, actor.id, heir.id)
        if own:
            listed = "\n".join(f"  • {d.text or d.id}  [{d.id}]" for d in own[:10])
            more = f"\n  … and {len(own) - 10} more" if len(own) > 10 else ""
            answer = QtWidgets.QMessageBox.question(
                self.window,
                f"Delete '{actor.name}'",
                f"These demands between '{actor.name}' and '{heir.name}' would become "
                f"demands '{heir.name}' makes of itself:\n\n{listed}{more}\n\n"
                "Delete them too? (No deletes nothing.)",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                QtWidgets.QMessageBox.StandardButton.No,
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                self.status(f"'{actor.name}' was not deleted")
                return
        cmd = edits.remove_actor(doc, actor.id, heir.id, drop_own=bool(own))
        self.canvas.apply(cmd, select=[heir.id])

    # ---------------------------------------------------------------- inserting

    def default_actor(self) -> str | None:
        for i in self.doc.selection:
            e = self.doc.get("events", i)
            if e:
                return e.actor
            if self.doc.get("actors", i):
                return i
        layout = self.canvas.timeline.layout
        return layout.lanes[0].actor.id if layout.lanes else None

    def view_day(self) -> str:
        (t0, t1), _ = self.canvas.viewbox.viewRange()
        return point_at((t0 + t1) / 2, "day").text()

    def add(self, kind: str, record) -> None:
        self.canvas.apply(edits.add(self.doc, kind, record), select=[record.id], edit=record.id)

    def add_actor(self) -> None:
        name, ok = QtWidgets.QInputDialog.getText(
            self.window, "Add actor", "Name of the actor (a state, person, agency or group):"
        )
        if ok and name.strip():
            self.add("actors", Actor(id=self.doc.new_id(name), name=name.strip()))

    def add_event(self) -> None:
        actor = self.default_actor()
        if actor is None:
            QtWidgets.QMessageBox.information(
                self.window, "Add event", "Add an actor first: each event sits on an actor's lane."
            )
            return
        self.add("events", edits.add_event_at(self.doc, actor, parse(self.view_day())))

    def add_demand(self) -> None:
        actors = [a.id for a in self.doc.project.actors]
        if len(actors) < 2:
            QtWidgets.QMessageBox.information(
                self.window, "Add demand", "A demand runs between two actors: add them first."
            )
            return
        start = self.default_actor() or actors[0]
        to = next(a for a in actors if a != start)
        day = parse(self.view_day())
        self.add(
            "demands",
            Demand(id=self.doc.new_id("demand"), from_=start, to=to, text="New demand", raised=day),
        )

    def add_phase(self) -> None:
        day = self.view_day()
        self.add(
            "phases",
            Phase(id=self.doc.new_id("phase"), title="New phase", when=parse(f"{day}/{day}")),
        )

    def add_source(self) -> None:
        self.add("sources", Source(id=self.doc.new_id("source"), title="New source"))
