"""At least how many bytes the canonical writer (app/fileformat/canonical.py) writes for
some records: each field's key, its value's characters and its quotes, worked out field
by field over many records at once. Escapes and characters of more than one byte only
add to it, so it is a floor; for plain ASCII text it is the size itself. An import adds
it up as it reads, and says as soon as the project would be too large for a file."""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

from app.fileformat import spec

_TEXT = attrgetter("text")


def floor(kind_name: str, records: list) -> int:
    """Bytes the records of one kind take in a project file, at least (their section's
    own line not counted)."""
    return _floor(spec.BY_NAME[kind_name], records, "  ")


def _floor(kind: spec.Kind, records: list, indent: str) -> int:
    total = 0
    for f in kind.fields:
        values = list(map(attrgetter(f.attr), records))
        if not f.written_always:
            values = list(filter(None, values))
        if not values:
            continue
        line = len(indent) + 2 + len(f.key) + 2  # "- " or "  ", "key:", the line feed
        if f.type in spec.NESTED:
            items = list(chain.from_iterable(values))
            total += line * len(values) + _floor(spec.NESTED[f.type], items, indent + "    ")
        else:
            total += (line + 1) * len(values) + _values(f.type, values)  # + the space
    return total


def _values(kind: str, values: list) -> int:
    """The characters of the values of one field, as written after "key: "."""
    if kind in (spec.ID, spec.REF):  # plain, or quoted
        return sum(map(len, values))
    if kind in (spec.REFS, spec.NAMES):  # [a, b]: two characters more a name, at least
        items = list(chain.from_iterable(values))
        return sum(map(len, items)) + 2 * len(items)
    if kind == spec.WHEN:
        return sum(map(len, map(_TEXT, values))) + 2 * len(values)
    if kind == spec.FLAG:
        return 4 * len(values)  # true
    if kind in (spec.TEXT, spec.COLOR):
        return sum(map(len, values)) + 2 * len(values)
    return sum(map(len, map(str, values)))
