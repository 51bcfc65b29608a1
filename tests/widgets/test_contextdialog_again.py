"""Add Context Data… when a second file is chosen after a first: nothing of the first (its
counts, its title, its columns) stays to be taken for the second's."""

from __future__ import annotations

import time

from PySide6 import QtCore

from tests.app.test_context import write_csv
from tests.widgets.test_contextdialog import dialog, ok  # noqa: F401 - the fixture
from widgets import contextdialog

__all__ = ["dialog"]


def look_at(dialog, qtbot, path) -> None:
    dialog.path.setText(str(path))
    dialog.inspect()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.looked_at == str(path), timeout=20_000)


def counts(dialog) -> dict[str, str]:
    return {
        dialog.lanes.item(r, 0).text(): dialog.lanes.item(r, 2).text()
        for r in range(dialog.lanes.rowCount())
    }


def test_a_second_file_shows_no_counts_or_title_of_the_first(dialog, qtbot, tmp_path):  # noqa: F811
    look_at(dialog, qtbot, write_csv(tmp_path / "acled.csv"))
    qtbot.mouseClick(dialog.count, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None and counts(dialog)["Hamas"] == "2", timeout=20_000)
    assert dialog.title.text() == "acled"
    look_at(dialog, qtbot, write_csv(tmp_path / "ucdp.csv", rows=[]))
    assert set(counts(dialog).values()) == {""}, "the first file's rows, beside the second"
    assert dialog.title.text() == "ucdp"  # the title it had made, made again
    dialog.title.setText("My own title")
    look_at(dialog, qtbot, write_csv(tmp_path / "other.csv"))
    assert dialog.title.text() == "My own title"  # a title typed is kept


def test_a_file_that_cannot_be_read_after_one_that_could_cannot_be_accepted(
    dialog,
    qtbot,
    tmp_path,  # noqa: F811
):
    """The first file's columns stayed: OK took the broken file with them."""
    look_at(dialog, qtbot, write_csv(tmp_path / "acled.csv"))
    assert ok(dialog).isEnabled()
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x00\x01\x02 not a table \xff\xfe")
    dialog.path.setText(str(broken))
    dialog.inspect()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    assert "broken.csv" in dialog.found.text()
    assert not ok(dialog).isEnabled()
    missing = tmp_path / "gone.csv"
    look_at(dialog, qtbot, write_csv(tmp_path / "acled2.csv"))
    assert ok(dialog).isEnabled()
    dialog.path.setText(str(missing))
    dialog.inspect()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    assert not ok(dialog).isEnabled()


def test_a_file_named_while_another_is_read_is_read_next(dialog, qtbot, tmp_path, monkeypatch):
    """A path typed while a big file was still being read was let go: the box named the new
    file, the columns and rows shown (and OK) were the old one's."""
    big, small = tmp_path / "big.csv", write_csv(tmp_path / "small.csv")

    def look(path, on_connect=None):
        if path == big:  # as DuckDB reading millions of rows: until interrupted
            stopped = []
            on_connect(type("Con", (), {"interrupt": lambda self: stopped.append(1)})())
            deadline = time.monotonic() + 20
            while not stopped and time.monotonic() < deadline:
                time.sleep(0.01)
            if stopped:
                raise RuntimeError("INTERRUPT Error: Interrupted!")
            return ["event_date", "actor1"], 5_000_000
        return real_look(path, on_connect)

    real_look = contextdialog.look
    monkeypatch.setattr(contextdialog, "look", look)
    dialog.path.setText(str(big))
    dialog.inspect()
    assert dialog.task is not None
    dialog.path.setText(str(small))
    dialog.inspect()  # leaving the box, as Tab does
    qtbot.waitUntil(lambda: dialog.task is None and dialog.looked_at == str(small), timeout=20_000)
    assert "5 rows" in dialog.found.text() and "5,000,000" not in dialog.found.text()
    assert dialog.title.text() == "small" and ok(dialog).isEnabled()


def test_stop_while_a_file_is_looked_at_does_not_read_it_again(
    dialog,
    qtbot,
    tmp_path,
    monkeypatch,  # noqa: F811
):
    started = []

    def look(path, on_connect=None):
        started.append(path)
        stopped = []
        on_connect(type("Con", (), {"interrupt": lambda self: stopped.append(1)})())
        deadline = time.monotonic() + 20
        while not stopped and time.monotonic() < deadline:
            time.sleep(0.01)
        raise RuntimeError("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr(contextdialog, "look", look)
    dialog.path.setText(str(tmp_path / "big.csv"))
    dialog.inspect()
    qtbot.waitUntil(lambda: bool(started), timeout=5_000)
    qtbot.mouseClick(dialog.stop, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=5_000)
    assert dialog.found.text() == "Stopped." and len(started) == 1
