"""Links between events as the canvas draws them: from mark to mark, and dimmed with what
they join."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.editing.edits import toggle_link
from app.records.when import parse
from tests.images import changed
from tests.widgets.test_canvas import ALT, drag, point_of


def _plot_image(canvas) -> QtGui.QImage:
    QtWidgets.QApplication.processEvents()
    canvas.plot.viewport().repaint()
    return canvas.plot.viewport().grab().toImage()


def test_a_link_starts_at_the_mark_of_a_days_event_not_at_the_days_first_hour(canvas):
    """A day's mark stands at its middle; the link began at midnight, half a day to its
    left (at a close zoom it pointed at nothing, and between two events of one day it hid
    under the demand arrows drawn at that midnight)."""
    canvas.set_time_range(parse("2023-10-17").lo, parse("2023-11-12").lo)
    release = point_of(canvas, "release")  # 20 Oct: its mark at noon
    drag(canvas, point_of(canvas, "talks"), release, ALT)
    assert canvas.doc.get("events", "talks").responds_to == ("release",)
    QTest.mouseMove(canvas.plot.viewport(), QtCore.QPoint(5, 5))  # no hover ring
    canvas.doc.select([])
    linked = _plot_image(canvas)
    canvas.doc.undo_stack.undo()
    canvas.doc.select([])
    link = changed(linked, _plot_image(canvas))  # the link alone
    assert link
    day = (
        canvas.viewbox.mapViewToScene(QtCore.QPointF(86400.0, 0)).x()
        - canvas.viewbox.mapViewToScene(QtCore.QPointF(0.0, 0)).x()
    )
    assert day > 30  # px: half a day is well apart from the mark's own few pixels
    assert min(x for x, _ in link) >= release.x() - 8


def _darkest(image: QtGui.QImage, points) -> int:
    return min(QtGui.QColor(image.pixel(x, y)).value() for x, y in points)


def test_a_link_between_events_the_filter_dims_is_dimmed_too(window, saved):
    """Dimmed marks joined by an arrow at full strength: the eye followed the link to what
    the filter had put aside."""
    from tests.widgets.test_filterpanel import tick

    window.open_path(str(saved))
    canvas = window.canvas
    canvas.set_time_range(parse("2023-10-17").lo, parse("2023-11-12").lo)
    QTest.mouseMove(canvas.plot.viewport(), QtCore.QPoint(5, 5))
    window.doc.undo_stack.push(toggle_link(window.doc, "release", "talks"))
    canvas.doc.select([])
    linked = _plot_image(canvas)
    window.doc.undo_stack.undo()
    link = changed(linked, _plot_image(canvas))
    window.doc.undo_stack.redo()
    canvas.doc.select([])
    full = _darkest(_plot_image(canvas), link)
    tick(window.filters.actors, "israel")  # neither event is Israel's: both dimmed
    assert canvas.view.filtered is not None and "release" not in canvas.view.filtered
    assert not canvas.view.hide_filtered
    dimmed = _darkest(_plot_image(canvas), link)
    assert dimmed > full + 60, (full, dimmed)


def test_a_demand_the_filter_dims_is_drawn_faded_and_hidden_with_what_it_hides(window, saved):
    """ "Hide what is filtered out (else dimmed)": a demand the filter leaves out was hidden
    in both, while the events beside it were dimmed."""
    from tests.widgets.test_filterpanel import tick

    window.open_path(str(saved))
    canvas = window.canvas
    canvas.set_time_range(parse("2023-11-10").lo, parse("2023-12-01").lo)
    QTest.mouseMove(canvas.plot.viewport(), QtCore.QPoint(5, 5))
    canvas.doc.select([])

    def with_and_without_demands() -> tuple[QtGui.QImage, QtGui.QImage]:
        shown = _plot_image(canvas)
        window.actions_["demands"].setChecked(False)
        hidden = _plot_image(canvas)
        window.actions_["demands"].setChecked(True)
        return shown, hidden

    full, bare = with_and_without_demands()
    demand = changed(full, bare)  # the demand's arrow, glyph and span
    assert demand
    tick(window.filters.types, "material cooperation")  # an event type: no demand kept
    assert not canvas.view.hide_filtered
    dimmed, bare = with_and_without_demands()
    assert changed(dimmed, bare)  # still drawn...
    assert _darkest(dimmed, demand) > _darkest(full, demand) + 40  # ...faded
    window.filters.hide_out.setChecked(True)
    hidden, bare = with_and_without_demands()
    assert not changed(hidden, bare)
