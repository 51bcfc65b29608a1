"""Markwhen's date parts as its parser 1.2 reads them, made EDTF: level-0 EDTF and ranges
(`A/B`, `A - B`, `A/now`), casual dates, times, durations (`5 months`: from the end of the
entry before) and relative dates (`after !id 2 weeks`, `before !id 3 days`), time zones
and recurrences. Checked against the real parser by tests/cli/test_markwhen_parser.py.

Time zones: the header's `timezone:` (or `tz:`) is the zone dates are read in; an entry's
own `timezone:` keeps the clock time and changes the zone (luxon's keepLocalTime, as the
parser does). A time becomes its UTC instant. A range from midnight to midnight in its
zone (a day, a month, `2023-05-01/2023-05-03`) stays those calendar days: Demarche's days
have no zone. Durations count from the entry before in that entry's zone (its UTC offset,
as the parser's ISO round trip keeps it).

Recurrences (`every 2 weeks for 6 times`): one When per occurrence, as the parser's
`expand` computes them (markwhenrepeat.py); durations after it count from the first."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from app.importers.base import when_of
from app.importers.markwhenrepeat import MAX_REPEATS, RuleError, rule_of
from app.records.datewords import edtf
from app.records.when import T_MAX, When, WhenError

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
# `after !id 1 month 2 days`: the amounts are summed by unit, as the parser's are.
_RELATIVE = re.compile(
    r"(?:(after|before)\s+)?(?:!([\w-]{1,60})\s*)?((?:\d{1,4}\s*[a-z]{3,7}[\s,]*){0,8})", re.I
)
_AMOUNT = re.compile(r"(\d{1,4})\s*([a-z]{3,7})", re.I)
_TIME = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:\.\d{1,9})?)?"
    r"\s*(am|pm)?(z)?",
    re.I,
)
_OFFSET = re.compile(r"([+-])?(\d{1,2})(?::?(\d{2}))?")
_CASUAL = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIDNIGHT = datetime.min.time()
_LAST = datetime.max.replace(tzinfo=UTC)
# Occurrences made of one file's recurrences beyond their first: a file of endless rules
# (40,000 lines in a megabyte) would otherwise make millions of events.
MAX_FILE_REPEATS = 10_000


def zone_of(text: object) -> tzinfo | None:
    """The zone a Markwhen `timezone:` names: UTC, an offset in hours (`+5`, `-03:30`, a
    bare number as YAML reads it) or an IANA name; None when it names none."""
    text = str(text).strip().strip("\"'")
    if not text:
        return None
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    m = _OFFSET.fullmatch(text)
    if m:
        sign, hours, minutes = m.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta) if delta < timedelta(hours=24) else None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(text)
    except (ValueError, KeyError, OSError):
        return None


@dataclass
class Dated:
    """What an entry's date part means: its When (each occurrence's, for a recurrence),
    and a note the event's text should carry."""

    whens: list[When]
    note: str = ""
    anchor: tuple[datetime, datetime] | None = field(default=None, repr=False)


