"""Exports other tools read, as text: one module per format, each with `dumps(project) -> str`.

The chart pictures (PNG, SVG, PDF) are drawn by `app.exporters.images`; these write data, not pictures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def _when_used(module: str) -> Callable[..., str]:
    """`module.dumps`, imported on first use: the command line starts 0.1 s sooner
    without the iCalendar library."""

    def dumps(project, **options) -> str:
        return importlib.import_module(module).dumps(project, **options)

    return dumps


WRITERS: dict[str, Callable[..., str]] = {  # each called with the project
    ".ics": _when_used("app.exporters.ical"),
    ".mw": _when_used("app.exporters.markwhen"),
    ".json": _when_used("app.exporters.timelinejs"),
    ".csv": _when_used(
        "app.exporters.csvtables"
    ),  # one table: table="events" (default), "demands", ...
}
NAMES = {".ics": "iCalendar", ".mw": "Markwhen", ".json": "TimelineJS", ".csv": "CSV tables"}
