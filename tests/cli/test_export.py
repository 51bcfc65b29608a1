"""Charts as PNG, SVG and PDF, from the exporter and the command line."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest
from PySide6 import QtGui

from app.cli.main import main
from app.exporters.images import ChartExporter, ExportOptions
from app.fileformat import projectfile
from app.records.model import Actor, Event
from app.records.when import parse

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def project_file(tmp_path, small_project):
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    return path


def svg_texts(path) -> list[str]:
    return ["".join(e.itertext()) for e in ET.parse(path).iter(f"{SVG}text")]


def test_png_is_wide_enough_and_tall_enough_for_every_lane(project_file, tmp_path, qapp):
    out = tmp_path / "chart.png"
    assert main(["export", str(project_file), "-o", str(out)]) == 0
    image = QtGui.QImage(str(out))
    assert image.width() == 1920
    assert image.height() > 4 * 30 + 100  # four lanes plus title, axes and legend
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_png_size_flags(project_file, tmp_path, qapp):
    out = tmp_path / "small.png"
    assert (
        main(["export", str(project_file), "-o", str(out), "--width", "800", "--height", "500"])
        == 0
    )
    image = QtGui.QImage(str(out))
    assert (image.width(), image.height()) == (800, 500)


def test_svg_has_real_text_for_actors_and_events(project_file, tmp_path, qapp):
    out = tmp_path / "chart.svg"
    assert main(["export", str(project_file), "-o", str(out), "--title", "My talks"]) == 0
    texts = svg_texts(out)
    for expected in (
        "My talks",
        "United States",
        "Hamas",
        "Hamas releases two women",
        "Talks in Doha",
    ):
        assert expected in texts, expected


def test_pdf_is_one_page(project_file, tmp_path, qapp):
    out = tmp_path / "chart.pdf"
    assert main(["export", str(project_file), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert (
        data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type /Page/")
        == 1
    )


def test_non_latin_names_are_real_text(tmp_path, small_project, qapp):
    small_project.actors.append(Actor(id="mossad-he", name="המוסד"))
    small_project.actors.append(Actor(id="qatar-ar", name="قطر"))
    small_project.events.append(
        Event(id="ar", actor="qatar-ar", title="وساطة قطرية", when=parse("2023-11-01"))
    )
    out = tmp_path / "rtl.svg"
    ChartExporter(small_project, ExportOptions()).write(str(out))
    texts = svg_texts(out)
    assert "המוסד" in texts and "قطر" in texts and "وساطة قطرية" in texts


def test_exported_events_match_the_canvas_for_the_same_range(qtbot, small_project):
    import copy

    from app.editing.document import Document
    from widgets.canvas import TimelineCanvas

    canvas = TimelineCanvas(Document(copy.deepcopy(small_project)))
    qtbot.addWidget(canvas)
    t0, t1 = parse("2023-10-15").lo, parse("2023-10-31").lo
    canvas.set_time_range(t0, t1)
    exporter = ChartExporter(small_project, ExportOptions(t0=t0, t1=t1))

    def shown(layout):
        return {
            layout.lanes[i].actor.id: [
                layout.lane_events[i].events[k].id for k in layout.lane_events[i].visible(t0, t1)
            ]
            for i in range(len(layout.lanes))
        }

    assert shown(exporter.page().layout) == shown(canvas.timeline.layout)
    assert shown(canvas.timeline.layout)["hamas"] == ["release"]


def test_bigger_output_shows_more_labels(qapp):
    from tests.bench.generate import generate

    project = generate(300, n_actors=5)
    small = ChartExporter(project, ExportOptions(width=800, height=600))
    small.png_bytes()
    big = ChartExporter(project, ExportOptions(width=3840, height=2160))
    big.png_bytes()
    assert big.chart.labels_drawn > small.chart.labels_drawn > 0


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--from", "2023-13-01"], "--from: '2023-13-01': month 13 does not exist"),
        (["--from", "2023-11-01", "--to", "2023-10-01"], "--to comes before --from"),
        (["--actors", "usa,hamass"], "--actors: unknown actor 'hamass' (did you mean 'hamas'?)"),
        (["--width", "5"], "--width: 5 is out of range"),
    ],
)
def test_bad_flags_get_clear_errors(project_file, tmp_path, capsys, flags, message):
    out = tmp_path / "x.png"
    assert main(["export", str(project_file), "-o", str(out), *flags]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_unwritable_path_leaves_no_partial_file(project_file, tmp_path, capsys, qapp):
    assert main(["export", str(project_file), "-o", "/proc/chart.png"]) == 3
    assert "cannot write '/proc/chart.png'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [project_file]


def test_actors_flag_limits_the_lanes(project_file, tmp_path, qapp):
    out = tmp_path / "two.svg"
    assert main(["export", str(project_file), "-o", str(out), "--actors", "hamas,israel"]) == 0
    texts = svg_texts(out)
    assert "Hamas" in texts and "Israel" in texts and "United States" not in texts


def test_svg_groups_each_lane_with_its_events(project_file, tmp_path, qapp):
    out = tmp_path / "grouped.svg"
    assert main(["export", str(project_file), "-o", str(out)]) == 0
    groups = {g.get("id"): g for g in ET.parse(out).getroot().iter(f"{SVG}g") if g.get("id")}
    assert list(groups)[:1] == ["backdrop"] and {
        "lane-usa",
        "lane-cia",
        "lane-hamas",
        "lane-israel",
        "demands",
        "foot",
    } <= set(groups)
    hamas = ["".join(t.itertext()) for t in groups["lane-hamas"].iter(f"{SVG}text")]
    assert "Hamas releases two women" in hamas and "Talks in Doha" not in hamas
    assert groups["lane-hamas"].find(f"{SVG}title").text == "Hamas"


def test_svg_defines_every_pattern_it_refers_to(small_project, tmp_path, qapp):
    """Approximate marks are stippled with a pattern: each lane's group must find it."""
    import re

    for lane in ("hamas", "israel"):  # two lanes, so two groups refer to the pattern
        small_project.events.append(
            Event(id=f"about-{lane}", actor=lane, title="Roughly", when=parse("2023-11-02~"))
        )
    out = tmp_path / "chart.svg"
    ChartExporter(small_project, ExportOptions()).write(str(out))
    text = out.read_text()
    used = set(re.findall(r"url\(#([^)]+)\)", text))
    defined = {e.get("id") for e in ET.parse(out).iter() if e.get("id")}
    assert used and used <= defined


