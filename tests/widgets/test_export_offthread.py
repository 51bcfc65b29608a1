"""Exports of a big project run on a thread: the event loop serves timers meanwhile, a
progress dialog shows with Cancel, a cancelled export leaves the old file as it was, and
an edit made during an export does not reach it (the export has a snapshot)."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.editing.document import Document
from app.exporters import webpage
from app.exporters.images import ChartExporter
from tests.bench.generate import generate
from tests.widgets.ticks import ticking
from widgets.background import wait_all
from widgets.exportdialog import ExportDialog

# Events; the painting is made slow below (5,000 events painted took 6 s of the suite).
BIG = 500


@pytest.fixture
def big(window):
    """The window, and a big project's document for its export dialog (not put in the
    window: its tables take seconds to fill with many events, which is not this test's)."""
    return window, Document(generate(BIG))


@pytest.fixture
def slow_painting(monkeypatch):
    """The picture painted as before, its first part held `hold` seconds (none, for the
    dialog's previews) or until `release` is set (a test that clicks Cancel clicks it while
    the picture is painted). Painted on the GUI thread, the hold would stop its timers;
    `threads` says where it was painted."""
    slow = SimpleNamespace(threads=[], release=threading.Event(), hold=0.0)
    real = ChartExporter.paint_part

    def paint_part(self, p, page, part):
        if part == "backdrop":
            slow.threads.append(threading.current_thread())
            slow.release.wait(slow.hold)
        return real(self, p, page, part)

    monkeypatch.setattr(ChartExporter, "paint_part", paint_part)
    return slow


def dialog_for(window, out, monkeypatch, fmt="PNG image", doc=None) -> ExportDialog:
    dialog = ExportDialog(doc or window.doc, window.canvas, "light", window)
    assert dialog.wait()  # the first preview
    dialog.format.setCurrentText(fmt)
    dialog.timer.stop()  # no preview racing the export in this test
    assert dialog.wait()
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    return dialog


def test_a_big_export_runs_while_the_window_serves_its_timers(
    big, qtbot, tmp_path, monkeypatch, slow_painting
):
    out = tmp_path / "big.png"
    window, doc = big
    dialog = dialog_for(window, out, monkeypatch, doc=doc)
    slow_painting.threads.clear()  # the previews'
    slow_painting.hold = 10  # held until the event loop has served its timers (below)
    ticks = ticking()
    dialog.save()  # returns at once: the painting runs on a thread
    at_start = ticks[0]
    assert dialog.exporting is not None and not out.exists()
    qtbot.waitUntil(lambda: ticks[0] - at_start >= 10)  # a fixed hold of 0.5 s took longer
    assert dialog.exporting is not None  # still painting
    slow_painting.release.set()
    qtbot.waitUntil(lambda: dialog.exporting is None, timeout=60_000)
    assert ticks[0] - at_start >= 10  # the event loop ran timers during the export
    assert out.read_bytes().startswith(b"\x89PNG")
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    assert slow_painting.threads and threading.main_thread() not in slow_painting.threads


def test_cancel_stops_a_big_export_and_leaves_the_old_file(
    big, qtbot, tmp_path, monkeypatch, slow_painting
):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "big.png"
    out.write_bytes(b"the old picture")
    window, doc = big
    dialog = dialog_for(window, out, monkeypatch, doc=doc)
    slow_painting.hold = 60  # painted, and held there until Cancel is clicked
    dialog.save()
    run = dialog.exporting
    # The progress dialog shows once the export lasts, with how far it is.
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: run.dialog.maximum() > 0, timeout=10_000)
    cancel = run.dialog.findChild(QtWidgets.QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, QtCore.Qt.MouseButton.LeftButton)
    slow_painting.release.set()
    assert run.wait()
    assert out.read_bytes() == b"the old picture"
    assert [p.name for p in out.parent.iterdir()] == ["big.png"]  # no temporary left
    assert "cancelled" in dialog.problem.text()
    assert dialog.result() != QtWidgets.QDialog.DialogCode.Accepted  # still open, to try again
    assert dialog.wait()  # its preview, painted again: the reason stays said
    assert "cancelled" in dialog.problem.text() and not dialog.preview.pixmap().isNull()


def test_an_edit_made_during_an_export_does_not_reach_it(
    window, saved, qtbot, tmp_path, monkeypatch
):
    window.open_path(str(saved))
    out = tmp_path / "talks.html"
    dialog = dialog_for(window, out, monkeypatch, "Web page (interactive, offline)")
    edited = threading.Event()
    page = webpage.WebPage.html

    def after_the_edit(self):  # the worker reads the project only once the edit is made
        assert edited.wait(10)
        return page(self)

    monkeypatch.setattr(webpage.WebPage, "html", after_the_edit)
    dialog.save()
    window.doc.undo_stack.push(edits.set_field(window.doc, "events", "release", "title", "Edited"))
    edited.set()
    assert dialog.wait()
    text = out.read_text()
    assert "Hamas releases two women" in text and "Edited" not in text


def test_export_data_runs_on_a_thread(window, qtbot, tmp_path, monkeypatch):
    from app import exporters

    window.session.take(generate(1_000), None)
    out = tmp_path / "big.ics"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    threads, writing = [], exporters.WRITERS[".ics"]

    def recorded(project):  # which thread writes the calendar
        threads.append(threading.current_thread())
        return writing(project)

    monkeypatch.setitem(exporters.WRITERS, ".ics", recorded)
    window.actions_["export_data"].trigger()
    assert not out.exists()  # the menu returned at once: the work goes on elsewhere
    assert wait_all()
    assert threads and threads[0] is not threading.main_thread()
    assert out.read_text().count("BEGIN:VEVENT") == 1_000


