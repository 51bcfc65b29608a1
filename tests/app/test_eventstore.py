"""The event column store (app/records/eventstore.py): a project read from its file keeps
its events as columns, and behaves as the plain list of records it stands for."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.fileformat import canonical, fastread, projectfile
from app.records.eventstore import (
    CODED,
    EventStore,
    Strings,
    counts,
    date_starts,
    date_texts,
    values,
)
from app.records.model import Actor, Cite, Event, Project, Source
from app.records.when import parse
from tests.app.strategies import either, typed, whens
from tests.app.test_layout import ACTORS
from tests.examples import scaled


def stored(project: Project) -> Project:
    """The project as its file reads it back: events in an EventStore."""
    read = projectfile.loads(canonical.dumps(project))
    assert isinstance(read.events, EventStore)
    return read


def test_a_project_read_from_its_file_holds_its_events_as_columns(small_project):
    read = stored(small_project)
    assert isinstance(read.events, EventStore)
    assert read.events == small_project.events
    assert read == small_project
    assert canonical.dumps(read) == canonical.dumps(small_project)


# No text, typed text, or non-ASCII and escapes, a third of the time each.
texts = either(st.just(""), typed, st.text('aé Ωب\n"\\', max_size=6))

# Made once, not at each draw: hypothesis works out a new strategy's properties again
# each time it is made (the same values are drawn).
_actors = st.sampled_from(ACTORS)
_whens = whens()
_with = st.lists(_actors, max_size=2, unique=True).map(tuple)
_types = st.sampled_from(["", "release", "0421", "talks"])
_credibilities = either(st.none(), st.integers(1, 6))
_cited = st.lists(st.sampled_from(["s1", "s2"]), max_size=3)
_tags = st.lists(st.sampled_from(["x", "y z", "ü"]), max_size=2, unique=True).map(tuple)
_labels = st.sampled_from(["", "shown", "hidden"])
_MOST = 12
# The events an event may answer: those made before it, e0 to e(k-1).
_responds_to = [st.just(())] + [
    st.lists(st.sampled_from([f"e{j}" for j in range(k)]), max_size=2, unique=True).map(tuple)
    for k in range(1, _MOST)
]


@st.composite
def talks(draw) -> Project:
    """Projects the canonical reader reads (ids plain), with every field of an event used."""
    n = draw(st.integers(1, _MOST))
    events = []
    for k in range(n):
        events.append(
            Event(
                id=f"e{k}",
                actor=draw(_actors),
                with_=draw(_with),
                title=draw(texts),
                when=draw(_whens),
                type=draw(_types),
                text=draw(texts),
                cites=tuple(
                    Cite(source=s, credibility=draw(_credibilities), quote=draw(texts))
                    for s in draw(_cited)
                ),
                tags=draw(_tags),
                label=draw(_labels),
                responds_to=draw(_responds_to[k]),
            )
        )
    return Project(
        title="Talks",
        sources=[Source(id=s, title=s.upper()) for s in ("s1", "s2")],
        actors=[Actor(id=a, name=a.upper()) for a in ACTORS],
        events=events,
    )


ops = st.lists(
    st.tuples(
        st.sampled_from(["set", "insert", "delete", "reverse", "retitle", "recite"]),
        st.integers(0, 1000),
    ),
    max_size=15,
)


def edit_alike(store, model: list, action: str, k: int, record) -> None:
    """One edit made to a store and to the list it stands for alike: `record` inserted at
    k or put in k's place ("set" and the like), k deleted, or the whole order reversed."""
    if action == "insert":
        store.insert(k, record)
        model.insert(k, record)
    elif action == "delete":
        del store[k]
        del model[k]
    elif action == "reverse":
        store[:] = model[::-1]
        model[:] = model[::-1]
    else:
        store[k] = model[k] = record


