"""Two negotiations on one axis: day 0 at one x whatever the lane names."""

from __future__ import annotations

import pytest

from app.exporters.compare import Comparison
from app.exporters.options import ExportOptions
from app.records.model import Actor
from tests.cli.test_compare import talks


def test_day_zero_lines_up_when_one_project_has_longer_lane_names(qapp):
    """The lane names' column is as wide in every block, so day 0 is one x down the page."""
    short = talks("Short", ("start", "2024-02-28"))
    long = talks("Long", ("start", "2023-02-28"))
    long.actors = [
        Actor(id=a.id, name=f"{a.name}, Ministry of Foreign Affairs of a Long Name")
        for a in long.actors
    ]
    c = Comparison([short, long], ["start", "start"], ExportOptions(width=1200))
    assert c.x_of(0, short.events[0].when.lo) == pytest.approx(c.x_of(1, long.events[0].when.lo))
