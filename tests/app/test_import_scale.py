"""Big imports: rows parsed as they are read (the file never held whole), the same records
whether the rows stream or are kept, a project too large for a file refused as soon as it
is, and the text checks that make streaming safe (NUL bytes, encodings, a file that
changes under the reader)."""

from __future__ import annotations

import csv
import functools
import io
import re
from string import ascii_lowercase

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli.main import main
from app.fileformat import canonical, projectfile, writtensize
from app.importers import ImportFailed, acled, import_files, registry, textread
from app.importers.base import slug_lines
from app.records.model import Cite, Event, Project
from tests.app.strategies import either, letters, plain_texts, projects, whens
from tests.bench.acled import HEADER, rows
from tests.examples import examples, scaled


@functools.cache
def acled_rows() -> list[list[str]]:
    """Made once for the module (drawing them took most of its time): the generator is
    seeded, so its first n rows are what rows(n) gives."""
    return list(rows(6000))


def acled_csv(tmp_path, n: int, extra: list[list[str]] = ()) -> str:
    """n rows shaped like real ACLED rows (tests/bench/acled.py), then `extra` rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(acled_rows()[:n])
    writer.writerows(extra)
    path = tmp_path / "acled.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def test_streamed_rows_make_the_same_project_as_rows_kept(tmp_path, monkeypatch):
    big = ["YEM-big", "2020-01-01", *[""] * 5, "Somebody", *[""] * 19, "x" * 200_000, "0", "", ""]
    ragged = ["YEM-short", "2020-01-02"]
    no_actor = ["YEM-none", "2020-01-03", *[""] * 29]
    path = acled_csv(tmp_path, 3000, [big, ragged, no_actor])
    kept, [(_, _, kept_report)] = import_files([path], sources={})  # as the dialog reads
    monkeypatch.setattr(registry, "csv_file_rows", None)  # the table is never built whole
    streamed, [(_, _, report)] = import_files([path])  # as the command line reads
    assert canonical.dumps(streamed) == canonical.dumps(kept)
    # (The rows after one left out for its big cell are numbered one short, as before.)
    assert (
        sorted(report.skipped)
        == sorted(kept_report.skipped)
        == [
            f"{path}:3002: 2 cells where the header has 31",
            f"{path}:3002: a cell of 195 KB (the limit is 128 KB)",
            f"{path}:3003: no actor1",
        ]
    )
    assert report.rows == 3002 and report.created["events"] == 3000
    assert report.approximated_rows == kept_report.approximated_rows


def test_a_project_too_large_for_a_file_is_refused_early(tmp_path, monkeypatch, capsys):
    path = acled_csv(tmp_path, 6000)
    monkeypatch.setattr(projectfile, "MAX_FILE_BYTES", 2 * 2**20)  # about 2,000 rows' worth
    out = tmp_path / "out.yaml"
    assert main(["import", path, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "more than the 2 MiB a project file may be" in err and not out.exists()
    rows_read = int(re.search(r"after ([\d,]+) rows", err)[1].replace(",", ""))
    assert 2000 <= rows_read <= 4000  # said once it passed the limit, not after 6,000 rows


def test_a_project_that_fits_is_not_refused_by_the_guess(tmp_path, monkeypatch):
    path = acled_csv(tmp_path, 6000)
    project, _ = import_files([path])
    size = len(canonical.dumps_utf8(project))
    monkeypatch.setattr(projectfile, "MAX_FILE_BYTES", size)  # just fits: counted, not guessed
    project, [(_, _, report)] = import_files([path])
    assert report.created["events"] == 6000


# ------------------------------------------------------------------ the size floor


def _records_size(kind: str, records: list) -> int:
    """The bytes of the records in the canonical text (their section's line left out)."""
    with_records = Project(title="t", **{kind: records})
    empty = Project(title="t")
    extra = 0 if kind in ("actors", "events") else len(f"{kind}:\n")
    return len(canonical.dumps_utf8(with_records)) - len(canonical.dumps_utf8(empty)) + 3 - extra


@settings(max_examples=scaled(60), deadline=None)
@given(projects())
def test_the_size_floor_is_never_more_than_the_file(project):
    for kind in ("sources", "actors", "phases", "events", "demands"):
        records = getattr(project, kind)
        if records:
            assert writtensize.floor(kind, records) <= _records_size(kind, records)


plain_ids = st.builds("e{}".format, letters(ascii_lowercase + "-", 1, 8))


# Made once, not at each draw (hypothesis works out a new strategy's properties again
# each time one is made): the same values drawn.
_event_ids = st.lists(plain_ids, min_size=1, max_size=6, unique=True)
_with = st.lists(plain_ids, max_size=3).map(tuple)
_whens = whens()
_cites = st.lists(plain_ids.map(lambda s: Cite(source=s)), max_size=2).map(tuple)
_tags = st.lists(plain_ids, max_size=2).map(tuple)


@st.composite
def plain_events(draw) -> list[Event]:
    ids = draw(_event_ids)
    return [
        Event(
            id=i,
            actor=draw(plain_ids),
            with_=draw(_with),
            title=draw(plain_texts),
            when=draw(_whens),
            type=draw(plain_texts),
            text=draw(plain_texts),
            cites=draw(_cites),
            tags=draw(_tags),
        )
        for i in ids
    ]


@settings(max_examples=scaled(80), deadline=None)
@given(plain_events())
def test_the_size_floor_is_the_size_of_plain_text(events):
    assert writtensize.floor("events", events) == _records_size("events", events)


# ------------------------------------------------------------------ reading text


def test_a_nul_past_the_first_chunk_is_found_at_its_line(tmp_path):
    path = tmp_path / "a.csv"
    line = b"actor,title,when\n"
    path.write_bytes(line * (2 * textread.CHUNK // len(line)) + b"A,\x00,2023\n")
    lines = 2 * textread.CHUNK // len(line) + 1
    with pytest.raises(ImportFailed, match=f"{path}: line {lines}: binary data"):
        import_files([str(path)])


def test_a_bad_byte_late_in_the_file_reads_all_of_it_as_windows_1252(tmp_path):
    path = tmp_path / "a.csv"
    head = "actor,title,when\nA,Café,2023\n".encode()  # UTF-8 at the start
    filler = (b"A,Talks " + b"y" * 2000 + b",2023\n") * (textread.CHUNK // 2000 + 10)
    path.write_bytes(head + filler + b"A,Caf\xe9,2023\n")
    project, [(_, _, report)] = import_files([str(path)])
    assert project.events[0].title == "CafÃ©" and project.events[-1].title == "Café"
    assert "not UTF-8: read as Windows-1252" in report.approximated[0]


def test_a_character_cut_by_a_chunk_stays_utf_8(tmp_path):
    path = tmp_path / "a.csv"
    data = b"actor,title,when\n"
    while len(data) < textread.CHUNK - 3000:
        data += b"A,Talks " + b"y" * 2000 + b",2023\n"
    data += b"A," + b"x" * (textread.CHUNK - len(data) - 3) + b"\xc3"  # é cut in two
    path.write_bytes(data + b"\xa9,2023\n")
    project, [(_, _, report)] = import_files([str(path)])
    assert project.events[-1].title.endswith("xé") and not report.approximated


def test_a_file_that_changes_between_check_and_reading_is_not_read(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("actor,title,when\nA,One,2023\n")
    check = textread.check_text(str(path))
    path.write_text("actor,title,when\nA,One,2023\nA,Two,2024\n")
    with pytest.raises(ImportFailed, match="changed while it was read"):
        textread.open_checked(str(path), check)


def test_utf_16_that_does_not_decode_is_said_so(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\xfe" + "actor,title\n".encode("utf-16-le") + b"\x00\xd8")
    with pytest.raises(ImportFailed, match="not readable as UTF-16"):
        import_files([str(path)])


# ------------------------------------------------------------------ titles


def first_sentence_reference(text: str) -> str:
    """The title as it was made before it was made without copying the note."""
    opening = acled._DATE_OPENING.match(text) if text[:1] in "OIAB" else None
    if opening and len(text) > opening.end():
        text = text[opening.end()].upper() + text[opening.end() + 1 :]
    end = -1
    for at, ch in enumerate(text):
        if at and ch in ".!?" and (at + 1 == len(text) or text[at + 1].isspace()):
            end = at
            break
    if end > 0 and "\n" not in text[:end]:
        text = text[: end + 1]
    sentence = text.strip()
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"


pieces = st.sampled_from(
    [
        "On 6 February 2022, ",
        "On or around 6 February 2022 (between 1-6 February), ",
        "In February 2022, ",
        "ß",
        "ŉ",
        ".",
        "!",
        "?",
        " ",
        "\n",
        "\u00a0",
        "Mr. ",
        "x" * 170,
        "é",
    ]
)


@settings(max_examples=examples(500))
@given(st.lists(either(pieces, st.text(max_size=4)), max_size=10).map("".join))
def test_titles_are_the_first_sentence_as_before(text):
    assert acled._first_sentence(text) == first_sentence_reference(text)


# Slugs a line each, as `slug` keeps them (no hyphen at the end or two in a row), but for
# their length: the pattern `plain_ids` asked before `slug_lines`.
SLUGS = re.compile(r"(?:[a-z](?:-?[a-z0-9])*\n)*[a-z](?:-?[a-z0-9])*")


@settings(max_examples=examples(1000))
@given(st.lists(st.text(alphabet="ab09-\n_Aé ", max_size=6), min_size=1, max_size=5).map("\n".join))
def test_slug_lines_are_what_the_pattern_reads_as_slugs(text):
    assert slug_lines(text) == (SLUGS.fullmatch(text) is not None)


def test_ids_made_alike_take_the_next_free_number():
    from app.importers.base import ProjectBuilder

    b = ProjectBuilder("x")
    b.ids.add("talks-3")
    made = [b.new_id("Talks", "event") for _ in range(4)] + [b.new_id("yes", "event")]
    assert made == ["talks", "talks-2", "talks-4", "talks-5", "yes-2"]
