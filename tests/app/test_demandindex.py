"""Demands raised on one date stand side by side: the slots by lane bits equal the slots
found by asking every earlier demand."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import demandindex
from app.chart.demandindex import (
    MAX_SLOTS,
    SLOT_PX,
    DemandGeometry,
    DemandIndex,
    DemandPlaces,
    _turns_back,
    side_by_side,
)
from app.records.model import STATUSES, Demand
from app.records.when import parse


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
# Past 63 lanes, a lane's bit no longer fits a 64-bit number: counted another way.
wide_chains = st.lists(st.integers(0, 70), min_size=2, max_size=4).map(tuple)


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), chains), max_size=40)
    | st.lists(st.tuples(st.integers(0, 2), wide_chains), max_size=40)
)
def test_side_by_side_equals_asking_every_earlier_demand(demands):
    demands.sort(key=lambda d: d[0])
    x = np.array([d[0] for d in demands], dtype=float)
    paths = [d[1] for d in demands]
    expected = slots_by_asking_each(x, paths)
    assert side_by_side(x, paths).tolist() == expected
    for fewest in (1, 3, 1000):  # rounds for dates together, then one demand at a time
        with patch.object(demandindex, "MIN_DATES", fewest):
            assert side_by_side(x, paths).tolist() == expected


def test_a_crowd_of_one_date_shares_the_last_slot():
    x = np.zeros(12)
    shift = side_by_side(x, [(0, 1)] * 12)
    assert (
        shift.tolist() == [n * SLOT_PX for n in range(MAX_SLOTS)] + [(MAX_SLOTS - 1) * SLOT_PX] * 4
    )


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), chains, st.sampled_from(STATUSES), st.booleans()),
        max_size=30,
    )
)
def test_the_index_holds_each_arrow_as_its_chain_of_lanes_says(drawn):
    geometry = [
        DemandGeometry(
            Demand(id=f"d{i}", from_="a", to="b", text="", raised=parse("2023-11-01"), status=s),
            float(x),
            float(x) + 2 if resolved else None,
            chain[0],
            chain[-1],
            chain[1:-1],
        )
        for i, (x, chain, s, resolved) in enumerate(drawn)
    ]
    places = DemandPlaces.of_rows(
        [g.demand for g in geometry],
        [
            (
                i,
                g.x,
                np.nan if g.end is None else g.end,
                STATUSES.index(g.demand.status),
                (g.from_lane, *g.via_lanes, g.to_lane),
                g.demand.id,
            )
            for i, g in enumerate(geometry)
        ],
    )
    assert list(places) == geometry  # each entry made back as it was given
    index = DemandIndex.of(places)
    order = index.order.tolist()
    assert [geometry[i].x for i in order] == sorted(g.x for g in geometry)
    chain_of = [(g.from_lane, *g.via_lanes, g.to_lane) for g in (geometry[i] for i in order)]
    assert index.lane_lo.tolist() == [min(c) for c in chain_of]
    assert index.lane_hi.tolist() == [max(c) for c in chain_of]
    assert index.from_lane.tolist() == [c[0] for c in chain_of]
    assert index.to_lane.tolist() == [c[-1] for c in chain_of]
    assert index.before_head.tolist() == [c[-2] for c in chain_of]
    assert list(zip(index.stop_of.tolist(), index.stop_lane.tolist(), strict=True)) == [
        (k, v) for k, c in enumerate(chain_of) for v in c[1:-1]
    ]
    assert index.turning.tolist() == [len(c) > 2 and _turns_back(c) for c in chain_of]
    assert [index.chain(k) for k in range(len(chain_of))] == chain_of
    assert index.shift.tolist() == side_by_side(index.x, chain_of).tolist()
    for k, i in enumerate(order):
        g = geometry[i]
        expected = g.end if g.end is not None else np.inf if g.demand.status == "open" else g.x
        assert index.span_end[k] == expected
        assert STATUSES[index.status[k]] == g.demand.status
        assert index.ids[k] == g.demand.id
