"""iCalendar (RFC 5545): one VEVENT per event, written with the icalendar library.

Whole-day dates are `VALUE=DATE` with an exclusive end; a partial date (`2023-11`) covers its
full span; times keep their zone (UTC when one was written, floating when none). What a
calendar cannot hold (`~ ? %`, an open end) stays exact in `X-EDTF`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from app.exporters.common import cite_lines, plain_text, web_url
from app.records.model import Event, Project
from app.records.when import When, utc

PRODID = "-//Demarche//Demarche//EN"


def dumps(project: Project, stamp: datetime | None = None) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if project.title:
        cal.add(
            "x-wr-calname", icalendar.vText(plain_text(project.title))
        )  # X- values: escaped as TEXT
    if project.description:
        cal.add("x-wr-caldesc", icalendar.vText(plain_text(project.description)))
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    names = {a.id: a.name for a in project.actors}
    for event in project.events:
        cal.add_component(_vevent(project, event, names, stamp))
    return cal.to_ical().decode("utf-8")


def _vevent(project: Project, event: Event, names: dict[str, str], stamp: datetime):
    ev = icalendar.Event()
    ev.add("uid", f"{event.id}@demarche")  # ids are unique and kept: the UID is stable
    ev.add("dtstamp", stamp)
    start, end = _span(event.when)
    ev.add("dtstart", start)
    if end is not None:
        ev.add("dtend", end)
    ev.add("summary", plain_text(event.title))
    cites = cite_lines(project, event.cites)
    lines = [event.text] if event.text else []
    description = "\n".join(lines + [f"{words} {web_url(url)}".strip() for words, url in cites])
    if description:
        ev.add("description", plain_text(description))
    categories = [names.get(event.actor, event.actor), *event.tags]
    ev.add("categories", [plain_text(c) for c in categories if plain_text(c)])
    url = next((web_url(u) for _, u in cites if web_url(u)), "")
    if url:
        ev.add("url", url)
    ev.add("x-edtf", event.when.text)
    return ev


def _span(when: When) -> tuple[date | datetime, date | datetime | None]:
    """DTSTART and exclusive DTEND; no DTEND for an open end."""
    points = [p for p in (when.start, when.end) if p]
    timed = any(p.hour is not None for p in points)
    lo = when.lo if when.lo is not None else when.end.lo
    hi = when.hi
    if not timed:
        return utc(lo).date(), utc(hi).date() if hi is not None else None
    zoned = any(p.offset_min is not None or p.zulu for p in points)

    def instant(seconds: float) -> datetime:
        return utc(seconds) if zoned else utc(seconds).replace(tzinfo=None)

    return instant(lo), instant(hi) if hi is not None else None
