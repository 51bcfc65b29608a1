"""Datasets on one lane (ACLED and UCDP GED, say): each strip in a band of its own under the
lane's rows, with its surge marks, over no title or mark. They were drawn at one height (the
second hid the first), then stacked upwards into the marks' row and through the titles of the
lane's lowest row, even with one dataset on a one-row lane."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.context import STRIP_COLORS
from app.chart.layout import LANE_PADDING
from app.chart.metrics import CONTEXT_STRIP, SURGE_HEIGHT, lane_strip_top
from app.fileformat import projectfile
from app.records.model import ContextData, Event, LaneMatch
from app.records.when import parse
from tests.app.test_context import HEADER, write_csv
from widgets import background

UNCHECKED, CHECKED = QtCore.Qt.CheckState.Unchecked, QtCore.Qt.CheckState.Checked
TITLE = "Hamas says the talks go on, and on, and on, with a long title across the strips"


def _image(window) -> QtGui.QImage:
    QtWidgets.QApplication.processEvents()
    window.canvas.plot.viewport().repaint()
    return window.canvas.plot.viewport().grab().toImage()


def _show(window, shown: bool) -> QtGui.QImage:
    items = window.context.list
    for i in range(items.count()):
        items.item(i).setCheckState(CHECKED if shown else UNCHECKED)
    return _image(window)


def _screen_y(window, y: float) -> int:
    scene = window.canvas.viewbox.mapViewToScene(QtCore.QPointF(0, y))
    return window.canvas.plot.mapFromScene(scene).y()


def _of_dataset(c: QtGui.QColor, k: int) -> bool:
    """Whether a pixel is tinted with the k-th dataset's colour (its hue near it)."""
    hue = QtGui.QColor(STRIP_COLORS[k]).hslHue()
    return c.hslSaturation() > 20 and abs((c.hslHue() - hue + 180) % 360 - 180) < 30


def _rows_of_hamas(rows: int) -> list[Event]:
    """The lane's first event has a long title; more events, each over the one before,
    stack the lane `rows` rows deep."""
    first = Event(id="said", actor="hamas", title=TITLE, when=parse("2023-10-03"))
    more = [
        Event(id=f"e{k}", actor="hamas", title=f"Talks {k}", when=parse("2023-10-01/2023-10-30"))
        for k in range(rows - 1)
    ]
    return [first, *more]


def _opened(window, qtbot, tmp_path, small_project, monkeypatch, datasets: int, rows: int):
    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    days = [dt.date(2023, 10, 1) + dt.timedelta(days=d) for d in range(31)]
    # Hamas's rows on every day of October (five a day from the 23rd: surge marks).
    lines = [
        [str(k), day.isoformat(), "2023", "Hamas", "", "", "", "Palestine", "Battles", "1"]
        for k, day in enumerate(d for d in days for _ in range(1 if d.day < 23 else 5))
    ]
    hamas = (LaneMatch(actor="hamas", names=("Hamas",)),)
    small_project.context = []
    for k in range(datasets):
        write_csv(tmp_path / f"data{k}.csv", rows=lines, header=HEADER)
        small_project.context.append(
            ContextData(id=f"d{k}", title=f"Data {k}", path=f"data{k}.csv", match=hamas)
        )
    small_project.events = [e for e in small_project.events if e.actor != "hamas"]
    small_project.events += _rows_of_hamas(rows)
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    window.open_path(str(path))
    qtbot.waitUntil(
        lambda: window.context.list.count() == datasets and window.context.task is None,
        timeout=20_000,
    )
    window.canvas.set_time_range(parse("2023-09-28").lo, parse("2023-11-02").lo)


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize("datasets", [1, 2, 3])
def test_each_strip_has_a_band_of_its_own_under_the_lanes_rows(
    window, qtbot, tmp_path, small_project, monkeypatch, datasets, rows
):
    _opened(window, qtbot, tmp_path, small_project, monkeypatch, datasets, rows)
    view = window.canvas.view

    def hamas():
        layout = view.layout
        return layout.lanes[layout.lane_of_actor["hamas"]]

    bare = _show(window, False)
    lane = hamas()
    assert lane.rows == rows and lane.strips == 0
    rows_top = _screen_y(window, lane.top + LANE_PADDING)
    rows_bottom = _screen_y(window, lane.top + LANE_PADDING + rows * view.layout.row_height)
    shown = _show(window, True)
    lane = hamas()
    assert lane.strips == datasets
    # The rows (marks, bars, titles) are drawn as without the strips, at the same place.
    assert _screen_y(window, lane.top + LANE_PADDING) == rows_top
    width = shown.width()
    differ = [
        (x, y)
        for y in range(rows_top, rows_bottom)
        for x in range(0, width, 2)
        if shown.pixel(x, y) != bare.pixel(x, y)
    ]
    assert not differ, f"drawn over the lane's rows at {differ[:5]}"
    # Each strip in its band, below the rows, and bands that do not overlap.
    bottom = _screen_y(window, lane.bottom)
    x = round(
        window.canvas.plot.mapFromScene(
            window.canvas.viewbox.mapViewToScene(QtCore.QPointF(parse("2023-10-15").lo + 43200, 0))
        ).x()
    )
    bands = []
    for k in range(datasets):
        top = round(lane_strip_top(bottom, k))
        seen = shown.pixelColor(x, top + round(CONTEXT_STRIP / 2))
        assert _of_dataset(seen, k), f"strip {k} is not seen in its dataset's colour"
        bands.append((top - SURGE_HEIGHT, top + CONTEXT_STRIP))
    assert min(b[0] for b in bands) >= rows_bottom
    for (lo, _), (_, hi) in zip(bands, bands[1:], strict=False):
        assert hi < lo  # the next strip's band (with its marks) wholly above
    # Off the data, no strip's colour between the rows and the first band, nor between bands.
    tinted = {
        y
        for y in range(rows_bottom, bottom)
        if any(_of_dataset(shown.pixelColor(x, y), k) for k in range(datasets))
    }
    assert tinted <= {y for lo, hi in bands for y in range(round(lo), round(hi) + 1)}
    # The tooltip answers on every band, naming every dataset of the lane.
    t = parse("2023-10-15").lo + 43200
    for lo, hi in bands:
        for y in (lo + 1, hi - 1):
            scene = window.canvas.plot.mapToScene(QtCore.QPoint(0, round(y)))
            layout_y = window.canvas.viewbox.mapSceneToView(scene).y()
            tip = view.context_at(t, layout_y)
            assert all(f"Data {k}: 1 event," in tip for k in range(datasets)), tip
    assert background.wait_all()
