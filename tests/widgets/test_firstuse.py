"""What a new user hit, driven through the real window."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.editing import recovery
from app.fileformat import projectfile
from app.records.when import parse
from tests.widgets.conftest import _folder, killed
from tests.widgets.popups import modal, when_open

CTRL_SHIFT = QtCore.Qt.KeyboardModifier.ControlModifier | QtCore.Qt.KeyboardModifier.ShiftModifier


def test_a_used_actor_is_deleted_after_moving_its_items(window, saved, monkeypatch, answers):
    # (Yes to deleting the Hamas → Israel demand, which would be one of Israel on itself)
    window.open_path(str(saved))
    window.doc.select(["hamas"])
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getItem", lambda *a, **k: ("Israel  [israel]", True)
    )
    window.actions_["delete"].trigger()
    assert window.doc.get("actors", "hamas") is None
    assert window.doc.get("events", "release").actor == "israel"
    window.actions_["undo"].trigger()  # one step brings all back
    assert (
        window.doc.get("actors", "hamas") and window.doc.get("events", "release").actor == "hamas"
    )


def test_clicking_a_lane_header_selects_its_actor_so_delete_never_hits_an_old_selection(
    window,
    saved,
    monkeypatch,
):
    asked = []
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getItem", lambda *a, **k: (asked.append(a[1]), ("", False))[1]
    )
    window.open_path(str(saved))
    window.doc.select(["release"])
    header = window.canvas.header
    layout = window.canvas.timeline.layout
    y = header.viewport().y(layout.lanes[layout.lane_of_actor["israel"]].centre)
    QTest.mouseClick(header, QtCore.Qt.MouseButton.LeftButton, pos=QtCore.QPoint(120, int(y)))
    assert window.doc.selection == {"israel"}
    window.actions_["delete"].trigger()  # Israel is the target of a demand: cancelled
    assert asked == ["Delete 'Israel'"]
    assert window.doc.get("events", "release") and window.doc.get("actors", "israel")


def test_an_unused_actor_and_a_cited_source(window, saved, answers):
    asked, _ = answers
    window.open_path(str(saved))
    window.doc.select(["wsj"])
    window.actions_["delete"].trigger()
    assert "still cited by 1 item (release)" in asked[-1][2]
    window.doc.undo_stack.push(
        __import__("app.editing.edits").editing.edits.delete(window.doc, ["release"])
    )
    window.doc.select(["wsj"])
    window.actions_["delete"].trigger()
    assert window.doc.get("sources", "wsj") is None


def test_a_typed_actor_name_is_taken_and_an_unknown_one_shown_as_an_error(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    combo = window.inspector.editors["actor"]
    combo.lineEdit().setText("  israel ")  # the name, in any case and spacing
    combo.lineEdit().editingFinished.emit()
    assert window.doc.get("events", "release").actor == "israel"
    combo.lineEdit().setText("Nobody")
    combo.lineEdit().editingFinished.emit()
    assert window.doc.get("events", "release").actor == "israel"
    assert "No actor is called 'Nobody'" in combo.toolTip()


def test_fit_all_covers_exactly_what_the_project_holds(window, saved):
    window.open_path(str(saved))
    release = window.doc.get("events", "release")
    window.doc.undo_stack.push(
        __import__("app.editing.edits").editing.edits.move_events(
            window.doc, {"release": (parse("2021-06-01"), "hamas")}
        )
    )
    window.doc.undo_stack.undo()
    window.actions_["fit"].trigger()
    (t0, t1), _ = window.canvas.viewbox.viewRange()
    assert t0 > parse("2023-09-01").lo and t0 < release.when.lo and t1 > parse("2023-11-27").lo


def test_insert_keys_work_while_a_text_field_has_focus(window, saved, monkeypatch):
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: ("Egypt", True))
    window.search.setFocus()
    override = QtGui.QKeyEvent(QtCore.QEvent.Type.ShortcutOverride, QtCore.Qt.Key.Key_A, CTRL_SHIFT)
    assert window.keys.eventFilter(window.search, override)  # the field cannot claim it (Deselect)
    QTest.keyClick(window.search, QtCore.Qt.Key.Key_A, CTRL_SHIFT)
    egypt = [a for a in window.doc.project.actors if a.name == "Egypt"]
    assert egypt and window.doc.selection == {egypt[0].id}


def test_after_a_restored_crash_other_documents_are_not_modified(
    qtbot,
    tmp_path,
    monkeypatch,
    saved,
    answers,
):
    from widgets.mainwindow import MainWindow

    monkeypatch.setattr(recovery, "folder", lambda: str(_folder(tmp_path / "recovery")))
    settings = QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)
    first = MainWindow(settings, offer_recovery=False)
    first.open_path(str(saved))
    first.doc.select(["release"])
    first.canvas.nudge(2)
    first.write_recovery()
    first.doc.undo_stack.setClean()
    killed(first)
    second = MainWindow(settings, offer_recovery=False)
    second.offer_recovery()
    assert second.isWindowModified()
    second.doc.undo_stack.setClean()
    second.actions_["new"].trigger()
    assert not second.isWindowModified()
    second.open_path(str(saved))
    assert not second.isWindowModified()


def test_the_recovery_folder_is_qts_data_location(qapp):
    app = QtWidgets.QApplication.instance()
    app.setOrganizationName("Demarche")
    app.setApplicationName("Demarche")
    expected = os.path.join(
        QtCore.QStandardPaths.writableLocation(
            QtCore.QStandardPaths.StandardLocation.AppDataLocation
        ),
        "recovery",
    )
    assert recovery.folder() == expected and expected.endswith("Demarche/Demarche/recovery")
    readme = (projectfile.__file__.rsplit("/app/", 1)[0]) + "/README.md"
    assert "~/.local/share/Demarche/Demarche/recovery/" in open(readme, encoding="utf-8").read()


def test_exports_leave_out_the_collapse_toggles(saved, tmp_path, qapp):
    from app.cli.main import main

    out = tmp_path / "chart.svg"
    assert main(["export", str(saved), "-o", str(out)]) == 0
    text = out.read_text()
    assert "United States" in text and "▾" not in text and "▸" not in text


def test_a_yaml_file_of_another_kind_says_so_first(tmp_path):
    import pytest

    other = tmp_path / "docker-compose.yaml"
    other.write_text("services:\n  web:\n    image: nginx\n")
    with pytest.raises(projectfile.ProjectFileError) as info:
        projectfile.load(other)
    first = str(info.value.diagnostics[0])
    assert first == f"{other}:1:1: not a Demarche project (it has no 'demarche:' version key)"


def test_a_date_typed_in_a_common_form_is_stored_as_edtf(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    field = window.inspector.editors["when"]
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClicks(field.edit, "about 21 Oct 2023")
    assert field.reading.text() == "stores 2023-10-21~: approximately 21 October 2023"
    QTest.keyClick(field.edit, QtCore.Qt.Key.Key_Return)
    assert window.doc.get("events", "release").when.text == "2023-10-21~"
    field.set_typed("2023-10-25")  # what the calendar button does with the day picked
    assert window.doc.get("events", "release").when.text == "2023-10-25"


def test_month_first_setting_changes_how_slashed_dates_read(window, saved):
    window.open_path(str(saved))
    window.actions_["month_first"].setChecked(True)
    window.doc.select(["release"])
    field = window.inspector.editors["when"]
    field.set_typed("10/24/2023")
    assert window.doc.get("events", "release").when.text == "2023-10-24"
    window.actions_["month_first"].setChecked(False)
    assert window.settings.value("monthFirst", type=bool) is False


def test_an_id_edited_in_the_inspector_updates_references(window, saved):
    window.open_path(str(saved))
    window.doc.select(["hamas"])
    ident = window.inspector.editors["id"]
    ident.setText("hamas-movement")
    ident.editingFinished.emit()
    assert window.doc.get("events", "release").actor == "hamas-movement"
    assert window.doc.selection == {"hamas-movement"}
    window.actions_["undo"].trigger()
    assert window.doc.get("events", "release").actor == "hamas"


def test_tables_have_phases_hide_ids_and_check_dates_as_typed(window, saved):
    window.open_path(str(saved))
    tabs = [window.tables.tabText(i) for i in range(window.tables.count())]
    assert tabs == ["Events", "Demands", "Actors", "Phases", "Sources"]
    table = window.tables.tables["events"]
    id_col = [c.title for c in table.model.columns].index("Id")
    assert table.view.isColumnHidden(id_col)
    rows = table.view.verticalHeader().defaultSectionSize()
    assert table.view.minimumHeight() >= 3 * rows  # never squeezed to a row or two
    delegate = table.view.itemDelegateForColumn(0)
    editor = delegate.createEditor(table.view.viewport(), None, table.proxy.index(0, 0))
    editor.textEdited.emit("2023-02-30")
    assert "February 2023 has no day 30" in editor.toolTip()
    model = table.model
    assert model.setData(model.index(0, 0), "21 Oct 2023")
    assert window.doc.get("events", "release").when.text == "2023-10-21"


def test_project_properties_set_title_and_description(window, saved, monkeypatch):
    window.open_path(str(saved))

    def fill(dialog):
        dialog.findChild(QtWidgets.QLineEdit).setText("Camp David, 1978")
        dialog.findChild(QtWidgets.QPlainTextEdit).setPlainText("Thirteen days")
        dialog.accept()

    when_open(fill, modal)
    window.actions_["properties"].trigger()
    assert (window.doc.project.title, window.doc.project.description) == (
        "Camp David, 1978",
        "Thirteen days",
    )
    assert "Camp David, 1978" in window.windowTitle()
    window.actions_["undo"].trigger()
    assert window.doc.project.title == "Talks"


def test_conflicts_are_listed_and_resolved_in_the_editor(window, tmp_path, small_project):
    import copy
    from dataclasses import replace as changed

    from app.team.merge import merge

    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = changed(ours.events[0], title="Ours")
    theirs.events[0] = changed(theirs.events[0], title="Theirs")
    theirs.title = "Their title"
    ours.title = "Our title"
    path = tmp_path / "merged.yaml"
    projectfile.save(merge(small_project, ours, theirs), path)
    window.open_path(str(path))
    panel = window.conflicts
    assert window.docks["conflicts"].isVisible() and panel.table.rowCount() == 2
    assert panel.table.item(1, 0).text() == "events release"
    panel.table.selectRow(1)
    assert window.doc.selection == {"release"}  # the record, for editing by hand
    panel.theirs.click()
    assert window.doc.get("events", "release").title == "Theirs"
    assert panel.table.rowCount() == 1
    window.actions_["undo"].trigger()  # one step: the value and the conflict come back
    assert window.doc.get("events", "release").title == "Ours" and panel.table.rowCount() == 2
    panel.table.selectRow(0)
    panel.ours.click()
    panel.table.selectRow(0)
    panel.theirs.click()
    assert not window.doc.project.conflicts and window.doc.project.title == "Our title"
    window.files.save()
    assert "conflicts:" not in path.read_text()
    assert projectfile.load(path).events[0].title == "Theirs"


def test_the_lane_names_column_is_widened_by_its_edge_and_remembered(window, saved):
    from tests.widgets.test_canvas import drag

    window.open_path(str(saved))
    header = window.canvas.header
    start = header.width()
    y = 40
    drag(
        window.canvas,
        QtCore.QPoint(start - 2, y),
        QtCore.QPoint(start + 80, y),
        widget=header,
    )
    assert header.width() == start + 80
    window.save_layout()
    assert int(window.settings.value("headerWidth")) == start + 80


def test_long_lane_names_wrap_to_two_lines_before_they_are_elided(qapp):
    from PySide6 import QtGui

    from app.chart.lanes import name_lines

    fm = QtGui.QFontMetricsF(QtGui.QFont())
    name = "The Ministry of Foreign Affairs of the State of Qatar"
    room = fm.horizontalAdvance("The Ministry of Foreign")
    one = name_lines(fm, name, room, height=fm.height() + 2)
    two = name_lines(fm, name, room, height=3 * fm.height())
    assert len(one) == 1 and one[0].endswith("…")
    assert len(two) == 2 and two[0] == "The Ministry of Foreign" and two[1].endswith("…")
    assert name_lines(fm, "Qatar", room, 100) == ["Qatar"]


def test_exports_size_the_names_column_to_the_longest_name(small_project, qapp):
    from app.exporters.images import HEADER_CAP, ChartExporter, ExportOptions

    short = ChartExporter(small_project, ExportOptions()).page().header.width()
    small_project.actors[2] = small_project.actors[2].__class__(
        id="hamas", name="Harakat al-Muqawama al-Islamiya"
    )
    longer = ChartExporter(small_project, ExportOptions()).page().header.width()
    assert 120 <= short < longer <= HEADER_CAP


def test_the_view_moves_to_an_event_when_its_date_is_typed(window, saved):
    window.open_path(str(saved))
    window.doc.select(["release"])
    field = window.inspector.editors["when"]
    field.edit.setFocus()
    field.set_typed("1978-09-05")
    (t0, t1), _ = window.canvas.viewbox.viewRange()
    assert t0 <= parse("1978-09-05").lo <= t1


def test_a_new_project_opens_on_today(window):
    import time

    window.actions_["new"].trigger()
    (t0, t1), _ = window.canvas.viewbox.viewRange()
    assert t0 < time.time() < t1 and t1 - t0 < 60 * 86400


def test_moving_a_deleted_actors_items_never_makes_a_demand_of_itself(
    window, saved, monkeypatch, answers
):
    """Hamas ▸ Delete… ▸ Move them to Israel: the Hamas → Israel demand would become
    Israel's demand of itself (the file then warned). It is listed and the person chooses:
    No deletes nothing; Yes deletes it with Hamas, in one step; the mediator and an
    event's `with` never name the record's own parties."""
    asked, reply = answers
    window.open_path(str(saved))
    doc = window.doc
    window.doc.select(["hamas"])
    monkeypatch.setattr(
        QtWidgets.QInputDialog, "getItem", lambda *a, **k: ("Israel  [israel]", True)
    )
    reply["question"] = QtWidgets.QMessageBox.StandardButton.No
    window.actions_["delete"].trigger()
    assert "Stop drones  [drones]" in asked[-1][2] and "makes of itself" in asked[-1][2]
    assert doc.get("actors", "hamas") and not doc.modified
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Yes
    window.actions_["delete"].trigger()
    assert doc.get("actors", "hamas") is None and doc.get("demands", "drones") is None
    assert doc.undo_stack.count() == 1
    window.actions_["undo"].trigger()
    assert doc.get("demands", "drones").from_ == "hamas"


def test_a_file_named_that_does_not_exist_is_a_new_project_saved_there(
    window, tmp_path, monkeypatch, answers
):
    """`demarche NEW.yaml`: an empty project named NEW.yaml (the title bar says so),
    which Ctrl+S writes there without asking; a missing folder or a name that is not
    .yaml is said, and nothing is made (before: an untitled project, only stderr said
    "no such file", and Save asked where, proposing untitled.yaml)."""
    from widgets.launch import open_paths

    asked, _ = answers
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("save as")
    )
    new = tmp_path / "talks-2024.yaml"
    open_paths(window, [str(new)])
    assert window.doc.path == str(new) and "talks-2024.yaml" in window.windowTitle()
    assert window.doc.project.title == "Talks 2024"  # named by its file, not "Untitled"
    assert not new.exists() and not window.doc.project.events
    window.actions_["save"].trigger()
    assert new.exists() and "save as" not in asked
    assert projectfile.load(str(new)).title == window.doc.project.title
    for bad, why in ((tmp_path / "nowhere" / "a.yaml", "no folder"), (tmp_path / "a.txt", ".yaml")):
        open_paths(window, [str(bad)])
        assert why in asked[-1][2] and window.doc.path == str(new) and not bad.exists()


def test_a_first_window_on_a_small_screen_shows_the_search_box(window, saved, qtbot):
    """A first window took 92 % of a 1024 px screen, and the toolbar's search box went
    behind its » menu; it now takes the small screen's whole width."""
    from widgets.docks import first_size

    assert first_size(QtCore.QRect(0, 0, 1920, 1050)) == QtCore.QSize(1400, 900)
    small = first_size(QtCore.QRect(0, 0, 1024, 700))
    assert small == QtCore.QSize(1024, 630)
    window.open_path(str(saved))
    window.resize(small)
    qtbot.waitUntil(lambda: window.width() == 1024)
    bar = window.findChild(QtWidgets.QToolBar, "toolbar-main")
    assert window.search.isVisible() and window.search.geometry().right() < bar.width()


