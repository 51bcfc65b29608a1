"""The events and demands of a canonical file read straight into columns, with no record
made (app/records/eventstore.py, demandstore.py): at a million events, making each record
and then its columns took two thirds of a first open, and the records held 500 MB.

The records of a section are matched a few thousand at a time by the canonical reader's
own pattern (app/fileformat/canonical.py), every field of a chunk at once (`findall`), and
each field's distinct texts are converted once. What the canonical reader asks of the
records it reads (ids noted, references known, the file's checks) is asked of the
columns; NotSure at the first doubt, as there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from app.fileformat import canonical, spec
from app.fileformat.recordtexts import read_demand, read_event, record_texts
from app.fileformat.settle import NotSure, references_known
from app.records.demandstore import DemandColumns, DemandStore
from app.records.eventstore import EventColumns, EventStore, date_numbers
from app.records.recordstore import Strings, codes_of
from app.records.when import When, WhenError, parse

CHUNK_CHARS = 4_000_000  # about 20,000 records a chunk: their matches are held at once


class _Coder:
    """One field of every record as codes into the table of its distinct values; each
    distinct text is converted once (texts and values go one for one in canonical form)."""

    def __init__(self, convert: Callable[[str], object]):
        self.convert = convert
        self.code_of_text: dict[str, int] = {}
        self.code_of_value: dict = {}
        self.chunks: list[np.ndarray] = []

    def add(self, column: tuple[str, ...]) -> None:
        code_of_text, code_of_value = self.code_of_text, self.code_of_value
        if "" in code_of_text and not any(column):  # a field left out of every record
            self.chunks.append(np.full(len(column), code_of_text[""], dtype=np.int32))
            return
        try:  # most chunks bring no text the chunks before did not
            codes = np.fromiter(map(code_of_text.__getitem__, column), np.int32, len(column))
        except KeyError:
            for text in dict.fromkeys(column):  # in order of first use, as codes_of
                if text not in code_of_text:
                    value = self.convert(text)
                    code_of_text[text] = code_of_value.setdefault(value, len(code_of_value))
            codes = np.fromiter(map(code_of_text.__getitem__, column), np.int32, len(column))
        self.chunks.append(codes)

    def result(self) -> tuple[np.ndarray, tuple]:
        codes = np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.int32)
        return codes, tuple(self.code_of_value)


class _Section:
    """One kind's section read as columns: strings, codes, each record's start, and the
    When of each distinct date text."""

    def __init__(self, kind: spec.Kind, strings: tuple[str, ...]):
        self.kind = kind
        reader = canonical.KIND_READERS[kind.name]
        self.pattern = re.compile(f"({reader.pattern.pattern})")  # group 1: the whole record
        self.whens: dict[str, When] = {}
        self.strings = {f.attr: [] for f in kind.fields if f.attr in strings}
        self.coders = {
            f.attr: _Coder(self._converter(f, reader.converters.get(f"convert{n + 1}")))
            for n, f in enumerate(kind.fields)
            if f.attr not in strings
        }
        self.starts: list[np.ndarray] = []

    def _converter(self, f: spec.Field, nested) -> Callable[[str], object]:
        if f.type == spec.REF or f.type == spec.STATUS:
            return str
        if f.type in (spec.REFS, spec.NAMES):
            return lambda text: canonical.list_of(text) if text else ()
        if f.type == spec.TEXT:
            return canonical.text_of
        if f.type == spec.WHEN:
            return self._date
        if f.type in spec.NESTED:
            return lambda text: nested(text) if text else ()
        raise TypeError(f"no column reader for {f.type} fields")  # the spec grew: say so

    def _date(self, text: str) -> str | None:
        if not text:
            return None  # an optional date left out
        try:
            when = parse(canonical.text_of(text))
        except WhenError:
            raise NotSure from None
        self.whens.setdefault(when.text, when)
        return when.text

    def read(self, text: str, start: int, end: int) -> None:
        pos = start
        while pos < end:
            cut = text.find("\n  - ", pos + CHUNK_CHARS, end)  # a record's first line
            cut = end if cut < 0 else cut + 1
            self._read_chunk(text, pos, cut)
            pos = cut

    def _read_chunk(self, text: str, start: int, end: int) -> None:
        matches = self.pattern.findall(text, start, end)
        if not matches:
            raise NotSure
        whole, *fields = zip(*matches, strict=True)
        del matches
        lengths = np.fromiter(map(len, whole), np.int64, len(whole))
        if int(lengths.sum()) != end - start:
            raise NotSure  # something between the records the pattern skipped
        self.starts.append(start + np.cumsum(lengths) - lengths)
        for f, column in zip(self.kind.fields, fields, strict=True):
            if f.attr in self.strings:
                texts = _texts(column) if f.type == spec.TEXT else column
                self.strings[f.attr].append(Strings.of(texts))  # bytes, not objects, kept
            else:
                self.coders[f.attr].add(column)

    def string_columns(self) -> dict[str, Strings]:
        return {attr: _joined(chunks) for attr, chunks in self.strings.items()}

    def coded(self) -> dict[str, tuple[np.ndarray, tuple]]:
        return {attr: coder.result() for attr, coder in self.coders.items()}

    def record_starts(self) -> np.ndarray:
        return np.concatenate(self.starts)


def _texts(column: tuple[str, ...]):
    """Quoted bodies as texts: most hold no escape at all."""
    return map(canonical.text_of, column) if "\\" in "".join(column) else column


def _joined(parts: list[Strings]) -> Strings:
    sizes = np.cumsum([0] + [len(p.buffer) for p in parts])
    return Strings(
        np.concatenate([p.buffer for p in parts]),
        np.concatenate(
            [p.offsets[:-1] + s for p, s in zip(parts, sizes, strict=False)] + [sizes[-1:]]
        ),
    )


def _cited(cites: tuple[np.ndarray, tuple]) -> tuple[np.ndarray, tuple]:
    """The sources each record cites, each once, from its citations' codes."""
    codes, table = cites
    cited_codes, cited = codes_of([tuple(dict.fromkeys(c.source for c in t)) for t in table])
    return cited_codes[codes], cited


