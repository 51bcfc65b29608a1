"""The editor's File ▸ Save keeps a project's CR LF line ends (a file from Windows, or from
git with autocrlf): a diff of the save shows only what was edited."""

from __future__ import annotations

from app.editing import edits
from app.fileformat import projectfile
from app.records.eventstore import EventStore


def test_a_crlf_project_edited_and_saved_in_the_editor_stays_crlf(window, tmp_path, small_project):
    path = tmp_path / "talks.yaml"
    before = projectfile.dumps(small_project).replace("\n", "\r\n").encode()
    path.write_bytes(before)
    window.open_path(str(path))
    assert isinstance(window.doc.project.events, EventStore)  # read fast, as any file is
    doc = window.doc
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "title", "Two women freed"))
    changed = []
    window.session.changedOnDisk.connect(changed.append)
    window.actions_["save"].trigger()
    after = path.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n") == after.count(b"\r")
    old, new = before.split(b"\r\n"), after.split(b"\r\n")
    assert len(old) == len(new)  # one line changed, every other as it was
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        (b'    title: "Hamas releases two women"', b'    title: "Two women freed"')
    ]
    assert not doc.modified and changed == []
