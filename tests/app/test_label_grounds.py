"""A label is written on a ground of its own: a `with` tick drawn under a title does not
show between its letters, and the title written inside a bar whose date is fuzzy is not
crossed by the bar's hatching. Checked on the pixels of the label's box, painted with the
title and with the title pinned off (what the label covers, seen bare), and beside the
same title inside a bar whose date is sure."""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.layout import Timeline
from app.chart.theme import LIGHT
from app.records.model import Actor, Event, Project
from app.records.when import parse

WIDTH, HEIGHT = 900, 240

PROJECT = Project(
    title="t",
    actors=[
        Actor(id="a", name="Alpha", color="#2e7d32"),
        Actor(id="b", name="Beta", color="#c62828"),
    ],
    events=[
        Event(
            id="long",
            actor="a",
            title="A long title that runs over the days after it",
            when=parse("2023-10-02"),
        ),
        Event(id="with", actor="b", with_=("a",), title="W", when=parse("2023-10-05")),
        Event(
            id="bar",
            actor="b",
            title="Inside the bar",
            when=parse("2023-10-12/2023-11-20?"),
        ),
    ],
)


def _painted(pinned: dict, fuzzy: bool = True) -> tuple[QtGui.QImage, ChartPainter, Viewport]:
    project = PROJECT
    if not fuzzy:  # the bar's end sure
        bar = replace(project.events[2], when=parse("2023-10-12/2023-11-20"))
        project = replace(project, events=[*project.events[:2], bar])
    layout = Timeline(project, row_height=30).layout  # bars tall enough for a title
    vp = Viewport(parse("2023-09-30").lo, parse("2023-11-25").lo, 0, WIDTH, 0, HEIGHT)
    image = QtGui.QImage(WIDTH, HEIGHT, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor(LIGHT.background))
    painter = ChartPainter(LIGHT)
    p = QtGui.QPainter(image)
    painter.paint(p, layout, vp, PaintOptions(pinned=pinned))
    p.end()
    return image, painter, vp


def _box(painter: ChartPainter, vp: Viewport, event_id: str) -> list[tuple[int, int]]:
    """The pixels picking takes for the label: a grid of every fourth pixel first (a label is
    taller and wider than that), then every pixel of the grid's cells around its hits."""
    step = 4

    def hit(x: int, y: int) -> bool:
        return painter.label_at(vp.t(x), vp.layout_y(y)) == event_id

    cells = {
        (x // step + i, y // step + j)
        for x in range(0, WIDTH, step)
        for y in range(0, HEIGHT, step)
        if hit(x, y)
        for i in (-1, 0, 1)
        for j in (-1, 0, 1)
    }
    return sorted(
        (x, y)
        for cx, cy in cells
        for x in range(max(cx * step, 0), min(cx * step + step, WIDTH))
        for y in range(max(cy * step, 0), min(cy * step + step, HEIGHT))
        if hit(x, y)
    )


def _far(a: QtGui.QColor, b: QtGui.QColor, by: int = 60) -> bool:
    return max(abs(x - y) for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True)) > by


def test_what_a_label_covers_does_not_show_through_it(qapp):
    image, painter, vp = _painted({})
    bare, _, _ = _painted({"long": "hidden", "bar": "hidden"})
    ground = QtGui.QColor(LIGHT.background)
    # The tick of the event "with" Alpha lies under the long title.
    box = _box(painter, vp, "long")
    ticked = [xy for xy in box if _far(bare.pixelColor(*xy), ground)]
    assert ticked, "no tick under the title: the test shows nothing"
    tick = bare.pixelColor(*ticked[len(ticked) // 2])
    assert all(_far(image.pixelColor(*xy), tick) for xy in ticked)
    # Inside the hatched bar, the title reads as inside the same bar not hatched.
    box = _box(painter, vp, "bar")
    plain, _, _ = _painted({}, fuzzy=False)
    plain_bare, _, _ = _painted({"long": "hidden", "bar": "hidden"}, fuzzy=False)
    assert any(bare.pixelColor(*xy) != plain_bare.pixelColor(*xy) for xy in box), "no hatching"
    assert [xy for xy in box if image.pixelColor(*xy) != plain.pixelColor(*xy)] == []
