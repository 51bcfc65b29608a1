"""The canonical text of a project: how `dumps` writes it, and how a fast reader reads
exactly that (its records' patterns and conversions; app/fileformat/fastread.py reads a
whole file with them).

The canonical form is plain YAML: stable key order, one item per block, text and dates in
double quotes, ids plain. The fast reader reads it about twenty times faster than PyYAML by
matching whole records with one regular expression each. It returns None for anything it
is not sure of (a hand-edited file, a problem to report), and the caller then takes the
full path through PyYAML and the checks in `build`. A differential property test holds
the two paths to the same model. Both the writer and the reader's patterns are made from
the record spec (app/spec.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import chain
from json.decoder import scanstring

import msgspec
import numpy as np

from app.fileformat import spec
from app.fileformat.recordtext import record_text
from app.fileformat.settle import NotSure as _NotSure
from app.records.model import FORMAT_VERSION, STATUSES, Project
from app.records.recordstore import RecordStore, as_written
from app.records.when import When, WhenError, parse

# Words YAML 1.1 reads as booleans or null when unquoted: never written plain.
RESERVED_WORDS = frozenset("y n yes no on off true false null".split())

_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"\\\\]')
_ESCAPES = {
    "\n": "\\n",
    "\t": "\\t",
    '"': '\\"',
    "\\": "\\\\",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}


# A str as JSON, in double quotes: msgspec's encoder escapes (in C) what the escape
# pattern names in ASCII text, alike (\n, \t, \", \\, \u001f ...), but for DEL.
_json_text = msgspec.json.Encoder().encode


SHORT_TEXT = 32


def _quote(text: str) -> str:
    """The text in double quotes, escaped: the characters `_NEEDS_ESCAPE` names, and
    those alone, as `_escaped` escapes them (tests/app/test_canonical_writer.py holds
    the two to the same text)."""
    if text.isascii() and text.__class__ is str and "\x7f" not in text:
        return _json_text(text).decode()  # most text: in half the time of the steps below
    # (msgspec refuses a subclass of str.) Short other text: one search of the pattern
    # (the steps below cost more under about 30 characters).
    if len(text) < SHORT_TEXT:
        return f'"{text}"' if _NEEDS_ESCAPE.search(text) is None else _escaped(text)
    # Longer text needs only its backslashes, quotes and line feeds escaped, mostly: each
    # replaced when there is one (a search at C speed; `replace` of a character absent
    # costs ten times `in`), then the rest found printable (every character the pattern
    # names is unprintable). Else the pattern.
    out = text
    if "\\" in out:
        out = out.replace("\\", "\\\\")
    if '"' in out:
        out = out.replace('"', '\\"')
    if "\n" in out:
        out = out.replace("\n", "\\n")
    if out.isprintable():
        return f'"{out}"'
    return _escaped(text)


def _escaped(text: str) -> str:
    """The text in double quotes, each character `_NEEDS_ESCAPE` names escaped."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: escape_char(m[0]), text) + '"'


def escape_char(ch: str) -> str:
    """A character `_NEEDS_ESCAPE` names, as written. A lone surrogate (half of a
    character, from JSON cut in the middle of one) is written as U+FFFD, the replacement
    character: UTF-8 cannot hold it, and no reader takes it escaped."""
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


# Dates and colours repeat from record to record: quoted once each.
_quote_repeated = lru_cache(maxsize=65536)(_quote)


_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_LONGEST_RESERVED = max(map(len, RESERVED_WORDS))  # an id longer is none of them


@lru_cache(maxsize=65536)  # references repeat: the same actors and sources, record after record
def _name(text: str) -> str:
    """An id or tag: plain when YAML reads it back as the same text, else quoted."""
    reserved = len(text) <= _LONGEST_RESERVED and text.lower() in RESERVED_WORDS
    if not reserved and _PLAIN_ID.fullmatch(text):
        return text
    return _quote(text)


@lru_cache(maxsize=65536)
def _names(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(_name, items)) + "]"


def _refs(items: tuple[str, ...]) -> str:
    """`_names(items)` not remembered (lists of references seldom repeat whole; their ids
    do), one item (the most usual) without a join."""
    if len(items) == 1:
        return f"[{_name(items[0])}]"
    return "[" + ", ".join(map(_name, items)) + "]"


# ------------------------------------------------------------------ writing


# How each field type is written after "key: "; nested records are written as blocks.
_WRITERS = {
    spec.ID: _name.__wrapped__,  # a record's own id never repeats: not worth remembering
    spec.REF: _name,
    spec.REFS: _refs,
    spec.NAMES: _names,
    spec.TEXT: _quote,
    spec.COLOR: _quote_repeated,
    spec.WHEN: lambda w: _quote_repeated(w.text),
    spec.FLAG: lambda _v: "true",
    spec.STATUS: str,  # (the type itself: no call of a function of ours a value)
    spec.RELIABILITY: str,
    spec.CREDIBILITY: str,
    # A text chosen from a list (an event's type) repeats from record to record.
    (spec.TEXT, "chosen"): _quote_repeated,
}


