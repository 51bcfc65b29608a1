"""The ACLED reader of commit d3976cb, as it was (app/importers/acled.py then), kept for
tests/app/test_acled_columns.py to hold the reader a column at a time to: rows read a
chunk at a time, lanes, sources and ids made row by row."""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from itertools import islice

from app.importers.base import ImportFailed, ProjectBuilder, key, maker, when_of
from app.records.model import Cite, Event
from app.records.when import WhenError

new_event = maker(Event)  # the events, made as Event(...) makes them, in half the time
COLUMNS = {"event_id_cnty", "event_date", "actor1", "sub_event_type", "notes"}
# ACLED's sub-event types, in Demarche's vocabulary (app/vocabulary.py).
TYPES = {
    "agreement": "agree",
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protesters": "coerce",
    "violent demonstration": "protest",
    "mob violence": "assault",
    "armed clash": "fight",
    "government regains territory": "fight",
    "non-state actor overtakes territory": "fight",
    "air/drone strike": "assault",
    "shelling/artillery/missile attack": "assault",
    "remote explosive/landmine/ied": "assault",
    "suicide bomb": "assault",
    "grenade": "assault",
    "chemical weapon": "mass-violence",
    "attack": "assault",
    "abduction/forced disappearance": "coerce",
    "sexual violence": "assault",
    "arrests": "coerce",
    "change to group/activity": "mobilize",
    "disrupted weapons use": "reduce-relations",
    "headquarters or base established": "mobilize",
    "looting/property destruction": "coerce",
    "non-violent transfer of territory": "concede",
    "other": "",
}


def looks_like(header: list[str]) -> bool:
    return COLUMNS <= {key(h).replace(" ", "_") for h in header}


CHUNK = 1024  # rows read a column at a time


def read(table, b: ProjectBuilder) -> None:
    """The rows of an ACLED table as events. Rows may come as they are parsed (a
    stream) or from a table kept whole; they are read CHUNK at a time, a column at a
    time where a cell's meaning does not depend on the rows before (dates, titles,
    texts, types, places, tags), then row by row where it does (lanes, sources and ids
    are made in the order the rows first name them). The cells that repeat from row to
    row are read once per distinct cell: a row costs what its own text costs."""
    header, rows = table
    if not looks_like(header):
        missing = COLUMNS - {key(h) for h in header}
        raise ImportFailed(f"not an ACLED export: no column {', '.join(sorted(missing))}")
    col = {key(h): i for i, h in enumerate(header)}
    width = len(header)
    # One itemgetter for all the cells a row needs; a missing column reads an empty cell.
    pick = operator.itemgetter(*(col.get(name, width) for name in CELLS))
    padded = any(name not in col for name in CELLS)
    cells = _Cells(b)
    rows, n, chunk = iter(rows), 2, [None] * CHUNK
    while len(chunk) == CHUNK:
        chunk, held = _pull(rows, b.report)
        if chunk:
            _read_chunk(cells, chunk, held, n, pick, width, padded)
            n += len(chunk)
        b.report.skipped += held.get(len(chunk), [])  # rows left out after the last read


def _pull(rows, report) -> tuple[list, dict[int, list[str]]]:
    """The next CHUNK rows, and the rows the stream left out while they were parsed
    ({rows before them: their report lines}), to be told in the order they were met,
    as when the rows were read one by one."""
    chunk: list[list[str]] = []
    held: dict[int, list[str]] = {}
    skipped, report.skipped = report.skipped, []
    try:
        for row in islice(rows, CHUNK):
            if report.skipped:
                held[len(chunk)] = report.skipped
                report.skipped = []
            chunk.append(row)
        if report.skipped:
            held[len(chunk)] = report.skipped
    finally:
        report.skipped = skipped
    return chunk, held


def _filled(found: list, compute, *columns) -> list:
    """`found`, each None in it computed from the cells of its row."""
    if None not in found:
        return found
    return [f if f is not None else compute(*c) for f, *c in zip(found, *columns, strict=True)]


