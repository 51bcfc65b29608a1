"""The record tables driven as a person would: order, sorting, edits."""

from __future__ import annotations

import copy

import pytest
from PySide6 import QtCore

from app.editing import edits
from app.editing.document import Document
from app.fileformat import plain
from app.records.model import Event
from app.records.when import parse
from widgets.tables import ROLE_ID, RecordTable


@pytest.fixture
def doc(small_project):
    return Document(copy.deepcopy(small_project))


def shown(table, column: str) -> list[str]:
    col = next(i for i, c in enumerate(table.model.columns) if c.title == column)
    return [table.proxy.index(r, col).data() for r in range(table.proxy.rowCount())]


def test_events_are_listed_by_date_and_sort_by_any_column(qtbot, doc):
    table = RecordTable(doc, "events")
    qtbot.addWidget(table)
    early = Event(id="early", actor="israel", title="Alarm", when=parse("2023-10-07"))
    doc.undo_stack.push(edits.add(doc, "events", early))  # added last, happened first
    assert shown(table, "When") == ["2023-10-07", "2023-10-20", "2023-11-09/2023-11-10~"]
    header = table.view.horizontalHeader()
    title = next(i for i, c in enumerate(table.model.columns) if c.title == "Title")
    header.sectionClicked.emit(title)
    assert shown(table, "Title") == sorted(shown(table, "Title"))


def test_a_conflicts_value_reads_as_plain_text():
    assert plain.shown(plain.dumps("Russia quits the deal")) == "Russia quits the deal"
    assert plain.shown(plain.dumps(["russia", "turkey"])) == "russia\nturkey"
    assert plain.shown(plain.dumps([{"when": "2022-11", "status": "open"}])) == (
        "- status: open\n  when: 2022-11"
    )
    assert plain.shown("") == "" and plain.shown(plain.dumps(3)) == "3"


def test_dragging_an_actor_row_moves_its_nested_lanes_with_it(qtbot, doc):
    """The table follows the header drag's rule: a lane moves with its nested lanes."""
    table = RecordTable(doc, "actors")
    qtbot.addWidget(table)
    model = table.model
    usa = [a.id for a in model.records()].index("usa")
    mime = model.mimeData([model.index(usa, 0)])
    model.dropMimeData(mime, QtCore.Qt.DropAction.MoveAction, -1, 0, QtCore.QModelIndex())
    assert [a.id for a in doc.project.actors] == ["hamas", "israel", "usa", "cia"]
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert [a.id for a in doc.project.actors] == ["usa", "cia", "hamas", "israel"]


def test_the_filter_panels_ids_keep_the_rows_in_their_sorted_order(qtbot, doc):
    table = RecordTable(doc, "events")
    qtbot.addWidget(table)
    for i, day in enumerate(["2023-10-25", "2023-10-01", "2023-11-30", "2023-10-12"]):
        doc.undo_stack.push(
            edits.add(
                doc, "events", Event(id=f"e{i}", actor="hamas", title=f"E{i}", when=parse(day))
            )
        )
    every = shown(table, "When")
    assert every == sorted(every) and len(every) == 6
    table.proxy.keep(frozenset({"e0", "e2", "e3"}))
    assert shown(table, "When") == ["2023-10-12", "2023-10-25", "2023-11-30"]
    table.proxy.keep(None)  # all back, in date order, not in the file's
    assert shown(table, "When") == every
    header = table.view.horizontalHeader()
    title = next(i for i, c in enumerate(table.model.columns) if c.title == "Title")
    header.sectionClicked.emit(title)  # sorted by title, then filtered
    table.proxy.keep(frozenset({"e3", "e1", "release"}))
    assert (
        shown(table, "Title") == sorted(shown(table, "Title")) and len(shown(table, "Title")) == 3
    )


def test_a_table_on_a_tab_not_shown_is_sized_when_first_shown(qtbot, doc):
    from widgets.tablespanel import TablesPanel

    panel = TablesPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(1200, 400)
    panel.show()
    demands = panel.tables["demands"]
    assert demands._unfitted  # not sized while another tab is on top
    widths = lambda: [demands.view.columnWidth(c) for c in range(demands.model.columnCount())]  # noqa: E731
    before = widths()
    panel.setCurrentWidget(demands)
    qtbot.waitUntil(lambda: not demands._unfitted)
    assert widths() != before  # sized to their contents
    assert not panel.tables["events"]._unfitted


@pytest.mark.parametrize("kind", ["events", "demands", "actors", "phases", "sources"])
def test_a_tables_last_column_reaches_its_right_edge_when_first_shown(qtbot, kind):
    """Sized to their contents, the columns still fill the table: the last one stretches
    (the Sources tab of a generated project, short titles and addresses, once ended a
    third of the way across, blank beyond)."""
    from tests.bench.generate import generate
    from widgets.tablespanel import TablesPanel

    panel = TablesPanel(Document(generate(300)))
    qtbot.addWidget(panel)
    panel.resize(1400, 400)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.tables[kind]
    panel.setCurrentWidget(table)
    qtbot.waitUntil(lambda: not table._unfitted)
    header = table.view.horizontalHeader()
    assert header.length() >= table.view.viewport().width()


