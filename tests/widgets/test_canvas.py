"""Drive the real canvas with the mouse and keyboard; every gesture undoes."""

from __future__ import annotations

import copy
import time

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.chart import metrics
from app.editing import edits
from app.records.when import parse
from tests.widgets.conftest import _span, to_screen
from tests.widgets.popups import when_open

L = QtCore.Qt.MouseButton.LeftButton
NO = QtCore.Qt.KeyboardModifier.NoModifier
CTRL = QtCore.Qt.KeyboardModifier.ControlModifier
DAY = 86400.0
# pyqtgraph drops a move that comes sooner than 1/mouseRateLimit s after the last one.
MOVE_INTERVAL_MS = 1000 // pg.getConfigOption("mouseRateLimit") + 1


def a_move_interval_later(widget) -> None:
    """Before the next move of a drag or a hover: a person's next move comes later than
    pyqtgraph's rate limit (GraphicsScene._moveEventIsAllowed). Rather than wait it out
    (about a tenth of a second each drag), the widget's scene is told that its last move
    was that long ago; a widget outside a pyqtgraph scene, or another pyqtgraph, waits."""
    view = widget if isinstance(widget, QtWidgets.QGraphicsView) else widget.parentWidget()
    scene = view.scene() if isinstance(view, QtWidgets.QGraphicsView) else None
    if isinstance(getattr(scene, "_lastMoveEventTime", None), int):
        scene._lastMoveEventTime -= MOVE_INTERVAL_MS
        QtWidgets.QApplication.processEvents()
    else:
        QTest.qWait(MOVE_INTERVAL_MS)


def lane_y(canvas, actor: str, row: int = 0) -> float:
    layout = canvas.timeline.layout
    return layout.row_top(layout.lane_of_actor[actor], row) + layout.row_height / 2


def send_mouse(widget, kind, at: QtCore.QPoint, button, buttons, mods=NO) -> None:
    """A mouse event with its button state spelled out, as the window system sends it."""
    local = QtCore.QPointF(at)
    event = QtGui.QMouseEvent(
        kind, local, local, QtCore.QPointF(widget.mapToGlobal(at)), button, buttons, mods
    )
    QtWidgets.QApplication.sendEvent(widget, event)
    QtWidgets.QApplication.processEvents()


def drag(
    canvas, start: QtCore.QPoint, end: QtCore.QPoint, mods=NO, steps: int = 8, widget=None
) -> None:
    vp = widget or canvas.plot.viewport()
    E = QtCore.QEvent.Type
    send_mouse(vp, E.MouseButtonPress, start, L, L, mods)
    for k in range(1, steps + 1):
        a_move_interval_later(vp)  # pyqtgraph drops moves that come faster than its rate limit
        send_mouse(
            vp,
            E.MouseMove,
            start + (end - start) * k / steps,
            QtCore.Qt.MouseButton.NoButton,
            L,
            mods,
        )
    send_mouse(vp, E.MouseButtonRelease, end, L, QtCore.Qt.MouseButton.NoButton, mods)


def double_click(widget, at: QtCore.QPoint) -> None:
    """As a real mouse does it: press, release, then a press that Qt reports as a double click, release."""
    QTest.mouseClick(widget, L, NO, at)
    QTest.mouseDClick(widget, L, NO, at)
    QTest.mouseRelease(widget, L, NO, at)


def point_of(canvas, event_id: str) -> QtCore.QPoint:
    e = canvas.doc.get("events", event_id)
    t = (e.when.lo + e.when.hi) / 2 if not e.when.is_range else (e.when.lo + e.when.hi) / 2
    return to_screen(canvas, t, lane_y(canvas, e.actor))


def test_click_selects_and_ctrl_click_adds(canvas):
    QTest.mouseClick(canvas.plot.viewport(), L, NO, point_of(canvas, "release"))
    assert canvas.doc.selection == {"release"}
    QTest.mouseClick(canvas.plot.viewport(), L, CTRL, point_of(canvas, "talks"))
    assert canvas.doc.selection == {"release", "talks"}