class Dates:
    """The date parts of one file, read in order: the start and end of each entry are kept
    (in its zone) for the durations and relative dates after it."""

    def __init__(self):
        self.zone: tzinfo | None = None  # the header's timezone
        self.day_first = False  # Markwhen reads 1/5/2023 as 5 January only when told
        self.last: tuple[datetime, datetime] | None = None
        self.ends: dict[str, tuple[datetime, datetime]] = {}  # id: (start, end)
        self.repeats_left = MAX_FILE_REPEATS  # occurrences after the first, for the file

    def ended(self, entry_id: str, dated: Dated) -> None:
        if dated.anchor is None:
            return
        self.last = dated.anchor
        if entry_id and entry_id not in self.ends:
            self.ends[entry_id] = dated.anchor

    def when(self, date: str, props: dict, section: str = "") -> Dated:
        """What the date part means, read in the entry's own zone, else its section's
        (`section`: the innermost one naming a zone), else the header's."""
        try:
            return self._when(date, props, section)
        except OverflowError:  # datetime's years end at 1 and 9999 (a zone or a duration past them)
            raise WhenError(f"'{date}': falls outside the years 1 to 9999 Demarche reads") from None

    def _when(self, date: str, props: dict, section: str) -> Dated:
        text = " ".join(date.split())
        notes, rule = [], None
        low = f" {text.lower()} "
        if " every " in low:
            at = low.index(" every ")
            text, words = text[: max(at - 1, 0)].strip(), text[at:].strip()
            if not text:
                raise WhenError(f"'{date}': a recurrence without a first date")
            try:
                rule = rule_of(words)
            except RuleError as exc:
                notes.append(f"Markwhen's parser does not read '{words}' ({exc}): shown once")
        own_text = props.get("timezone") or props.get("tz") or ""
        own = zone_of(own_text) if own_text else None
        if own_text and own is None:
            notes.append(f"time zone '{own_text}' is not known: read without it")
        relative = self._relative(text)
        if relative is not None:
            start, end = relative
            if own is not None:  # the clock time kept, the zone changed (keepLocalTime)
                start, end = _fixed(start.replace(tzinfo=own)), _fixed(end.replace(tzinfo=own))
            notes.append(f"Dated in Markwhen as '{text}'")
            when, zone = _span(start, end), start.tzinfo
        else:
            zone = own or (zone_of(section) if section else None) or self.zone
            when = self._absolute(text, zone, own is not None)
            start, end = (None, None)
            if when.lo is not None:
                start, end = _anchor(when, zone or UTC, own is not None)
        whens = [when]
        if rule is not None and end is _LAST:  # a first occurrence to the end of 9999
            notes.append(f"Markwhen's parser does not read '{rule.text}' after it: shown once")
        elif rule is not None and start is not None:
            limit = max(1, min(MAX_REPEATS, self.repeats_left + 1))
            whens = [_span(a, b, zone or UTC) for a, b in rule.occurrences(start, end, limit)]
            self.repeats_left -= len(whens) - 1
            many = "" if len(whens) < limit else f", the first {limit} shown"
            if len(whens) == limit < MAX_REPEATS:
                many += f": the file's recurrences made {MAX_FILE_REPEATS:,} more events already"
            notes.append(f"Repeats {rule.text} ({len(whens)} occurrences{many})")
        return Dated(whens, "; ".join(notes), (start, end) if start is not None else None)

    def _absolute(self, text: str, zone: tzinfo | None, own: bool) -> When:
        for sep in (" - ", "/", " to "):
            if sep in text and not (sep == "/" and _CASUAL.fullmatch(text)):
                a, b = (x.strip() for x in text.split(sep, 1))
                end = ".." if b.lower() == "now" else self._point(b, zone, own)
                return when_of(f"{self._point(a, zone, own)}/{end}")
        return when_of(self._point(text, zone, own))

    def _point(self, text: str, zone: tzinfo | None, own: bool) -> str:
        """EDTF for one end; a time gets its zone's offset (none without a zone: a
        floating time), a UTC time keeps `Z` unless the entry names its own zone."""
        if text.lower() == "now":
            return datetime.now(UTC).date().isoformat()
        timed = _TIME.fullmatch(text)
        if timed:
            day, hour, minute, second, half, zulu = timed.groups()
            h = int(hour) % 12 + (12 if half and half.lower() == "pm" else 0) if half else int(hour)
            y, m, d = (int(x) for x in day.split("-"))
            out = f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{int(minute or 0):02d}"
            out += f":{int(second):02d}" if second else ""
            if zulu and not own:
                return out + "Z"
            if zone is None:
                return out
            return out + _offset(datetime(y, m, d, h, int(minute or 0), tzinfo=zone))
        return edtf(text, month_first=not self.day_first)

    def _relative(self, text: str) -> tuple[datetime, datetime] | None:
        m = _RELATIVE.fullmatch(text)
        if m is None or not (m[2] or m[3]):
            return None
        direction, ref, said = m.groups()
        amounts: dict[str, int] = {}
        for amount, unit in _AMOUNT.findall(said):
            if unit.lower() not in _UNITS:
                return None
            amounts[_UNITS[unit.lower()]] = amounts.get(_UNITS[unit.lower()], 0) + int(amount)
        if ref:
            if ref not in self.ends:
                raise WhenError(f"'{text}': no entry before has the id '{ref}'")
            start, end = self.ends[ref]
            anchor = start if direction and direction.lower() == "before" else end
        else:
            if self.last is None:
                raise WhenError(f"'{text}': a duration needs an entry before it")
            anchor = self.last[1]
        if not amounts:
            return anchor, anchor + timedelta(days=1)
        if direction and direction.lower() == "before":
            return _add(anchor, amounts, -1), anchor
        return anchor, _add(anchor, amounts, 1)


