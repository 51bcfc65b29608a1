"""ACLED exports (CSV from the API or the website): conflict events coded by actor, date
precision, type and source. Mapping after the codebook (FORMATS.md, section 5)."""

from __future__ import annotations

import operator
from collections import namedtuple
from itertools import compress, islice, repeat
from operator import add, eq, is_

from app.importers.acledcells import TYPES, Cells  # noqa: F401 - TYPES for the tests
from app.importers.acledtitles import (  # noqa: F401 - the patterns, for the tests
    _DATE_OPENING,
    _USUAL_OPENING,
    _first_sentence,
)
from app.importers.base import ImportFailed, ProjectBuilder, key, maker
from app.importers.eventcolumns import EventTexts
from app.importers.rowgroups import Grouped
from app.records.model import Event
from app.records.plural import counted

new_event = maker(Event)  # the events, made as Event(...) makes them, in half the time
COLUMNS = {"event_id_cnty", "event_date", "actor1", "sub_event_type", "notes"}


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
    cells = Cells(b)
    events = b.project.events
    into = EventTexts() if b.events_as_columns and events.__class__ is list and not events else None
    rows, n, chunk = iter(rows), 2, [None] * CHUNK
    while len(chunk) == CHUNK:
        chunk, held = _pull(rows, b.report)
        if chunk:
            into = _read_chunk(cells, chunk, held, n, pick, width, padded, into)
            n += len(chunk)
        b.report.skipped += held.get(len(chunk), [])  # rows left out after the last read
    if into is not None and into.count:
        b.project.events = into.store({k: b.known(k) for k in ("actors", "sources")})


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
    """`found` (a list of its own), each None in it computed from the cells of its row,
    only those rows read (a chunk that names a new date or place names few)."""
    if None in found:
        for at in list(compress(range(len(found)), map(is_, found, repeat(None)))):
            found[at] = compute(*[column[at] for column in columns])
    return found


# The columns a chunk's rows are read from, in the order `pick` gives them.
_Columns = namedtuple(
    "_Columns",
    "eid date precision actor1 inter1 actor2 assoc1 assoc2 notes sub_type location source"
    " event_type country fatalities",
)


def _read_chunk(cells: Cells, chunk: list, held: dict, first: int, pick, width, padded, into):
    """Reads a chunk's rows into `into` (EventTexts) or as records; gives what to read the
    next chunk into."""
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
    c = _Columns(*zip(*picked, strict=True))
    # A column at a time: what a cell means, from the cell alone.
    actors = _filled(
        list(map(cells._actors.get, zip(c.actor1, c.inter1, strict=True))),
        cells.actor,
        c.actor1,
        c.inter1,
    )
    whens = _filled(
        list(map(cells._dates.get, zip(c.date, c.precision, strict=True))),
        cells.when,
        c.date,
        c.precision,
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
        c = _Columns(*([column[at] for at in kept] for column in c))
        actors, whens = [actors[at] for at in kept], [whens[at] for at in kept]
    rows = list(range(first, first + len(chunk))) if kept is None else [first + at for at in kept]
    report.rows = first + len(chunk) - 2
    if not rows:
        return into
    _approximations(cells, rows, c.precision)
    notes = list(map(str.strip, c.notes))
    titles = list(map(_first_sentence, notes))
    if "" in titles:
        titles = [
            t or f"{s.strip()} in {p.strip()}".strip()
            for t, s, p in zip(titles, c.sub_type, c.location, strict=True)
        ]
    # The place and the deaths after the note, each worked out once per distinct cell.
    places = _filled(list(map(cells._places.get, c.location)), cells.place, c.location)
    deaths = _filled(list(map(cells._deaths.get, c.fatalities)), cells.deaths, c.fatalities)
    tails = list(map(add, places, deaths))
    texts = list(map(add, notes, tails)) if "" not in notes else list(map(_text, notes, tails))
    kinds = _filled(list(map(cells._types.get, c.sub_type)), cells.type, c.sub_type)
    tags = _filled(
        list(map(cells._tags.get, zip(c.event_type, c.country, strict=True))),
        cells.tags,
        c.event_type,
        c.country,
    )
    wanted = [e or t for e, t in zip(map(str.strip, c.eid), titles, strict=True)]
    lanes, with_, cites, ids = cells.named(
        actors, c.actor1, c.inter1, c.actor2, c.assoc1, c.assoc2, c.source, wanted
    )
    if into is not None:
        size = into.add(ids, lanes, with_, titles, whens, kinds, texts, cites, tags)
        if size is not None:
            b.made_elsewhere("events", ids, size)
            return into
        b.adopt("events", into.records())  # records from here on: those before too
        into = None
    if with_.__class__ is Grouped:
        with_, cites = with_.tuples(), cites.tuples()
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
    return None


def _skipped(b, chunk, held, first, width, padded, actors, whens) -> list[int]:
    """The rows of a chunk to keep; the others skipped, each told (with the rows the
    stream left out before it) in the order met."""
    kept = []
    for at, (row, actor, when) in enumerate(zip(chunk, actors, whens, strict=True)):
        if at in held:
            b.report.skipped += held[at]
        n = first + at
        if len(row) != width:
            b.skip(n, f"{counted(len(row) - padded, 'cell')} where the header has {width - padded}")
        elif not actor:
            b.skip(n, "no actor1")
        elif when.__class__ is str:
            b.skip(n, when)
        else:
            kept.append(at)
    return kept


def _approximations(cells: Cells, rows: list[int], precision) -> None:
    """Rows whose date is approximate (time_precision 2 or 3), counted."""
    if precision.count("1") == len(precision):
        return
    # The rows of each approximation, in order, found a distinct cell at a time (a few
    # cells over a chunk), the approximations met in the order of their first rows.
    found: dict[str, list[int]] = {}
    for cell in sorted(set(precision) - {"1"}, key=precision.index):
        approximated = cells.precision(cell)
        if approximated:
            of_cell = list(compress(rows, map(eq, precision, repeat(cell))))
            found[approximated] = sorted(found.get(approximated, []) + of_cell)
    for approximated, of_rows in found.items():
        cells.b.approximated_rows(of_rows, approximated)


def _text(notes: str, tail: str) -> str:
    """The note (stripped), then the place and the deaths, each on a line of its own."""
    return notes + tail if notes else tail[1:]


# The cells read, in the order `read` unpacks them.
CELLS = (
    "event_id_cnty event_date time_precision actor1 inter1 actor2 assoc_actor_1 "
    "assoc_actor_2 notes sub_event_type location source event_type country fatalities"
).split()
