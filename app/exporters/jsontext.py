"""`json.dumps(value, ensure_ascii=False, indent=N)`, the same text made about twice as fast.

With an indent, Python's `json` encodes in Python through nested generators (its C
encoder is for compact text only): most of a TimelineJS export's time at 10,000 events.
Here dicts and lists are written by one recursive function and strings by `json`'s own C
escaper; any other value (a float, a number of another type) by `json.dumps` itself.
tests/app/test_jsontext.py holds the two to the same text.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring


def dumps(value, indent: int) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=indent)` (a circular value aside:
    it recurses without end rather than raising)."""
    out: list[str] = []
    _write(value, out, "\n", " " * indent)
    return "".join(out)


def _write(value, out: list[str], newline: str, step: str) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        start, inner = len(out), newline + step
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            if type(key) is not str:  # a number or None as a key: json's own rules
                del out[start:]
                return _other(value, out, newline, step)
            lead = f"{',' if n else ''}{inner}{encode_basestring(key)}: "
            if type(item) is str:  # most values: written here, not by a call
                out.append(lead + encode_basestring(item))
            elif type(item) is int:
                out.append(lead + int.__repr__(item))
            else:
                out.append(lead)
                _write(item, out, inner, step)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        out.append("[")
        for n, item in enumerate(value):
            out.append("," + inner if n else inner)
            _write(item, out, inner, step)
        out.append(newline + "]")
    elif kind is int:
        out.append(int.__repr__(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:  # a float (nan, inf), a subclass of a type above
        _other(value, out, newline, step)


def _other(value, out: list[str], newline: str, step: str) -> None:
    """A value as `json` writes it, its lines (if any) indented where it stands."""
    out.append(json.dumps(value, ensure_ascii=False, indent=len(step)).replace("\n", newline))
