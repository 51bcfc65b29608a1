"""File ▸ Import…, driven through the real dialog: the preview and the import run on a
worker (the window keeps answering), column and lane choices, PLOVER replies applied only
where ticked, and no default button that would pour rows into the open project."""

from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

from app.importers.base import made_words
from widgets import importdialog
from widgets.windows import open_windows


def opened(window, paths) -> importdialog.ImportDialog:
    """The dialog once its first reading has answered."""
    dialog = importdialog.ImportDialog(window, [str(p) for p in paths])
    assert dialog.wait()
    return dialog


def test_import_into_the_open_project_is_one_undo_step(window, saved, tmp_path, monkeypatch):
    sheet = tmp_path / "more.csv"
    sheet.write_text(
        "actor,title,when\nHamas,Another release,2024-02-25\nEgypt,Cairo talks,2024-02-26\n"
    )
    window.open_path(str(saved))
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(sheet)], "")
    )
    shown = []

    def run(dialog):
        dialog.wait()
        shown.append(dialog.report.toPlainText())
        dialog.add_to_project()
        dialog.wait()

    monkeypatch.setattr(importdialog.ImportDialog, "exec", run)
    window.actions_["import"].trigger()
    assert "created: 2 actors, 2 events" in shown[0]  # as a project of its own
    assert [a.name for a in window.doc.project.actors][-1] == "Egypt"  # Hamas matched
    titles = [e.title for e in window.doc.project.events]
    assert titles[-2:] == ["Another release", "Cairo talks"]
    assert window.doc.project.events[-2].actor == "hamas"  # matched by name
    # what came is in view and selected (only the status bar said so)
    added = [e for e in window.doc.project.events if e.title in titles[-2:]]
    (t0, t1), (y0, y1) = window.canvas.viewbox.viewRange()
    assert all(t0 <= e.when.lo and e.when.hi <= t1 for e in added)
    egypt = window.canvas.timeline.layout.lanes[-1]
    assert y0 <= egypt.top and egypt.bottom <= y1
    assert window.doc.selection == {e.id for e in added}
    window.actions_["undo"].trigger()
    assert len(window.doc.project.events) == 2 and len(window.doc.project.actors) == 4


def test_the_report_of_an_import_into_the_project_counts_what_it_created(
    window, saved, tmp_path, monkeypatch
):
    """Actors matched to the project's lanes (Lanes tab) are no new actors: what adding
    says it created is what the project gained, not the preview's count as a new project."""
    window.open_path(str(saved))
    names = [a.name for a in window.doc.project.actors] + ["Jordan"]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "actor,title,when\n" + "".join(f"{n},Talks {i},2023-11-2{i}\n" for i, n in enumerate(names))
    )
    dialog = opened(window, [sheet])
    assert f"created: {made_words({'actors': len(names), 'events': len(names)})}" in (
        dialog.report.toPlainText()
    )  # as a project of its own
    before = {kind: len(getattr(window.doc.project, kind)) for kind in ("actors", "events")}
    dialog.add_to_project()
    dialog.wait()
    gained = {k: len(getattr(window.doc.project, k)) - n for k, n in before.items()}
    assert gained["actors"] < len(names)  # (the lanes matched by name)
    assert window.statusBar().currentMessage() == f"Imported: created {made_words(gained)}"
    assert f"created: {made_words(gained)}" in dialog.report.toPlainText()


def test_import_as_a_new_project_opens_a_window(window, tmp_path, monkeypatch):
    mw = tmp_path / "c.mw"
    mw.write_text("# Egypt\n1978-09-05: Sadat arrives\n")
    dialog = opened(window, [mw])
    dialog.open_new()
    dialog.wait()
    new = open_windows()[-1]
    try:
        assert new is not window and new.doc.project.events[0].title == "Sadat arrives"
        assert new.isWindowModified()
    finally:
        new.doc.undo_stack.setClean()
        new.close()


def test_the_import_preview_maps_columns_and_lanes(window, saved, tmp_path):
    sheet = tmp_path / "odd.csv"
    sheet.write_text(
        "Who,What,Day,Notes\nHAMAS,Another release,25/11/2023,x\nCairo,Talks,26/11/2023,y\n"
    )
    window.open_path(str(saved))
    dialog = opened(window, [sheet])
    assert "no title and no when or start column" in dialog.report.toPlainText()
    assert not dialog.into.isEnabled()
    dialog.columns["title"].setCurrentIndex(dialog.columns["title"].findData("What"))
    dialog.columns["when"].setCurrentIndex(dialog.columns["when"].findData("Day"))
    dialog.columns["actor"].setCurrentIndex(dialog.columns["actor"].findData("Who"))
    assert dialog.wait()
    assert dialog.into.isEnabled() and dialog.preview.rowCount() == 2
    assert dialog.preview.item(0, 0).text() == "2023-11-25"  # day first
    lanes = {dialog.lanes.item(r, 0).text(): dialog.lanes.cellWidget(r, 1) for r in range(2)}
    assert lanes["HAMAS"].currentData() == "hamas"  # matched by name
    lanes["Cairo"].setCurrentIndex(lanes["Cairo"].findData("israel"))  # the person's choice
    dialog.add_to_project()
    dialog.wait()
    added = window.doc.project.events[-2:]
    assert [e.actor for e in added] == ["hamas", "israel"] and len(window.doc.project.actors) == 4


