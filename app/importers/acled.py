"""ACLED exports (CSV from the API or the website): conflict events coded by actor, date
precision, type and source. Mapping after the codebook (FORMATS.md, section 5)."""

from __future__ import annotations

import operator
import re
from functools import lru_cache

from app.importers.base import ImportFailed, ProjectBuilder, key, when_of
from app.records.model import Cite, Event
from app.records.when import WhenError

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


def read(table, b: ProjectBuilder) -> None:
    """The rows of an ACLED table as events. Rows may come as they are parsed (a
    stream) or from a table kept whole. The cells that repeat from row to row (dates,
    actors, sources, types, places) are read once per distinct cell: a row costs what its
    own text costs."""
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
    # The caches' own lookups, here in the loop; a cell not seen before goes to `cells`.
    actors, dates, cites_of, types, places, tags_of = (
        cells._actors.get,
        cells._dates.get,
        cells._cites.get,
        cells._types.get,
        cells._places.get,
        cells._tags.get,
    )
    report = b.report
    for n, row in enumerate(rows, start=2):
        report.rows += 1
        if len(row) != width:
            b.skip(n, f"{len(row)} cells where the header has {width}")
            continue
        if padded:
            row = [*row, ""]  # the cell of a missing column (a kept table stays as read)
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
        ) = pick(row)
        actor = actors((actor1, inter1)) or cells.actor(actor1, inter1)
        if actor is None:
            b.skip(n, "no actor1")
            continue
        when = dates((date, precision)) or cells.when(date, precision)
        if when.__class__ is str:
            b.skip(n, when)
            continue
        approximated = cells.precision(precision) if precision != "1" else ""
        if approximated:
            b.approximated_row(n, approximated)
        lane, own = actor if actor[0] else cells.lane(actor1, inter1)
        with_ = cells.with_(own, actor2, assoc1, assoc2)
        notes = notes.strip()
        title = _first_sentence(notes) if notes else ""
        if not title:
            title = f"{sub_type.strip()} in {location.strip()}".strip()
        cites = cites_of(source) or cells.cites(source)
        eid = eid.strip()
        kind = types(sub_type)
        place = places(location)
        b.event(
            Event(
                id=b.new_id(eid or title, "event"),
                actor=lane,
                title=title,
                when=when,
                with_=with_,
                type=cells.type(sub_type) if kind is None else kind,
                text=_text(notes, cells.place(location) if place is None else place, fatalities),
                cites=cites,
                tags=tags_of((event_type, country)) or cells.tags(event_type, country),
            )
        )


def _text(notes: str, place: str, fatalities: str) -> str:
    """The note, then the place and the deaths, each on a line of its own."""
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
        opening = _DATE_OPENING.match(text)
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