def test_drag_an_event_three_days_later_then_undo(canvas):
    start = point_of(canvas, "release")
    three_days = to_screen(canvas, parse("2023-10-23").lo + DAY / 2, lane_y(canvas, "hamas"))
    drag(canvas, start, QtCore.QPoint(three_days.x(), start.y()))
    assert canvas.doc.get("events", "release").when.text == "2023-10-23"
    assert canvas.doc.undo_stack.count() == 1
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "release").when.text == "2023-10-20"


def test_drag_an_event_to_another_lane(canvas):
    start = point_of(canvas, "release")
    target = to_screen(canvas, parse("2023-10-20").lo + DAY / 2, lane_y(canvas, "israel"))
    drag(canvas, start, target)
    e = canvas.doc.get("events", "release")
    assert (e.actor, e.when.text) == ("israel", "2023-10-20")
    assert canvas.doc.undo_stack.undoText() == "Move 'Hamas releases two women'"
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "release").actor == "hamas"


def test_resize_a_range_keeps_its_qualifier(canvas):
    e = canvas.doc.get("events", "talks")
    edge = to_screen(canvas, e.when.hi, lane_y(canvas, "cia"))
    later = to_screen(canvas, e.when.hi + 3 * DAY, lane_y(canvas, "cia"))
    drag(canvas, QtCore.QPoint(edge.x() - 1, edge.y()), QtCore.QPoint(later.x(), edge.y()))
    assert canvas.doc.get("events", "talks").when.text == "2023-11-09/2023-11-13~"
    assert canvas.doc.undo_stack.undoText() == "Resize 'Talks in Doha'"  # not "Move"
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "talks").when.text == "2023-11-09/2023-11-10~"


def test_a_dragged_dates_label_stays_on_the_chart_on_a_ground_of_its_own(canvas, monkeypatch):
    """Stretched to the chart's right edge, a range's new date was cut off there (now it
    goes on the range's left); dragged across titles, it was written over them (now on a
    ground of its own)."""
    from app.chart import events

    drawn, box_of = [], events.ghost_date_box

    def box(metrics, text, span, middle, vp):
        drawn.append((box_of(metrics, text, span, middle, vp), span, vp))
        return drawn[-1][0]

    monkeypatch.setattr(events, "ghost_date_box", box)
    e = canvas.doc.get("events", "talks")
    edge = to_screen(canvas, e.when.hi, lane_y(canvas, "cia"))
    right = QtCore.QPoint(canvas.plot.viewport().width() - 4, edge.y())
    drag(canvas, QtCore.QPoint(edge.x() - 1, edge.y()), right)
    assert drawn, "no date drawn while dragging"
    box, (left, _), vp = drawn[-1]
    assert vp.left <= box.left() and box.right() <= vp.right
    assert box.right() < left  # beside the range, not over it


def test_a_narrow_range_dragged_by_its_middle_moves(canvas):
    """Zoomed out, a two-day range is a few pixels wide: its two edges' grips covered all
    of it, so it could be resized but never moved (at 100,000 events, most ranges)."""
    canvas.set_time_range(*_span("2023-06-01", "2024-03-01"))
    QtWidgets.QApplication.processEvents()
    e = canvas.doc.get("events", "talks")
    left, right = (to_screen(canvas, t, lane_y(canvas, "cia")) for t in (e.when.lo, e.when.hi))
    assert 4 < right.x() - left.x() < 2 * metrics.EDGE_GRIP  # narrower than its two grips
    middle = QtCore.QPoint((left.x() + right.x()) // 2, left.y())
    drag(canvas, middle, middle + QtCore.QPoint(80, 0))
    moved = canvas.doc.get("events", "talks").when
    assert moved.lo > e.when.lo and moved.hi - moved.lo == e.when.hi - e.when.lo
    assert canvas.doc.undo_stack.undoText().startswith("Move")


def test_a_ranges_start_dragged_past_its_end_says_why_it_stays(canvas):
    """No ghost and no edit, and nothing said: the drag looked broken (a range's mark sits
    on its start, so grabbing the mark to move it, zoomed out, resizes it)."""
    said = []
    canvas.message.connect(said.append)
    e = canvas.doc.get("events", "talks")
    start = to_screen(canvas, e.when.lo, lane_y(canvas, "cia"))
    past = to_screen(canvas, e.when.hi + 4 * DAY, lane_y(canvas, "cia"))
    drag(canvas, QtCore.QPoint(start.x() + 1, start.y()), QtCore.QPoint(past.x(), start.y()))
    assert canvas.doc.get("events", "talks").when == e.when
    assert said and "before it starts" in said[-1]


def test_rubber_band_selects_two_then_both_move_as_one_step(canvas):
    top_left = to_screen(canvas, parse("2023-10-17").lo, 0)
    bottom_right = to_screen(canvas, parse("2023-11-20").lo, canvas.timeline.layout.height - 1)
    drag(canvas, top_left, bottom_right)
    assert canvas.doc.selection == {"release", "talks"}
    start = point_of(canvas, "release")
    two_days = to_screen(canvas, parse("2023-10-22").lo + DAY / 2, lane_y(canvas, "hamas"))
    drag(canvas, start, QtCore.QPoint(two_days.x(), start.y()))
    assert canvas.doc.get("events", "release").when.text == "2023-10-22"
    assert canvas.doc.get("events", "talks").when.text == "2023-11-11/2023-11-12~"
    assert canvas.doc.undo_stack.count() == 1
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "talks").when.text == "2023-11-09/2023-11-10~"


