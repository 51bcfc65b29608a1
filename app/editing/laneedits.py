"""Dropping a lane where its header was dragged (re-exported by app/editing/edits.py).

A lane's place on screen is set by its parent and its order among its siblings, so a
drop that only reordered the file moved nothing on screen: the drop line's place must
decide the parent too."""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtGui

from app.editing import commands as c
from app.editing.document import Document
from app.fileformat.build import MAX_NESTING, nesting_problems


def _parent(doc: Document, actor_id: str | None) -> str:
    a = doc.get("actors", actor_id) if actor_id else None
    return a.parent if a is not None and doc.get("actors", a.parent) is not None else ""


def _chain(doc: Document, actor_id: str) -> list[str]:
    """The actor and its ancestors, nearest first."""
    out = [actor_id]
    while (up := _parent(doc, out[-1])) and up not in out:
        out.append(up)
    return out


def drop_lane(doc: Document, actor_id: str, shown: list[str], at: int):
    """Move an actor's lane (with its nested lanes) to the drop line drawn above
    `shown[at]` (`shown`: the lanes on screen, top to bottom; `at == len(shown)`: below
    the last). It stays in its parent while the line is inside the parent's block (its
    end included); dropped elsewhere it takes the parent of the lane below the line (top
    level below the last), so it sits where the line was drawn. One step; None when
    nothing moves. RefusedEdit when it would nest too deep."""
    actor = doc.get("actors", actor_id)
    block = [a.id for a in doc.project.actors if actor_id in _chain(doc, a.id)]
    below = shown[at] if at < len(shown) else None
    if actor is None or below in block:
        return None
    above = next((shown[k] for k in range(at - 1, -1, -1) if shown[k] not in block), None)
    parent = _parent(doc, actor_id)
    if below is not None and _parent(doc, below) == parent:
        return _place(doc, actor, block, parent, before=below)
    # At the end of blocks the line closes every block `above` is in, down to `below`'s level.
    depth_below = len(_chain(doc, below)) if below else 0
    for x in _chain(doc, above) if above else []:
        if len(_chain(doc, x)) < depth_below:
            break
        if _parent(doc, x) == parent:
            return _place(doc, actor, block, parent, after=x)
    if above is not None and above == parent:  # right under its parent: its first child
        return _place(doc, actor, block, parent, after=above)
    return _place(doc, actor, block, _parent(doc, below), before=below)


def _place(doc: Document, actor, block: list[str], parent: str, before=None, after=None):
    order = [a.id for a in doc.project.actors]
    rest = [a for a in order if a not in block]
    if after is not None:
        at = rest.index(after) + 1
    else:
        at = len(rest) if before is None else rest.index(before)
    new_order = rest[:at] + block + rest[at:]
    cmds: list[QtGui.QUndoCommand] = []
    if new_order != order:
        cmds.append(c.ReorderActors(doc, new_order))
    if parent != _parent(doc, actor.id):
        moved = replace(actor, parent=parent)
        others = [moved if a.id == actor.id else a for a in doc.project.actors]
        for _i, message in nesting_problems(others):
            raise c.RefusedEdit(message)
        cmds.append(c.UpdateRecord(doc, "actors", moved))
    if not cmds:
        return None
    return c.Compound(f"Move lane '{actor.name}'", cmds)


def possible_parents(doc: Document, actor_ids: list[str]) -> list[str]:
    """The actors each of `actor_ids` may be put inside, in the file's order: what the
    inspector's Inside offers. Not one of them or a lane nested in one (it would be inside
    itself), nor one so deep that their nested lanes would nest past MAX_NESTING: the
    edit refuses what `nesting_problems` finds, and this offers nothing it would refuse."""
    actors = doc.project.actors
    known = {a.id for a in actors}
    parent = {a.id: a.parent for a in actors if a.parent in known}
    children: dict[str, list[str]] = {}
    for child, up in parent.items():
        children.setdefault(up, []).append(child)
    depth: dict[str, int] = {}

    def depth_of(actor_id: str) -> int:  # 0 at the top level; past the limit in a loop
        chain, at = [], actor_id
        while at not in depth:
            if at not in parent or at in chain:
                depth[at] = 0 if at not in parent else MAX_NESTING + 1
                break
            chain.append(at)
            at = parent[at]
        d = depth[at]
        for x in reversed(chain):
            d = depth[x] = d + 1
        return d

    inside, tallest = set(), 0  # the lanes moved, and how far below them their lanes go
    for actor_id in actor_ids:
        todo, top = [actor_id], depth_of(actor_id)
        while todo:
            x = todo.pop()
            if x not in inside:
                inside.add(x)
                tallest = max(tallest, depth_of(x) - top)
                todo += children.get(x, [])
    return [
        a.id for a in actors if a.id not in inside and depth_of(a.id) + 1 + tallest <= MAX_NESTING
    ]