def test_svg_stays_well_formed_with_markup_in_names(small_project, tmp_path, qapp):
    small_project.actors[2] = Actor(id="hamas", name='Hamas & "friends" <armed wing>')
    out = tmp_path / "names.svg"
    ChartExporter(small_project, ExportOptions()).write(str(out))
    groups = {g.get("id"): g for g in ET.parse(out).getroot().iter(f"{SVG}g") if g.get("id")}
    assert groups["lane-hamas"].find(f"{SVG}title").text == 'Hamas & "friends" <armed wing>'
    assert len([i for i in groups if i.startswith("lane-")]) == 4


def test_the_screen_and_an_export_stack_the_layers_alike(small_project, qapp):
    """One list of layers: painting the plot as the screen does and as the exporter does
    (lane by lane, for SVG groups) gives the same pixels. Here a label runs under the
    demand's arrow, so a different stacking shows."""
    from app.chart import ChartPainter

    small_project.events.append(
        Event(
            id="brief",
            actor="usa",
            title="A long briefing on the state of the talks",
            when=parse("2023-11-19"),
        )
    )
    exporter = ChartExporter(
        small_project, ExportOptions(width=1200, legend=False, source_line=False, title="")
    )
    page = exporter.page()
    exported = QtGui.QImage(int(page.width), int(page.height), QtGui.QImage.Format.Format_RGB32)
    p = QtGui.QPainter(exported)
    exporter.paint(p, page)
    p.end()
    screen = QtGui.QImage(exported.size(), QtGui.QImage.Format.Format_RGB32)
    screen.fill(QtGui.QColor(exporter.chart.theme.background))
    p = QtGui.QPainter(screen)
    assert exporter.numbered()  # the arrows' numbers too are a layer of both
    options = exporter.paint_options(page.t0, page.t1, page.footnotes)
    assert options.numbers and options.footnotes is not None  # the same options as the export
    ChartPainter(exporter.chart.theme, exporter.chart.font).paint(
        p, page.layout, exporter.viewport(page), options
    )
    p.end()
    inside = page.plot.toRect().adjusted(2, 2, -2, -2)  # the export frames the plot
    assert exported.copy(inside) == screen.copy(inside)


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--dpi", "4000"], "--dpi: 4000 is out of range (30 to 1200)"),
        (["--width", "20000", "--height", "20000"], "more than the limit of 100 megapixels"),
        (["--dpi", "1200"], "more than the limit of 100 megapixels"),
    ],
)
def test_pictures_too_large_to_make_are_refused(project_file, tmp_path, capsys, flags, message):
    out = tmp_path / "big.png"
    assert main(["export", str(project_file), "-o", str(out), *flags]) == 2
    assert message in capsys.readouterr().err and not out.exists()


