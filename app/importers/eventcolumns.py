"""An import's events kept as columns, with each one's text in the project file, and no
record made (app/records/eventstore.py): the command line writes the text as it is, and
anything that asks for an event reads it from its text, as from a file opened.

    into = EventTexts()
    size = into.add(ids, lanes, with_, titles, whens, types, texts, cites, tags)  # a chunk
    project.events = into.store(known)   # or into.records(), when a chunk was refused

The fields an import leaves empty (label, responds_to) are not taken. Each field's part
of the text is the canonical writer's (app/fileformat/columnwrite.py), written once per
distinct value where values repeat (lanes, dates, types, citations, tags), the lists of
a chunk joined at C speed, and each text quoted straight to UTF-8 by msgspec; the text
of the events is held to the writer's by tests/app/test_eventcolumns.py. A chunk whose
texts the canonical reader would not read back (an id or a reference written quoted) is
refused (`add` gives None): its importer then makes records."""

from __future__ import annotations

import re
from itertools import chain, repeat
from operator import attrgetter

import numpy as np

from app.fileformat import spec
from app.fileformat.canonical import RESERVED_WORDS
from app.fileformat.columnread import read_events
from app.fileformat.columnwrite import field_bytes, quote_all, quote_bytes
from app.fileformat.recordtexts import read_event
from app.fileformat.settle import NotSure
from app.importers.rowgroups import Grouped, Table
from app.records.eventstore import EventColumns, EventStore
from app.records.model import Cite
from app.records.recordstore import Strings

_PARTS = field_bytes(spec.EVENTS)
_CITE = _PARTS["cites"].text.item
# The lines before a value, as the spec's parts write them (checked below).
_ID, _WITH, _TITLE, _NOTE = b"  - id: ", b"\n    with: [", b"\n    title: ", b"\n    text: "
_CITES = b"\n    cites:\n"
if (_ID + b"a", _WITH + b"a]", _TITLE + b'"t"', _NOTE + b'"t"', _CITES + b"      - source: a") != (
    _PARTS["id"]("a"),
    _PARTS["with_"](("a",)),
    _PARTS["title"]("t"),
    _PARTS["text"]("t"),
    _PARTS["cites"]((Cite(source="a"),)),
):
    raise ImportError("the spec's lines of an event changed: say so here")
_SOURCE, _SOURCE_LINE = attrgetter("source"), _CITE(Cite(source="a"))[:-1]
_SOURCE_LINES, _CITES_SOURCE = "\n" + _SOURCE_LINE, _CITES + _SOURCE_LINE.encode()
# Ids that `_name` writes as they are: plain, none a word YAML reads otherwise.
_PLAIN_IDS = re.compile(r"(?:[A-Za-z][A-Za-z0-9_.-]*\n)*[A-Za-z][A-Za-z0-9_.-]*")


class _Written(dict):
    """A value's part of the text, by the value, worked out when first asked for."""

    def __init__(self, write):
        super().__init__()
        self.write = write

    def __missing__(self, value) -> bytes:
        written = self[value] = self.write(value)
        return written


def _each(cache: dict, write, column, keys, alive: list) -> list[bytes]:
    """write(value) for each value of a column, worked out once per distinct value, by
    `keys` of the values (their identity, for values slow to hash: each value is then
    kept in `alive` while its identity is a key)."""
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:
        for k, value in zip(keys, column, strict=True):
            if k not in cache:
                cache[k] = write(value)
                alive.append(value)
        return list(map(cache.__getitem__, keys))


def _lane_written(lane: str) -> bytes:
    """A lane's id as a `with` list writes it."""
    return _PARTS["with_"]((lane,))[len(_WITH) : -1]


def _source_alone(cite) -> bool:
    """Whether a citation's lines are its source's alone, its id written as it is."""
    return _CITE(cite) == _SOURCE_LINE + cite.source


def _id_parts(ids: list[str]) -> tuple:
    """The id lines of a column of ids, as two columns of parts: in one go when `_name`
    writes each as it is."""
    joined = "\n".join(ids)
    if joined.isascii() and _PLAIN_IDS.fullmatch(joined):
        if RESERVED_WORDS.isdisjoint(joined.lower().split("\n")):
            return repeat(_ID, len(ids)), joined.encode().split(b"\n")
    return map(_PARTS["id"], ids), repeat(b"", len(ids))


