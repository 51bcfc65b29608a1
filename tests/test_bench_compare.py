"""`make bench-compare`'s arithmetic: each figure both trees report, by its dotted name,
as the median of the ratios of runs taken in the same pair."""

from __future__ import annotations

from tests.bench.compare import compare, figures


def test_figures_are_the_numbers_by_dotted_name():
    result = {
        "events": 10000,
        "frame_ms": {"365d": 7.5, "3d": 4},
        "data_export_s": {".ics": 0.3},
        "plot_px": [1600, 900],
        "web_page": {"mb": 26.1, "ok": True},
    }
    assert figures(result) == {
        "frame_ms.365d": 7.5,
        "frame_ms.3d": 4.0,
        "data_export_s.ics": 0.3,
        "web_page.mb": 26.1,
    }


def test_a_figure_is_the_median_of_its_pairs_ratios():
    here = [{"a": 2.0, "b": 1.0}, {"a": 9.0, "b": 1.0}, {"a": 3.0, "b": 1.0}]
    there = [{"a": 1.0}, {"a": 10.0}, {"a": 1.0}]  # a slow minute in the second pair
    table = compare(here, there)
    assert list(table) == ["a"]  # "b" is not measured there
    assert table["a"]["ratios"] == [2.0, 0.9, 3.0]
    assert table["a"]["ratio"] == 2.0  # where the medians of each side would say 3.0
    assert (table["a"]["here"], table["a"]["there"]) == (3.0, 1.0)
