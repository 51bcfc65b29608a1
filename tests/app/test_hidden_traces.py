"""What the Filter panel hides leaves nothing behind: neither the `with` ticks its events
put on other lanes nor the arrows linking them."""

from __future__ import annotations

from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart.layout import Timeline
from app.chart.theme import LIGHT
from app.records.model import Actor, Event, Project
from app.records.when import parse


def project(with_hidden: bool) -> Project:
    kept = Event(id="kept", actor="israel", title="Strike", when=parse("2023-10-20"))
    events = [kept]
    if with_hidden:
        events.append(
            Event(
                id="offer",
                actor="hamas",
                title="Offer via Qatar",
                when=parse("2023-10-25"),
                with_=("qatar", "israel"),
                responds_to=("kept",),
            )
        )
    return Project(
        actors=[
            Actor(id="hamas", name="Hamas"),
            Actor(id="israel", name="Israel"),
            Actor(id="qatar", name="Qatar"),
        ],
        events=events,
    )


def picture(p: Project, options: PaintOptions) -> QtGui.QImage:
    timeline = Timeline(p)
    vp = Viewport(parse("2023-10-15").lo, parse("2023-10-31").lo, 0, 800, 40, 240)
    image = QtGui.QImage(800, 240, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(painter, timeline.layout, vp, options)
    painter.end()
    return image


def test_a_hidden_event_leaves_no_tick_and_no_arrow(qapp):
    hide = PaintOptions(show_labels=False, filtered=frozenset({"kept"}), hide_filtered=True)
    hidden = picture(project(True), hide)
    absent = picture(project(False), hide)
    assert hidden == absent


def test_a_dimmed_event_keeps_a_fainter_tick(qapp):
    dim = PaintOptions(show_labels=False, filtered=frozenset({"kept"}))
    dimmed = picture(project(True), dim)
    shown = picture(project(True), PaintOptions(show_labels=False))
    absent = picture(project(False), dim)
    assert dimmed != absent  # still there, faded
    assert dimmed != shown
