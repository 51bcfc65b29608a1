"""ACLED exports (CSV from the API or the website): conflict events coded by actor, date
precision, type and source. Mapping after the codebook (FORMATS.md, section 5)."""

from __future__ import annotations

import operator
from functools import lru_cache
from itertools import islice
from operator import itemgetter

from app.importers.acledtitles import _DATE_OPENING, _USUAL_OPENING, _first_sentence  # noqa: F401
from app.importers.base import ImportFailed, ProjectBuilder, key, maker, when_of
from app.importers.eventcolumns import EventTexts
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
    time: what a cell means is worked out once per distinct cell (rows repeat them: a
    row costs what its own text costs). Lanes, sources and ids are still made in the
    order the rows first name them: a chunk that names none not seen before has its ids
    made a column at a time, any other row by row. Where the builder allows it (a new
    project, read once: the command line), the events are kept as columns with their
    text in the project file (app/importers/eventcolumns.py), no record made."""
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
    events = b.project.events
    into = EventTexts() if b.events_as_columns and events.__class__ is list and not events else None
    rows, n, chunk = iter(rows), 2, [None] * CHUNK
    while len(chunk) == CHUNK:
        chunk, held = _pull(rows, b.report)
        if chunk:
            _read_chunk(cells, chunk, held, n, pick, width, padded, into)
            n += len(chunk)
        b.report.skipped += held.get(len(chunk), [])  # rows left out after the last read
    if into is not None and into.count:
        b.project.events = into.store()


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


def _read_chunk(cells: _Cells, chunk: list, held: dict, first: int, pick, width, padded, into):
    b = cells.b
    if padded:
        chunk = [[*row, ""] for row in chunk]  # (a kept table stays as read)
        width += 1
    whole = set(map(len, chunk)) == {width}
    if whole:
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
    report = b.report
    # The rows skipped (of another length, no actor, a bad date), told in the order met
    # with the rows the stream left out; the others kept, a column at a time.
    if whole and all(actors) and str not in set(map(type, whens)):
        kept = None
    else:
        kept = _skipped(b, chunk, held, first, width, padded, actors, whens)
        held = {}
    for at in sorted(held):
        if at < len(chunk):
            report.skipped += held[at]
    if kept is not None:
        (
            eid,
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
            actors,
            whens,
        ) = (
            [column[at] for at in kept]
            for column in (
                eid,
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
                actors,
                whens,
            )
        )
    rows = list(range(first, first + len(chunk))) if kept is None else [first + at for at in kept]
    report.rows = first + len(chunk) - 2
    if not rows:
        return
    _approximations(cells, rows, precision)
    notes = list(map(str.strip, notes))
    titles = list(map(_first_sentence, notes))
    if "" in titles:
        titles = [
            t or f"{s.strip()} in {p.strip()}".strip()
            for t, s, p in zip(titles, sub_type, location, strict=True)
        ]
    places = _filled(list(map(cells._places.get, location)), cells.place, location)
    texts = list(map(_text, notes, places, fatalities))
    kinds = _filled(list(map(cells._types.get, sub_type)), cells.type, sub_type)
    tags = _filled(
        list(map(cells._tags.get, zip(event_type, country, strict=True))),
        cells.tags,
        event_type,
        country,
    )
    wanted = [e or t for e, t in zip(map(str.strip, eid), titles, strict=True)]
    lanes, with_, cites, ids = cells.named(
        actors, actor1, inter1, actor2, assoc1, assoc2, source, wanted
    )
    if into is not None:
        size = into.add(ids, lanes, with_, titles, whens, kinds, texts, cites, tags)
        b.made_elsewhere("events", ids, size)
        return
    event = b.event
    for i, lane, title, when, w, kind, text, c, tag in zip(
        ids, lanes, titles, whens, with_, kinds, texts, cites, tags, strict=True
    ):
        event(
            new_event(
                id=i,
                actor=lane,
                title=title,
                when=when,
                with_=w,
                type=kind,
                text=text,
                cites=c,
                tags=tag,
            )
        )


def _skipped(b, chunk, held, first, width, padded, actors, whens) -> list[int]:
    """The rows of a chunk to keep; the others skipped, each told (with the rows the
    stream left out before it) in the order met."""
    kept = []
    for at, (row, actor, when) in enumerate(zip(chunk, actors, whens, strict=True)):
        if at in held:
            b.report.skipped += held[at]
        n = first + at
        if len(row) != width:
            b.skip(n, f"{len(row) - padded} cells where the header has {width - padded}")
        elif not actor:
            b.skip(n, "no actor1")
        elif when.__class__ is str:
            b.skip(n, when)
        else:
            kept.append(at)
    return kept


def _approximations(cells: _Cells, rows: list[int], precision) -> None:
    """Rows whose date is approximate (time_precision 2 or 3), counted."""
    if precision.count("1") == len(precision):
        return
    for n, cell in zip(rows, precision, strict=True):
        if cell != "1":
            approximated = cells.precision(cell)
            if approximated:
                cells.b.approximated_row(n, approximated)


def _text(notes: str, place: str, fatalities: str) -> str:
    """The note (stripped), then the place and the deaths, each on a line of its own."""
    fatalities = fatalities.strip()
    tail = place if fatalities in ("", "0") else f"{place}\nFatalities: {fatalities}"
    return notes + tail if notes else tail[1:]


def _with(own: str, a2: tuple, s1: tuple, s2: tuple) -> tuple[str, ...]:
    """The lanes of a row's actor2 and associated actors ((lane, key) each), other than
    the event's own (by key), each once."""
    found = a2 + s1 + s2
    if not found:
        return ()
    lanes = [lane for lane, k in found if k != own]
    return tuple(dict.fromkeys(lanes)) if len(lanes) > 1 else tuple(lanes)


