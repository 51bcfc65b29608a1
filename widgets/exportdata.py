"""File ▸ Export Data…: the project for other tools (TimelineJS, iCalendar, Markwhen, CSV
tables), as the command line writes it."""

from __future__ import annotations

import os

from PySide6 import QtWidgets

from app import exporters
from app.exporters import csvtables as tables
from app.fileformat.atomic import write_atomic
from widgets.dialogs import write_or_ask

EXCEL = "CSV tables for Excel"  # with a byte-order mark and the locale's separator
FILTERS = ";;".join(
    [*(f"{name} (*{suffix})" for suffix, name in exporters.NAMES.items()), f"{EXCEL} (*.csv)"]
)


def export_data_dialog(window) -> str | None:
    """Ask where, write, and return the path written (None when nothing was)."""
    project = window.doc.project
    if project.conflicts:
        QtWidgets.QMessageBox.information(
            window, "Not exported", "Resolve the merge conflicts in the Conflicts panel first."
        )
        return None
    stem = os.path.splitext(window.doc.path or "untitled.yaml")[0]
    path, chosen = QtWidgets.QFileDialog.getSaveFileName(
        window, "Export data", stem + ".ics", FILTERS
    )
    if not path:
        return None
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in exporters.WRITERS:  # no suffix typed: the chosen filter's
        named = (s for s, name in exporters.NAMES.items() if chosen.startswith(name))
        suffix = next(named, ".ics")
        path += suffix
    if suffix == ".csv":  # every table, so that importing them all gives the project back
        stem, excel = os.path.splitext(path)[0], chosen.startswith(EXCEL)
        files = {
            path if table == "events" else f"{stem}-{table}.csv": tables.dumps(
                project, table, excel
            )
            for table in tables.TABLES
        }
    else:
        files = {path: exporters.WRITERS[suffix](project)}
    for target, text in files.items():
        data = text.encode("utf-8")
        try:
            if not write_or_ask(
                window,
                target,
                lambda force, t=target, d=data: write_atomic(t, d, replace_read_only=force),
            ):
                return None
        except OSError as exc:
            QtWidgets.QMessageBox.critical(
                window, "Not exported", f"Could not write {target}:\n\n{exc.strerror or exc}"
            )
            return None
    others = f" (and {len(files) - 1} more tables beside it)" if len(files) > 1 else ""
    window.statusBar().showMessage(f"Exported {exporters.NAMES[suffix]} to {path}{others}", 6000)
    return path
