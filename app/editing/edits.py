"""Edits: plain functions that take the document and return one undoable command.

Every surface (canvas gestures, inspector, tables, menus, keys, paste, import) calls these,
so an edit means the same thing wherever it is made. The caller pushes the command:

    doc.undo_stack.push(edits.set_status(doc, "halt-drones", "accepted", parse("2023-11-22")))

A function returns None when there is nothing to do. One gesture is one command (a
`Compound` when it changes several records), so it is one undo step; two gestures are
two steps. Only typing into one field merges (`set_field(..., typing=True)`). An edit
the model cannot make raises `RefusedEdit` (re-exported here, so that no widget needs the
commands module).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6 import QtGui

from app.chart.theme import LANE_COLORS
from app.editing import commands as c
from app.editing import contextedits, laneedits
from app.editing.checks import check_nesting, check_records, check_references
from app.editing.document import FEW, Document
from app.fileformat import spec
from app.fileformat.build import ID_PATTERN
from app.fileformat.references import retargeted
from app.records.eventstore import linked, naming, values
from app.records.model import Demand, Event, StatusChange
from app.records.plural import counted
from app.records.when import When, WhenError, parse, point_at

RefusedEdit = c.RefusedEdit  # widgets catch it here, without the commands module
set_context_filters = contextedits.set_context_filters  # a dataset's filters, one step
relocate_context = contextedits.relocate_context  # a dataset's file found elsewhere
stored_context_path = contextedits.stored_path  # a data file's path as the project keeps it
drop_lane = laneedits.drop_lane  # a lane header dropped: its place and its parent
possible_parents = laneedits.possible_parents  # what an actor may be put inside


def _one(text: str, cmds: list[QtGui.QUndoCommand]) -> QtGui.QUndoCommand | None:
    if not cmds:
        return None
    return cmds[0] if len(cmds) == 1 else c.Compound(text, cmds)


# ------------------------------------------------------------------ fields


def set_field(
    doc: Document, kind: str, record_id: str, attr: str, value, typing: bool = False
) -> QtGui.QUndoCommand | None:
    """One field of one record. With `typing`, edits of the same field merge. A demand's
    status is not a field like others: it changes through `set_status`, with its date."""
    record = doc.get(kind, record_id)
    if record is None or getattr(record, attr) == value:
        return None
    if kind == "demands" and attr == "status":
        raise ValueError("a status change needs its date: use edits.set_status")
    if attr == "id":
        return rename_id(doc, record_id, value)
    check_references(doc, spec.BY_NAME[kind].field(attr), value, record_id)
    if kind == "actors" and attr == "parent":
        check_nesting(doc, record_id, value)
    new = replace(record, **{attr: value})
    check_records(doc, kind, new)
    return c.UpdateRecord(doc, kind, new, attr if typing else None)


def set_fields(
    doc: Document, kind: str, ids: list[str], attr: str, value, typing: bool = False
) -> QtGui.QUndoCommand | None:
    """The same field of several records, as one step."""

    def text(n: int) -> str:
        return f"Edit {attr.rstrip('_')} of {counted(n, spec.BY_NAME[kind].singular)}"

    if len(ids) > FEW and kind in ("events", "demands") and attr not in ("id", "status"):
        news = _set_many(doc, kind, ids, attr, value)
        return c.UpdateRecords(doc, kind, news, text(len(news))) if news else None
    cmds = [cmd for i in ids if (cmd := set_field(doc, kind, i, attr, value, typing))]
    return _one(text(len(cmds)), cmds)


def _set_many(doc: Document, kind: str, ids: list[str], attr: str, value) -> list:
    """The records `set_field` would make of many events or demands: those holding the
    value already found from the kind's column, the others made once each and checked
    together (100,000 events took 3 s, each record made twice and checked alone)."""
    ids = doc.present(kind, ids)
    held = doc.values_of(kind, ids, attr)
    ids = [i for i, now in zip(ids, held, strict=True) if now != value]
    f = spec.BY_NAME[kind].field(attr)
    for i in ids:
        check_references(doc, f, value, i)
    olds = [doc.get(kind, i) for i in ids]
    news = [replace(old, **{attr: value}) for old in olds]
    check_records(doc, kind, *news)
    return news


def set_status(
    doc: Document, demand_id: str, status: str, when: When, note: str = ""
) -> QtGui.QUndoCommand | None:
    """A demand's new status on the day it changed (`when`, which the surface asks the
    person for: see `likely_status_date`), added to its history; `resolved` is set to
    that date, or cleared when the demand is open again."""
    old: Demand = doc.get("demands", demand_id)
    if old is None or old.status == status:
        return None
    history = old.history + (StatusChange(when=when, status=status, note=note),)
    new = _with_history(old, status, history)
    check_records(doc, "demands", new)  # (a date before it was raised)
    return c.UpdateRecord(doc, "demands", new, text=f"Mark '{c.label(old)}' {status}")


def set_history(doc: Document, demand_id: str, history: tuple) -> QtGui.QUndoCommand | None:
    """A demand's history as edited row by row, kept in the order of its dates: its status
    and `resolved` follow the last change, so the chart shows what the history says."""
    old: Demand = doc.get("demands", demand_id)
    history = tuple(sorted(history, key=lambda h: _start(h.when)))
    if old is None or old.history == history:
        return None
    status = history[-1].status if history else old.status
    new = _with_history(old, status, history) if history else replace(old, history=())
    check_records(doc, "demands", new)
    return c.UpdateRecord(doc, "demands", new, text=f"Edit history of '{c.label(old)}'")


def _start(when: When) -> float:
    return when.lo if when.lo is not None else float("-inf")


def _with_history(old: Demand, status: str, history: tuple) -> Demand:
    resolved = None if status == "open" else history[-1].when
    return replace(old, status=status, resolved=resolved, history=history)


def likely_status_date(doc: Document, demand_id: str, at: float | None = None) -> When:
    """When a demand's status most likely changed, to propose (never today unless the
    person picks it): the day at `at` (the pointer, on the chart), else the last event of
    the demand's parties after it was raised, else the day it was raised."""
    d: Demand = doc.get("demands", demand_id)
    if at is not None:  # (never before it was raised)
        day = parse(point_at(at, "day").text())
        return day if d.raised.lo is None or day.lo >= d.raised.lo else d.raised
    parties = {d.from_, d.to, *d.via}
    since = d.raised.lo if d.raised.lo is not None else float("-inf")
    last, last_t = None, since
    events = doc.project.events
    columns = (values(events, attr) for attr in ("actor", "with_", "when"))
    for i, (actor, with_, when) in enumerate(zip(*columns, strict=True)):
        t = when.hi if when.hi is not None else when.lo
        involved = actor in parties or parties.intersection(with_)
        if involved and t is not None and when.lo is not None and when.lo >= since:
            if last is None or t > last_t:
                last, last_t = i, t
    if last is None:
        return d.raised
    last = events[last]
    point = last.when.end if last.when.is_range and last.when.end else last.when.start
    return parse(point.text()) if point is not None else d.raised


