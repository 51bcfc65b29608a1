"""Rows' values held as codes (app/importers/rowgroups.py), held to the plain reading: each
row's values in order, a value named twice in a row kept once (its first), written with
`first` before a row's first value, `other` before the others and `close` after."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.importers.rowgroups import Grouped, Table

VALUES = ["a", "b", "c", "on", "é"]


@given(st.lists(st.lists(st.sampled_from(VALUES), max_size=4), min_size=1, max_size=12))
def test_rows_of_codes_are_the_rows_of_values_each_value_once(rows):
    table = Table()
    codes = [table.code(v) for row in rows for v in row]
    of_row = [r for r, row in enumerate(rows) for _ in row]
    grouped = Grouped(table, np.array(codes, np.int64), np.array(of_row, np.int64), len(rows))
    expected = [tuple(dict.fromkeys(row)) for row in rows]
    assert grouped.tuples() == expected and len(grouped) == len(rows)
    first = [b"[" + v.encode() for v in table.values]
    other = [b", " + v.encode() for v in table.values]
    written = [b"[" + ", ".join(row).encode() + b"]" if row else b"" for row in expected]
    assert grouped.lines(first, other, b"]") == written


def test_a_value_is_coded_once_by_its_key():
    table = Table()
    assert [table.code("x"), table.code("y"), table.code("x")] == [0, 1, 0]
    assert table.code("x2", key="x") == 0 and table.values == ["x", "y"]
