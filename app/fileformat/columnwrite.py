"""Records written a column at a time, as the canonical writer (app/fileformat/canonical.py)
writes them one at a time: what an import that makes many records of a few distinct values
uses to make their text without making each record first (app/importers/eventcolumns.py,
held to the writer's own text by tests/app/test_eventcolumns.py)."""

from __future__ import annotations

from app.fileformat import spec
from app.fileformat.canonical import _WRITERS, _json_text, _quote
from app.fileformat.recordtext import field_texts as _field_texts


def field_texts(kind: spec.Kind) -> dict:
    """Each field's part of a record's canonical text, by attribute (see
    recordtext.field_texts): a record's text is its parts in the spec's order, then a line
    feed."""
    return _field_texts(kind, _WRITERS)


def field_bytes(kind: spec.Kind) -> dict:
    """`field_texts`, encoded: each field's part of a record's canonical text in UTF-8."""
    return {attr: _encoded(write) for attr, write in field_texts(kind).items()}


def _encoded(write):
    def encoded(value) -> bytes:
        return write(value).encode()

    encoded.text = write
    return encoded


def quote_bytes(text: str) -> bytes:
    """`_quote(text).encode()`: most text (ASCII) quoted by msgspec straight to bytes. A
    text with a character outside ASCII stays bytes too, so that a record's text is not
    made a string of two bytes a character by one ellipsis."""
    if text.isascii() and text.__class__ is str and "\x7f" not in text:
        return _json_text(text)
    return _quote(text).encode()
