"""The tables' rows as arrays (widgets/tablerows.py): what they show is what a plain Python
filter and sort of the records show, for any filter, sort and search; and the real table,
driven as a person would at a few thousand rows."""

from __future__ import annotations

import functools
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6 import QtCore
from PySide6.QtTest import QTest

from app.editing import edits
from app.editing.document import Document
from app.fileformat import canonical, projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.bench.generate import generate
from tests.examples import examples, scaled
from tests.widgets.test_filterpanel import tick
from widgets.tablerows import _descending, _less, _moved
from widgets.tables import ROLE_ID, RecordTable

DISPLAY, SORT_KEY = QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.UserRole
ACTORS = [Actor(id="a", name="Alba"), Actor(id="b", name="beta"), Actor(id="c", name="ALBA")]
DAYS = ["2023-01-05", "2023-01-05~", "2023-02", "2022/2023", "2023", "../2023-01-05"]
WORDS = st.sampled_from(["talks", "Talks", "truce", "", "ÉTÉ", "été", "a b", "10"])


# Made once, not at each draw (hypothesis works out a new strategy's properties again
# each time one is made): the same values drawn.
_days = st.sampled_from(DAYS)
_actor_ids = st.sampled_from(["a", "b", "c"])
_with = st.lists(_actor_ids, max_size=2).map(tuple)
_titles = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
_types = st.sampled_from(["", "consult", "Reject"])
_tags = st.lists(st.sampled_from(["x", "Y", "x y"]), max_size=2).map(tuple)


@st.composite
def events(draw) -> list[Event]:
    n = draw(st.integers(0, 25))
    out = []
    for i in range(n):
        day = draw(_days)
        out.append(
            Event(
                id=f"e{i}",
                actor=draw(_actor_ids),
                with_=draw(_with),
                title=draw(_titles),
                when=parse(day),
                type=draw(_types),
                tags=draw(_tags),
            )
        )
    return out


def expected(model, kept, column: int, descending: bool, text: str) -> list[int]:
    """The model's rows as a QSortFilterProxyModel over it showed them: every cell's text
    searched ignoring case, then a stable sort on the model's sort keys, one by one."""
    rows = list(range(model.rowCount()))
    if kept is not None:
        rows = [r for r in rows if model.records()[r].id in kept]
    if text:
        cells = range(model.columnCount())
        rows = [
            r
            for r in rows
            if any(
                text.lower() in str(model.index(r, c).data(DISPLAY)).lower()
                for c in cells
                if model.index(r, c).data(DISPLAY) is not None
            )
        ]
    if column >= 0:
        key = functools.cmp_to_key(_less)
        rows.sort(key=lambda r: key(model.index(r, column).data(SORT_KEY)), reverse=descending)
    return rows


def shown_rows(table) -> list[int]:
    proxy = table.proxy
    return [proxy.mapToSource(proxy.index(i, 0)).row() for i in range(proxy.rowCount())]


