"""Three-way merge of projects by meaning: records by id, fields one by one, through the
record spec.

    merged = merge(base, ours, theirs)     # merged.conflicts lists what it could not settle

- A record added on either side is kept; deleted on one side and unchanged on the other,
  it is deleted. Different fields changed on each side are both applied; the same change
  on both sides is taken once.
- Lists inside records merge as fits each: `with`, `via` and `tags` as sets in order,
  `cites` by source (a source's citation changed two ways is a conflict on `cites` whose
  ours and theirs are the merged list with that side's citation), `history` by date
  (unless the status clashes: then a demand's status, resolved and history stay ours).
  The order of the records (the lanes, for actors) merges as a sequence; lanes that both
  sides moved, each its own way, keep our order and record theirs as a conflict.
- What cannot be settled (an id added on both sides with different content, one field
  changed differently, a record deleted on one side and changed on the other) keeps ours
  and is recorded in `conflicts`; so is a record whose changes from each side are valid
  alone and refused together (resolved before raised); and an id added as one kind here,
  another there (ids are unique across kinds): our record stays. A merge that would leave a
  reference dangling (an event on an actor the other side deleted) keeps the record and
  records a conflict, so the result loads; so does a nesting of lanes the two
  sides together make circular, which keeps our parents. An id that theirs gives to
  another kind of record than ours, their records referring to it (their events citing
  their new source `x`, where ours added an actor `x`), keeps both: before the merge, their
  record and their references take a new id (`x-2`), so every conflict names it so; the
  rename is a conflict on its `id` (theirs: `x`).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import count

from app.fileformat import plain, spec
from app.fileformat.build import KIND_CHECKS, Builder, nesting_problems
from app.fileformat.references import retargeted
from app.records.collector import collector_held
from app.records.eventstore import values
from app.records.model import Conflict, Project

_SETS = (spec.REFS, spec.NAMES)
_STATUS_STORY = ("status", "resolved", "history")


@collector_held
def merge(base: Project, ours: Project, theirs: Project) -> Project:
    base, theirs, set_apart = _set_apart(base, ours, theirs)
    out = Project()
    conflicts: list[Conflict] = []
    for key in ("title", "description"):
        value, clash = _value(getattr(base, key), getattr(ours, key), getattr(theirs, key))
        setattr(out, key, value)
        if clash:
            conflicts.append(
                _conflict("project", "", key, *(getattr(p, key) for p in (base, ours, theirs)))
            )
    out.preamble = _value(base.preamble, ours.preamble, theirs.preamble)[0]
    for kind in spec.KINDS:
        records = [{r.id: r for r in getattr(p, kind.name)} for p in (base, ours, theirs)]
        kept = {}
        for rid in dict.fromkeys([*records[1], *records[2], *records[0]]):
            value, clashes = _record(kind, *(r.get(rid) for r in records))
            conflicts += clashes
            if value is not None:
                kept[rid] = value
        order = merge_order(*(list(r) for r in records), keep=set(kept))
        setattr(out, kind.name, [kept[i] for i in order])
        if kind.name == "actors":
            conflicts += _lane_orders_clash(*(list(r) for r in records))
    conflicts += _repair(out, base, ours, theirs)
    known = out.all_ids()
    conflicts += [
        _conflict(k, new, "id", None, new, old)
        for (k, old), new in set_apart.items()
        if new in known
    ]
    earlier = _value(base.conflicts, ours.conflicts, theirs.conflicts)[0]
    out.conflicts = list(dict.fromkeys([*earlier, *conflicts]))  # each once
    return out


def _value(b, o, t):
    """The merged value of one thing, and whether both sides changed it differently."""
    if o == t or t == b:
        return o, False
    if o == b:
        return t, False
    return o, True


def _conflict(kind: str, rid: str, key: str, b, o, t, f: spec.Field | None = None) -> Conflict:
    def text(v):
        return plain.dumps(v if f is None else plain.field_value(f, v))

    return Conflict(kind=kind, id=rid, field=key, base=text(b), ours=text(o), theirs=text(t))


def _whole(kind: spec.Kind, rid: str, b, o, t) -> Conflict:
    def text(r):
        return "" if r is None else plain.dumps(plain.record(kind, r))

    return Conflict(kind=kind.name, id=rid, field="", base=text(b), ours=text(o), theirs=text(t))


def _record(kind: spec.Kind, b, o, t):
    """One record's merge: (the record or None, conflicts)."""
    if o == t:
        return o, []
    if b is None:  # added on one side, or on both
        if o is None or t is None:
            return o if t is None else t, []
        return o, [_whole(kind, o.id, b, o, t)]
    if o is None or t is None:  # deleted on one side
        other = t if o is None else o
        if other == b:
            return None, []
        return o, [_whole(kind, b.id, b, o, t)]
    changes, clashes = {}, []
    # a demand's status, resolved and history tell one story: when the status clashes,
    # all three are ours, each a conflict where theirs differs (status last, so that
    # taking theirs in order finds their history already dating their status)
    together = _value(b.status, o.status, t.status)[1] if kind.name == "demands" else False
    for f in sorted(kind.fields, key=lambda f: together and f.attr == "status"):
        bv, ov, tv = (getattr(r, f.attr) for r in (b, o, t))
        value, clash = _value(bv, ov, tv)
        if together and f.attr in _STATUS_STORY:
            value, clash = ov, ov != tv
        elif clash and f.type in _SETS:
            value, clash = tuple(_merge_set(bv, ov, tv)), False
        elif clash and f.type == spec.HISTORY:
            value, clash = _merge_history(bv, ov, tv), False
        elif clash and f.type == spec.CITES:
            # a clash records the merged list with each side's citation: either choice
            # keeps what the other sources merged to
            value, tv = _merge_cites(bv, ov, tv)
            clash = value != tv
        if clash:
            clashes.append(_conflict(kind.name, o.id, f.key, bv, value, tv, f))
        if value != ov:
            changes[f.attr] = value
    merged = replace(o, **changes) if changes else o
    if changes and _refused(kind, merged):  # each side valid, both together not: keep ours
        return o, [*clashes, _whole(kind, o.id, b, o, t)]
    return merged, clashes


