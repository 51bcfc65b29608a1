"""The fast reader of canonical files (app/fileformat/canonical.py holds its patterns and
conversions): a whole project read record by record, or None when it is not sure.

    read_fast(text)              records of every kind (with `starts`: where each begins)
    read_fast_bytes(raw, stores) from the file's bytes, events and demands to columns

`read_fast_bytes` never decodes the whole file: a project of 246 MB held its bytes and
its text (as much again) while read. It checks the bytes (UTF-8, safe escapes and
characters) as `read_fast` checks the text, decodes the header and the small sections,
and hands the big ones to `stores` as spans of the bytes (app/fileformat/columnread.py
decodes them a piece at a time).
"""

from __future__ import annotations

import codecs
import re
from types import SimpleNamespace

from app.fileformat import canonical, spec
from app.fileformat.build import Builder
from app.fileformat.canonical import DATES, KIND_READERS, LEADING_COMMENTS, NotSure, text_of
from app.fileformat.safetext import escapes_are_safe, has_unsafe_byte, has_unsafe_char
from app.fileformat.settle import ids_unique, settle
from app.records.model import FORMAT_VERSION, Project

_Q = canonical._Q
_HEADER = rf"demarche: {FORMAT_VERSION}\ntitle: {_Q}\n(?:description: {_Q}\n)?"
_SECTION = "(" + "|".join(spec.KIND_NAMES) + r"):( \[\])?\n"
_TOP_LINE = r"\n[^ ]"  # a line that is not indented


def _patterns(kind: type) -> SimpleNamespace:
    """The reader's patterns for text (str) or for its UTF-8 bytes (the patterns are ASCII,
    and none of their classes tells a character past ASCII from another: each reads the
    bytes as it reads the text)."""

    def made(pattern: str) -> re.Pattern:
        return re.compile(pattern if kind is str else pattern.encode())

    return SimpleNamespace(
        comments=made(LEADING_COMMENTS.pattern),
        header=made(_HEADER),
        section=made(_SECTION),
        top_line=made(_TOP_LINE),
        records={k: made(r.pattern.pattern) for k, r in KIND_READERS.items()},
    )


_OF = {str: _patterns(str), bytes: _patterns(bytes)}


