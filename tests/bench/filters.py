"""Filter changes at scale: the columns a filter reads, made once per project version, the
mask each change computes from them, and (issue 23: at most 50 ms at 100,000 events) the time
from setting a filter on a real canvas to the end of the next repaint, as the Filter panel
does it (the masks, the ids they keep, `set_filter`), with what is filtered out dimmed or
hidden; and the time to clear it again. The whole chart is in view, its densest frame.
The Tables panel too (events on show): a filter change, a sort by a column and a search-box
keystroke, each to the end of the table's repaint; the first sort of a column and the first
search after the records change (a reset) make the column's keys and the rows' texts.

python -m tests.bench.filters --events 100000 [--json OUT] [--tables-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtWidgets  # noqa: E402

from app.chart.kept import IdIndex, Kept  # noqa: E402
from app.editing.document import Document  # noqa: E402
from app.records.filter import (  # noqa: E402
    EventColumns,
    Filter,
    demand_mask,
    event_mask,
    kept_ids,
)
from app.records.when import parse  # noqa: E402
from tests.bench.__main__ import canvas_for, repaint_ms  # noqa: E402
from tests.bench.generate import generate  # noqa: E402
from tests.bench.report import report  # noqa: E402

CHANGES = {
    "actors": Filter(actors=("actor-1", "actor-2", "actor-3")),
    "type_class": Filter(types=("material cooperation", "reject")),
    "tag": Filter(tags=("generated",)),
    "words": Filter(text="number 12 talks"),
    "dates": Filter(start=parse("2022-06-01").lo, end=parse("2022-09-01").lo),
    "credibility": Filter(min_credibility=2),
    "everything": Filter(
        actors=("actor-1",), types=("release",), text="talks", start=parse("2022-06-01").lo
    ),
}


def median_ms(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def run(n: int, runs: int = 7) -> dict:
    project = generate(n)
    columns_ms = median_ms(lambda: EventColumns(project), runs=3)
    columns = EventColumns(project)
    out = {"events": n, "load_average": os.getloadavg()[0], "columns_ms": columns_ms}
    for name, f in CHANGES.items():
        out[f"mask_{name}_ms"] = median_ms(
            lambda f=f: (event_mask(project, f, columns), demand_mask(project, f, columns))
        )
    out.update(redraws(project, columns, runs))
    out.update(tables(project, columns, runs))
    return out


def timed_ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def tables(project, columns: EventColumns, runs: int) -> dict:
    """The Tables panel (its events table on show, 1000 x 500) as the Filter panel and a
    person drive it: medians in ms, each to the end of the table's repaint."""
    from widgets.tablespanel import TablesPanel

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    doc = Document(project)
    panel = TablesPanel(doc)
    panel.resize(1000, 500)
    panel.show()
    table = panel.tables["events"]
    viewport = table.view.viewport()
    app.processEvents()
    title = [c.title for c in table.model.columns].index("Title")
    actor = [c.title for c in table.model.columns].index("Actor")
    up, down = QtCore.Qt.SortOrder.AscendingOrder, QtCore.Qt.SortOrder.DescendingOrder
    out: dict = {"tables_rows": table.proxy.rowCount()}

    def then_paint(fn):
        def run():
            fn()
            viewport.repaint()

        return lambda: timed_ms(run)

    def median(fn, n: int = runs) -> float:
        times = []
        for _ in range(n):
            times.append(fn())
            app.processEvents()
        return round(statistics.median(times), 2)

    def reset() -> None:  # the records changed: what was made for them is made again
        doc.projectReplaced.emit()
        app.processEvents()

    for name in ("actors", "words", "dates", "everything"):
        ids, _mask, _, _ = kept_ids(project, CHANGES[name], columns)
        sets, clears = [], []
        for _ in range(runs):
            sets.append(then_paint(lambda ids=ids: panel.keep(ids))())
            app.processEvents()
            clears.append(then_paint(lambda: panel.keep(None))())
            app.processEvents()
        out[f"tables_filter_{name}_ms"] = round(statistics.median(sets), 2)
        out[f"tables_filter_clear_{name}_ms"] = round(statistics.median(clears), 2)

    def first_sort(col: int) -> float:
        table.view.sortByColumn(0, up)  # another column's order made with the records
        reset()
        return then_paint(lambda: table.view.sortByColumn(col, up))()

    few = max(1, min(runs, 3))
    out["tables_sort_first_title_ms"] = median(lambda: first_sort(title), few)
    out["tables_sort_first_actor_ms"] = median(lambda: first_sort(actor), few)
    flips = iter([down, up] * runs)
    out["tables_sort_again_title_ms"] = median(
        lambda: then_paint(lambda: table.view.sortByColumn(title, next(flips)))()
    )
    table.view.sortByColumn(0, up)

    def first_search() -> float:
        table.filter.setText("")
        reset()
        return then_paint(lambda: table.filter.setText("number 1"))()

    out["tables_search_first_ms"] = median(first_search, few)
    words = iter(["number 12", "number 1"] * runs)  # a letter typed, a letter taken back
    out["tables_search_key_ms"] = median(
        lambda: then_paint(lambda: table.filter.setText(next(words)))()
    )
    others = iter(["talks", "actor 3"] * runs)
    out["tables_search_other_word_ms"] = median(
        lambda: then_paint(lambda: table.filter.setText(next(others)))()
    )
    out["tables_search_clear_ms"] = median(
        lambda: (table.filter.setText("number 1"), then_paint(lambda: table.filter.setText(""))())[
            1
        ]
    )
    panel.close()
    return out


