"""Records written a column at a time, as the canonical writer (app/fileformat/canonical.py)
writes them one at a time: what an import that makes many records of a few distinct values
uses to make their text without making each record first (app/importers/eventcolumns.py,
held to the writer's own text by tests/app/test_eventcolumns.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import repeat

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
    it would escape otherwise (most text; a title cut with an ellipsis too)."""
    if text.__class__ is str and _left_to_msgspec(text):
        return _json_text(text)
    return _quote(text).encode()


def quote_all(texts: list[str]) -> Iterable[bytes]:
    """`quote_bytes` of each text: by msgspec straight from `map` (no Python call a text)
    when the texts together hold nothing it would escape otherwise, asked once of them
    all (an ellipsis, which ends each title cut short, and line feeds, neither of them
    escaped otherwise, taken out first: the quick tests then settle it)."""
    if _all_left_to_msgspec(texts) and set(map(type, texts)) <= {str}:
        return map(_json_text, texts)  # (msgspec refuses a str subclass)
    return map(quote_bytes, texts)


def _all_left_to_msgspec(texts: list[str]) -> bool:
    """Whether no text holds any of `_ODD`: ASCII texts (most notes; most titles, but for
    the ellipsis that ends one cut short) asked each on its own, for DEL alone, none
    copied whole (100,000 ACLED notes: 0.045 s against 0.12 s joined; their titles, most
    cut: 0.02-0.04 s against 0.07-0.10 s); other text joined, as `quote_all` says."""
    if not all(map(str.isascii, texts)):
        texts = list(map(str.removesuffix, texts, repeat("…")))
        if not all(map(str.isascii, texts)):
            return _left_to_msgspec("".join(texts).replace("…", "").replace("\n", ""))
    return not any(map(str.__contains__, texts, repeat("\x7f")))


def _left_to_msgspec(text: str) -> bool:
    """Whether the text holds none of `_ODD`. Printable text holds none (all unprintable):
    `isprintable` reads a title in a quarter of the pattern's time."""
    if text.isascii():
        return "\x7f" not in text
    return text.isprintable() or _ODD.search(text) is None