_SECTION_WRITERS = [(k.name, record_text(k, _WRITERS)) for k in (*spec.KINDS, spec.CONFLICTS)]
CHUNK = 2000  # records encoded at a time


def dumps(project: Project) -> str:
    """The canonical text of a project."""
    return "".join(_pieces(project, None))


def dumps_utf8(project: Project) -> bytearray:
    """`dumps(project).encode()`, made a few thousand records at a time: the file's bytes
    are the only whole copy in memory (the text, its lines and its bytes took three times
    the file's size)."""
    data = bytearray()
    _pieces(project, data.extend)
    return data


def write_utf8(project: Project, write: Callable[[bytes], object]) -> None:
    """`dumps(project).encode()` handed to `write` a few thousand records at a time, and a
    store's untouched records as views of the bytes they were read from: a save holds no
    copy of the file (246 MB at a million events)."""
    _pieces(project, write)


def _pieces(project: Project, write: Callable[[bytes], object] | None) -> list[str]:
    """The canonical text in pieces, each line ending in its line feed; with `write`,
    encoded and handed to it as they come (each piece on its own: most stay one byte a
    character, copied as they are)."""
    out = [project.preamble.rstrip("\n") + "\n"] if project.preamble else []
    out += [f"demarche: {FORMAT_VERSION}\n", f"title: {_quote(project.title)}\n"]
    if project.description:
        out.append(f"description: {_quote(project.description)}\n")

    def flush() -> None:
        if write is not None and out:
            write(b"".join(map(str.encode, out)))
            out.clear()

    for name, text in _SECTION_WRITERS:
        records = getattr(project, name)
        if not records:
            if name in spec.ALWAYS_WRITTEN:
                out.append(f"{name}: []\n")
            continue
        out.append(f"{name}:\n")
        written = _as_read(records)
        for at in range(0, len(records), CHUNK) if written is records else ():
            out += chain.from_iterable(map(text, records[at : at + CHUNK]))  # a chunk at a time
            flush()
        for n, record in enumerate(written if written is not records else ()):
            if not isinstance(record, np.ndarray):
                out += text(record)
            elif write is None:
                out.append(record.tobytes().decode())
            else:  # a store's records as read, kept as bytes
                flush()
                write(record.data)
            if n % CHUNK == CHUNK - 1:
                flush()
    flush()
    return out


def _as_read(records):
    """The records to write; from a store, runs of records no edit touched come as the
    bytes of their text in the file read (which reads back to the same records), so a save
    of a big project copies what it read."""
    return as_written(records) if isinstance(records, RecordStore) else records


# ------------------------------------------------------------------ fast reading

# A double-quoted value; group: its body. Written as runs of plain characters between
# escapes (not one character or escape at a time): the regex engine reads it twice as fast.
# (Possessive, `*+` and `?+`, where going back could never find another reading: the
# regex engine keeps no state to go back to, a fifth faster over a million events.)
_Q = r'"([^"\\\n]*+(?:\\.[^"\\\n]*+)*+)"'
_IDX = r"[A-Za-z][A-Za-z0-9_.-]*+"
_ID = rf"({_IDX})"
_FLOW = r"(\[[^\n]*\])"
_STATUS = "(" + "|".join(STATUSES) + ")"
_COLOR = r'"(#[0-9a-fA-F]{6})"'

# The value pattern of each field type, with one group.
_VALUES = {
    spec.ID: _ID,
    spec.REF: _ID,
    spec.REFS: _FLOW,
    spec.NAMES: _FLOW,
    spec.TEXT: _Q,
    spec.WHEN: _Q,
    spec.COLOR: _COLOR,
    spec.STATUS: _STATUS,
    spec.RELIABILITY: "([A-F])",
    spec.CREDIBILITY: "([1-6])",
}


# The value patterns of fields written only when not empty (the writer leaves them out).
_NOT_EMPTY = {
    spec.TEXT: r'"((?=[^"\n])[^"\\\n]*+(?:\\.[^"\\\n]*+)*+)"',  # at least one character
    spec.REFS: r"(\[[^\]\n][^\n]*\])",
}
_NOT_EMPTY[spec.NAMES] = _NOT_EMPTY[spec.REFS]

_GROUP = re.compile(r"(?<!\\)\((?!\?)")  # a capturing group's opening


def _record_pattern(kind: spec.Kind, indent: str, groups: bool) -> str:
    """The regular expression of one record in canonical form, made from the spec: one
    group per field when `groups` (a nested block is one group, read again by its own
    pattern), none otherwise."""
    return "".join(field_pattern(f, n == 0, indent, groups) for n, f in enumerate(kind.fields))


def field_pattern(f: spec.Field, first: bool, indent: str, groups: bool) -> str:
    """The pattern of one field's line (or lines) in a record: with its group when
    `groups`, and matching nothing where the writer leaves the field out."""
    lead = f"{indent}- " if first else f"{indent}  "
    if f.type == spec.FLAG:
        line = f"({lead}{f.key}: true\n)" if groups else f"(?:{lead}{f.key}: true\n)"
        return line + "?+"
    if f.type in spec.NESTED:
        block = _record_pattern(spec.NESTED[f.type], indent + "    ", False)
        body = f"((?:{block})+)" if groups else f"(?:{block})+"
        line = f"{lead}{f.key}:\n{body}"
    else:
        value = _VALUES[f.type]
        if not f.written_always:
            value = _NOT_EMPTY.get(f.type, value)
        if not groups:
            value = _GROUP.sub("(?:", value)
        line = f"{lead}{f.key}: {value}\n"
    # An optional line is taken whenever it is there: no later line has its key.
    return line if f.written_always else f"(?:{line})?+"