def test_reorder_lanes_by_dragging_a_header(canvas, qtbot):
    header = canvas.header
    vp = header.viewport()
    layout = canvas.timeline.layout
    israel = layout.lanes[layout.lane_of_actor["israel"]]
    usa = layout.lanes[layout.lane_of_actor["usa"]]
    start = QtCore.QPoint(60, int(vp.y(israel.centre)))
    end = QtCore.QPoint(60, int(vp.y(usa.top) + 3))
    drag(canvas, start, end, widget=header)
    assert [a.id for a in canvas.doc.project.actors] == ["israel", "usa", "cia", "hamas"]
    canvas.doc.undo_stack.undo()
    assert [a.id for a in canvas.doc.project.actors] == ["usa", "cia", "hamas", "israel"]


def test_a_nested_lane_dropped_outside_its_parent_sits_where_the_line_was(canvas):
    """CIA (inside United States) dragged below Hamas: the drop line is drawn between
    Hamas and Israel, so it leaves United States and sits there, on screen and in the
    file alike, as one undo step (only the file's order changed, and the lane stayed)."""
    header, layout = canvas.header, canvas.timeline.layout
    vp = header.viewport()
    cia = layout.lanes[layout.lane_of_actor["cia"]]
    israel = layout.lanes[layout.lane_of_actor["israel"]]
    start = QtCore.QPoint(60, int(vp.y(cia.centre)))
    drag(canvas, start, QtCore.QPoint(60, int(vp.y(israel.top) + 3)), widget=header)
    shown = [lane.actor.id for lane in canvas.timeline.layout.lanes]
    assert shown == ["usa", "hamas", "cia", "israel"]
    assert canvas.doc.get("actors", "cia").parent == ""
    assert [a.id for a in canvas.doc.project.actors] == ["usa", "hamas", "cia", "israel"]
    assert canvas.doc.undo_stack.count() == 1
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("actors", "cia").parent == "usa"
    assert [lane.actor.id for lane in canvas.timeline.layout.lanes] == [
        "usa",
        "cia",
        "hamas",
        "israel",
    ]


def test_double_click_creates_an_event_and_asks_to_edit_it(canvas, qtbot):
    at = to_screen(canvas, parse("2023-11-01").lo + DAY / 2, lane_y(canvas, "israel"))
    with qtbot.waitSignal(canvas.editRequested) as blocker:
        double_click(canvas.plot.viewport(), at)
    new_id = blocker.args[0]
    e = canvas.doc.get("events", new_id)
    assert (e.actor, e.when.text) == ("israel", "2023-11-01")
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", new_id) is None


def test_ctrl_drag_between_lanes_creates_a_demand(canvas):
    start = to_screen(canvas, parse("2023-11-05").lo + DAY / 2, lane_y(canvas, "usa"))
    end = to_screen(canvas, parse("2023-11-05").lo + DAY / 2, lane_y(canvas, "israel"))
    drag(canvas, start, end, CTRL)
    new = [d for d in canvas.doc.project.demands if d.id != "drones"]
    assert len(new) == 1 and (new[0].from_, new[0].to, new[0].raised.text) == (
        "usa",
        "israel",
        "2023-11-05",
    )
    canvas.doc.undo_stack.undo()
    assert [d.id for d in canvas.doc.project.demands] == ["drones"]


