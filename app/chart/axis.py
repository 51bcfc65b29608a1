"""Date ticks for the chart's time axes, on screen and in exports: a unit chosen so that
labels never crowd each other."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from app.records.when import clamp

HOUR, DAY = 3600.0, 86400.0
# (step kind, step size, label format)
STEPS = [
    ("hours", 1, "%d %b %H:%M"),
    ("hours", 3, "%d %b %H:%M"),
    ("hours", 6, "%d %b %H:%M"),
    ("hours", 12, "%d %b %H:%M"),
    ("days", 1, "%d %b"),
    ("days", 2, "%d %b"),
    ("days", 7, "%d %b"),
    ("days", 14, "%d %b"),
    ("months", 1, "%b"),
    ("months", 3, "%b"),
    ("months", 6, "%b"),
    ("years", 1, "%Y"),
    ("years", 2, "%Y"),
    ("years", 5, "%Y"),
    ("years", 10, "%Y"),
    ("years", 50, "%Y"),
    ("years", 100, "%Y"),
]


def _approx_seconds(kind: str, n: int) -> float:
    return n * {"hours": HOUR, "days": DAY, "months": 30.44 * DAY, "years": 365.25 * DAY}[kind]


def _start(t0: datetime, kind: str, n: int) -> datetime:
    if kind == "hours":
        return t0.replace(minute=0, second=0, microsecond=0, hour=t0.hour - t0.hour % n)
    if kind == "days":
        d = t0.replace(hour=0, minute=0, second=0, microsecond=0)
        if n == 7:  # weeks start on Mondays
            d -= timedelta(days=d.weekday())
        return d
    if kind == "months":
        return t0.replace(
            day=1, hour=0, minute=0, second=0, microsecond=0, month=1 + (t0.month - 1) // n * n
        )
    return t0.replace(
        month=1,
        day=1,
        hour=0,
        minute=0,
        second=0,
        microsecond=0,
        year=max(1, t0.year - t0.year % n),
    )


def _next(d: datetime, kind: str, n: int) -> datetime:
    if kind == "hours":
        return d + timedelta(hours=n)
    if kind == "days":
        return d + timedelta(days=n)
    if kind == "months":
        total = d.year * 12 + d.month - 1 + n
        return d.replace(year=total // 12, month=total % 12 + 1)
    return d.replace(year=d.year + n)


def ticks(
    t0: float, t1: float, width_px: float, min_gap_px: float = 90.0
) -> list[tuple[float, str]]:
    """(time, label) pairs between t0 and t1, far enough apart that no two labels meet.
    The first label names the year, and so does each that starts a new year; month names
    are never dropped. Only dates within the calendar (years 1 to 9999) are labelled."""
    span = max(t1 - t0, 1.0)
    t0, t1 = clamp(t0), clamp(t1)
    for kind, n, fmt in STEPS:
        gap = _approx_seconds(kind, n) / span * width_px
        if gap < min_gap_px:
            continue
        out = _labelled(t0, t1, kind, n, fmt)
        longest = max((len(label) for _, label in out), default=0)
        if gap >= longest * CHAR_PX + 16 or (kind, n) == STEPS[-1][:2]:
            return out
    return _labelled(t0, t1, *STEPS[-1])


CHAR_PX = 7.0  # a generous width of one character of the axis font


def _labelled(t0: float, t1: float, kind: str, n: int, fmt: str) -> list[tuple[float, str]]:
    d = _start(datetime.fromtimestamp(t0, tz=UTC), kind, n)
    out: list[tuple[float, str]] = []
    last_year = None
    while d.timestamp() <= t1 and len(out) < 500:
        if d.timestamp() >= t0:
            label = d.strftime(fmt)
            if kind == "days":
                label = label.lstrip("0")
            if kind != "years" and d.year != last_year:
                label = _with_year(label, d, kind)
            last_year = d.year
            out.append((d.timestamp(), label))
        try:
            d = _next(d, kind, n)
        except (ValueError, OverflowError):  # past the end of year 9999
            break
    return out


def _with_year(label: str, d: datetime, kind: str) -> str:
    if kind == "hours":
        return f"{d.day} {d:%b} {d.year} {d:%H:%M}"
    return f"{label} {d.year}"


DAY_STEPS = (1, 2, 5, 7, 14, 30, 60, 90, 180, 365, 730, 1825, 3650)
MINUS = "\u2212"


def day_label(day: int) -> str:
    return "day 0" if day == 0 else f"day {'+' if day > 0 else MINUS}{abs(day)}"


def day_ticks(origin: float, min_gap_px: float = 70.0):
    """Ticks that count days from `origin` (day 0), for charts aligned on one moment: a
    function of (t0, t1, width px) like `ticks`, labelled "day −12", "day 0", "day +40"."""

    def ticks_from_origin(t0: float, t1: float, width_px: float) -> list[tuple[float, str]]:
        per_day = width_px / max(t1 - t0, 1.0) * 86400
        step = next((s for s in DAY_STEPS if s * per_day >= min_gap_px), DAY_STEPS[-1])
        first = math.ceil((t0 - origin) / 86400 / step) * step
        last = math.floor((t1 - origin) / 86400 / step) * step
        return [(origin + d * 86400.0, day_label(d)) for d in range(first, last + 1, step)][:500]

    return ticks_from_origin
