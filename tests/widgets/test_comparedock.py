"""File ▸ Compare With…: another project under the open one, read-only, aligned on an event of
each, following the open chart's zoom and pan."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.fileformat import projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.widgets.conftest import to_screen
from tests.widgets.test_canvas import QtGui_wheel, double_click, drag
from widgets import comparedock

DAY = 86400.0
SHIFT = QtCore.Qt.KeyboardModifier.ShiftModifier


def pick(args, event_id: str) -> tuple[str, bool]:
    """Choose, in QInputDialog.getItem's list, the entry of `event_id`, as a person reading
    dates and titles would; the list must name no event by its id alone."""
    items = args[3]
    (entry,) = [i for i in items if i.endswith(f"[{event_id}]")]
    assert entry.startswith("20") and len(entry) > len(event_id) + 15  # a date and a title
    return entry, True


def test_the_compared_project_follows_the_open_chart_and_cannot_be_edited(
    window, saved, tmp_path, monkeypatch, qtbot
):
    other = Project(
        title="Grain deal",
        actors=[Actor(id="ru", name="Russia"), Actor(id="ua", name="Ukraine")],
        events=[Event(id="signed", actor="ru", title="Deal signed", when=parse("2022-07-22"))],
    )
    path = tmp_path / "grain.yaml"
    projectfile.save(other, path)
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter(["release", "signed"])  # picked from the lists, shown by date and title
    monkeypatch.setattr(comparedock, "choose", lambda *a, **k: pick(a, next(answers)))
    window.actions_["compare"].trigger()
    (dock,) = [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare")
    ]
    view = dock.widget()
    offset = parse("2022-07-22").lo - parse("2023-10-20").lo
    assert view.offset == offset
    window.canvas.set_time_range(parse("2023-10-10").lo, parse("2023-10-30").lo)
    qtbot.waitUntil(lambda: abs(view.canvas.view.t0 - (parse("2023-10-10").lo + offset)) < 3600)
    # The same seconds per pixel, so a day falls at one x in both, whatever their widths.
    main_spp, other_spp = window.canvas.view.seconds_per_pixel, view.canvas.view.seconds_per_pixel
    assert abs(other_spp - main_spp) < main_spp * 0.02
    # A drag or a double-click on the compared chart changes nothing of it.
    vp = view.canvas.plot.viewport()
    drag(view.canvas, QtCore.QPoint(300, 40), QtCore.QPoint(500, 40), widget=vp)
    double_click(vp, QtCore.QPoint(300, 40))
    assert view.canvas.doc.undo_stack.count() == 0
    assert view.canvas.doc.project.events == other.events


def test_an_unknown_event_to_align_on_is_said(window, saved, tmp_path, monkeypatch):
    path = tmp_path / "other.yaml"
    projectfile.save(Project(title="Other", actors=[Actor(id="a", name="A")]), path)
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter([("release", True), ("nothing-here", True), ("", False)])  # typed; cancelled
    monkeypatch.setattr(comparedock, "choose", lambda *a, **k: next(answers))
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    window.actions_["compare"].trigger()
    assert "'nothing-here' is neither an event of 'Other' nor a date" in said[0]
    assert not [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare")
    ]


def test_the_caption_shows_titles_as_written_not_as_markup(window, saved, tmp_path):
    from widgets.comparedock import show_comparison

    other = Project(
        title="Talks <i>in</i> Doha & Cairo",
        actors=[Actor(id="a", name="A")],
        events=[Event(id="e", actor="a", title="<b>Deal</b>", when=parse("2022-07-22"))],
    )
    window.open_path(str(saved))
    view = show_comparison(window, other, str(tmp_path / "o.yaml"), "release", "e")
    label = view.findChild(QtWidgets.QLabel)
    doc = QtGui.QTextDocument()
    doc.setHtml(label.text())
    shown = doc.toPlainText()
    assert "Talks <i>in</i> Doha & Cairo (o.yaml, read-only)" in shown
    assert "\u201c<b>Deal</b>\u201d (Talks <i>in</i> Doha & Cairo)" in shown


def test_the_caption_names_each_projects_day_zero_once(window, saved, tmp_path):
    from widgets.comparedock import show_comparison

    window.open_path(str(saved))
    ours = window.doc.project
    release = next(e for e in ours.events if e.id == "release")
    view = show_comparison(window, leap_year_talks(), str(tmp_path / "l.yaml"), "release", "agreed")
    shown = view.findChild(QtWidgets.QLabel).text()
    assert shown.count(release.title) == 1 and shown.count("Ceasefire agreed") == 1
    assert (
        f"Day 0: \u201c{release.title}\u201d ({ours.title}) and "
        "\u201cCeasefire agreed\u201d (Leap-year talks)"
    ) in shown
    # A copy of the open project, aligned on the same event: its title said once, the two
    # told apart by their files; a date to align on is said as a date.
    copy = projectfile.load(saved)
    view = show_comparison(window, copy, str(tmp_path / "copy.yaml"), "release", "2023-10-21")
    shown = view.findChild(QtWidgets.QLabel).text()
    assert f"\u201c{release.title}\u201d (talks.yaml) and 21 Oct 2023 (copy.yaml)" in shown
    view = show_comparison(window, copy, str(tmp_path / "copy.yaml"), "release", "release")
    shown = view.findChild(QtWidgets.QLabel).text()
    assert shown.count(release.title) == 1
    assert f"Day 0: \u201c{release.title}\u201d in both" in shown
    assert f"<b>{ours.title}</b> (copy.yaml, read-only)" in shown  # which of the two it is


def leap_year_talks() -> Project:
    """Talks whose day 0 is 20 February 2024: twelve days later, across 29 February, is
    3 March (nine days of February, three of March)."""
    return Project(
        title="Leap-year talks",
        actors=[Actor(id="a", name="Mediator"), Actor(id="b", name="Party")],
        events=[
            Event(id="agreed", actor="a", title="Ceasefire agreed", when=parse("2024-02-20")),
            Event(id="freed", actor="b", title="First release", when=parse("2024-03-03")),
        ],
    )


def compare(window, saved, tmp_path):
    from widgets.comparedock import show_comparison

    window.open_path(str(saved))
    view = show_comparison(
        window, leap_year_talks(), str(tmp_path / "leap.yaml"), "release", "agreed"
    )
    window.canvas.set_time_range(parse("2023-10-14").lo, parse("2023-11-03").lo)
    return view


def spans(window, view):
    """Each chart's view: (left edge, seconds per pixel), the compared one's in the open
    one's time."""
    main, other = window.canvas.view, view.canvas.view
    return (main.t0, main.seconds_per_pixel), (other.t0 - view.offset, other.seconds_per_pixel)


