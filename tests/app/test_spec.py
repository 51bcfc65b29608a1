"""The record spec and the records agree: same fields, same order, keywords only."""

from __future__ import annotations

import dataclasses

import pytest

from app.fileformat import spec
from app.records.model import Event
from app.records.when import parse


@pytest.mark.parametrize("kind", [*spec.KINDS, *spec.NESTED.values(), spec.CONFLICTS])
def test_records_declare_the_specs_fields_in_its_order(kind):
    assert [d.name for d in dataclasses.fields(kind.record)] == [f.attr for f in kind.fields]


def test_records_are_made_with_keywords_only():
    with pytest.raises(TypeError):
        Event("talks", "cia", "Talks", parse("2023-11-09"))  # type: ignore[misc]
    assert Event(id="talks", actor="cia", title="Talks", when=parse("2023-11-09")).with_ == ()


def test_every_field_says_what_surfaces_need():
    for kind in spec.KINDS:
        for f in kind.fields:
            assert f.title and f.header and f.edited_by, (kind.name, f.key)
        assert kind.form()[0].key == kind.named_by and kind.form()[-1].type == spec.ID


def test_the_page_can_have_the_field_list():
    fields = spec.field_list("demands")
    assert fields[0] == {
        "key": "text",
        "label": "Demand",
        "help": "",
        "editor": "text",
        "required": True,
    }
    assert [f["key"] for f in fields][-1] == "id"


def test_a_cells_text_is_read_by_the_fields_type():
    events = spec.EVENTS
    assert events.field("when").parse("about 25 Nov 2023").text == "2023-11-25~"
    assert events.field("tags").parse(" a, b ,") == ("a", "b")
    assert spec.SOURCES.field("reliability").parse("b") == "B"
    with pytest.raises(ValueError, match="not one of"):
        spec.DEMANDS.field("status").parse("won")
    assert events.field("type").parse("my own kind") == "my own kind"  # a free choice
