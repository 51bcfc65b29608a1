"""`demarche info`: what a project holds, in a few lines."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from app.fileformat import projectfile
from app.fileformat.projectfile import ProjectFileError
from app.fileformat.textfile import printable
from app.records.eventstore import values
from app.records.plural import counted
from app.records.when import clamp

EXIT_OK, EXIT_INVALID = 0, 1
LISTED = 20  # open demands and actors without events listed, unless --all


def load_or_report(name: str):
    """The project in a file, or None with its problems said on stderr."""
    try:
        return projectfile.load(name)
    except ProjectFileError as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return None


def _day(seconds: float) -> str:
    return datetime.fromtimestamp(clamp(seconds), tz=UTC).strftime("%Y-%m-%d")


def cmd_info(args) -> int:
    p = load_or_report(args.file)
    if p is None:
        return EXIT_INVALID
    # Each field of every record from a store's columns: a record is made for none.
    dated = (p.events, "when"), (p.demands, "raised"), (p.demands, "resolved")
    whens = set().union(*(values(records, attr) for records, attr in dated)) - {None}
    los = [w.lo for w in whens if w.lo is not None]
    his = [w.hi for w in whens if w.hi is not None]
    used = set(values(p.events, "actor")).union(*values(p.events, "with_"))
    idle = [a for a in p.actors if a.id not in used]
    fields = zip(
        *(values(p.demands, f) for f in ("status", "id", "from_", "to", "text")), strict=True
    )
    open_demands = [d for d in fields if d[0] == "open"]
    print(printable(p.title))
    print(f"  file:     {printable(args.file)}")
    print(f"  actors:   {len(p.actors)}")
    print(f"  events:   {len(p.events)}")
    print(f"  demands:  {len(p.demands)} ({len(open_demands)} open)")
    print(f"  phases:   {len(p.phases)}")
    print(f"  sources:  {len(p.sources)}")
    if los and his:
        print(f"  span:     {_day(min(los))} to {_day(max(his) - 1)}")
    if p.views:
        print(f"  views:    {', '.join(v.id for v in p.views)}")
    # The context layers are the chart's (Qt): imported by the commands that use them, so
    # that validate, merge and the rest start without Qt (0.3 s each).
    from app.context import project as context_project

    for loaded in context_project.load(p, args.file):
        print(
            printable(
                f"  context:  {loaded.record.title} ({loaded.record.path}): {_context_line(loaded)}"
            )
        )
    demands = [f"  open demand: {i}: {a} -> {b}: {text}" for _, i, a, b, text in open_demands]
    _listed(demands, "open demands", args.all)
    _listed([f"  actor without events: {a.id} ({a.name})" for a in idle], "actors", args.all)
    return EXIT_OK


def _listed(lines: list[str], what: str, every: bool) -> None:
    """The first LISTED lines, and how many more (a generated project of 20,000 events
    listed its 796 open demands)."""
    shown = lines if every else lines[:LISTED]
    for line in shown:
        print(printable(line))
    if len(lines) > len(shown):
        print(f"  … and {len(lines) - len(shown):,} more {what} (--all lists every one)")


def _context_line(loaded) -> str:
    if loaded.summary is None:
        return loaded.problem
    s = loaded.summary
    counts = s.lane_rows()
    lanes = [f"{lane or 'no lane'} {n:,}" for lane, n in counts.items() if n or not lane]
    # a lane per actor: most match nothing, and would bury the few that count
    empty = [lane for lane, n in counts.items() if lane and not n]
    if empty:
        lanes.append(f"no rows for {counted(len(empty), 'lane')} ({', '.join(empty)})")
    undated = f", {s.undated:,} without a readable date" if s.undated else ""
    return f"{counted(s.rows, 'row')}{undated}; per lane: {'; '.join(lanes)}"