def _read_section(kind: spec.Kind, store: type, text: str, span, raw, known, ids) -> tuple:
    """A kind's section read and vouched for, as what its columns are made of: the section,
    its strings, its coded fields (the sources cited among them), its ids and its texts."""
    section = _Section(kind, store.STRINGS)
    section.read(text, *span)
    strings, coded = section.string_columns(), section.coded()
    own_ids = strings["id"].every()
    known[kind.name] = set(own_ids)  # what `settle` asks of records, asked of the columns
    ids.extend(own_ids)
    references_known(kind, {attr: table for attr, (_, table) in coded.items()}, known)
    coded["cited"] = _cited(coded["cites"])
    return section, strings, coded, own_ids, record_texts(text, section.record_starts(), raw)


def _split(coded: dict, attrs: tuple[str, ...]) -> tuple[dict, dict]:
    """The codes and the tables of these coded fields."""
    return {a: coded[a][0] for a in attrs}, {a: coded[a][1] for a in attrs}


def read_events(text: str, span: tuple[int, int], raw: bytes | None, known, ids) -> EventStore:
    section, strings, coded, event_ids, texts = _read_section(
        spec.EVENTS, EventStore, text, span, raw, known, ids
    )
    links, answered = coded.pop("responds_to")
    linked = np.array([bool(t) for t in answered], dtype=bool)[links]
    for row in np.flatnonzero(linked).tolist():  # build.py's rule: no event answers itself
        if event_ids[row] in answered[links[row]]:
            raise NotSure
    codes, tables = _split(coded, EventStore.CODED)
    whens = [section.whens[t] for t in tables["when"]]
    columns = EventColumns(strings, texts, codes, tables, linked, date_numbers(whens))
    return EventStore(columns, read_event)


def read_demands(text: str, span: tuple[int, int], raw: bytes | None, known, ids) -> DemandStore:
    section, strings, coded, _, texts = _read_section(
        spec.DEMANDS, DemandStore, text, span, raw, known, ids
    )
    numbers = {}
    for attr in ("raised", "resolved"):
        codes, table = coded[attr]
        whens = [None if t is None else section.whens[t] for t in table]
        for end in ("lo", "hi"):
            value = [
                np.nan if w is None or getattr(w, end) is None else getattr(w, end) for w in whens
            ]
            numbers[f"{attr}_{end}"] = np.array(value, dtype=np.float64)[codes]
    if (numbers["resolved_hi"] <= numbers["raised_lo"]).any():
        raise NotSure  # build.py's rule: resolved before it was raised
    codes, tables = _split(coded, DemandStore.CODED)
    columns = DemandColumns(strings, texts, codes, tables, numbers)
    return DemandStore(columns, read_demand)


def readers(raw: bytes | None) -> dict[str, Callable]:
    """The store readers `canonical.read_fast` takes, for a text whose bytes may be `raw`."""
    return {
        "events": lambda text, span, known, ids: read_events(text, span, raw, known, ids),
        "demands": lambda text, span, known, ids: read_demands(text, span, raw, known, ids),
    }
