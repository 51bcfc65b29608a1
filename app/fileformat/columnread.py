"""The events and demands of a canonical file read straight into columns, with no record
made (app/records/eventstore.py, demandstore.py): at a million events, making each record
and then its columns took two thirds of a first open, and the records held 500 MB.

The records of a section are read from the file's bytes a few thousand at a time, never
decoded whole (a text is decoded once, as a distinct value, or not at all: a title's bytes
are its UTF-8), matched by the canonical reader's own pattern (app/fileformat/canonical.py)
cut into runs of fields (`_runs`), every run of a piece at once (`split`: its pieces are
the runs' columns by slices, with nothing between the records). The patterns read bytes
as they read text (fastread.py says why). A run of fields many records share is coded by
its text, each distinct text read once into its fields' values: fewer strings made and
looked up than one a field. What the canonical reader asks of the records it reads (ids
noted, references known, the file's checks) is asked of the columns; NotSure at the first
doubt, as there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from app.fileformat import canonical, spec
from app.fileformat.canonical import NotSure, field_pattern
from app.fileformat.recordtexts import read_demand, read_event
from app.fileformat.settle import SortedIds, references_known
from app.records.demandstore import DemandColumns, DemandStore
from app.records.eventstore import EventColumns, EventStore, date_numbers
from app.records.recordstore import Strings, codes_of
from app.records.when import When, WhenError, parse

CHUNK_BYTES = 4_000_000  # about 20,000 records a piece: their matches are held at once
_QUOTED = (spec.TEXT, spec.WHEN, spec.COLOR)


def _runs(kind: spec.Kind, strings: tuple[str, ...]) -> list[list[spec.Field]]:
    """The kind's fields cut into runs matched as one group each. A field kept as strings
    stands alone, and so does a date (events have thousands of distinct ones) and a field
    written always; optional coded fields one after another make one run (an event's
    citations, tags, label and the events it answers: mostly left out, their distinct
    runs are few)."""
    runs: list[list[spec.Field]] = []
    for n, f in enumerate(kind.fields):
        alone = f.attr in strings or f.type == spec.WHEN
        before = kind.fields[n - 1] if n else None
        joins = (
            before is not None
            and not alone
            and not f.written_always
            and not before.written_always
            and before.attr not in strings
            and before.type != spec.WHEN
        )
        if joins:
            runs[-1].append(f)
        else:
            runs.append([f])
    return runs


def _run_pattern(kind: spec.Kind, run: list[spec.Field], groups: bool) -> str:
    return "".join(field_pattern(f, f is kind.fields[0], "  ", groups) for f in run)


def _value_cut(kind: spec.Kind, f: spec.Field) -> tuple[int, int]:
    """How much of a field's line (or lines) comes before its value as the record's pattern
    groups it, and after: the key (and a quote), and the line break (and a quote). A nested
    block's value is every line after its key's."""
    lead = f"{'  - ' if f is kind.fields[0] else '    '}{f.key}:"
    if f.type in spec.NESTED:
        return len(lead) + 1, 0
    quoted = f.type in _QUOTED
    return len(lead) + 1 + quoted, 1 + quoted


class _Coder:
    """A run of fields of every record as codes into the table of its distinct texts; each
    distinct text is read once into its fields' values, each field's coded into the table
    of its distinct values (texts and values go one for one in canonical form). (An
    event's actor and the actors `with` it as one run made 2,500 distinct pairs of 10,000
    events to read: more than it saved below about 100,000.)"""

    def __init__(self, kind: spec.Kind, run: list[spec.Field], converters: list[Callable]):
        self.fields, self.converters = run, converters
        self.pattern = re.compile(_run_pattern(kind, run, True))  # a group a field
        # A field alone: its value cut from its line, without the pattern (a date a text).
        self.cut = _value_cut(kind, run[0]) if len(run) == 1 else None
        self.code_of_text: dict[bytes, int] = {}
        self.code_of_value: list[dict] = [{} for _ in run]  # by field
        self.value_codes: list[list[int]] = [[] for _ in run]  # by field, by text's code
        self.sizes = np.zeros(0, np.int64)  # each distinct text's size in bytes
        self.chunks: list[np.ndarray] = []

    def add(self, column: list[bytes]) -> np.ndarray:
        """The codes of a piece's texts of the run, kept; and their sizes in bytes."""
        code_of_text = self.code_of_text
        if b"" in code_of_text and not any(column):  # a run left out of every record
            codes = np.full(len(column), code_of_text[b""], dtype=np.int32)
        else:
            try:  # most pieces bring no text the pieces before did not
                codes = np.fromiter(map(code_of_text.__getitem__, column), np.int32, len(column))
            except KeyError:
                new = [t for t in dict.fromkeys(column) if t not in code_of_text]  # in order
                for text in new:  # of first use, as codes_of
                    self._read(text)
                sizes = np.fromiter(map(len, new), np.int64, len(new))
                self.sizes = np.concatenate([self.sizes, sizes])
                codes = np.fromiter(map(code_of_text.__getitem__, column), np.int32, len(column))
        self.chunks.append(codes)
        return self.sizes[codes]

    def _read(self, raw: bytes) -> None:
        text = raw.decode()
        if self.cut is not None:  # a field alone (most runs): its value cut from its line
            lead, tail = self.cut
            groups = (text[lead : len(text) - tail],)  # "" where left out
        else:
            m = self.pattern.fullmatch(text)
            if m is None:  # cannot be: the record's pattern matched it
                raise NotSure
            groups = m.groups("")
        for convert, group, code_of_value, codes in zip(
            self.converters, groups, self.code_of_value, self.value_codes, strict=True
        ):
            value = convert(group)
            codes.append(code_of_value.setdefault(value, len(code_of_value)))
        self.code_of_text[raw] = len(self.code_of_text)

    def result(self) -> dict[str, tuple[np.ndarray, tuple]]:
        """Each field's codes and table of values."""
        codes = np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.int32)
        return {
            f.attr: (np.array(self.value_codes[n], dtype=np.int32)[codes], tuple(values))
            for n, (f, values) in enumerate(zip(self.fields, self.code_of_value, strict=True))
        }


