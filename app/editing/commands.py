"""One small undoable command per kind of edit.

Each records what it needs to go either way (the old and new value, or what it took out);
`redo` and `undo` mirror each other. Compound edits (removing an actor and reassigning its
events) are built from child commands, so one Ctrl+Z brings everything back.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from itertools import pairwise

from PySide6 import QtGui

from app.editing.document import Document
from app.fileformat import spec
from app.records.eventstore import values
from app.records.model import Event
from app.records.plural import counted
from app.records.when import When

KIND_NAMES = {k.name: k.singular for k in spec.KINDS}

MERGE_FIELD = 1002  # QUndoCommand.id of typing into one field, which merges


class RefusedEdit(Exception):
    """An edit that would break the project, with a reason for the person."""


def label(record) -> str:
    """How a record is named in menus: its title, name or text."""
    for attr in ("title", "name", "text"):
        value = getattr(record, attr, "")
        if value:
            return value if len(value) <= 40 else value[:39] + "…"
    return record.id


class AddRecord(QtGui.QUndoCommand):
    def __init__(self, doc: Document, kind: str, record, index: int | None = None):
        super().__init__(f"Add {KIND_NAMES[kind]} '{label(record)}'")
        if doc.has_id(record.id):
            raise RefusedEdit(f"the id '{record.id}' is already used")
        self.doc, self.kind, self.record = doc, kind, record
        self.index = len(doc.records(kind)) if index is None else index

    def redo(self):
        self.doc._insert(self.kind, self.index, self.record)

    def undo(self):
        self.doc._remove_many(self.kind, [self.record.id])


def users(doc: Document, kind: str, record_id: str) -> list[str]:
    """Ids of the records that refer to an actor or cite a source."""
    if kind == "actors":
        return doc.uses.of_actor(record_id)
    if kind == "sources":
        return doc.uses.of_source(record_id)
    return []


def _listed(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")


class RemoveRecord(QtGui.QUndoCommand):
    """Remove a record. An actor or source still in use is refused, unless `check` is off
    (its users are removed in the same step)."""

    def __init__(self, doc: Document, kind: str, record_id: str, check: bool = True):
        record = doc.get(kind, record_id)
        super().__init__(f"Delete {KIND_NAMES[kind]} '{label(record)}'")
        used_by = users(doc, kind, record_id) if check else []
        if kind == "actors" and used_by:
            raise RefusedEdit(
                f"actor '{record.name}' is still used by {counted(len(used_by), 'item')} ({_listed(used_by)}); "
                "move them to another actor first"
            )
        if kind == "sources" and used_by:
            raise RefusedEdit(
                f"source '{record.title}' is still cited by {counted(len(used_by), 'item')} ({_listed(used_by)})"
            )
        self.doc, self.kind, self.record_id = doc, kind, record_id
        self.places = None  # what was taken, to put back as it was (a store: its row)

    def redo(self):
        self.places = self.doc._remove_many(self.kind, [self.record_id])

    def undo(self):
        self.doc._insert_many(self.kind, self.places)


class RemoveRecords(QtGui.QUndoCommand):
    """Records of one kind removed as one command (a selection of thousands), unchecked:
    `edits.delete` has refused what would leave a reference behind."""

    def __init__(self, doc: Document, kind: str, ids: list[str]):
        super().__init__(f"Delete {counted(len(ids), KIND_NAMES[kind])}")
        self.doc, self.kind, self.ids = doc, kind, list(ids)
        self.places = None  # what was taken, to put back

    def redo(self):
        self.places = self.doc._remove_many(self.kind, self.ids)

    def undo(self):
        self.doc._insert_many(self.kind, self.places)


class UpdateRecord(QtGui.QUndoCommand):
    """Replace a record by a changed copy with the same id.

    With `field` set, consecutive edits of that field of the same record merge into one
    step, so typing in a text box is undone at once; so does the new id a new record then
    takes from that title (`NamedAfterTitle`).
    """

    def __init__(
        self,
        doc: Document,
        kind: str,
        new,
        field: str | None = None,
        text: str | None = None,
    ):
        old = doc.get(kind, new.id)
        if old is None:
            raise RefusedEdit(f"no {KIND_NAMES[kind]} '{new.id}'")
        super().__init__(text or f"Edit {KIND_NAMES[kind]} '{label(old)}'")
        self.doc, self.kind, self.old, self.new, self.field = doc, kind, old, new, field
        # The steps of the new id taken from the title typed (`NamedAfterTitle`), merged in
        # as plain Python commands: Qt deletes a command merged into another.
        self.named: list[QtGui.QUndoCommand] = []

    def redo(self):
        with self.doc.held() if self.named else nullcontext():
            self.doc._replace(self.kind, self.new)
            for step in self.named:
                step.redo()

    def undo(self):
        with self.doc.held() if self.named else nullcontext():
            for step in reversed(self.named):
                step.undo()
            self.doc._replace(self.kind, self.old)

    def id(self):
        return MERGE_FIELD if self.field else -1

    def mergeWith(self, other) -> bool:
        if isinstance(other, NamedAfterTitle):
            if self.named or (other.old_id, other.title_attr) != (self.new.id, self.field):
                return False
            self.named = list(other.children_)  # (already done: a stack merges what it ran)
            return True
        if (
            self.named
            or not isinstance(other, UpdateRecord)
            or (other.kind, other.new.id, other.field) != (self.kind, self.new.id, self.field)
        ):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)  # typed back as it was: no step left
        return True


class UpdateRecords(QtGui.QUndoCommand):
    """Records of one kind replaced by changed copies with the same ids, in one go. The
    undo puts back what each position held: from a store, a record as read is so again,
    its text in the file standing (an undo that put back 100,000 events as edited records
    left search, lanes and save on their slow paths)."""

    def __init__(self, doc: Document, kind: str, new: list, text: str):
        super().__init__(text)
        self.doc, self.kind, self.ids, self.put = doc, kind, [r.id for r in new], new

    def redo(self):
        self.put = self.doc._swap(self.kind, self.ids, self.put)

    undo = redo  # each swaps back what the other put


class MoveEvent(QtGui.QUndoCommand):
    """Move an event in time and/or to another lane. Each move is its own step: a drag
    pushes one when it ends."""

    def __init__(
        self, doc: Document, event_id: str, when: When, actor: str | None = None, verb: str = "Move"
    ):
        old: Event = doc.get("events", event_id)
        super().__init__(f"{verb} '{label(old)}'")
        self.doc, self.old = doc, old
        self.new = replace(old, when=when, actor=actor or old.actor)

    def redo(self):
        self.doc._replace("events", self.new)

    def undo(self):
        self.doc._replace("events", self.old)


class RenameRecord(QtGui.QUndoCommand):
    """Give a record another id (the references to it are updated by sibling commands)."""

    def __init__(self, doc: Document, kind: str, old_id: str, new_id: str):
        super().__init__(f"Rename '{old_id}' to '{new_id}'")
        if doc.has_id(new_id):
            raise RefusedEdit(f"the id '{new_id}' is already used")
        self.doc, self.kind = doc, kind
        self.old = doc.get(kind, old_id)
        self.new = replace(self.old, id=new_id)

    def redo(self):
        self.doc._rename(self.kind, self.old.id, self.new)

    def undo(self):
        self.doc._rename(self.kind, self.new.id, self.old)


class ReorderActors(QtGui.QUndoCommand):
    def __init__(self, doc: Document, order: list[str]):
        super().__init__("Reorder lanes")
        current = [a.id for a in doc.project.actors]
        if sorted(order) != sorted(current):
            raise RefusedEdit("a new lane order must list every actor once")
        self.doc, self.old, self.new = doc, current, list(order)

    def redo(self):
        self.doc._reorder("actors", self.new)

    def undo(self):
        self.doc._reorder("actors", self.old)


class SetTitle(QtGui.QUndoCommand):
    def __init__(self, doc: Document, title: str, description: str | None = None):
        super().__init__("Edit project title")
        p = doc.project
        self.doc, self.old = doc, (p.title, p.description)
        self.new = (title, p.description if description is None else description)

    def redo(self):
        self.doc._set_title(*self.new)

    def undo(self):
        self.doc._set_title(*self.old)


class SetConflicts(QtGui.QUndoCommand):
    """The list of merge conflicts still open (one resolved: the list without it)."""

    def __init__(self, doc: Document, conflicts: list, text: str):
        super().__init__(text)
        self.doc, self.old, self.new = doc, list(doc.project.conflicts), list(conflicts)

    def redo(self):
        self.doc._set_conflicts(self.new)

    def undo(self):
        self.doc._set_conflicts(self.old)


class Compound(QtGui.QUndoCommand):
    """Several commands undone as one step.

    The children are plain Python commands run in order (and undone in reverse) rather
    than Qt child commands: PySide does not keep a child's Python side alive through its
    C++ parent, which crashes when the stack is freed.
    """

    def __init__(self, text: str, children: list[QtGui.QUndoCommand] | None = None):
        super().__init__(text)
        self.children_ = list(children or [])

    def add(self, child: QtGui.QUndoCommand) -> None:
        self.children_.append(child)

    def redo(self):
        with self._held():
            for run in _runs(self.children_):
                # Records added at places that only grow (an import, a paste): in one go
                # (one at a time, a store copied its whole order for each).
                places = [(child.index, child.record) for child in run] if len(run) > 1 else []
                if places and all(a[0] < b[0] for a, b in pairwise(places)):
                    run[0].doc._insert_many(run[0].kind, places)
                else:
                    for child in run:
                        child.redo()

    def undo(self):
        with self._held():
            for run in _runs(reversed(self.children_)):
                if len(run) > 1:  # (one at a time, undoing an import never ended)
                    run[0].doc._remove_many(run[0].kind, [child.record.id for child in run])
                else:
                    run[0].undo()

    def _held(self):
        """The document's changes told once, when all the children have run."""
        doc = next((d for child in self.children_ if (d := getattr(child, "doc", None))), None)
        return doc.held() if doc is not None else nullcontext()


