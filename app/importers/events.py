"""Coded event data: ICEWS (tab-separated, with a header), GDELT 2.0 (tab-separated, no
header) and PLOVER (JSON records), whose REQUEST/DEMAND records become demands, with later
replies between the same pair offered as their history (FORMATS.md, section 5)."""

from __future__ import annotations

import json
import re

from app.importers.base import (
    ImportFailed,
    ProjectBuilder,
    key,
    load_json,
    when_of,
    whole_characters,
)
from app.records.model import Cite, Demand, Event, StatusChange
from app.records.plural import counted
from app.records.vocabulary import EVENT_TYPES
from app.records.when import WhenError

ICEWS_COLUMNS = {"event id", "event date", "source name", "cameo code", "target name"}
GDELT_WIDTH = 61  # columns of a GDELT 2.0 events row
_BY_CODE = sorted(
    ((code, name) for name, (code, _) in EVENT_TYPES.items() if code), key=lambda c: -len(c[0])
)


def cameo_type(code: str) -> str:
    """The vocabulary type of a CAMEO code: the most specific code it starts with."""
    code = code.strip()
    return next((name for prefix, name in _BY_CODE if code.startswith(prefix)), "")


def looks_like_icews(header: list[str]) -> bool:
    return ICEWS_COLUMNS <= {key(h) for h in header}


def looks_like_gdelt(first_line: str) -> bool:
    cells = first_line.split("\t")
    return len(cells) == GDELT_WIDTH and re.fullmatch(r"\d{8}", cells[1] or "") is not None


def read_icews(table, b: ProjectBuilder) -> None:
    header, rows = table
    col = {key(h): i for i, h in enumerate(header)}
    seen: dict[tuple[str, str], Event] = {}  # one sentence coded A→B and B→A: one event
    for n, row in enumerate(rows, start=2):
        b.report.rows += 1

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        source, target = cell("source name"), cell("target name")
        if not source:
            b.skip(n, "no Source Name")
            continue
        try:
            when = when_of(cell("event date"))
        except WhenError as exc:
            b.skip(n, f"Event Date: {exc}")
            continue
        sentence = (cell("story id"), cell("sentence number"))
        if all(sentence) and sentence in seen:
            first = seen[sentence]
            other = b.actor(source)
            if other != first.actor and other not in first.with_:
                index = b.project.events.index(first)
                b.project.events[index] = seen[sentence] = _with(first, other)
            continue
        actor = b.actor(source)
        with_ = (b.actor(target),) if target and key(target) != key(source) else ()
        cites = ()
        if cell("publisher"):
            title = f"{cell('publisher')} story {cell('story id')}".strip()
            cites = (Cite(source=b.source(title, publisher=cell("publisher"))),)
        event = Event(
            id=b.new_id(
                f"icews-{cell('event id')}" if cell("event id") else cell("event text"), "event"
            ),
            actor=actor,
            title=cell("event text") or cameo_type(cell("cameo code")) or "Event",
            when=when,
            with_=with_,
            type=cameo_type(cell("cameo code")),
            text=f"CAMEO {cell('cameo code')}, intensity {cell('intensity')}".strip(", "),
            cites=cites,
        )
        b.event(event)
        if all(sentence):
            seen[sentence] = event


def _with(event: Event, actor: str) -> Event:
    from dataclasses import replace

    return replace(event, with_=(*event.with_, actor))


def read_gdelt(text: str, b: ProjectBuilder) -> None:
    for n, line in enumerate(text.splitlines(), start=1):
        cells = line.split("\t")
        if not line.strip():
            continue
        b.report.rows += 1
        if len(cells) != GDELT_WIDTH:
            b.skip(n, f"{counted(len(cells), 'column')} where GDELT 2.0 has {GDELT_WIDTH}")
            continue
        name, other, code, url = (
            cells[6].strip(),
            cells[16].strip(),
            cells[26].strip(),
            cells[60].strip(),
        )
        if not name:
            b.skip(n, "no Actor1Name")
            continue
        try:
            d = cells[1]
            when = when_of(f"{d[:4]}-{d[4:6]}-{d[6:8]}")
        except (WhenError, IndexError) as exc:
            b.skip(n, f"SQLDATE: {exc}")
            continue
        actor = b.actor(name.title())
        with_ = (b.actor(other.title()),) if other and key(other) != key(name) else ()
        cites = (Cite(source=b.source(url, url)),) if url else ()
        kind = cameo_type(code)
        b.event(
            Event(
                id=b.new_id(f"gdelt-{cells[0]}", "event"),
                actor=actor,
                title=f"{kind or 'event'} (CAMEO {code})",
                when=when,
                with_=with_,
                type=kind,
                text="",
                cites=cites,
            )
        )


REQUESTS = {"DEMAND", "REQUEST"}
OUTCOMES = {"REJECT": "rejected", "AGREE": "accepted", "CONCEDE": "accepted"}


