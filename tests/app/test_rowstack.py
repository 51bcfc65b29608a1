"""Sub-rows of lanes (app/chart/rowstack.py): every way of stacking them gives the rows of
the rule applied one event at a time (`first_free`), whatever the lanes hold."""

from __future__ import annotations

import tracemalloc
from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import rowstack
from app.chart.rowstack import first_free, stack_lanes, stack_rows


def test_rows_take_the_first_free_sub_row():
    lo = np.array([0, 1, 2, 5, 5, 6], dtype=float)
    hi = np.array([3, 4, 5, 6, 9, 7], dtype=float)
    assert stack_rows(lo, hi).tolist() == [0, 1, 2, 0, 1, 0]


def _one_by_one(lo: np.ndarray, hi: np.ndarray) -> list[int]:
    ends: list[float] = []
    return [first_free(ends, a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]


# Starts from few values, so that many events share one (dates by the day) and lanes are
# stacked a start at a time; lengths of 0 (points) and below, and infinite ends.
_spans = st.lists(
    st.tuples(
        st.sampled_from([-np.inf, 0.0, 1.0, 2.0, 5.0, 7.5, 40.0]),
        st.sampled_from([-3.0, 0.0, 0.5, 1.0, 2.0, 12.0, np.inf]),
    ),
    max_size=60,
)


@settings(deadline=None)
@given(st.lists(_spans, max_size=5), st.integers(1, 9))
def test_lanes_stacked_together_have_the_rows_of_each_packed_one_by_one(lanes, shared):
    spans = []
    for lane in lanes:
        lane.sort(key=lambda s: s[0])
        lo = np.array([a for a, _ in lane], dtype=float)
        ends = [d if a == -np.inf else a + d for a, d in lane]  # never -inf + inf
        spans.append((lo, np.array(ends, dtype=float)))
    with patch.object(rowstack, "SHARED_STARTS", shared):  # each way, by start or by heap
        stacked = stack_lanes(spans)
    for (lo, hi), rows in zip(spans, stacked, strict=True):
        assert rows.dtype == np.int32 and rows.tolist() == _one_by_one(lo, hi)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=60))
def test_rows_packed_by_heaps_equal_rows_packed_one_by_one(spans):
    spans.sort(key=lambda s: s[0])
    lo = np.array([a for a, _ in spans], dtype=float)
    hi = np.array([a + d for a, d in spans], dtype=float)
    assert stack_rows(lo, hi).tolist() == _one_by_one(lo, hi)


def test_starts_out_of_order_get_the_rows_of_the_rule():
    lo = np.array([0.0, 0.0, 10.0, 1.0])
    hi = np.array([5.0, 8.0, 11.0, 2.0])
    assert stack_rows(lo, hi).tolist() == _one_by_one(lo, hi) == [0, 1, 0, 2]


def test_a_nan_start_among_shared_starts_gets_the_rows_of_the_rule():
    lo = np.array([0.0] * 16 + [np.nan])
    assert stack_rows(lo, lo + 1.0).tolist() == _one_by_one(lo, lo + 1.0)


def test_a_nan_end_holds_its_row_as_the_rule_says():
    for lo, length in ((np.array([0.0] * 8 + [1.0] * 8), 2.0), (np.arange(4.0), 0.5)):
        hi = lo + length
        hi[0] = np.nan
        assert stack_rows(lo, hi).tolist() == _one_by_one(lo, hi)


def test_one_tall_lane_among_many_does_not_take_memory_for_every_lane():
    """Short lanes on two days (stacked a start at a time) and one whose events never end
    (a row each): the tall one must not widen every lane's row of ends."""
    rng = np.random.default_rng(0)
    spans = []
    for _ in range(1000):
        lo = np.sort(rng.integers(0, 2, 16)).astype(float)
        spans.append((lo, lo + 1.0))
    lo = np.sort(rng.integers(0, 2, 2000)).astype(float)
    spans.append((lo, np.full(len(lo), 1e9)))
    given = sum(lo.nbytes + hi.nbytes for lo, hi in spans)  # about 0.3 MB
    tracemalloc.start()
    try:
        rows = stack_lanes(spans)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows[-1].max() == 1999
    assert all(r.tolist() == _one_by_one(lo, hi) for r, (lo, hi) in zip(rows, spans, strict=True))
    assert peak < 32 * given, f"{peak / 2**20:.0f} MiB to stack {given / 2**20:.1f} MiB"
