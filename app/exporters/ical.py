"""iCalendar (RFC 5545): one VEVENT per event, written with the icalendar library.

Whole-day dates are `VALUE=DATE` with an exclusive end; a partial date (`2023-11`) covers its
full span; times keep their zone (UTC when one was written, floating when none). What a
calendar cannot hold (`~ ? %`, an open end) stays exact in `X-EDTF`. The description says
the event's other fields as `common.Sayer` reads them from the record spec.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from app.exporters.common import Sayer, plain_text, web_url
from app.fileformat import spec
from app.records.model import Event, Project
from app.records.when import When, utc

PRODID = "-//Demarche//Demarche//EN"
# What a VEVENT has a property of its own for (SUMMARY, DTSTART, CATEGORIES); the other
# fields of an event are said in its DESCRIPTION, from the record spec.
SLOTS = ("title", "when", "actor", "tags")


class Text(icalendar.vText):
    """TEXT escaped as RFC 5545 says, and only so: icalendar's own escaping first reads a
    backslash and N in the text as a line break (a title `a\\Nb` came back on two lines)."""

    def to_ical(self) -> bytes:
        escaped = (
            str(self)
            .replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r\n", "\\n")
            .replace("\n", "\\n")
            .replace("\r", "\\n")
        )
        return escaped.encode(self.encoding)


class Categories(icalendar.vCategory):
    """CATEGORIES whose each value is escaped as `Text` (icalendar makes its own vText)."""

    def to_ical(self) -> bytes:
        return b",".join(Text(str(c)).to_ical() for c in self.cats)


def dumps(project: Project, stamp: datetime | None = None) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if project.title:
        cal.add("x-wr-calname", Text(plain_text(project.title)))  # X- values: escaped as TEXT
    if project.description:
        cal.add("x-wr-caldesc", Text(plain_text(project.description)))
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    sayer = Sayer(project)
    for event in project.events:
        cal.add_component(_vevent(sayer, event, stamp))
    return cal.to_ical().decode("utf-8")


def _vevent(sayer: Sayer, event: Event, stamp: datetime):
    ev = icalendar.Event()
    ev.add("uid", f"{event.id}@demarche")  # ids are unique and kept: the UID is stable
    ev.add("dtstamp", stamp)
    start, end = _span(event.when)
    ev.add("dtstart", start)
    if end is not None:
        ev.add("dtend", end)
    ev.add("summary", Text(plain_text(event.title)))
    description, cites = _description(sayer.said("events", event, SLOTS))
    if description:
        ev.add("description", Text(plain_text(description)))
    categories = [sayer.name("actors", event.actor), *event.tags]
    ev.add("categories", Categories([plain_text(c) for c in categories if plain_text(c)]))
    url = next((web_url(u) for _, u in cites if web_url(u)), "")
    if url:
        ev.add("url", url)
    ev.add("x-edtf", event.when.text)
    return ev


def _description(said: list) -> tuple[str, list]:
    """The event's other fields, from the spec: its notes, each field of one line as
    "Label: value", lists line by line, and its sources with their addresses last."""
    notes, rows, cites = [], [], []
    for f, value in said:
        if f.type == spec.CITES:
            cites = value
        elif f.edited_by == spec.NOTES:
            notes.append(value)
        elif isinstance(value, list):
            rows += [f"{f.title}:", *value]
        else:
            rows.append(f"{f.title}: {value}")
    sources = [f"{words} {web_url(url)}".strip() for words, url in cites]
    return "\n".join(notes + rows + sources), cites


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
