"""The pointer and the lane header ask the canvas for things through the functions they are
given (refresh, moved, zoom, set_row_height, the header's width), not through the canvas:
each request is checked here where the other canvas tests do not reach it."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.records.when import parse
from tests.widgets.conftest import to_screen
from tests.widgets.test_canvas import (
    QtGui_wheel,
    a_move_interval_later,
    drag,
    lane_y,
    point_of,
    send_mouse,
)

Cursor = QtCore.Qt.CursorShape
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier
MOVE, NONE = QtCore.QEvent.Type.MouseMove, QtCore.Qt.MouseButton.NoButton


def hover(canvas, at: QtCore.QPoint) -> None:
    """Moves with no button held, said in each event (QTest.mouseMove sends the buttons
    QTest last pressed, which another test may have left down)."""
    for there in (at + QtCore.QPoint(5, 5), at):  # a move, whatever came before
        a_move_interval_later(canvas.plot.viewport())  # pyqtgraph drops faster moves
        send_mouse(canvas.plot.viewport(), MOVE, there, NONE, NONE)


def test_hovering_an_event_highlights_it_says_the_time_and_offers_a_hand(canvas, qtbot):
    times = []
    canvas.cursorTimeChanged.connect(times.append)
    canvas.show_cursor = False  # its line would repaint the chart as it moves
    empty = to_screen(canvas, parse("2023-11-28").lo, lane_y(canvas, "hamas"))
    hover(canvas, empty)
    assert canvas.view.hover is None
    before = canvas.layer.paints
    hover(canvas, point_of(canvas, "release"))
    assert canvas.view.hover == "release"
    qtbot.waitUntil(lambda: canvas.layer.paints > before)  # the highlight is painted
    release = canvas.doc.get("events", "release").when
    assert release.lo <= times[-1] <= release.hi
    assert canvas.plot.viewport().cursor().shape() == Cursor.OpenHandCursor

    before = canvas.layer.paints
    hover(canvas, empty)
    assert canvas.view.hover is None
    qtbot.waitUntil(lambda: canvas.layer.paints > before)  # and unpainted
    assert times[-1] > parse("2023-11-27").lo
    assert canvas.plot.viewport().cursor().shape() == Cursor.ArrowCursor


def test_hovering_a_ranges_start_offers_to_resize_it(canvas):
    start = canvas.doc.get("events", "talks").when.lo
    hover(canvas, to_screen(canvas, start, lane_y(canvas, "cia")))
    assert canvas.view.hover == "talks"
    assert canvas.plot.viewport().cursor().shape() == Cursor.SizeHorCursor


def test_shift_wheel_scrolls_the_lanes_without_zooming(canvas):
    canvas.resize(1200, 250)
    canvas.set_row_height(60)  # taller lanes than the window: the scroll bar shows
    QtWidgets.QApplication.processEvents()
    assert canvas.scroll.maximum() > 0 and canvas.scroll.value() == 0
    span = canvas.viewbox.viewRange()[0]
    at = to_screen(canvas, parse("2023-11-01").lo, 10)
    wheel = QtGui_wheel(canvas, at, -120, SHIFT)
    QtWidgets.QApplication.sendEvent(canvas.plot.viewport(), wheel)
    assert canvas.scroll.value() == min(3 * 60, canvas.scroll.maximum())
    assert canvas.viewbox.viewRange()[0] == span


def test_widening_the_lane_names_says_the_new_width(canvas):
    widths = []
    canvas.headerResized.connect(widths.append)
    start = canvas.header.width()
    drag(canvas, QtCore.QPoint(start - 2, 40), QtCore.QPoint(start + 60, 40), widget=canvas.header)
    assert canvas.header.width() == start + 60 and widths[-1] == start + 60


def test_no_tooltip_covers_an_event_while_it_is_dragged(canvas, monkeypatch):
    """The hover's tooltip went on following the pointer through a drag, over the event
    being moved or resized and its new dates."""
    from tests.widgets.test_canvas import L

    shown = []
    monkeypatch.setattr(QtWidgets.QToolTip, "showText", lambda *a, **k: shown.append(a[1]))
    monkeypatch.setattr(QtWidgets.QToolTip, "hideText", lambda: shown.append(None))
    start = point_of(canvas, "release")
    hover(canvas, start)
    assert shown and shown[-1]  # hovering, the tooltip says what the event is
    shown.clear()
    E, NONE = QtCore.QEvent.Type, QtCore.Qt.MouseButton.NoButton
    vp = canvas.plot.viewport()
    send_mouse(vp, E.MouseButtonPress, start, L, L)
    for k in range(1, 6):
        a_move_interval_later(vp)
        send_mouse(vp, E.MouseMove, start + QtCore.QPoint(8 * k, 0), NONE, L)
    assert canvas.drag is not None  # dragging
    assert shown and all(text is None for text in shown)  # hidden, never shown again
    send_mouse(vp, E.MouseButtonRelease, start + QtCore.QPoint(40, 0), L, NONE)
