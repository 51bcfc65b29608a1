"""Drive the editor window as a person would: files, inspector, tables, undo, recovery."""

from __future__ import annotations

import copy

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.editing import edits, recovery
from app.fileformat import projectfile
from app.records.when import parse
from tests.widgets.conftest import _folder, killed
from widgets import dialogs, filecommands
from widgets.background import wait_all
from widgets.mainwindow import MainWindow
from widgets.tables import ROLE_ID

YES = QtWidgets.QMessageBox.StandardButton.Yes


def test_open_through_the_file_dialog(window, saved, monkeypatch):
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), FILTER)
    )
    window.actions_["open"].trigger()
    assert window.doc.path == str(saved)
    assert [e.id for e in window.doc.project.events] == ["release", "talks"]
    assert "talks.yaml" in window.windowTitle() and not window.isWindowModified()


FILTER = filecommands.FILTER


def test_edit_a_title_in_the_inspector_changes_the_canvas_and_undoes_from_the_menu(
    window, saved, qtbot
):
    window.open_path(str(saved))
    window.doc.select(["release"])
    title = window.inspector.editors["title"]
    title.setFocus()
    title.selectAll()
    QTest.keyClicks(title, "Freed")
    assert window.doc.get("events", "release").title == "Freed"
    assert window.doc.undo_stack.count() == 1  # typing merged into one step
    lane = window.canvas.timeline.layout.lane_of_actor["hamas"]
    assert [e.title for e in window.canvas.timeline.layout.lane_events[lane].events] == ["Freed"]
    assert window.isWindowModified() and window.windowTitle().endswith("[*] — Demarche")
    assert window.actions_["undo"].text() == "&Undo Edit event 'Hamas releases two women'"
    window.actions_["undo"].trigger()
    assert window.doc.get("events", "release").title == "Hamas releases two women"
    window.actions_["redo"].trigger()
    assert window.doc.get("events", "release").title == "Freed"


def test_a_bad_date_shows_an_inline_error_and_commits_nothing(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    field = window.inspector.editors["when"]
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClicks(field.edit, "2023-02-30")
    QTest.keyClick(field.edit, QtCore.Qt.Key.Key_Return)
    assert "February 2023 has no day 30" in field.reading.text()
    assert window.doc.get("events", "release").when.text == "2023-10-20"
    assert window.doc.undo_stack.count() == 0
    field.edit.selectAll()
    QTest.keyClicks(field.edit, "2023-10-21~")
    assert field.reading.text() == "approximately 21 October 2023"
    QTest.keyClick(field.edit, QtCore.Qt.Key.Key_Return)
    assert window.doc.get("events", "release").when.text == "2023-10-21~"


def test_sort_and_filter_the_events_table(window, saved):
    window.open_path(str(saved))
    table = window.tables.tables["events"]
    table.view.sortByColumn(1, QtCore.Qt.SortOrder.AscendingOrder)  # by title
    titles = [table.proxy.index(r, 1).data() for r in range(table.proxy.rowCount())]
    assert titles == ["Hamas releases two women", "Talks in Doha"]
    table.view.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)  # by date, latest first
    assert table.proxy.index(0, 1).data() == "Talks in Doha"
    QTest.keyClicks(table.filter, "doha")
    assert table.proxy.rowCount() == 1


def test_selecting_a_table_row_selects_on_the_canvas(window, saved):
    window.open_path(str(saved))
    table = window.tables.tables["events"]
    table.view.selectRow(1)
    selected = table.proxy.index(1, 0).data(ROLE_ID)
    assert window.doc.selection == {selected}
    assert window.canvas.paint_options().selection == {selected}
    window.doc.select(["release"])
    assert table.selected_ids() == ["release"]


def test_save_reopen_and_compare(window, saved, tmp_path, monkeypatch, small_project):
    window.open_path(str(saved))
    window.doc.select(["talks"])
    window.canvas.set_time_range(
        parse("2023-10-15").lo, parse("2023-11-30").lo
    )  # a zoom that snaps to days
    window.canvas.nudge(2)
    copy_path = tmp_path / "copy.yaml"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy_path), FILTER)
    )
    window.actions_["save_as"].trigger()
    assert not window.isWindowModified() and window.doc.path == str(copy_path)
    reopened = projectfile.load(copy_path)
    assert reopened == window.doc.project
    assert reopened.events[1].when.text == "2023-11-11/2023-11-12~"
    assert projectfile.load(saved) == small_project  # the original is untouched