def test_ctrl_drag_from_an_events_title_draws_a_demand_and_leaves_the_event(canvas):
    """A newcomer's Ctrl+drag that began on a title moved that event to the other lane."""
    before = copy.deepcopy(canvas.doc.project.events)
    release = canvas.doc.get("events", "release")
    assert canvas.view.event_at(release.when.lo, lane_y(canvas, "hamas")).id == "release"
    start = point_of(canvas, "release")  # on its mark, in the Hamas lane
    end = QtCore.QPoint(start.x(), to_screen(canvas, 0, lane_y(canvas, "israel")).y())
    drag(canvas, start, end, CTRL)
    assert canvas.doc.project.events == before
    (new,) = [d for d in canvas.doc.project.demands if d.id != "drones"]
    assert (new.from_, new.to) == ("hamas", "israel") and canvas.doc.selection == {new.id}


def test_wheel_zoom_keeps_the_date_under_the_cursor(canvas):
    t = parse("2023-11-01").lo
    at = to_screen(canvas, t, 10)
    (t0, t1), _ = canvas.viewbox.viewRange()
    QTest.mouseMove(canvas.plot.viewport(), at)
    for _ in range(3):
        wheel = QtGui_wheel(canvas, at, 120)
        QtWidgets.QApplication.sendEvent(canvas.plot.viewport(), wheel)
    (u0, u1), _ = canvas.viewbox.viewRange()
    assert u1 - u0 < (t1 - t0) * 0.7
    under = canvas.viewbox.mapSceneToView(canvas.plot.mapToScene(at)).x()
    assert abs(under - t) < (u1 - u0) / 500


def QtGui_wheel(canvas, at: QtCore.QPoint, delta: int, mods=NO):
    from PySide6 import QtGui

    global_at = canvas.plot.viewport().mapToGlobal(at)
    return QtGui.QWheelEvent(
        QtCore.QPointF(at),
        QtCore.QPointF(global_at),
        QtCore.QPoint(0, 0),
        QtCore.QPoint(0, delta),
        QtCore.Qt.MouseButton.NoButton,
        mods,
        QtCore.Qt.ScrollPhase.NoScrollPhase,
        False,
    )


def test_ctrl_wheel_makes_lanes_taller_and_shorter_without_zooming_time(canvas):
    heights = []
    canvas.rowHeightChanged.connect(heights.append)
    at = to_screen(canvas, parse("2023-11-01").lo, 10)
    span = canvas.viewbox.viewRange()[0]
    before = canvas.timeline.layout.lanes[-1].bottom
    QtWidgets.QApplication.sendEvent(canvas.plot.viewport(), QtGui_wheel(canvas, at, 120, CTRL))
    assert canvas.timeline.layout.lanes[-1].bottom > before
    assert heights == [canvas.timeline.row_height] and canvas.viewbox.viewRange()[0] == span
    for _ in range(30):  # bounded: lanes never vanish nor swallow the screen
        QtWidgets.QApplication.sendEvent(
            canvas.plot.viewport(), QtGui_wheel(canvas, at, -120, CTRL)
        )
    assert canvas.timeline.row_height == 14.0


def test_tooltip_text_has_title_date_actor_and_source(canvas):
    tip = canvas.tooltip("release")
    assert "Hamas releases two women" in tip and "2023-10-20" in tip and "20 October 2023" in tip
    assert "Actor: Hamas" in tip and "Inside the talks (WSJ)" in tip
    assert "Offer: a pause" in canvas.tooltip("drones")


def test_two_drags_of_one_event_are_two_undo_steps(canvas):
    """One gesture is one step: a second drag of the same event does not merge into the first."""
    start = point_of(canvas, "release")
    one_day = to_screen(canvas, parse("2023-10-21").lo + DAY / 2, lane_y(canvas, "hamas"))
    drag(canvas, start, QtCore.QPoint(one_day.x(), start.y()))
    start = point_of(canvas, "release")
    two_days = to_screen(canvas, parse("2023-10-23").lo + DAY / 2, lane_y(canvas, "hamas"))
    drag(canvas, start, QtCore.QPoint(two_days.x(), start.y()))
    assert canvas.doc.get("events", "release").when.text == "2023-10-23"
    assert canvas.doc.undo_stack.count() == 2
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "release").when.text == "2023-10-21"


