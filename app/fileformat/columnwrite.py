"""Records written a column at a time, as the canonical writer (app/fileformat/canonical.py)
writes them one at a time: what an import that makes many records of a few distinct values
uses to make their text without making each record first (app/importers/eventcolumns.py,
held to the writer's own text by tests/app/test_eventcolumns.py)."""

from __future__ import annotations

import re

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


# What `_quote` escapes that msgspec's JSON encoder leaves as it is (DEL, the C1 controls,
# the line and paragraph separators, surrogates, the two non-characters).
_ODD = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def quote_bytes(text: str) -> bytes:
    """`_quote(text).encode()`, by msgspec straight to bytes when the text holds nothing
    it would escape otherwise (most text; a title cut with an ellipsis too). Printable
    text holds none of `_ODD` (all unprintable): `isprintable` reads a title in a quarter
    of the pattern's time."""
    if text.__class__ is str and (
        ("\x7f" not in text) if text.isascii() else text.isprintable() or _ODD.search(text) is None
    ):
        return _json_text(text)
    return _quote(text).encode()