def _read_chunk(cells: _Cells, chunk: list, held: dict, first: int, pick, width, padded):
    b = cells.b
    if padded:
        chunk = [[*row, ""] for row in chunk]  # (a kept table stays as read)
        width += 1
    if set(map(len, chunk)) == {width}:
        picked = list(map(pick, chunk))
    else:  # a row of another length reads as blank here, and is skipped below
        blank = pick([""] * width)
        picked = [pick(row) if len(row) == width else blank for row in chunk]
    (
        eid,
        date,
        precision,
        actor1,
        inter1,
        actor2,
        assoc1,
        assoc2,
        notes,
        sub_type,
        location,
        source,
        event_type,
        country,
        fatalities,
    ) = zip(*picked, strict=True)
    # A column at a time: what a cell means, from the cell alone.
    actors = _filled(
        list(map(cells._actors.get, zip(actor1, inter1, strict=True))), cells.actor, actor1, inter1
    )
    whens = _filled(
        list(map(cells._dates.get, zip(date, precision, strict=True))), cells.when, date, precision
    )
    notes = list(map(str.strip, notes))
    titles = list(map(_first_sentence, notes))
    places = _filled(list(map(cells._places.get, location)), cells.place, location)
    texts = list(map(_text, notes, places, fatalities))
    kinds = _filled(list(map(cells._types.get, sub_type)), cells.type, sub_type)
    tags = _filled(
        list(map(cells._tags.get, zip(event_type, country, strict=True))),
        cells.tags,
        event_type,
        country,
    )
    eids = list(map(str.strip, eid))
    # Row by row: the lanes, sources and ids, made in the order the rows name them.
    report, cites_of, event, new_id = b.report, cells._cites.get, b.event, b.new_id
    for at, (row, actor, when, title, text, kind, tag, eid) in enumerate(
        zip(chunk, actors, whens, titles, texts, kinds, tags, eids, strict=True)
    ):
        n = first + at
        report.rows = n - 1
        if at in held:
            report.skipped += held[at]
        if len(row) != width:
            b.skip(n, f"{len(row) - padded} cells where the header has {width - padded}")
            continue
        if not actor:
            b.skip(n, "no actor1")
            continue
        if when.__class__ is str:
            b.skip(n, when)
            continue
        if precision[at] != "1":
            approximated = cells.precision(precision[at])
            if approximated:
                b.approximated_row(n, approximated)
        lane, own = actor if actor[0] else cells.lane(actor1[at], inter1[at])
        with_ = cells.with_(own, actor2[at], assoc1[at], assoc2[at])
        if not title:
            title = f"{sub_type[at].strip()} in {location[at].strip()}".strip()
        cites = cites_of(source[at]) or cells.cites(source[at])
        event(
            new_event(
                id=new_id(eid or title, "event"),
                actor=lane,
                title=title,
                when=when,
                with_=with_,
                type=kind,
                text=text,
                cites=cites,
                tags=tag,
            )
        )
    report.rows = first + len(chunk) - 2


def _text(notes: str, place: str, fatalities: str) -> str:
    """The note (stripped), then the place and the deaths, each on a line of its own."""
    fatalities = fatalities.strip()
    tail = place if fatalities in ("", "0") else f"{place}\nFatalities: {fatalities}"
    return notes + tail if notes else tail[1:]


class _Cells:
    """What a cell means, worked out once per distinct cell (rows repeat them: 2,000
    actors, a few hundred sources and dates over 100,000 rows). The lanes and sources are
    made in the order the rows first name them, as a row by row reading makes them."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self._actors: dict[tuple[str, str], tuple] = {}  # (actor1, inter1): ("", key) or lane
        self._lanes: dict[str, tuple] = {}  # a name as written: (lane, key), () for none
        self._dates: dict[tuple[str, str], object] = {}  # When, or why not (a str)
        self._cites: dict[str, tuple[Cite, ...]] = {}  # a source cell: its citations
        self._cite_of: dict[str, Cite] = {}  # a source's name: its citation
        self._types: dict[str, str] = {}
        self._places: dict[str, str] = {}
        self._tags: dict[tuple[str, str], tuple[str, ...]] = {}

    def actor(self, cell: str, inter: str):
        """None for an empty actor1; else ("", its key) until its lane is made, (lane,
        key) after."""
        found = self._actors.get((cell, inter))
        if found is None:
            name = cell.strip()
            found = self._actors[cell, inter] = ("", key(name)) if name else ()
        return found or None

    def lane(self, cell: str, inter: str) -> tuple[str, str]:
        """The lane of actor1 (made when new, of the kind inter1 says)."""
        own = key(cell.strip())
        lane = self.b.actor(cell.strip(), kind=inter.strip())
        self._actors[cell, inter] = found = (lane, own)
        return found

    def when(self, date: str, precision: str):
        found = self._dates.get((date, precision))
        if found is None:
            try:
                found = _date(date.strip(), precision.strip())
            except WhenError as exc:
                found = f"event_date: {exc}"
            self._dates[date, precision] = found
        return found

    def precision(self, cell: str) -> str:
        return PRECISIONS.get(cell) or PRECISIONS.get(cell.strip(), "")

    def _lane_of(self, cell: str) -> tuple:
        """(lane, key) of an actor named beside actor1 (made when new); () for none."""
        name = cell.strip()
        found = self._lanes[cell] = (self.b.actor(name), key(name)) if name else ()
        return found

    def with_(self, own: str, actor2: str, assoc1: str, assoc2: str) -> tuple[str, ...]:
        """The lanes of actor2 and the associated actors (cells of names split by `;`),
        other than the event's own, each once."""
        lanes: list[str] = []
        lane_of = self._lanes.get
        if actor2:
            found = lane_of(actor2) or self._lane_of(actor2)
            if found and found[1] != own:
                lanes.append(found[0])
        for cell in (assoc1, assoc2):
            if not cell:
                continue
            for name in cell.split(";") if ";" in cell else (cell,):
                found = lane_of(name) or self._lane_of(name)
                if found and found[1] != own and found[0] not in lanes:
                    lanes.append(found[0])
        return tuple(lanes)

    def cites(self, cell: str) -> tuple[Cite, ...]:
        """The citations of a source cell, one a source (two names may be one source)."""
        found = self._cites.get(cell)
        if found is None:
            out: dict[str, Cite] = {}
            for name in _names(cell.strip()):
                cite = self._cite_of.get(name)
                if cite is None:
                    cite = self._cite_of[name] = Cite(source=self.b.source(name, publisher=name))
                out.setdefault(cite.source, cite)
            found = self._cites[cell] = tuple(out.values())
        return found

    def type(self, cell: str) -> str:
        found = self._types.get(cell)
        if found is None:
            found = self._types[cell] = TYPES.get(key(cell.strip()), "")
        return found

    def place(self, cell: str) -> str:
        """The line of the location, with the line feed before it ("" for none)."""
        found = self._places.get(cell)
        if found is None:
            where = cell.strip()
            found = self._places[cell] = f"\nLocation: {where}" if where else ""
        return found

    def tags(self, event_type: str, country: str) -> tuple[str, ...]:
        found = self._tags.get((event_type, country))
        if found is None:
            found = tuple(t for t in (event_type.strip(), country.strip()) if t)
            self._tags[event_type, country] = found
        return found


