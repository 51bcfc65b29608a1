"""A fast reader for a valid project in any YAML layout (written by hand or by another
tool), through rapidyaml: its C++ parser and JSON emitter turn the text into plain data
about twenty times faster than PyYAML builds it.

rapidyaml reads YAML 1.2 and PyYAML reads YAML 1.1, so the two can disagree on a plain
(unquoted) scalar: `yes`, `~`, `0x1F`, `1e3`, `2023-11-22 01:00`. Every value that PyYAML
would read as something other than the text rapidyaml gave is looked at: where the
field's reading is the same either way (an unquoted date in a date field) it is kept,
otherwise the reader gives up. It also gives up on anything PyYAML's located path refuses
or reports (anchors, aliases, tags, several documents, duplicate keys, any problem in
the records) and on the first doubt, returning None: the caller then takes the full path
through PyYAML, which says what is wrong with its line and column. A differential
property test holds this reader to PyYAML's reading.

Warnings (which do not stop a file loading) are located from rapidyaml's tree: each
scalar there points into the text it was read from.
"""

from __future__ import annotations

import json
import re
from functools import cached_property, lru_cache

import numpy as np
import yaml

from app.fileformat import spec
from app.fileformat.build import COLOR_PATTERN, ID_PATTERN, Builder
from app.fileformat.canonical import LEADING_COMMENTS
from app.fileformat.settle import NotSure as _NotSure
from app.fileformat.settle import settle
from app.records.model import FORMAT_VERSION, RELIABILITIES, STATUSES, Project
from app.records.when import When, WhenError, from_yaml_value