class Deletion(Compound):
    """Records deleted as one step; its undo selects again those of them that were
    selected, as an editor's undo of a delete gives back what was chosen (the selection
    was left empty)."""

    def __init__(self, text: str, children: list, doc: Document, selected: list[str]):
        super().__init__(text, children)
        self.doc, self.selected = doc, selected

    def undo(self):
        super().undo()
        if self.selected:
            self.doc.select(self.selected)  # once the records are back and told


class NamedAfterTitle(Compound):
    """A new record's id taken from its title, as a rename: one step with the typing of
    that title when it comes right after it (`UpdateRecord.mergeWith`)."""

    def __init__(self, text: str, children: list, old_id: str, title_attr: str):
        super().__init__(text, children)
        self.old_id, self.title_attr = old_id, title_attr  # merged only with that typing

    def id(self):
        return MERGE_FIELD


def _runs(children) -> list[list]:
    """The children in runs: records added to one kind one after another, together; each
    other command alone."""
    runs: list[list] = []
    for child in children:
        added = isinstance(child, AddRecord)
        if added and runs and isinstance(runs[-1][0], AddRecord) and runs[-1][0].kind == child.kind:
            runs[-1].append(child)
        else:
            runs.append([child])
    return runs


def _ancestors(doc: Document, actor_id: str) -> set[str]:
    seen: set[str] = set()
    a = doc.get("actors", actor_id)
    while a is not None and a.parent and a.parent not in seen:
        seen.add(a.parent)
        a = doc.get("actors", a.parent)
    return seen