def _fixed(t: datetime) -> datetime:
    """`t` in the fixed UTC offset it has (as an ISO string read back keeps it)."""
    return t.astimezone(timezone(t.utcoffset() or timedelta(0)))


def _naive(seconds: float) -> datetime:
    return (_EPOCH + timedelta(seconds=seconds)).replace(tzinfo=None)


def _anchor(when: When, zone: tzinfo, own: bool) -> tuple[datetime, datetime]:
    """The start and (exclusive) end the parser gives `when`: days from midnight in
    `zone`, times as their instants (a point ends where it starts)."""
    first, last = when.start or when.end, when.end or when.start
    if first.hour is None:
        start = _fixed(_naive(when.lo).replace(tzinfo=zone))
    else:
        start = _written(first)
    if when.is_range and when.end is None:  # `A/now`: the parser ends it now
        return start, datetime.now(UTC)
    if when.hi is None or last is None:
        return start, start
    if when.hi >= T_MAX:  # the end of 9999: no datetime reaches it, its last instant stands in
        return start, _LAST
    if last.hour is None:
        # One date ends a day (month, year) later in its start's offset, even across a
        # summer-time change; a range's end, or any in an entry's own zone, in the zone
        # (measured on the parser).
        at = zone if when.is_range or own else start.tzinfo
        return start, _fixed(_naive(when.hi).replace(tzinfo=at))
    return start, _written(last)


def _written(p) -> datetime:
    """A time's instant in the offset it was written with (UTC for `Z` or none)."""
    return (_EPOCH + timedelta(seconds=p.lo)).astimezone(
        timezone(timedelta(minutes=p.offset_min or 0))
    )


def _add(t: datetime, amounts: dict[str, int], sign: int) -> datetime:
    """`t` moved by the amounts, as luxon's `plus` (or `minus`) moves it: years and months
    first (the day kept within the month), then the rest."""
    months = sign * (amounts.get("years", 0) * 12 + amounts.get("months", 0))
    if months:
        months += t.month - 1
        year, month = t.year + months // 12, months % 12 + 1
        if not 1 <= year <= 9999:
            raise OverflowError("year out of range")
        t = t.replace(year=year, month=month, day=min(t.day, calendar.monthrange(year, month)[1]))
    rest = {k: sign * v for k, v in amounts.items() if k not in ("years", "months")}
    return t + timedelta(**rest)


def _span(start: datetime, end: datetime, zone: tzinfo | None = None) -> When:
    """From `start` to the exclusive `end`: whole days when both are midnights in `zone`
    (theirs if None), else the instants in UTC; a time written to the minute covers that
    minute, so the end is written a minute earlier."""
    if zone is not None:
        start, end = start.astimezone(zone), end.astimezone(zone)
    if start.time() == end.time() == _MIDNIGHT and end > start:
        last = end - timedelta(days=1)
        a, b = start.date().isoformat(), last.date().isoformat()
        return when_of(a if a == b else f"{a}/{b}")
    a = _utc_text(start)
    if end <= start + timedelta(minutes=1):
        return when_of(a)
    return when_of(f"{a}/{_utc_text(end - timedelta(minutes=1))}")


def _utc_text(t: datetime) -> str:
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M" + (":%S" if t.second else "") + "Z")


def _offset(local: datetime) -> str:
    """`Z` for UTC, else `+05:30`: the offset `local`'s zone has at that clock time."""
    if local.tzinfo is UTC:
        return "Z"
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
