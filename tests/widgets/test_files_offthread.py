"""Opening a big file reads and checks it on a thread: the event loop serves timers
meanwhile, Cancel leaves the project already open untouched, and a broken big file is
refused with the located problems, as a small one is."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from PySide6 import QtCore, QtWidgets

from app.chart.layout import Timeline
from app.editing import edits
from app.fileformat import projectfile
from tests.bench.generate import generate
from tests.widgets.ticks import ticking
from widgets import busy, dialogs, filecommands
from widgets.background import wait_until

# Just over BIG_FILE_BYTES (2.4 MB), so read on a thread by the editor's own rule; the
# reading is made slow below (100,000 events made, saved and read took 13 s of the suite).
EVENTS = 10_000


def saved_big(folder, events: int):
    path = folder / f"big-{events}.yaml"
    projectfile.save(generate(events), path)
    assert path.stat().st_size >= filecommands.BIG_FILE_BYTES
    return path


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    return saved_big(tmp_path_factory.mktemp("big"), EVENTS)


@pytest.fixture
def slow_reading(monkeypatch, big_file):
    """The big file read as before, then held `hold` seconds or until `release` is set (a
    test that clicks Cancel clicks it while the file is being read). Read on the GUI thread,
    the hold would stop its timers; `threads` says where it was read."""
    slow = SimpleNamespace(threads=[], release=threading.Event(), hold=0.5)
    real = projectfile.load

    def load(path, *args, **kwargs):
        project = real(path, *args, **kwargs)
        if str(path) == str(big_file):
            slow.threads.append(threading.current_thread())
            slow.release.wait(slow.hold)
        return project

    monkeypatch.setattr(projectfile, "load", load)
    return slow


def test_a_big_file_is_read_while_the_window_serves_its_timers(
    window, big_file, qtbot, monkeypatch, slow_reading
):
    # What the window does with the events once read (its tables take minutes to fill at
    # 100,000, widgets/tables.py) is not this test's: the project read is recorded here.
    taken = []
    monkeypatch.setattr(window.session, "take", lambda project, path: taken.append((project, path)))
    slow_reading.hold = 10  # held until the event loop has served its timers (below)
    ticks = ticking()
    assert window.open_path(str(big_file))  # returns at once: the reading runs on a thread
    at_start = ticks[0]
    assert not taken and window.files.opening is not None
    assert window.canvas.view.reading == big_file.name  # the empty chart says it is coming
    qtbot.waitUntil(lambda: ticks[0] - at_start >= 10)  # a fixed hold of 0.5 s took longer
    assert not taken  # still reading
    slow_reading.release.set()
    assert window.files.opening.wait(300_000)
    assert window.canvas.view.reading == ""
    assert ticks[0] - at_start >= 10  # the event loop ran timers while the file was read
    [(project, path)] = taken
    assert path == str(big_file) and len(project.events) == EVENTS
    assert slow_reading.threads != [threading.main_thread()]


def _opened_changed_beside_another(window, saved, tmp_path, monkeypatch, title: str):
    """`saved` opened (every file read on a thread) and retitled; the other file beside it,
    titled "Other talks", returned."""
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)
    other = tmp_path / "other.yaml"
    other.write_text(saved.read_text().replace('title: "Talks"', 'title: "Other talks"'))
    window.open_path(str(saved))
    assert window.files.opening.wait()
    window.doc.undo_stack.push(edits.set_title(window.doc, title, ""))
    return other


def test_a_file_read_on_a_thread_opens_in_the_window(window, saved, tmp_path, monkeypatch):
    other = _opened_changed_beside_another(window, saved, tmp_path, monkeypatch, "Changed")
    asked = []
    cancel = QtWidgets.QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(
        QtWidgets.QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or cancel
    )
    window.open_path(str(other))
    assert window.files.opening.wait()
    assert asked and window.doc.path == str(saved)  # unsaved changes: asked, and kept
    assert window.doc.project.title == "Changed"
    window.doc.undo_stack.undo()
    window.open_path(str(other))
    assert window.files.opening.wait()
    assert window.doc.path == str(other) and window.doc.project.title == "Other talks"
    assert window.files.recent_files()[0] == str(other) and not window.doc.modified


def test_the_lanes_of_a_file_read_on_a_thread_are_laid_out_there(window, saved, monkeypatch):
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)  # every file read on a thread
    made_on = {}
    reset = Timeline.reset

    def recorded(self):
        made_on[id(self)] = threading.current_thread()
        reset(self)

    monkeypatch.setattr(Timeline, "reset", recorded)
    window.open_path(str(saved))
    assert window.files.opening.wait()
    timeline = window.canvas.timeline
    assert timeline.project is window.doc.project
    assert made_on[id(timeline)] is not threading.main_thread()  # not on the GUI thread
    assert window.canvas.prepared is None
    here = Timeline(window.doc.project).layout
    assert [lane.actor.id for lane in timeline.layout.lanes] == [
        lane.actor.id for lane in here.lanes
    ]
    assert [d.ids.tolist() for d in timeline.layout.lane_events] == [
        d.ids.tolist() for d in here.lane_events
    ]


def test_cancel_leaves_the_open_project_untouched(
    window, saved, big_file, qtbot, monkeypatch, slow_reading
):
    slow_reading.hold = 60  # read, and held there until Cancel is clicked
    window.open_path(str(saved))
    before = window.doc.project
    taken = []
    monkeypatch.setattr(window.session, "take", lambda *a: taken.append(a))
    window.open_path(str(big_file))
    run = window.files.opening
    qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=10_000)
    assert big_file.name in run.dialog.labelText()
    cancel = run.dialog.findChild(QtWidgets.QPushButton)
    qtbot.mouseClick(cancel, QtCore.Qt.MouseButton.LeftButton)
    slow_reading.release.set()
    assert run.wait()
    assert not taken and window.doc.path == str(saved) and window.doc.project is before
    assert not window.doc.modified and "cancelled" in window.statusBar().currentMessage()


def test_a_broken_file_read_on_a_thread_is_refused_with_its_located_problems(
    window, saved, tmp_path, monkeypatch
):
    window.open_path(str(saved))
    before = window.doc.project
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)  # every file read on a thread
    broken = tmp_path / "broken.yaml"
    text = saved.read_text()
    at = text.index("actor: hamas")
    broken.write_text(text[:at] + "actor: nobody" + text[at + len("actor: hamas") :])
    shown = []
    monkeypatch.setattr(
        dialogs.ErrorListDialog, "exec", lambda self: shown.append(self.text.toPlainText())
    )
    assert window.open_path(str(broken))
    assert window.files.opening.wait()
    line = text[:at].count("\n") + 1
    assert shown and f"broken.yaml:{line}:" in shown[0] and "nobody" in shown[0]  # located
    assert window.doc.path == str(saved) and window.doc.project is before


def test_reloading_a_big_file_reads_it_on_a_thread(window, saved, monkeypatch, answers):
    _, reply = answers
    reply["question"] = QtWidgets.QMessageBox.StandardButton.No  # "changed on disk: reload?"
    window.open_path(str(saved))
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)  # every file read on a thread
    shown = []
    monkeypatch.setattr(
        dialogs.ErrorListDialog, "exec", lambda self: shown.append(self.text.toPlainText())
    )
    text = saved.read_text()
    saved.write_text(text.replace("actor: hamas", "actor: nobody", 1))
    before = window.doc.project
    window.files.reload()
    assert window.files.opening.wait()
    assert shown and "nobody" in shown[0] and window.doc.project is before  # refused, located
    saved.write_text(text.replace('title: "Talks"', 'title: "Reloaded"'))
    window.files.reload()
    assert window.doc.project.title == "Talks"  # not yet: the file is being read
    assert window.files.opening.wait()
    assert window.doc.project.title == "Reloaded" and window.doc.path == str(saved)


def test_the_last_file_asked_for_wins_even_when_it_opens_at_once(
    window, saved, tmp_path, monkeypatch
):
    # `demarche big.yaml small.yaml`: the big one is read on a thread, the small one opens at
    # once; the big one, read after, must not replace it.
    big = tmp_path / "big.yaml"
    big.write_text(saved.read_text().replace('title: "Talks"', 'title: "Big talks"'))
    monkeypatch.setattr(filecommands, "is_big", lambda path: path == str(big))
    window.open_path(str(big))
    run = window.files.opening
    window.open_path(str(saved))
    assert run.wait()
    assert window.doc.path == str(saved) and window.doc.project.title == "Talks"


def test_an_edit_made_while_the_file_is_reread_is_not_dropped_unasked(
    window, saved, monkeypatch, answers
):
    asked, reply = answers
    window.open_path(str(saved))
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)  # every file read on a thread
    window.files.reload()  # the person said "reload"; the file is being read...
    window.doc.undo_stack.push(edits.set_title(window.doc, "Changed meanwhile", ""))
    reply["question"] = QtWidgets.QMessageBox.StandardButton.No  # ...and keeps the edit
    assert window.files.opening.wait()
    assert asked and window.doc.project.title == "Changed meanwhile" and window.doc.modified
    asked.clear()
    window.files.reload()  # nothing edited meanwhile: taken as asked, with no question
    assert window.files.opening.wait()
    assert not asked and window.doc.project.title == "Talks" and not window.doc.modified


def test_saving_over_a_change_made_elsewhere_asks_first(window, saved, answers):
    """Told the file changed on disk, the person kept their version (no reload): Ctrl+S then
    asks before it replaces the other program's change (it replaced it unasked)."""
    asked, reply = answers
    window.open_path(str(saved))
    window.doc.undo_stack.push(edits.set_title(window.doc, "Ours", ""))
    theirs = saved.read_text().replace('title: "Talks"', 'title: "Theirs"')
    saved.write_text(theirs)
    reply["question"] = QtWidgets.QMessageBox.StandardButton.No  # "reload?" no
    window.session.watcher.fileChanged.emit(str(saved))
    assert asked[-1][1] == "File changed"
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Cancel
    window.actions_["save"].trigger()
    assert asked[-1][1] == "File changed on disk" and saved.read_text() == theirs
    assert window.doc.modified
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Save
    window.actions_["save"].trigger()
    assert 'title: "Ours"' in saved.read_text() and not window.doc.modified
    asked.clear()
    window.doc.undo_stack.push(edits.set_title(window.doc, "Ours again", ""))
    window.actions_["save"].trigger()  # written by us since: nothing to ask
    assert asked == [] and 'title: "Ours again"' in saved.read_text()


