"""Where the panels go: the inspector and history on the right, the tables, the context
data and (when a merge left some) the conflicts below; above the chart, the bar that says a
context data file is gone (widgets/missingdata.py)."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from widgets.missingdata import place


def arrange_docks(window: QtWidgets.QMainWindow) -> dict[str, QtWidgets.QDockWidget]:
    docks = {}
    right, bottom = (
        QtCore.Qt.DockWidgetArea.RightDockWidgetArea,
        QtCore.Qt.DockWidgetArea.BottomDockWidgetArea,
    )
    for name, title, widget, area in (
        ("inspector", "Inspector", window.inspector, right),
        ("tables", "Tables", window.tables, bottom),
        ("history", "History", window.history, right),
        ("filter", "Filter", _scrolled(window.filters), right),
        ("conflicts", "Conflicts", window.conflicts, bottom),
        ("context", "Context", window.context, bottom),
    ):
        dock = QtWidgets.QDockWidget(title, window)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
        docks[name] = dock
    window.tabifyDockWidget(docks["inspector"], docks["history"])
    window.tabifyDockWidget(docks["inspector"], docks["filter"])
    window.tabifyDockWidget(docks["tables"], docks["conflicts"])
    window.tabifyDockWidget(docks["tables"], docks["context"])
    docks["conflicts"].hide()  # shown when a merged file with conflicts opens
    window.conflicts.appeared.connect(
        lambda: (docks["conflicts"].show(), docks["conflicts"].raise_())
    )
    docks["inspector"].raise_()
    docks["tables"].raise_()  # the context panel waits behind its tab until asked for
    # A gone data file is said above the chart, since its panel waits behind that tab.
    window.missing_data = place(
        window, lambda: (docks["context"].show(), docks["context"].raise_())
    )
    window.resizeDocks([docks["inspector"]], [320], QtCore.Qt.Orientation.Horizontal)
    window.resizeDocks([docks["tables"]], [180], QtCore.Qt.Orientation.Vertical)
    return docks


def first_size(room: QtCore.QRect) -> QtCore.QSize:
    """The size of a window with none remembered, on a screen with `room`: 1400 x 900 at
    most, and the whole width of a small screen (at 92 % of 1024 px the toolbar's search
    box went behind its » menu, out of sight)."""
    width = room.width() if room.width() < 1280 else min(1400, int(room.width() * 0.92))
    return QtCore.QSize(width, min(900, int(room.height() * 0.9)))


def place_first_window(window: QtWidgets.QMainWindow, room: QtCore.QRect) -> None:
    """A first window (none remembered): its size, and its split, where the tables take
    about a third of its height (six rows in 900 px), the inspector about a quarter of its
    width, and the chart the rest."""
    window.resize(first_size(room))
    tables = [window.docks["tables"]], [window.height() * 35 // 100]
    window.resizeDocks(*tables, QtCore.Qt.Orientation.Vertical)
    # The panels beside the chart about a quarter of it (at 320 px a citation's source was
    # cut to "Untitled new…", read as a new, unsaved one).
    panels = [window.docks["inspector"]], [max(320, window.width() * 26 // 100)]
    window.resizeDocks(*panels, QtCore.Qt.Orientation.Horizontal)


def _scrolled(panel: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """A tall panel in a scroll area, so that it does not make its dock area as tall."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area