def rename_id(doc: Document, old: str, new: str) -> QtGui.QUndoCommand | None:
    """A record's new id, and every reference to it (found through the record spec), in
    one step. Refused when the id is not valid or already used."""
    kind = doc.kind_of(old)
    if kind is None or new == old:
        return None
    if not ID_PATTERN.fullmatch(new):
        raise c.RefusedEdit(
            f"'{new}' is not a valid id (letters, digits, '-', '_' and '.', no spaces)"
        )
    cmds: list[QtGui.QUndoCommand] = [c.RenameRecord(doc, kind, old, new)]
    for other in spec.KINDS:
        records = doc.records(other.name)
        for record in naming(records, old) if other.name == "events" else records:
            renamed = retargeted(other, record, {(kind, old): new})
            if renamed is not record:
                cmds.append(c.UpdateRecord(doc, other.name, renamed))
    return c.Compound(f"Rename '{old}' to '{new}'", cmds)


PLACEHOLDER = re.compile(r"(?:event|demand|phase|source|actor|new-[a-z]+)(?:-\d+)?")


def name_after_title(doc: Document, record_id: str) -> QtGui.QUndoCommand | None:
    """A record still under the id it was created with (event-3) takes one made from its
    title (sadat-arrives-camp-david), unique in the project."""
    kind = doc.kind_of(record_id) or "events"
    record = doc.get(kind, record_id)
    named_by = spec.BY_NAME[kind].named_by
    attr = next((f.attr for f in spec.BY_NAME[kind].fields if f.key == named_by), "")
    title = getattr(record, attr, "") if attr else ""
    if record is None or not PLACEHOLDER.fullmatch(record_id) or not title.strip():
        return None
    new = doc.new_id(title)
    if PLACEHOLDER.fullmatch(new):
        return None
    rename = rename_id(doc, record_id, new)
    return c.NamedAfterTitle(rename.text(), rename.children_, record_id, attr)


