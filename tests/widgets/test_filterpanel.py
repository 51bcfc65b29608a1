"""The Filter panel and saved views, driven as a person would: ticking, typing, choosing a
view from the toolbar's box or the View menu, saving the filter as a view."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.fileformat import projectfile
from app.records.model import Actor, Event, Project, View
from app.records.when import parse


def tick(box: QtWidgets.QListWidget, value: str) -> None:
    for i in range(box.count()):
        if box.item(i).data(QtCore.Qt.ItemDataRole.UserRole) == value:
            box.item(i).setCheckState(QtCore.Qt.CheckState.Checked)
            return
    raise AssertionError(f"no {value!r} to tick")


def offered(box: QtWidgets.QListWidget) -> set[str]:
    return {box.item(i).data(QtCore.Qt.ItemDataRole.UserRole) for i in range(box.count())}


def test_ticking_an_actor_keeps_its_nested_lanes_and_dims_the_rest(
    window, saved, qtbot, monkeypatch
):
    window.open_path(str(saved))
    panel = window.filters
    assert panel.count.text() == "Shown: all 2 events and 1 demand (no filter)"
    where = panel.actors.mapTo(panel, QtCore.QPoint(0, 0))
    tick(panel.actors, "usa")  # the CIA's lane is nested in the United States
    # The CIA's talks, and the demand the United States mediates.
    assert window.canvas.view.filtered == frozenset({"talks", "drones"})
    assert panel.count.text() == "Shown: 1 of 2 events, 1 of 1 demand"
    assert panel.shown_label.text() == "Filter: 1 of 2 events, 1 of 1 demand"  # status bar
    assert (
        panel.actors.mapTo(panel, QtCore.QPoint(0, 0)) == where
    )  # nothing moved under the pointer
    assert not window.canvas.view.hide_filtered
    panel.hide_out.setChecked(True)
    assert window.canvas.view.hide_filtered
    shown, set_filter = [], window.canvas.set_filter
    monkeypatch.setattr(window.canvas, "set_filter", lambda *a: (shown.append(a), set_filter(*a)))
    qtbot.keyClicks(panel.words, "women")  # and every word: no event is both
    assert shown == []  # not a letter at a time (a frame each, 70-100 ms at 100,000 events)
    qtbot.waitUntil(lambda: window.canvas.view.filtered == frozenset())
    assert len(shown) == 1
    panel.clear()
    assert window.canvas.view.filtered is None and panel.shown_label.text() == ""
    assert panel.count.text() == "Shown: all 2 events and 1 demand (no filter)"


def test_the_search_box_and_the_filter_both_narrow(window, saved, qtbot):
    window.open_path(str(saved))
    tick(window.filters.types, "material cooperation")  # a release; types leave demands out
    assert window.canvas.view.filtered == frozenset({"release"})
    qtbot.keyClicks(window.search, "doha")
    assert window.canvas.view.filtered == frozenset()  # the search finds the talks, not the release


def test_a_filter_saved_as_a_view_is_chosen_again_from_the_toolbar_and_the_menu(
    window, saved, qtbot, monkeypatch
):
    window.open_path(str(saved))
    window.canvas.set_time_range(parse("2023-10-01").lo, parse("2023-11-01").lo)
    tick(window.filters.status, "accepted")
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Settled demands", True)
    )
    window.filters.save_view()
    (view,) = window.doc.project.views
    assert (view.id, view.status, view.zoom.text) == (
        "settled-demands",
        ("accepted",),
        "2023-10-01/2023-11-01",
    )
    assert window.filters.views.currentText() == "Settled demands"
    window.filters.clear()
    assert window.canvas.view.filtered is None
    box = window.filters.views
    box.setCurrentIndex(box.findData("settled-demands"))
    box.activated.emit(box.currentIndex())  # as a choice in the toolbar's box
    assert window.canvas.view.filtered == frozenset({"drones"})
    assert abs(window.canvas.view.t0 - parse("2023-10-01").lo) < 86400 * 3  # opened at its zoom
    window.actions_["undo"].trigger()
    assert window.doc.project.views == [] and box.findData("settled-demands") < 0
    assert box.currentText() == "(custom filter)"  # the filter stays; it is no view now


def test_the_view_menu_lists_the_saved_views(window, saved, qtbot):
    window.open_path(str(saved))
    window.doc.undo_stack.push(
        __import__("app.editing.edits").editing.edits.add(
            window.doc, "views", View(id="v", title="Hamas only", actors=("hamas",))
        )
    )
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    saved_views = next(a.menu() for a in menu.actions() if a.text() == "Saved &Views")
    saved_views.aboutToShow.emit()
    entry = next(a for a in saved_views.actions() if a.text() == "Hamas only")
    entry.trigger()
    assert window.canvas.view.filtered == frozenset({"release", "drones"})  # a demand Hamas makes


def test_a_table_whose_rows_are_all_left_out_says_so(window, saved, qtbot):
    window.open_path(str(saved))
    events, demands = (window.tables.tables[k] for k in ("events", "demands"))
    assert not events.nothing.isVisible() and not demands.nothing.isVisible()
    tick(window.filters.types, "material cooperation")  # an event type: no demand kept
    assert not demands.nothing.isHidden() and events.nothing.isHidden()
    assert demands.nothing.text() == "No demands match the filter or the search."
    # and the panel says why (a saved view of event types seemed to lose every demand)
    assert window.filters.count.text().endswith(
        ", 0 of 1 demand (demands have no type, tag or credibility)"
    )
    window.filters.clear()
    assert demands.nothing.isHidden()
    qtbot.keyClicks(events.filter, "no such words")
    assert not events.nothing.isHidden()


def test_the_tables_show_what_the_filter_keeps(window, saved):
    window.open_path(str(saved))
    events = window.tables.tables["events"]
    assert events.proxy.rowCount() == 2
    tick(window.filters.actors, "hamas")
    assert events.proxy.rowCount() == 1
    assert events.proxy.index(0, 0).data(QtCore.Qt.ItemDataRole.UserRole + 1) == "release"
    assert window.tables.tables["demands"].proxy.rowCount() == 1  # Hamas makes it
    window.filters.clear()
    assert events.proxy.rowCount() == 2


def test_the_count_and_the_hide_box_are_in_sight_without_scrolling_the_dock(window, saved):
    """At the window's first size the panel is taller than its dock: what the filter keeps,
    and the choice to hide the rest, must not sit below the fold."""
    window.open_path(str(saved))
    window.docks["filter"].raise_()
    QtWidgets.QApplication.processEvents()
    tick(window.filters.actors, "usa")
    QtWidgets.QApplication.processEvents()
    area = window.docks["filter"].widget()
    sight = area.viewport().rect()
    for widget in (window.filters.count, window.filters.hide_out):
        where = widget.mapTo(area.viewport(), QtCore.QPoint(0, 0))
        assert sight.contains(QtCore.QRect(where, widget.size())), widget


def test_for_a_big_project_the_filter_is_worked_out_off_the_gui_thread(
    window, saved, qtbot, monkeypatch
):
    from widgets import filterpanel

    monkeypatch.setattr(filterpanel, "BACKGROUND_FROM", 0)  # as if the project were big
    window.open_path(str(saved))
    tick(window.filters.actors, "hamas")
    assert window.filters.task is not None  # being made on its thread
    qtbot.waitUntil(
        lambda: window.canvas.view.filtered == frozenset({"release", "drones"}), timeout=10_000
    )
    # An edit makes new columns; the filter follows once they are made.
    window.doc.undo_stack.push(
        __import__("app.editing.edits").editing.edits.set_field(
            window.doc, "events", "talks", "actor", "hamas"
        )
    )
    qtbot.waitUntil(
        lambda: window.canvas.view.filtered == frozenset({"release", "drones", "talks"}),
        timeout=10_000,
    )


def test_a_big_projects_count_wraps_rather_than_widening_the_panel(window, saved):
    """At 100,000 events the count's one line was wider than the dock: the panel scrolled
    sideways, the count and the Clear button cut at the dock's edge."""
    window.open_path(str(saved))
    window.docks["filter"].raise_()
    window.filters.count.setText("Shown: all 100000 events and 20000 demands (no filter)")
    QtWidgets.QApplication.processEvents()
    area = window.docks["filter"].widget()
    assert area.horizontalScrollBar().maximum() == 0
    sight = area.viewport().rect()
    clear = next(
        b for b in window.filters.findChildren(QtWidgets.QPushButton) if "Clear" in b.text()
    )
    for widget in (window.filters.count, clear):
        where = widget.mapTo(area.viewport(), QtCore.QPoint(0, 0))
        assert sight.contains(QtCore.QRect(where, widget.size())), widget