@settings(deadline=None, max_examples=scaled(60))
@given(project=talks(), steps=ops)
def test_a_store_edited_at_random_is_the_list_edited_alike(project, steps):
    read = stored(project)
    store, model = read.events, list(project.events)
    serial = 0
    for action, pick in steps:
        if action == "insert" or not model:
            serial += 1
            e = Event(
                id=f"added-{serial}",
                actor=ACTORS[pick % 3],
                title=f"Added {serial}",
                when=parse("2023-11-24~"),
                label="shown" if pick % 2 else "",
                tags=("new",),
                responds_to=(model[0].id,) if model and pick % 3 == 0 else (),
            )
            edit_alike(store, model, "insert", pick % (len(model) + 1), e)
            continue
        k = pick % len(model)
        if action == "delete" and any(model[k].id in e.responds_to for e in model):
            continue  # the file would not read back
        change = (
            {"title": f"Retitled {pick}", "when": parse("2023-10")}
            if action in ("set", "retitle")
            else {"cites": (Cite(source="s2"),), "with_": ("b",)}
        )
        edit_alike(store, model, action, k, dataclasses.replace(model[k], **change))
    assert list(store) == model and len(store) == len(model)
    assert store.ids() == [e.id for e in model]
    for attr in CODED:
        assert values(store, attr) == values(model, attr), attr
    assert counts(store, "actor") == counts(model, "actor")
    assert date_texts(store, "when") == date_texts(model, "when")
    assert date_starts(store, "when") == date_starts(model, "when")
    assert store.has_links().tolist() == [bool(e.responds_to) for e in model]
    assert copy.deepcopy(store) == model
    edited = dataclasses.replace(read, events=store)
    assert canonical.dumps(edited) == canonical.dumps(dataclasses.replace(read, events=model))
    assert canonical.dumps_utf8(edited) == canonical.dumps(edited).encode()
    assert projectfile.loads(canonical.dumps(edited)).events == model


def test_a_copy_is_not_changed_by_edits_to_the_original(small_project):
    store = stored(small_project).events
    before = list(store)
    snapshot = store.copy()
    store[0] = dataclasses.replace(store[0], title="Changed")
    del store[1]
    assert list(snapshot) == before


def test_an_untouched_event_is_saved_as_its_text_and_an_edited_one_as_written_anew(
    small_project,
):
    read = stored(small_project)
    text = canonical.dumps(read)
    read.events[0] = dataclasses.replace(read.events[0], title="A new title")
    saved = canonical.dumps(read)
    assert 'title: "A new title"' in saved
    assert saved.replace('"A new title"', canonical._quote(small_project.events[0].title)) == text


@given(st.lists(st.text(max_size=12), max_size=20))
def test_strings_give_back_what_they_hold_in_any_script(texts):
    strings = Strings.of(texts)
    assert [strings[i] for i in range(len(strings))] == texts
    assert strings.take(np.arange(len(texts))) == texts
    whole = "".join(texts)
    starts = np.cumsum([0] + [len(t) for t in texts[:-1]]).astype(np.int64)
    ends = starts + np.array([len(t) for t in texts], dtype=np.int64)
    if texts:
        assert [Strings.slices(whole, starts, ends)[i] for i in range(len(texts))] == texts


@given(
    st.lists(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12),
        max_size=20,
    )
)
def test_strings_as_fixed_width_bytes_sort_as_the_text_sorts(texts):
    fixed = Strings.of(texts).fixed_width(1 << 20)
    by_text = sorted(range(len(texts)), key=texts.__getitem__)
    assert np.argsort(fixed, kind="stable").tolist() == by_text
    assert Strings.of(["abc", "de"]).fixed_width(5) is None  # 2 strings of 3 bytes: 6


CANONICAL = """demarche: 1
title: "T"
sources:
  - id: s1
    title: "S"
actors:
  - id: a
    name: "A"
  - id: b
    name: "B"
events:
  - id: e1
    actor: a
    with: [b]
    title: "Café"
    when: "2020-01-01"
    text: "one\\ntwo \\"quoted\\""
    cites:
      - source: s1
        quote: "q"
    tags: [x, "y z"]
  - id: e2
    actor: b
    title: ""
    when: "2020-01-02"
"""


