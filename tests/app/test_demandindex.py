"""Demands raised on one date stand side by side: the slots by lane bits equal the slots
found by asking every earlier demand."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart.demandindex import MAX_SLOTS, SLOT_PX, side_by_side


def slots_by_asking_each(x: np.ndarray, chains: list[tuple[int, ...]]) -> list[float]:
    """The plain rule: the first slot no earlier overlapping demand of the date has taken."""
    shift = [0.0] * len(x)
    for a in range(len(x)):
        group = [b for b in range(a) if x[b] == x[a]]
        size = sum(1 for b in range(len(x)) if x[b] == x[a])
        lo, hi = min(chains[a]), max(chains[a])
        taken = {shift[b] for b in group if min(chains[b]) <= hi and lo <= max(chains[b])}
        free = [n * SLOT_PX for n in range(min(size, MAX_SLOTS)) if n * SLOT_PX not in taken]
        shift[a] = free[0] if free else (MAX_SLOTS - 1) * SLOT_PX
    return shift


chains = st.lists(st.integers(0, 9), min_size=2, max_size=4).map(tuple)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), chains), max_size=40))
def test_side_by_side_equals_asking_every_earlier_demand(demands):
    demands.sort(key=lambda d: d[0])
    x = np.array([d[0] for d in demands], dtype=float)
    paths = [d[1] for d in demands]
    assert side_by_side(x, paths).tolist() == slots_by_asking_each(x, paths)


def test_a_crowd_of_one_date_shares_the_last_slot():
    x = np.zeros(12)
    shift = side_by_side(x, [(0, 1)] * 12)
    assert (
        shift.tolist() == [n * SLOT_PX for n in range(MAX_SLOTS)] + [(MAX_SLOTS - 1) * SLOT_PX] * 4
    )
