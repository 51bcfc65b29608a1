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

from itertools import chain, repeat
from operator import attrgetter

import numpy as np

from app.fileformat import spec
from app.fileformat.columnwrite import field_texts, quote
from app.fileformat.recordtexts import read_event
from app.records.eventstore import EventColumns, EventStore, date_numbers
from app.records.recordstore import Strings, codes_by_identity, codes_of

_PARTS = field_texts(spec.EVENTS)
_TEXT = attrgetter("text")
_CITE, _CITES_LINE = _PARTS["cites"].item, _PARTS["cites"].line + "\n"


def _each(cache: dict, write, column: list, keys=None) -> list[str]:
    """write(value) for each value of a column, worked out once per distinct value (by
    `keys` of the values when given: their identity, for values slow to hash)."""
    keys = column if keys is None else keys
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:
        for k, value in zip(keys, column, strict=True):
            if k not in cache:
                cache[k] = write(value)
        return list(map(cache.__getitem__, keys))


def _quoted(part: str, texts: list[str], always: bool) -> list[str]:
    """The line of a text field for each text: its key's line and the text quoted ("" for
    an empty text, unless the field is written always). One text at a time: msgspec
    quotes each in C faster than a column joined can be searched and copied."""
    if always or "" not in texts:
        return [part + q for q in map(quote, texts)]
    return [part + quote(t) if t else "" for t in texts]


def _sizes(column: list[str]) -> np.ndarray:
    """Each piece's size in UTF-8."""
    if all(map(str.isascii, column)):
        return np.fromiter(map(len, column), np.int64, len(column))
    return np.fromiter(map(len, map(str.encode, column)), np.int64, len(column))


class EventTexts:
    """Events added a chunk at a time, as columns and their texts."""

    def __init__(self):
        self._cache: dict[str, dict] = {
            a: {} for a in ("actor", "when", "type", "cites", "cite", "tags")
        }
        self._kept: list = []  # what the caches are keyed by the identity of, kept alive
        self._texts: list[bytes] = []
        self._sizes: list[np.ndarray] = []
        self._strings: dict[str, list[Strings]] = {"id": [], "title": [], "text": []}
        self._coded: dict[str, list] = {a: [] for a in ("actor", "when", "type", "with_", "tags")}
        self._cites: list = []
        self.count = 0

    def add(self, ids, lanes, with_, titles, whens, types, texts, cites, tags) -> int:
        """The events of one chunk, each field a column; the bytes their text takes."""
        c = self._cache
        by_id = list(map(id, whens)), list(map(id, cites))
        self._kept += [whens, cites]
        pieces = [
            list(map(_PARTS["id"], ids)),
            _each(c["actor"], _PARTS["actor"], lanes),
            list(map(_PARTS["with_"], with_)),
            _quoted("\n    title: ", titles, True),
            _each(c["when"], _PARTS["when"], whens, by_id[0]),
            _each(c["type"], _PARTS["type"], types),
            _quoted("\n    text: ", texts, False),
            _each(c["cites"], self._cites_part, cites, by_id[1]),
            _each(c["tags"], _PARTS["tags"], tags),
        ]
        n = len(ids)
        text = "".join(chain.from_iterable(zip(*pieces, repeat("\n", n), strict=False)))
        sizes = sum(map(_sizes, pieces)) + 1
        data = text.encode()
        self._texts.append(data)
        self._sizes.append(sizes)
        for attr, column in (("id", ids), ("title", titles), ("text", texts)):
            self._strings[attr].append(Strings.of(column))
        for attr, column in (("actor", lanes), ("type", types), ("with_", with_), ("tags", tags)):
            self._coded[attr].append(column)
        self._coded["when"].append(whens)
        self._cites.append(cites)
        self.count += n
        return len(data)

    def _cites_part(self, cites: tuple) -> str:
        """The citations' lines, each citation's written once (a cell of sources names a
        few of a few hundred, in thousands of combinations)."""
        if not cites:
            return ""
        lines = _each(self._cache["cite"], _CITE, cites, list(map(id, cites)))
        self._kept.append(cites)
        return _CITES_LINE + "\n".join(lines)

    def store(self) -> EventStore:
        """The events added, as a store (the columns a file opened would give)."""
        n = self.count
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.concatenate(self._sizes), out=offsets[1:])
        buffer = np.frombuffer(b"".join(self._texts), dtype=np.uint8)
        self._texts.clear()
        codes, tables = {}, {}
        for attr, chunks in self._coded.items():
            column = list(chain.from_iterable(chunks))
            if attr == "when":
                whens = {w.text: w for w in {id(w): w for w in column}.values()}
                column = list(map(_TEXT, column))
            codes[attr], tables[attr] = codes_of(column)
        codes["label"], tables["label"] = np.zeros(n, np.int32), ("",)
        codes["cites"], tables["cites"] = codes_by_identity(list(chain.from_iterable(self._cites)))
        cited = [tuple(dict.fromkeys(x.source for x in t)) for t in tables["cites"]]
        codes["cited"], tables["cited"] = codes_of([cited[k] for k in codes["cites"].tolist()])
        columns = EventColumns(
            strings={attr: _joined(parts) for attr, parts in self._strings.items()},
            texts=Strings(buffer, offsets),
            codes=codes,
            tables=tables,
            has_links=np.zeros(n, dtype=bool),
            dates=date_numbers([whens[text] for text in tables["when"]]),
        )
        return EventStore(columns, read_event)


def _joined(parts: list[Strings]) -> Strings:
    """Strings one after another, as one."""
    sizes = np.cumsum([0] + [len(p.buffer) for p in parts])
    return Strings(
        np.concatenate([p.buffer for p in parts]),
        np.concatenate(
            [p.offsets[:-1] + s for p, s in zip(parts, sizes, strict=False)] + [sizes[-1:]]
        ),
    )