# The cells read, in the order `read` unpacks them.
CELLS = (
    "event_id_cnty event_date time_precision actor1 inter1 actor2 assoc_actor_1 "
    "assoc_actor_2 notes sub_event_type location source event_type country fatalities"
).split()
PRECISIONS = {
    "2": "time_precision 2: about the day (~)",
    "3": "time_precision 3: the month",
}


@lru_cache(maxsize=4096)  # dates repeat: a year of daily events has 365
def _date(text: str, precision: str):
    """event_date in either form (2022-06-30, 30 June 2022); time_precision 2 is about
    the day (~), 3 the month."""
    when = when_of(text)
    if precision == "2":
        return when_of(when.text + "~")
    if precision == "3" and when.start is not None and when.start.month:
        return when_of(f"{when.start.year:04d}-{when.start.month:02d}")
    return when


def _names(text: str) -> list[str]:
    if ";" not in text:  # most cells: empty, or one name
        return [text] if text else []
    return [x.strip() for x in text.split(";") if x.strip()]


# ACLED's notes begin with the date the chart already shows: "On 6 February 2022, ...",
# "On or around 6 February 2022 (between ...),", "Around 6 February 2022,", "In February 2022,".
_DATE_OPENING = re.compile(
    r"(?:On|In|Around|As of|Between)(?: or (?:around|about))?\s+(?:the night of\s+)?"
    r"(?:\d{1,2}(?:-\d{1,2})?\s+)?[A-Z][a-z]+\s+\d{4}(?:\s*\([^)]{0,80}\))?\s*,?\s+"
)
# The usual opening ("On 6 February 2022, " before a word), matched alike by the pattern
# above and in a third of its time.
_USUAL_OPENING = re.compile(r"On \d{1,2} [A-Z][a-z]+ \d{4}, (?=\S)")


def _sentence_end(text: str, start: int = 1) -> int:
    """Where the first . ! or ? from `start` on is followed by a space or the end; -1 for
    none. str.find, not a pattern: notes run to hundreds of characters and this is read
    on every row."""
    best = -1
    for mark in ".!?":
        at = text.find(mark, start)
        while at >= 0 and (best < 0 or at < best):
            after = text[at + 1 : at + 2]
            if not after or after.isspace():
                best = at
                break
            at = text.find(mark, at + 1)
    return best


def _first_sentence(text: str) -> str:
    """The note's first sentence, without the date it opens with (its first letter then
    made a capital), at most 160 characters."""
    if not text:
        return ""
    start = 0
    if text[:1] in "OIAB":
        opening = _USUAL_OPENING.match(text) or _DATE_OPENING.match(text)
        if opening and len(text) > opening.end():
            start = opening.end()
    first = text[start].upper() if start else text[:1]
    if len(first) != 1:  # a letter whose capital is two (ß): the text made anew
        text, start, first = first + text[start + 1 :], 0, first[0]
    # Up to the first . ! or ? that ends a word (one character at least before it),
    # within the first line; the whole text when there is none. Read in place: the
    # note itself is not copied.
    end = _sentence_end(text, start + 1)
    if end > 0 and text.find("\n", start, end) < 0:
        sentence = (first + text[start + 1 : end + 1]).strip()
    else:
        sentence = (first + text[start + 1 :]).strip()
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"
