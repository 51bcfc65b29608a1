"""What the canonical reader (app/fileformat/canonical.py) asks of a whole text before it
reads it: no escape that JSON and YAML read apart, and no character YAML refuses or reads
as a line break."""

from __future__ import annotations

import re

# Each backslash with what it escapes, read left to right so an escaped backslash is one.
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_ESCAPE_BYTES = re.compile(_ESCAPE.pattern.encode(), re.S)
_SAFE_ESCAPES = frozenset('"\\ntbfr')


def escapes_are_safe(text: str | bytes) -> bool:
    """Only escapes that JSON and YAML read alike (and no lone surrogates). In the bytes
    of UTF-8 text, a backslash before a character past ASCII is before its first byte,
    refused as the character is."""
    is_bytes = isinstance(text, bytes)
    if ("\\" if not is_bytes else b"\\") not in text:
        return True
    for m in (_ESCAPE_BYTES if is_bytes else _ESCAPE).finditer(text):
        e = m[1] if not is_bytes else m[1].decode("latin-1")
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


# UNSAFE_CHAR in the bytes of UTF-8 text: past ASCII, C1 controls (U+0080-U+009F), the two
# line separators and U+FFFE/U+FFFF (UTF-8 holds no surrogate). Each multi-byte match
# begins with a lead byte, so it is a whole character.
_UNSAFE_UTF8 = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f\t\r]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbf[\xbe\xbf]"
)


def has_unsafe_byte(data: bytes) -> bool:
    """`has_unsafe_char` of the text that `data`, valid UTF-8, holds."""
    if not data.isascii():
        return _UNSAFE_UTF8.search(data) is not None
    slices = (data[i : i + _SLICE] for i in range(0, len(data), _SLICE))
    return any(s.translate(None, _SAFE_ASCII) for s in slices)