# What the located path refuses or reads its own way, found by scans of the text; a
# false alarm (an '&x' inside quotes) only costs the slow path. Tabs, CR, NEL, LS, PS,
# BOMs and other controls: YAML 1.1 and 1.2 treat them differently. Each pattern starts
# with a character class or is run only when a cheap `in` says it may match: a pattern
# that starts with an alternation took 4 s over a 200,000-event file.
_ODD_CHAR = re.compile(
    "[\t\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
_ANCHOR_OR_TAG = re.compile(r"[&*!]\S")  # an anchor, alias or tag where a value starts
_COMPLEX_KEY = re.compile(r"(?:^|[\[\{,])[ -]*\?(?:[ \n]|$)", re.M)


def _doubtful(text: str) -> bool:
    if _ODD_CHAR.search(text) or "<<" in text:
        return True
    if text.startswith(("---", "...", "%")) or any(m in text for m in ("\n---", "\n...", "\n%")):
        return True  # documents and directives
    if ("? " in text or "?\n" in text) and _COMPLEX_KEY.search(text):
        return True
    if "&" in text or "*" in text or "!" in text:
        for m in _ANCHOR_OR_TAG.finditer(text):
            if m.start() == 0 or text[m.start() - 1] in " \n[{,":
                return True
    return False


# PyYAML's implicit types, by first character.
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_constructor = yaml.constructor.SafeConstructor()


_NONE = (1 << 64) - 1  # rapidyaml's "no node" (size_t's largest)


class _Raw(str):
    """A number as rapidyaml wrote it, kept as text until PyYAML's reading is known."""


@lru_cache(maxsize=65536)  # PyYAML's patterns are slow; the same values come back
def _implicit(text: str) -> str | None:
    """The tag PyYAML gives this text when it is written plain, None for text."""
    for tag, pattern in _RESOLVERS.get(text[:1], ()):
        if pattern.match(text):
            return tag
    return None


@lru_cache(maxsize=4096)  # the same few numbers, again and again
def _pyyaml_value(text: str, tag: str):
    node = yaml.ScalarNode(tag, text)
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        if tag == _TIMESTAMP:
            return text  # no such date: the located path keeps it as text too
        raise _NotSure from None


def _pairs(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _NotSure  # a duplicate key: the located path reports it
    return out


def _plain_data(buffer: bytearray):
    """Plain data from YAML bytes. The tree is read in place from `buffer`, so that its
    scalars point into it (to locate warnings). rapidyaml is imported on first use: a
    canonical file never needs it."""
    import ryml  # pinned in pyproject.toml

    tree = ryml.parse_in_place(buffer)
    text = ryml.emit_json_malloc(tree, tree.root_id())
    return json.loads(text, object_pairs_hook=_pairs, parse_int=_Raw, parse_float=_Raw), tree


# ------------------------------------------------------------------ values by field type


class _Reader:
    """Reads plain data into records by the spec, raising _NotSure at the first doubt."""

    def __init__(self):
        self.dates: dict[object, When] = {}

    def text(self, v, default: str = "") -> str:
        if v is None or v == default:
            return default
        if type(v) is _Raw and _implicit(v) is None:
            return str(v)  # a number to rapidyaml, text to PyYAML: 1e3, -.5
        if type(v) is not str or (v[:1] in _RESOLVERS and _implicit(v)):
            raise _NotSure  # a number, true/false, or text PyYAML may read otherwise
        return v

    def ident(self, v, present: bool, required: bool) -> str:
        if required and present and (v is None or v == ""):
            raise _NotSure
        v = self.text(v)
        if v and not ID_PATTERN.fullmatch(v):
            raise _NotSure
        return v

    def names(self, v) -> tuple[str, ...]:
        if v is None:
            return ()
        if type(v) is not list:
            raise _NotSure
        for x in v:
            if type(x) is not str or (x[:1] in _RESOLVERS and _implicit(x)):
                raise _NotSure
        return tuple(v)

    def when(self, v) -> When | None:
        """The date, if PyYAML reads the same date whether `v` was written plain or quoted."""
        if v is None:
            return None
        when = self.dates.get(v)
        if when is not None:
            return when
        if type(v) is not str and type(v) is not _Raw:
            raise _NotSure
        try:
            if isinstance(v, _Raw):  # a plain number: as PyYAML reads it
                when = from_yaml_value(_pyyaml_value(v, _implicit(v) or _STR))
            else:
                when = from_yaml_value(v)
                tag = _implicit(v) if v[:1] in _RESOLVERS else None
                if tag is not None and from_yaml_value(_pyyaml_value(v, tag)) != when:
                    raise _NotSure
        except WhenError:
            raise _NotSure from None
        self.dates[v] = when
        return when

    # One method per field type, each given the field and the record's mapping.

    def _id(self, f: spec.Field, m: dict) -> str:
        return self.ident(m.get("id"), "id" in m, True)

    def _ref(self, f: spec.Field, m: dict) -> str:
        return self.ident(m.get(f.key), f.key in m, f.required)

    def _refs(self, f: spec.Field, m: dict) -> tuple[str, ...]:
        values = self.names(m.get(f.key))
        if not all(map(ID_PATTERN.fullmatch, values)):
            raise _NotSure
        return values

    def _text(self, f: spec.Field, m: dict) -> str:
        return self.text(m.get(f.key))

    def _names(self, f: spec.Field, m: dict) -> tuple[str, ...]:
        return self.names(m.get(f.key))

    def _when(self, f: spec.Field, m: dict) -> When | None:
        v = m.get(f.key)
        if v is None and f.key in m:
            raise _NotSure  # "missing date"
        return self.when(v)

    def _flag(self, f: spec.Field, m: dict) -> bool:
        v = m.get(f.key, False)
        if type(v) is not bool:
            raise _NotSure
        return v

    def _color(self, f: spec.Field, m: dict) -> str:
        color = self.text(m.get(f.key))
        if color and not COLOR_PATTERN.fullmatch(color):
            raise _NotSure
        return color

    def _status(self, f: spec.Field, m: dict) -> str:
        status = self.text(m.get(f.key), "open")
        if status not in STATUSES:
            raise _NotSure
        return status

    def _reliability(self, f: spec.Field, m: dict) -> str:
        rel = self.text(m.get(f.key))
        if rel and rel not in RELIABILITIES:
            raise _NotSure
        return rel

    def _credibility(self, f: spec.Field, m: dict) -> int | None:
        v = m.get(f.key)
        if v is None:
            return None
        if type(v) is not _Raw or _implicit(v) != _INT:
            raise _NotSure
        cred = _pyyaml_value(v, _INT)
        if not 1 <= cred <= 6:
            raise _NotSure
        return cred

    def _nested(self, f: spec.Field, m: dict) -> tuple:
        v = m.get(f.key)
        if v is None:
            return ()
        if type(v) is not list:
            raise _NotSure
        kind = spec.NESTED[f.type]
        return tuple(self.record(kind, item) for item in v)

    def record(self, kind: spec.Kind, m):
        return _RECORD_READERS[kind.name](self, m)


_BY_TYPE = {
    spec.ID: _Reader._id,
    spec.REF: _Reader._ref,
    spec.REFS: _Reader._refs,
    spec.TEXT: _Reader._text,
    spec.NAMES: _Reader._names,
    spec.WHEN: _Reader._when,
    spec.FLAG: _Reader._flag,
    spec.COLOR: _Reader._color,
    spec.STATUS: _Reader._status,
    spec.RELIABILITY: _Reader._reliability,
    spec.CREDIBILITY: _Reader._credibility,
    **{t: _Reader._nested for t in spec.NESTED},
}

# Text, ids and lists of them are most of a file: their checks are written out inline in
# each kind's reader (made from the spec once), the rest call the methods above.
_INLINE_TEXT = """\
    v = m.get({key!r})
    if v is None or v == "":
        v = ""
    elif type(v) is not str or (v[:1] in RESOLVERS and implicit(v)):
        raise NotSure
"""
_INLINE_ID = """\
    if {required} and {key!r} in m and (m[{key!r}] is None or m[{key!r}] == ""):
        raise NotSure
    v = m.get({key!r})
    if v is None or v == "":
        v = ""
    elif type(v) is not str or (v[:1] in RESOLVERS and implicit(v)) or not ID(v):
        raise NotSure
"""
_INLINE_NAMES = """\
    v = m.get({key!r})
    if v is None:
        v = ()
    elif type(v) is not list:
        raise NotSure
    else:
        for x in v:
            if type(x) is not str or (x[:1] in RESOLVERS and implicit(x)) or {refs} and not ID(x):
                raise NotSure
        v = tuple(v)
"""


def _record_reader(kind: spec.Kind):
    env: dict = {
        "NotSure": _NotSure,
        "RESOLVERS": _RESOLVERS,
        "implicit": _implicit,
        "ID": ID_PATTERN.fullmatch,
        "record": kind.record,
        "allowed": _ALLOWED[kind.name],
        "required": _REQUIRED[kind.name],
    }
    lines = [
        "def read(self, m):",
        "    if type(m) is not dict or not m.keys() <= allowed or not required <= m.keys():",
        "        raise NotSure",
    ]
    args = []
    for n, f in enumerate(kind.fields):
        if f.type == spec.TEXT:
            lines.append(_INLINE_TEXT.format(key=f.key))
        elif f.type in (spec.ID, spec.REF):
            required = f.type == spec.ID or f.required
            lines.append(_INLINE_ID.format(key=f.key, required=required))
        elif f.type in (spec.NAMES, spec.REFS):
            lines.append(_INLINE_NAMES.format(key=f.key, refs=f.type == spec.REFS))
        elif f.type in _BY_TYPE:
            env[f"field{n}"], env[f"read{n}"] = f, _BY_TYPE[f.type]
            lines.append(f"    v = read{n}(self, field{n}, m)")
        else:  # a type this reader does not know: the full path reads it, the default stays
            lines.append(f"    if {f.key!r} in m:\n        raise NotSure")
            continue
        lines.append(f"    a{n} = v")
        args.append(f"{f.attr}=a{n}")
    lines.append(f"    return record({', '.join(args)})")
    exec("\n".join(lines), env)  # noqa: S102 - source made above from the spec alone
    return env["read"]


_ALLOWED = {k.name: frozenset(k.keys) for k in (*spec.KINDS, *spec.NESTED.values())}
_REQUIRED = {k.name: frozenset(k.required) for k in (*spec.KINDS, *spec.NESTED.values())}
_RECORD_READERS = {k.name: _record_reader(k) for k in (*spec.KINDS, *spec.NESTED.values())}


def _project(data) -> Project:
    if type(data) is not dict or not data.keys() <= set(spec.TOP_KEYS):
        raise _NotSure
    if not set(spec.TOP_REQUIRED) <= data.keys() or data.get("conflicts"):
        raise _NotSure  # merge conflicts: left to the full reader
    version = data.get("demarche")
    if type(version) is not _Raw or _implicit(version) != _INT:
        raise _NotSure
    if not 1 <= _pyyaml_value(version, _INT) <= FORMAT_VERSION:
        raise _NotSure
    reader = _Reader()
    project = Project(
        title=reader.text(data.get("title")), description=reader.text(data.get("description"))
    )
    known: dict[str, set[str]] = {}
    ids: list[str] = []
    checker = Builder([])
    checker.project = project  # a later kind's checks may read an earlier one's records
    for kind in spec.KINDS:
        items = data.get(kind.name)
        if items is None:
            items = []
        if type(items) is not list:
            raise _NotSure
        records = getattr(project, kind.name)
        records.extend(reader.record(kind, m) for m in items)
        settle(kind, records, known, ids, checker)
    if len(set(ids)) != len(ids):
        raise _NotSure
    return project


def read_any(text: str, raw: bytes | None = None) -> tuple[Project, Places] | None:
    """The project in `text` (whose UTF-8 bytes are `raw`, when the caller has them) and
    where its values stand, or None when this reader cannot vouch for it."""
    if _doubtful(text):
        return None
    raw = text.encode("utf-8") if raw is None else raw
    buffer = bytearray(raw)  # rapidyaml rewrites escapes in place: its own copy
    try:
        data, tree = _plain_data(buffer)
        project = _project(data)
    except (_NotSure, ValueError, TypeError, RecursionError, RuntimeError, MemoryError):
        return None
    except Exception:  # noqa: BLE001 - rapidyaml's errors, or no rapidyaml: the full path says
        return None
    project.preamble = LEADING_COMMENTS.match(text).group()
    return project, Places(tree, raw, buffer)


class Places:
    """(line, column) of a value by its path, e.g. ("events", 3, "with"), from the tree:
    each scalar rapidyaml read is a view into the bytes it read."""

    def __init__(self, tree, raw: bytes, buffer: bytearray):
        self.tree, self.raw, self.buffer = tree, raw, buffer  # the tree points into buffer
        self.start = _address(memoryview(buffer))
        self.children: dict[int, list[int]] = {}

    @cached_property
    def lines(self) -> np.ndarray:
        """Where each line begins: found when a value is first located (most reads locate
        none), by numpy (a million lines by a pattern took 1.7 s)."""
        ends = np.flatnonzero(np.frombuffer(self.raw, dtype=np.uint8) == ord("\n")) + 1
        return np.concatenate([[0], ends])

    def _node(self, path: tuple) -> int | None:
        t, node = self.tree, self.tree.root_id()
        for part in path:
            if isinstance(part, int):
                items = self._items(node)
                if part >= len(items):
                    return None
                node = items[part]
            else:
                if not t.is_map(node):
                    return None
                node = t.find_child(node, part.encode("utf-8"))
                if node == _NONE:
                    return None
        return node

    def _items(self, node: int) -> list[int]:
        """The children of a sequence, listed once (the tree finds the n-th by walking)."""
        if node not in self.children:
            t, items = self.tree, []
            if t.is_seq(node):
                child = t.first_child(node)
                while child != _NONE:
                    items.append(child)
                    child = t.next_sibling(child)
            self.children[node] = items
        return self.children[node]

    def locate(self, path: tuple) -> tuple[int, int] | None:
        node, probe = None, path
        while probe and node is None:  # a missing key is reported where its parent stands
            node = self._node(probe)
            probe = probe[:-1]
        if node is None:
            return None
        at = self._offset(node)
        if at is None:
            return None
        line = int(np.searchsorted(self.lines, at, "right")) - 1
        col = len(self.raw[int(self.lines[line]) : at].decode("utf-8", "replace")) + 1
        return line + 1, col

    def _offset(self, node: int) -> int | None:
        t = self.tree
        if t.has_val(node) and not t.is_container(node) and len(t.val(node)):
            return self._at(t.val(node)) - (1 if t.is_val_quoted(node) else 0)
        if t.is_container(node) and t.num_children(node):
            first = t.first_child(node)
            if t.is_map(node) and t.has_key(first):
                return self._at(t.key(first)) - (1 if t.is_key_quoted(first) else 0)
            found = self._offset(first)
            if found is not None and t.is_seq(node):  # at the item's "- " or "[": ahead
                back = found - 1
                while back >= 0 and self.raw[back : back + 1] in b" ":
                    back -= 1
                return back if self.raw[back : back + 1] in b"-[" else found
            return found
        if t.has_key(node) and len(t.key(node)):  # an empty value: where its key is
            return self._at(t.key(node))
        return None

    def _at(self, view) -> int:
        return _address(view) - self.start


def _address(view) -> int:
    return np.frombuffer(view, dtype=np.uint8).ctypes.data