def assert_together(window, view):
    (a0, a_spp), (b0, b_spp) = spans(window, view)
    assert abs(a0 - b0) < a_spp * 2  # the same day at the same x
    assert abs(a_spp - b_spp) < a_spp * 0.02


def test_pan_and_zoom_in_either_chart_move_both(window, saved, tmp_path, qtbot):
    view = compare(window, saved, tmp_path)
    assert_together(window, view)
    main_vp, other_vp = window.canvas.plot.viewport(), view.canvas.plot.viewport()
    y = to_screen(window.canvas, window.canvas.view.t0, 20).y()  # in the first lane
    # A pan of the open chart (Shift+drag) moves the compared one.
    before = window.canvas.view.t0
    drag(window.canvas, QtCore.QPoint(600, y), QtCore.QPoint(300, y), mods=SHIFT)
    assert window.canvas.view.t0 > before + 2 * DAY
    assert_together(window, view)
    # A zoom of the open chart (the wheel) zooms the compared one.
    spp = window.canvas.view.seconds_per_pixel
    QtWidgets.QApplication.sendEvent(
        main_vp, QtGui_wheel(window.canvas, QtCore.QPoint(400, y), 240)
    )
    assert window.canvas.view.seconds_per_pixel < spp * 0.8
    assert_together(window, view)
    # A drag on the compared chart pans both (nothing there can be edited, so a drag pans).
    before = window.canvas.view.t0
    y = to_screen(view.canvas, view.canvas.view.t0, 20).y()
    drag(view.canvas, QtCore.QPoint(300, y), QtCore.QPoint(600, y), widget=other_vp)
    assert window.canvas.view.t0 < before - DAY
    assert_together(window, view)
    # The wheel on the compared chart zooms both.
    spp = window.canvas.view.seconds_per_pixel
    QtWidgets.QApplication.sendEvent(
        other_vp, QtGui_wheel(view.canvas, QtCore.QPoint(400, y), -360)
    )
    assert window.canvas.view.seconds_per_pixel > spp * 1.5
    assert_together(window, view)
    assert view.canvas.doc.undo_stack.count() == 0 and window.doc.undo_stack.count() == 0


def top_labels(canvas) -> dict[float, str]:
    return canvas.plot.getAxis("top").labels