@settings(
    max_examples=scaled(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    records=events(),
    kept_every=st.one_of(st.none(), st.integers(1, 4)),
    column=st.integers(-1, 7),
    descending=st.booleans(),
    text=st.sampled_from(["", "talks", "ALBA", "é", "2023", "x y", ", ", "0", "e1", "nothing"]),
    edited=st.integers(0, 30),
    redated=st.lists(st.tuples(st.integers(0, 30), _days), max_size=3),
    from_file=st.booleans(),
)
def test_the_rows_shown_are_a_plain_filter_and_sort(
    qapp, records, kept_every, column, descending, text, edited, redated, from_file
):
    """On records in a list, and read from a file (a store: its coded columns searched a
    distinct value at a time)."""
    project = Project(actors=list(ACTORS), events=records)
    if from_file:
        project = projectfile.loads(canonical.dumps(project))
    doc = Document(project)
    table = RecordTable(doc, "events")
    kept = None if kept_every is None else frozenset(e.id for e in records[::kept_every])
    table.proxy.keep(kept)
    order = (
        QtCore.Qt.SortOrder.DescendingOrder if descending else QtCore.Qt.SortOrder.AscendingOrder
    )
    table.view.sortByColumn(column, order)
    table.filter.setText(text)
    assert shown_rows(table) == expected(table.model, kept, column, descending, text)
    if records:  # a row edited in place is shown, sorted and searched as it now reads
        record = records[edited % len(records)]
        doc.undo_stack.push(edits.set_field(doc, "events", record.id, "title", "Talks again"))
        assert shown_rows(table) == expected(table.model, kept, column, descending, text)
        doc.undo_stack.undo()
        assert shown_rows(table) == expected(table.model, kept, column, descending, text)
        # Dates changed one after another: a date column's order is mended, not sorted again
        pushed = 0
        for k, day in redated:
            record = records[k % len(records)]
            change = edits.set_field(doc, "events", record.id, "when", parse(day))
            if change is not None:  # None: the same date
                doc.undo_stack.push(change)
                pushed += 1
            assert shown_rows(table) == expected(table.model, kept, column, descending, text)
        for _ in range(pushed):
            doc.undo_stack.undo()
            assert shown_rows(table) == expected(table.model, kept, column, descending, text)
    table.deleteLater()


def test_each_column_shows_as_many_rows_as_it_shows_one(qapp, small_project):
    """A column's values for every row at once are its values one by one."""
    for project in (generate(300), small_project):
        doc = Document(project)
        for kind in ("events", "demands", "actors", "phases", "sources"):
            table = RecordTable(doc, kind)
            index = table.proxy.rows_index()
            for col, column in enumerate(table.model.columns):
                assert index.values(col) == [column.show(r) for r in doc.records(kind)], (
                    kind,
                    column.title,
                )
                if column.sort:
                    assert index.keys(col) == [column.sort(r) for r in doc.records(kind)]
            table.deleteLater()


def test_a_person_sorts_searches_and_filters_a_big_events_table(window, tmp_path, qtbot):
    path = tmp_path / "big.yaml"
    projectfile.save(generate(3000), path)
    window.open_path(str(path))
    table = window.tables.tables["events"]
    doc = window.doc
    titles = [c.title for c in table.model.columns]
    title, when = titles.index("Title"), titles.index("When")

    def column(col: int) -> list:
        return [table.proxy.index(r, col).data() for r in range(table.proxy.rowCount())]

    def lo(text: str) -> float:
        return parse(text).lo

    assert table.proxy.rowCount() == 3000
    dates = [lo(t) for t in column(when)]
    assert dates == sorted(dates)  # in the order they happened
    header = table.view.horizontalHeader()
    x = header.sectionViewportPosition(title) + header.sectionSize(title) // 2
    for _ in range(2):  # a click sorts by the column, a second the other way
        QTest.mouseClick(
            header.viewport(), QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(x, 5)
        )
        assert header.sortIndicatorSection() == title
        down = header.sortIndicatorOrder() == QtCore.Qt.SortOrder.DescendingOrder
        by_title = column(title)
        assert by_title == sorted(by_title, key=str.lower, reverse=down) and len(by_title) == 3000

    def row_text(r: int) -> str:
        cells = (table.proxy.index(r, c).data() for c in range(len(titles)))
        return " ".join(str(v) for v in cells if v is not None).lower()

    table.view.selectRow(5)  # a selected row stays selected while it is shown
    chosen = table.selected_ids()
    assert len(chosen) == 1 and doc.selection == set(chosen)
    number = doc.get("events", chosen[0]).title.split()[2]  # "Event number 123 about …"
    QTest.mouseClick(table.filter, QtCore.Qt.MouseButton.LeftButton)
    QTest.keyClicks(table.filter, number)
    shown = table.proxy.rowCount()
    assert 0 < shown < 3000 and all(number in row_text(r) for r in range(shown))
    every = sum(
        number in " ".join(map(str, (c.show(e) for c in table.model.columns if not c.flag))).lower()
        for e in doc.project.events
    )
    assert shown == every
    assert table.selected_ids() == chosen and doc.selection == set(chosen)
    found = column(title)
    assert found == sorted(found, key=str.lower, reverse=down)
    actor = doc.get("events", chosen[0]).actor
    tick(window.filters.actors, actor)  # the Filter panel's filter narrows the search's rows
    kept = [table.proxy.index(r, 0).data(ROLE_ID) for r in range(table.proxy.rowCount())]
    assert kept and all(doc.get("events", i).actor == actor for i in kept)
    assert len(kept) < shown and table.selected_ids() == chosen
    table.filter.clear()
    window.filters.clear()
    assert table.proxy.rowCount() == 3000 and table.selected_ids() == chosen


def test_a_drop_on_the_sorted_actors_table_lands_before_the_row_it_is_dropped_on(
    qtbot, small_project
):
    doc = Document(small_project)
    table = RecordTable(doc, "actors")
    qtbot.addWidget(table)
    table.view.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)  # by name, Z to A
    proxy = table.proxy
    names = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert names == ["United States", "Israel", "Hamas", "CIA"]
    move = QtCore.Qt.DropAction.MoveAction
    hamas = proxy.mimeData([proxy.index(2, 0)])
    assert proxy.canDropMimeData(hamas, move, proxy.rowCount(), 0, QtCore.QModelIndex())
    proxy.dropMimeData(hamas, move, proxy.rowCount(), 0, QtCore.QModelIndex())  # at the end
    assert [a.id for a in doc.project.actors] == ["usa", "cia", "israel", "hamas"]
    israel = proxy.mimeData([proxy.index(1, 0)])
    proxy.dropMimeData(israel, move, 0, 0, QtCore.QModelIndex())  # before the United States
    assert [a.id for a in doc.project.actors] == ["israel", "usa", "cia", "hamas"]
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == names  # still sorted
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert [a.id for a in doc.project.actors] == ["usa", "cia", "hamas", "israel"]