def _refused(kind: spec.Kind, record) -> bool:
    """Whether the file's checks of a record refuse it (a demand resolved before raised)."""
    b = Builder([])
    KIND_CHECKS.get(kind.name, lambda *_: None)(b, [record], [()])
    return bool(b.problems)


def merge_order(b: list, o: list, t: list, keep: set) -> list:
    """The three sequences merged into one of the items in `keep`. Where one side reordered
    the items all three share and the other did not, its order wins (ours when both did);
    items one side added follow their neighbour on that side (the second side's after
    the first side's at the same place)."""
    in_b, in_o, in_t = set(b), set(o), set(t)
    shared = in_b & in_o & in_t

    def common(seq: list) -> list:
        return [x for x in seq if x in shared]

    theirs_moved = common(o) == common(b) and common(t) != common(b)
    primary, secondary = (t, o) if theirs_moved else (o, t)
    result = [x for x in primary if x in keep]
    placed = set(result)
    in_secondary = set(secondary)
    for i, x in enumerate(secondary):
        if x in keep and x not in placed:
            before = next(
                (secondary[j] for j in range(i - 1, -1, -1) if secondary[j] in placed), None
            )
            at = result.index(before) + 1 if before is not None else 0
            while at < len(result) and result[at] not in in_secondary:
                at += 1  # after what the first side added at the same place
            result.insert(at, x)
            placed.add(x)
    return result + [x for x in b if x in keep and x not in placed]


def _lane_orders_clash(b: list, o: list, t: list) -> list[Conflict]:
    """Both sides moved the lanes they share with the base, each its own way: ours stands
    (merge_order), and their order is a conflict on the lanes' `order`, to be taken."""
    shared = set(b) & set(o) & set(t)
    cb, co, ct = ([x for x in seq if x in shared] for seq in (b, o, t))
    if cb in (co, ct) or co == ct:
        return []
    return [_conflict("actors", "", "order", b, o, t)]


def _merge_set(b, o, t) -> list:
    """Items kept on both sides or added on either; one removed on one side goes."""
    keep = {x for x in (*o, *t) if (x in o and x in t) or x not in b}
    return merge_order(list(b), list(o), list(t), keep)


def _merge_history(b, o, t) -> tuple:
    """Every status change either side has (removed ones go), in date order."""
    kept = [h for h in dict.fromkeys((*o, *t)) if (h in o and h in t) or h not in b]
    return tuple(sorted(kept, key=lambda h: h.when.lo if h.when.lo is not None else float("-inf")))