# ------------------------------------------------------------------ events in time


def move_events(
    doc: Document, moves: dict[str, tuple[When, str]], verb: str = "Move"
) -> QtGui.QUndoCommand | None:
    """Events to new dates and lanes: {id: (when, actor)}. Unchanged ones are left out.
    The step is called "{verb} 'title'" or "{verb} 3 events" (Move, Resize)."""
    cmds = []
    for event_id, (when, actor) in moves.items():
        e: Event = doc.get("events", event_id)
        if e is not None and (e.when != when or e.actor != actor):
            cmds.append(c.MoveEvent(doc, event_id, when, actor, verb))
    return _one(f"{verb} {counted(len(cmds), 'event')}", cmds)


def shift_events(doc: Document, ids, seconds: float) -> QtGui.QUndoCommand | None:
    """Events moved in time by `seconds`, each keeping its precision; those that cannot
    move so (past the calendar's ends) stay."""
    moves = {}
    for event_id in sorted(ids):
        e = doc.get("events", event_id)
        if e is None:
            continue
        try:
            moves[event_id] = (e.when.shifted(seconds), e.actor)
        except WhenError:
            continue
    return move_events(doc, moves)


def move_demand(
    doc: Document, demand_id: str, seconds: float = 0.0, to: str | None = None
) -> QtGui.QUndoCommand | None:
    """A demand moved in time (raised and resolved together) and/or addressed to another
    actor. None when nothing changes or the dates cannot move so."""
    d: Demand = doc.get("demands", demand_id)
    changes = {}
    if seconds:
        try:
            changes["raised"] = d.raised.shifted(seconds)
            if d.resolved:
                changes["resolved"] = d.resolved.shifted(seconds)
        except WhenError:
            return None
    if to and to not in (d.to, d.from_):
        changes["to"] = to
    if not changes:
        return None
    return c.UpdateRecord(doc, "demands", replace(d, **changes), text=f"Move demand '{c.label(d)}'")


# ------------------------------------------------------------------ adding and removing


def add(doc: Document, kind: str, record, index: int | None = None) -> QtGui.QUndoCommand:
    """Add a record. A new actor without a colour gets one now, stored, so that its lane
    keeps it when other lanes come and go (a nested actor takes its parent's)."""
    if kind == "actors" and not record.color:
        record = replace(record, color=new_actor_color(doc, record.parent))
    return c.AddRecord(doc, kind, record, index)


def new_actor_color(doc: Document, parent: str = "") -> str:
    """The parent's colour, or the first of the palette no lane uses yet (the least used)."""
    if parent and doc.get("actors", parent) is not None:
        return doc.get("actors", parent).color or LANE_COLORS[0]
    used = [a.color.lower() for a in doc.project.actors]
    return min(LANE_COLORS, key=lambda color: (used.count(color.lower()), LANE_COLORS.index(color)))


def add_event_at(doc: Document, actor: str, when: When, title: str = "New event") -> Event:
    """A new event record (not yet added: pass it to `add`), with an id not yet used."""
    return Event(id=doc.new_id("event"), actor=actor, title=title, when=when)


def add_demand_between(doc: Document, from_: str, to: str, when: When) -> Demand:
    return Demand(id=doc.new_id("demand"), from_=from_, to=to, text="New demand", raised=when)


def delete(doc: Document, ids) -> QtGui.QUndoCommand | None:
    """Delete records of any kind, as one step. An actor or a source still used by a
    record that stays is refused with RefusedEdit, which names the users (`remove_actor`
    moves an actor's items to another first)."""
    going = set(ids)
    for record_id in going:
        kind = doc.kind_of(record_id)
        if kind in ("actors", "sources"):
            users = c.users(doc, kind, record_id)
            if any(u not in going for u in users):
                c.RemoveRecord(doc, kind, record_id)  # refuses, naming them
    # Referring records first, so that each step leaves the project whole; within a kind
    # from the end, so that undo puts each back at its place.
    rank = {"views": 0, "context": 0, "demands": 1, "events": 2, "phases": 3, "actors": 4}
    by_kind: dict[str, list[str]] = {}
    for record_id in going:
        if kind := doc.kind_of(record_id):
            by_kind.setdefault(kind, []).append(record_id)
    cmds = _unlink(doc, going)
    for kind in sorted(by_kind, key=lambda kind: rank.get(kind, 5)):
        ids = by_kind[kind]
        if len(ids) == 1:
            cmds.append(c.RemoveRecord(doc, kind, ids[0], check=False))
        else:  # each kind in one go (one at a time, 100,000 selected events never ended)
            cmds.append(c.RemoveRecords(doc, kind, ids))
    if not cmds:
        return None
    deleted = [record_id for ids in by_kind.values() for record_id in ids]
    text = cmds[0].text() if len(cmds) == 1 else f"Delete {counted(len(deleted), 'item')}"
    return c.Deletion(text, cmds, doc, [i for i in deleted if i in doc.selection])


