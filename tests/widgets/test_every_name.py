"""No event is unnamed in a picture: an export names every event in view, beside its mark
or by a number listed below the chart; a title can be pinned on or off (issue 21, item 5)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

from PySide6 import QtGui, QtWidgets

from app.cli.main import main
from app.editing.document import Document
from app.exporters.eventlist import HEADING
from app.fileformat import projectfile
from app.records.model import Actor, Demand, Event, Project
from app.records.when import parse
from widgets import canvasmenus
from widgets.canvas import TimelineCanvas

SVG = "{http://www.w3.org/2000/svg}"
NAMES = ("Russia suspends participation", "Russia withdraws", "Strikes on Odesa")


def crowded() -> Project:
    """The grain deal's shape: named events a day or two apart, and a lane of many."""
    events = [
        Event(id="suspends", actor="russia", title=NAMES[0], when=parse("2022-10-29")),
        Event(id="withdraws", actor="russia", title=NAMES[1], when=parse("2022-10-30")),
        Event(id="odesa", actor="russia", title=NAMES[2], when=parse("2022-10-31")),
        Event(id="rejoins", actor="russia", title="Russia rejoins", when=parse("2022-11-02")),
        Event(id="extended", actor="un", title="Deal extended 120 days", when=parse("2022-11-17")),
    ]
    events += [
        Event(
            id=f"s{k}",
            actor="ukraine",
            title=f"Ship {k} leaves port",
            when=parse(f"2022-08-{1 + k % 28:02d}"),
        )
        for k in range(40)
    ]
    actors = [
        Actor(id="russia", name="Russia"),
        Actor(id="ukraine", name="Ukraine"),
        Actor(id="un", name="United Nations"),
    ]
    return Project(title="Grain", actors=actors, events=events)


def svg_text(path) -> str:
    return "\n".join("".join(t.itertext()) for t in ET.parse(path).iter(f"{SVG}text"))


def test_an_export_of_a_crowded_project_names_every_event(tmp_path, qapp):
    path = tmp_path / "grain.yaml"
    projectfile.save(crowded(), path)
    svg, png = tmp_path / "grain.svg", tmp_path / "grain.png"
    for out in (svg, png):
        assert main(["export", str(path), "-o", str(out), "--width", "1200"]) == 0
    text = svg_text(svg)
    for e in crowded().events:
        assert e.title in text, e.title
    assert HEADING in text  # some are named below, by number
    image = QtGui.QImage(str(png))
    assert image.width() == 1200 and image.height() > 300


def test_an_export_of_a_span_names_every_event_in_it(tmp_path, qapp):
    path = tmp_path / "grain.yaml"
    projectfile.save(crowded(), path)
    svg = tmp_path / "autumn.svg"
    args = ["--from", "2022-10-01", "--to", "2022-11-30", "--width", "900"]
    assert main(["export", str(path), "-o", str(svg), *args]) == 0
    text = svg_text(svg)
    for name in (*NAMES, "Russia rejoins", "Deal extended 120 days"):
        assert name in text
    assert "Ship 3 leaves port" not in text  # August: not in the picture


def _canvas(qtbot, project: Project) -> TimelineCanvas:
    canvas = TimelineCanvas(Document(copy.deepcopy(project)))
    canvas.resize(900, 500)
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_time_range(parse("2022-10-20").lo, parse("2022-11-25").lo)
    QtWidgets.QApplication.processEvents()
    return canvas


def _drawn(canvas, qtbot) -> set[str]:
    before = canvas.layer.paints
    canvas.layer.update()
    qtbot.waitUntil(lambda: canvas.layer.paints > before)
    return set(canvas.chart.style.label_boxes.ids)


def test_a_title_pinned_on_always_shows_and_one_pinned_off_never(qtbot, qapp, tmp_path):
    canvas = _canvas(qtbot, crowded())
    shown = _drawn(canvas, qtbot)
    assert "withdraws" not in shown  # a day after "suspends": no room beside it
    assert "rejoins" in shown
    menu = QtWidgets.QMenu()
    canvasmenus.title_menu(menu, canvas.surface, canvas.doc.get("events", "withdraws"))
    sub = menu.actions()[0].menu()
    next(a for a in sub.actions() if a.text() == "Always").trigger()
    assert canvas.doc.get("events", "withdraws").label == "shown"
    menu = QtWidgets.QMenu()
    canvasmenus.title_menu(menu, canvas.surface, canvas.doc.get("events", "rejoins"))
    next(a for a in menu.actions()[0].menu().actions() if a.text() == "Never").trigger()
    shown = _drawn(canvas, qtbot)
    assert "withdraws" in shown and "rejoins" not in shown
    # Saved in the document, and still named (by number) in an export.
    path = tmp_path / "pinned.yaml"
    projectfile.save(canvas.doc.project, path)
    assert 'label: "hidden"' in path.read_text()
    out = tmp_path / "pinned.svg"
    assert main(["export", str(path), "-o", str(out)]) == 0
    assert "Russia rejoins" in svg_text(out)
    canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "rejoins").label == ""


def test_crowded_numbers_are_written_as_runs_or_set_aside(qapp):
    from app.chart.labels import runs

    fm = QtGui.QFontMetricsF(QtGui.QFont())
    out = runs([(0, 0, 4), (5, 0, 5), (10, 0, 6), (300, 0, 9), (3, 20, 7)], fm)
    assert [(x, y, t) for x, y, t in out] == [(0, 0, "E4–6"), (300, 0, "E9"), (3, 20, "E7")]
    apart = runs([(0, 0, 4), (5, 0, 8)], fm)  # not consecutive: the second moves right
    assert [t for *_, t in apart] == ["E4", "E8"]
    assert apart[1][0] >= fm.horizontalAdvance("E4")


