"""Luxon's date arithmetic as @markwhen/parser 1.2 uses it: a relative date's amounts
(`RelativeDate.from`: each amount in the order written, all subtracted when the first is
negative), working days (`addWeekdays`, `removeWeekdays`), and the end the parser gives a
date by rounding it up a unit (`roundDateUp`).

Datetimes are aware. Hours, minutes, seconds and milliseconds are exact durations; days,
weeks, months and years move the clock in the datetime's own zone (a fixed offset, as the
parser holds most dates, or a named zone), months and years keeping the day within the
month, as luxon's `plus` does."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

from app.records.markwhengrammar import S

LAST = datetime.max.replace(tzinfo=UTC)  # stands for the end of 9999, which no datetime reaches

# RelativeDate's AMOUNT_REGEX: case-sensitive (the line's grammar is not: `2 Days` is an
# entry, but no amount for the parser, which then adds nothing).
_AMOUNT = re.compile(
    rf"(-)?(\d+)\W*(?:(milliseconds|ms)|(seconds|second|secs|sec|s)|(minutes|minute|mins|min)"
    rf"|(hours|hour|h)|(?:(week{S}*|work{S}*|business{S}*)?(days|day|d))|(weeks|week|w)"
    rf"|(months|month)|(years|year|y))(?:{S}*,{S}*|{S}*)",
    re.ASCII,
)
_UNITS = (
    "milliseconds",
    "seconds",
    "minutes",
    "hours",
    "weekdays",
    "days",
    "weeks",
    "months",
    "years",
)
_EXACT = {"milliseconds", "seconds", "minutes", "hours"}


def amounts(text: str) -> tuple[bool, list[tuple[str, int]]]:
    """(whether the first amount is negative, [(unit, amount)...]) as the parser reads `text`."""
    found = []
    negative = False
    for i, m in enumerate(_AMOUNT.finditer(text)):
        negative = negative or (i == 0 and m[1] is not None)
        groups = m.groups()[2:]
        # The working-day prefix comes before `days` among the groups and wins over it.
        unit = next(_UNITS[k] for k, g in enumerate(groups) if g is not None)
        found.append((unit, int(m[2])))
    return negative, found


def moved(t: datetime, text: str, sign: int = 1) -> datetime:
    """`t` moved by the amounts `text` holds (`RelativeDate.from`)."""
    negative, found = amounts(text)
    if negative:
        sign = -1
    for unit, n in found:
        t = plus(t, unit, n, sign)
    return t


def plus(t: datetime, unit: str, n: int, sign: int = 1) -> datetime:
    """`t` moved n units forward (sign 1) or back (-1), as luxon's `plus` or `minus`."""
    if unit == "weekdays":
        return t + timedelta(days=_weekdays(t, n) if sign > 0 else -_weekdays_back(t, n))
    n *= sign
    if unit in _EXACT:
        return (t.astimezone(UTC) + timedelta(**{unit: n})).astimezone(t.tzinfo)
    if unit in ("days", "weeks"):
        return t + timedelta(**{unit: n})
    months = n * (12 if unit == "years" else 1) + t.month - 1
    year, month = t.year + months // 12, months % 12 + 1
    if not 1 <= year <= 9999:
        raise OverflowError("year out of range")
    return t.replace(year=year, month=month, day=min(t.day, calendar.monthrange(year, month)[1]))


def _weekdays(t: datetime, n: int) -> int:
    """The days the parser moves forward for n working days (`addWeekdays`): to Friday
    of this week, then seven days for each five, and a weekend more for the rest."""
    return _working(n, 6 - t.isoweekday())


def _weekdays_back(t: datetime, n: int) -> int:
    """The days it moves back (`removeWeekdays`), counting this week's from Monday."""
    return _working(n, t.isoweekday() - 1)


def _working(n: int, this_week: int) -> int:
    rest = n - this_week
    if rest <= 0:
        return n
    return this_week + rest // 5 * 7 + (2 + rest % 5 if rest % 5 else 0)


def round_up(t: datetime, unit: str) -> datetime:
    """The end the parser gives a date of this unit (year, month, week, day) starting at
    `t`: a unit later; a time or instant ends where it starts. Past 9999: LAST."""
    if unit not in ("year", "month", "week", "day"):
        return t
    try:
        return plus(t, unit + "s", 1)
    except OverflowError:
        return LAST
