"""The exports' text helpers take shortcuts for plain text (app/exporters/common.py,
markwhen.py): each is held here to the full rule it stands in for, on every character and
on text drawn by hypothesis."""

from __future__ import annotations

import html
import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from app.exporters import markwhen, timelinejs
from app.exporters.common import plain_text

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def full_plain_text(text: str) -> str:
    return _CONTROLS.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def full_one_line(value: object) -> str:
    return " ".join(full_plain_text(str(value)).split())


def full_title(text: str) -> str:
    return markwhen._ID.sub("!\u2060", markwhen._TAG.sub("#\u2060", full_one_line(text)))


def test_printable_text_has_no_character_the_full_rules_change_but_the_space():
    """What the shortcuts rest on: no printable character is one `plain_text` removes or
    turns, and the only printable one `split` splits on is the space."""
    every = map(chr, range(sys.maxunicode + 1))
    printable = [c for c in every if c.isprintable()]
    assert [c for c in printable if c.isspace()] == [" "]
    assert not [c for c in printable if full_plain_text(c) != c]
    assert not _CONTROLS.search("".join(printable))


# Text mixing the characters the shortcuts look for with any others.
texts = st.text(st.sampled_from(list(" \t\n\r\x85\xa0\u2028#!a1_-:") + ["\x00", "é", "\u200b"]))


@given(st.one_of(texts, st.text()))
def test_the_shortcuts_say_what_the_full_rules_say(text):
    assert plain_text(text) == full_plain_text(text)
    assert markwhen._one_line(text) == full_one_line(text)
    assert markwhen._title(text) == full_title(text)
    tag = re.sub(r"\W+", "_", text).strip("_")
    assert markwhen._tag(text) == tag


def test_a_value_not_text_is_said_as_its_text():
    assert markwhen._one_line(3) == "3" and plain_text(None) == "None"


@given(st.one_of(texts, st.text(st.sampled_from(list("&<>\"'ab ")))))
def test_timelinejs_escapes_as_html_escape_does(text):
    assert timelinejs.escape(text) == html.escape(text)