def test_an_empty_tables_prose_columns_have_room(qtbot):
    """A new project's Events table: Title was as narrow as its header, Tags took the rest."""
    table = RecordTable(Document(), "events")
    qtbot.addWidget(table)
    table.resize(1200, 300)
    table.show()
    qtbot.waitUntil(lambda: not table._unfitted)
    width = {c.title: table.view.columnWidth(i) for i, c in enumerate(table.model.columns)}
    assert width["Title"] >= 160 and width["Title"] > 2 * width["Type"]


def test_a_table_made_when_its_tab_is_first_shown_shows_the_search_filter_and_selection(qtbot, doc):
    """Only the table on top is made with the panel; one made later starts from what the
    others show: the search box's words, the Filter panel's ids and the selection."""
    from widgets.tables import ROLE_ID
    from widgets.tablespanel import TablesPanel

    def ids(table):
        return [
            table.proxy.data(table.proxy.index(r, 0), ROLE_ID)
            for r in range(table.proxy.rowCount())
        ]

    panel = TablesPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert set(panel.tables.made) == {"events"}
    panel.search("hamas")
    panel.keep(frozenset({"release"}))
    assert ids(panel.tables["events"]) == ["release"]
    panel.setCurrentIndex(1)  # the Demands tab, as a click on it
    demands = panel.tables.made["demands"]
    assert demands.isVisible() and demands.filter.text() == "hamas"
    assert ids(demands) == []  # its one demand is not kept
    panel.keep(frozenset({"release", "drones"}))
    assert ids(demands) == ["drones"]
    doc.select(["hamas"])
    actors = panel.tables["actors"]  # asked for: made, on its tab behind the others
    assert not actors.isVisible() and actors.filter.text() == "hamas"
    assert ids(actors) == ["hamas"] and actors.selected_ids() == ["hamas"]
    assert set(panel.tables.made) == {"events", "demands", "actors"}


def _cell_editor(qtbot, table, column: str, row: int = 0):
    col = next(i for i, c in enumerate(table.model.columns) if c.title == column)
    index = table.proxy.index(row, col)
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    return index, qtbot.waitUntil(lambda: table.view.indexWidget(index) is not None) or (
        table.view.indexWidget(index)
    )


def test_a_status_cell_is_edited_in_the_list_of_statuses_and_asks_when(qtbot, doc, monkeypatch):
    """It was a line of text, where the inspector has a list; what is chosen is dated, as
    in the inspector."""
    from PySide6 import QtWidgets

    from widgets import dialogs

    asked = []
    monkeypatch.setattr(
        dialogs, "ask_status_date", lambda *a, **k: asked.append(a[3]) or (parse("2023-11-22"), "")
    )
    table = RecordTable(doc, "demands")
    qtbot.addWidget(table)
    table.show()
    index, combo = _cell_editor(qtbot, table, "Status")
    assert isinstance(combo, QtWidgets.QComboBox) and not combo.isEditable()
    assert combo.currentData() == "accepted"  # the demand's own
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == ["open", "accepted", "rejected", "withdrawn", "partial"]
    combo.setCurrentIndex(combo.findData("withdrawn"))  # as a click in the list does
    combo.activated.emit(combo.currentIndex())
    demand = doc.get("demands", "drones")
    assert asked == ["withdrawn"] and demand.status == "withdrawn"
    assert demand.resolved == parse("2023-11-22")
    qtbot.waitUntil(lambda: table.view.indexWidget(index) is None)  # the list is closed


def test_a_free_choice_cell_takes_a_choice_or_any_text(qtbot, doc):
    """An event's type: one of the list's, or the analyst's own word."""
    table = RecordTable(doc, "events")
    qtbot.addWidget(table)
    table.show()
    index, combo = _cell_editor(qtbot, table, "Type")
    assert combo.isEditable() and combo.currentText() == "release"
    event_id = index.data(ROLE_ID)
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "ceasefire talks")  # a word of the analyst's own
    qtbot.keyClick(combo.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert doc.get("events", event_id).type == "ceasefire talks"  # (it was saved as "None")
    qtbot.waitUntil(lambda: table.view.indexWidget(index) is None)
    index, combo = _cell_editor(qtbot, table, "Type")
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "assault")  # one of the list's, typed
    qtbot.keyClick(combo.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert doc.get("events", event_id).type == "assault"


def test_escape_clears_a_tables_filter(qtbot, doc):
    table = RecordTable(doc, "events")
    qtbot.addWidget(table)
    table.show()
    qtbot.keyClicks(table.filter, "doha")
    assert table.proxy.rowCount() == 1
    qtbot.keyClick(table.filter, QtCore.Qt.Key.Key_Escape)
    assert table.filter.text() == "" and table.proxy.rowCount() == 2
