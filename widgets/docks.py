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


def _scrolled(panel: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """A tall panel in a scroll area, so that it does not make its dock area as tall."""
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area
