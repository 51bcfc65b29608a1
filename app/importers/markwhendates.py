"""Markwhen's date parts as its parser 1.2 reads them (markwhengrammar.py finds and reads
their text), made EDTF: years, months, days, ISO weeks, times, slash dates, month names,
ranges, relative dates (`after !id 2 weeks`, `5 days` after the entry before, `10am` on
the day it ends), time zones and recurrences. Checked against the real parser by
tests/cli/test_markwhen_parser.py.

Each entry's start and end are worked out as the parser works them out (in its zone, luxon's
arithmetic: markwhenluxon.py) and kept for the relative dates after it. Its When says what
was written where it can: `1999/2001`, `2022-12/2023-02`, `2023-05-01T10:00-04:00` (a time
keeps its zone's offset, none without a zone: a floating time); a date worked out from
another entry is its days when it runs from midnight to midnight, else its instants in UTC
(a time written to the minute covers that minute, so the end is written a minute earlier).
A range whose end is a written time ends at that time, as Demarche's export writes it back.

Time zones: the header's `timezone:` (or `tz:`), or a section's, is the zone dates are
read in; an entry's own `timezone:` keeps the clock time and changes the zone (luxon's
keepLocalTime, as the parser does).

What the parser reads at the moment it runs (a month name without a year: this year; a
date that cannot be, `2023-02-30`, or no date at all, `: x`: now) or cannot read (a time
such as `25:00`, on which it stops) is skipped and said; so is what counts from it.
`now` is today's date, and `A/now` a range without an end, as before.

Recurrences (`every 2 weeks for 6 times`): one When per occurrence, as the parser's
`expand` computes them (markwhenrepeat.py); durations after it count from the first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from app.importers.markwhenluxon import LAST, moved, plus, round_up
from app.importers.markwhenrepeat import MAX_REPEATS, RuleError, rule_of
from app.records.markwhengrammar import Found, Part, Relative
from app.records.when import When, WhenError, parse

_OFFSET = re.compile(r"([+-])?(\d{1,2})(?::?(\d{2}))?")
_MIDNIGHT = datetime.min.time()
_LAST = LAST
# Occurrences made of one file's recurrences beyond their first: a file of endless rules
# (40,000 lines in a megabyte) would otherwise make millions of events.
MAX_FILE_REPEATS = 10_000
_NOW = " (Markwhen's parser dates it at the moment it runs)"
_OUTSIDE = "falls outside the years 1 to 9999 Demarche reads"


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
    (as the parser holds them) for the relative dates after it."""

    def __init__(self):
        self.zone: tzinfo | None = None  # the header's timezone
        self.last: tuple[datetime, datetime] | None = None
        self.gone = ""  # why the entry before has no dates (it was skipped), if so
        self.kept: tuple[datetime, datetime] | None = None  # a skipped entry's, known
        self.ends: dict[str, tuple[datetime, datetime] | None] = {}  # id: (start, end)
        self.repeats_left = MAX_FILE_REPEATS  # occurrences after the first, for the file

    def ended(self, entry_id: str, dated: Dated) -> None:
        if dated.anchor is None:
            return
        self.last, self.gone = dated.anchor, ""
        if entry_id and entry_id not in self.ends:
            self.ends[entry_id] = dated.anchor

    def skipped(self, entry_id: str, line: int) -> None:
        """An entry was skipped: to the parser it is there (dated now, or it stops), so
        what counts from it cannot be dated; unless its dates are known (a range that
        ends before it starts), which the parser counts from."""
        self.last, self.kept = self.kept, None
        self.gone = "" if self.last else f"the entry on line {line} it counts from was skipped"
        if entry_id and entry_id not in self.ends:
            self.ends[entry_id] = self.last

    def when(self, found: Found, props: dict, section: str = "") -> Dated:
        """What the date part means, read in its section's zone (`section`: the innermost
        one naming a zone), else the header's, and moved to the entry's own zone."""
        try:
            return self._when(found, props, section)
        except OverflowError:  # datetime's years end at 1 and 9999 (a zone or a duration past them)
            raise WhenError(f"'{found.date}': {_OUTSIDE}") from None

    def _when(self, found: Found, props: dict, section: str) -> Dated:
        notes, rule = [], None
        if found.every:
            try:
                rule = rule_of(found.every)
            except RuleError as exc:
                notes.append(f"Markwhen's parser does not read '{found.every}' ({exc}): shown once")
        own_text = props.get("timezone") or props.get("tz") or ""
        own = zone_of(own_text) if own_text else None
        if own_text and own is None:
            notes.append(f"time zone '{own_text}' is not known: read without it")
        zone = (zone_of(section) if section else None) or self.zone
        reading = _Reading(self, found, zone or UTC, notes)
        start, end = reading.range()
        if own is not None:  # the clock time kept, the zone changed (keepLocalTime)
            start = _fixed(start.replace(tzinfo=own))
            end = end if end is _LAST else _fixed(end.replace(tzinfo=own))
        for t in (start, end):
            if t is not _LAST:
                t.astimezone(UTC)  # OverflowError before year 1 or after 9999
        when = reading.when(start, end, floating=own is None and zone is None)
        # In fixed offsets: two times in one named zone subtract as wall clocks.
        start, end = _fixed(start), end if end is _LAST else _fixed(end)
        whens, zone = [when], own or zone or UTC
        if rule is not None and end is _LAST:  # a first occurrence to the end of 9999
            notes.append(f"Markwhen's parser does not read '{rule.text}' after it: shown once")
        elif rule is not None:
            limit = max(1, min(MAX_REPEATS, self.repeats_left + 1))
            whens = [_span(a, b, zone) for a, b in rule.occurrences(start, end, limit)]
            self.repeats_left -= len(whens) - 1
            many = "" if len(whens) < limit else f", the first {limit} shown"
            if len(whens) == limit < MAX_REPEATS:
                many += f": the file's recurrences made {MAX_FILE_REPEATS:,} more events already"
            notes.append(f"Repeats {rule.text} ({len(whens)} occurrences{many})")
        return Dated(whens, "; ".join(notes), (start, end))


