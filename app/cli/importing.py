"""`demarche import SRC... -o OUT.yaml`: other tools' files into a project."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial

from app.fileformat import projectfile
from app.fileformat.atomic import ReadOnlyFile, write_atomic
from app.fileformat.projectfile import ProjectFileError
from app.fileformat.textfile import printable
from app.importers import FORMATS, ImportFailed, import_files, registry, write_canonical
from app.importers.repeats import event_keys, repeated, repeats_words
from app.records.collector import collection_paused

EPILOG = """Formats (--format; found from each file's content and suffix when not given):
{formats}

csv: columns found by name, or --map; Demarche's own tables are read back exactly. xlsx:
the first sheet, read as the table its header shows. A file with some bad rows imports the
others and lists each skipped row as FILE:ROW: reason.

exit codes: 0 imported (rows may have been skipped), 1 a file is not of the format or no
row could be read, 2 wrong usage, 3 OUT could not be written (or is read-only, or is one of
the SRC files)"""


def add_parser(sub) -> None:
    i = sub.add_parser(
        "import",
        help="bring in other tools' files (" + ", ".join(FORMATS) + ")",
        description="Import files into a project, written as canonical YAML to OUT.",
        epilog=EPILOG.format(formats=registry.help_text()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    i.add_argument("sources", nargs="+", metavar="SRC")
    i.add_argument("-o", "--output", required=True, metavar="OUT")
    i.add_argument("--force", action="store_true", help="replace OUT even if it is read-only")
    i.add_argument("--format", choices=FORMATS, help="the format of every SRC (xlsx: also .ods)")
    i.add_argument("--into", metavar="PROJECT", help="add to this project (actors matched by name)")
    i.add_argument(
        "--map",
        metavar="FIELD=COLUMN,...",
        help="for csv: which column holds which field (title, when, start, end, actor, with, "
        "type, tags, text, sources, id)",
    )
    i.add_argument("--month-first", action="store_true", help="read 03/04/2023 as 4 March")
    i.add_argument(
        "--link-outcomes",
        action="store_true",
        help="for plover: apply later REJECT/AGREE/CONCEDE records as the demands' history "
        "(each is listed either way)",
    )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def cmd_import(args) -> int:
    # (--into the same project as OUT is allowed: it is read whole before OUT is written.)
    source = next((s for s in args.sources if _same_file(s, args.output)), None)
    if source is not None:
        print(
            f"demarche import: OUT '{args.output}' is the file being imported ('{source}'): "
            "give another OUT; nothing written",
            file=sys.stderr,
        )
        return 3
    columns = None
    if args.map:
        try:
            columns = dict(pair.split("=", 1) for pair in args.map.split(","))
        except ValueError:
            print(
                "demarche import: --map takes FIELD=COLUMN pairs, e.g. title=Headline",
                file=sys.stderr,
            )
            return 2
    into = None
    if args.into:
        try:
            into = projectfile.load(args.into)
        except ProjectFileError as exc:
            for d in exc.diagnostics:
                print(d, file=sys.stderr)
            return 1
    with collection_paused():
        return _import(args, into, columns)


def _import(args, into, columns) -> int:
    had = len(into.events) if into is not None else 0
    before = set(event_keys(into)) if had else set()  # before the import adds to it
    try:
        project, reports = import_files(
            args.sources,
            args.format,
            into,
            columns,
            args.month_first,
            args.link_outcomes,
            ahead=True,  # a helper process may read a large file too: one thread runs here
        )
    except ImportFailed as exc:
        print(f"demarche import: {printable(str(exc))}", file=sys.stderr)
        return 1
    for path, kind, report in reports:
        print(printable(path))
        for line in report.lines(kind):
            print(printable(f"  {line}"))
    if not any(sum(r.created.values()) or r.given for _, _, r in reports):
        read = any(r.rows for _, _, r in reports)
        why = "the rows read add nothing" if read else "no row could be read"
        print(f"demarche import: {why}; nothing written", file=sys.stderr)
        return 1
    n = repeated(before, event_keys(project, had)) if before else 0
    if n:
        warning = repeats_words(n, printable(args.into))
        print(f"demarche import: warning: {warning}: imported again", file=sys.stderr)
    try:
        # Written as it is made: the file is never held whole (the builders keep ids
        # unique and references whole, so it is a valid project).
        write_atomic(
            args.output,
            partial(write_canonical, project),
            replace_read_only=args.force,
            line_ends_from=args.output,  # --into talks.yaml -o talks.yaml: CR LF stays
        )
    except ImportFailed as exc:  # too large to open again
        print(f"demarche import: {printable(str(exc))}; nothing written", file=sys.stderr)
        return 1
    except ReadOnlyFile:
        print(
            f"demarche import: '{args.output}' is read-only (--force replaces it); nothing written",
            file=sys.stderr,
        )
        return 3
    except OSError as exc:
        print(
            f"demarche import: cannot write '{args.output}': {exc.strerror or exc}", file=sys.stderr
        )
        return 3
    return 0


COMMANDS = {"import": cmd_import}
