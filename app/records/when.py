"""Partial and uncertain dates: the subset of EDTF (ISO 8601-2) that Demarche files use.

    2023  2023-11  2023-11-22            precision is kept
    2023-11-22T01:00+02:00               a time, with its offset kept
    2023-11-22~  2023-11-22?  2023-11%   approximate, uncertain, both
    2023-10-27/2023-11-24  2023-10/..    intervals, `..` for an open end

A `When` keeps the text as written and derives the numbers the canvas needs: the
earliest and latest instant it covers, as seconds since 1970 (UTC).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

YEAR, MONTH, DAY, MINUTE, SECOND = "year", "month", "day", "minute", "second"
DAY_S = 86400.0
OPEN = ".."

_POINT = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?"
    r"(?P<q>[~?%])?"
)
_MONTHS = [calendar.month_name[i] for i in range(13)]
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# The calendar's ends, in seconds since 1970: 1 January of year 1 and the end of 9999.
T_MIN = (date(1, 1, 1).toordinal() - _EPOCH_ORDINAL) * DAY_S
T_MAX = (date(9999, 12, 31).toordinal() + 1 - _EPOCH_ORDINAL) * DAY_S


def clamp(t: float) -> float:
    """A time kept within the calendar, so that it can be shown as a date."""
    return min(max(t, T_MIN), T_MAX - 1.0)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(seconds: float) -> datetime:
    """An instant as a UTC datetime, held within years 1 to 9999 (the exclusive end of
    9999 becomes its last second: no datetime goes further)."""
    return _EPOCH + timedelta(seconds=clamp(seconds))


class WhenError(ValueError):
    """A date that does not follow the grammar, or that cannot exist."""


@dataclass(frozen=True, slots=True)
class Point:
    """One calendar point at its precision, e.g. `2023-11~`."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset_min: int | None = None  # minutes east of UTC, None when not written
    zulu: bool = False
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> str:
        if self.hour is not None:
            return SECOND if self.second is not None else MINUTE
        return DAY if self.day is not None else MONTH if self.month is not None else YEAR

    def _start_dt(self) -> datetime:
        tz = timezone(timedelta(minutes=self.offset_min or 0))
        return datetime(
            self.year,
            self.month or 1,
            self.day or 1,
            self.hour or 0,
            self.minute or 0,
            self.second or 0,
            tzinfo=tz,
        )

    @property
    def lo(self) -> float:
        """The first instant this point covers, in seconds since 1970 (UTC)."""
        days = date(self.year, self.month or 1, self.day or 1).toordinal() - _EPOCH_ORDINAL
        seconds = (self.hour or 0) * 3600 + (self.minute or 0) * 60 + (self.second or 0)
        return days * DAY_S + seconds - (self.offset_min or 0) * 60.0

    @property
    def hi(self) -> float:
        """The instant just after the last one this point covers."""
        p = self.precision
        if p == YEAR:
            return self.lo + (366 if calendar.isleap(self.year) else 365) * DAY_S
        if p == MONTH:
            return self.lo + calendar.monthrange(self.year, self.month)[1] * DAY_S
        return self.lo + (DAY_S if p == DAY else 60.0 if p == MINUTE else 1.0)

    def text(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        if self.hour is not None:
            out += f"T{self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                out += f":{self.second:02d}"
            if self.zulu:
                out += "Z"
            elif self.offset_min is not None:
                sign = "-" if self.offset_min < 0 else "+"
                h, m = divmod(abs(self.offset_min), 60)
                out += f"{sign}{h:02d}:{m:02d}"
        return out + _qualifier(self.approximate, self.uncertain)

    def shifted(self, seconds: float) -> Point:
        """This point moved by about `seconds`, rounded to its own precision."""
        p = self.precision
        if p in (YEAR, MONTH):
            months = round(seconds / (DAY_S * 30.436875))
            if p == YEAR:
                months = 12 * round(months / 12)
            total = self.year * 12 + (self.month or 1) - 1 + months
            year, month0 = divmod(total, 12)
            if not 1 <= year <= 9999:
                raise WhenError("date out of range")
            month = month0 + 1 if self.month is not None else None
            return _replace(self, year=year, month=month)
        unit = {DAY: DAY_S, MINUTE: 60.0, SECOND: 1.0}[p]
        delta = timedelta(seconds=round(seconds / unit) * unit)
        try:
            moved = self._start_dt() + delta
        except OverflowError as exc:
            raise WhenError("date out of range") from exc
        if p == DAY:
            return _replace(self, year=moved.year, month=moved.month, day=moved.day)
        return _replace(
            self,
            year=moved.year,
            month=moved.month,
            day=moved.day,
            hour=moved.hour,
            minute=moved.minute,
            second=moved.second if p == SECOND else None,
        )

    def describe(self) -> str:
        if self.month is None:
            body = str(self.year)
        elif self.day is None:
            body = f"{_MONTHS[self.month]} {self.year}"
        else:
            body = f"{self.day} {_MONTHS[self.month]} {self.year}"
        if self.hour is not None:
            body += f", {self.hour:02d}:{self.minute:02d}"
            if self.second is not None:
                body += f":{self.second:02d}"
            if self.zulu:
                body += " UTC"
            elif self.offset_min is not None:
                h, m = divmod(abs(self.offset_min), 60)
                body += f" UTC{'-' if self.offset_min < 0 else '+'}{h:02d}:{m:02d}"
        if self.approximate and self.uncertain:
            return f"perhaps approximately {body}"
        if self.approximate:
            return f"approximately {body}"
        if self.uncertain:
            return f"perhaps {body}"
        return body


def _replace(p: Point, **changes) -> Point:
    values = {name: getattr(p, name) for name in Point.__slots__}
    values.update(changes)
    return Point(**values)


def _qualifier(approximate: bool, uncertain: bool) -> str:
    if approximate and uncertain:
        return "%"
    return "~" if approximate else "?" if uncertain else ""


@lru_cache(maxsize=65536)  # points repeat across dates: 14,600 dates had 1,500 (0.24 s to 0.09)
def _parse_point(text: str) -> Point:
    m = _POINT.fullmatch(text)
    if not m:
        raise WhenError(f"'{text}' is not a date (expected e.g. 2023-11-22, 2023-11 or 2023)")
    g = m.groupdict()
    year = int(g["y"])
    month = int(g["m"]) if g["m"] else None
    day = int(g["d"]) if g["d"] else None
    if year == 0:
        raise WhenError(f"'{text}': year 0 does not exist")
    if month is not None and not 1 <= month <= 12:
        raise WhenError(f"'{text}': month {month} does not exist")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise WhenError(f"'{text}': {_MONTHS[month]} {year} has no day {day}")
    hour = minute = second = offset = None
    if g["H"]:
        hour, minute = int(g["H"]), int(g["M"])
        second = int(g["S"]) if g["S"] else None
        if hour > 23 or minute > 59 or (second or 0) > 59:
            raise WhenError(f"'{text}': no such time of day")
        tz = g["tz"]
        if tz and tz != "Z":
            oh, om = int(tz[1:3]), int(tz[4:6])
            if oh > 23 or om > 59:  # beyond ±14:00 is warned about (build.py)
                raise WhenError(f"'{text}': no such time zone offset {tz}")
            offset = (oh * 60 + om) * (-1 if tz[0] == "-" else 1)
    q = g["q"] or ""
    return Point(
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset,
        zulu=g["tz"] == "Z",
        approximate=q in "~%" and bool(q),
        uncertain=q in "?%" and bool(q),
    )


@dataclass(frozen=True, slots=True)
class When:
    """A point in time or an interval, kept as written (`text`)."""

    text: str
    start: Point | None = field(compare=False, repr=False)
    end: Point | None = field(compare=False, repr=False)
    is_range: bool = field(compare=False, repr=False)
    # First instant covered and the instant just after the last, in seconds since 1970
    # (UTC); None for an open end.
    lo: float | None = field(compare=False, repr=False, default=None)
    hi: float | None = field(compare=False, repr=False, default=None)

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in (self.start, self.end) if p)

    @property
    def uncertain(self) -> bool:
        return any(p.uncertain for p in (self.start, self.end) if p)

    @property
    def fuzzy(self) -> bool:
        """Approximate or uncertain, read off the text (EDTF marks both with ~, ? or %):
        cheaper than asking each end, which matters when laying out thousands."""
        t = self.text
        return "~" in t or "?" in t or "%" in t

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        # Pickled (and copied) as its text: `parse` rebuilds it, from its cache when it can,
        # instead of setting the fields of a When and two Points one at a time.
        return (parse, (self.text,))

    def shifted(self, seconds: float) -> When:
        """Moved in time by about `seconds`; each end keeps its precision and qualifiers."""
        if not self.is_range:
            return parse(self.start.shifted(seconds).text())
        return When.interval(
            self.start.shifted(seconds) if self.start else None,
            self.end.shifted(seconds) if self.end else None,
        )

    def with_edge(self, edge: str, seconds: float) -> When:
        """One end ('start' or 'end') moved by about `seconds`; a point becomes a range."""
        start, end = self.start, self.end
        if edge == "start":
            start = start.shifted(seconds) if start else None
        else:
            end = end.shifted(seconds) if end else None
        result = When.interval(start, end)
        if result.lo is not None and result.hi is not None and result.hi <= result.lo:
            raise WhenError("the end would come before the start")
        return result

    @staticmethod
    def interval(start: Point | None, end: Point | None) -> When:
        a = start.text() if start else OPEN
        b = end.text() if end else OPEN
        return parse(f"{a}/{b}")

    def describe(self) -> str:
        """A plain-language reading, e.g. 'approximately 22 November 2023'."""
        if not self.is_range:
            return self.start.describe()
        a = self.start.describe() if self.start else "an open start"
        b = self.end.describe() if self.end else "ongoing"
        return f"from {a} to {b}" if self.end else f"from {a}, ongoing"