@pytest.fixture
def held_save(monkeypatch):
    """Every project is written on a thread, and held there until `release` is set; `threads`
    says where each was written."""
    monkeypatch.setattr(filecommands, "WRITTEN_ON_A_THREAD", 0)
    held = SimpleNamespace(threads=[], release=threading.Event(), error=None)
    real = projectfile.save

    def save(*args, **kwargs):
        held.threads.append(threading.current_thread())
        held.release.wait(10)
        if held.error:
            raise held.error
        return real(*args, **kwargs)

    monkeypatch.setattr(projectfile, "save", save)
    return held


def test_a_big_project_is_written_while_the_window_serves_its_timers_and_holds_its_input(
    window, saved, held_save, monkeypatch
):
    """Saving a million events froze the window for five seconds. Keys and clicks meanwhile
    wait until the file is written: an edit then would race the writer."""
    window.open_path(str(saved))
    window.doc.undo_stack.push(edits.set_title(window.doc, "Ours", ""))
    served = []  # the flags of each wait for events while the file was written
    process = QtCore.QCoreApplication.processEvents

    def serve(*args):
        if window.session.saving:
            served.append(args[0] if args else None)
        return process(*args)

    monkeypatch.setattr(QtCore.QCoreApplication, "processEvents", staticmethod(serve))
    ticks, said = ticking(), []

    def meanwhile() -> None:  # a timer of the GUI thread, while the file is being written
        said.append(window.statusBar().currentMessage())
        held_save.release.set()

    QtCore.QTimer.singleShot(200, meanwhile)
    window.actions_["save"].trigger()
    assert held_save.release.is_set() and ticks[0] >= 5  # timers ran while it was written
    assert said == ["Saving talks.yaml…"]  # said where it takes no focus (a dialog did)
    assert held_save.threads and threading.main_thread() not in held_save.threads
    assert served and all(flags & busy.INPUT_WAITS for flags in served)
    assert 'title: "Ours"' in saved.read_text() and not window.doc.modified


