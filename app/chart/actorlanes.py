"""Which actors get a lane, in what order and at what depth: the rows of the chart's
lane list, before any event is placed."""

from __future__ import annotations

from app.records.model import Actor, Project


def visible_actors(project: Project) -> list[tuple[Actor, int, tuple[str, ...], bool]]:
    """Actors that get a lane, in order, as (actor, depth, member ids, has children).

    Children follow their parent's lane, whatever their place in the file. Hidden actors
    and the descendants of collapsed actors get no lane; a collapsed lane draws its
    descendants' events itself.
    """
    by_id = {a.id: a for a in project.actors}
    children: dict[str, list[Actor]] = {}
    roots = []
    for a in project.actors:
        if a.parent and a.parent in by_id:
            children.setdefault(a.parent, []).append(a)
        else:
            roots.append(a)
    out = []

    def descendants(actor_id: str) -> list[str]:
        found = []
        for c in children.get(actor_id, []):
            found.append(c.id)
            found += descendants(c.id)
        return found

    def walk(actor: Actor, depth: int) -> None:
        if actor.hidden:
            return
        kids = children.get(actor.id, [])
        if actor.collapsed:
            out.append((actor, depth, (actor.id, *descendants(actor.id)), bool(kids)))
            return
        out.append((actor, depth, (actor.id,), bool(kids)))
        for c in kids:
            walk(c, depth + 1)

    for r in roots:
        walk(r, 0)
    return out
