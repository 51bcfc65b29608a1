"""What changed between two versions of a project, by record and field, in words:

+ event raanan-release "Hamas releases two American women" (hamas, 2023-10-20)
~ event truce-begins: when "2023-11-24" → "2023-11-24T07:00+02:00"
- demand halt-drones
~ lanes: order usa, qatar, hamas → qatar, usa, hamas
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from app.fileformat import plain, spec
from app.records.collector import collector_held
from app.records.model import Conflict, Project


@dataclass(frozen=True)
class Change:
    sign: str  # "+", "-" or "~"
    kind: str  # "event", "actor", ..., "project" or "lanes"
    id: str
    field: str = ""
    old: object = None
    new: object = None
    summary: str = ""  # for an added or removed record: its title, and where and when

    def __str__(self) -> str:
        if self.kind == "conflict":  # its summary says which record and field
            return f"{self.sign} conflict {self.summary}"
        if self.sign in "+-":
            return f"{self.sign} {self.kind} {self.id}" + (
                f" {self.summary}" if self.summary else ""
            )
        if self.kind == "lanes":
            return f"~ lanes: order {', '.join(self.old)} → {', '.join(self.new)}"
        name = f"{self.kind} {self.id}" if self.id else self.kind
        return f"~ {name}: {self.field} {_show(self.old)} → {_show(self.new)}"


def _show(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def summary(kind: spec.Kind, record) -> str:
    """A record in a few words: its title and, for events and demands, who and when."""
    fields = plain.record(kind, record)
    title = next((fields[k] for k in ("title", "name", "text") if fields.get(k)), "")
    where = {
        "events": lambda: [fields["actor"], fields["when"]],
        "demands": lambda: [f"{fields['from']} → {fields['to']}", fields["raised"]],
        "phases": lambda: [fields["when"]],
        "actors": lambda: [f"inside {fields['parent']}"] if fields.get("parent") else [],
    }.get(kind.name, list)()
    out = json.dumps(title, ensure_ascii=False) if title else ""
    return out + (f" ({', '.join(where)})" if where else "")


def conflict_text(c: Conflict) -> str:
    """ "events e1: title: ours "Attack", theirs "Hamas attack"", as a merge tells it."""
    where = f"{c.kind} {c.id}".strip() + (f": {c.field}" if c.field else "")
    return f"{where}: ours {c.ours or '(deleted)'}, theirs {c.theirs or '(deleted)'}"


@collector_held
def changes(old: Project, new: Project) -> list[Change]:
    out = []
    for key in ("title", "description"):
        if getattr(old, key) != getattr(new, key):
            out.append(Change("~", "project", "", key, getattr(old, key), getattr(new, key)))
    for kind in spec.KINDS:
        before = {r.id: r for r in getattr(old, kind.name)}
        after = {r.id: r for r in getattr(new, kind.name)}
        for rid, r in before.items():
            if rid not in after:
                out.append(Change("-", kind.singular, rid, summary=summary(kind, r)))
        for rid, r in after.items():
            if rid not in before:
                out.append(Change("+", kind.singular, rid, summary=summary(kind, r)))
            elif r != before[rid]:
                a, b = plain.record(kind, before[rid]), plain.record(kind, r)
                for f in kind.fields:
                    if a.get(f.key) != b.get(f.key):
                        out.append(
                            Change("~", kind.singular, rid, f.key, a.get(f.key), b.get(f.key))
                        )
        if kind.name == "actors":
            shared = [i for i in before if i in after]
            order = [i for i in after if i in before]
            if shared != order:
                out.append(Change("~", "lanes", "", "order", shared, order))
    # A merge's unsettled conflicts: one about to be committed must show in `git diff`.
    for sign, these, those in (
        ("-", old.conflicts, new.conflicts),
        ("+", new.conflicts, old.conflicts),
    ):
        out += [
            Change(sign, "conflict", c.id, c.field, summary=conflict_text(c))
            for c in these
            if c not in those
        ]
    return out


def as_text(found: list[Change]) -> str:
    return "".join(f"{c}\n" for c in found)


def as_json(found: list[Change]) -> str:
    return json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2) + "\n"
