"""The demand column store (app/records/demandstore.py): a project read from its file keeps
its demands as columns, behaves as the plain list of records it stands for, and the chart
places demands from its columns as it places them from records."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.chart.demandindex import DemandIndex, DemandPlaces
from app.fileformat import canonical, projectfile
from app.records.demandstore import CODED, NUMBERS, STRINGS, DemandStore, number
from app.records.eventstore import date_starts, date_texts, values
from app.records.model import STATUSES, Actor, Cite, Demand, Project, Source, StatusChange
from app.records.when import parse
from tests.app.strategies import either, typed, whens
from tests.app.test_eventstore import edit_alike
from tests.examples import scaled

ACTORS = ("a", "b", "c", "d")
# No text, typed text, or non-ASCII and escapes, a third of the time each.
texts = either(st.just(""), typed, st.text('aé Ωب\n"\\', max_size=6))


# Made once, not at each draw (hypothesis works out a new strategy's properties again
# each time one is made): the same values drawn.
_whens = whens()
_actors = st.sampled_from(ACTORS)
_via = st.lists(_actors, max_size=3, unique=True).map(tuple)
_statuses = st.sampled_from(STATUSES)
_history_lengths = st.integers(0, 2)
# Which of two values, as `st.sampled_from((a, b))` picks it (the same choice), made once:
# one made anew at each draw is worked out again at its first draw (about 80 us here).
_either_of_two = st.sampled_from((0, 1))
_cites = st.lists(
    st.builds(Cite, source=st.sampled_from(["s1", "s2"]), quote=texts), max_size=2
).map(tuple)


@st.composite
def negotiations(draw) -> Project:
    """Projects the canonical reader reads (ids plain), with every field of a demand used."""
    demands = []
    for k in range(draw(st.integers(1, 10))):
        raised = draw(_whens)
        demands.append(
            Demand(
                id=f"d{k}",
                from_=draw(_actors),
                to=draw(_actors),
                via=draw(_via),
                text=draw(texts),
                label=draw(texts),
                offer=draw(texts),
                raised=raised,
                status=draw(_statuses),
                resolved=(None, raised)[draw(_either_of_two)],
                history=tuple(
                    StatusChange(when=raised, status=draw(_statuses))
                    for _ in range(draw(_history_lengths))
                ),
                cites=draw(_cites),
            )
        )
    return Project(
        title="Talks",
        sources=[Source(id=s, title=s.upper()) for s in ("s1", "s2")],
        actors=[Actor(id=a, name=a.upper()) for a in ACTORS],
        demands=demands,
    )


def stored(project: Project) -> Project:
    read = projectfile.loads(canonical.dumps(project))
    assert isinstance(read.demands, DemandStore)
    return read


def test_a_project_read_from_its_file_holds_its_demands_as_columns(small_project):
    read = projectfile.loads(canonical.dumps(small_project))
    assert isinstance(read.demands, DemandStore)
    assert read.demands == small_project.demands
    assert canonical.dumps(read) == canonical.dumps(small_project)


ops = st.lists(
    st.tuples(st.sampled_from(["set", "insert", "delete", "reverse"]), st.integers(0, 1000)),
    max_size=12,
)


def _lanes(project) -> dict[str, int]:
    """Lanes for all but the last actor, so some demands have a party with no lane."""
    return {a.id: i for i, a in enumerate(project.actors[:-1] or project.actors)}


@settings(deadline=None, max_examples=scaled(40))
@given(project=negotiations(), steps=ops)
def test_a_demand_store_edited_at_random_is_the_list_edited_alike(project, steps):
    read = stored(project)
    store, model = read.demands, list(read.demands)
    actors = [a.id for a in project.actors]
    for serial, (action, pick) in enumerate(steps):
        if action == "insert" or not model:
            d = Demand(
                id=f"added-{serial}",
                from_=actors[pick % len(actors)],
                to=actors[(pick // 2) % len(actors)],
                via=(actors[0],) if pick % 3 == 0 else (),
                text=f"Asked {serial}",
                raised=parse("2023-11-24~") if pick % 4 else parse("2023-11/2023-12"),
                status="accepted" if pick % 2 else "open",
                resolved=parse("2023-12-01") if pick % 2 else None,
            )
            edit_alike(store, model, "insert", pick % (len(model) + 1), d)
            continue
        k = pick % len(model)
        change = {
            "status": "withdrawn",
            "via": (),
            "label": f"L{pick}",
            "raised": parse("2022"),
            "resolved": None,
            "history": (),
        }
        edit_alike(store, model, action, k, dataclasses.replace(model[k], **change))
    assert list(store) == model and store.ids() == [d.id for d in model]
    for attr in STRINGS + CODED:
        assert values(store, attr) == values(model, attr), attr
    for attr in ("raised", "resolved"):  # as the tables show and sort them
        assert date_texts(store, attr) == date_texts(model, attr)
        assert date_starts(store, attr) == date_starts(model, attr)
    for attr in NUMBERS:
        expected = [number(d, attr) for d in model]
        assert np.array_equal(store.numbers(attr), np.array(expected, float), equal_nan=True)
    edited = dataclasses.replace(read, demands=store)
    assert canonical.dumps(edited) == canonical.dumps(dataclasses.replace(read, demands=model))
    assert projectfile.loads(canonical.dumps(edited)).demands == model
    # The chart places them alike from the columns and from the records.
    lanes = _lanes(project)
    from_columns, from_records = DemandPlaces.of(store, lanes), DemandPlaces.of(model, lanes)
    assert list(from_columns) == list(from_records)
    a, b = DemandIndex.of(from_columns), DemandIndex.of(from_records)
    for field in dataclasses.fields(DemandIndex):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.tolist() == y.tolist(), field.name
        else:
            assert x == y, field.name


@pytest.mark.parametrize("title", ["Talks", "Pourparlers à Doha"], ids=["ascii", "accents"])
def test_a_file_read_from_disk_keeps_its_records_texts_as_read(tmp_path, small_project, title):
    """A file's stores keep views of its bytes, ASCII or not: its records' texts as read."""
    project = dataclasses.replace(small_project, title=title)
    path = tmp_path / "talks.yaml"
    projectfile.save(project, path)
    read = projectfile.load(path)
    for store in (read.events, read.demands):
        texts = store.columns.texts
        whole_file = len(texts.buffer.base) == path.stat().st_size  # a view of its bytes
        assert whole_file
        assert texts.buffer.tobytes() in path.read_bytes()  # the records, as written
    assert read == project and canonical.dumps(read) == path.read_text(encoding="utf-8")
