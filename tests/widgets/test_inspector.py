"""The inspector driven as a person would: status changes ask when, the form shows what
an edit changed at once, the history and sources rows."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtTest import QTest

from app.editing import edits
from app.editing.document import Document
from app.fileformat import projectfile
from app.records.model import Actor, Event
from app.records.when import parse
from widgets.inspector import Inspector

NO_KEYS = QtCore.Qt.KeyboardModifier.NoModifier


def inspecting(qtbot, project, ids: list[str]) -> Inspector:
    """An inspector on screen, showing these records of a copy of `project`."""
    doc = Document(copy.deepcopy(project))
    widget = Inspector(doc)
    widget.resize(420, 900)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    doc.select(ids)
    widget.show_selection()
    return widget


@pytest.fixture
def inspector(qtbot, small_project):
    return inspecting(qtbot, small_project, ["drones"])


def choose_status(inspector, status: str) -> None:
    combo = inspector.editors["status"]
    combo.setCurrentIndex(combo.findData(status))
    combo.activated.emit(combo.currentIndex())


def test_a_status_change_asks_when_and_the_form_shows_it_at_once(inspector, when_asked, tmp_path):
    doc = inspector.doc
    walkout = Event(id="walkout", actor="israel", title="Walkout", when=parse("2023-11-23"))
    doc.undo_stack.push(edits.add(doc, "events", walkout))
    replies, proposed = when_asked
    replies.append(("about 25 Nov 2023", "after the walkout"))
    choose_status(inspector, "rejected")
    assert proposed == ["2023-11-23"]  # the last event of its parties, not today
    d = doc.get("demands", "drones")
    assert (d.status, d.resolved.text) == ("rejected", "2023-11-25~")
    # the form shows the change at once: Resolved and the new History row
    assert inspector.editors["resolved"].edit.text() == "2023-11-25~"
    history = inspector.editors["history"].table
    assert history.rowCount() == 2 and history.item(1, 0).text() == "2023-11-25~"
    assert history.item(1, 2).text() == "after the walkout"
    path = tmp_path / "out.yaml"
    projectfile.save(doc.project, path)
    text = path.read_text()
    assert 'resolved: "2023-11-25~"' in text and 'when: "2023-11-25~"' in text


def test_cancelling_the_date_changes_nothing(inspector, when_asked):
    when_asked[0].append("cancel")
    choose_status(inspector, "withdrawn")
    assert inspector.doc.get("demands", "drones").status == "accepted"
    assert inspector.editors["status"].currentData() == "accepted"
    assert inspector.doc.undo_stack.count() == 0


def test_plus_under_history_asks_the_date_and_status_and_adds_a_row(inspector, when_asked):
    """It asked only the date, and the row took the demand's status as it is now: a row
    dated before the demand was accepted said "accepted"."""
    when_asked[0].append(("2023-11~", "reported later", "rejected"))
    editor = inspector.editors["history"]
    plus = next(b for b in editor.findChildren(QtWidgets.QToolButton) if b.text() == "+")
    plus.click()
    d = inspector.doc.get("demands", "drones")
    assert [h.when.text for h in d.history] == ["2023-11~", "2023-11-21"]  # by date
    assert [h.status for h in d.history] == ["rejected", "accepted"]
    assert d.history[0].note == "reported later" and editor.error.text() == ""
    assert editor.table.rowCount() == 2 and d.status == "accepted"  # the last row's


def test_double_clicking_a_history_date_asks_when_with_forgiving_forms(inspector, when_asked):
    when_asked[0].append("22 Nov 2023")
    table = inspector.editors["history"].table
    cell = table.visualItemRect(table.item(0, 0)).center()
    left = QtCore.Qt.MouseButton.LeftButton
    QTest.mouseClick(table.viewport(), left, NO_KEYS, cell)  # a double-click's first click
    QTest.mouseDClick(table.viewport(), left, NO_KEYS, cell)
    assert when_asked[1] == ["2023-11-21"]  # the date it had
    d = inspector.doc.get("demands", "drones")
    assert d.history[0].when.text == "2023-11-22" and d.resolved.text == "2023-11-22"
    assert inspector.editors["resolved"].edit.text() == "2023-11-22"


def test_taking_their_status_in_the_conflicts_panel_asks_when(qtbot, small_project, when_asked):
    from app.editing import commands
    from app.records.model import Conflict
    from widgets.conflicts import ConflictsPanel

    doc = Document(copy.deepcopy(small_project))
    conflict = Conflict(
        kind="demands", id="drones", field="status", ours='"accepted"', theirs='"rejected"'
    )
    doc.undo_stack.push(commands.SetConflicts(doc, [conflict], "merge"))
    panel = ConflictsPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    # the values as a person reads them, not JSON strings
    assert [panel.table.item(0, col).text() for col in (2, 3, 4)] == [
        "(none)",
        "accepted",
        "rejected",
    ]
    when_asked[0].append("27/11/2023")
    panel.theirs.click()
    d = doc.get("demands", "drones")
    assert when_asked[1] == ["2023-11-20~"]  # its parties did nothing since: the raised day
    assert (d.status, d.history[-1].when.text) == ("rejected", "2023-11-27")
    assert not doc.project.conflicts


def test_taking_a_deletion_the_project_refuses_says_why(qtbot, small_project, monkeypatch):
    """Theirs deleted Hamas, which our events still name: taking theirs is refused with
    the reason, in a message (not the crash dialog), and nothing changes."""
    from app.editing import commands
    from app.records.model import Conflict
    from widgets.conflicts import ConflictsPanel

    doc = Document(copy.deepcopy(small_project))
    conflict = Conflict(kind="actors", id="hamas", field="", ours='{"name": "Hamas"}', theirs="")
    doc.undo_stack.push(commands.SetConflicts(doc, [conflict], "merge"))
    warned = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *args: warned.append(args[1:3]))
    panel = ConflictsPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    panel.theirs.click()
    assert warned and warned[0][0] == "Cannot take theirs"
    assert "still used" in warned[0][1]
    assert doc.get("actors", "hamas") is not None and doc.project.conflicts == [conflict]


def test_the_lanes_order_of_a_merge_reads_as_a_line_and_taking_theirs_moves_them(
    qtbot, small_project
):
    from app.editing import commands
    from app.fileformat import plain
    from app.team.merge import merge
    from widgets.conflicts import ConflictsPanel

    usa, cia, hamas, israel = small_project.actors
    ours = dataclasses.replace(small_project, actors=[hamas, usa, cia, israel])
    theirs = dataclasses.replace(small_project, actors=[israel, usa, cia, hamas])
    doc = Document(copy.deepcopy(ours))
    doc.undo_stack.push(
        commands.SetConflicts(doc, merge(small_project, ours, theirs).conflicts, "merge")
    )
    panel = ConflictsPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    assert [panel.table.item(0, col).text() for col in range(5)] == [
        "lanes",
        "order",
        "usa, cia, hamas, israel",
        "hamas, usa, cia, israel",
        "israel, usa, cia, hamas",
    ]
    qtbot.mouseClick(panel.theirs, QtCore.Qt.MouseButton.LeftButton)
    assert [a.id for a in doc.project.actors] == ["israel", "usa", "cia", "hamas"]
    assert not doc.project.conflicts
    doc.undo_stack.undo()
    assert [a.id for a in doc.project.actors] == ["hamas", "usa", "cia", "israel"]
    assert plain.loads(doc.project.conflicts[0].theirs) == ["israel", "usa", "cia", "hamas"]


def field_top(inspector, attr: str) -> int:
    QtWidgets.QApplication.processEvents()
    widget = inspector.editors[attr]
    return widget.mapTo(inspector.body, widget.rect().topLeft()).y()


def test_a_long_id_does_not_move_the_fields(inspector):
    doc = inspector.doc
    top = field_top(inspector, "text")
    long_id = "the-demand-that-hamas-made-of-israel-through-qatar-and-egypt-" * 3 + "x"
    doc.undo_stack.push(edits.rename_id(doc, "drones", long_id))
    doc.select([long_id])
    inspector.show_selection()
    assert field_top(inspector, "text") == top
    assert inspector.heading.toolTip() == long_id
    assert inspector.body.width() <= inspector.viewport().width()


def test_a_long_name_is_cut_short_to_the_panels_width_and_grows_back(inspector, qtbot):
    """The heading was cut off mid-letter where the panel was narrower than the name."""
    doc = inspector.doc
    long_text = "Hamas demands that Israel release women and children held in its prisons " * 2
    doc.undo_stack.push(edits.set_field(doc, "demands", "drones", "text", long_text))
    heading, whole = inspector.heading, f"Demand “{long_text}”"
    bold = QtGui.QFont(heading.font())
    bold.setBold(True)
    seen = {}
    for width in (320, 700, 320):
        inspector.resize(width, 900)
        qtbot.waitUntil(lambda w=width: inspector.width() == w)
        text = QtGui.QTextDocument()
        text.setHtml(heading.text())
        shown = seen[width] = text.toPlainText()
        assert shown.endswith("…") and whole.startswith(shown[:-1])
        used = QtGui.QFontMetrics(bold).horizontalAdvance("Demand")
        used += heading.fontMetrics().horizontalAdvance(shown.removeprefix("Demand"))
        assert used <= heading.contentsRect().width()
    assert len(seen[700]) > len(seen[320]) > len("Demand “Hamas")


def test_a_date_error_on_many_lines_is_shown_whole_in_a_narrow_panel(inspector, qtbot):
    """The form gave the date field the height of its size hint: an error wrapped on four
    lines showed three, cut at the top and the bottom."""
    inspector.doc.select(["talks"])
    inspector.show_selection()
    field = inspector.editors["when"]
    reading = field.reading
    field.edit.setFocus()
    field.edit.selectAll()
    QTest.keyClicks(field.edit, "32 Novembre 2023 and")
    assert reading.text().startswith("⚠")
    for width in range(300, 480, 8):  # the form scrolls: its rows get their own heights
        inspector.resize(width, 250)
        qtbot.wait(10)  # the layout settles
        assert reading.height() >= reading.heightForWidth(reading.width()), width
    field.edit.selectAll()
    QTest.keyClicks(field.edit, "2023-11-22")
    qtbot.wait(10)
    assert (
        reading.heightForWidth(reading.width())
        <= reading.height()
        < 2 * reading.fontMetrics().height()
    )


def test_another_record_opens_at_the_top_of_its_form(inspector, qtbot):
    inspector.resize(420, 300)  # the demand's form is taller than this
    QtWidgets.QApplication.processEvents()
    bar = inspector.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    demand = edits.add_demand_between(inspector.doc, "usa", "israel", parse("2023-11-30"))
    inspector.doc.undo_stack.push(edits.add(inspector.doc, "demands", demand))
    inspector.doc.select([demand.id])
    inspector.show_selection()
    QtWidgets.QApplication.processEvents()
    assert bar.value() == 0


@pytest.mark.parametrize("attr", ["history", "cites"])
def test_notes_and_quotes_show_in_full_width(inspector, attr):
    inspector.resize(330, 900)
    QtWidgets.QApplication.processEvents()
    table = inspector.editors[attr].table
    if attr == "cites":
        inspector.editors[attr].add_row()
    header = table.horizontalHeader()
    last = table.columnCount() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right <= table.viewport().width() + 1  # not cut at the edge
    assert header.sectionSize(last) >= 0.4 * table.viewport().width()


def test_typing_part_of_one_actors_name_and_enter_takes_it(inspector):
    doc = inspector.doc
    doc.undo_stack.push(
        edits.add(doc, "actors", Actor(id="eu", name="European Union", color="#123456"))
    )
    combo = inspector.editors["to"]
    combo.setFocus()
    combo.lineEdit().selectAll()
    QTest.keyClicks(combo.lineEdit(), "Europ")
    QTest.keyClick(combo.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert doc.get("demands", "drones").to == "eu"
    assert combo.currentText() == "European Union  [eu]"
    # a part shared by two names picks neither
    combo.lineEdit().selectAll()
    QTest.keyClicks(combo.lineEdit(), "a")
    QTest.keyClick(combo.lineEdit(), QtCore.Qt.Key.Key_Return)
    assert doc.get("demands", "drones").to == "eu" and "match" in combo.toolTip()


def test_a_new_event_is_named_after_its_title_with_accents_kept_as_letters(inspector):
    doc = inspector.doc
    event = edits.add_event_at(doc, "hamas", parse("2023-11-01"))
    doc.undo_stack.push(edits.add(doc, "events", event))
    doc.select([event.id])
    inspector.show_selection()
    title = inspector.editors["title"]
    title.setFocus()
    title.selectAll()
    type_text(title, "Rózsa Péter meets – the  mediators of Qatar and Egypt")
    QTest.keyClick(title, QtCore.Qt.Key.Key_Return)
    assert [e.id for e in doc.project.events][-1] == "rozsa-peter-meets-the-mediators-of-qatar"


def type_text(widget, text: str) -> None:
    """Key presses carrying each character, as a keyboard with accents sends them
    (QTest.keyClicks takes ASCII only)."""
    from PySide6 import QtGui

    for ch in text:
        for kind in (QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.KeyRelease):
            event = QtGui.QKeyEvent(kind, 0, QtCore.Qt.KeyboardModifier.NoModifier, ch)
            QtWidgets.QApplication.sendEvent(widget, event)


def test_insert_demand_opens_its_form_at_the_top(window, saved):
    window.open_path(str(saved))
    window.resize(1400, 500)
    window.doc.select(["drones"])
    QtWidgets.QApplication.processEvents()
    bar = window.inspector.verticalScrollBar()
    window.inspector.editors["id"].setFocus()  # editing at the bottom of the form
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    window.actions_["add_demand"].trigger()
    QtWidgets.QApplication.processEvents()
    assert window.inspector.kind == "demands" and window.inspector.ids != ["drones"]
    assert bar.value() == 0


def test_a_history_row_added_with_an_earlier_date_takes_its_place(inspector, when_asked):
    when_asked[0].append(("2023-11-20", "first heard"))
    editor = inspector.editors["history"]
    next(b for b in editor.findChildren(QtWidgets.QToolButton) if b.text() == "+").click()
    d = inspector.doc.get("demands", "drones")
    assert [h.when.text for h in d.history] == ["2023-11-20", "2023-11-21"]
    assert (d.status, d.resolved.text) == ("accepted", "2023-11-21")  # the last change
    assert editor.table.item(0, 2).text() == "first heard"


def test_a_long_title_and_actor_name_show_their_start_in_a_narrow_dock(inspector):
    """Filled while the dock is narrow, a line shows the start of what it holds
    ('Accept Hamas's demand…'), not its tail ('…emand to halt drone reconnaissance')."""
    doc = inspector.doc
    inspector.resize(300, 900)
    inspector.editors["text"].clearFocus()  # as when the chart was clicked
    long_name = "Prime Minister Benjamin Netanyahu of the State of Israel"
    doc.undo_stack.push(edits.set_field(doc, "actors", "israel", "name", long_name))
    title = "Accept Hamas's demand to halt drone reconnaissance flights over Gaza for six hours"
    doc.undo_stack.push(edits.set_field(doc, "demands", "drones", "text", title))
    doc.select(["drones"])
    inspector.show_selection()
    QtWidgets.QApplication.processEvents()
    line = inspector.editors["text"]
    assert line.text() == title and line.cursorPosition() == 0
    to = inspector.editors["to"]
    assert to.currentText().startswith(long_name) and to.lineEdit().cursorPosition() == 0


def test_leaving_a_field_that_renames_its_record_keeps_the_editor_running(
    window, qtbot, small_project, tmp_path
):
    """A new demand is renamed after its title, a source after the id typed, as the field
    loses focus (Tab): the form is rebuilt for the new id from inside the field's own
    signal, which crashed the editor (a field deleted while its focus moved on)."""
    projectfile.save(small_project, tmp_path / "talks.yaml")
    window.open_path(str(tmp_path / "talks.yaml"))
    window.actions_["add_demand"].trigger()
    title = window.inspector.editors["text"]
    qtbot.waitUntil(title.hasFocus)
    QTest.keyClicks(title, "Release the women")
    QTest.keyClick(title, QtCore.Qt.Key.Key_Tab)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert window.doc.get("demands", "release-the-women") is not None
    stack = window.doc.undo_stack
    stack.undo()  # the title typed and the id taken from it: one step
    assert [d.text for d in window.doc.project.demands if d.id.startswith("demand")] == [
        "New demand"
    ]
    stack.redo()
    window.doc.select(["wsj"])
    field = window.inspector.editors["id"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    QTest.keyClicks(field, "journal")
    QTest.keyClick(field, QtCore.Qt.Key.Key_Tab)
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert window.doc.get("sources", "journal") is not None
    assert window.inspector.ids == ["journal"]


def test_the_status_date_dialog_refuses_a_day_before_the_demand_was_raised(qtbot, small_project):
    """The pointer's day on the chart, or a day typed, before the demand was raised would
    make a file that does not open: the dialog says so and stays open."""
    from widgets import dialogs

    doc = Document(copy.deepcopy(small_project))
    raised = doc.get("demands", "drones").raised

    def refuse(when):
        try:
            edits.set_status(doc, "drones", "withdrawn", when)
        except edits.RefusedEdit as exc:
            return str(exc)
        return ""

    dialog = dialogs.WhenDialog("Mark withdrawn", "When?", raised, refuse=refuse)
    qtbot.addWidget(dialog)
    dialog.field.edit.setText("2023-11-01")
    dialog.accept()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted
    assert "before raised" in dialog.problem.text() and not dialog.problem.isHidden()
    dialog.field.edit.setText("2023-11-25")
    dialog.accept()
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted


def test_tab_from_a_date_goes_to_the_next_field_not_the_calendar_button(qtbot, small_project):
    """The calendar button took the focus: a note typed after one Tab went nowhere."""
    from widgets import dialogs

    dialog = dialogs.WhenDialog("When", "When?", parse("2023-11-20"), status="open")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.field.edit.setFocus()
    qtbot.waitUntil(dialog.field.edit.hasFocus)
    QTest.keyClick(dialog.field.edit, QtCore.Qt.Key.Key_Tab)
    assert dialog.status.hasFocus()
    QTest.keyClick(dialog.status, QtCore.Qt.Key.Key_Tab)
    QTest.keyClicks(QtWidgets.QApplication.focusWidget(), "from the cabinet")
    assert dialog.note.text() == "from the cabinet"
    # the calendar, out of the Tab order, opens from the date with Alt+Down
    dialog.field.edit.setFocus()
    qtbot.waitUntil(dialog.field.edit.hasFocus)
    QTest.keyClick(
        dialog.field.edit, QtCore.Qt.Key.Key_Down, QtCore.Qt.KeyboardModifier.AltModifier
    )
    popup = QtWidgets.QApplication.activePopupWidget()
    assert popup is not None and popup.findChild(QtWidgets.QCalendarWidget) is not None
    popup.close()


def test_the_wheel_scrolls_the_form_past_a_choice_and_changes_nothing(inspector, qtbot):
    """Turning the wheel over the inspector scrolls it; a choice under the pointer (a
    cited source, a status) changes only once clicked into."""
    from app.records.model import Source

    inspector.doc.undo_stack.push(edits.add(inspector.doc, "sources", Source(id="ap", title="AP")))
    inspector.doc.select(["release"])
    inspector.show_selection()
    inspector.resize(420, 300)  # its form is taller than this: there is room to scroll
    cites = inspector.editors["cites"]
    source = cites.table.cellWidget(0, 0)
    steps = inspector.doc.undo_stack.count()

    def wheel(widget, down: int) -> None:
        at = QtCore.QPointF(widget.rect().center())
        event = QtGui.QWheelEvent(
            at,
            QtCore.QPointF(widget.mapToGlobal(at.toPoint())),
            QtCore.QPoint(),
            QtCore.QPoint(0, -120 * down),
            QtCore.Qt.MouseButton.NoButton,
            QtCore.Qt.KeyboardModifier.NoModifier,
            QtCore.Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QtWidgets.QApplication.sendEvent(widget, event)

    for _ in range(5):
        wheel(source, 1)
    assert inspector.doc.undo_stack.count() == steps
    assert inspector.doc.get("events", "release").cites[0].source == "wsj"
    source.setFocus()
    qtbot.waitUntil(source.hasFocus)
    wheel(source, 1)  # clicked into: the wheel chooses
    assert inspector.doc.get("events", "release").cites[0].source == "ap"


def test_events_that_differ_show_no_value_and_a_tab_through_writes_none(inspector, qtbot):
    """Two events, tags and type unlike: the fields say so, and tabbing through them writes
    nothing (it wrote the first event's tags and type to both); what is typed goes to both."""
    doc = inspector.doc
    doc.select(["release", "talks"])
    inspector.show_selection()
    tags, kind, actor = (inspector.editors[a] for a in ("tags", "type", "actor"))
    assert tags.text() == "" and tags.placeholderText() == "(several values)"
    assert kind.currentText() == "" and actor.currentText() == ""
    steps = doc.undo_stack.count()
    for field in (tags, kind.lineEdit(), actor.lineEdit()):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        QTest.keyClick(field, QtCore.Qt.Key.Key_Tab)
    assert doc.undo_stack.count() == steps
    assert [doc.get("events", i).tags for i in ("release", "talks")] == [("hostages",), ()]
    tags.setFocus()
    qtbot.waitUntil(tags.hasFocus)
    QTest.keyClicks(tags, "talks")
    QTest.keyClick(tags, QtCore.Qt.Key.Key_Tab)
    assert [doc.get("events", i).tags for i in ("release", "talks")] == [("talks",), ("talks",)]


def test_what_is_typed_is_never_written_to_the_record_shown_next(inspector, qtbot):
    """Typing in a free choice (Type), then another record shown before the field lost its
    focus (a toolbar button takes none): nothing goes to the one shown next."""
    doc = inspector.doc
    doc.select(["release"])
    inspector.show_selection()
    line = inspector.editors["type"].lineEdit()
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    line.selectAll()
    QTest.keyClicks(line, "zzcustom")
    doc.select(["talks"])
    inspector.show_selection()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert doc.get("events", "talks").type == ""


def test_a_new_items_heading_says_what_it_is_called(inspector):
    """Headed by its kind and id, a new event read "Event event" (its id is "event")."""
    doc = inspector.doc
    event = edits.add_event_at(doc, "hamas", parse("2023-11-01"))
    demand = edits.add_demand_between(doc, "hamas", "israel", parse("2023-11-01"))
    for kind, record, heading in (
        ("events", event, "Event “New event”"),
        ("demands", demand, "Demand “New demand”"),
    ):
        doc.undo_stack.push(edits.add(doc, kind, record))
        doc.select([record.id])
        inspector.show_selection()
        shown = QtGui.QTextDocument()
        shown.setHtml(inspector.heading.text())
        assert shown.toPlainText() == heading
        assert inspector.heading.toolTip() == record.id  # the id: its tooltip and field


def test_the_with_list_shows_eight_actors_and_never_scrolls_sideways(qtbot):
    """It showed six and a half names, and a long one scrolled the list sideways."""
    from widgets.fields import CheckList

    names = [(f"a{i}", f"Actor {i}") for i in range(12)]
    names[3] = ("burns", "William Burns, Director of the Central Intelligence Agency")
    box = CheckList()
    qtbot.addWidget(box)
    box.resize(200, 400)
    box.set_items(names, ("burns",))
    box.show()
    qtbot.waitExposed(box)
    row = box.sizeHintForRow(0)
    assert 8 * row <= box.viewport().height() < 9 * row
    assert not box.horizontalScrollBar().isVisible()
    assert box.item(3).toolTip() == names[3][1]  # cut short on screen, whole here
    assert box.checked() == ("burns",)
    box.set_items(names[:2], ())
    assert box.maximumHeight() < 3 * row + 10  # no empty rows under two actors


def test_an_empty_date_field_warns_nothing_on_the_console(qtbot, small_project, qtlog):
    """An open demand's empty "resolved" date has no reading: its label's height for a width
    is -1, and Qt printed a warning each time a form showed one."""
    project = copy.deepcopy(small_project)
    project.demands[0] = dataclasses.replace(project.demands[0], resolved=None)
    widget = inspecting(qtbot, project, ["drones"])
    assert widget.editors["resolved"].value() is None
    assert not [r.message for r in qtlog.records if "Negative sizes" in r.message]


def test_a_title_emptied_says_the_chart_shows_no_label(inspector):
    """An empty title is valid (the file keeps it), but nothing on the chart names the
    record: the emptied field says so, where it said nothing."""
    line = inspector.editors["text"]
    line.setFocus()
    line.selectAll()
    QTest.keyClick(line, QtCore.Qt.Key.Key_Delete)
    assert inspector.doc.get("demands", "drones").text == ""
    assert line.text() == "" and "no label" in line.placeholderText()


def test_a_cited_sources_title_is_told_in_full_by_its_tooltip(inspector):
    """The citations' Source column cut "Untitled news article…" to "Untitled new…"."""
    from app.records.model import Source

    long = "Untitled news article summarising the Wall Street Journal report"
    inspector.doc.undo_stack.push(edits.add(inspector.doc, "sources", Source(id="ap", title=long)))
    inspector.doc.select(["release"])
    inspector.show_selection()
    source = inspector.editors["cites"].table.cellWidget(0, 0)
    wsj = inspector.doc.get("sources", "wsj").title
    assert source.toolTip() == wsj
    source.setCurrentIndex(source.findData("ap"))
    assert source.toolTip() == long  # (the list says its first 40 letters)
