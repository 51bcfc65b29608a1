"""The indented JSON writer of the exports gives `json.dumps`'s very text."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from app.exporters import jsontext

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
keys = st.one_of(st.text(), st.integers(), st.none(), st.booleans())
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(), inner, max_size=4),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=30,
)


@given(values, st.integers(0, 3))
def test_the_text_is_json_dumps_text(value, indent):
    expected = json.dumps(value, ensure_ascii=False, indent=indent)
    assert jsontext.dumps(value, indent) == expected


def test_every_kind_of_leaf_and_nesting():
    value = {
        "a": [1, -2, 3.5, math.inf, None, True, False, 'é\n"\\\u2028\x00'],
        "empty": [{}, [], ()],
        "nested": {"k": {"l": [[1], {"m": "n"}]}},
        7: "a number as a key",
    }
    for indent in (0, 1, 4):
        assert jsontext.dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)
    assert jsontext.dumps({"x": {1: 2}}, 1) == json.dumps({"x": {1: 2}}, indent=1)