def test_a_project_written_on_a_thread_that_fails_stays_modified_and_says_why(
    window, saved, held_save, answers
):
    asked, _ = answers
    window.open_path(str(saved))
    window.doc.undo_stack.push(edits.set_title(window.doc, "Ours", ""))
    held_save.error = OSError(28, "No space left on device")
    held_save.release.set()
    window.actions_["save"].trigger()
    assert asked[-1][:2] == ("critical", "Not saved") and "No space left" in asked[-1][2]
    assert window.doc.modified and 'title: "Talks"' in saved.read_text()
    assert "Saving" not in window.statusBar().currentMessage()


def test_an_edit_made_while_a_project_is_written_is_not_in_the_file_and_stays_unsaved(
    window, saved, held_save
):
    """Typing merged into the step before it moves no undo index: the save took the
    document for saved, and a close would not have asked about that text."""
    window.open_path(str(saved))
    event_id = window.doc.project.events[0].id
    typed = edits.set_field(window.doc, "events", event_id, "text", "before", typing=True)
    window.doc.undo_stack.push(typed)

    def meanwhile() -> None:
        step = edits.set_field(window.doc, "events", event_id, "text", "during", typing=True)
        window.doc.undo_stack.push(step)  # merged into the one before
        held_save.release.set()

    QtCore.QTimer.singleShot(100, meanwhile)
    window.actions_["save"].trigger()
    assert window.doc.undo_stack.count() == 1  # (it merged)
    assert "before" in saved.read_text() and "during" not in saved.read_text()
    assert window.doc.modified