class _Section:
    """One kind's section read as columns: strings, codes, each record's start in the
    bytes, and the When of each distinct date text."""

    def __init__(self, kind: spec.Kind, strings: tuple[str, ...]):
        self.kind = kind
        reader = canonical.KIND_READERS[kind.name]
        runs = _runs(kind, strings)
        # A group a run: a coded run's lines, a string field's value alone.
        pattern = "".join(
            _run_pattern(kind, r, True)
            if r[0].attr in strings
            else f"({_run_pattern(kind, r, False)})"
            for r in runs
        )
        self.pattern = re.compile(pattern.encode())
        self.whens: dict[str, When] = {}
        nested = {
            f.attr: reader.converters.get(f"convert{n + 1}") for n, f in enumerate(kind.fields)
        }
        self.runs = [
            _StringsCut(kind, r[0])
            if r[0].attr in strings
            else _Coder(kind, r, [self._converter(f, nested[f.attr]) for f in r])
            for r in runs
        ]
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

    def read(self, raw: bytes, start: int, end: int) -> None:
        pos = start
        while pos < end:
            cut = raw.find(b"\n  - ", pos + CHUNK_BYTES, end)  # a record's first line
            cut = end if cut < 0 else cut + 1
            self._read_chunk(raw[pos:cut], pos)
            pos = cut

    def _read_chunk(self, piece: bytes, start: int) -> None:
        # [before the first record, its runs..., between it and the next, ..., after the last]
        parts, step = self.pattern.split(piece), len(self.runs) + 1
        if len(parts) == 1 or any(parts[::step]):
            raise NotSure  # no record, or something between the records the pattern skipped
        columns = [parts[n::step] for n in range(1, step)]
        del parts
        sizes = np.zeros(len(columns[0]), np.int64)  # each record's, in bytes
        for run, column in zip(self.runs, columns, strict=True):
            sizes += run.add(column)
        if int(sizes.sum()) != len(piece):
            raise NotSure  # (cannot be: the pieces between are empty)
        self.starts.append(start + np.cumsum(sizes) - sizes)

    def string_columns(self) -> dict[str, Strings]:
        cuts = (run for run in self.runs if isinstance(run, _StringsCut))
        return {cut.field.attr: _joined(cut.chunks) for cut in cuts}

    def coded(self) -> dict[str, tuple[np.ndarray, tuple]]:
        out = {}
        for run in self.runs:
            if isinstance(run, _Coder):
                out.update(run.result())
        return out

    def record_starts(self) -> np.ndarray:
        return np.concatenate(self.starts)