def test_plover_replies_are_applied_only_where_ticked(window, saved, tmp_path):
    import json

    def record(n, date, event, actor, recipient, text):
        return {
            "id": f"p{n}",
            "date": date,
            "event": event,
            "actor": [{"actorText": actor}],
            "recipient": [{"actorText": recipient}],
            "eventText": text,
        }

    path = tmp_path / "plover.json"
    records = [
        record(1, "2023-11-12", "DEMAND", "Hamas", "Israel", "Stop the drones"),
        record(2, "2023-11-13", "REQUEST", "Qatar", "Israel", "Fuel for Gaza"),
        record(3, "2023-11-20", "AGREE", "Israel", "Hamas", "Drones grounded six hours a day"),
        record(4, "2023-11-21", "REJECT", "Israel", "Qatar", "No fuel"),
    ]
    path.write_text(json.dumps(records))
    window.open_path(str(saved))
    dialog = opened(window, [path])
    tab = dialog.tabs.indexOf(dialog.outcomes)
    assert dialog.tabs.tabText(tab) == "Outcomes (2)"
    replies = [dialog.outcomes.item(r, 1).text() for r in range(2)]
    assert "AGREE may settle demand" in replies[0] and "accepted" in replies[0]
    assert "REJECT may settle demand" in replies[1] and "rejected" in replies[1]
    ticked = QtCore.Qt.CheckState.Checked
    assert all(dialog.outcomes.item(r, 0).checkState() != ticked for r in range(2))
    dialog.outcomes.item(1, 0).setCheckState(ticked)  # only the refusal of fuel
    dialog.add_to_project()
    dialog.wait()
    by_text = {d.text: d for d in window.doc.project.demands}
    assert by_text["Stop the drones"].status == "open"  # not ticked: left as it was raised
    fuel = by_text["Fuel for Gaza"]
    assert (fuel.status, fuel.resolved.text) == ("rejected", "2023-11-21")
    assert fuel.history[0].note.startswith("PLOVER REJECT")
    window.actions_["undo"].trigger()
    assert "Fuel for Gaza" not in {d.text for d in window.doc.project.demands}


def test_an_import_too_large_for_a_project_file_says_so(window, tmp_path, monkeypatch):
    from app.fileformat import projectfile

    mw = tmp_path / "c.mw"
    mw.write_text("# Egypt\n1978-09-05: Sadat arrives\n" * 40)
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    monkeypatch.setattr(projectfile, "MAX_FILE_BYTES", 1000)
    dialog = opened(window, [mw])
    windows = len(open_windows())
    dialog.open_new()
    dialog.wait()
    assert "more than the 0 MiB a project file may be" in said[0]
    assert len(open_windows()) == windows and dialog.result() == 0  # still open


def test_the_import_dialog_reads_demarches_own_tables_as_such(window, saved, tmp_path):
    from app.exporters import csvtables as tables
    from app.fileformat import projectfile

    project = projectfile.load(saved)
    paths = []
    for table in tables.TABLES:
        paths.append(tmp_path / f"t-{table}.csv")
        paths[-1].write_text(tables.dumps(project, table), encoding="utf-8")
    dialog = opened(window, [tmp_path / "t-events.csv"])  # alone
    assert "csv (Demarche's events table)" in dialog.report.toPlainText()
    assert "skipped" not in dialog.report.toPlainText()
    assert dialog.columns_box.isHidden()  # its own columns, not a mapping to choose
    dialog = opened(window, paths)
    dialog.open_new()
    dialog.wait()
    new = open_windows()[-1]
    try:
        assert new.doc.project.events == project.events
        assert new.doc.project.demands == project.demands
    finally:
        new.doc.undo_stack.setClean()
        new.close()
    sheet = tmp_path / "plain.csv"
    sheet.write_text("Who,What,Day\nHamas,Talks,2023-11-25\n")
    assert not opened(window, [sheet]).columns_box.isHidden()


