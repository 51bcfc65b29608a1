"""Ids made from what people write: `Rózsa Péter` → `rozsa-peter`.

Accented letters keep their base letter (Unicode NFKD, marks dropped), a few letters that
do not decompose are spelled out, and every other run of characters becomes one hyphen,
so an id never starts, ends or doubles with one, even where it is cut.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD leaves whole, as they are usually written in ASCII
_SPELLED = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_OTHER = re.compile(r"[^a-z0-9_.]+")
_HYPHENS = re.compile(r"-{2,}")


def ascii_letters(text: str) -> str:
    """Lower case ASCII, accents dropped: 'Rózsa Péter' → 'rozsa peter'."""
    if text.isascii():  # most ids and names: nothing to decompose or spell out
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_SPELLED)


def id_from(text: str, limit: int = 40, fallback: str = "item") -> str:
    """An id for `text`: at most `limit` characters, cut after a whole word where it can,
    starting with a letter or digit, with no hyphen at either end or two in a row."""
    out = _HYPHENS.sub("-", _OTHER.sub("-", ascii_letters(text)).strip("-._"))
    if len(out) > limit:  # cut at the last whole word that fits, if there is one
        cut = out[: limit + 1]
        out = cut[: cut.rindex("-")] if "-" in cut else out[:limit]
    return out.rstrip("-._") or fallback
