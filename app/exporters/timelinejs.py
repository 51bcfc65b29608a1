"""TimelineJS JSON: events as slides, phases as eras, lanes as groups.

A slide has a headline, dates and a group (the lane); what else a record says is its
text, field by field from the record spec (`common.Sayer`). TimelineJS has no field for
`~ ? %`, an open end or a time zone, so those go into `display_date` in words
("approximately 20 November 2023"), and the exact date in an `edtf` key TimelineJS
ignores (Demarche's import reads it). Its text fields are HTML: everything of ours is
escaped.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import escape as _html_escape

from app.exporters import jsontext
from app.exporters.common import Sayer, web_url
from app.fileformat import spec
from app.records.model import Project
from app.records.when import Point, When, point_at

GROUP_SEPARATOR = " › "
# What a slide has a place of its own for: the rest of a record is said in its text.
EVENT_SLOTS = ("title", "when", "actor")
DEMAND_SLOTS = ("raised", "from")
_HTML_SPECIAL = re.compile("[&<>\"']")


def escape(text: str) -> str:
    """`html.escape(text)`: text without & < > " ' (most) is found so in one search."""
    return _html_escape(text) if _HTML_SPECIAL.search(text) else text


def dumps(project: Project, demands_as_slides: bool = False) -> str:
    sayer = Sayer(project)
    groups = _group_names(project)
    slides = [_event_slide(sayer, e, groups[e.actor]) for e in project.events]
    if demands_as_slides:
        slides += [_demand_slide(sayer, d, groups) for d in project.demands]
    document = {"events": slides}
    if project.title or project.description:
        document["title"] = {"text": _text(project.title, _paragraphs(project.description))}
    eras = _eras(project)
    if eras:
        document["eras"] = eras
    return jsontext.dumps(document, indent=1) + "\n"  # json.dumps's text, faster


def _event_slide(sayer: Sayer, e, group: str) -> dict:
    return {
        **_dates(e.when),
        "text": _text(e.title, _body(sayer.said("events", e, EVENT_SLOTS))),
        "group": escape(group),  # TimelineJS shows the group as HTML
        "unique_id": e.id,
    }


def _demand_slide(sayer: Sayer, d, groups) -> dict:
    # The headline is its few words (else its text); the text is said when it is not.
    slots = DEMAND_SLOTS + (() if d.label else ("text",))
    return {
        **_dates(d.raised),
        "text": _text(f"Demand: {d.label or d.text}", _body(sayer.said("demands", d, slots))),
        "group": escape(groups.get(d.from_, d.from_)),
        "unique_id": d.id,
    }


def _body(said: list) -> str:
    """The slide's text, from the spec's fields: the notes as paragraphs, each field of
    one line as "Label: value", lists (a status history) as lists, the sources last."""
    notes, rows, lists, cites = "", "", "", ""
    for f, value in said:
        if f.type == spec.CITES:
            cites = _citations(value)
        elif f.edited_by == spec.NOTES:
            notes += _paragraphs(value)
        elif isinstance(value, list):
            items = "".join(f"<li>{escape(line)}</li>" for line in value)
            lists += f"<p>{escape(f.title)}:</p><ul>{items}</ul>"
        else:
            rows += f"<p>{escape(f.title)}: {escape(value)}</p>"
    return notes + rows + lists + cites


def _eras(project: Project) -> list[dict]:
    """Dated phases; an open end closes at the project's first or last date (eras need both)."""
    spans = [r.when for r in project.events] + [d.raised for d in project.demands]
    los = [w.lo for w in spans if w.lo is not None]
    his = [w.hi for w in spans if w.hi is not None]
    eras = []
    for p in project.phases:
        if not p.dated:
            continue
        start = p.when.start or (point_at(min(los)) if los else p.when.end)
        end = p.when.end if p.when.end else (point_at(max(his) - 1) if his else start)
        if end.hi <= start.lo:  # the project's dates lie beyond the open end: the other
            start, end = (start, start) if p.when.start else (end, end)  # end, alone
        era = _era_dates(start, end)
        era["text"] = {"headline": escape(p.title)}
        era["edtf"] = p.when.text  # the phase as written, read back by Demarche's import
        eras.append(era)
    return eras


def _era_dates(start: Point, end: Point) -> dict:
    """An era from the start of `start` to the end of `end`: TimelineJS reads a date as its
    first instant, so a phase's last day (month, year, minute) ends where the next begins:
    a one-day phase on 24 November is drawn over all of that day, 24 to 25 November.
    TimelineJS drops an end whose parts equal the start's, comparing only the parts the
    start has (then rejects the whole timeline: an era needs an end), so the start is
    given each part the end has, at its first value (the instant TimelineJS reads)."""
    first, last = _parts(start), _after(end)
    for name in last:
        first.setdefault(name, 0 if name in ("hour", "minute", "second") else 1)
    return {"start_date": first, "end_date": last}


def _after(p: Point) -> dict:
    """The parts of the instant just after the last one `p` covers, at its precision."""
    names = _NAMES[: len(_parts(p))]
    if len(names) == 1:
        return {"year": p.year + 1}
    if len(names) == 2:
        year, month = divmod(p.year * 12 + p.month, 12)  # month is 1-12: this is the next
        return {"year": year, "month": month + 1}
    step = {3: timedelta(days=1), 5: timedelta(minutes=1), 6: timedelta(seconds=1)}
    now = datetime(*(getattr(p, n) for n in names))
    try:
        later = now + step[len(names)]
    except OverflowError:  # the end of 9999: TimelineJS (JavaScript) has the year 10000
        return {"year": 10000, **{n: (1 if n in ("month", "day") else 0) for n in names[1:]}}
    return {n: getattr(later, n) for n in names}


def _dates(when: When) -> dict:
    start = when.start or when.end
    out = {"start_date": _parts(start)}
    if when.is_range and when.start and when.end:
        out["end_date"] = _parts(when.end)
    zoned = any(p.offset_min is not None or p.zulu for p in (when.start, when.end) if p)
    if when.fuzzy or zoned or (when.is_range and not (when.start and when.end)):
        out["display_date"] = when.describe()[:1].upper() + when.describe()[1:]
    seconds = any(p.second is not None for p in (when.start, when.end) if p)
    same_ends = "end_date" in out and out["end_date"] == out["start_date"]
    if "display_date" in out or seconds or same_ends:
        out["edtf"] = when.text  # not read by TimelineJS; read back by Demarche's import
    return out


_NAMES = ("year", "month", "day", "hour", "minute", "second")


def _parts(p: Point) -> dict:
    return {n: getattr(p, n) for n in _NAMES if getattr(p, n) is not None}


def _group_names(project: Project) -> dict[str, str]:
    by_id = {a.id: a for a in project.actors}

    def path(actor_id: str, seen: frozenset = frozenset()) -> str:
        a = by_id.get(actor_id)
        if a is None:
            return actor_id
        own = a.name or a.id
        if a.parent in by_id and a.parent not in seen:
            return path(a.parent, seen | {actor_id}) + GROUP_SEPARATOR + own
        return own

    groups = {a.id: path(a.id) for a in project.actors}
    for e in project.events:
        groups.setdefault(e.actor, e.actor)
    return groups


def _text(headline: str, body: str) -> dict:
    return {"headline": escape(headline), "text": body}


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.splitlines() if line.strip())


def _web(url: str) -> bool:
    return bool(web_url(url))  # never a javascript: link


def _citations(lines: list) -> str:
    items = [
        f'<a href="{escape(url)}">{escape(words)}</a>' if _web(url) else escape(words)
        for words, url in lines
    ]
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""
