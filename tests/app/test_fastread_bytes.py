"""The fast reader of a file's bytes (app/fileformat/fastread.py `read_fast_bytes`, with
the column reader of app/fileformat/columnread.py) held to the reader of its text: the
same project, or None alike, for canonical files and for the same files changed at
random (quotes, escapes, line breaks, characters YAML refuses, text past ASCII); and its
checks of bytes held to the checks of text."""

from __future__ import annotations

import codecs
import dataclasses
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.fileformat import canonical, columnread, fastread, projectfile, safetext
from app.fileformat.projectfile import ProjectFileError
from app.fileformat.recordtexts import demand_store, event_store
from app.records.demandstore import DemandStore
from app.records.eventstore import EventStore
from tests.app.test_columnread import assert_same
from tests.app.test_demandstore import negotiations
from tests.app.test_eventstore import talks
from tests.examples import examples, scaled

# What a change puts in: what the canonical patterns, YAML and UTF-8 make much of.
ODD = [
    '"',
    "\\",
    "\\u00e9",
    "\\x41",
    "\\ud800",
    "\n",
    "\r\n",
    " ",
    "  - ",
    "#",
    ":",
    "[",
    "]",
    ", ",
    "é",
    "Ωب",
    "\u2028",
    "\x85",
    "\x9f",
    "\x7f",
    "\x00",
    "\t",
    "\ufeff",
    "\ufffe",
    "\U0001f600",
    "yes",
    "events:\n",
]


def _project(events, demands):
    return dataclasses.replace(
        events,
        actors=[*events.actors, *(a for a in demands.actors if a not in events.actors)],
        demands=demands.demands,
    )


def _read_both(text: str):
    """The project as the text's reader reads it and as the bytes' reader does; and when
    both read it, their columns held alike (records are made from their texts: a column
    wrong would not show in the records)."""
    starts: dict[str, list[int]] = {}
    by_text = fastread.read_fast(text, starts)
    by_bytes = fastread.read_fast_bytes(text.encode(), columnread.STORES)
    if by_text is not None and by_bytes is not None:
        raw = text.encode() if text.isascii() else None
        for kind, store_of in (("events", event_store), ("demands", demand_store)):
            if getattr(by_text, kind):
                expected = store_of(getattr(by_text, kind), text, starts[kind], raw).columns
                assert_same(expected, getattr(by_bytes, kind).columns, kind)
    return by_text, by_bytes


# Made once, not at each draw: a `st.sampled_from` made anew is worked out again at its
# first draw (about 80 us here). The same values drawn, by the same choices.
_odd = st.sampled_from(ODD)
_pieces = st.sampled_from([1, 300, 10**9])


@st.composite
def changed(draw, text: str) -> str:
    """The text with a few of its places changed: something odd put in, or taken out."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(_odd) + text[at + cut :]
    return text


@settings(deadline=None, max_examples=scaled(60))
@given(events=talks(), demands=negotiations(), data=st.data())
def test_the_bytes_are_read_as_their_text_is_read(events, demands, data):
    project = _project(events, demands)
    text = canonical.dumps(project)
    # Read a record a piece, a few, or all at once: a piece all ASCII or not is read
    # its own way (app/fileformat/columnread.py `_StringsCut`).
    piece = data.draw(_pieces)
    with mock.patch.object(columnread, "CHUNK_BYTES", piece):
        _check(project, text, data)


def _check(project, text: str, data) -> None:
    by_text, by_bytes = _read_both(text)
    assert by_text == by_bytes == project
    assert isinstance(by_bytes.events, EventStore) and isinstance(by_bytes.demands, DemandStore)
    assert canonical.dumps(by_bytes) == text  # a save gives the bytes read
    odd = data.draw(changed(text))
    by_text, by_bytes = _read_both(odd)
    assert (by_text is None) == (by_bytes is None), odd
    if by_text is not None:
        assert by_bytes == by_text
        assert canonical.dumps(by_bytes) == canonical.dumps(by_text)


@settings(max_examples=examples(400))
@given(st.lists(st.sampled_from(ODD + list('aé\\u0"n ')), max_size=12).map("".join))
def test_the_bytes_are_checked_as_their_text_is_checked(text):
    raw = text.encode()
    assert safetext.has_unsafe_byte(raw) == safetext.has_unsafe_char(text)
    assert safetext.escapes_are_safe(raw) == safetext.escapes_are_safe(text)


def test_bytes_that_are_not_utf8_are_left_to_the_located_reader(small_project, tmp_path):
    text = canonical.dumps(small_project)
    raw = text.encode()
    assert fastread.read_fast_bytes(raw, columnread.STORES) == small_project
    at = raw.index(b"title: ") + len(b'title: "')
    for bad in (b"\xff", b"\xc3", b"\xed\xa0\x80"):  # not UTF-8; a lone byte; a surrogate
        broken = raw[:at] + bad + raw[at:]
        assert fastread.read_fast_bytes(broken, columnread.STORES) is None
        path = tmp_path / "broken.yaml"
        path.write_bytes(broken)
        with pytest.raises(ProjectFileError) as caught:
            projectfile.load(path)
        assert f"broken.yaml:2:{len('title: ') + 2}: not UTF-8 text" in str(caught.value)


def test_a_byte_order_mark_is_read_as_before(small_project, tmp_path):
    """The bytes' reader leaves a file with a BOM to the text's, which reads it fast."""
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + canonical.dumps(small_project).encode())
    assert fastread.read_fast_bytes(path.read_bytes(), columnread.STORES) is None
    read = projectfile.load(path)
    assert read == small_project
    assert isinstance(read.events, EventStore)


def test_a_project_past_ascii_keeps_views_of_its_bytes(small_project, tmp_path):
    project = dataclasses.replace(
        small_project,
        events=[dataclasses.replace(e, title=e.title + " — à Doha") for e in small_project.events],
    )
    path = tmp_path / "doha.yaml"
    projectfile.save(project, path)
    read = projectfile.load(path)
    assert read == project
    assert read.events.columns.texts.buffer.base is not None  # a view, not a copy
    assert canonical.dumps(read).encode() == path.read_bytes()


@settings(max_examples=examples(300))
@given(st.binary(max_size=12) | st.text(max_size=6).map(str.encode), st.integers(1, 4))
def test_bytes_are_found_utf8_a_piece_at_a_time_as_a_whole(raw, piece):
    try:
        raw.decode()
        whole = True
    except UnicodeDecodeError:
        whole = False
    with mock.patch.object(fastread, "_PIECE", piece):  # characters cut between pieces
        assert fastread._utf8(raw) == whole
