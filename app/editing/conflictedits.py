"""Edits that settle a merge's conflicts, one at a time (widgets/conflicts.py asks which
side to take). Like every edit, each returns one undoable command for the caller to push."""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtGui

from app.editing import commands as c
from app.editing.document import Document
from app.editing.edits import _with_history, rename_id, set_status
from app.fileformat import plain, spec
from app.records.when import When


def resolve_conflict(
    doc: Document, index: int, take: str, when: When | None = None
) -> QtGui.QUndoCommand:
    """Settle one merge conflict: "ours" keeps what the file holds, "theirs" puts their
    value in its place. Either way the conflict leaves the list, in one step. Taking their
    status for a demand is a status change: dated `when` (see `conflict_status_date`)."""
    conflict = doc.project.conflicts[index]
    rest = [x for i, x in enumerate(doc.project.conflicts) if i != index]
    where = f"{conflict.id or conflict.kind}" + (f" {conflict.field}" if conflict.field else "")
    cmds: list[QtGui.QUndoCommand] = []
    if take == "theirs":
        cmds += _take_theirs(doc, conflict, when)
    cmds.append(c.SetConflicts(doc, rest, f"Resolve {where}"))
    return c.Compound(f"Take {take} for {where}", cmds)


def conflict_status_date(doc: Document, index: int) -> tuple[bool, When | None]:
    """Whether taking their side of a conflict changes a demand's status, and the date its
    history already gives that change (None when the person must be asked)."""
    conflict = doc.project.conflicts[index]
    if (conflict.kind, conflict.field) != ("demands", "status"):
        return False, None
    d = doc.get("demands", conflict.id)
    theirs = plain.loads(conflict.theirs)
    if d is None or theirs == d.status:
        return False, None
    dated = d.history and d.history[-1].status == theirs
    return True, d.history[-1].when if dated else None


def _take_theirs(doc: Document, conflict, when: When | None = None) -> list[QtGui.QUndoCommand]:
    theirs = plain.loads(conflict.theirs)
    if conflict.kind == "project":
        p = doc.project
        title = theirs if conflict.field == "title" else p.title
        description = theirs if conflict.field == "description" else p.description
        return [c.SetTitle(doc, title or "", description or "")]
    if (conflict.kind, conflict.field) == ("actors", "order"):
        order = in_their_order([a.id for a in doc.project.actors], theirs)
        return [c.ReorderActors(doc, order)] if order != [a.id for a in doc.project.actors] else []
    kind = spec.BY_NAME[conflict.kind]
    current = doc.get(kind.name, conflict.id)
    if (conflict.kind, conflict.field) == ("demands", "status") and current is not None:
        if current.history and current.history[-1].status == theirs:  # already dated there
            return [c.UpdateRecord(doc, "demands", _with_history(current, theirs, current.history))]
        if when is None:
            raise ValueError("taking their status needs the date it changed")
        cmd = set_status(doc, conflict.id, theirs, when)
        return [cmd] if cmd is not None else []
    if conflict.field == "id":  # a record the merge renamed: their id, references and all
        cmd = rename_id(doc, conflict.id, theirs)  # (refused while the id is another's)
        return [cmd] if cmd is not None else []
    if conflict.field:
        value = plain.from_field(kind, conflict.field, theirs)
        attr = next(f.attr for f in kind.fields if f.key == conflict.field)
        return [c.UpdateRecord(doc, kind.name, replace(current, **{attr: value}))]
    if theirs is None:
        return [c.RemoveRecord(doc, kind.name, conflict.id)] if current is not None else []
    record = plain.from_record(kind, theirs)
    if current is None:
        return [c.AddRecord(doc, kind.name, record)]
    return [c.UpdateRecord(doc, kind.name, record)]


def in_their_order(ours: list[str], theirs: list[str]) -> list[str]:
    """Our lanes in their order; a lane theirs lacks (added here since) after the lane it
    follows here."""
    present = set(ours)
    order = [i for i in theirs if i in present]
    placed = set(order)
    for k, lane in enumerate(ours):
        if lane not in placed:
            before = next((ours[j] for j in range(k - 1, -1, -1) if ours[j] in placed), None)
            order.insert(order.index(before) + 1 if before is not None else 0, lane)
            placed.add(lane)
    return order
