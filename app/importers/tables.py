"""Demarche's own CSV tables (app/exporters/csvtables.py) read back: every field as written, ids kept
(an id already taken is given a new one, and references to it follow), each row checked
as the project file's records are. A row added by hand in a spreadsheet may leave out the
id (one is made from its title), and give `start`/`end` instead of `edtf`."""

from __future__ import annotations

from dataclasses import replace

from app.exporters import csvtables as tables
from app.fileformat import plain, spec
from app.importers.base import YES, ProjectBuilder, key, span
from app.records.when import WhenError

# Kinds whose records a table may name before their own rows come (an event answering
# one listed below it): such references are followed once every row is in.
LATER = ("events", "demands", "phases")

# The fields of each kind that refer to others, and the kind they refer to.
_REFS = {
    kind.name: [(f.key, f.ref, f.type == spec.REFS) for f in kind.fields if f.ref]
    for kind in spec.KINDS
}


def read(table_kind: str, table, b: ProjectBuilder) -> None:
    header, rows = table
    if table_kind == tables.PROJECT:
        _project(header, rows, b)
        return
    kind = spec.BY_NAME[table_kind]
    fields = {f.key: f for f in kind.fields}
    where = {h.strip().lower(): i for i, h in enumerate(header)}
    table_columns = tables.columns(table_kind)
    parents: list[tuple[int, str]] = []  # actors: (index in the project, parent as written)
    later: list[tuple[int, int, dict]] = []  # (row, index in the project, refs to follow)
    for n, row in enumerate(rows, start=2):
        b.report.rows += 1

        def cell(name: str, row: list[str] = row) -> str:
            i = where.get(name)
            return tables.unshielded(row[i]) if i is not None and i < len(row) else ""

        try:
            mapping = {}
            for header_name, field_key in table_columns:
                f = fields.get(field_key)
                if f and (cell(header_name) or (f.required and f.type == spec.TEXT)):
                    mapping[field_key] = tables.decode(f, cell(header_name))
            if "when" in fields and "when" not in mapping and cell("start"):
                mapping["when"] = _span(cell("start"), cell("end"), cell("approximate"))
            wanted = mapping.get("id", "")
            refs = _set_aside(table_kind, mapping)
            record = plain.from_record(kind, mapping)  # checked before anything is made
        except plain.RecordError as exc:
            b.skip(n, _located(table_kind, exc))
            continue
        except (ValueError, WhenError) as exc:
            b.skip(n, str(exc))
            continue
        if table_kind == "actors" and key(record.name) in b.actors:
            b.renamed[("actors", wanted)] = b.actors[key(record.name)]  # the lane it already has
            continue
        if table_kind == "sources" and key(record.title) in b.sources:
            b.renamed[("sources", wanted)] = b.sources[key(record.title)]
            continue
        parent = refs.pop("parent", "") if table_kind == "actors" else ""
        record = _with_refs(table_kind, record, refs, b, cell("actor_path"))
        new_id = (
            b.keep_id(wanted, kind.singular) if wanted else b.new_id(_title(record), kind.singular)
        )
        record = replace(record, id=new_id)
        if wanted and record.id != wanted:
            b.renamed[(table_kind, wanted)] = record.id
            b.approximated(n, f"id '{wanted}' was taken: imported as '{record.id}'")
        b.add(table_kind, record)
        if parent:
            parents.append((len(b.project.actors) - 1, parent))
        to_follow = {k: v for k, v in refs.items() if k in _LATER_FIELDS[table_kind] and v}
        if to_follow:
            later.append((n, len(getattr(b.project, table_kind)) - 1, to_follow))
    for i, parent in parents:  # after every row: a lane may nest in one listed below it
        _nest(b, i, parent)
    for n, i, to_follow in later:
        _follow(b, table_kind, n, i, to_follow)


def _project(header: list[str], rows: list[list[str]], b: ProjectBuilder) -> None:
    """The project table's title and description, where the project has none (one
    imported into keeps its own)."""
    where = {h.strip().lower(): i for i, h in enumerate(header)}
    for n, row in enumerate(rows, start=2):  # (rows may come as they are read)
        b.report.rows += 1
        if n > 2:
            b.skip(n, "the project table has one row: the rows after the first are left out")
            continue
        for name, attr in tables.PROJECT_COLUMNS:
            i = where.get(name)
            value = tables.unshielded(row[i]) if i is not None and i < len(row) else ""
            if attr and value and not getattr(b.project, attr):
                setattr(b.project, attr, value)
                b.report.given.append(attr)


_LATER_FIELDS = {
    kind: {field_key for field_key, ref, _ in refs if ref in LATER} for kind, refs in _REFS.items()
}


def _located(table_kind: str, exc: plain.RecordError) -> str:
    """The problems of a row, each after the column it is in."""
    header = {key_: name for name, key_ in tables.columns(table_kind) if key_}
    return "; ".join(
        f"{header.get(path[0], path[0]) if path else ''}: {message}"
        for path, message in exc.problems
    )


