"""A save keeps what the file was and leaves no half-written file behind."""

from __future__ import annotations

import os
import time

import pytest

from app.fileformat import atomic, projectfile
from app.fileformat.atomic import ReadOnlyFile, write_atomic


def test_a_symlinked_project_stays_a_link_and_its_target_is_written(tmp_path, small_project):
    target = tmp_path / "real.yaml"
    projectfile.save(small_project, target)
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    small_project.title = "Through the link"
    projectfile.save(small_project, link)
    assert link.is_symlink() and projectfile.load(target).title == "Through the link"


def test_mode_is_kept_and_the_backup_is_as_private(tmp_path, small_project):
    path = tmp_path / "private.yaml"
    projectfile.save(small_project, path)
    os.chmod(path, 0o600)
    projectfile.save(small_project, path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "private.yaml.bak").stat().st_mode & 0o777) == "0o600"


def test_a_new_file_gets_the_usual_mode(tmp_path):
    path = tmp_path / "new.yaml"
    write_atomic(path, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_read_only_file_is_refused_unless_allowed(tmp_path):
    path = tmp_path / "ro.yaml"
    path.write_bytes(b"old")
    os.chmod(path, 0o444)
    with pytest.raises(ReadOnlyFile):
        write_atomic(path, b"new", replace_read_only=False)
    assert path.read_bytes() == b"old"
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new" and oct(path.stat().st_mode & 0o777) == "0o444"


def test_the_backup_is_the_previous_version_and_a_planted_link_is_not_followed(tmp_path):
    path = tmp_path / "p.yaml"
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    path.write_bytes(b"version 1")
    (tmp_path / "p.yaml.bak").symlink_to(victim)
    write_atomic(path, b"version 2", keep_backup=True)
    assert victim.read_bytes() == b"precious"
    backup = tmp_path / "p.yaml.bak"
    assert not backup.is_symlink() and backup.read_bytes() == b"version 1"
    assert path.read_bytes() == b"version 2"


def test_temporary_names_are_short_and_exclusive(tmp_path):
    long_name = tmp_path / ("n" * 250 + ".yaml")  # a legal name of 255 bytes
    write_atomic(long_name, b"one")
    write_atomic(long_name, b"two", keep_backup=True)
    assert long_name.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == [long_name.name]  # .bak would be too long


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"old")

    def full_disk(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new", keep_backup=True)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_save_written_piece_by_piece_that_fails_midway_leaves_the_old_file(
    tmp_path, small_project
):
    """A project is written to its file as it is made, without a copy in memory: a failure
    halfway through (a full disk) leaves the old file whole and no temporary."""
    path = tmp_path / "p.yaml"
    projectfile.save(small_project, path)
    before = path.read_bytes()

    def half_then_full(write) -> None:
        write(b"demarche: 1\n")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(path, half_then_full, keep_backup=True)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert projectfile.load(path) == small_project


def test_temporaries_a_killed_save_left_are_cleaned_by_the_next(tmp_path):
    stale = tmp_path / f"{atomic.TEMP_PREFIX}abc{atomic.TEMP_SUFFIX}"
    stale.write_bytes(b"x" * 1000)
    old = time.time() - atomic.STALE_TEMP_S - 10
    os.utime(stale, (old, old))
    fresh = tmp_path / f"{atomic.TEMP_PREFIX}def{atomic.TEMP_SUFFIX}"  # another save, now
    fresh.write_bytes(b"y")
    write_atomic(tmp_path / "p.yaml", b"data")
    assert not stale.exists() and fresh.exists()


def test_special_files_are_not_replaced(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, b"x")


def test_a_big_save_is_handed_to_the_disk_as_it_is_made_and_written_whole(tmp_path, monkeypatch):
    """A save written through a function has each WRITE_AHEAD bytes handed to the disk as
    they are made, in order and without a gap; the file holds every byte, in order."""
    monkeypatch.setattr(atomic, "WRITE_AHEAD", 1000)
    asked: list[tuple[int, int]] = []
    fadvise = os.posix_fadvise
    monkeypatch.setattr(
        os, "posix_fadvise", lambda fd, at, n, how: (asked.append((at, n)), fadvise(fd, at, n, how))
    )
    chunks = [bytes([k % 251]) * (37 * k + 1) for k in range(200)]
    path = tmp_path / "big.yaml"
    atomic.write_atomic(path, lambda write: [write(c) for c in chunks])
    assert path.read_bytes() == b"".join(chunks)
    assert len(asked) > 100 and asked[0][0] == 0
    assert all(a + n == b for (a, n), (b, _) in zip(asked, asked[1:], strict=False))
    assert all(n >= 1000 for _, n in asked)


def test_writes_read_the_umask_without_setting_it(tmp_path, small_project, monkeypatch):
    """`os.umask` sets the process's mask to read it: a save on a thread and a recovery
    copy written on the GUI thread meanwhile gave the saved file 0600, and could have left
    the mask 0 for good."""
    from app.editing import recovery

    mask = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda *_: pytest.fail("the umask was set"))
        monkeypatch.setattr(recovery, "folder", lambda: str(tmp_path))
        write_atomic(tmp_path / "new.yaml", b"x")
        copy = recovery.write(small_project, None, "s1")
    finally:
        monkeypatch.undo()
        os.umask(mask)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o640
    assert os.stat(copy).st_mode & 0o777 == 0o600
