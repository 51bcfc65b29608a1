"""The window bench (tests/bench/window.py) runs, on a small project, to its figures."""

from __future__ import annotations

from tests.bench import window


def test_the_window_bench_gives_every_figure(qapp):
    figures = window.figures(300, runs=1)
    timed = [
        "search_letter_ms",
        "select_all_ms",
        "table_select_all_ms",
        "set_type_of_all_s",
        "undo_s",
        "delete_all_s",
        "undo_delete_s",
        "search_after_undo_ms",
        "pan_30d_ms",
    ]
    # Each figure timed (a bench left broken by a change of the window fails here).
    assert set(figures) == {"events", "load", *timed}
    assert all(isinstance(figures[k], float) and figures[k] > 0 for k in timed), figures
