"""The command line: validate, info, export. (`demarche` with a file or nothing opens the
editor: widgets/launch.py decides, with `opens_editor` below.)

Exit codes:
  0  success (validate: every file is valid; warnings alone do not fail)
  1  a file is invalid or cannot be read
  2  wrong usage (unknown command or option, bad option value)
  3  the output could not be written
"""

from __future__ import annotations

import argparse
import difflib
import functools
import importlib
import os
import re
import sys

from app import exporters
from app.cli import info
from app.cli import team as teamcli
from app.cli.info import load_or_report
from app.exporters import csvtables as tables
from app.exporters.options import ExportError, ExportOptions
from app.fileformat import projectfile
from app.fileformat.atomic import ReadOnlyFile, write_atomic
from app.fileformat.canonical import dumps_utf8
from app.fileformat.projectfile import ProjectFileError
from app.fileformat.textfile import printable
from app.records import filter as filters
from app.records.model import Project
from app.records.plural import counted
from app.records.when import WhenError, parse

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3
EXIT_PIPE = 141  # the output pipe was closed early, as other Unix tools exit
# Verbs whose modules are loaded only when one is run or the help lists them all: the
# readers of every import format and the context data cost about 70 ms of each start
# (the git drivers start once a file). Each module has add_parser(sub) and COMMANDS.
LAZY = {"import": "app.cli.importing", "context": "app.cli.context"}
LAZY["install-desktop"] = "app.cli.desktop"
COMMANDS = ("validate", "info", "export", "compare", *teamcli.COMMANDS, *LAZY)

EPILOG = """exit codes: 0 success, 1 invalid or unreadable input, 2 wrong usage,
3 output could not be written"""


@functools.cache  # built once a process (about 10 ms): tests call main() hundreds of times
def _parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or (for `verb`) one that knows the lazy verbs' names
    only, but for `verb`'s own."""
    p = argparse.ArgumentParser(
        prog="demarche",
        description="Demarche: a visual timeline editor for negotiations and conflicts.\n"
        "`demarche FILE` (or nothing) opens the editor; `python -m app` runs these commands only.",
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
    i.add_argument(
        "--all",
        action="store_true",
        help=f"list every open demand and idle actor (else {info.LISTED})",
    )
    e = sub.add_parser(
        "export",
        help="write a project as YAML, a chart (PNG, SVG, PDF, web page), TimelineJS, CSV, iCalendar or Markwhen",
        epilog=EPILOG,
        description="Export a project. The format follows the suffix of OUT: .yaml writes the "
        "canonical form; .png, .svg and .pdf draw the chart; .html writes the chart as one "
        "self-contained web page that works offline (zoom, hover, search, tables); .json writes TimelineJS (events as "
        "slides, phases as eras, lanes as groups); .ics writes an iCalendar file "
        "(one event per event, the exact date kept in X-EDTF); .csv writes one table of records "
        "(--table) with self-describing headers; .mw writes Markwhen (lanes as "
        "sections, demands and phases as tagged entries).",
    )
    e.add_argument("file", metavar="FILE")
    e.add_argument("-o", "--output", required=True, metavar="OUT")
    e.add_argument(
        "--from", dest="date_from", metavar="DATE", help="start of the time range, e.g. 2023-10-01"
    )
    e.add_argument("--to", dest="date_to", metavar="DATE", help="end of the time range")
    e.add_argument("--actors", metavar="ID,ID", help="only these actors' lanes")
    e.add_argument(
        "--view",
        metavar="ID",
        help="only what the project's saved view ID shows, at its zoom (any format)",
    )
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
        help="resolution of PNG and PDF files, 30 to 1200 (without --width, a PNG is scaled "
        "to it); a PNG has at most 100 megapixels",
    )
    e.add_argument("--theme", choices=("light", "dark"), default="light")
    e.add_argument("--title", help="chart title (default: the project title)")
    e.add_argument("--subtitle", help="chart subtitle (default: the date span)")
    e.add_argument("--no-legend", action="store_true", help="leave out the legend")
    e.add_argument(
        "--no-demand-list",
        action="store_true",
        help="leave out the arrows' numbers and the numbered list of demands under the chart",
    )
    e.add_argument(
        "--demands-as-slides",
        action="store_true",
        help="TimelineJS: each demand also as a slide, with its status history",
    )
    e.add_argument(
        "--table",
        choices=tables.TABLES,
        default="events",
        help="CSV: which records (default: events); export each and import them together "
        "to get the project back",
    )
    e.add_argument(
        "--excel",
        action="store_true",
        help="CSV for Excel: a byte-order mark, the locale's list separator (';' where the "
        "decimal mark is a comma), and a quote mark before cells Excel would run as formulas",
    )
    e.add_argument("--transparent", action="store_true", help="PNG with a transparent background")
    e.add_argument("--force", action="store_true", help="replace OUT even if it is read-only")
    c = sub.add_parser(
        "compare",
        help="two negotiations on one axis, aligned on an event of each",
        epilog=EPILOG,
        description="Draw A above B on one time axis, shifted so that A_REF and B_REF (an "
        "event's id, or a date) fall on day 0; the axes count days before and after. OUT is "
        ".png, .svg, .pdf or .html.",
    )
    c.add_argument("files", nargs=2, metavar="FILE")
    c.add_argument("--align", nargs=2, required=True, metavar=("A_REF", "B_REF"))
    c.add_argument("-o", "--output", required=True, metavar="OUT")
    c.add_argument("--width", type=int, metavar="PX")
    c.add_argument("--theme", choices=["light", "dark"], default="light")
    c.add_argument("--no-legend", action="store_true")
    c.add_argument("--force", action="store_true", help="replace OUT even if it is read-only")
    for name, module in LAZY.items():
        if verb in (None, name):
            importlib.import_module(module).add_parser(sub)
        else:
            sub.add_parser(name)  # its arguments are not parsed here
        if name == "import":  # (the order `--help` lists them in)
            teamcli.add_parsers(sub)
    return p


