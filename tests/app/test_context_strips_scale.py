"""The shades of the context strips: scaled against the lanes drawn."""

from __future__ import annotations

from app.chart.context import ContextLayer
from app.context.strips import Strips
from tests.app.test_context_strips import picture, strip_colour, summary


def test_rows_that_match_no_lane_do_not_wash_out_the_shades(qapp):
    """The unmatched rows are drawn under no lane: the busiest bucket the shades are scaled
    against is a drawn lane's, so a lane's busiest week is as dark however many rows of the
    dataset match no lane."""
    plain, vp, timeline = picture([])
    alone = summary()
    flooded = summary()
    flooded.counts[2, :] = 100_000  # e.g. the rest of the world's protests
    darkest = []
    for s in (alone, flooded):
        image, _, _ = picture([ContextLayer("ACLED", Strips(s), color="#5c3566")])
        darkest.append(strip_colour(image, vp, timeline, 0, "2023-11-01"))
    assert darkest[1] == darkest[0]