def demands_of_itself(doc: Document, actor_id: str, reassign_to: str) -> list:
    """The demands between an actor and `reassign_to`, which moving the actor's items
    there would turn into a demand `reassign_to` makes of itself."""
    pair = {actor_id, reassign_to}
    demands = doc.project.demands
    parties = zip(values(demands, "from_"), values(demands, "to"), strict=True)
    return [demands[i] for i, (a, b) in enumerate(parties) if {a, b} == pair]


def remove_actor(
    doc: Document, actor_id: str, reassign_to: str | None = None, drop_own: bool = False
) -> QtGui.QUndoCommand:
    """Remove an actor. With `reassign_to`, its events, demands and nested actors move there
    first, in one undo step; without it, an actor still in use is refused. A demand
    between the two would become one `reassign_to` makes of itself: refused, naming
    them, unless `drop_own` (then they are deleted in the same step). A mediator or an
    event's `with` that would name the demand's parties or the event's own actor lets
    it go."""
    actor = doc.get("actors", actor_id)
    if reassign_to is None or not doc.uses.of_actor(actor_id):
        return RemoveRecord(doc, "actors", actor_id)
    if reassign_to == actor_id or doc.get("actors", reassign_to) is None:
        raise RefusedEdit(f"cannot move the items of '{actor.name}' to '{reassign_to}'")
    own = {d.id for d in demands_of_itself(doc, actor_id, reassign_to)}
    if own and not drop_own:
        raise RefusedEdit(
            f"moving the items of '{actor.name}' to '{reassign_to}' would make "
            f"{counted(len(own), 'demand')} of '{reassign_to}' on itself ({_listed(sorted(own))})"
        )
    parent = Compound(f"Delete actor '{actor.name}'")

    def swap(ids: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for i in ids:
            j = reassign_to if i == actor_id else i
            if j not in out:
                out.append(j)
        return tuple(out)

    def update(kind: str, record) -> None:
        parent.add(UpdateRecord(doc, kind, record))

    events = doc.project.events
    pairs = zip(values(events, "actor"), values(events, "with_"), strict=True)
    for e in [events[i] for i, (a, w) in enumerate(pairs) if a == actor_id or actor_id in w]:
        lane = reassign_to if e.actor == actor_id else e.actor
        with_ = tuple(x for x in swap(e.with_) if x != lane)
        update("events", replace(e, actor=lane, with_=with_))
    demands = doc.project.demands
    parties = zip(*(values(demands, attr) for attr in ("from_", "to", "via")), strict=True)
    for d in [demands[i] for i, (a, b, via) in enumerate(parties) if actor_id in (a, b, *via)]:
        if d.id in own:
            continue  # removed below
        from_ = reassign_to if d.from_ == actor_id else d.from_
        to = reassign_to if d.to == actor_id else d.to
        via = tuple(v for v in swap(d.via) if v not in (from_, to))  # no party mediates
        update("demands", replace(d, from_=from_, to=to, via=via))
    # Last first: each removal keeps its place, so undone in turn each goes back to it.
    for d_id in sorted(own, key=lambda i: doc.position("demands", i), reverse=True):
        parent.add(RemoveRecord(doc, "demands", d_id))
    for a in doc.project.actors:
        if a.parent == actor_id:
            # Into the heir, unless the heir is this lane or inside it (a loop): then up a level.
            inside = a.id == reassign_to or a.id in _ancestors(doc, reassign_to)
            update("actors", replace(a, parent=actor.parent if inside else reassign_to))
    parent.add(RemoveRecord(doc, "actors", actor_id, check=False))  # its users moved above
    return parent
