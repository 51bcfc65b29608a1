"""A first look at a dataset before it is added: its columns, its rows, and the kind its
columns suggest."""

from __future__ import annotations

from pathlib import Path

from app.context.datasets import KINDS, DatasetError
from app.context.summary import check_whole, columns_of, connect, source_sql


def guess_kind(columns: list[str]) -> str:
    """The kind whose date and actor columns the data has, else `csv`."""
    have = set(columns)
    for kind, roles in KINDS.items():
        if set(roles["date"]) <= have and roles["actors"][0] in have:
            return kind
    return "csv"


def look(path: Path, on_connect=None) -> tuple[list[str], int]:
    """(columns, rows) of a dataset, read by DuckDB."""
    if not path.exists():
        raise DatasetError(f"{path}: missing")
    source = source_sql(path)
    check_whole(path)
    con = connect()
    if on_connect:
        on_connect(con)
    try:
        columns = columns_of(con, source)
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    except Exception as e:
        raise DatasetError(f"{path}: {str(e).splitlines()[0]}") from e
    finally:
        con.close()
    return columns, int(rows)