def test_a_new_project_takes_its_files_name_as_title_when_first_saved(
    window, tmp_path, monkeypatch
):
    """It stayed "Untitled" after Save As, in the title bar and on every chart exported."""
    assert window.doc.project.title == "Untitled"
    path = tmp_path / "camp_david-1978.yaml"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(path)[:-5], FILTER)
    )
    window.actions_["save_as"].trigger()
    assert projectfile.load(path).title == "Camp david 1978"
    assert window.windowTitle().startswith("Camp david 1978 — camp_david-1978.yaml")
    window.doc.undo_stack.undo()  # an edit like any other
    assert window.doc.project.title == "Untitled" and window.isWindowModified()
    window.doc.undo_stack.redo()
    window.doc.undo_stack.push(edits.set_title(window.doc, "Camp David", ""))  # kept
    monkeypatch.setattr(
        QtWidgets.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "other.yaml"), FILTER),
    )
    window.actions_["save_as"].trigger()
    assert projectfile.load(tmp_path / "other.yaml").title == "Camp David"


def test_a_failed_save_says_why_and_stays_modified(window, saved, answers):
    asked, _ = answers
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    assert not window.files.save_to(
        "/proc/demarche-cannot-write-here.yaml"
    )  # a read-only file system, even for root
    assert asked and asked[-1][0] == "critical" and "Could not save" in asked[-1][2]
    assert window.isWindowModified() and window.doc.path == str(saved)
    assert projectfile.load(saved).events[0].when.text == "2023-10-20"


def test_unsaved_work_survives_a_kill_and_is_restored(qtbot, tmp_path, monkeypatch, saved, answers):
    monkeypatch.setattr(recovery, "folder", lambda: str(_folder(tmp_path / "recovery")))
    settings = QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)
    first = MainWindow(settings, offer_recovery=False)
    first.open_path(str(saved))
    first.doc.select(["release"])
    first.canvas.nudge(5)
    first.write_recovery()  # what the 30-second timer does
    expected = copy.deepcopy(first.doc.project)
    killed(first)
    second = MainWindow(settings, offer_recovery=False)
    second.offer_recovery()
    first.doc.undo_stack.setClean()
    asked, _ = answers
    assert "work that was not saved" in asked[0][2] and str(saved) in asked[0][2]
    assert second.doc.project == expected and second.doc.path == str(saved)
    assert second.isWindowModified()
    second.doc.undo_stack.setClean()


def test_a_change_on_disk_offers_to_reload(window, saved, answers, small_project):
    asked, _ = answers
    window.open_path(str(saved))
    changed = copy.deepcopy(small_project)
    changed.title = "Changed elsewhere"
    projectfile.save(changed, saved)
    window.session.watcher.fileChanged.emit(str(saved))
    assert asked[-1][1] == "File changed"
    assert window.doc.project.title == "Changed elsewhere"


def test_reload_offer_warns_about_local_changes(window, saved, answers, small_project):
    asked, reply = answers
    reply["question"] = QtWidgets.QMessageBox.StandardButton.No
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    changed = copy.deepcopy(small_project)
    changed.title = "Changed elsewhere"
    projectfile.save(changed, saved)
    window.session.watcher.fileChanged.emit(str(saved))
    assert "You also have unsaved changes here" in asked[-1][2]
    assert window.doc.project.title == "Talks" and window.isWindowModified()


def test_a_broken_file_leaves_the_open_one_untouched(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    before = copy.deepcopy(window.doc.project)
    broken = tmp_path / "broken.yaml"
    broken.write_text(saved.read_text().replace("actor: hamas", "actor: hamass"))
    shown = []
    monkeypatch.setattr(
        dialogs.ErrorListDialog, "exec", lambda self: shown.append(self.text.toPlainText())
    )
    assert not window.open_path(str(broken))
    assert shown and f"{broken}:" in shown[0] and "unknown actor 'hamass'" in shown[0]
    assert (
        window.doc.project == before and window.doc.path == str(saved) and window.isWindowModified()
    )


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, saved, answers):
    asked, reply = answers
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Cancel
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    assert not window.close()
    assert asked[-1][1] == "Unsaved changes" and window.isVisible()
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Discard
    assert window.close()