def big_sheet(tmp_path, rows: int):
    path = tmp_path / "big.csv"
    lines = ["actor,title,when,text"]
    lines += [
        f"Actor {n % 40},Event number {n},2023-{n % 12 + 1:02d}-{n % 28 + 1:02d},note {n}"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_window_keeps_answering_while_100000_rows_are_read(window, tmp_path):
    path = big_sheet(tmp_path, 100_000)
    ticks = []
    timer = QtCore.QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    dialog = importdialog.ImportDialog(window, [path])
    assert dialog.job is not None and dialog.progress.isVisibleTo(dialog)  # on a worker
    assert dialog.wait(120_000)
    timer.stop()
    assert len(dialog.project.events) == 100_000
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 20 and max(gaps) < 1.0, (len(ticks), max(gaps))


def test_an_import_can_be_cancelled_and_options_do_not_parse_the_file_again(
    window, tmp_path, monkeypatch
):
    from app.importers import registry

    parsed = []  # the whole file's rows, each time they are parsed
    real = registry.csv_file_rows
    monkeypatch.setattr(
        registry, "csv_file_rows", lambda path, check: parsed.append(path) or real(path, check)
    )
    path = big_sheet(tmp_path, 30_000)
    dialog = importdialog.ImportDialog(window, [path])
    dialog.cancel.click()  # stops the reading; the dialog stays
    assert dialog.wait()
    assert "cancelled" in dialog.problem.text() and not dialog.into.isEnabled()
    dialog.month_first.setChecked(True)  # read again: from the rows already parsed
    assert dialog.wait() and len(dialog.project.events) == 30_000
    assert parsed == [path]  # the whole file once


def test_enter_does_not_pour_the_rows_into_the_open_project(window, saved, tmp_path, qtbot):
    from PySide6.QtTest import QTest

    sheet = tmp_path / "more.csv"
    sheet.write_text("actor,title,when\nHamas,Another release,2023-11-25\n")
    window.open_path(str(saved))
    events = list(window.doc.project.events)
    dialog = opened(window, [sheet])
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.into.isEnabled()
    assert not any(b.isDefault() or b.autoDefault() for b in (dialog.into, dialog.new))
    for widget in (dialog, dialog.into, dialog.preview):
        widget.setFocus()
        QTest.keyClick(widget, QtCore.Qt.Key.Key_Return)
        QTest.keyClick(widget, QtCore.Qt.Key.Key_Enter)
    dialog.wait()
    assert window.doc.project.events == events and dialog.result() == 0
    dialog.close()


def test_a_dialog_once_deleted_lets_its_preview_go_even_when_its_reading_answers_late(
    window, tmp_path, qtbot, monkeypatch
):
    """Qt held each reading's answer (a lambda holding the dialog) out of the collector's
    sight: every dialog lived as long as the process, with its preview (100,000 events for
    a big file) and the file it parsed."""
    import gc
    import threading
    import weakref

    from shiboken6 import Shiboken

    from widgets import importworker

    sheet = big_sheet(tmp_path, 10)
    answered = opened(window, [sheet])
    held = threading.Event()
    real = importworker.import_files
    monkeypatch.setattr(
        importworker, "import_files", lambda *a, **k: held.wait(10) and real(*a, **k)
    )
    late = importdialog.ImportDialog(window, [str(sheet)])
    job = late.job
    assert job is not None and not job.done.is_set()  # still reading
    late.reject()  # closed while it reads, then deleted, as File ▸ Import does
    gone = [weakref.ref(d) for d in (answered, late)]
    for dialog in (answered, late):
        dialog.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert not Shiboken.isValid(late)
    del answered, late, dialog
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        held.set()  # its answer comes after the dialog has gone: nothing to say it to
    del job
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    gc.collect()
    assert [r() for r in gone] == [None, None]


def test_the_same_sheet_imported_again_is_said_before_and_after_adding(window, saved, tmp_path):
    sheet = tmp_path / "more.csv"
    sheet.write_text("actor,title,when\nHamas,Another release,2023-11-25\nJordan,Talks,2023-11\n")
    window.open_path(str(saved))
    first = opened(window, [sheet])
    assert "already in" not in first.report.toPlainText()  # new to this project
    assert not first.repeats.isVisibleTo(first)
    first.add_to_project()
    assert first.wait()
    assert "already" not in window.statusBar().currentMessage()
    again = opened(window, [sheet])
    report = again.report.toPlainText()
    assert "⚠ 2 of these events are already in this project (same lane, title and date)" in report
    assert again.repeats.isVisibleTo(again) and again.repeats.text() in report  # above the rows
    again.add_to_project()  # said, not refused: an event may happen twice
    assert again.wait()
    message = window.statusBar().currentMessage()
    assert message.endswith("; 2 of the events were already in the project"), message
    assert [e.title for e in window.doc.project.events].count("Another release") == 2


def test_an_event_with_an_open_start_is_brought_into_view_by_its_end():
    """Its start is none (`../2024-02-27`): it was left out of what an import shows."""
    from app.records.when import parse

    end = parse("2024-02-27")
    assert importdialog._ends(parse("../2024-02-27")) == (end.hi, end.hi)
    assert importdialog._ends(parse("2024-02-27/..")) == (end.lo, end.lo)
    assert importdialog._ends(None) is None
