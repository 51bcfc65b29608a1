"""Date ticks for exported charts: a unit chosen so labels never crowd each other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.when import clamp

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
    ("months", 1, "%b %Y"),
    ("months", 3, "%b %Y"),
    ("months", 6, "%b %Y"),
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
    """(time, label) pairs between t0 and t1, spaced at least `min_gap_px` apart. Only
    dates within the calendar (years 1 to 9999) are labelled."""
    span = max(t1 - t0, 1.0)
    t0, t1 = clamp(t0), clamp(t1)
    kind, n, fmt = next(
        (
            step
            for step in STEPS
            if _approx_seconds(step[0], step[1]) / span * width_px >= min_gap_px
        ),
        STEPS[-1],
    )
    start = datetime.fromtimestamp(t0, tz=UTC)
    d = _start(start, kind, n)
    out = []
    while d.timestamp() <= t1 and len(out) < 500:
        if d.timestamp() >= t0:
            out.append(
                (d.timestamp(), d.strftime(fmt).lstrip("0") if kind == "days" else d.strftime(fmt))
            )
        try:
            d = _next(d, kind, n)
        except (ValueError, OverflowError):  # past the end of year 9999
            break
    return out