def test_opening_the_same_file_twice_does_not_fork_it(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    assert window.open_path(str(saved))
    assert window.isWindowModified()  # the edited document is still the one open


def test_search_filters_canvas_and_tables_and_counts(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    QTest.keyClicks(window.search, "Doha")
    assert window.search.count.text() == "1 of 3 match"
    assert window.canvas.filtered == {"talks"}
    events = window.tables.tables["events"]
    assert events.proxy.rowCount() == 1 and events.filter.text() == "Doha"  # as typed
    QTest.keyClick(window.search, QtCore.Qt.Key.Key_Escape)  # clears the search only
    assert window.search.text() == "" and window.canvas.filtered is None
    assert events.proxy.rowCount() == 2 and window.doc.selection == {"release"}
    QTest.keyClick(window.search, QtCore.Qt.Key.Key_Escape)  # then: back to the chart
    assert window.canvas.hasFocus()


def test_in_a_big_project_the_search_waits_for_a_pause_in_the_typing(
    window, saved, qtbot, monkeypatch
):
    """A search of a million events takes half a second: not one for each letter."""
    from widgets import filterpanel

    monkeypatch.setattr(filterpanel, "BACKGROUND_FROM", 3)  # this project counts as big
    window.open_path(str(saved))
    searched = []
    monkeypatch.setattr(window.tables, "search", searched.append)
    QTest.keyClicks(window.search, "doha")
    assert searched == [] and window.canvas.filtered is None  # typing: nothing searched yet
    qtbot.waitUntil(lambda: searched == ["doha"])  # once, when the typing pauses
    assert window.search.count.text() == "1 of 3 match" and window.canvas.filtered == {"talks"}
    QTest.keyClicks(window.search, "x")
    QTest.keyClick(window.search, QtCore.Qt.Key.Key_Return)  # Enter: at once
    assert searched[-1] == "dohax" and window.search.count.text() == "0 of 3 match"
    window.search.clear()  # a box cleared: at once
    assert searched[-1] == "" and window.canvas.filtered is None


def test_the_search_count_is_seen_inside_the_search_box_on_a_small_screen(window, saved, qtbot):
    """Beside the box, the count went behind the toolbar's » menu 1024 px wide."""
    window.open_path(str(saved))
    window.resize(1024, 700)
    search, count = window.search, window.search.count
    QTest.keyClicks(search, "doha")
    qtbot.waitUntil(count.isVisible)
    assert search.isVisible()  # not behind the toolbar's » menu
    clear = search.findChild(QtWidgets.QToolButton)
    assert search.rect().contains(count.geometry())
    assert count.geometry().right() < clear.geometry().left()  # before the clear button
    QTest.keyClicks(search, " and many more words than the box has room for")
    search.repaint()  # (the field scrolls its text as it paints)
    assert count.isVisible()  # (no match)
    assert search.cursorRect().center().x() < count.geometry().left()  # typing stops short
    search.clear()
    assert not count.isVisible() and search.textMargins().right() == 0


def test_the_status_bar_counts_agree_in_number(window, saved):
    """It said "1 demands" (and "1 events" once one was deleted)."""
    window.open_path(str(saved))
    assert window.count_label.text() == "4 actors · 2 events · 1 demand (0 open)"
    window.doc.select(["release"])
    window.canvas.delete_selection()
    assert window.count_label.text() == "4 actors · 1 event · 1 demand (0 open)"
    window.doc.select(["talks"])
    window.actions_["copy"].trigger()
    assert window.statusBar().currentMessage() == "Copied 1 event"


def test_copy_and_paste_events_as_yaml(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.actions_["copy"].trigger()
    text = QtWidgets.QApplication.clipboard().text()
    assert text.startswith("events:\n  - id: release\n")
    window.actions_["paste"].trigger()
    assert len(window.doc.project.events) == 3
    pasted = window.doc.project.events[-1]
    assert pasted.id != "release" and pasted.title == "Hamas releases two women"
    window.actions_["undo"].trigger()
    assert len(window.doc.project.events) == 2


def test_layout_and_theme_are_remembered(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(recovery, "folder", lambda: str(_folder(tmp_path / "recovery")))
    settings = QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)
    first = MainWindow(settings, offer_recovery=False)
    first.show()
    first.actions_["dark"].trigger()
    first.docks["history"].hide()
    first.actions_["taller"].trigger()
    first.actions_["legend"].setChecked(False)
    tall = first.canvas.timeline.row_height
    first.close()
    second = MainWindow(settings, offer_recovery=False)
    second.show()
    assert second.theme_name == "dark" and second.actions_["dark"].isChecked()
    assert not second.docks["history"].isVisible()
    assert second.canvas.timeline.row_height == tall and second.row_slider.value() == round(tall)
    assert not second.canvas.show_legend and second.canvas.show_demands


def test_the_window_made_as_small_as_it_goes_keeps_a_chart_and_fits_a_small_screen(
    window, saved, qtbot
):
    window.open_path(str(saved))
    window.resize(100, 100)  # as far as Qt lets it go: its minimum
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint())
    assert window.canvas.width() >= 480 and window.canvas.height() >= 200
    assert window.width() <= 1024 and window.height() <= 720 - 60  # and a title bar


def test_lane_height_control_menu_and_slider_agree(window):
    normal = window.canvas.timeline.row_height
    window.actions_["taller"].trigger()
    assert window.canvas.timeline.row_height > normal
    assert window.row_slider.value() == round(window.canvas.timeline.row_height)
    window.row_slider.setValue(40)
    assert window.canvas.timeline.row_height == 40.0
    window.actions_["shorter"].trigger()
    assert window.canvas.timeline.row_height == 32.0 and window.row_slider.value() == 32
    window.actions_["row_height"].trigger()
    assert window.canvas.timeline.row_height == normal


def test_export_dialog_previews_and_writes(window, saved, tmp_path, monkeypatch):
    from widgets.exportdialog import ExportDialog

    window.open_path(str(saved))
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    assert dialog.wait()  # the preview is painted on a thread
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()
    dialog.format.setCurrentText("SVG drawing")
    dialog.range.setCurrentIndex(2)
    dialog.date_from.setText("2023-13")
    dialog.update_preview()
    assert "month 13" in dialog.problem.text()
    dialog.date_from.setText("2023-10-01")
    dialog.date_to.setText("2023-12")
    dialog.update_preview()
    assert dialog.problem.text() == ""
    out = tmp_path / "chart.svg"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.save()
    assert dialog.wait()
    assert out.read_text().startswith("<?xml")
    assert window.statusBar().currentMessage() == f"Exported SVG drawing to {out}"
    page = tmp_path / "chart.html"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(page), ""))
    dialog.format.setCurrentText("Web page (interactive, offline)")
    assert not dialog.dpi.isEnabled() and not dialog.theme.isEnabled()  # the page's own
    assert dialog.range.isEnabled() and dialog.lanes.isEnabled()
    dialog.save()
    assert dialog.wait()
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in text
    assert "Hamas releases two women" in text  # the saved project's event


