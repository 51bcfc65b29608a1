"""The canonical writer's quoting, held to the escape pattern it replaced for speed: the
same text for every string, so files written before and after are byte for byte equal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.fileformat import canonical


def by_pattern(text: str) -> str:
    """Quoting as the pattern alone does it, character by character."""
    sub = canonical._NEEDS_ESCAPE.sub
    return '"' + sub(lambda m: canonical._ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'


# Characters of every kind the pattern names, and their neighbours.
TRICKY = st.sampled_from(
    list('\\"\n\t\r\b\f\x00\x01\x1f\x7f\x80\x9f\xa0\xad\u2028\u2029\ufffe\uffff\ud800\udfff …é')
)


@given(st.text(alphabet=st.one_of(TRICKY, st.characters()), max_size=40))
def test_quote_is_the_escape_pattern(text):
    assert canonical._quote(text) == by_pattern(text)
    assert canonical._quote_repeated(text) == by_pattern(text)


def test_every_character_alone_and_between_letters():
    # Every character of the first plane (all those the pattern names), a sample beyond.
    for code in [*range(0x10000), *range(0x10000, 0x110000, 97), 0x10FFFF]:
        ch = chr(code)
        for text in (ch, f"a{ch}b"):
            assert canonical._quote(text) == by_pattern(text), hex(code)
