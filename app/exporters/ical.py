"""iCalendar (RFC 5545): one VEVENT per event, with the icalendar library.

Whole-day dates are `VALUE=DATE` with an exclusive end; a partial date (`2023-11`) covers its
full span; times keep their zone (UTC when one was written, floating when none). What a
calendar cannot hold (`~ ? %`, an open end) stays exact in `X-EDTF`. The description says
the event's other fields as `common.Sayer` reads them from the record spec.

The calendar's head and each date are written by icalendar; each event's lines are put
together here, in icalendar's order and folded as it folds (`fold`), because building an
icalendar object per property cost 2.4 s of processor time at 10,000 events (0.2 ms an
event). tests/app/test_ical_writer.py holds every event's lines to what icalendar writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
from icalendar.caselessdict import canonsort_keys

from app.exporters.common import Sayer, plain_text, web_url
from app.fileformat import spec
from app.records.model import Event, Project
from app.records.when import When, utc

PRODID = "-//Demarche//Demarche//EN"
# What a VEVENT has a property of its own for (SUMMARY, DTSTART, CATEGORIES); the other
# fields of an event are said in its DESCRIPTION, from the record spec.
SLOTS = ("title", "when", "actor", "tags")
# An event's properties in the order icalendar writes them (its canonical ones first).
ORDER = tuple(
    canonsort_keys(
        ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "CATEGORIES", "URL"]
        + ["X-EDTF"],
        icalendar.Event.canonical_order,
    )
)
FOLD_AT = 75  # octets: icalendar folds before a line's 75th (RFC 5545: at most 75)
_SPECIAL = frozenset("\\;,\r\n")  # what TEXT escaping changes


BOM = "\ufeff"


def escape(text: str) -> str:
    """TEXT escaped as RFC 5545 says, and only so: icalendar's own escaping first reads a
    backslash and N in the text as a line break (a title `a\\Nb` came back on two lines)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def text_line(name: str, escaped: str) -> str:
    """A folded line of a TEXT value already `escape`d, as icalendar writes it: without one
    byte-order mark that begins the value (icalendar reads each value back as UTF-8 with
    a signature)."""
    return fold(f"{name}:{escaped.removeprefix(BOM)}")


def library_text(text: str) -> str:
    """TEXT as icalendar's vText writes it (for the UID and X-EDTF, as they always were)."""
    if _SPECIAL.isdisjoint(text):
        return text  # nothing its escaping changes
    return icalendar.vText(text).to_ical().decode("utf-8")


class Text(icalendar.vText):
    """A value icalendar writes (the calendar's name) escaped as `escape`."""

    def to_ical(self) -> bytes:
        return escape(str(self)).encode(self.encoding)


def fold(line: str) -> str:
    """`line` folded as icalendar folds it: as many whole characters a line as fit in 74
    octets, a backslash or a caret that would end a line moved to the next with what it
    escapes. tests/app/test_ical_writer.py holds it to icalendar's own (a loop over each
    character, ~5 µs a line)."""
    if len(line) < FOLD_AT and (line.isascii() or len(line.encode("utf-8")) < FOLD_AT):
        return line
    data = line.encode("utf-8")
    width, start, pieces = FOLD_AT - 1, 0, []
    while len(data) - start > width:
        end = start + width
        while data[end] & 0xC0 == 0x80:  # not within a character: before its first byte
            end -= 1
        # An escape that would end the line begins the next, with what it escapes.
        if data[end - 1] in b"\\^" and end - start > 1:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def dumps(project: Project, stamp: datetime | None = None) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if project.title:
        cal.add("x-wr-calname", Text(plain_text(project.title)))  # X- values: escaped as TEXT
    if project.description:
        cal.add("x-wr-caldesc", Text(plain_text(project.description)))
    head = cal.to_ical().decode("utf-8")
    end = "END:VCALENDAR\r\n"
    assert head.endswith(end)
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    writer = _Writer(Sayer(project), stamp)
    out = [head[: -len(end)]]
    out += [writer.vevent(event) for event in project.events]
    out.append(end)
    return "".join(out)


class _Writer:
    """Each event's VEVENT as text. A date's lines are kept for the events after (10,000
    events have a few thousand dates), and a date's value as icalendar writes it for
    every line that has it (they have some hundred days)."""

    def __init__(self, sayer: Sayer, stamp: datetime):
        self.sayer = sayer
        self.stamp = fold(library_line("DTSTAMP", stamp))
        self.dates: dict[When, tuple[str, str | None, str]] = {}
        self.values: dict[tuple, str] = {}  # ";VALUE=DATE:20231122" by the date

    def vevent(self, event: Event) -> str:
        # ids are unique and kept: the UID is stable
        lines = {"DTSTAMP": self.stamp, "UID": fold(f"UID:{library_text(f'{event.id}@demarche')}")}
        dated = self.dates.get(event.when)
        if dated is None:
            dated = self.dates[event.when] = self.dated(event.when)
        lines["DTSTART"], dtend, lines["X-EDTF"] = dated
        if dtend is not None:
            lines["DTEND"] = dtend
        lines["SUMMARY"] = text_line("SUMMARY", escape(plain_text(event.title)))
        description, cites = _description(self.sayer.said("events", event, SLOTS))
        if description:
            lines["DESCRIPTION"] = text_line("DESCRIPTION", escape(plain_text(description)))
        categories = (plain_text(c) for c in (self.sayer.name("actors", event.actor), *event.tags))
        lines["CATEGORIES"] = text_line("CATEGORIES", ",".join(escape(c) for c in categories if c))
        url = next((web_url(u) for _, u in cites if web_url(u)), "")
        if url:
            lines["URL"] = fold(f"URL:{url}")  # a web address: printable, no space
        body = "".join(f"{lines[k]}\r\n" for k in ORDER if k in lines)
        return f"BEGIN:VEVENT\r\n{body}END:VEVENT\r\n"

    def dated(self, when: When) -> tuple[str, str | None, str]:
        """DTSTART, DTEND (None for an open end) and X-EDTF lines of a date."""
        start, end = _span(when)
        return (
            fold("DTSTART" + self.value("DTSTART", start)),
            fold("DTEND" + self.value("DTEND", end)) if end is not None else None,
            fold(f"X-EDTF:{library_text(when.text)}"),
        )

    def value(self, name: str, value: date | datetime) -> str:
        """What follows `name` in its line: icalendar's parameters and value."""
        # By type and zone too: one instant in two zones is equal, and icalendar writes
        # each as its zone says.
        key = (type(value), value, getattr(value, "tzinfo", None))
        said = self.values.get(key)
        if said is None:
            said = self.values[key] = library_line(name, value)[len(name) :]
        return said


def library_line(name: str, value) -> str:
    """The content line icalendar writes for `name` with `value`, before folding."""
    component = icalendar.Event()
    component.add(name, value)
    return str(component.content_line(name, component[name]))


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