def looks_like_command(word: str) -> bool:
    """A word that is no file here and reads as a mistyped command, not a file name."""
    return not os.path.exists(word) and re.fullmatch(r"[a-z][a-z-]*", word) is not None


def opens_editor(argv: list[str]) -> bool:
    """Whether these arguments are for the editor (files, or nothing) rather than a command."""
    if not argv:
        return True
    if any(a in ("-h", "--help") for a in argv):
        return False
    first = argv[0]
    if first in COMMANDS or (first.startswith("-") and first != "--"):
        return False
    return not looks_like_command(first)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # `demarche validate … | head`: the reader has had enough
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the interpreter's flush is quiet
        return EXIT_PIPE


def run(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and any(a in ("-h", "--help") for a in argv)):
        _parser().parse_args(["--help"])  # prints the help and exits 0
    if argv[0] not in COMMANDS and not argv[0].startswith("-"):
        hint = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else f" (commands: {', '.join(COMMANDS)})"
        if os.path.exists(argv[0]):  # `python -m app FILE`: the editor is another program
            extra = " (to open a file in the editor: demarche FILE, or python -m widgets FILE)"
        print(f"demarche: unknown command '{printable(argv[0])}'{extra}", file=sys.stderr)
        return EXIT_USAGE
    args = _parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    if args.command in LAZY:
        return importlib.import_module(LAZY[args.command]).COMMANDS[args.command](args)
    handlers = {
        "validate": cmd_validate,
        "info": info.cmd_info,
        "export": cmd_export,
        "compare": cmd_compare,
        **teamcli.COMMANDS,
    }
    return handlers[args.command](args)


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
        conflicts = [d for d in warnings if not d.warning]  # left by a merge
        if conflicts:
            status = EXIT_INVALID
        for d in warnings if not args.quiet else conflicts:
            print(d)
        if not args.quiet and not conflicts:
            count = f" ({counted(len(warnings), 'warning')})"
            print(f"{printable(name)}: ok" + (count if warnings else ""))
    return status