def test_dragging_actor_rows_reorders_lanes(window, saved):
    window.open_path(str(saved))
    model = window.tables.tables["actors"].model
    mime = model.mimeData([model.index(3, 0)])  # Israel
    model.dropMimeData(mime, QtCore.Qt.DropAction.MoveAction, 0, 0, QtCore.QModelIndex())
    assert [a.id for a in window.doc.project.actors] == ["israel", "usa", "cia", "hamas"]
    hidden = model.index(0, next(i for i, col in enumerate(model.columns) if col.attr == "hidden"))
    model.setData(hidden, QtCore.Qt.CheckState.Checked.value, QtCore.Qt.ItemDataRole.CheckStateRole)
    assert window.doc.get("actors", "israel").hidden
    assert (
        "israel" not in window.canvas.timeline.layout.lane_of_actor
    )  # a hidden lane leaves no gap
    window.actions_["undo"].trigger()
    window.actions_["undo"].trigger()
    assert [a.id for a in window.doc.project.actors] == ["usa", "cia", "hamas", "israel"]


def test_an_unexpected_error_shows_details_writes_a_log_and_keeps_the_autosave(
    window, saved, tmp_path, monkeypatch
):
    import sys

    window.open_path(str(saved))
    window.doc.select(["release"])
    window.canvas.nudge(1)
    shown = []
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "exec", lambda self: shown.append((self.text(), self.detailedText()))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    dialogs.install_crash_handler(lambda: window)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert "boom" in shown[0][0] and "RuntimeError: boom" in shown[0][1]
    logs = list((tmp_path / "recovery").parent.glob("crash-*.log"))
    assert logs and "RuntimeError: boom" in logs[0].read_text()
    killed(window)
    found, _ = recovery.pending()
    assert found and found[0].original == str(saved)


