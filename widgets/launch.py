"""Start the editor: check for a display, create the application, open the files."""

from __future__ import annotations

import os
import sys


def display_problem() -> str | None:
    """Why no window can be shown here, or None when one can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and platform.split(":")[0] not in ("xcb", "wayland"):
        return None  # offscreen, vnc, ...: the user chose
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return "no display found (DISPLAY is not set): run it in a desktop session, or use 'demarche export' for charts"
    return None


def run_gui(paths: list[str]) -> int:
    problem = display_problem()
    if problem:
        print(f"demarche: {problem}", file=sys.stderr)
        return 1
    from PySide6 import QtWidgets

    from widgets.mainwindow import MainWindow, install_crash_handler

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Demarche")
    app.setOrganizationName("Demarche")
    window = MainWindow()
    install_crash_handler(lambda: window)
    window.show()
    for path in paths:
        if not os.path.exists(path):
            print(f"demarche: {path}: no such file", file=sys.stderr)
            continue
        window.open_path(path)
    return app.exec()
