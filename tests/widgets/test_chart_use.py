"""The chart as a new user met it (issue 21, items 7 to 10): snapping by calendar months,
selecting by a range's edge or by a label, the empty project's hint, and what an export
of part of a project draws and lists."""

from __future__ import annotations

import copy
import dataclasses
import xml.etree.ElementTree as ET

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.chart import snap
from app.cli.main import main
from app.editing.document import Document
from app.exporters.images import MARGIN
from app.fileformat import projectfile
from app.records.model import Demand, Event, Project
from app.records.when import parse
from tests.widgets.conftest import to_screen
from tests.widgets.test_canvas import NO, L, drag, lane_y, point_of
from widgets.canvas import TimelineCanvas

DAY = 86400.0
SVG = "{http://www.w3.org/2000/svg}"


def test_snap_month_moves_to_the_same_day_of_the_next_month():
    when = parse("2022-08-01")
    seen = []
    for _ in range(2):
        when = snap.moved(when, 1, "month")
        seen.append(when.text)
    assert seen == ["2022-09-01", "2022-10-01"]
    assert snap.moved(parse("2024-01-31"), 1, "month").text == "2024-02-29"
    assert snap.moved(parse("2023-11-09/2023-11-10~"), 1, "month").text == "2023-12-09/2023-12-10~"
    assert snap.moved(parse("2023-11"), -2, "month").text == "2023-09"


def test_dragging_at_month_zoom_moves_by_calendar_months(canvas):
    canvas.set_time_range(parse("2023-01-01").lo, parse("2025-01-01").lo)
    QtWidgets.QApplication.processEvents()
    assert canvas.snap_name() == "month"
    start = point_of(canvas, "release")  # 20 Oct 2023
    e = canvas.doc.get("events", "release")
    two_months = to_screen(canvas, e.when.lo + DAY / 2 + 61 * DAY, lane_y(canvas, "hamas"))
    drag(canvas, start, QtCore.QPoint(two_months.x(), start.y()))
    # 30-day steps would land on 19 December.
    assert canvas.doc.get("events", "release").when.text == "2023-12-20"


def test_nudging_at_month_zoom_moves_by_calendar_months(canvas):
    canvas.set_time_range(parse("2023-01-01").lo, parse("2025-01-01").lo)
    canvas.doc.select(["release"])
    canvas.nudge(1)
    canvas.nudge(1)
    assert canvas.doc.get("events", "release").when.text == "2023-12-20"


def test_dragging_a_ranges_edge_selects_it(canvas):
    canvas.doc.select(["release"])
    e = canvas.doc.get("events", "talks")
    edge = to_screen(canvas, e.when.hi, lane_y(canvas, "cia"))
    later = to_screen(canvas, e.when.hi + 3 * DAY, lane_y(canvas, "cia"))
    drag(canvas, QtCore.QPoint(edge.x() - 1, edge.y()), QtCore.QPoint(later.x(), edge.y()))
    assert canvas.doc.selection == {"talks"}
    assert canvas.doc.get("events", "talks").when.text == "2023-11-09/2023-11-13~"


def test_clicking_an_events_label_selects_it(canvas, qtbot):
    canvas.doc.select([])
    canvas.layer.update()
    QtWidgets.QApplication.processEvents()
    e = canvas.doc.get("events", "release")
    mark = point_of(canvas, "release")
    # Well right of the mark (MARK is 6 px), inside the title "Hamas releases two women".
    on_label = QtCore.QPoint(mark.x() + 40, mark.y())
    pos = canvas.viewbox.mapSceneToView(canvas.plot.mapToScene(on_label))
    hit = canvas.view.event_at(pos.x(), pos.y())  # what is where: the chart's view
    assert hit is not None and hit.id == e.id
    QTest.mouseClick(canvas.plot.viewport(), L, NO, on_label)
    assert canvas.doc.selection == {"release"}
    # Empty space far from any label still clears the selection.
    far = to_screen(canvas, parse("2023-11-28").lo, lane_y(canvas, "hamas"))
    QTest.mouseClick(canvas.plot.viewport(), L, NO, far)
    assert canvas.doc.selection == set()


def test_a_selected_title_near_the_plots_edge_is_drawn_whole_left_of_its_mark(canvas):
    """A selected title is shown in full on its backing; with no room for it before the
    plot's right edge, it goes left of its mark rather than being cut at the edge."""
    e = canvas.doc.get("events", "release")  # "Hamas releases two women", about 150 px
    mark_t = (e.when.lo + e.when.hi) / 2
    canvas.set_time_range(mark_t - 29 * DAY, mark_t + DAY)  # the mark some 25 px from it
    canvas.doc.select(["release"])
    canvas.plot.viewport().repaint()
    boxes = canvas.chart.style.label_boxes
    ids, rects = boxes._all()
    start, end, _, _ = rects[ids.index("release")]
    t0, t1 = canvas.viewbox.viewRange()[0]
    assert t0 < start and end < mark_t < t1  # whole, in view, left of the mark
    # Where the title is drawn is where a click finds it.
    title = to_screen(canvas, (start + end) / 2, lane_y(canvas, "hamas"))
    canvas.doc.select([])
    QTest.mouseClick(canvas.plot.viewport(), L, NO, title)
    assert canvas.doc.selection == {"release"}
    # A mark just past the edge keeps its title beside it, out of view too.
    canvas.set_time_range(mark_t - 30 * DAY, mark_t - DAY / 2)
    canvas.plot.viewport().repaint()
    ids, rects = boxes._all()
    assert rects[ids.index("release")][0] > canvas.viewbox.viewRange()[0][1]