def test_a_filtered_table_of_a_project_read_from_its_file_makes_no_record(qapp, monkeypatch):
    """The Filter panel's kept ids are matched to the rows from the store's id column: no
    event is read from its text (at a million events, each made took minutes in all)."""
    from app.records.eventstore import EventStore

    project = projectfile.loads(canonical.dumps(generate(300)))
    assert isinstance(project.events, EventStore)
    doc = Document(project)
    table = RecordTable(doc, "events")
    made = []
    store = project.events
    read = store._read_record
    monkeypatch.setattr(store, "_read_record", lambda text: made.append(1) or read(text))
    store._made.clear()
    kept = frozenset(store.ids()[::3])
    table.proxy.keep(kept)
    assert table.proxy.rowCount() == len(kept)
    assert len(made) < 100  # those a paint asks for, at most: not every event
    table.deleteLater()


KEYS = st.sampled_from([-math.inf, -1.0, 0.0, 1.5, 2.0, 3.0, math.inf])  # a date's start, or none
TEXT_KEYS = st.sampled_from(["", "a", "ab", "b", "é", "z", "ß", "\U0001f600"])  # titles, lowered


@settings(max_examples=examples(200), deadline=None)
@given(
    texts=st.booleans(),
    keys=st.data(),
)
def test_an_order_mended_row_by_row_is_the_order_sorted_again(texts, keys):
    """Keys with many ties (numbers, or texts in code point order as a table sorts them),
    changed a few at a time: the mended order is a stable sort's."""
    of = TEXT_KEYS if texts else KEYS
    changes = keys.draw(st.lists(st.tuples(st.integers(0, 29), of), max_size=6))
    keys = keys.draw(st.lists(of, min_size=1, max_size=30))
    array = np.array(keys, dtype=np.dtypes.StringDType() if texts else float)
    up = np.argsort(array, kind="stable")
    ordered = array[up]
    for row, key in changes:
        row %= len(keys)
        array[row] = key
        up, ordered = _moved(up, ordered, row, key)
        assert up.tolist() == np.argsort(array, kind="stable").tolist()
        assert ordered.tolist() == sorted(array.tolist())
        down = _descending(up, ordered[1:] == ordered[:-1]).tolist()
        assert down == sorted(range(len(keys)), key=array.__getitem__, reverse=True)
