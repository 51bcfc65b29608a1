"""The records of rapidyaml's JSON, read by the record spec (anyread.py's second half).

msgspec decodes the JSON straight into one struct per record, made from the spec: each
value's JSON type and the keys a record may and must have are checked in C as it reads.
What msgspec cannot know is then checked a field at a time over every record of a kind
(a plain value PyYAML would read as something else, an id's form, a status), mostly in C
(`map`, `set`, one pattern over a column's ids joined); dates are read once per distinct
text, equal lists of citations once per list. The records are then made a field at a
time too (by their constructor, a call each, 200,000 events took 0.6 s).

As before, NotSure (or a msgspec error) at the first doubt: the located path then says
what is wrong. A duplicate key, which JSON decoders keep the last of, is caught by
counting: rapidyaml's tree holds one node for the root, one per key and one per list
item, so a tree with more nodes than the structs have keys and items had a key twice.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, deque
from itertools import chain, compress, islice, repeat
from operator import attrgetter, itemgetter
from typing import Any

import msgspec
import yaml
from msgspec import UNSET, UnsetType

from app.fileformat import spec
from app.fileformat.build import COLOR_PATTERN, ID_PATTERN
from app.fileformat.settle import NotSure
from app.records.model import FORMAT_VERSION, RELIABILITIES, STATUSES
from app.records.when import When, WhenError, from_yaml_value

# PyYAML's implicit types, by first character.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_constructor = yaml.constructor.SafeConstructor()
_implicit_cache: dict[str, str | None] = {}


def implicit(text: str) -> str | None:
    """The tag PyYAML gives this text when it is written plain, None for text."""
    tag = _implicit_cache.get(text, UNSET)
    if tag is UNSET:
        tag = None
        for t, pattern in _RESOLVERS.get(text[:1], ()):
            if pattern.match(text):
                tag = t
                break
        if len(_implicit_cache) < 65536:  # PyYAML's patterns are slow; values come back
            _implicit_cache[text] = tag
    return tag


def pyyaml_value(text: str, tag: str):
    node = yaml.ScalarNode(tag, text)
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        if tag == _TIMESTAMP:
            return text  # no such date: the located path keeps it as text too
        raise NotSure from None


def _read_as_text(values) -> None:
    """NotSure unless PyYAML reads each of these texts, written plain, as the same text
    (`yes`, `~`, `0x1F`, `2023-11-22` it reads otherwise; quoted, all are text, but the
    JSON no longer says which were quoted). Only those whose first character starts one
    of PyYAML's implicit types are looked at, picked in C, each once. An empty text is
    always one that was quoted: rapidyaml gives a plain empty value as null."""
    for v in set(compress(values, map(_RESOLVERS.__contains__, map(_HEAD, values)))):
        if v and implicit(v):
            raise NotSure


_HEAD = itemgetter(slice(0, 1))
# Ids checked a column at a time, joined by line breaks (which an id cannot hold).
_ID_LINES = re.compile(rf"(?:{ID_PATTERN.pattern}\n)*{ID_PATTERN.pattern}")


def _ids(values) -> None:
    joined = "\n".join(values)
    if values and (joined.count("\n") != len(values) - 1 or not _ID_LINES.fullmatch(joined)):
        raise NotSure


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Dates:
    """Dates read once per distinct value, as a When, when PyYAML reads the same date
    whether it was written plain or quoted."""

    def __init__(self):
        self.seen: dict[object, When | None] = {None: None}  # None: no date

    def column(self, values: list) -> list:
        """The When of each value (None stays None): the new distinct values read, then
        every one looked up in C."""
        for v in set(values) - self.seen.keys():
            self.read(v)
        return list(map(self.seen.__getitem__, values))

    def read(self, v: str | int) -> When:
        try:
            if type(v) is int:  # a plain number (a bare year): PyYAML reads the same int
                when = from_yaml_value(v)
            else:
                when = from_yaml_value(v)
                tag = implicit(v) if v[:1] in _RESOLVERS else None
                if tag == _TIMESTAMP and _DAY.fullmatch(v):
                    pass  # PyYAML's date of a valid day is that day
                elif tag is not None and from_yaml_value(pyyaml_value(v, tag)) != when:
                    raise NotSure
        except WhenError:
            raise NotSure from None
        self.seen[v] = when
        return when


# ------------------------------------------------------------------ structs by the spec

_OPTIONAL = {"default": UNSET}


def _value_type(f: spec.Field):
    """The JSON types a field's value may have; None for a type this reader leaves to the
    full path (the key then is not in the struct, so msgspec refuses it)."""
    t = f.type
    if t == spec.ID:
        return str
    if t in (spec.REF, spec.TEXT, spec.COLOR, spec.STATUS, spec.RELIABILITY):
        return str if t == spec.REF and f.required else str | None
    if t in (spec.REFS, spec.NAMES):
        return tuple[str, ...] | None
    if t == spec.WHEN:
        return str | int  # text, or a bare year; a null is "missing date"
    if t == spec.FLAG:
        return bool
    if t == spec.CREDIBILITY:
        return int | None
    if t in spec.NESTED:
        return tuple[struct_of(spec.NESTED[t]), ...] | None
    return None


_STRUCTS: dict[str, type] = {}


def struct_of(kind: spec.Kind) -> type:
    """The struct of one record of a kind: a field per key (named as the record's
    attribute), required where the spec says; an absent optional key is UNSET."""
    if kind.name not in _STRUCTS:
        fields = []
        for f in kind.fields:
            kind_of = _value_type(f)
            if kind_of is None:
                continue
            if f.required:
                fields.append((f.attr, kind_of, msgspec.field(name=f.key)))
            else:
                fields.append((f.attr, kind_of | UnsetType, msgspec.field(name=f.key, **_OPTIONAL)))
        _STRUCTS[kind.name] = msgspec.defstruct(
            kind.record.__name__ + "Read",
            fields,
            kw_only=True,
            forbid_unknown_fields=True,
            frozen=True,  # hashable: equal lists of nested records are read once
            gc=False,  # no cycles: records of plain values
        )
    return _STRUCTS[kind.name]


def _top() -> type:
    fields = [
        ("demarche", int),
        ("title", str | None),
        ("description", str | None | UnsetType, UNSET),
        *((k.name, tuple[struct_of(k), ...] | None | UnsetType, UNSET) for k in spec.KINDS),
        ("conflicts", Any, UNSET),  # merge conflicts: left to the full reader
    ]
    return msgspec.defstruct("ProjectRead", fields, kw_only=True, forbid_unknown_fields=True)


_DECODER = msgspec.json.Decoder(_top())


# ------------------------------------------------------------------ checks by column


class _Reading:
    """What one reading keeps: the keys and list items read, to be held to the tree's
    count of nodes, and the dates read."""

    def __init__(self, dates: Dates | None = None):
        self.nodes = 0
        self.dates = dates or Dates()


def _column(f: spec.Field, structs: list, reading: _Reading) -> list:
    """One field of every struct of a kind, checked and counted (keys and list items), as
    the records hold it: its default where the key was left out or its value left empty,
    a When for a date, records for a nested list. Each pass over a column costs about
    10 ms at 200,000 records: those a field cannot need are skipped."""
    col = list(map(attrgetter(f.attr), structs))
    t, n = f.type, len(col)
    absent = 0 if f.required else col.count(UNSET)
    reading.nodes += n - absent
    if absent == n and n:  # a key no record has: its default, nothing to check
        return [_DEFAULTS.get(t, "")] * n
    if absent or (t in _MAY_BE_NULL and None in col):
        empty = _DEFAULTS.get(t, "")
        col = [empty if v is UNSET or v is None else v for v in col]
    if t == spec.WHEN:
        return reading.dates.column(col)
    if t in spec.NESTED:
        return _nested(spec.NESTED[t], col, reading)
    if t in (spec.REFS, spec.NAMES):
        reading.nodes += sum(map(len, col))
        items = set(chain.from_iterable(col))
        _read_as_text(items)
        if t == spec.REFS:
            _ids(items)
    elif t == spec.CREDIBILITY:
        if not set(col) <= _CREDIBILITIES:
            raise NotSure
    elif t == spec.ID:  # one each: checked as they are, without a set
        if "" in col:
            raise NotSure  # "an id cannot be empty"
        _read_as_text(col)
        _ids(col)
    elif t == spec.TEXT:
        _read_as_text(col)  # mostly one each too (titles)
    elif t != spec.FLAG:
        _texts(f, set(col))
    return col


# The types whose value may be written empty (null), read as their default.
_MAY_BE_NULL = frozenset(
    {spec.REF, spec.TEXT, spec.COLOR, spec.STATUS, spec.RELIABILITY, spec.REFS, spec.NAMES}
    | set(spec.NESTED)
)


def _nested(kind: spec.Kind, col: list, reading: _Reading) -> list:
    """Each record's nested records (its citations): each distinct list read once and
    shared, as the canonical reader shares them (200,000 events cite a few sources)."""
    tally = Counter(col)
    lists = list(tally)
    made = iter(_records(kind, list(chain.from_iterable(lists)), _Reading(reading.dates)))
    records = {shape: tuple(islice(made, len(shape))) for shape in lists}
    reading.nodes += sum(n * (len(shape) + sum(map(_nodes, shape))) for shape, n in tally.items())
    return list(map(records.__getitem__, col))


def _nodes(struct) -> int:
    """The keys and list items of one struct, nested ones included."""
    n = 0
    for attr in struct.__struct_fields__:
        value = getattr(struct, attr)
        if value is not UNSET:
            n += 1
            if type(value) is tuple:
                n += len(value) + sum(_nodes(x) for x in value if isinstance(x, msgspec.Struct))
    return n


def _texts(f: spec.Field, values: set) -> None:
    """The distinct values of a reference, colour, status or reliability, checked."""
    t = f.type
    if t == spec.STATUS:
        if not values <= _STATUSES:
            raise NotSure
        return
    if "" in values and t == spec.REF and f.required:
        raise NotSure  # "an id cannot be empty"
    values.discard("")
    _read_as_text(values)
    if t == spec.REF:
        _ids(values)
    elif t == spec.COLOR and not all(map(COLOR_PATTERN.fullmatch, values)):
        raise NotSure
    elif t == spec.RELIABILITY and not values <= _RELIABILITIES:
        raise NotSure


_DEFAULTS = {
    spec.CREDIBILITY: None,
    spec.STATUS: "open",
    spec.FLAG: False,
    spec.WHEN: None,
    spec.REFS: (),
    spec.NAMES: (),
    **dict.fromkeys(spec.NESTED, ()),
}
_STATUSES, _RELIABILITIES = frozenset(STATUSES), frozenset(RELIABILITIES)
_CREDIBILITIES = frozenset((None, *range(1, 7)))


def _records(kind: spec.Kind, structs: list, reading: _Reading) -> list:
    """The records of these structs, made a field at a time: each record's slots are set
    as its dataclass __init__ sets them (records are frozen), by `map` over a column."""
    made = list(map(object.__new__, repeat(kind.record, len(structs))))
    for attr, default in _RECORD_FIELDS[kind.name]:
        f = _BY_ATTR[kind.name].get(attr)
        if f is None:  # a field this reader leaves to the full path: its default
            if default is dataclasses.MISSING:
                raise NotSure
            col = repeat(default, len(made))
        else:
            col = _column(f, structs, reading)
        deque(map(getattr(kind.record, attr).__set__, made, col), 0)
    return made


def _record_fields(kind: spec.Kind) -> list[tuple[str, object]]:
    record = kind.record
    assert not hasattr(record, "__post_init__"), record  # `_records` does not call it
    return [(f.name, f.default) for f in dataclasses.fields(record)]


_ALL_KINDS = (*spec.KINDS, *spec.NESTED.values())
_RECORD_FIELDS = {k.name: _record_fields(k) for k in _ALL_KINDS}
_BY_ATTR = {k.name: {f.attr: f for f in k.fields if _value_type(f) is not None} for k in _ALL_KINDS}


def records(data: bytes | memoryview, nodes: int) -> dict[str, object]:
    """The title, description and records of each kind in rapidyaml's JSON `data` of a
    tree of `nodes` nodes, by field; NotSure (or a msgspec error) at the first doubt."""
    top = _DECODER.decode(data)
    if top.conflicts is not UNSET and top.conflicts:
        raise NotSure
    if not 1 <= top.demarche <= FORMAT_VERSION:
        raise NotSure
    reading = _Reading()
    reading.nodes = 1 + sum(getattr(top, k) is not UNSET for k in top.__struct_fields__)
    out: dict[str, object] = {}
    for name in ("title", "description"):
        value = getattr(top, name)
        value = "" if value is UNSET or value is None else value
        if value:
            _read_as_text([value])
        out[name] = value
    for kind in spec.KINDS:
        structs = getattr(top, kind.name)
        structs = [] if structs is UNSET or structs is None else list(structs)
        reading.nodes += len(structs)
        out[kind.name] = _records(kind, structs, reading)
    if reading.nodes != nodes:
        raise NotSure  # a key written twice in one mapping
    return out