class _Cells:
    """What a cell means, worked out once per distinct cell (rows repeat them: 2,000
    actors, a few hundred sources and dates over 100,000 rows). The lanes and sources are
    made in the order the rows first name them, as a row by row reading makes them."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self._actors: dict[tuple[str, str], tuple] = {}  # (actor1, inter1): ("", key) or lane
        self._lanes: dict[str, tuple] = {}  # a name as written: (lane, key), () for none
        self._actor2: dict[str, tuple] = {}  # an actor2 cell: ((lane, key),) or ()
        self._assoc: dict[str, tuple] = {}  # an associated actors cell: (lane, key) each
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

    def others(self, cell: str, split: bool) -> tuple:
        """The (lane, key) of each actor a cell of actor2 (one name) or of associated
        actors (names split by `;`) names, in order (each made when new)."""
        cache = self._assoc if split else self._actor2
        found = cache.get(cell)
        if found is None:
            lane_of = self._lanes.get
            names = cell.split(";") if split and ";" in cell else (cell,) if cell else ()
            found = cache[cell] = tuple(
                f for f in (lane_of(name) or self._lane_of(name) for name in names) if f
            )
        return found

    def named(self, actors, actor1, inter1, actor2, assoc1, assoc2, source, wanted) -> tuple:
        """Each row's lane, `with` lanes, citations and id. What rows name for the first
        time is made in the order a row by row reading makes it: a row's lanes (actor1,
        actor2, then the associated actors), its sources, then its event's id. A chunk
        that names nothing new has them all found a column at a time."""
        b = self.b
        if "" not in map(itemgetter(0), actors) and self._nothing_new(
            actor2, assoc1, assoc2, source
        ):
            return (
                list(map(itemgetter(0), actors)),
                list(
                    map(
                        _with,
                        map(itemgetter(1), actors),
                        map(self._actor2.__getitem__, actor2),
                        map(self._assoc.__getitem__, assoc1),
                        map(self._assoc.__getitem__, assoc2),
                    )
                ),
                list(map(self._cites.__getitem__, source)),
                b.new_ids(wanted, "event"),
            )
        lanes, with_, cites, ids = [], [], [], []
        for at, actor in enumerate(actors):
            lane, own = actor if actor[0] else self.lane(actor1[at], inter1[at])
            lanes.append(lane)
            with_.append(
                _with(
                    own,
                    self.others(actor2[at], False),
                    self.others(assoc1[at], True),
                    self.others(assoc2[at], True),
                )
            )
            cites.append(self._cites.get(source[at]) or self.cites(source[at]))
            ids.append(b.new_id(wanted[at], "event"))
        return lanes, with_, cites, ids

    def _nothing_new(self, actor2, assoc1, assoc2, source) -> bool:
        """Whether the cells of a chunk name only lanes and sources made before; then each
        cell not seen before is worked out now (what it finds is made already, so the
        order does not count)."""
        lanes, actors = self._lanes, self.b.actors
        for cache, split, column in (
            (self._actor2, False, actor2),
            (self._assoc, True, assoc1),
            (self._assoc, True, assoc2),
        ):
            for cell in set(column).difference(cache):
                found = []
                for name in cell.split(";") if split and ";" in cell else (cell,):
                    lane = lanes.get(name)
                    if lane is None:
                        if name.strip() and key(name.strip()) not in actors:
                            return False  # a new lane: made in its row's turn
                        lane = self._lane_of(name)
                    if lane:
                        found.append(lane)
                cache[cell] = tuple(found)
        cite_of, sources = self._cite_of, self.b.sources
        for cell in set(source).difference(self._cites):
            for name in _names(cell.strip()):
                if name not in cite_of and key(name) not in sources:
                    return False
            self.cites(cell)
        return True

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
