"""A change of view paints the chart once: a zoom with the wheel or the keyboard, a pan
and a resize each cost one paint of the whole chart (pyqtgraph moving its items when the
paint began marked them for a second one, so each cost two)."""

from __future__ import annotations

import time
from operator import sub

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

DAY = 86400.0


def _paints_of(canvas, change) -> int:
    """The chart's paints that `change` causes, once every event it posts is handled."""
    _settle()
    before = canvas.layer.paints
    change()
    _settle()
    return canvas.layer.paints - before


def _settle() -> None:
    # (A paint that a paint schedules comes in a later round of the event loop.)
    for _ in range(4):
        QtWidgets.QApplication.processEvents()
        time.sleep(0.01)


def _wheel(viewport: QtWidgets.QWidget) -> None:
    at = QtCore.QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QtGui.QWheelEvent(
        at,
        QtCore.QPointF(viewport.mapToGlobal(at)),
        QtCore.QPoint(),
        QtCore.QPoint(0, 120),
        QtCore.Qt.MouseButton.NoButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
        QtCore.Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QtWidgets.QApplication.sendEvent(viewport, event)


def test_a_zoom_a_pan_and_a_resize_each_paint_the_chart_once(window, saved):
    window.open_path(str(saved))
    canvas = window.canvas
    viewport = canvas.plot.viewport()
    t0, t1 = canvas.viewbox.viewRange()[0]
    assert _paints_of(canvas, lambda: _wheel(viewport)) == 1
    assert -sub(*canvas.viewbox.viewRange()[0]) < t1 - t0
    assert _paints_of(canvas, lambda: canvas.set_time_range(t0 + DAY, t1 + DAY)) == 1
    canvas.setFocus()
    span = -sub(*canvas.viewbox.viewRange()[0])
    assert _paints_of(canvas, lambda: QTest.keyClick(canvas, QtCore.Qt.Key.Key_Plus)) == 1
    assert -sub(*canvas.viewbox.viewRange()[0]) < span / 1.4
    assert _paints_of(canvas, lambda: window.resize(1300, 860)) == 1
    # What was painted is the new view: the items were moved before that one paint.
    view = canvas.viewbox
    corner = view.mapViewToScene(QtCore.QPointF(view.viewRange()[0][0], view.viewRange()[1][0]))
    assert abs(corner.x() - view.sceneBoundingRect().left()) < 1
