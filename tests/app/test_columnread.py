"""Events and demands read straight into columns (app/fileformat/columnread.py): the same
columns, array for array, as the records read one by one give, in chunks of any size; and
what the record reader refuses, refused too."""

from __future__ import annotations

import dataclasses
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.fileformat import canonical, columnread, fastread, projectfile, safetext
from app.fileformat.recordtexts import demand_store, event_store
from app.fileformat.settle import WIDEST_ID, SortedIds
from app.records.demandstore import DemandStore
from app.records.eventstore import EventStore
from app.records.recordstore import Strings
from tests.app.test_demandstore import negotiations
from tests.app.test_eventstore import talks
from tests.examples import examples, scaled


def assert_same(a, b, where: str) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype, where
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b, where


def read_both(text: str):
    """The project as the record reader reads its text (with where each record starts),
    and as the column reader reads its bytes."""
    starts: dict[str, list[int]] = {}
    by_records = fastread.read_fast(text, starts)
    raw = text.encode()
    by_columns = fastread.read_fast_bytes(raw, columnread.STORES)
    return by_records, starts, by_columns, raw


# Each generated project is read in chunks of every size: drawing the projects was nine
# tenths of this test's time, and a test for each size drew 25 projects of its own. Each
# size still reads 25 projects.
@settings(deadline=None, max_examples=scaled(25))
@given(events=talks(), demands=negotiations())
def test_columns_read_straight_are_the_columns_of_the_records_read(events, demands):
    project = dataclasses.replace(
        events,
        actors=[*events.actors, *(a for a in demands.actors if a not in events.actors)],
        demands=demands.demands,
    )
    text = canonical.dumps(project)
    for chunk in (1, 300, 10**9):  # a record a chunk, a few, all at once
        with mock.patch.object(columnread, "CHUNK_BYTES", chunk):
            by_records, starts, by_columns, raw = read_both(text)
        assert isinstance(by_columns.events, EventStore)
        assert isinstance(by_columns.demands, DemandStore)
        for kind, store_of in (("events", event_store), ("demands", demand_store)):
            records = getattr(by_records, kind)
            expected = store_of(records, text, starts[kind], raw if text.isascii() else None)
            expected = expected.columns
            assert_same(expected, getattr(by_columns, kind).columns, f"{kind} in chunks of {chunk}")
            assert list(getattr(by_columns, kind)) == records, chunk
        assert by_columns == by_records == project, chunk
        assert canonical.dumps(by_columns) == text, chunk


def test_a_project_loaded_from_its_file_reads_its_records_as_columns(small_project, tmp_path):
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    loaded = projectfile.load(path)
    assert isinstance(loaded.events, EventStore) and isinstance(loaded.demands, DemandStore)
    assert loaded == small_project


# Each change makes a canonical-looking file that the record reader does not vouch for:
# (what, changed into what, a line added at the end of that record).
REFUSED = {
    "an event that answers itself": (
        "  - id: release\n",
        "  - id: release\n",
        "    responds_to: [release]\n",
    ),
    "an actor no one declared": ("    actor: hamas\n", "    actor: nobody\n", ""),
    "a date that is no date": ('    when: "2023-10-20"\n', '    when: "2023-02-30"\n', ""),
    "a line between two events": ("  - id: talks\n", "  # a note\n  - id: talks\n", ""),
    "a demand resolved before it was raised": (
        '    resolved: "2023-11-21"\n',
        '    resolved: "2023-01-01"\n',
        "",
    ),
    "an id used twice": ("  - id: talks\n", "  - id: release\n", ""),
    "an event's id an actor's too": ("  - id: talks\n", "  - id: hamas\n", ""),
    "a demand's id an event's too": ("  - id: drones\n", "  - id: talks\n", ""),
    "a mediator who is no actor": ("    via: [usa]\n", "    via: [usa, nobody]\n", ""),
    "a citation of no source": ("      - source: wsj\n", "      - source: nyt\n", ""),
}


@pytest.mark.parametrize("change", REFUSED.values(), ids=REFUSED.keys())
def test_what_the_record_reader_refuses_the_column_reader_refuses(change, small_project):
    old, new, after = change
    text = canonical.dumps(small_project)
    assert old in text
    at = text.index(old)
    changed = text[:at] + new + text[at + len(old) :]
    if after:  # a line added at the end of that record: before the next record's first
        end = changed.index("\n  - ", at + 1) + 1
        changed = changed[:end] + after + changed[end:]
    by_records, _, by_columns, _ = read_both(changed)
    assert by_records is None
    assert by_columns is None


@settings(max_examples=examples(300))
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40), st.integers(1, 8))
def test_unsafe_characters_of_ascii_text_are_found_as_bytes_as_the_pattern_finds_them(text, cut):
    with mock.patch.object(safetext, "_SLICE", cut):  # slices of a few characters
        assert safetext.has_unsafe_char(text) == bool(safetext.UNSAFE_CHAR.search(text))
    assert safetext.has_unsafe_char(text + "é\u2028") is True  # past ASCII: the pattern


_ids = st.lists(
    st.sampled_from(["a", "ab", "b", "é", "x-1", "x.1", "yes", "Ω", "a" * 70]), max_size=8
)
# Values a file may name that differ from an id by NULs at the end (numpy's bytes drop those)
_values = st.lists(st.sampled_from(["a", "ab", "a\0", "ab\0\0", "\0", "b", "Ω\0"]), max_size=8)


@settings(max_examples=examples(300))
@given(_ids, _ids | _values, _ids | _values)
def test_sorted_ids_answer_as_a_set_of_them_does(ids, values, others):
    """A store's ids kept as sorted bytes (settle.SortedIds) say what a set of them says:
    how many, whether a value or all values are in it, whether it shares one with others."""
    kept, plain = SortedIds.of(Strings.of(ids)), set(ids)
    if isinstance(kept, set):  # an id twice, or one too wide: the set itself
        assert kept == plain and (len(plain) < len(ids) or any(len(i) > WIDEST_ID for i in ids))
        return
    assert len(kept) == len(plain) == len(ids)
    for value in values:
        assert (value in kept) == (value in plain)
    assert (set(values) <= kept) == (set(values) <= plain)
    assert kept.isdisjoint(set(others)) == plain.isdisjoint(others)
    other = SortedIds.of(Strings.of(list(dict.fromkeys(others))))
    assert kept.isdisjoint(other) == plain.isdisjoint(others)


def test_a_reference_that_differs_from_an_id_by_a_nul_is_refused_on_open():
    """Numpy's bytes drop NULs at the end when compared: "e1\\u0000" must not pass for e1."""
    from app.fileformat.projectfile import ProjectFileError
    from app.records.model import Actor, Event, Project
    from app.records.when import parse

    project = Project(
        title="t",
        actors=[Actor(id="a", name="a")],
        events=[
            Event(id="e1", actor="a", title="x", when=parse("2023-01-01")),
            Event(id="e2", actor="a", title="y", when=parse("2023-01-02"), responds_to=("e1",)),
        ],
    )
    text = canonical.dumps(project)
    bad = text.replace("responds_to: [e1]", 'responds_to: ["e1\\u0000"]')
    assert bad != text
    with pytest.raises(ProjectFileError, match="responds_to"):
        projectfile.loads_bytes(bad.encode())