def read_plover(text: str, b: ProjectBuilder, link_outcomes: bool | set[str] = False) -> None:
    """PLOVER records (a JSON list, or one JSON object a line). Requests and demands become
    demands; a later REJECT, AGREE or CONCEDE between the same pair is listed as a candidate
    for the demand's history (in `b.report.outcomes`, by "FILE:record N"), and applied only
    when `link_outcomes` is True or holds its place."""
    records = _plover_records(text)
    open_demands: dict[tuple[str, str], list[Demand]] = {}
    for n, r in enumerate(records, start=1):
        b.report.rows += 1
        where = f"record {n}"
        if not isinstance(r, dict):
            b.skip(where, "not a record")
            continue
        names = [_actor_text(a) for a in _list(r.get("actor") or r.get("source"))]
        others = [_actor_text(a) for a in _list(r.get("recipient") or r.get("target"))]
        if not names or not names[0]:
            b.skip(where, "no actor")
            continue
        try:
            when = when_of(str(r.get("date", "")))
        except WhenError as exc:
            b.skip(where, f"date: {exc}")
            continue
        actor = b.actor(names[0])
        to = b.actor(others[0]) if others and others[0] else ""
        event = str(r.get("event", "")).upper()
        text_ = str(r.get("eventText") or r.get("text") or "").strip()
        if event in REQUESTS and to and to != actor:
            d = Demand(
                id=b.new_id(str(r.get("id") or text_ or "demand"), "demand"),
                from_=actor,
                to=to,
                text=text_ or event.lower(),
                raised=when,
            )
            b.add("demands", d)
            open_demands.setdefault((actor, to), []).append(d)
            continue
        if event in OUTCOMES and to:
            # A reply: by the one asked (to the demander), or a concession by the demander.
            for pair, status in (
                ((to, actor), OUTCOMES[event]),
                ((actor, to), "withdrawn" if event == "CONCEDE" else None),
            ):
                candidates = [
                    d
                    for d in open_demands.get(pair, [])
                    if d.raised.lo is not None and when.lo is not None and d.raised.lo <= when.lo
                ]
                if status and candidates:
                    d = candidates[-1]
                    what = f"{event} may settle demand {d.id} ({d.text!r}): {status} on {when.text}"
                    b.approximated(where, what)
                    place = f"{b.name}:{where}"
                    b.report.outcomes.append((place, f"{what} ({text_})" if text_ else what))
                    if link_outcomes is True or (link_outcomes and place in link_outcomes):
                        _settle(
                            b,
                            d,
                            StatusChange(
                                when=when, status=status, note=f"PLOVER {event}: {text_}"[:200]
                            ),
                        )
                    break
        b.event(
            Event(
                id=b.new_id(str(r.get("id") or text_ or event), "event"),
                actor=actor,
                title=text_ or event.lower() or "event",
                when=when,
                with_=(to,) if to and to != actor else (),
                type=_plover_type(event),
            )
        )


def _settle(b: ProjectBuilder, demand: Demand, change: StatusChange) -> None:
    from dataclasses import replace

    i = b.project.demands.index(demand)
    new = replace(
        demand, status=change.status, resolved=change.when, history=(*demand.history, change)
    )
    b.project.demands[i] = new


PLOVER_TYPES = {
    "AGREE": "agree",
    "CONSULT": "consult",
    "SUPPORT": "cooperate",
    "CONCEDE": "concede",
    "COOPERATE": "cooperate",
    "AID": "aid",
    "RETREAT": "concede",
    "REQUEST": "demand",
    "DEMAND": "demand",
    "ACCUSE": "disapprove",
    "DISAPPROVE": "disapprove",
    "REJECT": "reject",
    "THREATEN": "threaten",
    "PROTEST": "protest",
    "SANCTION": "reduce-relations",
    "MOBILIZE": "mobilize",
    "COERCE": "coerce",
    "ASSAULT": "assault",
}


def _plover_type(event: str) -> str:
    return PLOVER_TYPES.get(event, "")


def _plover_records(text: str) -> list:
    text = text.strip()
    try:
        data = whole_characters(json.loads(text), text)
        return (
            data
            if isinstance(data, list)
            else data.get("data")
            if isinstance(data, dict) and isinstance(data.get("data"), list)
            else [data]
        )
    except json.JSONDecodeError:
        pass
    except (RecursionError, ValueError):
        load_json(text)  # raises, located
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                out.append(load_json(line))
            except ImportFailed as exc:
                raise ImportFailed(f"line {n}: {exc}") from None
    return out


def _list(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _actor_text(actor) -> str:
    if isinstance(actor, dict):
        return str(actor.get("actorText") or actor.get("name") or actor.get("code") or "").strip()
    return str(actor or "").strip()
