"""SVG output: each part of the chart painted into its own document by QSvgGenerator,
the documents joined as text into one, with one <g> per part and per lane.
`exporter` is an app.exporters.images.ChartExporter, `page` its Page."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from PySide6 import QtCore, QtGui, QtSvg

# Characters XML 1.0 does not allow (a title may hold an ESC): QSvgGenerator writes them raw.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A definition QSvgGenerator writes for a pattern brush (a pattern and its mask) or a gradient.
_SVG_DEFINITION = re.compile(
    r"<(?P<tag>mask|pattern|linearGradient|radialGradient)\b[^>]*\bid=\"(?P<id>[^\"]+)\".*?</(?P=tag)>",
    re.S,
)


def svg_document(exporter, page) -> bytes:
    """Vector output with real text, one <g> per lane (id "lane-ACTOR", titled with the
    actor's name) between the backdrop and the demands.

    Each part is painted into its own document and the documents are joined as text:
    parsing and writing them back as XML took most of the time for large projects."""
    head = None
    definitions: dict[str, str] = {}  # patterns and masks, by id: one of each
    groups = []
    parts = exporter.parts(page)
    for n, part in enumerate(parts):
        exporter.options.step(n, len(parts) + 1)
        text = svg_part(exporter, page, part).decode("utf-8")
        start, end = text.index("<defs>"), text.index("</defs>")
        if head is None:
            head = text[:start]
        inside = text[start + len("<defs>") : end]
        for found in _SVG_DEFINITION.finditer(inside):
            definitions.setdefault(found.group("id"), found.group(0))
        other = _SVG_DEFINITION.sub("", inside).strip()
        if other:  # anything else QSvgGenerator may define: kept as it is
            definitions.setdefault(other, other)
        title = ""
        if part.startswith("lane:"):
            title = f"<title>{escape(page.layout.lanes[int(part[5:])].actor.name)}</title>"
        body = text[end + len("</defs>") : text.rindex("</svg>")]
        groups.append(f"<g id={quoteattr(part_id(page, part))}>{title}{body}</g>\n")
    defs = "<defs>\n" + "\n".join(definitions.values()) + "\n</defs>\n"
    svg = head + defs + "".join(groups) + "</svg>\n"
    return NOT_XML.sub("\ufffd", svg).encode("utf-8")


def part_id(page, part: str) -> str:
    if part.startswith("lane:"):
        return "lane-" + page.layout.lanes[int(part[5:])].actor.id
    return part


def svg_part(exporter, page, part: str) -> bytes:
    return svg_of(
        lambda p: exporter.paint_part(p, page, part),
        page.width,
        page.height,
        exporter.title(),
        exporter.subtitle(),
    )


def svg_of(
    paint: Callable[[QtGui.QPainter], None],
    width: float,
    height: float,
    title: str,
    description: str = "",
) -> bytes:
    """An SVG document, its text real text, at 96 dpi."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(QtCore.QSize(int(width), int(height)))
    gen.setViewBox(QtCore.QRectF(0, 0, width, height))
    gen.setResolution(96)
    gen.setTitle(title)
    gen.setDescription(description)
    paint_on(gen, paint)
    return bytes(buffer.data())


def paint_on(device: QtGui.QPaintDevice, paint: Callable[[QtGui.QPainter], None]) -> None:
    """`paint(p)` with a painter on `device`, ended on this thread even when the work
    stops midway (a cancel): a painter left to the GUI thread crashed the process."""
    p = QtGui.QPainter(device)
    try:
        paint(p)
    finally:
        p.end()
