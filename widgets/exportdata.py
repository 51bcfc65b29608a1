"""File ▸ Export Data…: the project for other tools (TimelineJS, iCalendar, Markwhen),
as the command line writes it."""

from __future__ import annotations

import os

from PySide6 import QtWidgets

from app import exporters
from app.atomic import write_atomic
from widgets.dialogs import write_or_ask

FILTERS = ";;".join(f"{name} (*{suffix})" for suffix, name in exporters.NAMES.items())


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
    data = exporters.WRITERS[suffix](project).encode("utf-8")
    try:
        if not write_or_ask(
            window, path, lambda force: write_atomic(path, data, replace_read_only=force)
        ):
            return None
    except OSError as exc:
        QtWidgets.QMessageBox.critical(
            window, "Not exported", f"Could not write {path}:\n\n{exc.strerror or exc}"
        )
        return None
    window.statusBar().showMessage(f"Exported {exporters.NAMES[suffix]} to {path}", 6000)
    return path
