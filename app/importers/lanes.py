"""How an import finds the lane of each actor a file names: the project's own lane of that
name (where it nests, by its parent; elsewhere, by its name alone), a lane the person
matched on the Lanes tab, or a new one, nested at most MAX_NESTING deep."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from app.fileformat.build import MAX_NESTING
from app.records.eventstore import values
from app.records.model import LANE_COLORS, Actor


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """How actor names are matched: case and spacing do not count."""
    return " ".join(name.split()).casefold()


class LaneMatching:
    """ProjectBuilder's lanes (app/importers/base.py: it adds the records and makes ids)."""

    def match_lanes(self, lanes: dict[str, str]) -> None:
        """Before the first row: the project's lanes by name, and by parent and name for
        the nested ones; `lanes`, names the person matched to existing lanes."""
        actors = self.project.actors
        self.actors = {key(a.name): a.id for a in actors}
        self.actors.update({key(name): actor_id for name, actor_id in lanes.items()})
        # The project's own lanes (or those matched) by a name no other has: `_had_nested`.
        names = Counter(key(a.name) for a in actors)
        self._had = {k: actor_id for k, actor_id in self.actors.items() if names[k] < 2}
        self._had_ids = {a.id for a in actors}
        self.actors.update({f"{a.parent}/{key(a.name)}": a.id for a in actors if a.parent})
        self._parents: dict[str, str] | None = None  # actor id: parent id, made when asked
        self._depths: dict[str, int] = {}
        self._bypassed: set[str] = set()  # groups made whose lane went to the project's

    def actor(
        self, name: str, parent: str = "", kind: str = "", color: str = "", wanted_id: str = ""
    ) -> str:
        """The id of the actor called `name` (inside `parent`), created when new (with
        `wanted_id` when that is free)."""
        name = " ".join(name.split())
        k = key(name) if not parent else f"{parent}/{key(name)}"
        found = self.actors.get(k) or (self.actors.get(key(name)) if not parent else None)
        if found or (found := self._had_nested(name, parent)):
            return found
        if parent and self.depth(parent) >= MAX_NESTING:
            # A project nests lanes at most MAX_NESTING deep: deeper ones sit beside the last.
            self.approximated_row(
                name, f"lanes nested more than {MAX_NESTING} deep: kept at {MAX_NESTING}"
            )
            parent = self._parent_of(parent)
        actor_id = self.keep_id(wanted_id, "actor") if wanted_id else self.new_id(name, "actor")
        color = color or LANE_COLORS[len(self.project.actors) % len(LANE_COLORS)]
        self.add("actors", Actor(id=actor_id, name=name, color=color, kind=kind, parent=parent))
        self.actors[k] = actor_id
        if self._parents is not None:
            self._parents[actor_id] = parent
        self._depths[actor_id] = self.depth(parent) + 1 if parent else 0
        return actor_id

    def _had_nested(self, name: str, parent: str) -> str | None:
        """The project's own lane `name`, for one the file nests in `parent`: where the project
        does too, or `parent` is the file's (a Timeline "Mediators" held a second "Qatar")."""
        found = self._had.get(key(name)) if parent else None
        if found is None or (parent in self._had_ids and self._parent_of(found) != parent):
            return None
        self._bypassed.add(parent)
        return found

    def _parent_of(self, actor_id: str) -> str:
        if self._parents is None or actor_id not in self._parents:
            self._parents = {a.id: a.parent for a in self.project.actors}
        return self._parents.get(actor_id, "")

    def depth(self, actor_id: str) -> int:
        """How deep a lane is nested (0: at the top), counted up to MAX_NESTING + 1."""
        if actor_id in self._depths:
            return self._depths[actor_id]
        d, at, seen = 0, self._parent_of(actor_id), {actor_id}
        while at and at not in seen and d <= MAX_NESTING:
            seen.add(at)
            d, at = d + 1, self._parent_of(at)
        self._depths[actor_id] = d
        return d

    def drop_emptied_groups(self) -> None:
        """The lanes the file made only to hold lanes that went to the project's own, left
        empty: gone (a Timeline category "Mediators" holding only "Qatar" was an empty lane
        beside the project's Qatar)."""
        empty = self._bypassed - self._had_ids
        if not empty:
            return
        p = self.project
        used = {a.parent for a in p.actors}
        used.update(values(p.events, "actor"))
        used.update(i for ids in values(p.events, "with_") for i in ids)
        for d in p.demands:
            used.update((d.from_, d.to, *d.via))
        empty -= used
        if empty:
            p.actors[:] = [a for a in p.actors if a.id not in empty]
            self.made["actors"] -= len(empty)
