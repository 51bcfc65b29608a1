"""ACLED exports (CSV from the API or the website): conflict events coded by actor, date
precision, type and source. Mapping after the codebook (FORMATS.md, section 5)."""

from __future__ import annotations

import operator
import re

from app.importers.base import ImportFailed, ProjectBuilder, key, when_of
from app.model import Cite, Event
from app.when import WhenError

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
    header, rows = table
    if not looks_like(header):
        missing = COLUMNS - {key(h) for h in header}
        raise ImportFailed(f"not an ACLED export: no column {', '.join(sorted(missing))}")
    col = {key(h): i for i, h in enumerate(header)}
    names = (
        "event_id_cnty event_date time_precision actor1 inter1 actor2 assoc_actor_1 "
        "assoc_actor_2 notes sub_event_type location source event_type country fatalities"
    ).split()
    # One itemgetter for all the cells a row needs; a missing column reads an empty cell.
    pick = operator.itemgetter(*(col.get(name, len(header)) for name in names))
    sources_made: dict[str, str] = {}
    for n, row in enumerate(rows, start=2):
        b.report.rows += 1
        if len(row) != len(header):
            b.skip(n, f"{len(row)} cells where the header has {len(header)}")
            continue
        c = dict(zip(names, map(str.strip, pick(row + [""])), strict=True))
        actor_name = c["actor1"]
        if not actor_name:
            b.skip(n, "no actor1")
            continue
        try:
            when = _date(c["event_date"], c["time_precision"])
        except WhenError as exc:
            b.skip(n, f"event_date: {exc}")
            continue
        if when.approximate:
            b.approximated(n, f"time_precision {c['time_precision']}: {when.text}")
        actor = b.actor(actor_name, kind=c["inter1"])
        others = [c["actor2"], *_names(c["assoc_actor_1"]), *_names(c["assoc_actor_2"])]
        with_ = tuple(dict.fromkeys(b.actor(o) for o in others if o and key(o) != key(actor_name)))
        notes = c["notes"]
        title = _first_sentence(notes) or f"{c['sub_event_type']} in {c['location']}".strip()
        cites = []
        for name in _names(c["source"]):
            if name not in sources_made:
                sources_made[name] = b.source(name, publisher=name)
            cites.append(Cite(sources_made[name]))
        tags = tuple(t for t in (c["event_type"], c["country"]) if t)
        extra = [f"Location: {c['location']}" if c["location"] else ""]
        if c["fatalities"] not in ("", "0"):
            extra.append(f"Fatalities: {c['fatalities']}")
        b.event(
            Event(
                b.new_id(c["event_id_cnty"] or title, "event"),
                actor,
                title,
                when,
                with_,
                TYPES.get(key(c["sub_event_type"]), ""),
                "\n".join(x for x in [notes, *extra] if x),
                tuple(dict.fromkeys(cites)),
                tags,
            )
        )


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
    return [x.strip() for x in text.split(";") if x.strip()]


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = (m[1] if m else text).strip()
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"