def test_dropping_a_yaml_file_opens_it(window, saved):
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(saved))])
    event = QtGui.QDropEvent(
        QtCore.QPointF(10, 10),
        QtCore.Qt.DropAction.CopyAction,
        mime,
        QtCore.Qt.MouseButton.LeftButton,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.doc.path == str(saved)


def test_chart_keys_nudge_delete_duplicate_and_fit(window, saved):
    """The chart's keys come from the action registry: they act while the chart has focus."""
    window.open_path(str(saved))
    canvas = window.canvas
    canvas.doc.select(["release"])
    canvas.setFocus()
    QTest.keyClick(canvas, QtCore.Qt.Key.Key_Right)
    assert canvas.doc.get("events", "release").when.text == "2023-10-21"
    QTest.keyClick(canvas, QtCore.Qt.Key.Key_D, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.doc.project.events) == 3
    copy_id = next(iter(canvas.doc.selection))
    QTest.keyClick(canvas, QtCore.Qt.Key.Key_Delete)
    assert canvas.doc.get("events", copy_id) is None
    canvas.set_time_range(parse("2023-11-01").lo, parse("2023-11-02").lo)
    QTest.keyClick(canvas, QtCore.Qt.Key.Key_F)
    (t0, t1), _ = canvas.viewbox.viewRange()
    assert t0 < parse("2023-10-20").lo and t1 > parse("2023-11-27").lo
    while canvas.doc.undo_stack.canUndo():
        canvas.doc.undo_stack.undo()
    assert canvas.doc.get("events", "release").when.text == "2023-10-20"


# The standard keys as Qt binds them under X11 (xcb), where Delete includes Ctrl+D.
X11_KEYS = {
    QtGui.QKeySequence.StandardKey.Delete: ["Del", "Ctrl+D"],
    QtGui.QKeySequence.StandardKey.Undo: ["Ctrl+Z", "F14", "Undo"],
    QtGui.QKeySequence.StandardKey.Redo: ["Ctrl+Shift+Z", "Redo"],
    QtGui.QKeySequence.StandardKey.Cut: ["Ctrl+X", "Shift+Del", "F20", "Cut"],
}


def test_on_x11_ctrl_d_duplicates_and_no_key_is_bound_twice(make_window, saved, monkeypatch, qtbot):
    """X11's Delete keys include Ctrl+D, Duplicate's: bound to both, the key did nothing
    ("Ambiguous shortcut overload"). A standard key now leaves out what another action
    names."""
    plain = QtGui.QKeySequence.keyBindings

    def x11(key):
        return [QtGui.QKeySequence(k) for k in X11_KEYS[key]] if key in X11_KEYS else plain(key)

    monkeypatch.setattr(QtGui.QKeySequence, "keyBindings", staticmethod(x11))
    window = make_window()
    bound: dict[str, list[str]] = {}
    for key, action in window.actions_.items():
        for seq in action.shortcuts():
            bound.setdefault(seq.toString(), []).append(key)
    assert {k: v for k, v in bound.items() if len(v) > 1} == {}
    assert bound["Ctrl+D"] == ["duplicate"] and bound["Del"] == ["delete"]
    window.open_path(str(saved))
    window.doc.select(["release"])
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.canvas.setFocus()
    QTest.keyClick(window.canvas, QtCore.Qt.Key.Key_D, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert len(window.doc.project.events) == 3


def test_ctrl_z_in_a_field_with_nothing_typed_undoes_the_document(window, saved, qtbot):
    """A new event's title has the focus, as filled: Ctrl+Z takes the event back (it undid
    nothing there, and the edits stayed). Typed in, Ctrl+Z takes the typing back first,
    then the document's edits."""
    from tests.widgets.conftest import to_screen
    from tests.widgets.test_canvas import double_click, lane_y

    window.open_path(str(saved))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    canvas, ctrl = window.canvas, QtCore.Qt.KeyboardModifier.ControlModifier

    def new_event(lane: str) -> QtWidgets.QLineEdit:
        at = to_screen(canvas, parse("2023-11-01").lo + 43200, lane_y(canvas, lane))
        double_click(canvas.plot.viewport(), at)
        title = window.inspector.editors["title"]
        qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is title)
        assert title.text() == "New event"
        return title

    title = new_event("israel")
    QTest.keyClick(title, QtCore.Qt.Key.Key_Z, ctrl)
    assert len(window.doc.project.events) == 2  # the new event taken back
    canvas.setFocus()  # (the form is gone with the event)
    QTest.keyClick(canvas, QtCore.Qt.Key.Key_Z, ctrl | QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert len(window.doc.project.events) == 3  # and redone
    title = new_event("usa")
    QTest.keyClicks(title, "Talks")  # over the selected "New event"
    QTest.keyClick(title, QtCore.Qt.Key.Key_Z, ctrl)  # the typing, not yet an edit
    assert title.text() == "New event" and len(window.doc.project.events) == 4
    QTest.keyClick(title, QtCore.Qt.Key.Key_Z, ctrl)  # then the document's last edit
    assert len(window.doc.project.events) == 3


def test_a_status_set_in_the_inspector_or_a_table_records_history(window, saved, when_asked):
    """Every surface changes a demand's status through the same edit: dated history and
    `resolved` follow, whichever panel it was made in."""
    when_asked[0].extend(["2023-11-25", "1 Dec 2023"])
    window.open_path(str(saved))
    window.doc.select(["drones"])
    combo = window.inspector.editors["status"]
    combo.setCurrentIndex(combo.findData("withdrawn"))
    combo.activated.emit(combo.currentIndex())
    d = window.doc.get("demands", "drones")
    assert d.status == "withdrawn" and [h.status for h in d.history] == ["accepted", "withdrawn"]
    assert d.resolved == d.history[-1].when
    model = window.tables.tables["demands"].model
    column = next(i for i, col in enumerate(model.columns) if col.attr == "status")
    row = [r.id for r in model.records()].index("drones")
    assert model.setData(model.index(row, column), "open")
    d = window.doc.get("demands", "drones")
    assert d.status == "open" and d.history[-1].status == "open" and d.resolved is None
    assert [h.when.text for h in d.history[1:]] == ["2023-11-25", "2023-12-01"]
    window.doc.undo_stack.undo()
    window.doc.undo_stack.undo()
    assert window.doc.get("demands", "drones").history == (
        window.doc.get("demands", "drones").history[0],
    )


def test_ctrl_shift_s_saves_as_and_no_two_actions_share_a_key(window, saved, monkeypatch, tmp_path):
    from widgets import actions as registry

    seen = {}
    for spec in registry.ACTIONS:
        for chart in (False, True):
            for seq in registry.sequences(spec, chart):
                key = seq.toString()
                assert key not in seen, f"{key} is bound to both {seen[key]} and {spec.id}"
                seen[key] = spec.id
    window.open_path(str(saved))
    target = tmp_path / "copy.yaml"
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), FILTER)
    )
    window.activateWindow()
    window.canvas.setFocus()
    QTest.keyClick(
        window.canvas,
        QtCore.Qt.Key.Key_S,
        QtCore.Qt.KeyboardModifier.ControlModifier | QtCore.Qt.KeyboardModifier.ShiftModifier,
    )
    assert target.exists() and window.doc.path == str(target)


