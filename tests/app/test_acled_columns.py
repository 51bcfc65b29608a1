"""The ACLED reader a column at a time, held to the row by row reader it replaced
(tests/app/acled_before.py, the reader of commit d3976cb kept as it was): on generated
rows, in chunks of a few rows (so that chunks naming something new, read row by row,
and chunks naming nothing new, read a column at a time, follow each other), the same
project file and the same report, whether the events are made as records or kept as
columns with their text (app/importers/eventcolumns.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.fileformat import canonical
from app.importers import acled
from app.importers.base import ProjectBuilder
from app.records.model import Project
from tests.app import acled_before
from tests.bench.acled import HEADER
from tests.bench.acled import rows as bench_rows
from tests.examples import examples

# Names alike but for case and spacing, names that are also ids rows give, a `;` alone.
# Names whose ids YAML would read otherwise (on, y: written quoted, so the events are then
# made as records, those before too).
NAMES = ["Alpha", "alpha ", " ALPHA", "Beta", "Gamma  Group", "gamma group", "yem1", "x;y", ""]
NAMES += ["On"] * (len(NAMES) // 8)
SOURCES = ["A News", "a  news", "B", " B ;A News", "C;;D", ";", "", "yem2", "Ünï", "Y"]
NOTES = [
    "",
    "On 6 February 2022, forces clashed. More.",
    "Around 6 February 2022, ß began. Then.",
    'Said "no" \\ then left.\tTab\x07.',
    "A note\nover two lines. And more.",
    "On 7 March 2021, " + "word " * 40,
    "No end mark …",
]
DATES = ["2021-03-17", "17 March 2021", "2021-02-30", "someday", " 2020-01-02 ", "2022"]


def _cell(options: list[str]) -> st.SearchStrategy[str]:
    """Mostly cells named before (a chunk naming nothing new is read a column at a
    time), now and then another."""
    return st.one_of(*[st.sampled_from(options)] * 6, st.text(alphabet="aB ;é-1", max_size=6))


def _names() -> st.SearchStrategy[str]:
    return st.lists(_cell(NAMES), max_size=3).map("; ".join)


rows = st.fixed_dictionaries(
    {
        "event_id_cnty": st.sampled_from(["", "YEM1", "yem1", " YEM-2 ", "yes", "Alpha", "x y"]),
        "event_date": st.sampled_from(DATES),
        "time_precision": st.sampled_from(["1", "1", "2", "3", " 2 ", "9"]),
        "actor1": _cell(NAMES),
        "inter1": st.sampled_from(["", "Rebel group", "State forces"]),
        "actor2": _cell(NAMES),
        "assoc_actor_1": _names(),
        "assoc_actor_2": _names(),
        "notes": st.sampled_from(NOTES),
        "sub_event_type": st.sampled_from(["Armed clash", " attack ", "Unknown", ""]),
        "location": st.sampled_from(["", " Marib ", "Taizz"]),
        "source": st.lists(_cell(SOURCES), max_size=3).map(";".join),
        "event_type": st.sampled_from(["", "Battles", "Protests"]),
        "country": st.sampled_from(["", "Yemen"]),
        "fatalities": st.sampled_from(["", "0", " 3 "]),
    }
).map(lambda cells: [cells.get(h, "") for h in HEADER])
ragged = st.sampled_from([["YEM-short", "2020-01-02"], [*[""] * len(HEADER), "extra"]])
tables = st.lists(st.one_of(rows, rows, rows, ragged), max_size=30)


def _read(reader, body: list[list[str]], columns: bool) -> tuple[bytes, tuple]:
    b = ProjectBuilder("FILE", Project(title="t"))
    b.events_as_columns = columns
    reader.read((list(HEADER), body), b)
    report = b.finish()
    shape = (report.rows, report.created, report.skipped, report.approximated_rows)
    return bytes(canonical.dumps_utf8(b.project)), shape


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.sampled_from([1, 2, 3, 5]), st.booleans())
@example([[""] * len(HEADER)], 2, True)  # a row of empty cells: no actor1
def test_rows_read_a_column_at_a_time_make_what_rows_read_one_by_one_made(body, chunk, columns):
    before = _read(acled_before, body, False)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(acled, "CHUNK", chunk)
        after = _read(acled, body, columns)
    assert after == before


def test_the_events_kept_as_columns_are_the_records_made_one_by_one():
    body = list(bench_rows(3000))
    made = ProjectBuilder("FILE", Project(title="t"))
    acled.read((list(HEADER), body), made)
    kept = ProjectBuilder("FILE", Project(title="t"))
    kept.events_as_columns = True
    acled.read((list(HEADER), body), kept)
    events = kept.project.events
    assert type(events).__name__ == "EventStore" and type(made.project.events) is list
    assert list(events) == made.project.events
    # The columns, read from the texts when asked for, are those of the records.
    assert events.values("actor") == [e.actor for e in made.project.events]
    assert events.values("with_") == [e.with_ for e in made.project.events]
    assert events.values("title") == [e.title for e in made.project.events]
    assert events.ids() == [e.id for e in made.project.events]
    assert kept.made == made.made and kept.known("events") == made.known("events")


@pytest.mark.parametrize("columns", [False, True])
def test_lanes_and_sources_new_in_a_chunk_take_the_ids_a_row_by_row_reading_gives(columns):
    """A chunk's new lanes, sources and event ids take the ids a row by row reading
    gives: here an event's id is the slug of a lane, of a source, and of the slug with a
    number that a later row's lane would take, each in an earlier row."""
    base = dict(zip(HEADER, next(iter(bench_rows(1, seed=3))), strict=True))
    base.update(assoc_actor_1="", assoc_actor_2="", source="S1")

    def row(**cells) -> list[str]:
        return [cells.get(h, base[h]) for h in HEADER]

    body = [
        row(event_id_cnty="beta", actor1="Alpha", source="S1"),
        row(event_id_cnty="YEM2", actor1="Beta", actor2="Gamma", source="gamma; S1"),
        row(event_id_cnty="delta-2", actor1="Delta", actor2="", source="s2"),
        row(event_id_cnty="YEM4", actor1="delta", actor2="DELTA", assoc_actor_1="Delta; Eps"),
        row(event_id_cnty="eps", actor1="Zeta", actor2="", source="S3"),
        row(event_id_cnty="YEM6", actor1="Zeta", actor2="eps", source="S3; s4"),
    ]
    for chunk in (1024, 2, 3):
        with pytest.MonkeyPatch.context() as m:
            m.setattr(acled, "CHUNK", chunk)
            assert _read(acled, body, columns) == _read(acled_before, body, False)
    # The events' ids are their own, and the new lanes and sources made in row order.
    b = ProjectBuilder("FILE", Project(title="t"))
    b.events_as_columns = columns
    acled.read((list(HEADER), [r for r in body if r[0] not in ("beta", "delta-2", "eps")]), b)
    assert [a.name for a in b.project.actors] == ["Beta", "Gamma", "delta", "Eps", "Zeta"]
    assert [s.title for s in b.project.sources] == ["gamma", "S1", "S3", "s4"]
    assert b.known("events") == {"yem2", "yem4", "yem6"}