class _Reading:
    """One date part's start and end worked out as the parser works them out, in `zone`
    (luxon's: a named zone, or a date's offset at its midnight), and its When."""

    def __init__(self, dates: Dates, found: Found, zone: tzinfo, notes: list[str]):
        self.dates, self.found, self.zone, self.notes = dates, found, zone, notes
        self.open = False  # `A/now`: no end
        self.end_from = ""  # what gave the end: "written", "rounded" or "worked"

    def range(self) -> tuple[datetime, datetime]:
        first, second = self.found.start, self.found.end
        end = None
        if first.kind in ("bad", "none"):
            raise WhenError(_said(self.found, first))
        if first.kind == "relative":
            start, end = self._relative(first.relative, second)
            unit = "instant"
        elif first.kind == "time":  # on the day the entry before ends, or the next
            prior = self._prior()[1]
            start = prior.replace(hour=first.hm[0], minute=first.hm[1])
            start = plus(start, "days", 1) if start < prior else start
            unit = first.unit
        elif first.kind == "now":  # Demarche's reading: today
            start = datetime.combine(datetime.now(UTC).date(), _MIDNIGHT, self.zone)
            unit = "day"
        else:
            start, unit = self._at(first), first.unit
        if end is None:
            end = self._end(second, start, unit)
        else:
            self.end_from = "worked"
        if end < start and not self.open:
            self.dates.kept = (_fixed(start), _fixed(end))
            raise WhenError(f"'{self.found.date}': ends before it starts")
        return start, end

    def _at(self, part: Part) -> datetime:
        """Where a written date, time or instant starts."""
        y, mo, d = part.ymd
        if not 1 <= y <= 9999:
            raise WhenError(f"'{part.text}': {_OUTSIDE}")
        if part.kind == "instant":
            seconds = timedelta(seconds=part.seconds)
            return datetime(y, mo, d, *part.hm, tzinfo=UTC) + seconds
        day = datetime(y, mo, d, tzinfo=self.zone)
        if part.fixed:  # the date's ISO text, read back with its offset
            day = _fixed(day)
        return day.replace(hour=part.hm[0], minute=part.hm[1]) if part.kind == "clock" else day

    def _end(self, part: Part | None, start: datetime, unit: str) -> datetime:
        self.end_from = "written"
        if part is not None and part.kind == "bad":
            if part.fatal:
                raise WhenError(_said(self.found, part))
            self.notes.append(
                f"the end {_said(self.found, part, quote=False)}: read as Markwhen's "
                "parser reads it, without it"
            )
        elif part is not None and part.kind == "relative":
            self.end_from = "worked"
            return moved(self._depend(part.relative, start), part.relative.text)
        elif part is not None and part.kind == "now":
            self.open = True
            return datetime.now(UTC)
        elif part is not None and part.kind == "time":  # the start's day, or the next
            end = start.replace(hour=part.hm[0], minute=part.hm[1])
            return plus(end, "days", 1) if end < start else end
        elif part is not None and part.kind == "date":
            return round_up(self._at(part), part.unit)
        elif part is not None and part.kind != "none":  # begin, clock, instant
            return self._at(part)
        self.end_from = "rounded"
        return round_up(_fixed(start), unit)  # the start's text, read back with its offset

    def _relative(self, rel: Relative, end: Part | None) -> tuple[datetime, datetime | None]:
        at = self._depend(rel, None)
        if not self.found.end_written:
            if rel.before:
                return moved(at, rel.text, -1), at
            return at, moved(at, rel.text)
        if not rel.before:
            return moved(at, rel.text), None
        if end is not None and end.kind == "relative":
            last = moved(at, rel.text, -1)
            return moved(last, end.relative.text, -1), last
        raise WhenError(
            f"'{self.found.date}': Markwhen's parser dates 'before' with a written end "
            "at the moment it runs"
        )

    def _depend(self, rel: Relative, start: datetime | None) -> datetime:
        """What a relative date counts from: the entry it names (its end after it, its
        start before it; an end counts from its start), else the entry before, else (an
        end) its own start."""
        ends = self.dates.ends
        if rel.ref and rel.ref in ends:
            if ends[rel.ref] is None:
                raise WhenError(f"'{self.found.date}': the entry '{rel.ref}' was skipped")
            first, last = ends[rel.ref]
            edge = rel.ref_edge or ("end" if start is None and not rel.before else "start")
            return first if edge == "start" else last
        if rel.ref:
            self.notes.append(
                f"no entry before has the id '{rel.ref}': counted as Markwhen's parser "
                "counts it, from the entry before"
            )
        if start is not None and (not rel.edge or self.dates.last is None):
            return start
        first, last = self._prior()
        edge = rel.edge or ("start" if rel.before else "end")
        return first if edge == "start" else last

    def _prior(self) -> tuple[datetime, datetime]:
        if self.dates.last is None:  # the parser counts from the moment it runs
            why = self.dates.gone or "needs an entry before it"
            raise WhenError(f"'{self.found.date}': {why}")
        return self.dates.last

    def when(self, start: datetime, end: datetime, floating: bool) -> When:
        first, second = self.found.start, self.found.end
        if first.kind in ("relative", "time") or self.end_from == "worked":
            self.notes.append(f"Dated in Markwhen as '{self.found.date}'")
            if self.open:
                return parse(f"{_utc_text(start)}/..")
            return _span(start, end)
        a = _start_text(first, start, floating)
        if self.open:
            return parse(f"{a}/..")
        if self.end_from == "rounded":
            if first.unit == "week":
                return parse(f"{a}/{_day(start + timedelta(days=6))}")
            return parse(a)
        timed = {first.kind, second.kind} & {"clock", "instant", "time"}
        if end == start or (timed and not floating and _calendar(first, second)):
            # `2002–2002` ends where it starts; a day at one end and a time at the other
            # are the parser's instants in its zone (Demarche's days have none).
            return _span(start, end)
        if second.kind == "date":
            b = _start_text(second, self._at(second), floating)
            if second.unit == "week":
                b = _day(self._at(second) + timedelta(days=6))
        elif second.kind == "begin":
            b = f"{second.ymd[0] - 1:04d}"
        else:
            b = _clock_text(end, floating and second.kind != "instant", second.kind == "instant")
        return parse(f"{a}/{b}")