def cmd_export(args) -> int:
    out = args.output
    suffix = os.path.splitext(out)[1].lower()
    if suffix not in (".yaml", ".yml", ".png", ".svg", ".pdf", ".html", *exporters.WRITERS):
        print(
            f"demarche export: cannot tell the format of '{out}': "
            "use .yaml, .png, .svg, .pdf, .html, .json, .csv, .ics or .mw",
            file=sys.stderr,
        )
        return EXIT_USAGE
    p = load_or_report(args.file)
    if p is None:
        return EXIT_INVALID
    zoom = None
    if args.view is not None:
        try:
            p, zoom = _in_view(p, args.view)
        except ExportError as exc:
            print(f"demarche export: {printable(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
    if p.conflicts:
        print(
            f"demarche export: {args.file} has {counted(len(p.conflicts), 'unresolved merge conflict')}; "
            "resolve them in the editor (or demarche validate lists them) first",
            file=sys.stderr,
        )
        return EXIT_INVALID
    try:
        if suffix in (".yaml", ".yml"):
            write_atomic(out, dumps_utf8(p), replace_read_only=args.force, line_ends_from=out)
            return EXIT_OK
        if suffix in exporters.WRITERS:
            extra = {
                ".json": {"demands_as_slides": args.demands_as_slides},
                ".csv": {"table": args.table, "excel": args.excel},
            }.get(suffix, {})
            text = exporters.WRITERS[suffix](p, **extra)
            write_atomic(out, text.encode("utf-8"), replace_read_only=args.force)
            return EXIT_OK
        options = options_from_args(p, args)
        if zoom is not None and args.date_from is None and args.date_to is None:
            options.t0, options.t1 = zoom.lo, zoom.hi  # the span the view opens at
        from app.context import project as context_project

        options.context = context_project.layers(p, args.file)
        ensure_gui_application()
        # Qt painting, loaded only for charts
        from app.exporters.images import ChartExporter
        from app.exporters.webpage import WebPage

        exporter = WebPage if suffix == ".html" else ChartExporter
        exporter(p, options).write(out, replace_read_only=args.force)
    except ExportError as exc:
        print(f"demarche export: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ReadOnlyFile:
        print(f"demarche export: '{out}' is read-only (--force replaces it)", file=sys.stderr)
        return EXIT_WRITE
    except OSError as exc:
        print(f"demarche export: cannot write '{out}': {exc.strerror or exc}", file=sys.stderr)
        return EXIT_WRITE
    return EXIT_OK


def _in_view(project: Project, view_id: str):
    """The project as its saved view shows it, and the span the view opens at."""
    views = {v.id: v for v in project.views}
    view = views.get(view_id)
    if view is None:
        hint = difflib.get_close_matches(view_id, list(views), n=1)
        known = (
            f" (did you mean '{hint[0]}'?)" if hint else f" (views: {', '.join(views) or 'none'})"
        )
        raise ExportError(f"--view: no view '{view_id}'{known}")
    return filters.shown(project, filters.of_view(view)), view.zoom


def cmd_compare(args) -> int:
    from app.context import project as context_project

    projects = [load_or_report(f) for f in args.files]
    if None in projects:
        return EXIT_INVALID
    if args.width is not None and not 200 <= args.width <= 20000:
        print(
            f"demarche compare: --width: {args.width} is out of range (200 to 20000)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = ExportOptions(width=args.width, theme=args.theme, legend=not args.no_legend)
    ensure_gui_application()
    from app.exporters.compare import Comparison  # Qt painting, loaded only for charts

    try:
        Comparison(
            projects,
            list(args.align),
            options,
            context_project.compared_layers(projects, args.files),
        ).write(args.output, replace_read_only=args.force)
    except ExportError as exc:
        print(f"demarche compare: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ReadOnlyFile:
        print(
            f"demarche compare: '{args.output}' is read-only (--force replaces it)", file=sys.stderr
        )
        return EXIT_WRITE
    except OSError as exc:
        print(
            f"demarche compare: cannot write '{args.output}': {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_WRITE
    return EXIT_OK


def ensure_gui_application():
    """A QGuiApplication for painting text, on the offscreen platform when none runs."""
    from PySide6 import QtGui

    app = QtGui.QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QtGui.QGuiApplication(["demarche"])
    return app


def options_from_args(project: Project, args) -> ExportOptions:
    """Read and check the command line's export flags; raise ExportError with a reason."""

    def date(flag: str, text: str | None, end: bool) -> float | None:
        if text is None:
            return None
        try:
            w = parse(text)
        except WhenError as exc:
            raise ExportError(f"{flag}: {exc}") from None
        value = w.hi if end else w.lo
        if value is None:
            raise ExportError(f"{flag}: needs a date, not an open interval")
        return value

    actors = None
    if args.actors:
        actors = [a.strip() for a in args.actors.split(",") if a.strip()]
        known = {a.id for a in project.actors}
        unknown = [a for a in actors if a not in known]
        if unknown:
            hints = [
                f"'{u}'"
                + (
                    f" (did you mean '{m[0]}'?)"
                    if (m := difflib.get_close_matches(u, known, n=1))
                    else ""
                )
                for u in unknown
            ]
            raise ExportError(f"--actors: unknown actor {', '.join(hints)}")
    for flag, value, low, high in (
        ("--width", args.width, 200, 20000),
        ("--height", args.height, 100, 20000),
        ("--dpi", args.dpi, 30, 1200),
    ):
        if value is not None and not low <= value <= high:
            raise ExportError(f"{flag}: {value} is out of range ({low} to {high})")
    t0, t1 = date("--from", args.date_from, False), date("--to", args.date_to, True)
    if t0 is not None and t1 is not None and t1 <= t0:
        raise ExportError("--to comes before --from")
    # With only one end given, ChartExporter.time_range pads the other from the data.
    return ExportOptions(
        t0=t0,
        t1=t1,
        actors=actors,
        width=args.width,
        height=args.height,
        dpi=args.dpi or 96,
        theme=args.theme,
        title=args.title,
        subtitle=args.subtitle,
        legend=not args.no_legend,
        demand_list=not args.no_demand_list,
        transparent=args.transparent,
    )
