"""The `demarche` entry point, above both layers: commands go to the command line in
app/cli.py, files (or nothing) open the editor, after a check for a display."""

from __future__ import annotations

import os
import sys

from app.cli import main as cli


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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not cli.opens_editor(argv):
        return cli.main(argv)
    return run_gui([a for a in argv if a != "--"])


def run_gui(paths: list[str]) -> int:
    problem = display_problem()
    if problem:
        print(f"demarche: {problem}", file=sys.stderr)
        return 1
    from PySide6 import QtGui, QtWidgets

    from app.fileformat import resources
    from widgets.collecting import TimedCollector
    from widgets.dialogs import install_crash_handler
    from widgets.mainwindow import MainWindow
    from widgets.windows import current_window

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("Demarche")
    app.setOrganizationName("Demarche")
    # The icon in the title bar and task switcher; on Wayland the desktop entry's name
    # (demarche install-desktop) ties the window to the menu's entry.
    app.setWindowIcon(QtGui.QIcon(str(resources.path("demarche.svg"))))
    app.setDesktopFileName("demarche")
    # Python's cyclic collector runs only from a timer on the GUI thread (widgets/collecting.py).
    collector = TimedCollector(interval=1.0)  # noqa: F841 - kept until the app ends
    window = MainWindow()
    install_crash_handler(current_window)  # the window may have closed since
    window.show()
    open_paths(window, paths)
    return app.exec()


def open_paths(window, paths: list[str]) -> None:
    """Open the files named; a name not there yet is a new project, saved there."""
    for path in paths:
        if os.path.exists(path):
            window.open_path(path)
        else:
            window.files.new_at(path)