def _calendar(first: Part, second: Part) -> bool:
    return first.kind in ("date", "now") or second.kind in ("date", "begin")


def _said(found: Found, part: Part, quote: bool = True) -> str:
    """Why a part cannot be read, named by the date part (and the part of it at fault)."""
    if part.kind == "none":  # `: x`, `every day: x`, `- 2023: x`
        return f"'{found.date}': no start date{_NOW}" if found.date else f"no date{_NOW}"
    why = part.why if part.fatal or not quote else f"{part.why}{_NOW}"
    if not quote:
        return f"'{part.text}' {why}"
    if part.text == found.date:
        return f"'{found.date}' {why}"
    return f"'{found.date}': '{part.text}' {why}"


def _start_text(part: Part, t: datetime, floating: bool) -> str:
    """A written start: a date at its unit (a week's first day), or its clock time."""
    if part.kind in ("clock", "instant"):
        return _clock_text(t, floating and part.kind == "clock", part.kind == "instant")
    if part.unit == "year":
        return f"{t.year:04d}"
    if part.unit == "month":
        return f"{t.year:04d}-{t.month:02d}"
    return _day(t)


def _day(t: datetime) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}"


def _clock_text(t: datetime, floating: bool, seconds: bool = False) -> str:
    """`2023-05-01T10:00` and the offset (`Z`, `+05:30`) unless floating; seconds for an
    instant (an ISO instant has them) or when there are some."""
    out = f"{_day(t)}T{t.hour:02d}:{t.minute:02d}"
    out += f":{t.second:02d}" if seconds or t.second else ""
    return out if floating else out + _offset(t)