_FLOW_ITEM = re.compile(rf"{_Q}|{_ID}")
LEADING_COMMENTS = re.compile(r"(?:#[^\n]*\n)*")


def _text(body: str | None) -> str:
    if body is None:
        return ""
    if "\\" not in body:
        return body
    text = scanstring(body + '"', 0, True)[0]
    if _quote(text) == f'"{body}"':  # escaped as the writer escapes it ("é", not "\u00e9")
        return text
    raise _NotSure  # a store saves an untouched event's text as read: canonical text only


@lru_cache(maxsize=8192)
def _list(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = tuple(_text(m[1]) if m[1] is not None else m[2] for m in _FLOW_ITEM.finditer(raw))
    if _names(items) != raw:  # as the writer writes it: no junk, no plain id quoted or
        raise _NotSure  # reserved word left plain (YAML reads `yes` as true)
    return items


# Dates read during one fast read, by their quoted body: a project repeats its dates
# (100,000 events have about 17,000 distinct ones), and a lookup here costs less than
# the call into `parse`'s own cache. Emptied after each read.
_DATES: dict[str, When] = {}


def _date(body: str | None) -> When | None:
    if body is None:
        return None
    try:
        when = _DATES[body] = parse(_text(body))
    except WhenError:
        raise _NotSure from None
    return when


_READERS = {
    spec.ID: str,
    spec.REF: lambda g: g or "",
    spec.REFS: _list,
    spec.NAMES: _list,
    spec.TEXT: _text,
    spec.WHEN: _date,
    spec.COLOR: lambda g: g or "",
    spec.STATUS: str,
    spec.RELIABILITY: lambda g: g or "",
    spec.CREDIBILITY: lambda g: int(g) if g else None,
    spec.FLAG: bool,
}


# How a field's group becomes its value, as an expression of `m` (the match) and `g`.
_INLINE = {
    spec.ID: "m[{g}]",
    spec.STATUS: "m[{g}]",
    spec.REF: '(m[{g}] or "")',
    spec.COLOR: '(m[{g}] or "")',
    spec.RELIABILITY: '(m[{g}] or "")',
    spec.FLAG: "(m[{g}] is not None)",
    spec.WHEN: "(dates.get(m[{g}]) or date(m[{g}]))",  # a When is never false
    spec.CREDIBILITY: "(int(m[{g}]) if m[{g}] else None)",
}


class _KindReader:
    """Reads the records of one kind from their matches. The conversion is made from the
    spec once per kind as one expression, with the record's keywords."""

    def __init__(self, kind: spec.Kind, indent: str):
        self.kind = kind
        self.pattern = re.compile(_record_pattern(kind, indent, True))
        group = {f.attr: n + 1 for n, f in enumerate(kind.fields)}
        env: dict = {"record": kind.record, "dates": _DATES, "date": _date}
        args = []
        for attr in (d.name for d in dataclasses.fields(kind.record)):
            f, g = kind.field(attr), group[attr]
            if f.type in _INLINE:
                args.append(f"{attr}=" + _INLINE[f.type].format(g=g))
                continue
            if f.type in spec.NESTED:
                env[f"convert{g}"] = _nested_reader(spec.NESTED[f.type], indent + "    ")
            else:
                env[f"convert{g}"] = _READERS[f.type]
            args.append(f"{attr}=convert{g}(m[{g}])")
        self.converters = env
        self.read = eval(f"lambda m: record({', '.join(args)})", env)  # noqa: S307 - from the spec

    def read_block(self, block: str | None) -> tuple:
        if block is None:
            return ()
        return tuple(self.read(m) for m in self.pattern.finditer(block))


def _nested_reader(kind: spec.Kind, indent: str):
    return lru_cache(maxsize=8192)(_KindReader(kind, indent).read_block)


_KIND_READERS = {k.name: _KindReader(k, "  ") for k in spec.KINDS}


def read_record(kind: str, text: str):
    """One record of a kind from its whole text as this reader reads it, or None."""
    reader = _KIND_READERS[kind]
    match = reader.pattern.fullmatch(text)
    return None if match is None else reader.read(match)


# What app/fileformat/fastread.py and columnread.py read with: the same patterns,
# conversions and dates.
KIND_READERS, text_of, list_of, DATES, NotSure = _KIND_READERS, _text, _list, _DATES, _NotSure


def clear_caches() -> None:
    """Forget the memoised lists and nested records (for benchmarks that time a cold read)."""
    _list.cache_clear()
    _DATES.clear()
    for reader in _KIND_READERS.values():
        for convert in reader.converters.values():
            if hasattr(convert, "cache_clear"):
                convert.cache_clear()