def test_a_chart_says_what_each_demand_asks(small_project, tmp_path, qapp):
    """Arrows are numbered and listed under an exported chart, with label or text."""
    small_project.demands[0] = dataclasses.replace(small_project.demands[0], label="No drones")
    out = tmp_path / "chart.svg"
    ChartExporter(small_project, ExportOptions()).write(str(out))
    texts = svg_texts(out)
    assert any("1  ✓ Hamas → Israel: No drones (accepted" in t for t in texts)
    assert "1" in texts  # the number beside the arrow's glyph
    plain = tmp_path / "plain.svg"
    ChartExporter(small_project, ExportOptions(demand_list=False)).write(str(plain))
    assert not any("No drones" in t for t in svg_texts(plain))


def test_approximate_bars_are_hatched_with_lines_in_svg(small_project, tmp_path, qapp):
    """Browsers render Qt's pattern brushes washed out: approximate ranges are hatched with
    real lines in vector output."""
    import re

    out = tmp_path / "chart.svg"
    ChartExporter(small_project, ExportOptions()).write(str(out))
    text = out.read_text()
    talks = ET.parse(out).getroot()
    groups = {g.get("id"): g for g in talks.iter(f"{SVG}g") if g.get("id")}
    cia = ET.tostring(groups["lane-cia"], encoding="unicode")  # "Talks in Doha", 2023-11-10~
    hatch = re.findall(r'points="([\d.]+),([\d.]+) ([\d.]+),([\d.]+) "', cia)
    assert len(hatch) >= 3
    bars = [
        (float(x), float(x) + float(w))
        for x, w in re.findall(r'<ns0:rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', cia)
    ]
    for h in hatch:  # each line within a bar, cut at its edges
        assert any(a - 0.01 <= float(h[0]) and float(h[2]) <= b + 0.01 for a, b in bars), h
    assert text.count("url(#fillpattern") <= 4  # stipples of approximate marks and no more


def test_a_long_subtitle_is_shortened_in_its_middle_and_keeps_the_span(
    tmp_path, small_project, qapp
):
    small_project.description = "A description far longer than the picture is wide. " * 10
    path = tmp_path / "long.yaml"
    projectfile.save(small_project, path)
    out = tmp_path / "long.svg"
    assert main(["export", str(path), "-o", str(out), "--width", "800"]) == 0
    (subtitle,) = [t for t in svg_texts(out) if t.startswith("A description")]
    assert "…" in subtitle and subtitle.endswith("2023")  # the span stays whole
    assert len(subtitle) < 160


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_opaque_png_holds_the_pixels_painted_and_a_transparent_one_its_alpha(
    small_project, qapp, theme
):
    """An opaque picture is written without an alpha channel (less to compress), pixel for
    pixel the picture painted; a transparent one keeps its alpha."""

    def written_and_painted(**kw):
        exporter = ChartExporter(small_project, ExportOptions(width=900, theme=theme, **kw))
        written = QtGui.QImage.fromData(exporter.png_bytes())
        painted = exporter.image()
        argb = QtGui.QImage.Format.Format_ARGB32
        return written, written.convertToFormat(argb) == painted.convertToFormat(argb)

    opaque, same = written_and_painted()
    assert not opaque.hasAlphaChannel() and same
    clear, same = written_and_painted(transparent=True)
    assert clear.hasAlphaChannel() and same
    assert clear.pixelColor(0, 0).alpha() == 0  # the margin is see-through


