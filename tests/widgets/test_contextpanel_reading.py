"""The Context panel reads its datasets as the Add dialog reads a file: off the GUI thread,
saying which dataset it is at, with a busy bar and a Stop that interrupts DuckDB. It read them
off the thread already, but said only "Reading context data…", and a big file could not be
stopped: its reading ran on, even after the dataset had been removed."""

from __future__ import annotations

import time

from PySide6 import QtCore

from app.context import summary
from app.editing import edits
from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from tests.app.test_context import write_csv
from widgets import background

LEFT = QtCore.Qt.MouseButton.LeftButton
# A query that reads for hours (a trillion rows) and ends only when DuckDB is interrupted:
# a big file's reading, without writing one.
ENDLESS = """
    SELECT CAST(NULL AS INTEGER) AS day, CAST(0 AS BIGINT) AS mask0, count(*) AS n,
           CAST(sum(range % 3) AS DOUBLE) AS f
    FROM range(1000000000000) GROUP BY ALL
"""


def rows(window) -> list[str]:
    return [window.context.list.item(i).text() for i in range(window.context.list.count())]


def _open_reading(window, qtbot, tmp_path, small_project, monkeypatch):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    small_project.context = [
        ContextData(id="acled", title="ACLED", path="acled.csv", match=hamas),
    ]
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    monkeypatch.setattr(summary, "summary_sql", lambda *_: ENDLESS)
    window.open_path(str(path))
    panel = window.context
    qtbot.waitUntil(lambda: panel.task is not None, timeout=5_000)
    return panel


def _served(qtbot, ms: int) -> int:
    """How many times a 10 ms timer was served in `ms` of the GUI thread's loop."""
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.wait(ms)
    timer.stop()
    return len(ticks)


def test_a_long_reading_says_what_it_reads_keeps_the_window_answering_and_stops(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    real_sql = summary.summary_sql
    panel = _open_reading(window, qtbot, tmp_path, small_project, monkeypatch)
    reading = panel.reading
    assert reading.isVisibleTo(panel) and reading.stop.isEnabled()
    assert reading.label.text() == "Reading ACLED (1 of 1)…"
    assert rows(window) == ["ACLED — reading…"]  # listed at once, not when all are read
    assert reading.bar.maximum() == 0  # busy: DuckDB does not say how far it is
    qtbot.wait(200)  # (the opening's own frames aside)
    assert _served(qtbot, 500) >= 20  # the window answers while DuckDB reads
    assert panel.task is not None  # and the reading goes on
    stopped_at = time.monotonic()
    qtbot.mouseClick(reading.stop, LEFT)
    qtbot.waitUntil(lambda: panel.task is None, timeout=10_000)
    assert background.wait_all(10_000), "the reading's thread ran on after Stop"
    assert time.monotonic() - stopped_at < 10
    assert not reading.isVisibleTo(panel)
    assert rows(window) == ["ACLED — not read"]
    assert panel.status.text().startswith("Stopped")
    assert window.canvas.view.context == []  # nothing drawn of a reading stopped
    assert not list((tmp_path / "cache").rglob("*.npz"))  # nor kept as if it were whole
    # Read Again reads it (the real query, this time).
    monkeypatch.setattr(summary, "summary_sql", real_sql)
    assert panel.again.isVisibleTo(panel)
    qtbot.mouseClick(panel.again, LEFT)
    qtbot.waitUntil(lambda: rows(window) == ["ACLED — 5 rows"], timeout=20_000)
    assert not panel.again.isVisibleTo(panel) and panel.status.text() == ""
    assert [layer.title for layer in window.canvas.view.context] == ["ACLED"]


def test_a_reading_for_an_older_state_of_the_project_is_stopped(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    panel = _open_reading(window, qtbot, tmp_path, small_project, monkeypatch)
    window.doc.undo_stack.push(edits.delete(window.doc, ["acled"]))  # while it reads
    assert background.wait_all(10_000), "the reading of a removed dataset ran on"
    assert panel.task is None and rows(window) == []
    assert not panel.reading.isVisibleTo(panel)
    assert panel.status.text() == "No context data: File ▸ Add Context Data…"
