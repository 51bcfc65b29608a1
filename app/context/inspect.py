"""A first look at a dataset before it is added: its columns, its rows, and the kind its
columns suggest."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from app.context.datasets import KIND_TITLES, DatasetError, guess_kind
from app.context.summary import checked_connection, columns_of, source_sql


@contextmanager
def _reading(path: Path, on_connect=None):
    """(connection, source) over the dataset at `path`; DuckDB's errors said as the
    dataset's. `on_connect(con)` is told the connection, so another thread may interrupt it."""
    if not path.exists():
        raise DatasetError(f"{path}: missing")
    source = source_sql(path)
    con = checked_connection(path, on_connect)
    try:
        yield con, source
    except DatasetError:
        raise
    except Exception as e:
        raise DatasetError(f"{path}: {str(e).splitlines()[0]}") from e
    finally:
        con.close()


def kind_of(path: Path) -> str:
    """The kind a dataset's columns suggest, read from its header alone; an error naming
    its columns when they are no known kind's."""
    with _reading(path) as (con, source):
        columns = columns_of(con, source)
    kind = guess_kind(columns)
    if kind == "csv":
        named = ", ".join(columns[:8]) + (", …" if len(columns) > 8 else "")
        known = " or ".join(KIND_TITLES.values())
        raise DatasetError(
            f"{path}: its columns are not those of {known} ({named}): "
            "name its date and actor columns (--kind csv --column date=… --column actors=…)"
        )
    return kind


def look(path: Path, on_connect=None) -> tuple[list[str], int]:
    """(columns, rows) of a dataset, read by DuckDB."""
    with _reading(path, on_connect) as (con, source):
        columns = columns_of(con, source)
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    return columns, int(rows)


CHOICES_LIMIT = 500  # values offered per column: more is no list a person reads


def choices(dataset, path: Path, on_connect=None) -> dict[str, list[str]]:
    """The countries and event types a dataset's rows hold ({"countries": […], "types":
    […]}, each sorted, empty when the kind has no such column), for its filters to offer.
    One pass over the rows, by DuckDB."""
    with _reading(path, on_connect) as (con, source):
        have = set(columns_of(con, source))
        roles = dataset.column_roles()
        picked = {
            key: next((c for c in roles[role] if c in have), None)
            for key, role in (("countries", "country"), ("types", "type"))
        }
        out: dict[str, list[str]] = {key: [] for key in picked}
        columns = [(key, c) for key, c in picked.items() if c]
        if columns:
            # One pass, a group per distinct value of each column (grouping sets).
            names = [f'CAST("{c.replace(chr(34), chr(34) * 2)}" AS VARCHAR)' for _, c in columns]
            sets = ", ".join(f"({n})" for n in names)
            rows = con.execute(
                f"SELECT {', '.join(names)} FROM {source} GROUP BY GROUPING SETS ({sets})"
            ).fetchall()
            for k, (key, _) in enumerate(columns):
                out[key] = sorted({r[k] for r in rows if r[k]})[:CHOICES_LIMIT]
    return out
