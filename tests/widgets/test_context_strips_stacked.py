"""Two datasets on one lane (ACLED and UCDP GED, say): each strip in a band of its own. They
were drawn at one height, the second over the first, which could not be seen."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.fileformat import projectfile
from app.records.model import ContextData, LaneMatch
from app.records.when import parse
from tests.app.test_context import write_csv
from widgets import background

UNCHECKED, CHECKED = QtCore.Qt.CheckState.Unchecked, QtCore.Qt.CheckState.Checked


def _image(window) -> QtGui.QImage:
    QtWidgets.QApplication.processEvents()
    window.canvas.plot.viewport().repaint()
    return window.canvas.plot.viewport().grab().toImage()


def _rows_changed(a: QtGui.QImage, b: QtGui.QImage) -> set[int]:
    return {
        y
        for y in range(a.height())
        for x in range(0, a.width(), 2)
        if a.pixel(x, y) != b.pixel(x, y)
    }


def _show(window, first: bool, second: bool) -> QtGui.QImage:
    items = window.context.list
    items.item(0).setCheckState(CHECKED if first else UNCHECKED)
    items.item(1).setCheckState(CHECKED if second else UNCHECKED)
    return _image(window)


def test_two_datasets_on_one_lane_draw_two_strips(
    window, qtbot, tmp_path, small_project, monkeypatch
):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    write_csv(tmp_path / "other.csv")
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    small_project.context = [
        ContextData(id="acled", title="ACLED", path="acled.csv", match=hamas),
        ContextData(id="more", title="More", path="other.csv", match=hamas),
    ]
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    window.open_path(str(path))
    qtbot.waitUntil(
        lambda: window.context.list.count() == 2 and window.context.task is None, timeout=20_000
    )
    window.canvas.set_time_range(parse("2023-09-20").lo, parse("2023-10-25").lo)
    layout = window.canvas.view.layout
    lane = layout.lanes[layout.lane_of_actor["hamas"]]
    top, bottom = (
        window.canvas.plot.mapFromScene(
            window.canvas.viewbox.mapViewToScene(QtCore.QPointF(0, y))
        ).y()
        for y in (lane.top, lane.bottom)
    )
    in_lane = set(range(min(top, bottom), max(top, bottom)))  # (the rows of no lane aside)
    none = _show(window, False, False)
    one = _rows_changed(_show(window, True, False), none) & in_lane
    both = _rows_changed(_show(window, True, True), none) & in_lane
    assert one and one < both  # the first strip is still there, under the second
    assert len(both) >= 2 * len(one), "the second strip lies on the first"
    # The tooltip answers on either strip, naming both datasets.
    t = parse("2023-10-07").lo + 43200
    for y in (min(both), max(both)):
        scene = window.canvas.plot.mapToScene(QtCore.QPoint(0, y))
        layout_y = window.canvas.viewbox.mapSceneToView(scene).y()
        assert lane.top <= layout_y <= lane.bottom
        tip = window.canvas.view.context_at(t, layout_y)
        assert "ACLED: 1 event," in tip and "More: 1 event," in tip, tip
    assert background.wait_all()
