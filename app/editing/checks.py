"""What an edit checks before it is made: what the file's own checks would refuse (a
reference to no record, an actor nested in itself, a demand resolved before it was raised)
would make a file that does not open again (app/editing/edits.py)."""

from __future__ import annotations

from dataclasses import replace

from app.editing import commands as c
from app.editing.document import Document
from app.fileformat import spec
from app.fileformat.build import KIND_CHECKS, Builder, nesting_problems


def check_records(doc: Document, kind: str, *records) -> None:
    """The file's own checks of records (a view ending before it starts, a demand resolved
    before it was raised): what they refuse would make a file that does not open."""
    check = KIND_CHECKS.get(kind)
    if check is None:
        return
    b = Builder([])
    b.project = doc.project
    check(b, list(records), [()] * len(records))
    if b.problems:
        raise c.RefusedEdit(b.problems[0][1])


def check_references(doc: Document, f: spec.Field, value, record_id: str) -> None:
    """A reference typed by hand must name a record of its kind (a file that names an
    unknown one would not open again), and a link must not be to the record itself."""
    if f.type not in (spec.REF, spec.REFS) or not f.ref:
        return
    ids = (value,) if f.type == spec.REF else value
    unknown = [i for i in ids if i and doc.get(f.ref, i) is None]
    if unknown:
        raise c.RefusedEdit(f"no {spec.BY_NAME[f.ref].singular} '{unknown[0]}'")
    if f.ref == "events" and record_id in ids:
        raise c.RefusedEdit("an event cannot answer itself")


def check_nesting(doc: Document, actor_id: str, parent: str) -> None:
    """An actor put inside itself, or nested too deep, would make a file that does not open."""
    actors = [replace(a, parent=parent) if a.id == actor_id else a for a in doc.project.actors]
    for _i, message in nesting_problems(actors):
        raise c.RefusedEdit(message)