def test_the_types_and_tags_offered_are_those_the_events_use_edits_included(window, saved):
    window.open_path(str(saved))  # read from its file: the events are a store's columns
    panel = window.filters

    assert "release" in offered(panel.types) and offered(panel.tags) == {"hostages"}
    doc = window.doc
    talks = doc.get("events", "talks")
    doc.undo_stack.push(edits.set_field(doc, "events", "talks", "tags", ("talks", "doha")))
    assert offered(panel.tags) == {"hostages", "talks", "doha"}
    doc.undo_stack.undo()
    assert offered(panel.tags) == {"hostages"} and doc.get("events", "talks") == talks


def test_a_hidden_panel_offers_what_changed_meanwhile_when_shown_or_a_view_is_chosen(window, saved):
    window.open_path(str(saved))
    panel, dock, doc = window.filters, window.docks["filter"], window.doc
    dock.hide()  # behind the inspector's tab, as it opens
    doc.undo_stack.push(edits.set_field(doc, "events", "talks", "tags", ("doha",)))
    assert panel.count.text() == "Shown: all 2 events and 1 demand (no filter)"
    dock.show()
    assert offered(panel.tags) == {"hostages", "doha"}
    dock.hide()
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "tags", ("cairo",)))
    doc.undo_stack.push(edits.add(doc, "views", View(id="cairo", title="Cairo", tags=("cairo",))))
    panel.choose_view(panel.views.findData("cairo"))  # from the toolbar's box
    assert window.canvas.view.filtered == frozenset({"release"})
    # A filter on: each edit applies it again, the panel hidden or not
    doc.undo_stack.push(edits.set_field(doc, "events", "talks", "tags", ("cairo",)))
    assert window.canvas.view.filtered == frozenset({"release", "talks"})