def test_the_legend_does_not_cover_the_empty_projects_hint(qtbot, small_project):
    empty = dataclasses.replace(small_project, events=[], demands=[])
    canvas = TimelineCanvas(Document(copy.deepcopy(empty)))
    canvas.resize(1000, 700)
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    qtbot.waitUntil(lambda: canvas.layer.legend_rect is not None)
    hint, legend = canvas.layer.hint_rect, canvas.layer.legend_rect
    assert hint is not None and hint.height() > 10
    assert not hint.intersects(legend)
    assert legend.top() >= hint.bottom()


def _crowded(small_project) -> Project:
    """Demands in 2022 and 2023, one still open; an export will show only 2023."""
    demands = [
        Demand(
            id="old",
            from_="hamas",
            to="israel",
            text="Old demand",
            raised=parse("2022-03-01"),
            status="rejected",
        ),
        Demand(
            id="open",
            from_="hamas",
            to="israel",
            text="Open demand",
            raised=parse("2023-10-25"),
            status="open",
        ),
        Demand(
            id="usa-ask",
            from_="usa",
            to="israel",
            text="Not in these lanes",
            raised=parse("2023-11-01"),
            status="open",
        ),
        *small_project.demands,
    ]
    events = [
        *small_project.events,
        Event(id="early", actor="hamas", title="Early event", when=parse("2022-02-01")),
    ]
    return dataclasses.replace(small_project, demands=demands, events=events)


def test_an_export_of_a_span_and_some_actors_lists_only_the_demands_it_draws(
    tmp_path, small_project, qapp
):
    path = tmp_path / "p.yaml"
    projectfile.save(_crowded(small_project), path)
    out = tmp_path / "part.svg"
    args = ["export", str(path), "-o", str(out), "--from", "2023-10-15", "--to", "2023-11-30"]
    assert main([*args, "--actors", "hamas,israel"]) == 0
    texts = " ".join("".join(t.itertext()) for t in ET.parse(out).iter(f"{SVG}text"))
    assert "Open demand" in texts and "Stop drones" in texts
    assert "Old demand" not in texts  # raised in 2022: no arrow in the picture
    assert "Not in these lanes" not in texts
    assert "1  " in texts and "3  " not in texts  # numbered 1 and 2, as the arrows


def test_an_open_demands_bar_stops_at_the_pictures_right_edge(tmp_path, small_project, qapp):
    path = tmp_path / "p.yaml"
    projectfile.save(_crowded(small_project), path)
    png, svg = tmp_path / "part.png", tmp_path / "part.svg"
    args = ["--from", "2023-10-15", "--to", "2023-11-30", "--actors", "hamas,israel"]
    for out in (png, svg):
        assert main(["export", str(path), "-o", str(out), *args, "--width", "1000"]) == 0
    # The plot's frame stands MARGIN px inside the picture's right edge; no demand's
    # bar or line reaches past it.
    root = ET.parse(svg).getroot()
    frame_right = float(root.get("viewBox").split()[2]) - MARGIN
    demands = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "demands")
    rects = list(demands.iter(f"{SVG}rect"))
    assert rects
    for rect in rects:
        right = float(rect.get("x", 0)) + float(rect.get("width", 0))
        assert right <= frame_right + 0.5, rect.attrib
    image = QtGui.QImage(str(png))
    # Right of the frame, the picture's margin is background only.
    background = image.pixelColor(image.width() - 5, image.height() // 2)
    for y in range(0, image.height(), 3):
        assert image.pixelColor(image.width() - 12, y) == background


def test_a_drag_needs_only_the_view_and_the_document(small_project, qapp):
    """Gestures see the chart through its ChartView: a drag runs without any widget."""
    from app.chart.layout import Timeline
    from app.chart.view import ChartView
    from widgets import gestures

    doc = Document(copy.deepcopy(small_project))
    view = ChartView(parse("2023-01-01").lo, parse("2025-01-01").lo, 1200.0)
    view.timeline = Timeline(doc.project)
    said = []
    surface = gestures.Surface(view, doc, lambda cmd, **_: doc.undo_stack.push(cmd), said.append)
    e = doc.get("events", "release")
    y = view.layout.row_top(view.layout.lane_of_actor["hamas"], 0) + 5
    t = (e.when.lo + e.when.hi) / 2
    drag = gestures.begin(surface, t, y, L, NO)
    assert isinstance(drag, gestures.MoveEvents) and doc.selection == {"release"}
    drag.update(t + 61 * DAY, y, free=False)
    assert said == ["2023-12-20"]
    drag.finish(t + 61 * DAY, y, free=False)
    assert doc.get("events", "release").when.text == "2023-12-20"


def test_the_view_follows_the_canvas_range_and_width(canvas, qtbot):
    def agrees() -> bool:
        (t0, t1), _ = canvas.viewbox.viewRange()
        v = canvas.view
        return (v.t0, v.t1) == (t0, t1) and v.width == max(canvas.viewbox.width(), 1.0)

    assert agrees()
    canvas.zoom(0.5)
    assert agrees()
    canvas.resize(800, 600)
    qtbot.waitUntil(agrees)
    assert canvas.seconds_per_pixel == canvas.view.seconds_per_pixel