def test_the_shortcuts_dialog_lists_every_bound_action(window):
    from widgets import actions as registry

    html = registry.shortcuts_html()
    for spec in registry.ACTIONS:
        if registry.shortcut_text(spec):
            assert spec.text.replace("&", "").rstrip("…") in html


def test_the_shortcuts_fit_a_short_screen_and_stay_open_while_tried(window, qtbot):
    """A message box 870 px tall put its OK button below a 700 px screen."""
    window.actions_["shortcuts"].trigger()
    dialog = window.findChild(QtWidgets.QDialog, "shortcuts")
    qtbot.waitExposed(dialog)
    assert not dialog.isModal()
    room = window.screen().availableGeometry()
    right = min(window.frameGeometry().right(), room.right())  # at the window's right, on screen
    margins = dialog.frameGeometry().width() - dialog.width()  # (the frame, known once shown)
    assert abs(dialog.frameGeometry().right() - right) <= margins and room.contains(dialog.pos())
    assert dialog.frameGeometry().height() <= window.screen().availableGeometry().height()
    listing = dialog.findChild(QtWidgets.QTextBrowser)
    assert listing.verticalScrollBar().maximum() > 0  # the rest of the list is scrolled to
    assert "Fit All" in listing.toPlainText()
    window.actions_["shortcuts"].trigger()  # asked again: the same one
    assert window.findChildren(QtWidgets.QDialog, "shortcuts") == [dialog]
    close = dialog.findChild(QtWidgets.QDialogButtonBox).button(
        QtWidgets.QDialogButtonBox.StandardButton.Close
    )
    qtbot.mouseClick(close, QtCore.Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_every_action_is_in_a_menu_unless_it_is_a_chart_key(window):
    from widgets import actions as registry

    in_menus = {e for _title, entries in registry.MENUS for e in entries if e}
    for spec in registry.ACTIONS:
        assert spec.id in in_menus or (spec.chart_keys and not spec.keys), spec.id
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Insert", "&Help"]


CTRL_ALT = QtCore.Qt.KeyboardModifier.ControlModifier | QtCore.Qt.KeyboardModifier.AltModifier


def test_export_data_writes_the_chosen_format(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    chosen = tmp_path / "talks"  # no suffix typed: the chosen filter's is added
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), "Markwhen (*.mw)")
    )
    window.actions_["export_data"].trigger()
    assert wait_all()
    text = (tmp_path / "talks.mw").read_text(encoding="utf-8")
    assert f"# {window.doc.project.actors[0].name}" in text.splitlines()
    assert "talks.mw" in window.statusBar().currentMessage()
    offered = []
    monkeypatch.setattr(
        QtWidgets.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: offered.append(a[2:5]) or (str(chosen) + ".ics", "iCalendar (*.ics)"),
    )
    window.show()
    window.activateWindow()
    QTest.keyClick(window.canvas, QtCore.Qt.Key.Key_E, CTRL_ALT)
    assert wait_all()
    assert (tmp_path / "talks.ics").read_text().count("BEGIN:VEVENT") == len(
        window.doc.project.events
    )
    (where, _, last_format) = offered[0]  # the format chosen the time before, offered again
    assert where.endswith(".mw") and last_format == "Markwhen (*.mw)"


