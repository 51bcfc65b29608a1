"""What the canonical reader (app/fileformat/canonical.py) asks of a whole text before it
reads it: no escape that JSON and YAML read apart, and no character YAML refuses or reads
as a line break."""

from __future__ import annotations

import re

# Each backslash with what it escapes, read left to right so an escaped backslash is one.
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_SAFE_ESCAPES = frozenset('"\\ntbfr')


def escapes_are_safe(text: str) -> bool:
    """Only escapes that JSON and YAML read alike (and no lone surrogates)."""
    if "\\" not in text:
        return True
    for m in _ESCAPE.finditer(text):
        e = m[1]
        if len(e) == 1 and e not in _SAFE_ESCAPES:
            return False
        if len(e) == 5 and 0xD800 <= int(e[1:], 16) <= 0xDFFF:
            return False
    return True


# Characters YAML refuses or reads as line breaks, and tabs and carriage returns.
UNSAFE_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff\t\r]")
_SAFE_ASCII = bytes(range(32, 127)) + b"\n"  # what UNSAFE_CHAR leaves of ASCII
_SLICE = 1 << 24


def has_unsafe_char(text: str) -> bool:
    """Whether `UNSAFE_CHAR` is in the text. ASCII text is looked at as bytes, a slice at
    a time (a copy of the whole would double the file's size in memory): four times faster
    than the pattern."""
    if not text.isascii():
        return UNSAFE_CHAR.search(text) is not None
    slices = (text[i : i + _SLICE].encode("ascii") for i in range(0, len(text), _SLICE))
    return any(s.translate(None, _SAFE_ASCII) for s in slices)
