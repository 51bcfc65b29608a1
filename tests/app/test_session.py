"""Files never lose work, tested without a window: the session opens, saves, reloads,
autosaves and notices changes on disk."""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest
from PySide6 import QtCore

from app.editing import edits, recovery
from app.editing.document import Document
from app.editing.session import Session
from app.fileformat import projectfile
from app.fileformat.atomic import ReadOnlyFile
from app.fileformat.projectfile import ProjectFileError
from app.records.model import Project


@pytest.fixture(autouse=True)
def data_location(tmp_path, monkeypatch):
    """Qt's data location, here: recovery files go below it."""
    monkeypatch.setattr(
        QtCore.QStandardPaths, "writableLocation", lambda _kind: str(tmp_path / "data")
    )


@pytest.fixture
def session(qapp):
    return Session(Document(Project(title="Untitled")))


@pytest.fixture
def saved(tmp_path, small_project):
    path = tmp_path / "talks.yaml"
    projectfile.save(small_project, path)
    return path


def nudge(session: Session) -> None:
    session.doc.undo_stack.push(edits.shift_events(session.doc, ["release"], 86400.0))


def test_open_edit_autosave_save(session, saved, small_project):
    session.open(str(saved))
    assert session.doc.project == small_project and not session.doc.modified
    assert session.write_recovery() is None  # nothing to keep
    nudge(session)
    copy_path = session.write_recovery()
    assert oct(os.stat(copy_path).st_mode & 0o777) == "0o600"
    assert oct(os.stat(os.path.dirname(copy_path)).st_mode & 0o777) == "0o700"
    session.save()
    assert not session.doc.modified and not os.path.exists(copy_path)
    assert projectfile.load(saved).events[0].when.text == "2023-10-21"


def test_a_broken_file_changes_nothing(session, saved, tmp_path):
    session.open(str(saved))
    nudge(session)
    before = copy.deepcopy(session.doc.project)
    broken = tmp_path / "broken.yaml"
    broken.write_text("demarche: 1\ntitle: [\n")
    with pytest.raises(ProjectFileError):
        session.open(str(broken))
    assert session.doc.project == before and session.doc.path == str(saved)
    assert session.doc.modified


def test_a_failed_save_stays_modified(session, saved):
    session.open(str(saved))
    nudge(session)
    with pytest.raises(OSError):
        session.save("/proc/demarche-cannot-write-here.yaml")
    assert session.doc.modified and session.doc.path == str(saved)


def test_a_read_only_file_is_not_replaced_unless_asked(session, saved):
    session.open(str(saved))
    nudge(session)
    os.chmod(saved, 0o444)
    with pytest.raises(ReadOnlyFile):
        session.save(replace_read_only=False)
    assert projectfile.load(saved).events[0].when.text == "2023-10-20"
    session.save()
    assert projectfile.load(saved).events[0].when.text == "2023-10-21"
    assert oct(os.stat(saved).st_mode & 0o777) == "0o444"


def test_a_change_on_disk_is_noticed_once_and_our_own_save_is_not(session, saved, small_project):
    seen = []
    session.changedOnDisk.connect(seen.append)
    session.open(str(saved))
    nudge(session)
    session.save()
    session.watcher.fileChanged.emit(str(saved))  # our own write: no news
    assert seen == []
    other = copy.deepcopy(small_project)
    other.title = "Changed elsewhere"
    projectfile.save(other, saved)
    session.watcher.fileChanged.emit(str(saved))
    session.watcher.fileChanged.emit(str(saved))
    assert seen == [str(saved)]
    session.reload()
    assert session.doc.project.title == "Changed elsewhere" and not session.doc.modified


def test_a_change_on_disk_not_reloaded_is_known_until_read_or_written(
    session, saved, small_project
):
    session.open(str(saved))
    assert not session.changed_since_read()
    other = copy.deepcopy(small_project)
    other.title = "Changed elsewhere"
    projectfile.save(other, saved)
    session.watcher.fileChanged.emit(str(saved))  # said once, and the person kept theirs
    assert session.changed_since_read()  # a save would replace it: the editor asks
    session.save()
    assert not session.changed_since_read()
    projectfile.save(other, saved)
    session.reload()
    assert not session.changed_since_read()


def test_two_sessions_keep_two_recovery_copies(qapp, saved):
    a, b = Session(Document(Project())), Session(Document(Project()))
    for s in (a, b):
        s.open(str(saved))
        nudge(s)
        s.write_recovery()
    b.save()  # b's clean save removes b's copy only
    assert os.path.exists(recovery.path_for(a.id))
    assert not os.path.exists(recovery.path_for(b.id))
    assert recovery.pending() == ([], [])  # a lives: its copy is no one else's to offer
    a._claim = None  # as when a's process is gone
    found, _ = recovery.pending()
    assert [f.path for f in found] == [recovery.path_for(a.id)]


def test_a_copy_is_offered_once_the_editor_that_wrote_it_has_crashed(qapp, saved, tmp_path):
    """Another editor, started while the first runs, leaves the first's copy alone (it once
    offered to restore it, and deleting it left the first without a copy)."""
    script = (
        "import sys; from PySide6 import QtCore; "
        "QtCore.QStandardPaths.writableLocation = lambda kind: sys.argv[2]; "
        "app = QtCore.QCoreApplication([]); "
        "from app.editing import edits; from app.editing.document import Document; "
        "from app.editing.session import Session; from app.records.model import Project; "
        "s = Session(Document(Project())); s.open(sys.argv[1]); "
        "s.doc.undo_stack.push(edits.shift_events(s.doc, ['release'], 86400.0)); "
        "print(s.write_recovery(), flush=True); sys.stdin.read()"
    )
    editor = subprocess.Popen(
        [sys.executable, "-c", script, str(saved), str(tmp_path / "data")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        copy_path = editor.stdout.readline().strip()
        assert os.path.exists(copy_path)
        assert recovery.pending() == ([], [])  # its editor runs
    finally:
        editor.kill()  # a crash: nothing of it runs after
        editor.wait()
    found, _ = recovery.pending()
    assert [f.path for f in found] == [copy_path]
    assert found[0].project != projectfile.load(saved)  # the work it had not saved
    held = recovery.hold(copy_path)  # offered by one editor: not by another meanwhile
    assert held is not None and recovery.pending() == ([], [])
    del held
    assert [f.path for f in recovery.pending()[0]] == [copy_path]


def test_broken_recovery_files_are_skipped_with_a_reason(qapp, saved, tmp_path):
    folder = recovery.folder()
    with open(os.path.join(folder, "no-equals.yaml"), "w") as f:
        f.write(f"{recovery.MARK}original\n" + projectfile.dumps(projectfile.load(saved)))
    os.mkfifo(os.path.join(folder, "fifo.yaml"))
    os.symlink("/dev/zero", os.path.join(folder, "zero.yaml"))
    with open(os.path.join(folder, "garbage.yaml"), "w") as f:
        f.write("not: [a project\n")
    found, skipped = recovery.pending()
    assert [os.path.basename(f.path) for f in found] == ["no-equals.yaml"]
    assert found[0].original == ""
    reasons = {os.path.basename(s.path): s.reason for s in skipped}
    assert set(reasons) == {"fifo.yaml", "zero.yaml", "garbage.yaml"}
    assert reasons["fifo.yaml"] == "not a regular file"
