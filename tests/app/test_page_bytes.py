"""The web page cleans its pictures as UTF-8 bytes, not text: the same rules give the same
page, byte for byte (the rules as they were written for text are kept here to compare)."""

from __future__ import annotations

import functools
import itertools
import re
import string
import sys
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from app.exporters import webpage, webpagesvg
from app.exporters.svgparts import NOT_XML
from app.fileformat import projectfile

EXAMPLE = Path(__file__).parents[2] / "projects" / "hostage-talks-2023.yaml"
webpage_smaller = webpagesvg.smaller  # as it is, before a test stands in for it


@functools.cache
def every() -> str:
    """Every character UTF-8 can hold (no lone surrogates: QSvgGenerator writes UTF-8). Made
    by the first test that asks, not as the module is collected: each pytest-xdist worker
    collects every module, and this took about 0.2 s of CPU in each."""
    return "".join(map(chr, itertools.chain(range(0xD800), range(0xE000, sys.maxunicode + 1))))


@functools.cache
def every_utf8() -> bytes:
    return every().encode("utf-8")


def as_text(svg: str) -> str:
    """The page's rules for a picture as they were, on text."""
    svg = re.sub(r"^.*?(?=<svg\b)", "", svg, count=1, flags=re.S)
    svg = svg.replace(' transform="matrix(1,0,0,1,0,0)"', "").replace(' vector-effect="none"', "")
    svg = re.sub(
        r'\nfont-family="[^"]*" font-size="[^"]*" font-weight="[^"]*" font-style="[^"]*" \n>',
        ">",
        svg,
    )
    for said, unsaid in (
        (' fill-opacity="1" stroke="none">', ' stroke="none">'),
        (' fill-opacity="1" stroke="#', ' stroke="#'),
        (' stroke-opacity="1" stroke-width="', ' stroke-width="'),
        (' stroke-linecap="square" stroke-linejoin="bevel">', ">"),
    ):
        svg = svg.replace(said, unsaid)
    svg = re.sub(r"<g [^>]*>\s*</g>\s*", "", svg)
    svg = re.sub(r"\n\s*\n", "\n", svg)
    svg = NOT_XML.sub("\ufffd", svg)
    return re.sub("</(script)", r"<\\/\1", svg, flags=re.I)


def matched(pattern: bytes) -> set[str]:
    return {m.decode("utf-8") for m in re.findall(pattern, every_utf8())}


def test_a_space_in_utf8_is_what_a_space_is_in_text():
    assert matched(webpagesvg._SPACE) == set(re.findall(r"\s", every()))


def test_the_end_of_a_script_in_utf8_is_what_it_is_in_text():
    for letter, found in webpagesvg._SCRIPT_LETTERS.items():
        assert set(found) == set(re.findall(letter, every(), flags=re.I)), letter


def test_what_xml_does_not_allow_in_utf8_is_what_it_is_in_text():
    assert matched(webpagesvg._NOT_XML) == set(NOT_XML.findall(every()))
    # and each of those begins with a byte the quick look finds
    assert all(
        m.encode()[:1].translate(None, webpagesvg._XML_BYTES) for m in NOT_XML.findall(every())
    )


# Pieces of what QSvgGenerator writes, and of text that tries each rule's edges.
PIECES = [
    '<?xml version="1.0"?>\n',
    "<svg ",
    "<svgx ",
    "<g ",
    '<g fill="#fff">',
    "<g a>",
    "</g>",
    ">",
    "\n",
    " ",
    "\t",
    "\u2003",
    "\xa0",
    "\x85",
    "\x1c",
    "\u3000",
    ' transform="matrix(1,0,0,1,0,0)"',
    '<g fill="#a1b2c3"',
    ' fill-opacity="1"',
    ' fill-opacity="0.5"',
    ' stroke="none"',
    ' stroke="#',
    ' stroke-opacity="1"',
    ' stroke-width="',
    ' stroke-linecap="square" stroke-linejoin="bevel"',
    ' xml:space="preserve"',
    ' vector-effect="none"',
    '\nfont-family="Sans" font-size="9" font-weight="400" font-style="normal" \n>',
    "</script",
    "</SCRIPT>",
    "</ſcrıpt",
    "</scrİpt",
    "<text>✓ é 中</text>",
    "\x01",
    "\x0b",
    "\ufffe",
    "\uffff",
    "\ufffd",
    "\uff01",
    "…",
    "a",
]
svgs = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(svgs)
@example("<?xml?>\n<svg a>\n<g b>\n\u2003\n</g>\n\n<text>\x01</text>\n</ſcrıpt>")
def test_a_picture_is_made_smaller_as_it_was_as_text(svg):
    assert webpagesvg.smaller(svg.encode("utf-8")) == as_text(svg).encode("utf-8")


