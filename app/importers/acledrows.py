"""The rows of an ACLED file a chunk at a time, for app/importers/acled.py: read by the
importer itself (`OwnRows`), or by a helper process (app/importers/ahead.py) on the other
core, a chunk ahead (`start`). The helper parses the rows and writes the part of each
event's text that the event's own cells make (title, date, type, note, tags: most of
the work); the importer gets, for each chunk, only the cells that name what depends on
the rows before (lanes, sources, ids) and those parts, and does the rest as it would
have. What crosses is one `marshal` buffer a chunk: strings and bytes, no records.

The rows are the importer's as it would have read them, the rows the stream leaves out
(a cell over the limit) and moves (blank rows) told as it tells them. When the helper
cannot start, or stops (the file cannot be read, or changed), the importer reads the
rest itself, from where the helper stopped."""

from __future__ import annotations

import marshal
from collections import namedtuple
from collections.abc import Iterator
from functools import partial
from itertools import compress, islice, repeat
from operator import add, is_

from app.importers import ahead
from app.importers.acledcells import Cells
from app.importers.acledtitles import _first_sentence
from app.importers.base import ProjectBuilder
from app.importers.eventcolumns import EventTexts

# A chunk's rows read: how many, the rows the stream left out (pull_rows), the columns of
# the cells read, each row's length when not all have the header's (else None), and
# the parts of the events' texts when a helper wrote them (EventTexts.parts).
Step = namedtuple("Step", "count held c lengths parts")


class OwnRows:
    """The rows as this process reads them, `size` a chunk: where the helper did not (from
    where it stopped), or again when its parts do not do (a chunk made records)."""

    def __init__(self, rows, b: ProjectBuilder, layout, size: int):
        self.rows, self.b, self.layout, self.size = rows, b, layout, size
        self.at = self.read = 0  # the chunks given (here or by the helper), read here
        self._shifts = len(b.row_shifts)  # (the stream's, before its rows)

    def given(self) -> None:
        self.at += 1

    def pull(self) -> Step:
        """The next chunk (after those the helper gave, read again to find their end)."""
        if self.read < self.at:
            # Read again: what the stream tells of them (rows left out, moved) told once.
            del self.b.row_shifts[self._shifts :]
            while self.read < self.at:
                pull_rows(self.rows, self.b.report, self.size)
                self.read += 1
        chunk, held = pull_rows(self.rows, self.b.report, self.size)
        self.at += 1
        self.read += 1
        if not chunk:
            return Step(0, held, None, None, None)
        c, chunk, width, whole = columns_of(chunk, self.layout)
        return Step(len(chunk), held, c, None if whole else list(map(len, chunk)), None)

    def again(self) -> Columns:
        """All the columns of the chunk last given (by the helper), read here."""
        self.at -= 1
        return self.pull().c


def pull_rows(rows, report, size: int) -> tuple[list, dict[int, list[str]]]:
    """The next `size` rows, and the rows the stream left out while they were parsed
    ({rows before them: their report lines}), to be told in the order they were met,
    as when the rows were read one by one."""
    chunk: list[list[str]] = []
    held: dict[int, list[str]] = {}
    skipped, report.skipped = report.skipped, []
    try:
        for row in islice(rows, size):
            if report.skipped:
                held[len(chunk)] = report.skipped
                report.skipped = []
            chunk.append(row)
        if report.skipped:
            held[len(chunk)] = report.skipped
    finally:
        report.skipped = skipped
    return chunk, held


def filled(found: list, compute, *columns) -> list:
    """`found` (a list of its own), each None in it computed from the cells of its row,
    only those rows read (a chunk that names a new date or place names few)."""
    if None in found:
        for at in list(compress(range(len(found)), map(is_, found, repeat(None)))):
            found[at] = compute(*[column[at] for column in columns])
    return found


# The columns a chunk's rows are read from, in the order `pick` gives them.
Columns = namedtuple(
    "Columns",
    "eid date precision actor1 inter1 actor2 assoc1 assoc2 notes sub_type location source"
    " event_type country fatalities",
)


# How a row's cells are picked: `pick` them from a row `width` long, `padded` with an
# empty cell for the columns the table lacks.
Layout = namedtuple("Layout", "pick width padded")


def columns_of(chunk: list, layout: Layout) -> tuple[Columns, list, int, bool]:
    """The columns of a chunk's cells; its rows and their width (padded); whether each
    row has it (a row of another length reads as blank, and is skipped)."""
    pick, width, padded = layout
    if padded:
        chunk = [[*row, ""] for row in chunk]  # (a kept table stays as read)
        width += 1
    whole = set(map(len, chunk)) == {width}
    if whole:
        picked = list(map(pick, chunk))
    else:
        blank = pick([""] * width)
        picked = [pick(row) if len(row) == width else blank for row in chunk]
    return Columns(*zip(*picked, strict=True)), chunk, width, whole


def titles_of(notes: list[str], c: Columns) -> list[str]:
    """Each event's title: its note's first sentence, else what happened where."""
    titles = list(map(_first_sentence, notes))
    if "" in titles:
        titles = [
            t or f"{s.strip()} in {p.strip()}".strip()
            for t, s, p in zip(titles, c.sub_type, c.location, strict=True)
        ]
    return titles


