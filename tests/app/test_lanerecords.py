"""A store lane's fields read from the columns are the records' fields."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.chart.lanerecords import taken
from app.records.eventstore import Strings


@given(
    strings=st.lists(st.text(max_size=12), min_size=1, max_size=40),
    picks=st.lists(st.integers(0, 10_000), max_size=60),
)
def test_the_strings_taken_at_some_rows_are_those_strings(strings, picks):
    rows = np.array([k % len(strings) for k in picks], dtype=np.int64)
    assert taken(Strings.of(strings), rows) == [strings[r] for r in rows.tolist()]
