"""The web page's pictures: what a painter draws, as an <svg> element to put in HTML,
made smaller, in UTF-8."""

from __future__ import annotations

import re

from PySide6 import QtCore, QtGui, QtSvg

from app.exporters.svgparts import paint_on

# The pictures are worked on as QSvgGenerator's UTF-8, never as str: a symbol (✓, …) made
# str keep two bytes a character, and decoding 30 MB of pictures, cleaning them as text and
# encoding the page again cost a fifth of the page's time at 10,000 events.
# What QSvgGenerator writes before the <svg> element: not allowed inside HTML.
_PROLOGUE = re.compile(rb"^.*?(?=<svg\b)", re.S)
_GROUP_FONT = re.compile(
    rb'\nfont-family="[^"]*" font-size="[^"]*" font-weight="[^"]*" font-style="[^"]*" \n>'
)
# What `\s` matches in text (str.isspace), in UTF-8: the rules below were written for text.
_SPACE = (
    rb"(?:[\t-\r\x1c- ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80)"
)
# What a group of QSvgGenerator's says that its one enclosing group (no opacity, square caps,
# bevel joins) says already: each group sets the pen and brush of what it holds, and some
# 60,000 said it again in a page of 10,000 events (about 4 MB). As plain bytes: the words that
# follow tell a group from a text, which says `stroke="none" xml:space=` (a regular
# expression over the pictures took 0.18 s of the page's 2 s).
_SAID_BY_THE_GROUP_AROUND = (
    (b' fill-opacity="1" stroke="none">', b' stroke="none">'),
    (b' fill-opacity="1" stroke="#', b' stroke="#'),
    (b' stroke-opacity="1" stroke-width="', b' stroke-width="'),
    (b' stroke-linecap="square" stroke-linejoin="bevel">', b">"),  # (the enclosing one: " >")
)
_EMPTY_GROUP = re.compile(rb"<g [^>]*>" + _SPACE + rb"*</g>" + _SPACE + rb"*")
_BLANK_LINES = re.compile(rb"\n" + _SPACE + rb"*\n")
# svgparts.NOT_XML in UTF-8 (U+FFFE and U+FFFF are EF BF BE and EF BF BF), and the bytes
# that begin what it replaces: most pictures have none, and looking costs a tenth as much.
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_XML_BYTES = bytes(b for b in range(256) if not _NOT_XML.match(bytes([b])) and b != 0xEF)
# What "</script" matches case-blind in text ("ſ" is an s, "ı" and "İ" are i, to Python's re).
_SCRIPT_LETTERS = {"s": "sSſ", "c": "cC", "r": "rR", "i": "iIıİ", "p": "pP", "t": "tT"}
_END_SCRIPT = re.compile(
    b"</("
    + b"".join(
        b"(?:" + b"|".join(re.escape(c.encode()) for c in cs) + b")"
        for cs in _SCRIPT_LETTERS.values()
    )
    + b")"
)
_NOT_CONTINUATION = bytes(b for b in range(256) if not 0x80 <= b < 0xC0)


def svg(width: float, height: float, paint, background: str = "") -> bytes:
    """What `paint(p)` draws (on `background`, if given), as an <svg> element for HTML, in
    UTF-8."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(QtCore.QSize(int(width), int(height)))
    gen.setViewBox(QtCore.QRectF(0, 0, int(width), int(height)))
    gen.setResolution(96)

    def on_background(p: QtGui.QPainter) -> None:
        if background:
            p.fillRect(QtCore.QRectF(0, 0, width, height), QtGui.QColor(background))
        paint(p)

    paint_on(gen, on_background)
    return smaller(bytes(buffer.data()))


def smaller(svg: bytes) -> bytes:
    """QSvgGenerator's output without what draws nothing (its prologue, identity transforms,
    empty groups, the font of groups whose texts name their own, what a group says that
    the group around it says), a third smaller; and
    nothing that could end the <script> element that holds it (text is escaped already)."""
    svg = _PROLOGUE.sub(b"", svg, count=1)
    svg = svg.replace(b' transform="matrix(1,0,0,1,0,0)"', b"")
    svg = svg.replace(b' vector-effect="none"', b"")
    svg = _GROUP_FONT.sub(b">", svg)
    for said, unsaid in _SAID_BY_THE_GROUP_AROUND:
        svg = svg.replace(said, unsaid)
    svg = _EMPTY_GROUP.sub(b"", svg)
    svg = _BLANK_LINES.sub(b"\n", svg)
    if svg.translate(None, _XML_BYTES):  # a byte that may begin what XML does not allow
        svg = _NOT_XML.sub("\ufffd".encode(), svg)
    return _END_SCRIPT.sub(rb"<\\/\1", svg)


def characters(utf8: bytes) -> int:
    """How many characters `utf8` holds (each has one byte that is not a continuation)."""
    return len(utf8) - len(utf8.translate(None, _NOT_CONTINUATION))