class _StringsCut:
    """A field kept as strings, from its values as the record's pattern groups them ("" where
    the field is left out); its lines' sizes are the values' and their key's and quotes'."""

    def __init__(self, kind: spec.Kind, f: spec.Field):
        if f.type not in (spec.ID, spec.REF, spec.TEXT):
            raise TypeError(f"no string column reader for {f.type} fields")
        self.field = f
        self.around = sum(_value_cut(kind, f))  # the line's bytes but the value's
        self.chunks: list[Strings] = []

    def add(self, column: list[bytes | None]) -> np.ndarray | int:
        """The strings of a piece's values of the field (None where it is left out), kept;
        and their lines' sizes in bytes."""
        n, f = len(column), self.field
        if not f.written_always and not any(column):
            self.chunks.append(Strings(np.zeros(0, np.uint8), np.zeros(n + 1, np.int64)))
            return 0
        if None in column:
            column = [b"" if value is None else value for value in column]
        joined = b"".join(column)
        lengths = np.fromiter(map(len, column), np.int64, n)
        if f.type == spec.TEXT and b"\\" in joined:  # escapes: the texts they stand for
            self.chunks.append(Strings.of(_texts(column)))
        else:  # the text's own bytes (UTF-8, as the file is)
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            self.chunks.append(Strings(np.frombuffer(joined, np.uint8), offsets))
        # (A field left out has no line; one written always has its line, value or not.)
        present = True if f.written_always else lengths > 0
        return lengths + self.around * present


def _texts(column: list[bytes]):
    """Quoted bodies as texts."""
    return (canonical.text_of(value.decode()) for value in column)


def _joined(parts: list[Strings]) -> Strings:
    """The pieces' strings as one, each piece let go once copied (`parts` is emptied): the
    whole and all its pieces at once were the peak of reading a million titles."""
    sizes = np.cumsum([0] + [len(p.buffer) for p in parts])
    counts = np.cumsum([0] + [len(p) for p in parts])
    buffer = np.empty(int(sizes[-1]), dtype=np.uint8)
    offsets = np.empty(int(counts[-1]) + 1, dtype=np.int64)
    offsets[-1] = sizes[-1]
    parts.reverse()  # popped from the end: the first piece first
    for size, count in zip(sizes[:-1].tolist(), counts[:-1].tolist(), strict=True):
        part = parts.pop()
        buffer[size : size + len(part.buffer)] = part.buffer
        offsets[count : count + len(part)] = part.offsets[:-1] + size
    return Strings(buffer, offsets)


def _cited(cites: tuple[np.ndarray, tuple]) -> tuple[np.ndarray, tuple]:
    """The sources each record cites, each once, from its citations' codes."""
    codes, table = cites
    cited_codes, cited = codes_of([tuple(dict.fromkeys(c.source for c in t)) for t in table])
    return cited_codes[codes], cited


def _read_section(kind: spec.Kind, store: type, raw: bytes, span, known) -> tuple:
    """A kind's section read and vouched for, as what its columns are made of: the section,
    its strings, its coded fields (the sources cited among them) and its texts."""
    section = _Section(kind, store.STRINGS)
    section.read(raw, *span)
    strings, coded = section.string_columns(), section.coded()
    # What `settle` asks of records, asked of the columns: the ids noted (as bytes).
    known[kind.name] = SortedIds.of(strings["id"])
    references_known(kind, {attr: table for attr, (_, table) in coded.items()}, known)
    coded["cited"] = _cited(coded["cites"])
    return section, strings, coded, _texts_in(raw, section.record_starts(), span[1])


def _texts_in(raw: bytes, starts: np.ndarray, end: int) -> Strings:
    """Each record's text as views of the file's bytes, where the records begin at
    `starts` and the last ends at `end`."""
    first = int(starts[0])
    buffer = np.frombuffer(raw, dtype=np.uint8, count=end - first, offset=first)
    return Strings(buffer, np.append(starts, end).astype(np.int64) - first)


def _split(coded: dict, attrs: tuple[str, ...]) -> tuple[dict, dict]:
    """The codes and the tables of these coded fields."""
    return {a: coded[a][0] for a in attrs}, {a: coded[a][1] for a in attrs}


def read_events(raw: bytes, span: tuple[int, int], known) -> EventStore:
    section, strings, coded, texts = _read_section(spec.EVENTS, EventStore, raw, span, known)
    links, answered = coded.pop("responds_to")
    linked = np.array([bool(t) for t in answered], dtype=bool)[links]
    for row in np.flatnonzero(linked).tolist():  # build.py's rule: no event answers itself
        if strings["id"][row] in answered[links[row]]:
            raise NotSure
    codes, tables = _split(coded, EventStore.CODED)
    whens = [section.whens[t] for t in tables["when"]]
    columns = EventColumns(strings, texts, codes, tables, linked, date_numbers(whens))
    return EventStore(columns, read_event)


def read_demands(raw: bytes, span: tuple[int, int], known) -> DemandStore:
    section, strings, coded, texts = _read_section(spec.DEMANDS, DemandStore, raw, span, known)
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


# The store readers `fastread.read_fast_bytes` takes.
STORES: dict[str, Callable] = {"events": read_events, "demands": read_demands}
