from __future__ import annotations

import copy

import pytest
from PySide6 import QtCore, QtWidgets

from app.document import Document
from widgets.canvas import TimelineCanvas


@pytest.fixture
def canvas(qtbot, small_project):
    doc = Document(copy.deepcopy(small_project))
    widget = TimelineCanvas(doc)
    widget.resize(1200, 600)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_time_range(*_span("2023-10-15", "2023-11-30"))
    QtWidgets.QApplication.processEvents()
    return widget


def _span(a: str, b: str) -> tuple[float, float]:
    from app.when import parse

    return parse(a).lo, parse(b).lo


def to_screen(canvas: TimelineCanvas, t: float, y: float) -> QtCore.QPoint:
    """Where a time and layout y are on the plot's viewport, in its pixels."""
    scene = canvas.viewbox.mapViewToScene(QtCore.QPointF(t, y))
    return canvas.plot.mapFromScene(scene)