def test_both_top_axes_count_days_from_day_zero_across_a_leap_day(window, saved, tmp_path, qtbot):
    view = compare(window, saved, tmp_path)
    # The compared chart: day 0 on the day of the ceasefire, day +12 on 3 March 2024.
    qtbot.waitUntil(lambda: top_labels(view.canvas).get(parse("2024-02-20").lo) == "day 0")
    labels = top_labels(view.canvas)
    step = min(b - a for a, b in zip(sorted(labels), sorted(labels)[1:], strict=False))
    assert step in (DAY, 2 * DAY)  # a day or two a tick, at this zoom: day +12 has one
    assert labels[parse("2024-03-03").lo] == "day +12"
    assert labels[parse("2024-02-28").lo] == "day +8"
    assert labels[parse("2024-02-14").lo] == "day \u22126"
    # The open chart counts from its own day 0, the American women's release (20 October
    # 2023), so the same count stands at the same x above both.
    qtbot.waitUntil(lambda: top_labels(window.canvas).get(parse("2023-10-20").lo) == "day 0")
    assert top_labels(window.canvas)[parse("2023-11-01").lo] == "day +12"
    x_main = window.canvas.viewbox.mapViewToScene(QtCore.QPointF(parse("2023-11-01").lo, 0)).x()
    x_other = view.canvas.viewbox.mapViewToScene(QtCore.QPointF(parse("2024-03-03").lo, 0)).x()
    main_left = window.canvas.plot.mapToGlobal(QtCore.QPoint(0, 0)).x()
    other_left = view.canvas.plot.mapToGlobal(QtCore.QPoint(0, 0)).x()
    assert abs((main_left + x_main) - (other_left + x_other)) <= 2
    # The bottom axes keep their dates; closing the comparison brings the dates back on top.
    assert not any(
        v.startswith("day") for v in window.canvas.plot.getAxis("bottom").labels.values()
    )
    view.parent().close()
    qtbot.waitUntil(
        lambda: (
            top_labels(window.canvas)
            and not any(v.startswith("day") for v in top_labels(window.canvas).values())
        )
    )


def test_the_compared_charts_lane_names_move_nothing(window, saved, tmp_path, qtbot):
    # A drag pans the compared chart now, but its lane names still edit nothing: no lane is
    # moved (a drag) nor folded (its toggle) in the read-only project.
    view = compare(window, saved, tmp_path)
    canvas = view.canvas
    header, layout = canvas.header, canvas.timeline.layout
    vp = header.viewport()
    first, second = layout.lanes
    start = QtCore.QPoint(60, int(vp.y(first.centre)))
    drag(canvas, start, QtCore.QPoint(60, int(vp.y(second.top + second.height) - 2)), widget=header)
    QtWidgets.QApplication.processEvents()
    assert canvas.doc.undo_stack.count() == 0
    assert [a.id for a in canvas.doc.project.actors] == ["a", "b"]