def test_a_first_window_gives_the_chart_most_of_its_height(
    make_window, saved, tmp_path, monkeypatch, qtbot
):
    """The tables kept room for eight rows at least: 340 px of a 900 px window, and of a
    small screen's 630 px, where the chart was left 200. A first window gives them about a
    third of its height (six rows in 900 px), and they may be made smaller."""
    from widgets import docks
    from widgets.mainwindow import MainWindow

    make_window()  # (its recovery folder, its own settings)
    for width, height in ((1400, 900), (1024, 630)):
        size = QtCore.QSize(width, height)
        monkeypatch.setattr(docks, "first_size", lambda room, size=size: size)
        settings = QtCore.QSettings(
            str(tmp_path / f"{height}.ini"), QtCore.QSettings.Format.IniFormat
        )
        window = MainWindow(settings, offer_recovery=False)
        window.show()
        qtbot.waitExposed(window)
        window.open_path(str(saved))
        tables = window.docks["tables"].height()
        assert window.size() == size and window.canvas.height() > 1.4 * tables
        assert window.docks["inspector"].width() >= max(320, 0.25 * width)
        view = window.tables.tables["events"].view
        rows = view.viewport().height() / view.verticalHeader().defaultSectionSize()
        assert rows >= (5.9 if height == 900 else 2.5), rows