def test_dragging_a_demand_in_time_is_one_step(canvas):
    d = canvas.doc.get("demands", "drones")
    layout = canvas.timeline.layout
    y = layout.lanes[layout.lane_of_actor["usa"]].centre  # the arrow passes the mediator
    start = to_screen(canvas, d.raised.lo, y)  # the arrow stands at the start of its day
    later = to_screen(canvas, d.raised.lo + 2 * DAY, y)
    drag(canvas, start, later)
    moved = canvas.doc.get("demands", "drones")
    assert (moved.raised.text, moved.resolved.text) == ("2023-11-22~", "2023-11-23")
    assert canvas.doc.undo_stack.count() == 1
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("demands", "drones") == d


def test_changing_a_status_from_the_context_menu_records_history(canvas, qtbot, when_asked):
    """Right-click on the demand's arrow ▸ Change status ▸ rejected: the dialog proposes the
    day under the pointer, and that day is the one recorded."""
    replies, proposed = when_asked
    replies.append((None, "talks broke down"))
    d = canvas.doc.get("demands", "drones")
    layout = canvas.timeline.layout
    at = to_screen(canvas, d.raised.lo, layout.lanes[layout.lane_of_actor["usa"]].centre)

    def choose(menu):
        status = next(m for m in menu.findChildren(QtWidgets.QMenu) if m.title() == "Change status")
        next(a for a in status.actions() if a.text().endswith("rejected")).trigger()
        menu.close()

    when_open(choose)
    R = QtCore.Qt.MouseButton.RightButton
    vp = canvas.plot.viewport()
    send_mouse(vp, QtCore.QEvent.Type.MouseButtonPress, at, R, R)
    send_mouse(vp, QtCore.QEvent.Type.MouseButtonRelease, at, R, QtCore.Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: canvas.doc.get("demands", "drones").status == "rejected")
    d = canvas.doc.get("demands", "drones")
    assert proposed == ["2023-11-20"]  # the day under the pointer, not today
    assert d.history[-1].when.text == "2023-11-20" and d.history[-1].note == "talks broke down"
    assert d.resolved == d.history[-1].when
    from app.fileformat import projectfile

    saved = projectfile.dumps(canvas.doc.project)  # what Save writes
    assert 'resolved: "2023-11-20"' in saved
    assert '- when: "2023-11-20"\n        status: rejected' in saved


def test_hiding_a_lane_from_its_menu_is_one_undoable_edit(canvas, qtbot):
    from widgets import canvasmenus

    def choose(menu):
        next(a for a in menu.actions() if a.text() == "Hide").trigger()
        menu.close()

    when_open(choose)
    canvasmenus.lane_menu(canvas.surface, "israel", canvas.mapToGlobal(QtCore.QPoint(50, 50)))
    assert canvas.doc.get("actors", "israel").hidden
    assert "israel" not in canvas.timeline.layout.lane_of_actor
    assert canvas.doc.undo_stack.undoText() == "Hide 'Israel'"
    canvas.doc.undo_stack.undo()
    assert not canvas.doc.get("actors", "israel").hidden


def test_hidden_lanes_come_back_from_any_lanes_menu_in_one_step(window, saved):
    """Nothing on the chart said a lane was hidden, nor where it came back: the status bar
    counts them, and any lane's menu shows them all again."""
    from widgets import canvasmenus

    window.open_path(str(saved))
    doc, canvas = window.doc, window.canvas
    for actor in ("israel", "cia"):
        doc.undo_stack.push(edits.hide_lane(doc, actor))
    assert window.count_label.text().startswith("4 actors (2 hidden) · ")

    def choose(menu):
        next(a for a in menu.actions() if a.text() == "Show Hidden Lanes (2)").trigger()
        menu.close()

    when_open(choose)
    canvasmenus.lane_menu(canvas.surface, "hamas", canvas.mapToGlobal(QtCore.QPoint(50, 50)))
    assert not any(a.hidden for a in doc.project.actors)
    assert {"israel", "cia"} <= set(canvas.timeline.layout.lane_of_actor)
    assert doc.undo_stack.undoText() == "Show 2 hidden lanes"
    assert window.count_label.text().startswith("4 actors · ")
    doc.undo_stack.undo()  # one step hides both again
    assert [a.id for a in doc.project.actors if a.hidden] == ["cia", "israel"]
    offered = []
    when_open(lambda menu: (offered.extend(a.text() for a in menu.actions()), menu.close()))
    doc.undo_stack.undo()
    doc.undo_stack.undo()  # none hidden: none offered
    canvasmenus.lane_menu(canvas.surface, "hamas", canvas.mapToGlobal(QtCore.QPoint(50, 50)))
    assert "Hide" in offered and not any("Show Hidden" in text for text in offered)