def link_words(doc: Document, a_id: str, b_id: str) -> str:
    """What `toggle_link` would do to two events, in words (for a menu)."""
    return _link_change(doc, a_id, b_id)[2]


def toggle_link(doc: Document, a_id: str, b_id: str) -> QtGui.QUndoCommand | None:
    """Link two events, the later answering the earlier (`responds_to`), or unlink two
    already linked (either way round); one step, named by both events. Of two that start
    together, `b` answers `a`: the event dragged to (or chosen second) answers the first."""
    then_id, answers, what = _link_change(doc, a_id, b_id)
    cmd = set_field(doc, "events", then_id, "responds_to", answers)
    if cmd is not None:
        cmd.setText(what)  # the History names both events, not an "Edit event"
    return cmd


def _link_change(doc: Document, a_id: str, b_id: str) -> tuple[str, tuple, str]:
    a, b = doc.get("events", a_id), doc.get("events", b_id)
    first, then = sorted((a, b), key=lambda e: _start(e.when))  # (stable: a first)
    if then.id in first.responds_to:  # linked the other way (typed so): that link goes
        first, then = then, first
    if first.id in then.responds_to:
        answers = tuple(i for i in then.responds_to if i != first.id)
        return then.id, answers, f"Unlink '{then.title}' from '{first.title}'"
    answers = (*then.responds_to, first.id)
    return then.id, answers, f"Link '{then.title}' as an answer to '{first.title}'"


def _unlink(doc: Document, going: set[str]) -> list[QtGui.QUndoCommand]:
    """What only points at records going, and is no use of them, let go in the same step:
    a link from an event that stays, an actor in a saved view, a dataset's lane match."""
    cmds: list[QtGui.QUndoCommand] = []
    for e in linked(doc.project.events):
        if e.id not in going and going.intersection(e.responds_to):
            kept = tuple(r for r in e.responds_to if r not in going)
            cmds.append(c.UpdateRecord(doc, "events", replace(e, responds_to=kept)))
    for v in doc.project.views:
        if v.id not in going and going.intersection(v.actors):
            kept = tuple(a for a in v.actors if a not in going)
            if kept:
                cmds.append(c.UpdateRecord(doc, "views", replace(v, actors=kept)))
            else:  # no actor left would mean every actor: the view goes with its lanes
                cmds.append(c.RemoveRecord(doc, "views", v.id, check=False))
    for d in doc.project.context:
        if d.id not in going and any(m.actor in going for m in d.match):
            kept = tuple(m for m in d.match if m.actor not in going)
            cmds.append(c.UpdateRecord(doc, "context", replace(d, match=kept)))
    return cmds


demands_of_itself = c.demands_of_itself  # what a move to `reassign_to` would spoil


def remove_actor(doc: Document, actor_id: str, reassign_to: str | None = None, drop_own=False):
    """Remove an actor (its items moved to `reassign_to`, when given; see
    commands.remove_actor for `drop_own`); views and datasets let go of it in the step."""
    removal = c.remove_actor(doc, actor_id, reassign_to, drop_own)
    unlinks = _unlink(doc, {actor_id})
    return c.Compound(removal.text(), [*unlinks, removal]) if unlinks else removal


def duplicate(doc: Document, ids) -> tuple[QtGui.QUndoCommand | None, list[str]]:
    """Copies of events and demands, each after its original, with new ids."""
    cmds, new_ids = [], []
    taken: set[str] = set()
    originals = [i for i in ids if doc.kind_of(i) in ("events", "demands")]
    # From the end, so that each copy's place is counted before the copies after it.
    for record_id in sorted(originals, key=lambda i: -doc.position(doc.kind_of(i), i)):
        kind = doc.kind_of(record_id)
        new_id = _free_id(doc, record_id, taken)
        new_ids.append(new_id)
        record = replace(doc.get(kind, record_id), id=new_id)
        cmds.append(c.AddRecord(doc, kind, record, doc.position(kind, record_id) + 1))
    return _one(f"Duplicate {counted(len(cmds), 'item')}", cmds), new_ids[::-1]


