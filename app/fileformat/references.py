"""References between records, found through the record spec: a record pointed at the new
ids of records it refers to (a rename in the editor; a merge setting apart an id the two
sides gave to two kinds of record)."""

from __future__ import annotations

from dataclasses import replace

from app.fileformat import spec


def retargeted(kind: spec.Kind, record, new_ids: dict[tuple[str, str], str]):
    """`record`, of `kind`, with each reference to a record of `new_ids` ((kind name, id):
    new id) made to its new id, nested records' too; `record` itself if it has none."""
    changes = {}
    for f in kind.fields:
        value = getattr(record, f.attr)
        if f.type == spec.REF:
            new = new_ids.get((f.ref, value))
            if new is not None:
                changes[f.attr] = new
        elif f.type == spec.REFS and value:
            moved = tuple(new_ids.get((f.ref, v), v) for v in value)
            if moved != tuple(value):
                changes[f.attr] = moved
        elif f.type in spec.NESTED and value:
            items = tuple(retargeted(spec.NESTED[f.type], item, new_ids) for item in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.attr] = items
    return replace(record, **changes) if changes else record
