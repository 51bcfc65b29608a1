"""ACLED exports (CSV from the API or the website): conflict events coded by actor, date
precision, type and source. Mapping after the codebook (FORMATS.md, section 5)."""

from __future__ import annotations

import operator
from itertools import compress, repeat
from operator import eq

from app.importers import acledrows
from app.importers.acledcells import TYPES, Cells  # noqa: F401 - TYPES for the tests
from app.importers.acledrows import Columns, Layout, OwnRows, Step, event_fields, filled
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
# A file from this size on is read by a helper process (`read`'s `again`), where it pays
# for the fork and the pipe: 10,000 rows (8.9 MB) took 0.31 s with one, 0.38 s without.
AHEAD_BYTES = 4 << 20


def read(table, b: ProjectBuilder, again=None) -> None:
    """The rows of an ACLED table as events. Rows may come as they are parsed (a
    stream) or from a table kept whole; they are read CHUNK at a time, a column at a
    time: what a cell means is worked out once per distinct cell (rows repeat them: a
    row costs what its own text costs). Lanes, sources and ids are still made in the
    order the rows first name them: a chunk that names none not seen before has its ids
    made a column at a time, any other row by row. Where the builder allows it (a new
    project, read once: the command line), the events are kept as columns with their
    text in the project file (app/importers/eventcolumns.py), no record made. There,
    `again(on_big_cell)`, when given, gives the table anew (a file's): a helper process
    then parses the rows and writes the part of each event's text its own cells make
    (app/importers/acledrows.py), and this one does what depends on the rows before
    (lanes, sources, ids, the rows skipped)."""
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
    own, helper = OwnRows(iter(rows), b, Layout(pick, width, padded), CHUNK), None
    if into is not None and again is not None:
        helper = acledrows.start(b, header, again, own)
    n = 2
    try:
        while True:
            step = helper.next() if helper is not None else None
            if step is None:
                if helper is not None:  # it ended, or failed: the rest read here
                    helper.close()
                    helper = None
                step = own.pull()
            else:
                own.given()
            if step.count:
                into = _read_chunk(cells, step, n, into, own)
                n += step.count
            b.report.skipped += step.held.get(step.count, [])  # rows left out after the last
            if step.count < CHUNK:
                break
            if into is None and helper is not None:  # records from here on: read here
                helper.close()
                helper = None
    finally:
        if helper is not None:
            helper.close()
    if into is not None and into.count:
        b.project.events = into.store({k: b.known(k) for k in ("actors", "sources")})


def _read_chunk(cells: Cells, step: Step, first: int, into, own: OwnRows):
    """Reads a chunk's rows into `into` (EventTexts) or as records; gives what to read the
    next chunk into. A helper's chunk has only the columns that name (`c.eid` the ids
    wanted, titles for those without), and the parts of the texts."""
    b = cells.b
    c, held, lengths, parts = step.c, step.held, step.lengths, step.parts
    padded = own.layout.padded
    width = own.layout.width + padded
    # A column at a time: what a cell means, from the cell alone.
    actors = filled(
        list(map(cells._actors.get, zip(c.actor1, c.inter1, strict=True))),
        cells.actor,
        c.actor1,
        c.inter1,
    )
    whens = filled(
        list(map(cells._dates.get, zip(c.date, c.precision, strict=True))),
        cells.when,
        c.date,
        c.precision,
    )
    report = b.report
    # The rows skipped (of another length, no actor, a bad date), told in the order met
    # with the rows the stream left out; the others kept, a column at a time.
    if lengths is None and all(actors) and str not in set(map(type, whens)):
        kept = None
    else:
        kept = _skipped(b, lengths, held, first, width, padded, actors, whens)
        held = {}
    for at in sorted(held):
        if at < step.count:
            report.skipped += held[at]
    if kept is not None:
        c = Columns(*(_kept(column, kept) for column in c))
        actors, whens = [actors[at] for at in kept], [whens[at] for at in kept]
        if parts is not None:
            parts = _kept(parts[0], kept), _kept(parts[1], kept)
    rows = list(range(first, first + step.count)) if kept is None else [first + at for at in kept]
    report.rows = first + step.count - 2
    if not rows:
        return into
    _approximations(cells, rows, c.precision)
    fields = event_fields(cells, c) if parts is None else None  # titles, kinds, texts, tags
    wanted = list(map(str.strip, c.eid))
    if "" in wanted and parts is None:  # (an event without an id is named after its title)
        wanted = [e or t for e, t in zip(wanted, fields[0], strict=True)]
    lanes, with_, cites, ids = cells.named(
        actors, c.actor1, c.inter1, c.actor2, c.assoc1, c.assoc2, c.source, wanted
    )
    if into is not None:
        if parts is None:
            titles, kinds, texts, tags = fields
            parts = into.parts(titles, whens, kinds, texts, tags)
        size = into.add_parts(ids, lanes, with_, *parts, cites)
        if size is not None:
            b.made_elsewhere("events", ids, size)
            return into
        b.adopt("events", into.records())  # records from here on: those before too
        into = None
    if fields is None:  # a helper's chunk: its cells read here too
        c = own.again()
        fields = event_fields(cells, c if kept is None else Columns(*(_kept(x, kept) for x in c)))
    titles, kinds, texts, tags = fields
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


def _kept(column, kept: list[int]) -> list | None:
    return None if column is None else [column[at] for at in kept]


def _skipped(b, lengths, held, first, width, padded, actors, whens) -> list[int]:
    """The rows of a chunk to keep; the others skipped, each told (with the rows the
    stream left out before it) in the order met. `lengths`: of the rows (padded), when
    not all are `width` long."""
    kept = []
    for at, (actor, when) in enumerate(zip(actors, whens, strict=True)):
        if at in held:
            b.report.skipped += held[at]
        n = first + at
        if lengths is not None and lengths[at] != width:
            cells = counted(lengths[at] - padded, "cell")
            b.skip(n, f"{cells} where the header has {width - padded}")
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


# The cells read, in the order `read` unpacks them.
CELLS = (
    "event_id_cnty event_date time_precision actor1 inter1 actor2 assoc_actor_1 "
    "assoc_actor_2 notes sub_event_type location source event_type country fatalities"
).split()