def test_export_data_as_csv_writes_every_table_beside_the_events(
    window, saved, tmp_path, monkeypatch
):
    from app.exporters import csvtables
    from app.importers import import_files
    from app.records import collector

    def export_as(stem: str, choice: str) -> None:
        monkeypatch.setattr(
            QtWidgets.QFileDialog,
            "getSaveFileName",
            lambda *a, **k: (str(tmp_path / stem), choice),
        )
        window.actions_["export_data"].trigger()
        assert wait_all()

    assert wait_all()
    # Each table written with the collector held, as every export is: the editor's timed
    # collector (which turns the automatic one off) waits for the pause.
    held: list[bool] = []
    real = csvtables.dumps
    monkeypatch.setattr(
        csvtables, "dumps", lambda *a, **k: held.append(collector.paused()) or real(*a, **k)
    )

    window.open_path(str(saved))
    export_as("talks", "CSV tables (*.csv)")
    assert held == [True] * 7
    written = sorted(p.name for p in tmp_path.glob("talks*.csv"))
    assert written == [
        "talks-actors.csv", "talks-demands.csv", "talks-phases.csv", "talks-project.csv",
        "talks-sources.csv", "talks-views.csv", "talks.csv",
    ]  # fmt: skip
    assert "6 more tables" in window.statusBar().currentMessage()
    again, _ = import_files([str(tmp_path / name) for name in written])
    assert again.events == window.doc.project.events
    assert again.demands == window.doc.project.demands
    assert not (tmp_path / "talks.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    export_as("for-excel", "CSV tables for Excel (*.csv)")
    assert (tmp_path / "for-excel-actors.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_data_asks_before_replacing_a_read_only_file(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    target = tmp_path / "talks.ics"
    target.write_text("old")
    target.chmod(0o444)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked = []
    no, yes = QtWidgets.QMessageBox.StandardButton.No, QtWidgets.QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or no)
    window.actions_["export_data"].trigger()
    assert wait_all()
    assert target.read_text() == "old" and "read-only" in asked[0]
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: yes)
    window.actions_["export_data"].trigger()
    assert wait_all()
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert not (tmp_path / "talks.ics.bak").exists()  # a replacement, not a backup