ALT = QtCore.Qt.KeyboardModifier.AltModifier


def test_alt_drag_from_one_mark_to_another_links_them_and_again_unlinks(canvas):
    # "release" (20 Oct, Hamas) and "talks" (9-10 Nov, the CIA): the later answers the earlier.
    canvas.set_time_range(parse("2023-10-15").lo, parse("2023-11-15").lo)
    drag(canvas, point_of(canvas, "talks"), point_of(canvas, "release"), ALT)
    assert canvas.doc.get("events", "talks").responds_to == ("release",)
    assert canvas.doc.get("events", "release").when.text == "2023-10-20"  # not moved
    drag(canvas, point_of(canvas, "release"), point_of(canvas, "talks"), ALT)
    assert canvas.doc.get("events", "talks").responds_to == ()
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "talks").responds_to == ("release",)
    before = canvas.doc.undo_stack.count()
    drag(canvas, point_of(canvas, "talks"), point_of(canvas, "talks") + QtCore.QPoint(0, 200), ALT)
    assert canvas.doc.undo_stack.count() == before  # dropped on nothing: no edit


def test_the_history_names_a_link_and_an_unlink_by_the_two_events(canvas):
    canvas.set_time_range(parse("2023-10-15").lo, parse("2023-11-15").lo)
    talks = canvas.doc.get("events", "talks").title
    release = canvas.doc.get("events", "release").title
    drag(canvas, point_of(canvas, "talks"), point_of(canvas, "release"), ALT)
    assert canvas.doc.undo_stack.undoText() == f"Link '{talks}' as an answer to '{release}'"
    drag(canvas, point_of(canvas, "release"), point_of(canvas, "talks"), ALT)
    assert canvas.doc.undo_stack.undoText() == f"Unlink '{talks}' from '{release}'"


