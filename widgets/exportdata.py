"""File ▸ Export Data…: the project for other tools (TimelineJS, iCalendar, Markwhen, CSV
tables), as the command line writes it, on a thread with a snapshot of the project."""

from __future__ import annotations

import os

from PySide6 import QtWidgets

from app import exporters
from app.exporters import csvtables as tables
from app.fileformat.atomic import is_read_only, write_atomic
from app.records.plural import counted
from widgets.dialogs import replace_read_only
from widgets.progressrun import ProgressRun

LAST_FORMAT = "export-data/format"
EXCEL = "CSV tables for Excel"  # with a byte-order mark and the locale's separator
FILTERS = ";;".join(
    [*(f"{name} (*{suffix})" for suffix, name in exporters.NAMES.items()), f"{EXCEL} (*.csv)"]
)


def export_data_dialog(window) -> ProgressRun | None:
    """Ask where, then write on a thread (with progress and Cancel); the run, or None when
    nothing is to be written."""
    project = window.doc.project
    if project.conflicts:
        QtWidgets.QMessageBox.information(
            window, "Not exported", "Resolve the merge conflicts in the Conflicts panel first."
        )
        return None
    stem = os.path.splitext(window.doc.path or "untitled.yaml")[0]
    last = str(window.settings.value(LAST_FORMAT, "") or "")  # the format chosen last time
    suffix = next((s for s, name in exporters.NAMES.items() if last.startswith(name)), ".ics")
    path, chosen = QtWidgets.QFileDialog.getSaveFileName(
        window, "Export data", stem + suffix, FILTERS, last
    )
    if not path:
        return None
    window.settings.setValue(LAST_FORMAT, chosen)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in exporters.WRITERS:  # no suffix typed: the chosen filter's
        named = (s for s, name in exporters.NAMES.items() if chosen.startswith(name))
        suffix = next(named, ".ics")
        path += suffix
    if suffix == ".csv":  # every table, so that importing them all gives the project back
        stem, excel = os.path.splitext(path)[0], chosen.startswith(EXCEL)
        files = {
            path if table == "events" else f"{stem}-{table}.csv": (
                lambda p, t=table: exporters.WRITERS[".csv"](p, table=t, excel=excel)
            )
            for table in tables.TABLES
        }
    else:
        files = {path: exporters.WRITERS[suffix]}
    for target in files:  # asked here, before the work starts: the worker asks nothing
        if is_read_only(target) and not replace_read_only(window, target):
            return None
    project = window.doc.snapshot()  # edits made meanwhile do not reach the export

    def work(task) -> None:
        texts = {}
        for n, (target, dumps) in enumerate(files.items()):
            task.step(n, len(files) + 1)
            texts[target] = dumps(project).encode("utf-8")
        task.step(len(files), len(files) + 1)  # cancelled by now: nothing is written
        for target, data in texts.items():
            write_atomic(target, data, replace_read_only=True)

    def done(_) -> None:
        more = counted(len(files) - 1, "more table")
        others = f" (and {more} beside it)" if len(files) > 1 else ""
        window.statusBar().showMessage(
            f"Exported {exporters.NAMES[suffix]} to {path}{others}", 10_000
        )

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, OSError):
            raise exc  # a defect: the usual error report
        QtWidgets.QMessageBox.critical(
            window,
            "Not exported",
            f"Could not write {exc.filename or path}:\n\n{exc.strerror or exc}",
        )

    def cancelled() -> None:
        window.statusBar().showMessage("Export cancelled: nothing was written", 6000)

    label = f"Exporting {os.path.basename(path)}…"
    return ProgressRun(window, "Export data", label, work, done, failed, cancelled)