def test_the_lanes_scroll_bar_shown_as_the_window_shrinks_has_its_width(window, saved, qtbot):
    """Shown from inside a resize (a shorter window, a panel opened below the chart), the
    bar was given no width: the last lanes were cut off with nothing to scroll them by."""
    window.open_path(str(saved))
    canvas = window.canvas
    window.resize(1400, 1000)
    qtbot.waitUntil(lambda: not canvas.scroll.isVisible())  # every lane in sight
    for height in range(900, 200, -50):
        window.resize(1400, height)
        QtWidgets.QApplication.processEvents()
        if canvas.scroll.isVisible():
            break
    assert canvas.scroll.isVisible(), "the lanes never outgrew the chart"
    bar = canvas.scroll.geometry()
    assert bar.width() >= canvas.scroll.sizeHint().width() and bar.right() == canvas.width() - 1


def test_escape_from_a_panels_field_gives_the_keys_back_to_the_chart(window, saved, qtbot):
    """A keyboard-only edit stalled: after typing a new event's title in the inspector,
    no key led back to the chart, so the arrows never nudged it."""
    window.open_path(str(saved))
    window.doc.select(["release"])
    title = window.inspector.editors["title"]
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    QTest.keyClick(title, QtCore.Qt.Key.Key_Escape)
    assert window.canvas.hasFocus() and window.doc.selection == {"release"}  # kept
    before = window.doc.get("events", "release").when
    QTest.keyClick(window.canvas, QtCore.Qt.Key.Key_Right)
    assert window.doc.get("events", "release").when.lo > before.lo  # nudged later


def test_deleting_many_records_and_undoing_it_show_the_wait_cursor(window, tmp_path, monkeypatch):
    """At 120,000 records the delete took two seconds and its undo one and a half, the
    window seemingly frozen: each shows the wait cursor now; one record's does not."""
    from tests.bench.generate import generate

    path = tmp_path / "many.yaml"
    projectfile.save(generate(600), path)
    window.open_path(str(path))
    cursors = []
    monkeypatch.setattr(
        QtWidgets.QApplication, "setOverrideCursor", lambda shape: cursors.append(shape)
    )
    monkeypatch.setattr(QtWidgets.QApplication, "restoreOverrideCursor", lambda: None)
    window.doc.select([window.doc.project.events[0].id])
    window.editing.delete_selection()
    window.actions_["undo"].trigger()
    assert cursors == [] and len(window.doc.project.events) == 600
    window.editing.select_all()
    cursors.clear()
    window.editing.delete_selection()
    assert len(window.doc.project.events) == 0 and cursors
    cursors.clear()
    window.actions_["undo"].trigger()
    assert len(window.doc.project.events) == 600 and cursors
    cursors.clear()
    window.actions_["redo"].trigger()
    assert len(window.doc.project.events) == 0 and cursors
