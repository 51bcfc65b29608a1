"""The time axis names the year at every zoom and never crowds its labels."""

from __future__ import annotations

import re

import pytest

from app.chart import axis
from app.records.when import parse


@pytest.mark.parametrize(
    "t0, t1",
    [
        ("2023-10-01", "2023-12-01"),
        ("2023-12-20", "2024-01-20"),
        ("2023-11-22", "2023-11-23"),
        ("2020-01-01", "2024-01-01"),
        ("1978-08-01", "1978-09-10"),
        ("1900", "2000"),
    ],
)
@pytest.mark.parametrize("width", [500, 1400, 3840])
def test_the_year_shows_and_labels_do_not_meet(t0, t1, width):
    a, b = parse(t0).lo, parse(t1).lo
    found = axis.ticks(a, b, width)
    assert found and re.search(r"\b\d{4}\b", found[0][1])  # the first tick names the year
    px = [(t - a) / (b - a) * width for t, _ in found]
    for k in range(len(found) - 1):
        label = found[k][1]
        assert px[k + 1] - px[k] >= len(label) * axis.CHAR_PX, (label, px[k + 1] - px[k])
    years = {int(y) for _, label in found for y in re.findall(r"\b\d{4}\b", label)}
    assert parse(t1).start.year in years or parse(t1).start.year - 1 in years


def test_a_new_year_is_named_and_months_keep_their_names():
    found = axis.ticks(parse("2023-12-20").lo, parse("2024-01-20").lo, 1400)
    labels = [label for _, label in found]
    assert "1 Jan 2024" in labels and all(re.search("[A-Z][a-z]{2}", x) for x in labels)