def test_a_file_read_on_a_thread_is_taken_once_the_save_under_way_is_done(
    window, saved, tmp_path, monkeypatch, held_save, answers
):
    """Taken during the save, the other file's project came in under it (with the saved
    file's name) and its question to save the changes started a second write."""
    asked, reply = answers
    reply["question"] = QtWidgets.QMessageBox.StandardButton.Discard
    other = _opened_changed_beside_another(window, saved, tmp_path, monkeypatch, "Ours")
    window.open_path(str(other))  # its answer comes while the save waits (below)
    reading = window.files.opening.task.thread

    def once_read() -> None:  # the save goes on until the read has answered, deferred
        if reading.isFinished():
            QtCore.QTimer.singleShot(100, held_save.release.set)
        else:
            QtCore.QTimer.singleShot(10, once_read)

    once_read()
    window.actions_["save"].trigger()
    assert 'title: "Ours"' in saved.read_text() and len(held_save.threads) == 1
    assert not asked  # saved first: nothing to ask when the other file is taken
    assert wait_until(lambda: window.doc.path == str(other), 10_000)
    assert window.doc.project.title == "Other talks" and not window.doc.modified


def test_a_step_undone_while_a_project_is_written_leaves_it_unsaved(
    window, saved, tmp_path, held_save, answers
):
    """The file then holds a state the undo stack left: back at the state of the last
    save, the document said it was saved, and a close would not have asked. A file
    dropped meanwhile is not opened (X11's drops are not held with the keys)."""
    answers[1]["question"] = QtWidgets.QMessageBox.StandardButton.Discard
    other = tmp_path / "other.yaml"
    other.write_text(saved.read_text())
    window.open_path(str(saved))
    window.doc.undo_stack.push(edits.set_title(window.doc, "Ours", ""))
    dropped = []

    def meanwhile() -> None:
        window.doc.undo_stack.undo()
        dropped.append(window.open_path(str(other)))
        held_save.release.set()

    QtCore.QTimer.singleShot(100, meanwhile)
    window.actions_["save"].trigger()
    assert 'title: "Ours"' in saved.read_text() and window.doc.project.title == "Talks"
    assert window.doc.modified
    assert dropped == [False] and window.doc.path == str(saved)