class EventTexts:
    """Events added a chunk at a time, kept as their texts in a project file (UTF-8)."""

    def __init__(self):
        self._actor, self._type = _Written(_PARTS["actor"]), _Written(_PARTS["type"])
        self._tags = _Written(lambda tags: _PARTS["tags"](tags) + b"\n")  # the event's end
        self._lane = _Written(_lane_written)
        self._lane_as_is = _Written(lambda lane: self._lane[lane] == lane.encode())
        self._source_alone: dict[int, bool] = {}  # by the citation's identity
        self._when: dict[int, bytes] = {}  # a date's line, by the date's identity
        self._cite: dict[int, bytes] = {}  # a citation's lines, by its identity
        self._alive: list = []  # what is known by its identity, kept
        self._tables: dict[int, list] = {}  # a Table's values written, by its identity
        self._texts = bytearray()  # grown in place (a join at the end held it twice)
        self._sizes: list[np.ndarray] = []
        self.count = 0

    def add(self, ids, lanes, with_, titles, whens, types, texts, cites, tags) -> int | None:
        """The events of one chunk, each field a column; the bytes their text takes. Each
        event's text is its fields' parts, as bytes (a part is written once per distinct
        value where values repeat, a text is quoted by msgspec straight to bytes). None,
        and nothing added, when an event's text would not be read back by the canonical
        reader's pattern (an id or a reference written quoted: the file is then read by
        PyYAML, and the events must be records)."""
        return self.add_parts(
            ids, lanes, with_, *self.parts(titles, whens, types, texts, tags), cites
        )

    def parts(self, titles, whens, types, texts, tags) -> tuple[list[bytes], list[bytes]]:
        """The parts of each event's text that its own cells make (no id, lane or source
        in them): from its title to its text, and its tags with the line end."""
        n = len(titles)
        if "" in texts:  # a text left out: its key too
            note = [_NOTE + quote_bytes(t) if t else b"" for t in texts]
            texts = note, repeat(b"", n)
        else:
            texts = repeat(_NOTE, n), quote_all(texts)
        middles = list(
            map(
                b"".join,
                zip(
                    repeat(_TITLE, n),
                    quote_all(titles),
                    _each(self._when, _PARTS["when"], whens, list(map(id, whens)), self._alive),
                    map(self._type.__getitem__, types),
                    *texts,
                    strict=False,
                ),
            )
        )
        tails = list(map(self._tags.__getitem__, tags))
        return middles, tails

    def add_parts(self, ids, lanes, with_, middles, tails, cites) -> int | None:
        """`add`, the parts its own cells make given (`parts`, maybe by another process)."""
        n = len(ids)
        as_is = self._lane_as_is.__getitem__
        if cites.__class__ is Grouped:
            sources = map(_SOURCE, map(cites.table.values.__getitem__, set(cites.codes.tolist())))
        else:
            sources = map(_SOURCE, chain.from_iterable(cites))
        if not (all(map(as_is, set(lanes))) and all(map(as_is, set(sources)))):
            return None
        ids_parts = _id_parts(ids)
        if ids_parts[1].__class__ is repeat:
            return None
        rows = list(
            map(
                b"".join,
                zip(
                    *ids_parts,
                    map(self._actor.__getitem__, lanes),
                    self._with_parts(with_),
                    middles,
                    self._cites_parts(cites),
                    tails,
                    strict=False,
                ),
            )
        )
        self._sizes.append(np.fromiter(map(len, rows), np.int64, n))
        size = len(self._texts)
        self._texts += b"".join(rows)
        self.count += n
        return len(self._texts) - size

    def _with_parts(self, with_: list[tuple[str, ...]] | Grouped) -> list[bytes]:
        """The `with` line of each event: when every lane of the chunk is written as its
        id is, the lists are joined at C speed and split again, one a line."""
        if with_.__class__ is Grouped:
            first, other = self._written(with_.table, self._lane.__getitem__, _WITH, b", ")
            return with_.lines(first, other, b"]")
        if all(map(self._lane_as_is.__getitem__, set(chain.from_iterable(with_)))):
            joined = "\n".join(map(", ".join, with_))
            if joined.isascii():
                return [_WITH + p + b"]" if p else b"" for p in joined.encode().split(b"\n")]
        return list(map(self._with_part, with_))

    def _cites_parts(self, cites: list[tuple] | Grouped) -> list[bytes]:
        """The citations' lines of each event: when every citation of the chunk names its
        source alone (ACLED's), the sources' lines are joined at C speed, as `with`."""
        if cites.__class__ is Grouped:
            lines = self._written(cites.table, lambda c: _CITE(c).encode(), _CITES, b"\n")
            return cites.lines(*lines, b"")
        every = {id(c): c for c in chain.from_iterable(cites)}
        alone = self._source_alone
        for k in every.keys() - alone.keys():
            alone[k] = _source_alone(every[k])
            self._alive.append(every[k])
        if all(map(alone.__getitem__, every)):
            # (A row's lines are apart by line feeds: the rows by NUL, which no id holds.)
            joined = "\0".join(map(_SOURCE_LINES.join, map(map, repeat(_SOURCE), cites)))
            if joined.isascii() and joined.count("\0") == len(cites) - 1:
                return [_CITES_SOURCE + p if p else b"" for p in joined.encode().split(b"\0")]
        return list(map(self._cites_part, cites))

    def _written(self, table: Table, write, first: bytes, other: bytes) -> tuple:
        """Each value of a table written, after `first` (a row's first value) and after
        `other` (the others), by the value's code, as two arrays of objects; the table's
        values written once, the arrays made again only when it has grown."""
        found = self._tables.get(id(table))
        if found is None:
            found = self._tables[id(table)] = [table, [], [], None]
        _, firsts, others, arrays = found
        if arrays is None or len(firsts) < len(table.values):
            for value in table.values[len(firsts) :]:
                written = write(value)
                firsts.append(first + written)
                others.append(other + written)
            # (Objects from lists: numpy's own bytes would drop the NULs at their ends.)
            found[3] = arrays = np.array(firsts, object), np.array(others, object)
        return arrays

    def _with_part(self, lanes: tuple[str, ...]) -> bytes:
        if not lanes:
            return b""
        return _WITH + b", ".join(map(self._lane.__getitem__, lanes)) + b"]"

    def _cites_part(self, cites: tuple) -> bytes:
        """The citations' lines, each citation's written once (a cell of sources names a
        few of a few hundred, in thousands of combinations)."""
        if not cites:
            return b""
        line = self._cite.get
        return _CITES + b"\n".join([line(id(c)) or self._cite_lines(c) for c in cites])

    def _cite_lines(self, cite) -> bytes:
        self._alive.append(cite)
        lines = self._cite[id(cite)] = _CITE(cite).encode()
        return lines

    def records(self) -> list:
        """The events added, as records (read back from their texts), and none kept."""
        texts = Strings(np.frombuffer(self._texts, dtype=np.uint8), self._offsets())
        self._texts, self._sizes, self.count = bytearray(), [], 0
        return list(map(read_event, texts.every())) if len(texts) else []

    def _offsets(self) -> np.ndarray:
        offsets = np.zeros(self.count + 1, dtype=np.int64)
        if self._sizes:
            np.cumsum(np.concatenate(self._sizes), out=offsets[1:])
        return offsets

    def store(self, known: dict[str, set[str]]) -> EventStore:
        """The events added, as a store whose columns are read from their texts when
        something first asks for them (the command line never does). `known`: the ids of
        the records they refer to."""
        offsets = self._offsets()
        raw, self._texts = self._texts, bytearray()
        texts = Strings(np.frombuffer(raw, dtype=np.uint8), offsets)
        return EventStore(ReadWhenAsked(texts, raw, known), read_event)


class ReadWhenAsked:
    """The columns of events (EventColumns) of which only each event's text is made; the
    rest read from the texts, as the columns of a file opened are, when first asked for."""

    def __init__(self, texts: Strings, raw: bytearray, known: dict[str, set[str]]):
        self.texts = texts
        self._raw, self._known = raw, known
        self._read: EventColumns | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._read is None:
            known = {"events": set(), **self._known}
            try:
                raw = bytes(self._raw)  # views of it are kept: not of a buffer that grows
                self._read = read_events(raw, (0, len(raw)), known).columns
            except NotSure:  # (cannot be: the texts are the canonical reader's) read one by one
                self._read = EventColumns.of(list(map(read_event, self.texts.every())), self.texts)
        return getattr(self._read, name)