def _merge_cites(b, o, t) -> tuple[tuple, tuple]:
    """Citations by source, each source's citation merged as one value: the merged list,
    and the same with their citation wherever a source clashed (equal when none did)."""
    by = [{c.source: c for c in side} for side in (b, o, t)]
    merged: dict[str, tuple] = {}
    for source in dict.fromkeys([*by[1], *by[2], *by[0]]):
        value, clash = _value(*(side.get(source) for side in by))
        merged[source] = (value, by[2].get(source) if clash else value)
    keep = {s for s, values in merged.items() if values != (None, None)}
    order = merge_order(list(by[0]), list(by[1]), list(by[2]), keep)
    ours, theirs = ([merged[s][i] for s in order if merged[s][i] is not None] for i in (0, 1))
    return tuple(ours), tuple(theirs)


def _repair(out: Project, *versions: Project) -> list[Conflict]:
    """Keep every record something still refers to, and every id unique; each repair is
    a conflict for a person to look at. Referred records are kept again after the ids and
    nestings are settled: an untangled lane's parent may be one the other side deleted."""
    conflicts = _keep_referred(out, *versions)
    conflicts += _one_kind_an_id(out, *versions)
    conflicts += _untangle(out, *versions)
    return conflicts + _keep_referred(out, *versions)


def _keep_referred(out: Project, *versions: Project) -> list[Conflict]:
    """Every record a record of the merge refers to, brought back from the side that has
    it (ours first), each a conflict."""
    conflicts = []
    changed = True
    while changed:
        changed = False
        known = {k.name: {r.id for r in getattr(out, k.name)} for k in spec.KINDS}
        for kind in spec.KINDS:
            for missing in sorted(_dangling(kind, getattr(out, kind.name), known)):
                target, rid = missing
                found = [
                    next((r for r in getattr(p, target) if r.id == rid), None) for p in versions
                ]
                keep = found[1] or found[2] or found[0]
                if keep is None:
                    continue
                getattr(out, target).append(keep)
                conflicts.append(_whole(spec.BY_NAME[target], rid, *found))
                changed = True
    return conflicts


def _untangle(out: Project, base: Project, ours: Project, theirs: Project) -> list:
    """Lanes the two sides together nest in a loop (or too deep) take our parents along
    the loop (the chain) again. Each lane on it whose parent differs between the sides is
    a conflict of their real parents, ours' nestings first, so that taking theirs in order
    undoes our nesting before it makes theirs."""
    parents = [{a.id: a.parent for a in p.actors} for p in (base, ours, theirs)]
    conflicts = []
    while problems := nesting_problems(out.actors):
        at = {a.id: i for i, a in enumerate(out.actors)}
        chain = _parent_chain(out.actors, out.actors[problems[0][0]].id)
        ours_too = {x for x in chain if out.actors[at[x]].parent == parents[1].get(x, "")}
        for x in sorted(chain, key=lambda x: x not in ours_too):
            b, o, t = (p.get(x, "") for p in parents)
            if o != t:
                conflicts.append(_conflict("actors", x, "parent", b, o, t))
        theirs_made = [x for x in chain if x not in ours_too]
        for x in theirs_made:
            out.actors[at[x]] = replace(out.actors[at[x]], parent=parents[1].get(x, ""))
        if not theirs_made:  # ours alone nests so (it would not load): never spin
            out.actors[at[chain[0]]] = replace(out.actors[at[chain[0]]], parent="")
    return conflicts


def _parent_chain(actors: list, start: str) -> list[str]:
    """The lanes from `start` up through its parents: the loop alone if it meets one."""
    parent = {a.id: a.parent for a in actors}
    chain = [start]
    while (up := parent.get(chain[-1], "")) in parent:
        if up in chain:
            return chain[chain.index(up) :]
        chain.append(up)
    return chain


def _one_kind_an_id(out: Project, base: Project, ours: Project, theirs: Project) -> list:
    """An id added as one kind here and another there, nothing referring to theirs (else
    `_set_apart` gave it a new id before): the kind ours has stays (ours wins a conflict),
    the other goes. Each kind's conflict carries that kind's record on each side, ours'
    first: taking theirs in order removes our record, then adds theirs."""
    kinds: dict[str, list[spec.Kind]] = {}
    for kind in spec.KINDS:
        for r in getattr(out, kind.name):
            kinds.setdefault(r.id, []).append(kind)
    conflicts = []
    for rid, found in kinds.items():
        if len(found) < 2:
            continue
        found.sort(key=lambda k: (_find(ours, k, rid) is None, _find(theirs, k, rid) is None))
        for kind in found[1:]:
            records = getattr(out, kind.name)
            records[:] = [r for r in records if r.id != rid]
        conflicts += [
            _whole(kind, rid, *(_find(p, kind, rid) for p in (base, ours, theirs)))
            for kind in found
        ]
    return conflicts