def test_too_many_to_list_says_how_to_name_them(tmp_path, qapp, monkeypatch):
    from app.exporters import eventlist
    from app.exporters.images import ChartExporter, ExportOptions

    monkeypatch.setattr(eventlist, "LIMIT", 3)
    exporter = ChartExporter(crowded(), ExportOptions(width=1200))
    page = exporter.page()
    assert page.footnotes is None and len(page.unnamed) == 1
    assert "--from" in page.unnamed[0]
    out = tmp_path / "many.svg"
    exporter.write(str(out))
    text = svg_text(out)
    assert "events have no room for their titles" in text and "E1 " not in text


def parties(lanes: int, rounds: int, lasting: bool = False) -> Project:
    """`lanes` parties, each with `rounds` talks a day apart (from the 28th, again from
    the 1st): too close for any title to be drawn beside its mark; `lasting`, each from
    1 October to that day of December, stacked in rows of their own."""
    actors = [Actor(id=f"a{k}", name=f"Party {k}") for k in range(lanes)]
    start = "2022-10-01/2022-12" if lasting else "2022-10"
    events = [
        Event(
            id=f"e{k}-{d}",
            actor=f"a{k}",
            title=f"Talks round {d} of party {k}",
            when=parse(f"{start}-{1 + d % 28:02d}"),
        )
        for k in range(lanes)
        for d in range(rounds)
    ]
    return Project(title="Parties", actors=actors, events=events)


def test_a_fixed_height_lists_only_the_events_of_the_lanes_it_shows(qapp):
    """Lanes cut off by --height are not in the picture: their events are neither named
    nor numbered, and the list of those shown fits under the chart."""
    from app.exporters.images import ChartExporter, ExportOptions

    project = parties(12, 6)
    actors = project.actors

    def lanes_numbered(page) -> set[str]:
        return {i.split("-")[0].replace("e", "a") for i in page.footnotes}

    whole = ChartExporter(project, ExportOptions(width=900)).page()
    assert lanes_numbered(whole) == {a.id for a in actors}  # a day apart: no room to name
    page = ChartExporter(project, ExportOptions(width=900, height=500)).page()
    shown = {lane.actor.id for lane in whole.layout.lanes if lane.top < page.plot.height()}
    assert 0 < len(shown) < 12
    assert lanes_numbered(page) == shown
    assert page.footer_y <= page.height
    left_out = f"+{12 - len(shown)} lanes not shown"  # and the picture says so
    assert page.lanes_left_out == 12 - len(shown)
    svg = ChartExporter(project, ExportOptions(width=900, height=500)).svg_bytes().decode()
    whole_svg = ChartExporter(project, ExportOptions(width=900)).svg_bytes().decode()
    assert left_out in svg and "not shown" not in whole_svg


def test_a_fixed_height_lists_only_the_demands_raised_in_the_lanes_it_shows(qapp):
    """A demand's number stands in the lane that raised it: the key under a picture cut
    by --height lists the demands of the lanes shown, by their numbers on the chart, and
    says how many others it leaves out; the page still holds it."""
    from app.exporters.images import ChartExporter, ExportOptions

    project = parties(12, 2)
    project.demands = [
        Demand(
            id=f"d{k}",
            from_=f"a{k}",
            to=f"a{(k + 1) % 12}",
            text=f"Demand of party {k}",
            raised=parse(f"2022-10-{3 + k:02d}"),
        )
        for k in range(12)
    ]
    options = ExportOptions(width=900, height=560)
    page = ChartExporter(project, options).page()
    shown = len(page.layout.lanes) - page.lanes_left_out
    assert 0 < shown < 12 and page.footer_y <= page.height
    text = svg_text_of(ChartExporter(project, options).svg_bytes())
    # Raised a day apart in lane order: demand k carries number k + 1.
    listed = {k for k in range(12) if f"Demand of party {k} (" in text}
    assert listed == set(range(shown))
    assert all(f"{k + 1}  " in text for k in listed)
    assert f"+{12 - shown} demands raised in lanes not shown" in text
    whole = svg_text_of(ChartExporter(project, ExportOptions(width=900)).svg_bytes())
    assert all(f"Demand of party {k} (" in whole for k in range(12))
    assert "demands raised in lanes not shown" not in whole


def svg_text_of(data: bytes) -> str:
    return "\n".join("".join(t.itertext()) for t in ET.fromstring(data).iter(f"{SVG}text"))


def test_a_fixed_height_keeps_the_chart_and_its_list_on_the_page(qapp):
    """No room for one lane (a tall one), or lists too long to show (past the limit,
    where more lanes mean a shorter list): the page still holds the chart, its list and
    legend, with as many whole lanes as fit."""
    from app.exporters.images import ChartExporter, ExportOptions

    page = ChartExporter(parties(2, 40, lasting=True), ExportOptions(width=900, height=300)).page()
    assert page.layout.lanes[0].bottom > 300 and page.footer_y <= page.height
    crowded = parties(12, 40)
    for height in (500, 720):  # no count of lanes fits; then eight, with the one line
        page = ChartExporter(crowded, ExportOptions(width=900, height=height)).page()
        assert page.footer_y <= page.height and page.footnotes is None  # too many to list
        assert len(page.unnamed) == 1 and "have no room" in page.unnamed[0]
    shown = [lane for lane in page.layout.lanes if lane.bottom <= page.plot.height()]
    assert page.plot.height() == shown[-1].bottom and len(shown) == 8  # 320 events: > 300
    assert page.unnamed[0].startswith("320 events")
