"""Exports other tools read, as text: one module per format, each with `dumps(project) -> str`.

The chart pictures (PNG, SVG, PDF) are drawn by `app.exporters.images`; these write data, not pictures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from app.records.collector import collector_held


def _when_used(module: str) -> Callable[..., str]:
    """`module.dumps`, imported on first use: the command line starts 0.1 s sooner
    without the iCalendar library."""

    @collector_held
    def dumps(project, **options) -> str:
        return importlib.import_module(module).dumps(project, **options)

    return dumps


MODULES = {  # each with dumps(project, **options) -> str
    ".ics": "app.exporters.ical",
    ".mw": "app.exporters.markwhen",
    ".json": "app.exporters.timelinejs",
    ".csv": "app.exporters.csvtables",  # one table: table="events" (default), "demands", ...
}
WRITERS: dict[str, Callable[..., str]] = {  # each called with the project
    suffix: _when_used(module) for suffix, module in MODULES.items()
}
NAMES = {".ics": "iCalendar", ".mw": "Markwhen", ".json": "TimelineJS", ".csv": "CSV tables"}