def event_fields(cells: Cells, c: Columns) -> tuple[list, list, list, list]:
    """Each event's title, type, text and tags: from its own cells alone."""
    notes = list(map(str.strip, c.notes))
    titles = titles_of(notes, c)
    # The place and the deaths after the note, each worked out once per distinct cell.
    places = filled(list(map(cells._places.get, c.location)), cells.place, c.location)
    deaths = filled(list(map(cells._deaths.get, c.fatalities)), cells.deaths, c.fatalities)
    tails = list(map(add, places, deaths))
    texts = list(map(add, notes, tails)) if "" not in notes else list(map(_text, notes, tails))
    kinds = filled(list(map(cells._types.get, c.sub_type)), cells.type, c.sub_type)
    tags = filled(
        list(map(cells._tags.get, zip(c.event_type, c.country, strict=True))),
        cells.tags,
        c.event_type,
        c.country,
    )
    return titles, kinds, texts, tags


def _text(notes: str, tail: str) -> str:
    """The note (stripped), then the place and the deaths, each on a line of its own."""
    return notes + tail if notes else tail[1:]


def start(b: ProjectBuilder, header: list[str], again, own: OwnRows) -> Helper | None:
    """The helper reading the rows again (`again(on_big_cell)` gives the table anew), in
    chunks as `own` reads them; None where none may start (ahead.start)."""
    found = ahead.start(partial(_messages, b, header, again, own.layout, own.size))
    return None if found is None else Helper(found, b)


class Helper:
    """The importer's end: each chunk's step (Step), in order."""

    def __init__(self, process: ahead.Ahead, b: ProjectBuilder):
        self.process, self.b = process, b

    def next(self) -> Step | None:
        """The next chunk; None when the helper has no more to give (it ended, or failed)."""
        message = self.process.next()
        if message is None:
            return None
        count, held, shifts, lengths, columns, parts = marshal.loads(message)
        self.b.row_shifts += shifts  # (the rows left out before the chunk's, moving it)
        c = Columns(*columns) if count else None
        return Step(count, held, c, lengths, parts)

    def close(self) -> None:
        self.process.close()


def writes_texts(waited: bool, given: int) -> bool:
    """Whether the helper writes the texts of its `given`-th chunk, where the importer
    `waited` for the chunk before (asked for it before it was there). Only where it did
    not: else the chunk goes whole (its cells all sent, the texts written there), sooner.
    So the two share the work as their speeds go (writing every chunk's texts, the helper
    took longer than the importer: 1.8 s of processor time against 1.4 s at 100,000
    rows), and a helper slowed by other work leaves the importer more."""
    return not waited


def _messages(b: ProjectBuilder, header: list[str], again, layout, size, waits) -> Iterator[bytes]:
    """Run by the helper (a copy of the importer's process, its own builder a copy too):
    each chunk of the rows read anew, as a message. `waits()`: how many times the
    importer has waited for one (a tuple of one count)."""
    table = again(b.skip)  # (rows left out told as the importer tells them)
    if list(table[0]) != list(header):
        return
    b.row_shifts = table.row_shifts
    sent = len(b.row_shifts)  # (told of before the rows: the importer knows them)
    cells, texts, rows = Cells(b), EventTexts(), iter(table[1])
    count, given, waited = size, 0, (0,)
    while count == size:
        chunk, held = pull_rows(rows, b.report, size)
        count, given = len(chunk), given + 1
        shifts, sent = b.row_shifts[sent:], len(b.row_shifts)
        if not count:
            yield marshal.dumps((0, held, shifts, None, None, None))
            continue
        c, chunk, _, whole = columns_of(chunk, layout)
        lengths = None if whole else list(map(len, chunk))
        waited, before = waits(), waited
        if writes_texts(waited != before, given):
            columns, parts = _chunk(cells, texts, c)
        else:
            columns, parts = c, None
        yield marshal.dumps((count, held, shifts, lengths, tuple(columns), parts))


def _chunk(cells: Cells, texts: EventTexts, c) -> tuple:
    """What the importer reads of a chunk (Columns) the helper wrote the texts
    of: the ids wanted and the cells that name (the others None), and the parts of the
    events' texts."""
    whens = filled(
        list(map(cells._dates.get, zip(c.date, c.precision, strict=True))),
        cells.when,
        c.date,
        c.precision,
    )
    titles, kinds, notes, tags = event_fields(cells, c)
    wanted = list(map(str.strip, c.eid))
    if "" in wanted:  # (an event without an id is named after its title)
        wanted = [e or t for e, t in zip(wanted, titles, strict=True)]
    dated = [w for w in whens if w.__class__ is not str]
    if dated:  # (a row without a date is skipped: any date in its place)
        if len(dated) < len(whens):
            whens = [w if w.__class__ is not str else dated[0] for w in whens]
        middles, tails = texts.parts(titles, whens, kinds, notes, tags)
    else:
        middles = tails = [b""] * len(whens)
    return c._replace(
        eid=wanted, notes=None, sub_type=None, location=None, event_type=None, country=None,
        fatalities=None,
    ), (middles, tails)  # fmt: skip