@lru_cache(maxsize=65536)
def parse(text: str) -> When:
    """Read a date or interval; raise WhenError with a message fit for a person."""
    if not isinstance(text, str):
        raise WhenError("a date must be text")
    if text != text.strip() or not text:
        raise WhenError(f"'{text}' is not a date (no spaces allowed)")
    if "/" not in text:
        p = _parse_point(text)
        return When(text, p, p, False, p.lo, p.hi)
    if text.count("/") > 1:
        raise WhenError(
            f"'{text}' is not a date or interval (expected e.g. 2023-11-22 or 2023-10-27/2023-11-24)"
        )
    a, b = text.split("/")
    start = None if a == OPEN else _parse_point(a)
    end = None if b == OPEN else _parse_point(b)
    if start is None and end is None:
        raise WhenError(f"'{text}': an interval needs at least one date")
    lo = start.lo if start else None
    hi = end.hi if end else None
    if lo is not None and hi is not None and hi <= lo:
        raise WhenError(f"'{text}': the end comes before the start")
    return When(text, start, end, True, lo, hi)


def clear_caches() -> None:
    """Forget the dates and points read (for benchmarks that time a cold read)."""
    parse.cache_clear()
    _parse_point.cache_clear()


def from_yaml_value(value: object) -> When:
    """Accept what PyYAML gives for an unquoted date as the same value as the quoted text."""
    if isinstance(value, datetime):
        text = value.isoformat()
        if (
            text.endswith("+00:00")
            and value.tzinfo is not None
            and value.utcoffset() == timedelta(0)
        ):
            text = text[:-6] + "Z"
        if value.microsecond:
            raise WhenError(f"'{text}': fractions of a second are not kept")
        return parse(text)
    if isinstance(value, date):
        return parse(value.isoformat())
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return parse(str(value))
    if not isinstance(value, str):
        raise WhenError(f'expected a date as text, e.g. "2023-11-22", not {type(value).__name__}')
    return parse(value)


def point_at(seconds: float, precision: str = DAY) -> Point:
    """The calendar point containing an instant (UTC), at a precision."""
    dt = datetime.fromtimestamp(seconds, tz=UTC)
    if precision == YEAR:
        return Point(dt.year)
    if precision == MONTH:
        return Point(dt.year, dt.month)
    if precision == DAY:
        return Point(dt.year, dt.month, dt.day)
    return Point(dt.year, dt.month, dt.day, dt.hour, dt.minute, zulu=True)
