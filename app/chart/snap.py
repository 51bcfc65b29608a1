"""Where a drag or a nudge lands: by hours, days or calendar months, as the zoom suggests.

A month is a calendar month, not 30 days: with "snap: month", 1 Aug moves to 1 Sep and
then 1 Oct, and 31 Jan to 28 (or 29) Feb.
"""

from __future__ import annotations

import calendar
from datetime import date

from app.records.when import DAY_S, MONTH, YEAR, Point, When, WhenError, parse

HOUR = 3600.0
MONTH_S = DAY_S * 30.436875  # an average month: how far the pointer must go for one


def unit(seconds_per_pixel: float) -> str:
    """The unit that dragging snaps to at a zoom level: "hour", "day" or "month"."""
    if seconds_per_pixel < 120:
        return "hour"
    if seconds_per_pixel < 3 * HOUR:
        return "day"
    return "month"


def unit_seconds(name: str) -> float:
    return {"hour": HOUR, "day": DAY_S}.get(name, MONTH_S)


def steps(delta: float, name: str) -> int:
    """How many units a movement of `delta` seconds makes, rounded."""
    return round(delta / unit_seconds(name))


def point_moved(point: Point, count: int, name: str) -> Point:
    """A point moved by `count` units (calendar months for "month")."""
    if name != "month":
        return point.shifted(count * unit_seconds(name))
    if point.precision in (YEAR, MONTH):
        return point.shifted(count * MONTH_S)  # rounded to whole months (or years)
    year, month0 = divmod(point.year * 12 + (point.month or 1) - 1 + count, 12)
    if not 1 <= year <= 9999:
        raise WhenError("date out of range")
    day = min(point.day or 1, calendar.monthrange(year, month0 + 1)[1])
    days = (
        date(year, month0 + 1, day).toordinal()
        - date(point.year, point.month or 1, point.day or 1).toordinal()
    )
    return point.shifted(days * DAY_S)


def moved(when: When, count: int, name: str, edge: str = "") -> When:
    """A date moved by `count` units, each end keeping its precision; with `edge`
    ("start" or "end"), only that end (a point becomes a range)."""
    if not count:
        return when
    if not when.is_range and not edge:
        return parse(point_moved(when.start, count, name).text())
    start, end = when.start, when.end
    if edge in ("", "start") and start is not None:
        start = point_moved(start, count, name)
    if edge in ("", "end") and end is not None:
        end = point_moved(end, count, name)
    result = When.interval(start, end)
    if result.lo is not None and result.hi is not None and result.hi <= result.lo:
        raise WhenError("the end would come before the start")
    return result


def seconds_moved(when: When, count: int, name: str) -> float:
    """How far in seconds `count` units move this date's start (for edits that take seconds)."""
    start = when.start
    if start is None or not count:
        return count * unit_seconds(name)
    return point_moved(start, count, name).lo - start.lo


def nudged(events: list, steps_: int, name: str) -> dict:
    """{id: (when, actor)} for events moved by `steps_` units; those that cannot move so
    (past the calendar's ends) are left out."""
    moves = {}
    for e in events:
        try:
            moves[e.id] = (moved(e.when, steps_, name), e.actor)
        except WhenError:
            continue
    return moves
