"""The editor window as a person uses it, at N events: what the canvas's own figures
(tests/bench/__main__.py) cannot show, because the Tables panel, the inspector, the filter
and the search box answer each change too. Each figure is the time from the action to
the end of the work it posts (the window served again), the median of a few:

- `search_letter_ms`: a letter typed in the search box (a pause in the typing, and Enter
  for a big project), then one more, the shorter text's matches searched again;
- `select_all_ms`: Edit ▸ Select All (every event and demand), and none again;
- `table_select_all_ms`: Ctrl+A in the Tables panel's events (every event, shown in the
  inspector together);
- `set_type_of_all_s`, `undo_s`: the type of every event set from the inspector, one step,
  and that step undone;
- `delete_all_s`, `undo_delete_s`: every event and demand selected and deleted, one
  step, and that step undone (one record at a time, this never ended at 100,000);
  `search_after_undo_ms`: a search then, its words gathered again;
- `pan_30d_ms`: the view moved by a day at 30 days.

    python -m tests.bench.window --events 100000 [--json OUT]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from app.fileformat import projectfile  # noqa: E402
from tests.bench.generate import generate  # noqa: E402
from tests.bench.report import report  # noqa: E402

DAY = 86400.0


def served(app: QtWidgets.QApplication, rounds: int = 6) -> None:
    """Every event handled, and those they post (a paint a paint schedules comes later)."""
    for _ in range(rounds):
        app.processEvents()


def timed_ms(app, action, runs: int) -> float:
    times = []
    for k in range(runs):
        served(app)
        start = time.perf_counter()
        action(k)
        served(app)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def figures(n: int, runs: int = 3) -> dict:
    # (its folder goes afterwards: each run left a project of 24 MB behind, in memory
    # where TMPDIR is /dev/shm, as in the tests)
    with tempfile.TemporaryDirectory(prefix="demarche-window-bench-") as folder:
        return _figures(n, runs, folder)


def _figures(n: int, runs: int, folder: str) -> dict:
    from widgets.mainwindow import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    path = os.path.join(folder, "bench.yaml")
    projectfile.save(generate(n), path)
    settings = QtCore.QSettings(os.path.join(folder, "s.ini"), QtCore.QSettings.Format.IniFormat)
    window = MainWindow(settings, offer_recovery=False)
    window.resize(1400, 900)
    window.show()
    window.open_path(path)
    deadline = time.perf_counter() + 120
    while len(window.doc.project.events) < n and time.perf_counter() < deadline:
        served(app)  # (a big file opens on a worker thread)
        time.sleep(0.01)
    served(app, 20)
    doc, canvas, search = window.doc, window.canvas, window.search
    t0, t1 = canvas.viewbox.viewRange()[0]
    middle = (t0 + t1) / 2
    canvas.set_time_range(middle - 15 * DAY, middle + 15 * DAY)
    out: dict = {"events": n, "load": None}

    # (A big project's search waits for a pause in the typing, or Enter; an editor of
    # before 2026-12-07 searched at each letter.)
    search_now = getattr(search, "search_now", lambda: None)

    def type_letters(k: int) -> None:
        search.clear()
        QTest.keyClicks(search, "number 1"[: 5 + k % 3])
        search_now()
        QTest.keyClicks(search, "2")
        search_now()

    out["search_letter_ms"] = timed_ms(app, type_letters, runs)
    search.clear()

    def select_all(_k: int) -> None:
        window.editing.select_all()
        served(app)
        doc.select([])

    out["select_all_ms"] = timed_ms(app, select_all, runs)
    table = window.tables.tables["events"]
    window.tables.show()

    def table_select_all(_k: int) -> None:
        table.view.selectAll()
        served(app)
        table.view.clearSelection()

    out["table_select_all_ms"] = timed_ms(app, table_select_all, runs)
    table.view.selectAll()
    served(app)
    kinds = iter(["consult", "meet", "consult", "meet"])
    out["set_type_of_all_s"] = round(
        timed_ms(app, lambda _k: window.inspector.commit("type", next(kinds)), 1) / 1000, 2
    )
    out["undo_s"] = round(timed_ms(app, lambda _k: doc.undo_stack.undo(), 1) / 1000, 2)
    window.editing.select_all()
    served(app)
    delete = window.editing.delete_selection
    out["delete_all_s"] = round(timed_ms(app, lambda _k: delete(), 1) / 1000, 3)
    out["undo_delete_s"] = round(timed_ms(app, lambda _k: doc.undo_stack.undo(), 1) / 1000, 3)
    doc.select([])
    out["search_after_undo_ms"] = timed_ms(app, type_letters, 1)  # its words gathered anew
    search.clear()

    def pan(k: int) -> None:
        a, b = canvas.viewbox.viewRange()[0]
        step = DAY if k % 2 == 0 else -DAY
        canvas.set_time_range(a + step, b + step)

    out["pan_30d_ms"] = timed_ms(app, pan, 7)
    out["load"] = round(os.getloadavg()[0], 2)
    doc.undo_stack.setClean()
    window.close()  # (deleted on close)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    settings.sync()  # written now: later, it made the folder again once it was gone
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args()
    result = figures(args.events, args.runs)
    report(result, args.json)


if __name__ == "__main__":
    main()
