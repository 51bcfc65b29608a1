"""The rows a RowTexts finds are those a plain reading finds: one of the row's parts,
lowered, holds the text lowered. Texts drawn from letters whose lowering depends on what
surrounds them (a final sigma), grows (a dotted capital I), or is no letter at all (NUL,
unpaired surrogates, the table's old cell separator) or folds to two (ß), so that every
kind of column is made: few distinct texts, one buffer, and a part at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from app.records import textfind
from app.records.textfind import RowTexts

LETTERS = st.sampled_from(
    ["a", "A", "b", "Σ", "σ", "ς", "İ", "i", "\u0307", " ", "é", "\0", "\x1f", "\ud800", "'"]
    + ["ß", "s", "S"]  # (ß casefolds to "ss")
)
TEXTS = st.text(LETTERS, max_size=6)


@st.composite
def rows_and_columns(draw):
    n = draw(st.integers(1, 30))
    columns = []
    for _ in range(draw(st.integers(0, 4))):
        if draw(st.booleans()):  # a part each row (of the first rows, when fewer)
            few = draw(st.lists(TEXTS, min_size=1, max_size=3))
            pick = st.sampled_from(few) if draw(st.booleans()) else TEXTS
            first = draw(st.sampled_from([n, draw(st.integers(0, n))]))
            columns.append((draw(st.lists(pick, min_size=first, max_size=first)), None))
        else:  # parts of some rows, some rows several
            rows = draw(st.lists(st.integers(0, n - 1), max_size=2 * n))
            columns.append((draw(st.lists(TEXTS, min_size=len(rows), max_size=len(rows))), rows))
    replaced = draw(st.dictionaries(st.integers(0, n - 1), st.lists(TEXTS, max_size=2)))
    return n, columns, replaced


def plain(n, columns, replaced, text, fold) -> list[bool]:
    parts = [[] for _ in range(n)]
    for texts, rows in columns:
        for k, t in enumerate(texts):
            parts[k if rows is None else rows[k]].append(t)
    for row, given_again in replaced.items():
        parts[row] = given_again
    return [any(fold(text) in fold(p) for p in ps) or not text for ps in parts]


@given(
    rows_and_columns(),
    st.lists(TEXTS, min_size=1, max_size=4),
    st.sampled_from([str.lower, str.casefold]),
)
def test_the_rows_found_are_those_a_plain_reading_finds(drawn, searched, fold):
    n, columns, replaced = drawn
    texts = RowTexts(n, fold)
    for column, rows in columns:
        texts.add(column, None if rows is None else np.array(rows, np.int64))
    for row, parts in replaced.items():
        texts.replace(row, parts)
    for text in searched:
        assert texts.matching(text).tolist() == plain(n, columns, replaced, text, fold), text


def test_a_long_column_is_searched_block_by_block(monkeypatch):
    """A match across the edge of a block of the anchor's search is found once."""
    monkeypatch.setattr(textfind, "_BLOCK", 4)
    titles = [f"talks {k} in doha" for k in range(50)] + ["x" * 9 + "doha"]
    texts = RowTexts(len(titles))
    texts.add(titles)
    assert texts.matching("DOHA").all()
    assert texts.matching("s 4").tolist() == ["s 4" in t for t in titles]
