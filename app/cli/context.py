"""`demarche context`: conflict data kept outside the project, read through DuckDB.

demarche context convert DATA.csv -o DATA.parquet [--by-year]
demarche context summary DATA [--kind acled] --lane israel=Israel,IDF --lane hamas=Hamas
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from app.context.datasets import KINDS, Dataset, DatasetError
from app.fileformat.textfile import printable
from app.records.plural import counted

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3


def add_parser(sub) -> None:
    c = sub.add_parser(
        "context",
        help="conflict data beside the talks (ACLED, UCDP GED): convert and summarise",
        description="Work with conflict datasets that stay outside the project file.",
    )
    verbs = c.add_subparsers(dest="verb", metavar="VERB", required=True)
    v = verbs.add_parser(
        "convert",
        help="write a CSV (or CSV.gz) dataset as Parquet",
        description="Write DATA as Parquet: smaller, and read many times faster. With "
        "--by-year, a folder of Parquet files partitioned by the `year` column.",
    )
    v.add_argument("data", metavar="DATA")
    v.add_argument("-o", "--output", required=True, metavar="OUT")
    v.add_argument("--by-year", action="store_true", help="a folder partitioned by year")
    s = verbs.add_parser(
        "summary",
        help="rows per lane of a dataset, as the chart's strips would count them",
        description="Count DATA's rows per lane. A lane is given as ID=NAME[,NAME…]: a row "
        "matches it when one of its actor columns has a NAME as whole words (any case), "
        'leaving out what is in parentheses ("Protesters (Israel)" is not Israel) unless '
        "the NAME has parentheses itself; or, for country:NAME, when its country is NAME.",
    )
    s.add_argument("data", metavar="DATA")
    s.add_argument(
        "--kind", choices=[*KINDS, "csv"], help="by default, the kind its columns suggest"
    )
    s.add_argument("--lane", action="append", default=[], metavar="ID=NAME,…")
    s.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="for --kind csv: date=…, actors=…, country=…, type=…, fatalities=…",
    )


def cmd_context(args) -> int:
    try:
        return {"convert": _convert, "summary": _summary}[args.verb](args)
    except DatasetError as e:
        print(f"demarche context: {printable(str(e))}", file=sys.stderr)
        return EXIT_USAGE if isinstance(e, UsageError) else EXIT_INVALID


class UsageError(DatasetError):
    """An option written wrong: exit 2, as for any wrong usage."""


FORMS = {"--lane": "ID=NAME[,NAME…]", "--column": "ROLE=COLUMN"}  # as the help shows them


def _pairs(items: list[str], what: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} '{item}': write it as {FORMS[what]}")
        out[key.strip()] = out.get(key.strip(), ()) + tuple(v for v in value.split(",") if v)
    return out


def _summary(args) -> int:
    from app.context.inspect import kind_of
    from app.context.summary import summarise  # DuckDB and numpy: loaded for this verb only

    path = Path(args.data)
    dataset = Dataset(
        id="data",
        path=args.data,
        kind=args.kind or kind_of(path),
        columns=_pairs(args.column, "--column"),
        lanes=_pairs(args.lane, "--lane"),
    )
    s = summarise(dataset, path)
    print(
        f"{printable(args.data)}: {counted(s.rows, 'row')}"
        + (f", {s.undated:,} without a readable date" if s.undated else "")
    )
    for lane, rows in s.lane_rows().items():
        print(f"  {lane or '(no lane)'}: {counted(rows, 'row')}")
    return EXIT_OK


def _convert(args) -> int:
    source, out = Path(args.data), Path(args.output)
    if out.exists() and out.resolve() == source.resolve():
        print("demarche context convert: OUT is DATA itself", file=sys.stderr)
        return EXIT_USAGE
    from app.context.summary import connect, source_sql

    sql = source_sql(source, typed=True)
    folder = out.parent if str(out.parent) else Path(".")
    try:  # written beside OUT, then renamed into place: whole or absent
        tmp = Path(tempfile.mkdtemp(prefix=".demarche-", dir=folder))
    except OSError as e:
        return _cannot_write(out, e)
    target = tmp / ("data" if args.by_year else "data.parquet")
    options = "FORMAT parquet" + (", PARTITION_BY (year)" if args.by_year else "")
    con = connect()
    try:
        try:
            con.execute(f"COPY (SELECT * FROM {sql}) TO '{_quote(target)}' ({options})")
        except Exception:  # a column whose type the sniffer guessed wrong: keep it as text
            con.execute(
                f"COPY (SELECT * FROM {source_sql(source)}) TO '{_quote(target)}' ({options})"
            )
        rows = con.execute(f"SELECT count(*) FROM {source_sql(target)}").fetchone()[0]
        os.replace(target, out)
    except OSError as e:
        return _cannot_write(out, e)
    except Exception as e:
        raise DatasetError(f"{source}: {str(e).splitlines()[0]}") from e
    finally:
        con.close()
        _remove_tree(tmp)
    print(f"{printable(str(out))}: {counted(rows, 'row')}")
    return EXIT_OK


def _cannot_write(out: Path, e: OSError) -> int:
    print(
        f"demarche context convert: cannot write '{printable(str(out))}': {e.strerror or e}",
        file=sys.stderr,
    )
    return EXIT_WRITE


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


COMMANDS = {"context": cmd_context}