def _title(record) -> str:
    return getattr(record, "title", "") or getattr(record, "name", "") or record.text


def _span(start: str, end: str, approximate: str):
    when = span(start, end)
    if approximate.strip().lower() in YES and not when.approximate:
        when = span(when.text + "~", "")
    return when.text


PLACEHOLDER = "placeholder"  # stands in for ids while a row is checked


def _set_aside(table_kind: str, mapping: dict) -> dict:
    """Take the row's references (and id) out of `mapping`, leaving valid placeholders, so
    that the row is checked before any lane or source is made for it. Raises RecordError
    for a required one that is missing (an event's actor may come from its actor_path)."""
    refs = {}
    for field_key, _ref, many in _REFS[table_kind]:
        if field_key in mapping:
            refs[field_key] = mapping[field_key]
            mapping[field_key] = [PLACEHOLDER] * len(refs[field_key]) if many else PLACEHOLDER
        elif field_key in spec.BY_NAME[table_kind].required and field_key != "actor":
            raise plain.RecordError([((field_key,), "is required")])
    if table_kind == "events":
        mapping.setdefault("actor", PLACEHOLDER)
    refs["cites"] = [cite["source"] for cite in mapping.get("cites", [])]
    for cite in mapping.get("cites", []):
        cite["source"] = PLACEHOLDER
    mapping["id"] = PLACEHOLDER
    return refs


def _with_refs(table_kind: str, record, refs: dict, b: ProjectBuilder, path: str):
    """The record with its references as ids of this project: kept when the record is
    here (or was renamed on the way in), else read as names (actors) or titles (sources),
    as another tool's sheet would give them; an event's unknown actor is made from its
    `actor_path` (an event with neither: the lane "Ungrouped")."""
    kind = spec.BY_NAME[table_kind]
    changes = {}
    for field_key, ref, many in _REFS[table_kind]:
        if field_key == "parent" or ref in LATER:
            continue  # followed once every row is in
        attr = next(f.attr for f in kind.fields if f.key == field_key)
        if many:
            changes[attr] = tuple(_ref(b, ref, v, "") for v in refs.get(field_key, ()))
        else:
            value = refs.get(field_key, "")
            changes[attr] = _ref(b, ref, value, path if field_key == "actor" else "")
    if refs["cites"]:
        changes["cites"] = tuple(
            replace(c, source=_ref(b, "sources", source, ""))
            for c, source in zip(record.cites, refs["cites"], strict=True)
        )
    return replace(record, **changes)


def _follow(b: ProjectBuilder, table_kind: str, n: int, index: int, refs: dict) -> None:
    """A record's references to events, demands or phases, once every row is in: each
    as renamed on the way in; one naming no record is reported and left out."""
    kind = spec.BY_NAME[table_kind]
    records = getattr(b.project, table_kind)
    changes = {}
    for field_key, ref, many in _REFS[table_kind]:
        if field_key not in refs:
            continue
        found = []
        for value in refs[field_key] if many else [refs[field_key]]:
            target = b.renamed.get((ref, value), value)
            if target == records[index].id:
                b.approximated(n, f"{field_key}: '{value}' is the record itself: left out")
            elif target in b.known(ref):
                found.append(target)
            else:
                b.approximated(
                    n, f"{field_key}: no {spec.BY_NAME[ref].singular} '{value}': left out"
                )
        attr = next(f.attr for f in kind.fields if f.key == field_key)
        changes[attr] = tuple(found) if many else (found[0] if found else "")
    records[index] = replace(records[index], **changes)


def _ref(b: ProjectBuilder, kind: str, value: str, path: str) -> str:
    value = b.renamed.get((kind, value), value)
    if value in b.known(kind):
        return value
    if kind == "sources":
        return b.source(value, value if value.startswith(("http://", "https://")) else "")
    if path.strip():
        return _lane_of_path(b, path, value)
    return b.actor(value or "Ungrouped")


def _lane_of_path(b: ProjectBuilder, path: str, leaf_id: str) -> str:
    """The lane a path of names leads to ("United States › CIA"), made where missing; the
    last one keeps the id the table gives it."""
    names = [n for n in path.split(tables.PATH_SEPARATOR.strip()) if n.strip()]
    parent = ""
    for depth, name in enumerate(names):
        last = depth == len(names) - 1
        parent = b.actor(name.strip(), parent, wanted_id=leaf_id if last else "")
    return parent


def _nest(b: ProjectBuilder, index: int, parent: str) -> None:
    actor = b.project.actors[index]
    parent_id = b.renamed.get(("actors", parent), parent)
    parents = {a.id: a.parent for a in b.project.actors}
    up, seen = parent_id, set()
    while up and up != actor.id and up not in seen:  # a parent inside the lane itself
        seen.add(up)
        up = parents.get(up, "")
    if parent_id not in b.known("actors") or up == actor.id:
        b.approximated(
            "", f"actor '{actor.id}': parent '{parent}' is not a lane it can nest in: top level"
        )
        return
    b.project.actors[index] = replace(actor, parent=parent_id)
