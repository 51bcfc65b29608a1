"""An import's events kept as columns, with each one's text in the project file, and no
record made (app/records/eventstore.py): the command line writes the text as it is, and
anything that asks for an event reads it from its text, as from a file opened.

    into = EventTexts()
    size = into.add(ids, lanes, with_, titles, whens, types, texts, cites, tags)  # a chunk
    project.events = into.store()

The fields an import leaves empty (label, responds_to) are not taken. Each field's part
of the text is the canonical writer's (app/fileformat/columnwrite.py), written once per
distinct value where values repeat (lanes, dates, types, citations, tags), and the texts
quoted a column at a time; the text of the events is held to the writer's by
tests/app/test_eventcolumns.py."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from app.fileformat import spec
from app.fileformat.columnread import read_events
from app.fileformat.columnwrite import field_texts, quote
from app.fileformat.recordtexts import read_event
from app.records.eventstore import EventColumns, EventStore
from app.records.recordstore import Strings

_PARTS = field_texts(spec.EVENTS)
_CITE, _CITES_LINE = _PARTS["cites"].item, _PARTS["cites"].line + "\n"
_TITLE, _NOTE = _PARTS["title"]("")[: -len('""')], _PARTS["text"]("x")[: -len('"x"')]


def _each(cache: dict, write, column, keys=None, alive: list | None = None) -> list[str]:
    """write(value) for each value of a column, worked out once per distinct value (by
    `keys` of the values when given: their identity, for values slow to hash, each value
    then kept in `alive` while its identity is a key)."""
    keys = column if keys is None else keys
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:
        for k, value in zip(keys, column, strict=True):
            if k not in cache:
                cache[k] = write(value)
                if alive is not None:
                    alive.append(value)
        return list(map(cache.__getitem__, keys))


def _quoted(part: str, texts: list[str], always: bool) -> list[str]:
    """The line of a text field for each text: its key's line and the text quoted ("" for
    an empty text, unless the field is written always). One text at a time: msgspec
    quotes each in C faster than a column joined can be searched and copied."""
    if always or "" not in texts:
        return [part + q for q in map(quote, texts)]
    return [part + quote(t) if t else "" for t in texts]


class EventTexts:
    """Events added a chunk at a time, kept as their texts in a project file."""

    def __init__(self):
        self._cache: dict[str, dict] = {a: {} for a in ("actor", "when", "type", "cites", "tags")}
        self._cite: dict[int, str] = {}  # a citation's lines, by its identity
        self._alive: list = []  # what the caches are keyed by the identity of, kept
        self._texts = bytearray()  # grown in place (a join at the end held it twice)
        self._sizes: list[np.ndarray] = []
        self.count = 0

    def add(self, ids, lanes, with_, titles, whens, types, texts, cites, tags) -> int:
        """The events of one chunk, each field a column; the bytes their text takes."""
        c = self._cache
        pieces = zip(
            map(_PARTS["id"], ids),
            _each(c["actor"], _PARTS["actor"], lanes),
            map(_PARTS["with_"], with_),
            _quoted(_TITLE, titles, True),
            _each(c["when"], _PARTS["when"], whens, list(map(id, whens)), self._alive),
            _each(c["type"], _PARTS["type"], types),
            _quoted(_NOTE, texts, False),
            _each(c["cites"], self._cites_part, cites, list(map(id, cites)), self._alive),
            _each(c["tags"], _PARTS["tags"], tags),
            repeat("\n", len(ids)),
            strict=False,
        )
        rows = list(map("".join, pieces))
        text = "".join(rows)
        if text.isascii():
            data = text.encode("ascii")
            sizes = np.fromiter(map(len, rows), np.int64, len(rows))
        else:
            data = text.encode()
            sizes = np.fromiter(map(len, map(str.encode, rows)), np.int64, len(rows))
        self._texts += data
        self._sizes.append(sizes)
        self.count += len(rows)
        return len(data)

    def _cites_part(self, cites: tuple) -> str:
        """The citations' lines, each citation's written once (a cell of sources names a
        few of a few hundred, in thousands of combinations)."""
        if not cites:
            return ""
        lines = _each(self._cite, _CITE, cites, list(map(id, cites)), self._alive)
        return _CITES_LINE + "\n".join(lines)

    def store(self, known: dict[str, set[str]]) -> EventStore:
        """The events added, as a store whose columns are read from their texts when
        something first asks for them (the command line never does). `known`: the ids of
        the records they refer to."""
        offsets = np.zeros(self.count + 1, dtype=np.int64)
        np.cumsum(np.concatenate(self._sizes), out=offsets[1:])
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
            text = self._raw.decode()
            known = {"events": set(), **self._known}
            raw = self._raw if len(self._raw) == len(text) else None  # views of it (ASCII)
            self._read = read_events(text, (0, len(text)), raw, known, []).columns
        return getattr(self._read, name)
