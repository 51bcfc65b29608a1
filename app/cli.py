"""The command line: validate, info, export, or open the editor.

Exit codes:
  0  success (validate: every file is valid; warnings alone do not fail)
  1  a file is invalid or cannot be read
  2  wrong usage (unknown command or option, bad option value)
  3  the output could not be written
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime

from app import projectfile
from app.atomic import write_atomic
from app.projectfile import ProjectFileError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3
COMMANDS = ("validate", "info", "export")

EPILOG = """exit codes: 0 success, 1 invalid or unreadable input, 2 wrong usage,
3 output could not be written"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="demarche",
        description="Demarche: a visual timeline editor for negotiations and conflicts.\n"
        "With a FILE or nothing, opens the editor.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    v = sub.add_parser(
        "validate",
        help="check project files",
        epilog=EPILOG,
        description="Check project files; print every error as FILE:LINE:COL: message.",
    )
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument(
        "-q", "--quiet", action="store_true", help="print errors only, no warnings or summary"
    )
    i = sub.add_parser(
        "info",
        help="summarise a project",
        epilog=EPILOG,
        description="Print counts, date span, open demands, and actors without events.",
    )
    i.add_argument("file", metavar="FILE")
    e = sub.add_parser(
        "export",
        help="write a project as canonical YAML or a chart (PNG, SVG, PDF)",
        epilog=EPILOG,
        description="Export a project. The format follows the suffix of OUT: .yaml writes the "
        "canonical form; .png, .svg and .pdf draw the chart.",
    )
    e.add_argument("file", metavar="FILE")
    e.add_argument("-o", "--output", required=True, metavar="OUT")
    e.add_argument(
        "--from", dest="date_from", metavar="DATE", help="start of the time range, e.g. 2023-10-01"
    )
    e.add_argument("--to", dest="date_to", metavar="DATE", help="end of the time range")
    e.add_argument("--actors", metavar="ID,ID", help="only these actors' lanes")
    e.add_argument(
        "--width", type=int, metavar="PX", help="width in pixels (PNG at least 1920 by default)"
    )
    e.add_argument(
        "--height",
        type=int,
        metavar="PX",
        help="height in pixels (default: tall enough for every lane)",
    )
    e.add_argument(
        "--dpi",
        type=int,
        default=None,
        metavar="N",
        help="resolution written into PNG and PDF files",
    )
    e.add_argument("--theme", choices=("light", "dark"), default="light")
    e.add_argument("--title", help="chart title (default: the project title)")
    e.add_argument("--subtitle", help="chart subtitle (default: the date span)")
    e.add_argument("--no-legend", action="store_true", help="leave out the legend")
    e.add_argument("--transparent", action="store_true", help="PNG with a transparent background")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        if argv and argv[0].startswith("-") and argv[0] not in ("--",):
            _parser().parse_args(argv)  # reports the unknown option, exit 2
        from widgets.launch import run_gui  # the editor is only imported when wanted

        return run_gui([a for a in argv if a != "--"])
    args = _parser().parse_args(argv)
    return {"validate": cmd_validate, "info": cmd_info, "export": cmd_export}[args.command](args)


def cmd_validate(args) -> int:
    status = EXIT_OK
    for name in args.files:
        warnings: list[projectfile.Diagnostic] = []
        try:
            projectfile.load(name, warnings)
        except ProjectFileError as exc:
            status = EXIT_INVALID
            for d in exc.diagnostics:
                print(d)
            continue
        if not args.quiet:
            for w in warnings:
                print(w)
            print(
                f"{name}: ok"
                + (
                    f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})"
                    if warnings
                    else ""
                )
            )
    return status


def _load_or_report(name: str):
    try:
        return projectfile.load(name)
    except ProjectFileError as exc:
        for d in exc.diagnostics:
            print(d, file=sys.stderr)
        return None


def _day(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")


def cmd_info(args) -> int:
    p = _load_or_report(args.file)
    if p is None:
        return EXIT_INVALID
    whens = (
        [e.when for e in p.events]
        + [d.raised for d in p.demands]
        + [d.resolved for d in p.demands if d.resolved]
    )
    los = [w.lo for w in whens if w.lo is not None]
    his = [w.hi for w in whens if w.hi is not None]
    used = {e.actor for e in p.events} | {a for e in p.events for a in e.with_}
    idle = [a for a in p.actors if a.id not in used]
    open_demands = [d for d in p.demands if d.status == "open"]
    print(f"{p.title}")
    print(f"  file:     {args.file}")
    print(f"  actors:   {len(p.actors)}")
    print(f"  events:   {len(p.events)}")
    print(f"  demands:  {len(p.demands)} ({len(open_demands)} open)")
    print(f"  phases:   {len(p.phases)}")
    print(f"  sources:  {len(p.sources)}")
    if los and his:
        print(f"  span:     {_day(min(los))} to {_day(max(his) - 1)}")
    for d in open_demands:
        print(f"  open demand: {d.id}: {d.from_} -> {d.to}: {d.text}")
    for a in idle:
        print(f"  actor without events: {a.id} ({a.name})")
    return EXIT_OK


def cmd_export(args) -> int:
    out = args.output
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in (".yaml", ".yml", ".png", ".svg", ".pdf"):
        print(
            f"demarche export: cannot tell the format of '{out}': use .yaml, .png, .svg or .pdf",
            file=sys.stderr,
        )
        return EXIT_USAGE
    p = _load_or_report(args.file)
    if p is None:
        return EXIT_INVALID
    if suffix in (".yaml", ".yml"):
        try:
            write_atomic(out, projectfile.dumps(p).encode("utf-8"))
        except OSError as exc:
            print(f"demarche export: cannot write '{out}': {exc.strerror or exc}", file=sys.stderr)
            return EXIT_WRITE
        return EXIT_OK
    from app import export  # Qt painting, loaded only for charts

    return export.export_from_cli(p, args)