def ticked(box: QtWidgets.QListWidget) -> set[str]:
    checked = QtCore.Qt.CheckState.Checked
    return {
        box.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() == checked
    }


def test_a_filter_on_while_hidden_is_the_filter_the_panel_shows(window, saved, tmp_path):
    """A tick on a value no event has any more goes, hidden or not; and another project
    opened while the panel is hidden is not filtered by an actor it does not have."""
    window.open_path(str(saved))
    panel, dock, doc = window.filters, window.docks["filter"], window.doc
    tick(panel.tags, "hostages")
    assert window.canvas.view.filtered == frozenset({"release"})
    dock.hide()
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "tags", ()))
    assert ticked(panel.tags) == set() and window.canvas.view.filtered is None
    dock.show()
    assert panel.current().is_empty() and window.canvas.view.filtered is None
    other = Project(
        title="Other",
        actors=[Actor(id="un", name="UN")],
        events=[Event(id="vote", actor="un", title="Vote", when=parse("2024-01-01"))],
    )
    projectfile.save(other, tmp_path / "other.yaml")
    tick(panel.actors, "hamas")
    dock.hide()
    doc.undo_stack.setClean()  # (else Open asks whether to save the change)
    window.open_path(str(tmp_path / "other.yaml"))
    assert window.canvas.view.filtered is None
    assert panel.count.text() == "Shown: all 1 event and 0 demands (no filter)"
    dock.show()
    assert ticked(panel.actors) == set() and window.canvas.view.filtered is None


