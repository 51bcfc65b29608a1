"""File ▸ Add Context Data…: a dataset looked at, matched to the lanes and accepted, with the
reading done off the GUI thread (the event loop keeps serving) and stoppable."""

from __future__ import annotations

import time

import pytest
from PySide6 import QtCore, QtWidgets

from tests.app.test_context import write_csv
from widgets.contextdialog import ContextDialog


@pytest.fixture
def dialog(qtbot, small_project, tmp_path):
    d = ContextDialog(None, small_project, str(tmp_path / "talks.yaml"), lambda stem: f"{stem}-1")
    qtbot.addWidget(d)
    d.show()
    return d


def ok(d: ContextDialog) -> QtWidgets.QPushButton:
    return d.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)


def test_a_file_is_looked_at_matched_to_lanes_and_accepted(dialog, qtbot, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    data = write_csv(tmp_path / "data" / "acled.csv")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(data), ""))
    assert not ok(dialog).isEnabled()  # nothing chosen yet
    qtbot.mouseClick(dialog.browse_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ok(dialog).isEnabled(), timeout=20_000)
    assert "5 rows; read as ACLED export" in dialog.found.text()
    assert dialog.title.text() == "acled"
    # Each lane looks for its name in the actor columns, in any case, as whole words outside
    # parentheses.
    qtbot.mouseClick(dialog.count, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.task is None and dialog.lanes.item(2, 2).text() != "", timeout=20_000
    )
    rows = {
        dialog.lanes.item(r, 0).text(): dialog.lanes.item(r, 2).text()
        for r in range(dialog.lanes.rowCount())
    }
    assert rows["Hamas"] == "2" and rows["Israel"] == "2"  # not "Protesters (Israel)"
    assert rows["CIA"] == "0: no strip"  # (and the chart makes it no room)
    assert (
        "1 row matches no lane (drawn in a strip of their own below the lanes)"
        in dialog.found.text()
    )
    dialog.lanes.item(3, 1).setText("Military Forces of Israel; Police")
    qtbot.mouseClick(ok(dialog), QtCore.Qt.MouseButton.LeftButton)
    dataset = dialog.dataset()
    assert dataset.path == "data/acled.csv"  # beside the project: stored relative to it
    assert dataset.kind == "acled" and dataset.id == "acled-1"
    assert dataset.lanes["israel"] == ("Military Forces of Israel", "Police")


def test_the_window_answers_while_duckdb_reads_and_stop_stops_it(
    dialog, qtbot, tmp_path, monkeypatch
):
    data = write_csv(tmp_path / "acled.csv")
    started = []

    def slow_summary(dataset, path, temp_dir=None, on_connect=None):
        cancelled = []
        on_connect(type("Con", (), {"interrupt": lambda self: cancelled.append(True)})())
        started.append(True)
        deadline = time.monotonic() + 20
        while not cancelled and time.monotonic() < deadline:
            time.sleep(0.01)  # as DuckDB does: off the GUI thread, until interrupted
        raise RuntimeError("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr("widgets.contextdialog.summarise", slow_summary)
    dialog.path.setText(str(data))
    dialog.inspect()
    qtbot.waitUntil(lambda: ok(dialog).isEnabled(), timeout=20_000)
    qtbot.mouseClick(dialog.count, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5_000)  # the event loop serves timers
    assert dialog.progress.isVisible() and not ok(dialog).isEnabled()
    qtbot.mouseClick(dialog.stop, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=5_000)
    assert dialog.found.text() == "Stopped." and not dialog.progress.isVisible()


def test_a_file_that_cannot_be_read_is_said(dialog, qtbot, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    dialog.path.setText(str(broken))
    dialog.inspect()
    qtbot.waitUntil(
        lambda: dialog.task is None and "broken.parquet" in dialog.found.text(), timeout=20_000
    )
    assert not ok(dialog).isEnabled()


def test_an_other_table_without_a_date_column_is_refused_until_one_is_chosen(
    dialog, qtbot, tmp_path
):
    # Nothing in these names says "date": the dialog cannot guess, so it asks.
    data = write_csv(
        tmp_path / "incidents.csv",
        rows=[["2023-10-07", "Hamas", "3"], ["2023-10-09", "Israel", "1"]],
        header=["when_seen", "who", "killed"],
    )
    dialog.path.setText(str(data))
    dialog.inspect()
    qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.columns), timeout=20_000)
    assert dialog.kind.currentData() == "csv"
    assert dialog.role_boxes["date"].currentText() == ""
    assert not ok(dialog).isEnabled()
    assert dialog.reason.isVisible() and "date column" in dialog.reason.text()
    qtbot.mouseClick(dialog.count, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.found.text() == dialog.reason.text()  # what to do, not a rule
    box = dialog.role_boxes["date"]
    box.setCurrentIndex(box.findText("when_seen"))  # as a person picks it from the list
    assert ok(dialog).isEnabled()
    assert not dialog.reason.isVisible()
    qtbot.mouseClick(ok(dialog), QtCore.Qt.MouseButton.LeftButton)
    assert dialog.dataset().columns == {"date": ("when_seen",)}


def test_columns_whose_names_say_what_they_hold_are_chosen(dialog, qtbot, tmp_path):
    data = write_csv(
        tmp_path / "talks-data.csv",
        rows=[["2023-10-07", "Hamas", "Israel", "Gaza", "3"]],
        header=["Start", "side_a", "side_b", "country", "deaths"],
    )
    dialog.path.setText(str(data))
    dialog.inspect()
    qtbot.waitUntil(lambda: dialog.task is None and bool(dialog.columns), timeout=20_000)
    assert dialog.kind.currentData() == "csv"
    assert dialog.role_boxes["date"].currentText() == "Start"
    assert ok(dialog).isEnabled() and not dialog.reason.isVisible()
    assert dialog.dataset().columns == {
        "date": ("Start",),
        "actors": ("side_a", "side_b"),
        "country": ("country",),
        "fatalities": ("deaths",),
    }
