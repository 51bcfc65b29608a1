"""The toolbar's View box tells the truth: it names a saved view only while the filter is
that view, says "(custom filter)" once the filter is changed by hand, and stays true through
undo and redo of a view's edits."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.records.model import View
from tests.widgets.test_filterpanel import tick

CUSTOM = "(custom filter)"


def untick(box: QtWidgets.QListWidget, value: str) -> None:
    for i in range(box.count()):
        if box.item(i).data(QtCore.Qt.ItemDataRole.UserRole) == value:
            box.item(i).setCheckState(QtCore.Qt.CheckState.Unchecked)


def choose(window, view_id: str | None) -> None:
    box = window.filters.views
    box.setCurrentIndex(box.findData(view_id))
    box.activated.emit(box.currentIndex())  # as a choice in the toolbar's box


def entries(window) -> list[str]:
    box = window.filters.views
    return [box.itemText(i) for i in range(box.count())]


def test_the_box_names_a_view_only_while_the_filter_is_that_view(window, saved, qtbot):
    window.open_path(str(saved))
    window.doc.undo_stack.push(
        edits.add(window.doc, "views", View(id="hamas-only", title="Hamas only", actors=("hamas",)))
    )
    panel, box = window.filters, window.filters.views
    assert box.currentText() == "(everything)" and CUSTOM not in entries(window)
    choose(window, "hamas-only")
    assert box.currentText() == "Hamas only"
    tick(panel.actors, "usa")  # by hand: Hamas and the United States is no saved view
    assert box.currentText() == CUSTOM
    assert window.canvas.view.filtered == frozenset({"release", "talks", "drones"})
    untick(panel.actors, "usa")
    assert box.currentText() == "Hamas only"  # the filter is the view again
    qtbot.keyClicks(panel.words, "women")
    qtbot.waitUntil(lambda: box.currentText() == CUSTOM)  # once typing pauses
    panel.words.clear()
    qtbot.waitUntil(lambda: box.currentText() == "Hamas only")
    panel.credibility.setCurrentIndex(2)
    assert box.currentText() == CUSTOM
    panel.clear()
    assert box.currentText() == "(everything)" and CUSTOM not in entries(window)
    # Ticking by hand what a view holds names it, as choosing it would.
    tick(panel.actors, "hamas")
    assert box.currentText() == "Hamas only"
    # Choosing "(custom filter)" itself changes nothing.
    tick(panel.types, "material cooperation")
    choose(window, "\x00custom")
    assert box.currentText() == CUSTOM and window.canvas.view.filtered == frozenset({"release"})


def test_undo_and_redo_of_a_view_edit_keep_the_box_true(window, saved, monkeypatch):
    window.open_path(str(saved))
    panel, box = window.filters, window.filters.views
    tick(panel.status, "accepted")
    assert box.currentText() == CUSTOM
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Settled demands", True)
    )
    panel.save_view()
    assert box.currentText() == "Settled demands" and CUSTOM not in entries(window)
    undo, redo = window.actions_["undo"], window.actions_["redo"]
    undo.trigger()  # the view is gone; the filter stays, so it is a custom one
    assert window.doc.project.views == []
    assert box.currentText() == CUSTOM and "Settled demands" not in entries(window)
    redo.trigger()
    assert box.currentText() == "Settled demands" and CUSTOM not in entries(window)
    # An edit of the view that makes it another filter: the box no longer names it.
    window.doc.undo_stack.push(
        edits.set_field(window.doc, "views", "settled-demands", "status", ("rejected",))
    )
    assert box.currentText() == CUSTOM
    undo.trigger()
    assert box.currentText() == "Settled demands"
    redo.trigger()
    assert box.currentText() == CUSTOM
    # The View menu ticks what the box shows.
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    saved_views = next(a.menu() for a in menu.actions() if a.text() == "Saved &Views")
    saved_views.aboutToShow.emit()
    (ticked,) = [a.text() for a in saved_views.actions() if a.isChecked()]
    assert ticked == CUSTOM