def _fixed(t: datetime) -> datetime:
    """`t` in the fixed UTC offset it has, as its ISO text read back keeps it: the clock
    time, and the offset in whole minutes (luxon writes 1846's -04:56:02 as -04:56)."""
    minutes = int((t.utcoffset() or timedelta(0)).total_seconds() / 60)
    return t.replace(tzinfo=timezone(timedelta(minutes=minutes)))


def _span(start: datetime, end: datetime, zone: tzinfo | None = None) -> When:
    """From `start` to the exclusive `end`: whole days when both are midnights in `zone`
    (theirs if None), else the instants in UTC; a time written to the minute covers that
    minute, so the end is written a minute earlier (a second, if it has seconds)."""
    if zone is not None:
        start, end = start.astimezone(zone), end.astimezone(zone)
    if start.time() == end.time() == _MIDNIGHT and end > start:
        last = end - timedelta(days=1)
        a, b = start.date().isoformat(), last.date().isoformat()
        return parse(a if a == b else f"{a}/{b}")
    a = _utc_text(start)
    # Written to the minute, a time covers its minute; with seconds, its second.
    seconds = end.second != 0 or start.second != 0
    # (In UTC: in the zone, Python subtracts clock times, and a minute before 03:00 on the
    # night the clocks go forward is 02:59, a time that night has not, read as 01:59.)
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    last = end - (timedelta(seconds=1) if seconds else timedelta(minutes=1))
    if last <= start:
        return parse(a)
    return parse(f"{a}/{_utc_text(last, seconds)}")


def _utc_text(t: datetime, seconds: bool = False) -> str:
    return _clock_text(t.astimezone(UTC), floating=False, seconds=seconds)


def _offset(local: datetime) -> str:
    """`Z` for UTC, else `+05:30`: the offset `local`'s zone has at that clock time."""
    if local.tzinfo is UTC:
        return "Z"
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