def test_a_demands_number_reads_over_the_bar_beside_its_arrow(qapp):
    """The number stands on a halo of the background: where it lies over a bar of its
    lane (two rows: the number, above the arrow's glyph, falls on the first), pixels of
    the background ring the digit inside the bar's rows (without the halo: only the
    bar's and the digit's colours)."""
    from app.exporters.images import ChartExporter, ExportOptions
    from app.records.model import Actor, Demand, Event, Project
    from app.records.when import parse

    project = Project(
        title="",
        actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
        events=[
            Event(id="e", actor="a", title="", when=parse("2023-01-01/2023-01-31")),
            Event(id="f", actor="a", title="", when=parse("2023-01-03/2023-01-29")),
        ],
        demands=[Demand(id="d", from_="a", to="b", text="Stop", raised=parse("2023-01-15"))],
    )
    exporter = ChartExporter(project, ExportOptions(width=800, scale=1.0))
    page, image = exporter.page(), exporter.image()
    at = (parse("2023-01-15").lo - page.t0) / (page.t1 - page.t0)
    x = int(page.plot.left() + at * page.plot.width())
    top, bottom = int(page.plot.top()), int(page.plot.top() + page.layout.lanes[0].bottom)
    background = image.pixel(x + 40, top + 2)  # lane A's, above its bars
    bars = [
        y
        for y in range(top, bottom)
        if image.pixel(x - 100, y) == image.pixel(x + 40, y) == image.pixel(x + 200, y)
        and image.pixel(x + 40, y) != background
    ]
    assert bars
    ringed = [(c, y) for y in bars for c in range(x + 8, x + 18) if image.pixel(c, y) == background]
    assert ringed


def _number_ink(image, theme_status: str, box: tuple[int, int, int, int]) -> int:
    """Pixels near a status's colour in a box (x0, y0, x1, y1) of the picture."""
    want = QtGui.QColor(theme_status)
    count = 0
    for y in range(box[1], box[3]):
        for x in range(box[0], box[2]):
            c = QtGui.QColor(image.pixel(x, y))
            d = abs(c.red() - want.red()) + abs(c.green() - want.green())
            count += d + abs(c.blue() - want.blue()) < 90
    return count


@pytest.mark.parametrize("mark_at, sides", [("2023-01-16", None), (None, None), (None, "below")])
def test_a_demands_number_goes_beside_its_glyph_where_no_mark_is(qapp, monkeypatch, mark_at, sides):
    """In a picture, a number goes right above its glyph unless that side meets a mark
    (or a label, a glyph, another number): an event a day after the demand, on its lane,
    sends it left above. A side below puts it under the glyph, clear of it."""
    from app.chart import numbers
    from app.chart.theme import LIGHT

    if sides:
        monkeypatch.setattr(numbers, "SIDES", ((1, 1),))
    from app.exporters.images import ChartExporter, ExportOptions
    from app.records.model import Actor, Demand, Event, Project
    from app.records.when import parse

    events = [
        Event(id="start", actor="b", title="", when=parse("2023-01-01")),
        Event(id="end", actor="b", title="", when=parse("2023-03-01")),
    ]
    if mark_at:
        events.append(Event(id="next", actor="a", title="", when=parse(mark_at)))
    project = Project(
        title="",
        actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
        events=events,
        demands=[Demand(id="d", from_="a", to="b", text="Stop", raised=parse("2023-01-15"))],
    )
    exporter = ChartExporter(project, ExportOptions(width=800, scale=1.0))
    page, image = exporter.page(), exporter.image()
    at = (parse("2023-01-15").lo - page.t0) / (page.t1 - page.t0)
    x = int(page.plot.left() + at * page.plot.width())
    y = int(page.plot.top() + page.layout.lane_centres()[0])
    ink = LIGHT.status_color("open")
    right = _number_ink(image, ink, (x + 10, y - 18, x + 20, y - 7))
    left = _number_ink(image, ink, (x - 20, y - 18, x - 10, y - 7))
    below = _number_ink(image, ink, (x + 10, y + 7, x + 20, y + 20))
    level = _number_ink(image, ink, (x + 10, y - 4, x + 20, y + 6))  # beside the glyph
    if sides:
        assert below and not (right or left or level)
        return
    assert (left, right) != (0, 0) and not below
    assert (left > 0, right > 0) == ((True, False) if mark_at else (False, True))


def test_a_picture_painted_again_holds_only_its_own_labels(small_project, qapp):
    """The labels a picture drew are where its numbers look for room: a second painting
    by the same exporter doubled them."""
    exporter = ChartExporter(small_project, ExportOptions(width=900))
    exporter.image()
    drawn = len(exporter.chart.style.label_boxes.ids)
    exporter.image()
    assert drawn and len(exporter.chart.style.label_boxes.ids) == drawn
