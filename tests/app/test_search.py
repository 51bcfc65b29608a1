"""The search box's index (app/editing/search.py) finds what reading every record's
words one by one finds: on any project, for texts typed a letter at a time and taken
back, in any case; and it sees the edits, their undo and a renamed actor."""

from __future__ import annotations

import copy
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.editing import commands as c
from app.editing.document import Document
from app.editing.search import SearchIndex
from app.records.eventstore import values
from tests.app.strategies import projects
from tests.examples import examples


def plainly(project, text: str) -> set[str]:
    """Each record's words read one by one, lower-cased, as the search once did."""
    name = {a.id: a.name for a in project.actors}

    def hit(*parts) -> bool:
        return any(text in p.lower() for p in parts if p)

    found = {
        e.id
        for e in project.events
        if hit(e.title, e.text, e.type, *e.tags, name.get(e.actor, ""), *map(name.get, e.with_))
    }
    return found | {
        d.id
        for d in project.demands
        if hit(d.text, d.offer, name.get(d.from_), name.get(d.to), *map(name.get, d.via))
    }


@st.composite
def typed(draw, project) -> list[str]:
    """Texts as a person types them into the box: a piece of some record's words, in
    another case, a letter at a time, some taken back; or letters of no record."""
    words = [
        w
        for w in values(project.events, "title")
        + values(project.demands, "text")
        + [a.name for a in project.actors]
        if w
    ]
    if words and draw(st.booleans()):
        word = draw(st.sampled_from(words))
        start = draw(st.integers(0, len(word) - 1))
        word = word[start : start + draw(st.integers(1, 6))]
        word = word.upper() if draw(st.booleans()) else word
    else:
        word = draw(st.text("aeiouNST \0é", min_size=1, max_size=4))
    out = [word[:k] for k in range(1, len(word) + 1)]
    return out + out[-2::-1]  # typed, then taken back


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), projects())
def test_the_index_finds_what_reading_every_record_finds(data, project):
    found = SearchIndex(Document(project))
    for text in data.draw(typed(project)):
        assert found.matching(text) == plainly(project, text.lower()), text


def test_the_index_sees_edits_their_undo_and_a_renamed_actor(small_project):
    doc = Document(copy.deepcopy(small_project))
    found = SearchIndex(doc)
    event = doc.project.events[0]
    assert found.matching("zanzibar") == set()
    doc.undo_stack.push(c.UpdateRecord(doc, "events", replace(event, title="Zanzibar talks")))
    assert found.matching("zanzibar") == {event.id}
    doc.undo_stack.undo()
    assert found.matching("zanzibar") == set()
    actor = doc.get("actors", event.actor)
    before = found.matching(actor.name.lower())
    doc.undo_stack.push(c.UpdateRecord(doc, "actors", replace(actor, name="Zanzibar")))
    assert found.matching("zanz") == before and event.id in before
    doc.replace_project(copy.deepcopy(small_project))  # a file opened in the window
    assert found.matching("zanz") == set() and found.matching(actor.name.lower()) == before