def test_the_cursor_date_is_written_on_the_axis_on_a_ground_of_its_own(canvas):
    """The date beside the cursor line sat in the chart's top strip: over the phase titles
    ('20 October 2023' and 'Ground operations' printed over each other), and, with no
    phases, over the first lane's marks and titles. It is written on the top axis, on a
    ground that hides the ticks' words under it: a tag in the muted grey, where the axis's
    own ground left a tick's first letters ("9 O") to read as part of the date."""
    assert not canvas.pointer.cursor_label.isVisible()  # (an empty grey tag at the start)
    at = to_screen(canvas, parse("2023-11-01").lo, 10)
    QTest.mouseMove(canvas.plot.viewport(), at + QtCore.QPoint(7, 3))  # a move, whatever before
    QTest.mouseMove(canvas.plot.viewport(), at)
    label = canvas.pointer.cursor_label
    assert label.isVisible() and label.toPlainText()
    assert label.fill.style() != QtCore.Qt.BrushStyle.NoBrush
    assert label.fill.color().alpha() > 200
    assert label.fill.color().name() == canvas.chart.theme.muted
    box = canvas.plot.mapFromScene(label.sceneBoundingRect()).boundingRect()
    chart = canvas.plot.mapFromScene(canvas.viewbox.sceneBoundingRect()).boundingRect()
    line_x = to_screen(canvas, canvas.pointer.cursor_line.value(), 10).x()
    assert box.bottom() <= chart.top() + 1 and abs(box.left() - line_x) <= 1  # beside the line
    # No tick's word is written under the tag, nor a part of one beside it ("ct" of "30 Oct")
    axis = canvas.plot.getAxis("top")
    tag = label.mapRectToParent(label.boundingRect())
    image = QtGui.QImage(int(axis.width()), int(axis.height()), QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(image)
    words = axis.generateDrawSpecs(p)[2]
    p.end()
    assert words and all(w[0].right() < tag.left() or w[0].left() > tag.right() for w in words)
    QTest.mouseMove(canvas.plot.viewport(), QtCore.QPoint(-5, -5))  # (off the chart)
    canvas.pointer.hover(None, None)
    assert axis.covered is None


def test_todays_line_says_what_it_is_and_lets_clicks_through(canvas, qtbot):
    """Nothing said what the dashed orange line was (the legend explains only what exports
    draw)."""
    line = canvas.pointer.today_line
    now = time.time()
    canvas.set_time_range(now - 10 * 86400, now + 10 * 86400)
    qtbot.waitUntil(line.isVisible)
    assert line.label.isVisible() and line.label.toPlainText() == "today"
    assert line.label.acceptedMouseButtons() == QtCore.Qt.MouseButton.NoButton
    viewport = canvas.plot.viewport()
    for days_after in (10, 0.3):  # beside the line; at the right edge, on its left
        canvas.set_time_range(now - 20 * 86400, now + days_after * 86400)
        viewport.repaint()  # (a text item takes its place on the screen as it paints)
        box = canvas.plot.mapFromScene(line.label.sceneBoundingRect()).boundingRect()
        assert box.width() > 20 and viewport.rect().contains(box), (days_after, box)
    canvas.set_time_range(parse("2023-10-15").lo, parse("2023-11-15").lo)
    assert not line.isVisible() and not line.label.isVisible()


def test_todays_line_waits_for_the_first_event(canvas, qtbot):
    """A new project opens on today, where its first words are written: the line ran
    through them."""
    line = canvas.pointer.today_line
    now = time.time()
    canvas.set_time_range(now - 10 * 86400, now + 10 * 86400)
    assert line.isVisible()
    canvas.doc.undo_stack.push(edits.delete(canvas.doc, [e.id for e in canvas.doc.project.events]))
    assert not canvas.doc.project.events and not line.isVisible()
    canvas.doc.undo_stack.undo()
    assert line.isVisible()


def test_the_cursor_date_stays_inside_the_chart_at_its_right_edge(canvas):
    """Beside the line, the date ran past the chart's right edge and was cut off: there it
    is written on the line's left (the pointer's hover, as a move over the chart calls it)."""
    label, viewport = canvas.pointer.cursor_label, canvas.plot.viewport()
    (_, t1), _ = canvas.viewbox.viewRange()
    near_edge = t1 - 40 * canvas.view.seconds_per_pixel
    for t, left_of_line in ((parse("2023-11-01").lo, False), (near_edge, True)):
        canvas.pointer.hover(QtCore.QPointF(t, 10), None)
        line_x = to_screen(canvas, t, 10).x()
        box = canvas.plot.mapFromScene(label.sceneBoundingRect()).boundingRect()
        assert label.isVisible() and viewport.rect().contains(box), (box, viewport.rect())
        assert (box.right() <= line_x + 1) == left_of_line, (box, line_x)


def test_alt_drag_between_events_linked_the_other_way_unlinks_them(canvas):
    import dataclasses

    release = canvas.doc.get("events", "release")
    canvas.doc.undo_stack.push(
        edits.set_field(canvas.doc, "events", "release", "responds_to", ("talks",))
    )
    assert dataclasses.replace(release, responds_to=("talks",)) == canvas.doc.get(
        "events", "release"
    )
    canvas.set_time_range(parse("2023-10-15").lo, parse("2023-11-15").lo)
    drag(canvas, point_of(canvas, "talks"), point_of(canvas, "release"), ALT)
    assert canvas.doc.get("events", "release").responds_to == ()  # not a loop of two
    assert canvas.doc.get("events", "talks").responds_to == ()


def test_an_items_menu_asks_the_window_through_the_canvas_surface(canvas, qtbot):
    """The menu gets the canvas's Surface, not the canvas: its Edit…, Duplicate and
    Delete still reach the window's inspector, the selection and the delete question."""
    from widgets import canvasmenus

    def choose(text):
        def pick(menu):
            next(a for a in menu.actions() if a.text() == text).trigger()
            menu.close()

        when_open(pick)
        canvasmenus.item_menu(canvas.surface, "release", canvas.mapToGlobal(QtCore.QPoint(9, 9)))

    canvas.doc.select(["release"])
    with qtbot.waitSignal(canvas.editRequested) as edited:
        choose("Edit…")
    assert edited.args == ["release"]
    before = len(canvas.doc.project.events)
    choose("Duplicate")
    assert len(canvas.doc.project.events) == before + 1
    with qtbot.waitSignal(canvas.deleteRequested):
        choose("Delete")


def picking(seen: list[str], text: str | None):
    """What to run while a menu is open: its items' texts listed in `seen`, the one called
    `text` chosen, the menu closed."""

    def pick(menu) -> None:
        seen.extend(a.text() for a in menu.actions())
        chosen = next((a for a in menu.actions() if a.text() == text), None)
        if chosen is not None:
            chosen.trigger()
        menu.close()

    return pick


def test_click_one_event_then_right_click_another_offers_to_link_them(canvas, qtbot):
    """As the README says: select one event, right-click the other ▸ Link (the
    right-click selects the other, and the menu still links it with the first)."""
    talks, release = canvas.doc.get("events", "talks"), canvas.doc.get("events", "release")
    first, then = sorted((talks, release), key=lambda e: e.when.lo)
    link = f"Link '{then.title}' as an answer to '{first.title}'"
    seen: list[str] = []
    vp = canvas.plot.viewport()
    QTest.mouseClick(vp, L, NO, point_of(canvas, "talks"))
    when_open(picking(seen, link))
    R = QtCore.Qt.MouseButton.RightButton
    at = point_of(canvas, "release")
    send_mouse(vp, QtCore.QEvent.Type.MouseButtonPress, at, R, R)
    send_mouse(vp, QtCore.QEvent.Type.MouseButtonRelease, at, R, QtCore.Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert link in seen and canvas.doc.get("events", then.id).responds_to == (first.id,)


def test_an_events_menu_links_it_with_the_one_selected_and_again_unlinks(canvas, qtbot):
    """The way to link without Alt+drag (which some desktops take for moving windows)."""
    from widgets import canvasmenus

    def titles_after_picking(record_id, pick_text=None):
        seen: list[str] = []
        when_open(picking(seen, pick_text))
        canvasmenus.item_menu(canvas.surface, record_id, canvas.mapToGlobal(QtCore.QPoint(9, 9)))
        return seen

    talks, release = canvas.doc.get("events", "talks"), canvas.doc.get("events", "release")
    first, then = sorted((talks, release), key=lambda e: e.when.lo)  # the later answers
    link = f"Link '{then.title}' as an answer to '{first.title}'"
    assert link not in titles_after_picking("release")  # nothing else selected: no link
    canvas.doc.select(["talks"])
    assert link in titles_after_picking("release", link)
    assert canvas.doc.get("events", then.id).responds_to == (first.id,)
    assert canvas.doc.undo_stack.undoText() == link
    unlink = f"Unlink '{then.title}' from '{first.title}'"
    titles_after_picking("release", unlink)
    assert canvas.doc.get("events", then.id).responds_to == ()


def test_with_a_large_font_lanes_grow_no_shorter_than_a_line_of_text(qtbot, small_project):
    # A desktop font taller than the shortest row: Ctrl+wheel stops at a line of text,
    # so that a title beside its bar never runs over the next row.
    import copy

    from app.editing.document import Document
    from widgets.canvas import TimelineCanvas

    app = QtWidgets.QApplication.instance()
    font = app.font()
    big = QtGui.QFont(font)
    big.setPointSizeF(13.0)
    app.setFont(big)
    try:
        canvas = TimelineCanvas(Document(copy.deepcopy(small_project)))
    finally:
        app.setFont(font)
    qtbot.addWidget(canvas)
    canvas.resize(1000, 500)
    canvas.show()
    qtbot.waitExposed(canvas)
    line = QtGui.QFontMetricsF(canvas.chart.font).height()
    assert line > 14  # (taller than the shortest row for the usual font)
    at = to_screen(canvas, parse("2023-11-01").lo, 10)
    for _ in range(30):
        QtWidgets.QApplication.sendEvent(
            canvas.plot.viewport(), QtGui_wheel(canvas, at, -120, CTRL)
        )
    assert line <= canvas.timeline.row_height < line + 1
