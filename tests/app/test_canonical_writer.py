"""The canonical writer's quoting, held to the escape pattern it replaced for speed: the
same text for every string, so files written before and after are byte for byte equal."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.fileformat import canonical, spec


def by_pattern(text: str) -> str:
    """Quoting as the pattern alone does it, character by character."""
    return '"' + canonical._NEEDS_ESCAPE.sub(lambda m: canonical.escape_char(m[0]), text) + '"'


# Characters of every kind the pattern names, and their neighbours.
TRICKY = st.sampled_from(
    list('\\"\n\t\r\b\f\x00\x01\x1f\x7f\x80\x9f\xa0\xad\u2028\u2029\ufffe\uffff\ud800\udfff …é')
)


@given(st.text(alphabet=st.one_of(TRICKY, st.characters()), max_size=40))
def test_quote_is_the_escape_pattern(text):
    assert canonical._quote(text) == by_pattern(text)
    assert canonical._quote_repeated(text) == by_pattern(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_quote_of_ascii_text_is_the_escape_pattern(text):
    """ASCII text is quoted by msgspec's JSON encoder (its own path); a subclass of str,
    which msgspec refuses, and other text by hand."""
    assert canonical._quote(text) == by_pattern(text)
    assert canonical._quote(text + "…") == by_pattern(text + "…")  # and the other path
    assert canonical._quote(Text(text)) == by_pattern(text)


class Text(str):
    """A subclass of str (as a view's or a format's name may be)."""


def test_every_character_alone_and_between_letters():
    # Every character of the first plane (all those the pattern names), a sample beyond.
    for code in [*range(0x10000), *range(0x10000, 0x110000, 97), 0x10FFFF]:
        ch = chr(code)
        for text in (ch, f"a{ch}b"):
            assert canonical._quote(text) == by_pattern(text), hex(code)


# The plain rule for a quoted value: one character or one escape at a time.
PLAIN_QUOTED = {"*": r'"((?:[^"\\\n]|\\.)*)"', "+": r'"((?:[^"\\\n]|\\.)+)"'}


@given(st.text('ab"\\\n\tü', max_size=12))
def test_quoted_values_are_read_as_the_plain_rule_reads_them(body):
    quoted = f'"{body}"'
    for rule, pattern in (("*", canonical._Q), ("+", canonical._NOT_EMPTY[spec.TEXT])):
        fast, plain = re.fullmatch(pattern, quoted), re.fullmatch(PLAIN_QUOTED[rule], quoted)
        assert (fast and fast.group(1)) == (plain and plain.group(1)), rule


def name_by_rule(text: str) -> str:
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", text) and text.lower() not in {
        "y",
        "n",
        "yes",
        "no",
        "on",
        "off",
        "true",
        "false",
        "null",
    }
    return text if plain else by_pattern(text)


IDS = st.one_of(
    st.text(alphabet=st.sampled_from(list('aYnNoOfFeElLsStTuU-_.1 é"')), max_size=7),
    st.sampled_from(["yes", "No", "NULL", "off", "True", "nulls", "y1", "ev-1"]),
    st.text(max_size=8),
)


@given(IDS, st.lists(IDS, max_size=3))
def test_ids_and_lists_of_references_are_written_by_the_rule(text, items):
    """An id plain when YAML reads it back as itself (not a reserved word), else quoted;
    a list of references in brackets, one item or several."""
    assert canonical._name(text) == name_by_rule(text)
    assert canonical._name.__wrapped__(text) == name_by_rule(text)
    expected = "[" + ", ".join(map(name_by_rule, items)) + "]"
    assert canonical._refs(tuple(items)) == expected == canonical._names(tuple(items))


def test_half_a_character_is_saved_as_the_replacement_character(tmp_path, small_project):
    """JSON cut in the middle of an emoji gives a lone surrogate, which UTF-8 cannot hold:
    the file is saved with U+FFFD in its place, and opens."""
    from dataclasses import replace

    from app.fileformat import projectfile

    small_project.events[0] = replace(small_project.events[0], title="Talks \ud83d", text="\udc00!")
    path = tmp_path / "cut.yaml"
    projectfile.save(small_project, path)
    event = projectfile.load(path).events[0]
    assert (event.title, event.text) == ("Talks \ufffd", "\ufffd!")
