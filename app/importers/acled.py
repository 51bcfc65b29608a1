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


def read(table, b: ProjectBuilder, consume: bool = False) -> None:
    """`consume`: each row is let go once read (its memory goes to the records), when
    nobody keeps the table to read it again."""
    header, rows = table
    if not looks_like(header):
        missing = COLUMNS - {key(h) for h in header}
        raise ImportFailed(f"not an ACLED export: no column {', '.join(sorted(missing))}")
    col = {key(h): i for i, h in enumerate(header)}
    width = len(header)
    # One itemgetter for all the cells a row needs; a missing column reads an empty cell.
    pick = operator.itemgetter(*(col.get(name, width) for name in CELLS))
    cites_of: dict[str, tuple[Cite, ...]] = {}  # a source cell: its citations, made once
    cite_of: dict[str, Cite] = {}  # a source's name: its citation (cells combine 300 names)
    lane_of: dict[tuple[str, str], str] = {}  # (actor name, inter1): lane, looked up once
    for n, row in enumerate(rows, start=2):
        b.report.rows += 1
        if consume:
            rows[n - 2] = None
        if len(row) != width:
            b.skip(n, f"{len(row)} cells where the header has {width}")
            continue
        row = [*row, ""]  # the cell of a missing column (the table itself is kept as read)
        eid, date, precision, actor_name, inter1, actor2, assoc1, assoc2, notes, sub_type, *rest = (
            map(str.strip, pick(row))
        )
        location, source, event_type, country, fatalities = rest
        if not actor_name:
            b.skip(n, "no actor1")
            continue
        try:
            when = _date(date, precision)
        except WhenError as exc:
            b.skip(n, f"event_date: {exc}")
            continue
        if precision in PRECISIONS:
            b.approximated_row(n, PRECISIONS[precision])
        actor = lane_of.get((actor_name, inter1))
        if actor is None:
            actor = lane_of[actor_name, inter1] = b.actor(actor_name, kind=inter1)
        with_ = _with(b, lane_of, actor_name, (actor2, *_names(assoc1), *_names(assoc2)))
        title = _first_sentence(notes) or f"{sub_type} in {location}".strip()
        cites = cites_of.get(source)
        if cites is None:  # a cell not seen before: its names, each a source made once
            cites = cites_of[source] = _cites(b, cite_of, source)
        extra = [notes, f"Location: {location}" if location else ""]
        if fatalities not in ("", "0"):
            extra.append(f"Fatalities: {fatalities}")
        b.event(
            Event(
                id=b.new_id(eid or title, "event"),
                actor=actor,
                title=title,
                when=when,
                with_=with_,
                type=TYPES.get(key(sub_type), ""),
                text="\n".join(x for x in extra if x),
                cites=cites,
                tags=tuple(t for t in (event_type, country) if t),
            )
        )


# The cells read, in the order `read` unpacks them.
CELLS = (
    "event_id_cnty event_date time_precision actor1 inter1 actor2 assoc_actor_1 "
    "assoc_actor_2 notes sub_event_type location source event_type country fatalities"
).split()
PRECISIONS = {
    "2": "time_precision 2: about the day (~)",
    "3": "time_precision 3: the month",
}


def _cites(b: ProjectBuilder, cite_of: dict, cell: str) -> tuple[Cite, ...]:
    """The citations of a source cell, one a source (two names may be one source)."""
    out: dict[str, Cite] = {}
    for name in _names(cell):
        cite = cite_of.get(name)
        if cite is None:
            cite = cite_of[name] = Cite(source=b.source(name, publisher=name))
        out.setdefault(cite.source, cite)
    return tuple(out.values())


def _with(b: ProjectBuilder, lane_of: dict, actor_name: str, others) -> tuple[str, ...]:
    """The lanes of actor2 and the associated actors, other than the event's own."""
    out = []
    own = key(actor_name)
    for name in others:
        if not name or key(name) == own:
            continue
        lane = lane_of.get((name, ""))
        if lane is None:
            lane = lane_of[name, ""] = b.actor(name)
        if lane not in out:
            out.append(lane)
    return tuple(out)


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


def _sentence_end(text: str) -> int:
    """Where the first . ! or ? after the first character is followed by a space or the
    end; -1 for none. str.find, not a pattern: notes run to hundreds of characters and
    this is read on every row."""
    best = -1
    for mark in ".!?":
        at = text.find(mark, 1)
        while at >= 0 and (best < 0 or at < best):
            after = text[at + 1 : at + 2]
            if not after or after.isspace():
                best = at
                break
            at = text.find(mark, at + 1)
    return best


def _first_sentence(text: str) -> str:
    opening = _DATE_OPENING.match(text) if text[:1] in "OIAB" else None
    if opening and len(text) > opening.end():
        text = text[opening.end()].upper() + text[opening.end() + 1 :]
    # Up to the first . ! or ? that ends a word (one character at least before it),
    # within the first line; the whole text when there is none.
    end = _sentence_end(text)
    if end > 0 and text.find("\n", 0, end) < 0:
        text = text[: end + 1]
    sentence = text.strip()
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"