def test_the_first_tick_moves_nothing_under_the_pointer_in_the_shown_panel(window, saved):
    """With the panel in front, the first tick hid the empty line kept for a date's problem
    and the lists jumped up a line under the pointer; at 100,000 events "Filtering…" (one
    line) between two counts of two lines moved them up and down again: a second click
    meant for one actor ticked the next."""
    window.open_path(str(saved))
    window.docks["filter"].raise_()
    QtWidgets.QApplication.processEvents()
    panel = window.filters
    where = panel.actors.mapTo(panel, QtCore.QPoint(0, 0))
    tick(panel.actors, "usa")
    QtWidgets.QApplication.processEvents()
    assert panel.actors.mapTo(panel, QtCore.QPoint(0, 0)) == where
    for text in ("Filtering…", "Shown: 1,996 of 100,000 events, 1,038 of 20,000 demands"):
        panel.count.setText(text)
        QtWidgets.QApplication.processEvents()
        assert panel.actors.mapTo(panel, QtCore.QPoint(0, 0)) == where, text


def test_a_filter_that_cannot_be_worked_out_says_so(window, saved, qtbot, monkeypatch):
    """The reason was written to a label left hidden, and the count said "Filtering…" for
    ever."""
    from widgets import filterpanel

    def broken(project):
        raise MemoryError("no room for the columns")

    monkeypatch.setattr(filterpanel, "BACKGROUND_FROM", 0)  # as if the project were big
    monkeypatch.setattr(filterpanel, "_columns", broken)
    window.open_path(str(saved))
    window.docks["filter"].raise_()
    panel = window.filters
    tick(panel.actors, "hamas")
    qtbot.waitUntil(lambda: panel.task is None, timeout=10_000)
    QtWidgets.QApplication.processEvents()
    assert panel.problem.isVisible() and "no room for the columns" in panel.problem.text()
    assert panel.count.text() != "Filtering…"


def test_the_export_dialog_exports_what_the_filter_shows_or_everything_if_told(
    window, saved, tmp_path, monkeypatch
):
    """With a filter on, File ▸ Export… exports what the window shows; "Everything" is
    one choice away. Without one, the choice is not offered."""
    from tests.widgets.popups import modal, when_open

    window.open_path(str(saved))
    tick(window.filters.types, "material cooperation")  # the release alone
    written = []

    def export(dialog, name: str, everything: bool) -> None:
        assert dialog.shown.isEnabled() and dialog.shown.currentIndex() == 1
        if everything:
            dialog.shown.setCurrentIndex(0)
        dialog.format.setCurrentText("SVG drawing")
        out = tmp_path / name
        monkeypatch.setattr(
            QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "")
        )
        dialog.save()
        assert dialog.wait()
        written.append(out.read_text("utf-8"))

    for name, everything in (("shown.svg", False), ("all.svg", True)):
        when_open(lambda d, n=name, e=everything: export(d, n, e), modal)
        window.actions_["export"].trigger()
    shown, every = written
    assert "Hamas releases two women" in shown and "Talks in Doha" not in shown
    assert "Hamas releases two women" in every and "Talks in Doha" in every

    window.filters.clear()
    when_open(lambda d: (written.append(d.shown.isEnabled()), d.reject()), modal)
    window.actions_["export"].trigger()
    assert written[-1] is False


def test_each_list_of_choices_is_as_tall_as_its_rows_and_never_scrolls_sideways(window, saved):
    """Each list was 110 px at most, whatever it held: twelve actors scrolled, sideways
    too, in a box four rows tall, beside a box of three tags with room for six."""
    from app.records.model import Actor

    window.open_path(str(saved))
    for k in range(9):  # thirteen actors: more than the eight rows a list shows
        window.doc.undo_stack.push(
            edits.add(window.doc, "actors", Actor(id=f"party-{k}", name=f"Party {k}"))
        )
    window.docks["filter"].raise_()
    QtWidgets.QApplication.processEvents()
    panel = window.filters
    assert panel.actors.count() == 13 and panel.tags.count() == 1
    for box in (panel.actors, panel.tags, panel.status):
        rows = min(box.count(), 8) * box.sizeHintForRow(0)
        assert rows <= box.maximumHeight() <= rows + 2 * box.frameWidth() + 2
        assert box.horizontalScrollBarPolicy() == QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    usa = next(panel.actors.item(i) for i in range(panel.actors.count()))
    assert usa.toolTip() == usa.text().strip()  # whole where the list cuts it short