@given(st.text())
def test_characters_are_counted_as_in_text(text):
    assert webpagesvg.characters(text.encode("utf-8")) == len(text)


def test_the_page_is_filled_in_as_format_fills_it_in():
    values = {
        name: f"<{name} é ✓ {{x}}>"
        for _, name, _, _ in string.Formatter().parse(webpage.PAGE)
        if name
    }
    filled = webpage._fill(**{k: v.encode() for k, v in values.items()})
    assert b"".join(filled).decode("utf-8") == webpage.PAGE.format(**values)


SYMBOLS = """\
demarche: 1
title: Symbols
actors: [{id: a, name: "Ä ✓"}]
events:
  - {id: e1, actor: a, title: "Talks ✓ — agreed…", when: 2023-01-10}
  - {id: e2, actor: a, title: "Truce ✗ — broken…", when: 2023-12-20}
"""


def test_levels_stop_once_the_pictures_characters_pass_the_limit(qapp, monkeypatch):
    """As when the pictures were text: their characters, not their bytes, are counted."""
    project = projectfile.loads(SYMBOLS)
    plots = [level["plot"] for level in webpage.WebPage(project).levels()]
    assert len(plots) == 5
    characters = sum(len(p.decode("utf-8")) for p in plots[:2])
    assert characters < sum(len(p) for p in plots[:2])  # symbols take more than a byte
    monkeypatch.setattr(webpage, "MOST_BYTES", characters)
    assert len(webpage.WebPage(project).levels()) == 3  # the limit reached, not passed
    monkeypatch.setattr(webpage, "MOST_BYTES", characters - 1)
    assert len(webpage.WebPage(project).levels()) == 2


def test_a_smaller_picture_draws_the_same_pixels(qapp, monkeypatch):
    """What `smaller` takes out of the groups (opacities of 1, the caps and joins of the
    group around them) changes nothing drawn: the example's picture, see-through marks,
    hatched bars, dashed arrows and all, rendered before and after."""
    from PySide6 import QtGui, QtSvg

    raw: list[bytes] = []
    monkeypatch.setattr(webpagesvg, "smaller", lambda svg: raw.append(svg) or svg)
    page = webpage.WebPage(projectfile.load(EXAMPLE))
    page.plot_svg(page.level_widths()[1])
    # What it leans on: QSvgGenerator's one enclosing group, with the caps and joins taken
    # out of the others, which all lie directly in it (a Qt that nests them fails here).
    depth, deepest = 0, 0
    for tag in re.finditer(rb"<(/?)g\b", raw[0]):
        depth += -1 if tag.group(1) else 1
        deepest = max(deepest, depth)
    assert deepest == 2
    enclosing = re.findall(rb"<g [^>]*>", raw[0])[0]
    assert b'stroke-linecap="square" stroke-linejoin="bevel" >' in enclosing
    assert b"opacity" not in enclosing
    made_smaller = webpage_smaller(raw[0])
    assert len(made_smaller) < 0.8 * len(raw[0])
    images = []
    for svg in (raw[0], made_smaller):
        renderer = QtSvg.QSvgRenderer(svg)
        assert renderer.isValid()
        image = QtGui.QImage(renderer.defaultSize(), QtGui.QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QtGui.QPainter(image)
        renderer.render(painter)
        painter.end()
        images.append(image)
    assert images[0] == images[1]
