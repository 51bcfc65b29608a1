"""Markwhen's date parts as its parser 1.2 reads them, made EDTF: level-0 EDTF and ranges
(`A/B`, `A - B`, `A/now`), casual dates, times in the entry's or the file's time zone,
durations (`5 months`: from the end of the entry before) and relative dates (`after !id
2 weeks`, `before !id 3 days`), and recurrences (`every 2 weeks …`: the first occurrence,
said in a note). Checked against the real parser by tests/cli/test_markwhen_parser.py."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

from app.importers.base import when_of
from app.records.datewords import edtf
from app.records.when import When, WhenError

_UNITS = {
    "year": "years",
    "years": "years",
    "month": "months",
    "months": "months",
    "week": "weeks",
    "weeks": "weeks",
    "day": "days",
    "days": "days",
    "hour": "hours",
    "hours": "hours",
    "minute": "minutes",
    "minutes": "minutes",
    "min": "minutes",
    "mins": "minutes",
}
_RELATIVE = re.compile(
    r"(?:(after|before)\s+)?(?:!([\w-]{1,60})\s*)?(?:(\d{1,4})\s+([a-z]{3,7}))?", re.I
)
_TIME = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(am|pm)?", re.I
)
_OFFSET = re.compile(r"([+-])?(\d{1,2})(?::?(\d{2}))?")
_CASUAL = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Dates:
    """The date parts of one file, read in order: the end of each entry is kept for the
    durations and relative dates after it."""

    def __init__(self):
        self.zone = ""  # the header's timezone
        self.day_first = False  # Markwhen reads 1/5/2023 as 5 January only when told
        self.last_end: datetime | None = None
        self.ends: dict[str, tuple[datetime, datetime | None]] = {}  # id: (start, end)

    def ended(self, entry_id: str, when: When) -> None:
        start = _at(when.lo) if when.lo is not None else None
        end = _at(when.hi) if when.hi is not None else start
        if end is not None:
            self.last_end = end
        if entry_id and start is not None:
            self.ends[entry_id] = (start, end)

    def when(self, date: str, props: dict) -> tuple[When, str]:
        """The date part as When, and a note when something was made of it (a duration,
        a recurrence) that the text should say."""
        text = " ".join(date.split())
        note = ""
        low = text.lower()
        if " every " in f" {low} ":
            at = f" {low} ".index(" every ")
            text, rule = text[: max(at - 1, 0)].strip(), text[at:].strip()
            note = f"Repeats {rule} (the first occurrence is shown)"
            if not text:
                raise WhenError(f"'{date}': a recurrence without a first date")
        relative = self._relative(text)
        if relative is not None:
            return relative, note or f"Dated in Markwhen as '{text}'"
        zone = props.get("timezone") or props.get("tz") or self.zone
        for sep in (" - ", "/", " to "):
            if sep in text and not (sep == "/" and _CASUAL.fullmatch(text)):
                a, b = (x.strip() for x in text.split(sep, 1))
                end = ".." if b.lower() == "now" else self._point(b, zone)
                return when_of(f"{self._point(a, zone)}/{end}"), note
        return when_of(self._point(text, zone)), note

    def _point(self, text: str, zone: str) -> str:
        if text.lower() == "now":
            return datetime.now(UTC).date().isoformat()
        timed = _TIME.fullmatch(text)
        if timed:
            day, hour, minute, second, half = timed.groups()
            h = int(hour) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(hour)
            y, m, d = (int(x) for x in day.split("-"))
            out = f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{int(minute or 0):02d}"
            out += f":{int(second):02d}" if second else ""
            return out + _offset(zone, datetime(y, m, d, h))
        return edtf(text, month_first=not self.day_first)

    def _relative(self, text: str) -> When | None:
        m = _RELATIVE.fullmatch(text)
        if m is None or not (m[2] or m[3]):
            return None
        direction, ref, amount, unit = m.groups()
        if amount and unit.lower() not in _UNITS:
            return None
        if ref:
            if ref not in self.ends:
                raise WhenError(f"'{text}': no entry before has the id '{ref}'")
            start, end = self.ends[ref]
            anchor = start if direction and direction.lower() == "before" else end
        else:
            if self.last_end is None:
                raise WhenError(f"'{text}': a duration needs an entry before it")
            anchor = self.last_end
        if not amount:
            return _span(anchor, anchor + timedelta(days=1))
        n, unit = int(amount), _UNITS[unit.lower()]
        if direction and direction.lower() == "before":
            return _span(_add(anchor, -n, unit), anchor)
        return _span(anchor, _add(anchor, n, unit))


def _at(seconds: float) -> datetime:
    return _EPOCH + timedelta(seconds=seconds)


def _add(t: datetime, n: int, unit: str) -> datetime:
    if unit in ("years", "months"):
        months = t.month - 1 + n * (12 if unit == "years" else 1)
        year, month = t.year + months // 12, months % 12 + 1
        day = min(t.day, calendar.monthrange(year, month)[1])
        return t.replace(year=year, month=month, day=day)
    return t + timedelta(**{unit: n})


def _span(start: datetime, end: datetime) -> When:
    """From `start` to the exclusive `end`: whole days when both are midnights."""
    if start.time() == end.time() == datetime.min.time():
        last = end - timedelta(days=1)
        a, b = start.date().isoformat(), last.date().isoformat()
        return when_of(a if a == b else f"{a}/{b}")
    fmt = "%Y-%m-%dT%H:%MZ"
    return when_of(f"{start.strftime(fmt)}/{end.strftime(fmt)}")


def _offset(zone: str, local: datetime) -> str:
    """`+02:00` for a zone given as hours (`+2`, `-05:30`), `Z` for UTC, an IANA name's
    offset on that day; "" for none (a floating time)."""
    zone = zone.strip()
    if not zone:
        return ""
    if zone.upper() in ("UTC", "Z", "GMT"):
        return "Z"
    m = _OFFSET.fullmatch(zone)
    if m:
        sign, hours, minutes = m.groups()
        return f"{sign or '+'}{int(hours):02d}:{int(minutes or 0):02d}"
    try:
        from zoneinfo import ZoneInfo

        delta = local.replace(tzinfo=ZoneInfo(zone)).utcoffset()
    except (ValueError, KeyError, OSError):
        raise WhenError(f"time zone '{zone}' is not known") from None
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
