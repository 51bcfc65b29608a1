"""Records as plain data (what YAML or JSON would hold) and back, through the record spec:
for merge conflicts, diffs and the formats other tools read."""

from __future__ import annotations

import json
from collections.abc import Callable

import yaml

from app.fileformat import spec
from app.fileformat.build import Builder


def field_value(f: spec.Field, value):
    """One field's value as written in a file: dates as their text, lists as lists."""
    if value is None:
        return None
    if f.type == spec.WHEN:
        return value.text
    if f.type in (spec.REFS, spec.NAMES):
        return list(value)
    if f.type in spec.NESTED:
        return [record(spec.NESTED[f.type], item) for item in value]
    return value


def record(kind: spec.Kind, r) -> dict:
    """A record as the mapping a file holds, without empty optional fields."""
    out = {}
    for f, attr, key, always, as_is in _plan(kind):
        value = getattr(r, attr)
        if always or value not in (None, "", (), False):
            out[key] = value if as_is else field_value(f, value)
    return out


def once_a_kind(work: Callable[[spec.Kind], tuple]) -> Callable[[spec.Kind], tuple]:
    """`work` done once for each kind, kept by the kind's identity (a Kind hashes all it
    holds, in Python, at each look-up)."""
    made: dict[int, tuple[spec.Kind, tuple]] = {}

    def kept(kind: spec.Kind) -> tuple:
        found = made.get(id(kind))
        if found is None or found[0] is not kind:
            found = made[id(kind)] = (kind, work(kind))
        return found[1]

    return kept


_AS_IS = (spec.WHEN, spec.REFS, spec.NAMES, *spec.NESTED)  # the types field_value changes


@once_a_kind
def _plan(kind: spec.Kind) -> tuple:
    """Each field of a kind with what `record` asks of it, worked out once a kind (a
    table of 10,000 events asked the spec 400,000 times)."""
    return tuple((f, f.attr, f.key, f.written_always, f.type not in _AS_IS) for f in kind.fields)


class RecordError(ValueError):
    """What is wrong with a record's plain data: (path of keys, message) for each problem."""

    def __init__(self, problems: list[tuple[tuple, str]]):
        self.problems = problems
        super().__init__(
            "; ".join(".".join(map(str, path)) + f": {message}" for path, message in problems)
        )


def from_record(kind: spec.Kind, mapping: dict):
    """The record a mapping describes (checked as a file's would be; RecordError if not)."""
    problems: list = []
    b = Builder(problems)
    made = kind.record(**{f.attr: b.value(f, mapping, (), []) for f in kind.fields})
    missing = [
        ((f.key,), "is required") for f in kind.fields if f.required and f.key not in mapping
    ]
    if problems or missing:
        raise RecordError(missing + [(path, message) for path, message, _at in problems])
    return made


def from_field(kind: spec.Kind, key: str, value):
    """A field's model value from its plain value."""
    f = next(f for f in kind.fields if f.key == key)
    problems: list = []
    made = Builder(problems).value(f, {key: value} if value is not None else {}, (), [])
    if problems:
        raise ValueError("; ".join(message for _path, message, _at in problems))
    return made


def dumps(value) -> str:
    """Plain data as the JSON text a conflict keeps ("" for absent)."""
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(text: str):
    return None if text == "" else json.loads(text)


def shown(text: str) -> str:
    """A conflict's value as a person reads it: a text bare, a list one item a line,
    records as YAML; "" for absent."""
    try:
        value = loads(text)
    except json.JSONDecodeError:
        return text
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, (list, dict)):
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).strip()
    return str(value).lower() if isinstance(value, bool) else str(value)