def paste_events(doc: Document, events: list[Event]) -> tuple[QtGui.QUndoCommand | None, list[str]]:
    """Events from the clipboard, with ids made unique."""
    cmds, new_ids = [], []
    taken: set[str] = set()
    end = len(doc.project.events)
    for n, e in enumerate(events):
        new_id = _free_id(doc, e.id, taken)
        new_ids.append(new_id)
        cmds.append(c.AddRecord(doc, "events", replace(e, id=new_id), end + n))
    return _one(f"Paste {counted(len(cmds), 'event')}", cmds), new_ids


def add_imported(doc: Document, merged) -> QtGui.QUndoCommand | None:
    """An import: the records of `merged` (the project with the files read into it) that
    `doc` lacks, each after the last of its kind in the files' order, as one step."""
    cmds = [
        c.AddRecord(doc, kind.name, r, len(doc.records(kind.name)) + n)
        for kind in spec.KINDS
        for n, r in enumerate(_new_records(doc, getattr(merged, kind.name)))
    ]
    return c.Compound(f"Import {counted(len(cmds), 'record')}", cmds) if cmds else None


def _new_records(doc: Document, records) -> list:
    """The records `doc` lacks, by their ids (from a store's columns: only those are made)."""
    return [records[i] for i, r in enumerate(values(records, "id")) if not doc.has_id(r)]


def _free_id(doc: Document, stem: str, taken: set[str]) -> str:
    new_id = doc.new_id(stem)
    while new_id in taken:
        new_id = doc.new_id(new_id + "-copy")
    taken.add(new_id)
    return new_id


# ------------------------------------------------------------------ lanes


def move_lane(doc: Document, actor_id: str, before: str | None) -> QtGui.QUndoCommand | None:
    """Move an actor's lane, with its nested lanes, before another actor's (None: last)."""
    return move_lanes(doc, [actor_id], before)


def move_lanes(doc: Document, actor_ids, before: str | None) -> QtGui.QUndoCommand | None:
    """Move actors' lanes before another actor's (None: last), each with its nested lanes
    as one block, in their order: the rule of the header drag and of the table's rows."""
    order = [a.id for a in doc.project.actors]
    moving = set(actor_ids)
    block = [a for a in order if a in moving or any(_is_descendant(doc, a, m) for m in moving)]
    if not block or before in block:
        return None
    rest = [a for a in order if a not in block]
    at = len(rest) if before is None else rest.index(before)
    new_order = rest[:at] + block + rest[at:]
    return None if new_order == order else c.ReorderActors(doc, new_order)


def set_title(doc: Document, title: str, description: str) -> QtGui.QUndoCommand | None:
    """The project's title and description, as one step."""
    if (title, description) == (doc.project.title, doc.project.description):
        return None
    return c.SetTitle(doc, title, description)


def hide_lane(doc: Document, actor_id: str) -> QtGui.QUndoCommand | None:
    a = doc.get("actors", actor_id)
    if a is None or a.hidden:
        return None
    return c.UpdateRecord(doc, "actors", replace(a, hidden=True), text=f"Hide '{a.name}'")


def show_hidden_lanes(doc: Document) -> QtGui.QUndoCommand | None:
    """Every hidden lane shown again, as one step (None when none is hidden)."""
    hidden = [a for a in doc.project.actors if a.hidden]
    text = f"Show {counted(len(hidden), 'hidden lane')}"
    return _one(
        text, [c.UpdateRecord(doc, "actors", replace(a, hidden=False), text=text) for a in hidden]
    )


def toggle_collapsed(doc: Document, actor_id: str) -> QtGui.QUndoCommand:
    a = doc.get("actors", actor_id)
    verb = "Expand" if a.collapsed else "Collapse"
    new = replace(a, collapsed=not a.collapsed)
    return c.UpdateRecord(doc, "actors", new, text=f"{verb} '{a.name}'")


def _is_descendant(doc: Document, actor_id: str, ancestor: str) -> bool:
    seen = set()
    a = doc.get("actors", actor_id)
    while a is not None and a.parent and a.parent not in seen:
        if a.parent == ancestor:
            return True
        seen.add(a.parent)
        a = doc.get("actors", a.parent)
    return False
