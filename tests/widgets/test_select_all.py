"""Selecting every event shows in the Tables panel as one run of rows, and painting it asks
the model about the cells on screen only: Qt asked each row of each column whether the
column was all selected (the model's flags, in Python), ten seconds for the header after
Select All at 100,000 events, and a range a row took another second."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from app.chart.layout import Timeline
from app.fileformat import projectfile
from tests.bench.generate import generate
from widgets import tables

EVENTS = 2000


@pytest.fixture
def counted(make_window, tmp_path, monkeypatch):
    """A window on EVENTS events, its Tables panel shown, and the calls of the model's
    `flags` (the window made after the patch: Qt calls the method the class had)."""
    asked = []
    flags = tables.RecordTableModel.flags
    monkeypatch.setattr(
        tables.RecordTableModel, "flags", lambda self, i: asked.append(1) or flags(self, i)
    )
    path = tmp_path / "many.yaml"
    projectfile.save(generate(EVENTS), path)
    window = make_window()
    window.open_path(str(path))
    window.tables.show()
    QtWidgets.QApplication.processEvents()
    return window, window.tables.tables["events"], asked


def test_select_all_is_one_run_of_rows_and_asks_only_about_cells_shown(counted):
    window, table, asked = counted
    asked.clear()
    window.editing.select_all()
    table.view.viewport().repaint()
    table.view.horizontalHeader().viewport().repaint()
    QtWidgets.QApplication.processEvents()
    assert len(asked) < EVENTS  # the cells on screen, not every row of every column
    selected = table.view.selectionModel().selection()
    assert len(selected) == 1 and selected[0].height() == EVENTS
    assert len(table.view.selectionModel().selectedRows()) == EVENTS


def test_select_all_in_the_table_selects_every_event_asking_only_about_cells_shown(counted):
    window, table, asked = counted
    table.filter.setText("number 1")  # some rows shown (1, 10-19, 100-199...), in its order
    shown = [table.proxy.data(table.proxy.index(r, 0), tables.ROLE_ID) for r in range(9)]
    asked.clear()
    table.view.selectAll()
    QtWidgets.QApplication.processEvents()
    assert len(asked) < EVENTS
    assert window.doc.selection == set(table.proxy.rows_index().ids()[table.proxy.shown_rows()])
    assert set(shown) < window.doc.selection and len(window.doc.selection) < EVENTS


def test_select_all_takes_every_record_and_every_row_shown_then_a_few(counted):
    window, table, _ = counted
    table.filter.setText("number 1")  # some rows shown
    window.editing.select_all()
    p = window.doc.project
    assert window.doc.selection == {e.id for e in p.events} | {d.id for d in p.demands}
    # The inspector edits one kind at a time: it says what is selected (it asked to select)
    said = window.inspector.placeholder.text()
    assert said.startswith(f"Selected: {len(p.events):,} events, {len(p.demands):,} demands.")
    selected = table.view.selectionModel().selection()
    assert len(selected) == 1 and selected[0].height() == table.proxy.rowCount() < EVENTS

    def rows_selected() -> set[str]:
        rows = table.view.selectionModel().selectedRows()
        return {table.proxy.data(index, tables.ROLE_ID) for index in rows}

    shown = set(table.proxy.rows_index().ids()[table.proxy.shown_rows()])
    some = [e.id for e in list(p.events)[:40]]
    window.doc.select(some)
    assert rows_selected() == set(some) & shown and rows_selected()


def cursor_shape():
    cursor = QtWidgets.QApplication.overrideCursor()
    return None if cursor is None else cursor.shape()


def test_the_inspector_shows_many_events_fields_as_one_reading_of_them_shows(make_window, tmp_path):
    """Past a few hundred records it reads their columns, not each record: the same
    values, mixed where they differ; and an edit of them all is one step."""
    from widgets.inspector import MIXED

    project = generate(EVENTS)
    path = tmp_path / "many.yaml"
    projectfile.save(project, path)
    window = make_window()
    window.open_path(str(path))
    inspector, doc = window.inspector, window.doc
    every = [e.id for e in project.events]
    doc.select(every)
    assert inspector.heading.text().startswith(f"<b>{EVENTS} events:</b>")
    tags, kinds = inspector.editors["tags"], inspector.editors["type"]
    assert tags.text() == "generated"  # the same in all
    assert kinds.currentIndex() == -1 and kinds.lineEdit().placeholderText() == MIXED
    cursors = []  # the cursor while the step is pushed: it takes seconds at 100,000
    push = doc.undo_stack.push
    doc.undo_stack.push = lambda cmd: (cursors.append(cursor_shape()), push(cmd))
    inspector.commit("type", "consult")
    del doc.undo_stack.push
    assert cursors == [QtCore.Qt.CursorShape.WaitCursor] and cursor_shape() is None
    assert {doc.get("events", i).type for i in every} == {"consult"}
    assert kinds.currentData() == "consult" and doc.undo_stack.count() == 1
    # All moved to one lane at once: the chart's lanes are those a fresh reading makes.
    lane = doc.project.actors[3].id
    inspector.commit("actor", lane)
    fresh, shown = Timeline(doc.project).layout, window.canvas.timeline.layout
    assert [len(d.lo) for d in shown.lane_events] == [len(d.lo) for d in fresh.lane_events]
    assert len(shown.lane_events[shown.lane_of_actor[lane]].lo) == EVENTS
    doc.undo_stack.undo()
    assert len(window.canvas.timeline.layout.lane_events[shown.lane_of_actor[lane]].lo) < EVENTS


def test_select_all_keys_in_the_events_table_select_its_rows_only(counted, qtbot):
    """Ctrl+A in a table selects what the table lists, as in any table: in the Events
    table, every event and no demand (the inspector then edits them together)."""
    window, table, _ = counted
    window.activateWindow()
    table.view.setFocus()
    qtbot.waitUntil(table.view.hasFocus)
    qtbot.keyClick(table.view, QtCore.Qt.Key.Key_A, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.doc.selection == {e.id for e in window.doc.project.events}
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    qtbot.keyClick(window.canvas, QtCore.Qt.Key.Key_A, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.selection) == EVENTS + len(window.doc.project.demands)
