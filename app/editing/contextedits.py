"""Edits of a context dataset (app/context): its filters, and where its file is, each as
one step. Re-exported by edits.py, where every surface finds its edits."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6 import QtGui

from app.editing import commands as c
from app.editing.document import Document
from app.records.when import WhenError, parse


def set_context_filters(
    doc: Document,
    dataset_id: str,
    countries: tuple[str, ...],
    types: tuple[str, ...],
    start: str = "",
    end: str = "",
) -> QtGui.QUndoCommand | None:
    """A dataset's filters (the countries and event types its rows must have, the first
    and last day, as ISO days or "" for none), as one step; None when nothing changes."""
    record = doc.get("context", dataset_id)
    if record is None:
        raise c.RefusedEdit(f"no context dataset '{dataset_id}'")
    try:
        from_ = parse(start.strip()) if start.strip() else None
        to = parse(end.strip()) if end.strip() else None
    except WhenError as e:
        raise c.RefusedEdit(f"not a day: {e}") from None
    # An open end ("2023-11-20/..") has no bound on that side: nothing to compare.
    lo, hi = from_ and from_.lo, to and to.hi
    if lo is not None and hi is not None and hi <= lo:
        raise c.RefusedEdit(f"the span ends ({end}) before it starts ({start})")
    new = replace(
        record,
        countries=tuple(dict.fromkeys(v.strip() for v in countries if v.strip())),
        types=tuple(dict.fromkeys(v.strip() for v in types if v.strip())),
        from_=from_,
        to=to,
    )
    if (new.countries, new.types, _text(new.from_), _text(new.to)) == (
        record.countries,
        record.types,
        _text(record.from_),
        _text(record.to),
    ):
        return None
    return c.UpdateRecord(doc, "context", new, text=f"Filter context data '{record.title}'")


def _text(when) -> str | None:
    return None if when is None else when.text


def stored_path(path: str, project_path: str | None, relative: bool = False) -> str:
    """A data file's path as the project keeps it: relative to the project's folder when
    the file is inside it, or when `relative` (the path it replaces was: the project and
    its data move together), else whole."""
    path = os.path.abspath(os.path.expanduser(path))
    if not project_path:
        return path
    folder = os.path.dirname(os.path.abspath(project_path))
    try:
        if relative or os.path.commonpath([folder, path]) == folder:
            return os.path.relpath(path, folder)
    except ValueError:  # another drive (Windows): no relative path leads there
        pass
    return path


def relocate_context(doc: Document, dataset_id: str, path: str) -> QtGui.QUndoCommand | None:
    """A dataset's file found where it went (moved, renamed), as one step: kept relative to
    the project as its old path was, or whole; None when it is the path already kept."""
    record = doc.get("context", dataset_id)
    if record is None:
        raise c.RefusedEdit(f"no context dataset '{dataset_id}'")
    was_relative = not os.path.isabs(os.path.expanduser(record.path))
    new = stored_path(path, doc.path, relative=was_relative)
    if new == record.path:
        return None
    text = f"Locate the data of '{record.title}'"
    return c.UpdateRecord(doc, "context", replace(record, path=new), text=text)