def _str(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def read_fast(text: str, starts: dict[str, list[int]] | None = None) -> Project | None:
    """The project in canonical text, or None when the text is not canonical or not valid.
    With `starts`, where each record begins in the text is put there, by kind. A file with
    merge conflicts is left to the full reader."""
    if not escapes_are_safe(text) or has_unsafe_char(text):
        return None  # (merge conflicts: `_sections` refuses their header)
    return _tried(text, starts, {})


def read_fast_bytes(raw: bytes, stores: dict) -> Project | None:
    """`read_fast` of the text whose UTF-8 bytes are `raw` (None for other bytes, and for a
    byte order mark: the text path drops it). `stores` reads some kinds another way, by
    name: `stores[name](raw, span, known)` returns their records having vouched for them
    (their ids put in `known`), `span` the bytes of their section's items."""
    if raw.startswith(codecs.BOM_UTF8) or not _utf8(raw):
        return None
    if not escapes_are_safe(raw) or has_unsafe_byte(raw):
        return None
    return _tried(raw, None, stores)


_PIECE = 1 << 24


def _utf8(raw: bytes) -> bool:
    """Whether the bytes are UTF-8, found a piece at a time (the whole text is not made)."""
    if raw.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for at in range(0, len(raw), _PIECE):
            decoder.decode(raw[at : at + _PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _tried(data: str | bytes, starts, stores: dict) -> Project | None:
    try:
        return _read(data, starts, stores)
    except (NotSure, ValueError, IndexError):
        return None
    finally:
        DATES.clear()


def _records(text: str, start: int, end: int, pattern: re.Pattern):
    """The matches of the records from start to end, one after another as they are read
    (a list of a million matches held 200 MB at once); NotSure at a gap."""
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.start() != pos:
            raise NotSure
        pos = m.end()
        yield m
    if pos != end:
        raise NotSure


def _sections(data: str | bytes, pos: int, of: SimpleNamespace) -> dict[str, tuple[int, int]]:
    """Where each section's records are: in canonical order, each once, nothing between.
    Every line from `pos` on that is not indented must be a section's header; one scan
    finds them all (a search per header scanned the whole text again for each section a
    file lacks). Any line between is checked by `_records`, which refuses a span its
    records do not cover exactly."""
    marks = []
    for top in of.top_line.finditer(data, pos - 1, len(data) - 1):  # `pos` follows a break
        m = of.section.match(data, top.start() + 1)
        if m is None:
            raise NotSure  # not a section (`conflicts:` is left to the full reader)
        marks.append(m)
    names = [_str(m[1]) for m in marks]
    if names != [n for n in spec.KIND_NAMES if n in names] or len(set(names)) != len(names):
        raise NotSure
    if (marks[0].start() if marks else len(data)) != pos:
        raise NotSure
    bounds = {}
    for i, (name, m) in enumerate(zip(names, marks, strict=True)):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(data)
        if m[2] and m.end() != end:
            raise NotSure  # "events: []" followed by items
        if not m[2] and m.end() == end:
            raise NotSure  # "events:" with nothing: YAML reads null
        bounds[name] = (m.end(), end)
    if not set(spec.ALWAYS_WRITTEN) <= set(bounds):
        raise NotSure
    return bounds


def _read(data: str | bytes, starts: dict[str, list[int]] | None, stores: dict) -> Project:
    of = _OF[type(data)]
    pos = of.comments.match(data).end()
    head = of.header.match(data, pos)
    if head is None:
        raise NotSure
    first = of.section.match(data, head.end())  # a hand-written file fails here, at once,
    if first and not first[2] and not of.records[_str(first[1])].match(data, first.end()):
        raise NotSure  # before the scans for every section (0.1 s at 200,000 events)
    project = Project(text_of(_str(head[1])), text_of(_str(head[2])), preamble=_str(data[:pos]))
    bounds = _sections(data, head.end(), of)
    known: dict[str, set[str]] = {}
    ids: list[str] = []
    stored = 0  # the records read by `stores`
    checker = Builder([])
    checker.project = project
    for kind in spec.KINDS:
        reader = KIND_READERS[kind.name]
        span = bounds.get(kind.name)
        if span and span[0] < span[1] and kind.name in stores:  # not `name: []`
            setattr(project, kind.name, stores[kind.name](data, span, known))
            stored += len(getattr(project, kind.name))
            continue
        if span and isinstance(data, bytes):  # a small section: its own text
            piece = data[span[0] : span[1]].decode()
            span = (0, len(piece))
        else:
            piece = data
        matches = _records(piece, *span, reader.pattern) if span else ()
        records = getattr(project, kind.name)
        if starts is None:
            records.extend(map(reader.read, matches))
        else:
            begun = starts[kind.name] = []
            for m in matches:
                begun.append(m.start())
                records.append(reader.read(m))
        settle(kind, records, known, ids, checker)
    if not ids_unique(known, len(ids) + stored) or _reserved(known):
        raise NotSure
    return project


# Every spelling of the reserved words in any case (YAML 1.1 reads `Yes` as true).
_SPELLINGS = frozenset(
    "".join(c.upper() if bit >> i & 1 else c for i, c in enumerate(word))
    for word in canonical.RESERVED_WORDS
    for bit in range(1 << len(word))
)


def _reserved(known: dict[str, set[str]]) -> bool:
    """Whether an id is a reserved word in any case: the spellings looked up in each kind's
    set of ids (plain ids, ASCII: lowering a million of them took 0.1 s)."""
    return any(not ids.isdisjoint(_SPELLINGS) for ids in known.values())
