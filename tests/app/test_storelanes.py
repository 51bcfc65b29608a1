"""A lane's order and rows kept beside the parse cache are used only once checked."""

from __future__ import annotations

import numpy as np
import pytest

from app.chart.laneevents import stack_rows
from app.chart.storelanes import _checked

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
