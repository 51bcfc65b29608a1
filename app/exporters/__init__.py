"""Exports other tools read, as text: one module per format, each with `dumps(project) -> str`.

The chart pictures (PNG, SVG, PDF) are drawn by `app.export`; these write data, not pictures.
"""

from __future__ import annotations

from collections.abc import Callable

from app import tables
from app.exporters import ical, markwhen, timelinejs

WRITERS: dict[str, Callable[..., str]] = {  # each called with the project
    ".ics": ical.dumps,
    ".mw": markwhen.dumps,
    ".json": timelinejs.dumps,
    ".csv": tables.dumps,  # one table: table="events" (default), "demands", ...
}
NAMES = {".ics": "iCalendar", ".mw": "Markwhen", ".json": "TimelineJS", ".csv": "CSV tables"}
