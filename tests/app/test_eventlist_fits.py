"""The lists under a picture's chart fit its width: a line too long is shortened with
"…", as the demand lines are, in PNG, SVG and PDF alike (one painter: the PDF's text
is glyph ids, so the PNG and the SVG stand for it)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.exporters import eventlist
from app.exporters.images import MARGIN, ChartExporter, ExportOptions
from app.records.model import Event
from app.records.when import parse
from tests.images import pixels

LONG = "Netanyahu refuses to halt drone flights over Gaza during the pause " * 4


def _exporter(small_project, theme: str = "dark") -> ChartExporter:
    small_project.events.append(
        Event(id="long", actor="israel", title=LONG.strip(), when=parse("2023-10-21"))
    )
    return ChartExporter(small_project, ExportOptions(width=700, theme=theme))


def test_a_listed_events_long_line_is_elided_within_the_picture(small_project, qapp):
    exporter = _exporter(small_project)
    page = exporter.page()
    assert any("Netanyahu" in line for line in page.unnamed)  # listed under the chart
    image = exporter.image()
    px = pixels(image)
    background = px[2, 2]
    list_top = int(page.footer_y - eventlist.size(exporter.chart, page.unnamed, page.plot.width()))
    # the right margin, beside the lists: nothing painted there
    margin = px[list_top : int(page.footer_y), int(page.width - MARGIN + 1) :]
    assert (margin == background).all(axis=2).all()


def test_the_svg_list_is_elided_too(small_project, qapp):
    exporter = _exporter(small_project, "light")
    texts = [
        "".join(e.itertext())
        for e in ET.fromstring(exporter.svg_bytes()).iter("{http://www.w3.org/2000/svg}text")
    ]
    (line,) = [t for t in texts if "Netanyahu" in t]
    assert line.endswith("…")
    fm = exporter.chart.metrics
    assert fm.horizontalAdvance(line) <= exporter.page().plot.width() - 8