def _set_apart(base: Project, ours: Project, theirs: Project) -> tuple:
    """An id theirs gives to another kind of record than ours does, where their records
    refer to theirs (their new source `x` cited, our new actor `x`): before anything is
    merged, their record (and base's of that kind) takes a new id (`x-2`), and their
    references (and base's) with it. Gives base and theirs so, and {(kind, id): new id}."""
    ours_kind = {r.id: k.name for k in spec.KINDS for r in getattr(ours, k.name)}
    clashes = [
        (k.name, r.id)
        for k in spec.KINDS
        for r in getattr(theirs, k.name)
        if ours_kind.get(r.id, k.name) != k.name
    ]
    if not clashes:
        return base, theirs, {}
    known = {k.name: set() for k in spec.KINDS}  # (so that every reference is found)
    referred = set().union(*(_dangling(k, getattr(theirs, k.name), known) for k in spec.KINDS))
    clashes = [c for c in clashes if c in referred]
    used = set().union(*(p.all_ids() for p in (base, ours, theirs)))
    new_ids = {}
    for kind, rid in clashes:
        new_ids[kind, rid] = next(f"{rid}-{n}" for n in count(2) if f"{rid}-{n}" not in used)
        used.add(new_ids[kind, rid])
    return _renamed(base, new_ids), _renamed(theirs, new_ids), new_ids


def _renamed(project: Project, new_ids: dict[tuple[str, str], str]) -> Project:
    """The project with the records of `new_ids` under their new ids, and every reference
    to them with them."""
    if not new_ids:
        return project
    changes = {}
    for kind in spec.KINDS:
        records = [retargeted(kind, r, new_ids) for r in getattr(project, kind.name)]
        changes[kind.name] = [
            replace(r, id=new_ids[kind.name, r.id]) if (kind.name, r.id) in new_ids else r
            for r in records
        ]
    return replace(project, **changes)


def _find(project: Project, kind: spec.Kind, rid: str):
    """The record of that kind and id in a project, or None."""
    return next((r for r in getattr(project, kind.name) if r.id == rid), None)


def _dangling(kind: spec.Kind, records: list, known: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(kind, id) of every record `records` refer to that `known` lacks, nested records'
    references included (a citation's source, a context dataset's lanes). Each distinct
    value of a field is looked at once: records name the same few, one after another (and
    a store gives a field of every record from its columns, without making a record)."""
    out: set[tuple[str, str]] = set()
    for attr, how, ref, nested in _reference_plan(kind):
        column = values(records, attr)
        try:
            distinct = set(column)
        except TypeError:  # (a value that cannot be hashed: each looked at)
            distinct = column
        for value in distinct:
            _add_dangling(how, ref, nested, value, known, out)
    return out


def _add_dangling(how, ref: str, nested: tuple, value, known: dict, out: set) -> None:
    if how is spec.REF:
        if value and value not in known[ref]:
            out.add((ref, value))
    elif how is spec.REFS:
        if value:
            out.update((ref, v) for v in value if v not in known[ref])
    else:
        for item in value:
            for attr, item_how, item_ref, item_nested in nested:
                inner = getattr(item, attr)
                _add_dangling(item_how, item_ref, item_nested, inner, known, out)


@plain.once_a_kind
def _reference_plan(kind: spec.Kind) -> tuple:
    """The fields of a kind that refer to records, directly or through nested records:
    (attr, how, kind referred to, the nested kind's plan), worked out once a kind (asked
    of the spec record by record, a merge of 10,000 events spent half its time there)."""
    plan = []
    for f in kind.fields:
        if f.type in (spec.REF, spec.REFS):
            plan.append((f.attr, spec.REF if f.type == spec.REF else spec.REFS, f.ref, ()))
        elif f.type in spec.NESTED and (nested := _reference_plan(spec.NESTED[f.type])):
            plan.append((f.attr, "nested", "", nested))
    return tuple(plan)
