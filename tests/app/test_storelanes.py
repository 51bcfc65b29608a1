"""Lanes built from a store's columns: in the order of lanes built from records, and a
lane's order and rows kept beside the parse cache used only once checked."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart import laneevents
from app.chart.laneevents import SORTED_AS_ARRAY
from app.chart.layout import Timeline
from app.chart.rowstack import stack_rows
from app.chart.storelanes import StoreColumns, _checked
from app.fileformat import canonical, projectfile
from app.records.eventstore import EventStore
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.examples import scaled

LO = np.array([0.0, 1.0, 2.0, 2.0, 5.0, 6.0, 9.0, 0.5])
HI = LO + np.array([3.0, 1.0, 4.0, 0.0, 1.0, 2.0, 0.0, 0.0])
COLUMNS = {"lo": LO, "hi": HI}
POSITIONS = np.array([0, 1, 2, 3, 4, 5])  # the lane's events (6 and 7 are another lane's)


def kept_lane() -> np.ndarray:
    order = POSITIONS[np.argsort(LO[POSITIONS], kind="stable")]
    return np.stack([order, stack_rows(LO[order], HI[order]).astype(np.int64)])


def test_a_lane_kept_as_it_was_stacked_is_taken():
    seen = np.zeros(len(LO), dtype=bool)
    order, rows = _checked(kept_lane(), POSITIONS, COLUMNS, seen)
    assert order.tolist() == kept_lane()[0].tolist() and rows.tolist() == kept_lane()[1].tolist()
    assert not seen.any()  # left as it was found, for the next lane


@pytest.mark.parametrize(
    "forge",
    [
        lambda k: k[:, [0, 0, 2, 3, 4, 5]],  # one event twice, another missing
        lambda k: np.stack([np.where(k[0] == 5, 6, k[0]), k[1]]),  # another lane's event
        lambda k: np.stack([np.where(k[0] == 5, -1, k[0]), k[1]]),  # no such position
        lambda k: np.stack([np.where(k[0] == 5, 99, k[0]), k[1]]),  # past the store
        lambda k: k[:, ::-1],  # not in order of start
        lambda k: np.stack([k[0], np.zeros_like(k[1])]),  # overlapping on one row
    ],
)
def test_a_kept_lane_that_is_not_this_lanes_packing_is_refused(forge):
    seen = np.zeros(len(LO), dtype=bool)
    assert _checked(forge(kept_lane()), POSITIONS, COLUMNS, seen) is None
    assert not seen.any()


# Made once, not at each draw: a `st.sampled_from` made anew is worked out again at its
# first draw (about 80 us here, for each of up to 40 events). The same values drawn.
_actors = st.sampled_from(["a", "a", "a", "b"])


@pytest.mark.parametrize("as_array", [True, False], ids=["ids-as-array", "ids-by-python"])
@settings(deadline=None, max_examples=scaled(40))
@given(
    ids=st.lists(
        st.from_regex(r"e[A-Za-z0-9_.-]{0,6}", fullmatch=True),
        unique=True,
        min_size=1,
        max_size=40,
    ),
    days=st.lists(st.integers(1, 4), min_size=40, max_size=40),
    data=st.data(),
)
def test_lanes_of_a_store_are_ordered_by_start_then_id_as_lanes_of_records(
    as_array, ids, days, data
):
    """Ids in any order in the file (`e10` before `e9`, upper case, digits) and many
    events sharing a start: ties go by id, as for records, sorted either way."""
    actors = [Actor(id=a, name=a) for a in ("a", "b")]
    events = [
        Event(
            id=i,
            actor=data.draw(_actors),  # b often a small share
            title=i,
            when=parse(
                "2023-11"  # the same start as 2023-11-01: equal starts of other dates
                if k % 5 == 1
                else f"2023-11-{d:02d}" + ("/2023-11-09" if k % 3 == 0 else "")
            ),
        )
        for k, (i, d) in enumerate(zip(ids, days, strict=False))
    ]
    plain = Project(title="Ties", actors=actors, events=events)
    stored = projectfile.loads(canonical.dumps(plain))
    assert isinstance(stored.events, EventStore)
    with patch.object(laneevents, "SORTED_AS_ARRAY", SORTED_AS_ARRAY if as_array else 0):
        from_columns = Timeline(stored).layout
    from_records = Timeline(plain).layout
    for mine, theirs in zip(from_columns.lane_events, from_records.lane_events, strict=True):
        assert mine.ids.tolist() == theirs.ids.tolist()
        assert mine.row.tolist() == theirs.row.tolist()
    # One lane asked for alone (as after an edit), its own ids ranked: the same order
    columns = StoreColumns.of(stored.events, from_records.t_min, from_records.t_max)
    by_actor = columns.positions_by_actor()
    for actor, theirs in zip(("a", "b"), from_records.lane_events, strict=True):
        if actor in by_actor and 4 * len(by_actor[actor]) < len(events):
            (mine,) = columns.lanes([(by_actor[actor], "")])
            assert mine.ids.tolist() == theirs.ids.tolist()
            assert columns._id_order is None  # the store's ids were not all ranked
            assert columns._ids is None  # nor all made into strings