@pytest.mark.parametrize(
    ("canonical_form", "hand_written"),
    [
        ('"Café"', '"Caf\\u00e9"'),  # an escape the writer would not use
        ("\\ntwo", "\\u000atwo"),
        ('\\"quoted', "\\u0022quoted"),
        ("with: [b]", 'with: ["b"]'),  # a plain id quoted in a list
        ('tags: [x, "y z"]', 'tags: ["x", "y z"]'),
        ('"2020-01-02"', '"2020\\u002d01-02"'),  # in a date
        ('    tags: [x, "y z"]\n', '    tags: [x, "y z"]\n    label: ""\n'),  # empty values
        ("  - id: e2\n    actor: b\n", "  - id: e2\n    actor: b\n    with: []\n"),
        ('    when: "2020-01-02"\n', '    when: "2020-01-02"\n    text: ""\n'),
        ('        quote: "q"\n', '        credibility: 2\n        quote: ""\n'),
    ],
)
def test_a_hand_written_file_is_saved_in_canonical_form(canonical_form, hand_written):
    """A save copies an untouched event's text as read: only canonical text may be read by
    the reader that keeps it (README: a canonical file read and written again gives the same
    bytes; the merge driver and diffs count on the canonical form)."""
    assert projectfile.loads(CANONICAL) is not None
    assert canonical.dumps(projectfile.loads(CANONICAL)) == CANONICAL
    assert CANONICAL.count(canonical_form) == 1
    text = CANONICAL.replace(canonical_form, hand_written)
    read = projectfile.loads(text)
    plain = dataclasses.replace(read, events=list(read.events))
    assert canonical.dumps(read) == canonical.dumps(plain)
    assert bytes(canonical.dumps_utf8(read)) == canonical.dumps(plain).encode()
    fast = fastread.read_fast(text)
    assert fast is None or canonical.dumps(fast) == text


def test_a_snapshot_read_on_threads_while_the_store_is_edited_stays_as_taken(monkeypatch):
    """A save or an export reads a snapshot on a worker thread while the window edits the
    store: the copies share the columns and the records read lately (a few kept, so that
    they are let go and read again meanwhile)."""
    import threading

    from app.records import recordstore
    from tests.bench.generate import generate

    monkeypatch.setattr(recordstore, "KEEP_MADE", 40)
    project = generate(600)
    store = stored(project).events
    snapshot, taken = store.copy(), list(project.events)
    wrong: list = []

    def read() -> None:
        try:
            for _ in range(3):
                if list(snapshot) != taken or snapshot.ids() != [e.id for e in taken]:
                    wrong.append("differs")
        except Exception as exc:  # noqa: BLE001 - reported below
            wrong.append(exc)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for k in range(600):
        store[k] = dataclasses.replace(store[k], title=f"Edited {k}")
        if k % 7 == 0:
            store.insert(k % 50, dataclasses.replace(taken[0], id=f"added{k}"))
        if k % 11 == 0:
            del store[(k * 13) % len(store)]
    for t in threads:
        t.join()
    assert wrong == []
    assert list(snapshot) == taken


def test_a_slice_assignment_refused_leaves_the_store_as_it_was(small_project):
    """As a list: an extended slice given a wrong count of records is refused with nothing
    changed (the store stays as read, so its columns still go to the parse cache)."""
    store = stored(small_project).events
    model = list(store)
    for target in (store, model):
        with pytest.raises(ValueError):
            target[::-1] = [model[0]] * (len(model) + 1)
    assert list(store) == model
    assert store.as_read() and repr(store).endswith("0 edited>")


def test_ids_read_while_an_edit_comes_are_not_kept_after_it(small_project, monkeypatch):
    """A worker reading every id while the window inserts an event: what it read is of the
    order before the insert, and the store does not keep it as the ids after it."""
    from app.records.recordstore import Strings

    store = stored(small_project).events
    added = dataclasses.replace(small_project.events[0], id="added")
    taking, every = Strings.take, Strings.every

    def edit_between_the_reads(read):
        def reading(self, *rows):
            monkeypatch.setattr(Strings, "take", taking)
            monkeypatch.setattr(Strings, "every", every)
            store.insert(0, added)  # the edit, between the worker's reads
            return read(self, *rows)

        return reading

    monkeypatch.setattr(Strings, "take", edit_between_the_reads(taking))
    monkeypatch.setattr(Strings, "every", edit_between_the_reads(every))
    before = store.ids()
    assert before == [e.id for e in small_project.events]  # one moment's order, whole
    assert store.ids() == ["added", *before]


def test_a_store_extended_is_the_list_extended(small_project):
    store, model = stored(small_project).events, list(small_project.events)
    more = [dataclasses.replace(e, id=f"{e.id}-more") for e in model]
    store.extend(more)
    store.extend(store[:1])  # from itself too
    model.extend(more)
    model.extend(model[:1])
    assert list(store) == model and store.ids() == [e.id for e in model]
    assert canonical.dumps(dataclasses.replace(small_project, events=store)) == canonical.dumps(
        dataclasses.replace(small_project, events=model)
    )
