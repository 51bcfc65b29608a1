"""Records written a column at a time, as the canonical writer (app/fileformat/canonical.py)
writes them one at a time: what an import that makes many records of a few distinct values
uses to make their text without making each record first (app/importers/eventcolumns.py,
held to the writer's own text by tests/app/test_eventcolumns.py)."""

from __future__ import annotations

from app.fileformat import spec
from app.fileformat.canonical import _WRITERS
from app.fileformat.canonical import _quote as quote
from app.fileformat.recordtext import field_texts as _field_texts

__all__ = ["field_texts", "quote"]


def field_texts(kind: spec.Kind) -> dict:
    """Each field's part of a record's canonical text, by attribute (see
    recordtext.field_texts): a record's text is its parts in the spec's order, then a line
    feed."""
    return _field_texts(kind, _WRITERS)
