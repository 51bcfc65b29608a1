from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.fileformat.build import ID_PATTERN
from app.importers.base import slug
from app.records.ids import id_from


def test_accented_letters_keep_their_base_letter():
    assert id_from("Rózsa Péter") == "rozsa-peter"
    assert id_from("Łódź, Straße & Ærø") == "lodz-strasse-aero"
    assert slug("Rózsa Péter", "actor") == "rozsa-peter"


def test_the_cut_leaves_no_hyphen_at_the_end_or_doubled():
    title = "Hamas releases two women -- held since 7 October"
    assert id_from(title) == "hamas-releases-two-women-held-since-7"
    assert id_from("a" * 39 + " b") == "a" * 39


@given(st.text(max_size=80))
def test_any_title_gives_a_valid_short_id(title):
    out = id_from(title)
    assert ID_PATTERN.fullmatch(out) and len(out) <= 40
    assert "--" not in out and not out.endswith(("-", ".", "_"))