def redraws(project, columns: EventColumns, runs: int) -> dict:
    """Each filter set on a canvas and cleared again, `runs` times: the medians, in ms, of
    setting it (to the end of the repaint) and of clearing it, dimmed and hidden."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    canvas = canvas_for(Document(project))
    viewport = canvas.plot.viewport()
    out = {"repaint_unfiltered_ms": round(repaint_ms(canvas), 2)}

    index = IdIndex(columns.ids, columns.rows)  # as the panel makes it, off the GUI thread
    index.at()

    def set_filter(f: Filter, hide: bool) -> None:
        ids, mask, _, _ = kept_ids(project, f, columns)  # what FilterPanel.apply works out
        canvas.view.hide_filtered = hide
        canvas.set_filter(ids, Kept(ids, index, mask))
        viewport.repaint()

    def clear() -> None:
        canvas.set_filter(None)
        viewport.repaint()

    def timed(fn) -> tuple[float, float]:
        """(wall, this process's CPU) ms: on a shared machine the second says what the
        work costs, the first what a person waited."""
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

    for mode, hide in (("dim", False), ("hide", True)):
        for name, f in CHANGES.items():
            sets, clears = [], []
            for _ in range(runs):
                sets.append(timed(lambda f=f, hide=hide: set_filter(f, hide)))
                app.processEvents()  # the update set_filter asked for, outside the figure
                clears.append(timed(clear))
                app.processEvents()
            for what, times in (("redraw", sets), ("clear", clears)):
                out[f"{what}_{mode}_{name}_ms"] = round(statistics.median(t[0] for t in times), 2)
                out[f"{what}_{mode}_{name}_cpu_ms"] = round(
                    statistics.median(t[1] for t in times), 2
                )
    canvas.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.filters")
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--json", metavar="OUT")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--tables-only", action="store_true", help="only the Tables panel's figures")
    args = p.parse_args()
    if args.tables_only:
        project = generate(args.events)
        figures = {"events": args.events, "load_average": os.getloadavg()[0]}
        figures.update(tables(project, EventColumns(project), args.runs))
    else:
        figures = run(args.events, args.runs)
    report(figures, args.json)


if __name__ == "__main__":
    main()
