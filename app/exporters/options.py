"""What a chart export is asked for: options shared by the command line, the export dialog
and the exporter, and the error that says why an export cannot be made. No Qt here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.records.model import Project


@dataclass
class ExportOptions:
    t0: float | None = None
    t1: float | None = None
    actors: list[str] | None = None  # only these lanes (with their nested lanes collapsed in)
    width: int | None = None  # px; for PDF and SVG the page size in px at 96 dpi
    height: int | None = None
    dpi: int = 96
    scale: float = 1.0  # PNG device pixel ratio, for high-DPI output
    theme: str = "light"
    title: str | None = None
    subtitle: str | None = None
    legend: bool = True
    source_line: bool = True
    transparent: bool = False
    show_demands: bool = True
    demand_list: bool = True  # number the arrows and list the demands under the chart
    show_phases: bool = True
    context: list = field(default_factory=list)  # chart.context.ContextLayer: strips drawn
    # Called with (steps done, steps in all) between the steps of a long export; what it
    # raises (the person cancelled) stops the export before anything is written.
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)

    def step(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


class ExportError(Exception):
    """An export that cannot be made, with a reason for the person."""


def subset(project: Project, actor_ids: list[str] | None) -> Project:
    """The project restricted to some actors' lanes."""
    if not actor_ids:
        return project
    keep = set(actor_ids)
    actors = [
        replace(a, parent=a.parent if a.parent in keep else "", hidden=False)
        for a in project.actors
        if a.id in keep
    ]
    events = [e for e in project.events if e.actor in keep]
    demands = [d for d in project.demands if d.from_ in keep and d.to in keep]
    return replace(project, actors=actors, events=events, demands=demands)