def shown(dock: QtWidgets.QDockWidget) -> bool:
    """On screen: a tab behind another is moved off the window, though "visible"."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def compared_docks(window) -> list[QtWidgets.QDockWidget]:
    return [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare") and d.isVisible()
    ]


def open_by_menu(window, saved, tmp_path, monkeypatch, qtbot):
    """File ▸ Compare With… on a copy of the open project with an event moved, as a person
    does it: the file, then day 0 in each, picked from the lists."""
    other = projectfile.load(saved)
    other.events[0] = Event(
        id="release", actor="hamas", title="Hamas releases two women", when=parse("2023-10-23")
    )
    path = tmp_path / "copy.yaml"
    projectfile.save(other, path)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter(["release", "release"])
    monkeypatch.setattr(comparedock, "choose", lambda *a, **k: pick(a, next(answers)))
    window.actions_["compare"].trigger()
    (dock,) = compared_docks(window)
    qtbot.waitUntil(lambda: dock.widget().canvas.viewbox.width() > 100)
    return dock


def days_shown(canvas, offset=0.0) -> tuple[float, float]:
    (t0, t1), _ = canvas.viewbox.viewRange()
    return t0 - offset, t1 - offset


def test_the_open_chart_keeps_its_height_and_its_days_while_compared_and_after(
    window, saved, tmp_path, monkeypatch, qtbot
):
    window.open_path(str(saved))
    window.canvas.set_time_range(
        parse("2023-09-01").lo, parse("2024-01-10").lo
    )  # a zoom of one's own
    qtbot.wait(50)
    height, days = window.canvas.height(), days_shown(window.canvas)
    spp = window.canvas.view.seconds_per_pixel
    dock = open_by_menu(window, saved, tmp_path, monkeypatch, qtbot)
    view = dock.widget()
    qtbot.wait(50)
    # The comparison is a tab beside the tables: the open chart keeps most of its height,
    # sharing with the compared chart the room the chart and the panels had.
    assert window.canvas.height() >= window.height() / 3
    assert window.canvas.height() >= height * 0.7
    assert window.canvas.height() >= view.canvas.height()
    assert window.tabifiedDockWidgets(window.docks["tables"]).count(dock) == 1
    # Both keep the open chart's days, the compared one shifted by three days (its release).
    assert all(abs(a - b) < spp for a, b in zip(days_shown(window.canvas), days, strict=True))
    assert view.offset == 3 * DAY
    compared = days_shown(view.canvas, view.offset)
    assert all(abs(a - b) < spp for a, b in zip(compared, days, strict=True))
    # The same days, edge to edge: the compared plot is under the open one, not under the
    # Inspector too, so the day at its right edge is the open chart's.
    assert abs(view.canvas.viewbox.width() - window.canvas.viewbox.width()) <= 2
    main_vp, other_vp = window.canvas.plot.viewport(), view.canvas.plot.viewport()
    assert (
        abs(
            main_vp.mapToGlobal(main_vp.rect().topRight()).x()
            - other_vp.mapToGlobal(other_vp.rect().topRight()).x()
        )
        <= 2
    )
    assert abs(days_shown(view.canvas, view.offset)[1] - days_shown(window.canvas)[1]) < spp * 2
    # Still so when the Inspector column is made wider, and when the dock is floated.
    window.resizeDocks([window.docks["inspector"]], [480], QtCore.Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(view.canvas.viewbox.width() - window.canvas.viewbox.width()) <= 2)
    assert abs(days_shown(view.canvas, view.offset)[1] - days_shown(window.canvas)[1]) < spp * 2
    dock.setFloating(True)
    qtbot.waitUntil(lambda: view.row.contentsMargins().left() == 0)
    (t0, _), (u0, u1) = days_shown(window.canvas), days_shown(view.canvas, view.offset)
    assert abs(t0 - u0) < spp * 2  # the same left day and seconds per pixel, its own width
    assert abs((u1 - u0) / view.canvas.viewbox.width() - spp) < spp * 0.02
    dock.setFloating(False)
    # Its ✕ gives the tables back their tab and the chart its height; the days stay.
    (close,) = [
        b
        for b in dock.findChildren(QtWidgets.QAbstractButton)
        if b.objectName() == "qt_dockwidget_closebutton"
    ]
    qtbot.mouseClick(close, QtCore.Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not compared_docks(window))
    qtbot.waitUntil(lambda: abs(window.canvas.height() - height) <= 4)  # its height back
    qtbot.waitUntil(lambda: shown(window.docks["tables"]))  # its tab in front again
    assert not shown(window.docks["context"])
    assert all(abs(a - b) < spp for a, b in zip(days_shown(window.canvas), days, strict=True))


def test_with_no_panel_below_the_comparison_takes_a_third_and_gives_it_back(
    window, saved, tmp_path, monkeypatch, qtbot
):
    window.open_path(str(saved))
    for name in ("tables", "context", "conflicts"):
        window.docks[name].close()
    qtbot.wait(50)
    height = window.canvas.height()
    dock = open_by_menu(window, saved, tmp_path, monkeypatch, qtbot)
    qtbot.wait(50)
    assert window.canvas.height() >= window.height() / 3
    assert dock.widget().canvas.height() >= window.height() / 5
    dock.close()
    qtbot.waitUntil(lambda: not compared_docks(window))
    qtbot.waitUntil(lambda: abs(window.canvas.height() - height) <= 4)  # its height back


def test_the_window_saves_its_layout_without_the_comparison(
    window, saved, tmp_path, monkeypatch, qtbot
):
    window.open_path(str(saved))
    qtbot.wait(50)
    height = window.canvas.height()
    open_by_menu(window, saved, tmp_path, monkeypatch, qtbot)
    window.save_layout()  # as on quitting
    qtbot.waitUntil(lambda: not compared_docks(window))
    qtbot.waitUntil(lambda: abs(window.canvas.height() - height) <= 4)  # its height back
    qtbot.waitUntil(lambda: shown(window.docks["tables"]))  # its tab in front again
    assert not shown(window.docks["context"])
    # The next start opens with that layout: the tables in front, the chart as tall.
    from widgets.mainwindow import MainWindow

    again = MainWindow(window.settings, offer_recovery=False)
    again.resize(window.size())  # the offscreen screen is smaller than the saved geometry
    again.show()
    qtbot.waitExposed(again)
    again.open_path(str(saved))
    qtbot.waitUntil(lambda: shown(again.docks["tables"]))
    assert not shown(again.docks["context"])
    qtbot.waitUntil(lambda: abs(again.canvas.height() - height) <= 4)


def test_two_comparisons_give_the_tables_back_once_both_are_closed(window, saved, tmp_path, qtbot):
    from widgets.comparedock import show_comparison

    window.open_path(str(saved))
    qtbot.wait(50)
    height = window.canvas.height()
    first = show_comparison(
        window, leap_year_talks(), str(tmp_path / "a.yaml"), "release", "agreed"
    )
    second = show_comparison(
        window, leap_year_talks(), str(tmp_path / "b.yaml"), "release", "freed"
    )
    qtbot.waitUntil(lambda: shown(second.parent()))
    assert window.canvas.height() >= window.height() / 3
    first.parent().close()  # behind the second: the second stays in front
    qtbot.waitUntil(lambda: shown(second.parent()) and not shown(window.docks["tables"]))
    second.parent().close()
    qtbot.waitUntil(lambda: shown(window.docks["tables"]))
    qtbot.waitUntil(lambda: abs(window.canvas.height() - height) <= 4)  # its height back


def test_the_compared_chart_draws_its_projects_context_strips_as_its_export_does(
    window, saved, tmp_path, qtbot, monkeypatch
):
    from app.records.model import ContextData, LaneMatch
    from tests.app.test_context import write_csv
    from tests.images import pixels
    from widgets.comparedock import show_comparison

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    other = Project(
        title="Gaza talks",
        actors=[Actor(id="hamas", name="Hamas", color="#3465a4")],
        events=[Event(id="attack", actor="hamas", title="Attack", when=parse("2023-10-07"))],
        context=[
            ContextData(
                id="acled",
                title="ACLED",
                path="acled.csv",
                match=(LaneMatch(actor="hamas", names=("Hamas",)),),
            )
        ],
    )
    path = tmp_path / "gaza" / "gaza.yaml"
    path.parent.mkdir()
    write_csv(path.parent / "acled.csv")
    window.open_path(str(saved))
    view = show_comparison(window, other, str(path), "release", "attack")
    window.canvas.set_time_range(parse("2023-10-14").lo, parse("2023-11-03").lo)
    canvas = view.canvas
    qtbot.waitUntil(lambda: len(canvas.view.context) == 1, timeout=20_000)
    (layer,) = canvas.view.context
    assert layer.title == "ACLED" and not layer.missing
    assert canvas.timeline.layout.lanes[0].strips == 1  # the lane made room for its strip
    qtbot.waitUntil(lambda: canvas.layer.isVisible())
    shot = pixels(canvas.plot.viewport().grab().toImage())
    r, g, b = shot[..., 0], shot[..., 1], shot[..., 2]
    assert ((r - g > 20) & (b - g > 20)).sum() > 20  # the strip's plum, on the chart


def test_closing_the_comparison_stops_the_reading_of_its_context_data(
    window, saved, tmp_path, qtbot, monkeypatch
):
    """A big dataset's reading (here a query that reads until interrupted) stops when the
    comparison is closed: DuckDB is interrupted, and nothing is drawn or said after."""
    from app.context import summary
    from app.records.model import ContextData, LaneMatch
    from tests.app.test_context import write_csv
    from tests.widgets.test_contextpanel_reading import ENDLESS
    from widgets.comparedock import close_comparisons, show_comparison

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(summary, "summary_sql", lambda *_: ENDLESS)
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    other = Project(
        title="Gaza talks",
        actors=[Actor(id="hamas", name="Hamas")],
        events=[Event(id="attack", actor="hamas", title="Attack", when=parse("2023-10-07"))],
        context=[ContextData(id="acled", title="ACLED", path="acled.csv", match=hamas)],
    )
    path = tmp_path / "gaza" / "gaza.yaml"
    path.parent.mkdir()
    write_csv(path.parent / "acled.csv")
    window.open_path(str(saved))
    task = show_comparison(window, other, str(path), "release", "attack").reading
    qtbot.wait(300)  # DuckDB reads
    assert task.thread.isRunning()
    close_comparisons(window)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert task.wait(10_000), "the reading ran on after the comparison was closed"