def test_cancel_stops_export_data_before_it_writes(window, saved, qtbot, tmp_path, monkeypatch):
    from app import exporters

    window.open_path(str(saved))
    out = tmp_path / "talks.ics"
    out.write_text("the old calendar")
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    cancelled, writing = threading.Event(), exporters.WRITERS[".ics"]

    def slow(project):  # still writing the calendar when the person cancels
        assert cancelled.wait(10)
        return writing(project)

    monkeypatch.setitem(exporters.WRITERS, ".ics", slow)
    window.actions_["export_data"].trigger()
    [run] = [r for r in window.findChildren(QtCore.QObject) if type(r).__name__ == "ProgressRun"]
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=10_000)
    qtbot.mouseClick(run.dialog.findChild(QtWidgets.QPushButton), QtCore.Qt.MouseButton.LeftButton)
    cancelled.set()
    assert run.wait()
    assert out.read_text() == "the old calendar"
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_preview_says_it_is_painting_until_it_is_there(window, qtbot, monkeypatch):
    """At 100,000 events the first preview took 10-20 s: a blank frame until then looked
    like nothing was happening."""
    release = held_previews(monkeypatch)
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    dialog.show()
    assert "preview" in dialog.preview.text().lower()
    release.set()
    assert dialog.wait()
    assert not dialog.preview.pixmap().isNull() and dialog.preview.text() == ""
    dialog.reject()


def test_saving_stops_the_preview_still_being_painted(window, qtbot, tmp_path, monkeypatch):
    """The dialog closes once exported: a preview painted meanwhile only slowed the export
    (at 100,000 events both ran for some 10 s on the same two cores)."""
    release = held_previews(monkeypatch)
    out = tmp_path / "chart.png"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    preview = dialog.previewing
    dialog.save()
    assert preview.task.cancelled and dialog.previewing is None
    release.set()
    qtbot.waitUntil(lambda: dialog.exporting is None, timeout=20_000)
    assert out.read_bytes().startswith(b"\x89PNG")


def held_previews(monkeypatch) -> threading.Event:
    """Pictures of the chart are painted only once the event returned is set."""
    from app.exporters.images import ChartExporter

    release = threading.Event()
    painted = ChartExporter.image

    def slow_image(self, *args, **kwargs):
        release.wait(10)
        return painted(self, *args, **kwargs)

    monkeypatch.setattr(ChartExporter, "image", slow_image)
    return release


def test_work_that_ends_while_its_dialog_steps_is_let_go_after_the_step(window, qtbot):
    """A modal progress dialog's setValue runs the event loop, where the work's answer may
    arrive and the loop delete what it lets go: the dialog must outlive its own setValue
    (deleted inside it, it crashed the editor now and then)."""
    import shiboken6

    from widgets.progressrun import ProgressRun

    release, answers = threading.Event(), []
    run = ProgressRun(
        window, "Export", "Exporting…", lambda task: release.wait(5), answers.append, answers.append
    )
    dialog, seen = run.dialog, []

    def set_value_running_the_loop(done: int) -> None:
        run._done("written")  # the answer, as the loop inside setValue delivers it
        QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
        seen.append(shiboken6.isValid(dialog))

    dialog.setValue = set_value_running_the_loop
    run._stepped(1, 2)
    assert seen == [True] and answers == ["written"]
    release.set()
    assert wait_all()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)  # let go once the step was over


def test_a_run_that_has_answered_lets_go_of_what_it_held_but_is_not_deleted(window, qtbot):
    """Deleted once done (deleteLater), a run took the editor down after an export in a
    real window now and then ("shared QObject was deleted directly", PySide6 6.11): it
    stays, a small child of its window, and keeps nothing of its work (a project, a
    picture) once it has answered, once."""
    import weakref

    import shiboken6

    from widgets.progressrun import ProgressRun

    class Held:  # what a work holds: a project read, a picture painted
        pass

    held, answers = Held(), []
    gone = weakref.ref(held)

    def work(task, held=held):
        return "written"

    run = ProgressRun(window, "Export", "Exporting…", work, answers.append, answers.append)
    del held, work
    assert run.wait() and wait_all()
    run._done("again")  # a second answer is not given
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    assert answers == ["written"] and shiboken6.isValid(run) and run.parent() is window
    assert run.on_done is None and run.task.fn is None and gone() is None


def test_the_dialog_paints_its_first_preview_once_and_waits_for_the_one_shown(
    window, slow_painting, qtbot
):
    """Opening the dialog painted its preview twice (once at once, once more from the timer
    of its first change: a big project's took twice as long); and `wait` answered when the
    preview it found was stopped by the next one, before that one was shown (a test found
    no preview, now and then)."""
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    assert dialog.wait()
    qtbot.wait(400)  # past the timer of a change (250 ms)
    assert len(slow_painting.threads) == 1
    slow_painting.hold = 0.35
    dialog.update_preview()
    dialog.timer.start()  # a change while that preview is painted
    assert dialog.wait()
    assert dialog.previewing is None and len(slow_painting.threads) == 3
    dialog.close()
