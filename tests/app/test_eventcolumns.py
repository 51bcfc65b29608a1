"""Events written a column at a time (app/importers/eventcolumns.py, with the parts of
app/fileformat/columnwrite.py) are the events the canonical writer writes one at a time,
and the store made of their texts gives back the same records and columns."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.fileformat import canonical, spec
from app.fileformat.columnwrite import field_texts, quote_all, quote_bytes
from app.importers.eventcolumns import EventTexts
from app.records.model import Cite
from tests.app.strategies import projects
from tests.examples import examples, scaled

_WRITE = dict(canonical._SECTION_WRITERS)["events"]
_ODD = '\x7f\x85\x9f\u2028\u2029\ud800\udfff\ufffe\uffff\xa0…ß\n\t"\\\x00\x01 a'


def _written(event) -> str:
    return "".join(_WRITE(event))


@settings(max_examples=examples(400))
@given(
    st.one_of(
        st.text(),
        st.text(st.characters(exclude_categories=())),  # lone surrogates too
        st.text(st.sampled_from(_ODD)),
    )
)
@example("On 6 February 2022, " + "x" * 140 + "…")
def test_a_text_quoted_to_bytes_is_the_writers_text_encoded(text):
    expected = canonical._quote(text).encode("utf-8", "surrogatepass")
    assert quote_bytes(text) == expected


_TEXTS = st.one_of(st.text(), st.text(st.sampled_from(_ODD)), st.text(alphabet="ab…\n"))


@settings(max_examples=examples(200))
@given(st.lists(_TEXTS, max_size=6))
@example(["On 6 February 2022, x…", "a\nLocation: b"])
@example(["plain", "\u2028"])
@example(["ascii", "with a DEL \x7f", ""])
def test_texts_quoted_together_are_each_quoted_alone(texts):
    assert list(quote_all(texts)) == [quote_bytes(t) for t in texts]


@settings(max_examples=scaled(60), deadline=None)
@given(projects())
def test_an_events_parts_one_after_another_are_its_text(project):
    parts = field_texts(spec.EVENTS)
    for event in project.events:
        text = "".join(parts[f.attr](getattr(event, f.attr)) for f in spec.EVENTS.fields)
        assert text + "\n" == _written(event)


def _imported(events):
    """The events as an import makes them: no label, answering none."""
    return [replace(e, label="", responds_to=()) for e in events]


def _columns(events) -> tuple:
    return tuple(
        [getattr(e, attr) for e in events]
        for attr in ("id", "actor", "with_", "title", "when", "type", "text", "cites", "tags")
    )


@settings(max_examples=scaled(60), deadline=None)
@given(projects(), st.integers(1, 4))
def test_events_added_a_chunk_at_a_time_are_written_and_read_back_as_they_are(project, chunk):
    events = _imported(project.events)
    into, added = EventTexts(), []
    for at in range(0, len(events), chunk):
        if into.add(*_columns(events[at : at + chunk])) is None:
            # A chunk whose texts the canonical reader would not read back (an id or a
            # reference written quoted): not added; those before are its records.
            assert into.records() == added
            return
        added += events[at : at + chunk]
    if not events:
        return
    known = {"actors": {a.id for a in project.actors}, "sources": {s.id for s in project.sources}}
    store = into.store(known)
    texts = [_written(e) for e in events]
    assert [store.columns.texts[i] for i in range(len(events))] == texts
    assert list(store) == events
    # The columns asked for are read from the texts: those of the records themselves.
    for attr in ("actor", "when", "type", "with_", "tags", "cites"):
        assert store.values(attr) == [getattr(e, attr) for e in events], attr
    assert store.values("cited") == [
        tuple(dict.fromkeys(c.source for c in e.cites)) for e in events
    ]
    assert store.ids() == [e.id for e in events]
    assert store.values("title") == [e.title for e in events]


def test_the_text_of_events_is_counted_in_bytes():
    events = [_event("a", title="Ünï…"), _event("b", text="x\ny")]
    into = EventTexts()
    assert into.add(*_columns(events)) == len("".join(map(_written, events)).encode())


def test_lanes_and_citations_not_written_as_their_ids_are_written_by_the_writer():
    """The chunk's lists are joined at C speed only when each item is written as it is:
    a lane in `with` whose id YAML would read otherwise (on) is quoted, a citation with a
    quote has lines of its own. An actor or a source written quoted is not read back by
    the canonical reader: such a chunk is not added."""
    events = [
        _event("a", with_=("on", "b"), cites=(Cite(source="s"),)),
        _event("b", with_=("b",), cites=(Cite(source="s", quote="said"), Cite(source="t"))),
        _event("c"),
    ]
    into = EventTexts()
    into.add(*_columns(events))
    store = into.store({"actors": {"a", "b", "on"}, "sources": {"s", "t"}})
    assert [store.columns.texts[i] for i in range(3)] == [_written(e) for e in events]
    assert '"on"' in store.columns.texts[0] and list(store) == events
    for quoted in (_event("d", actor="on"), _event("e", cites=(Cite(source="y"),)), _event("y")):
        assert EventTexts().add(*_columns([quoted])) is None


def _event(event_id: str, **fields):
    from app.records.model import Event
    from app.records.when import parse

    return Event(**{"id": event_id, "actor": "a", "title": "T", "when": parse("2020"), **fields})
