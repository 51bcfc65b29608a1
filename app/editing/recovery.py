"""Recovery files: the autosaved copy of modified work, one per window session, kept in
the user's data folder (private: the folder 0700, the files 0600) until a clean save or
close, and offered back after a crash. A copy found at start stays until the person
restores or discards it, so no later autosave can overwrite it. A session holds a lock
beside its copy while it lives (`claim`): another editor, started meanwhile, leaves that
copy alone; a crash lets the lock go (Qt finds its process gone)."""

from __future__ import annotations

import contextlib
import os
import stat
import time
from dataclasses import dataclass, replace

from PySide6 import QtCore

from app.fileformat import projectfile
from app.fileformat.atomic import write_atomic
from app.records.model import Project

MARK = "# demarche-recovery: "
MAX_RECOVERY_BYTES = projectfile.MAX_FILE_BYTES


def folder() -> str:
    """Qt's data location for the application, private: on Linux
    ~/.local/share/Demarche/Demarche/recovery (organisation, then application)."""
    base = QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.AppDataLocation
    )
    path = os.path.join(base or os.path.expanduser("~/.local/share/Demarche"), "recovery")
    _private_folder(path)
    return path


def _private_folder(path: str) -> None:
    os.makedirs(path, mode=0o700, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700)


def path_for(session: str) -> str:
    return os.path.join(folder(), f"{session}.yaml")


def write(project: Project, document_path: str | None, session: str) -> str:
    """Write this session's recovery copy atomically, readable by the user alone."""
    target = path_for(session)
    header = (
        f"{MARK}original={document_path or ''}\n{MARK}saved={time.strftime('%Y-%m-%d %H:%M:%S')}\n"
    )
    text = header + projectfile.dumps(project)
    # Readable by the user alone, without setting the umask (the process's: a save writing
    # on a thread meanwhile would take it for its file).
    write_atomic(target, text.encode("utf-8"), new_mode=0o600)
    with contextlib.suppress(OSError):
        os.chmod(target, 0o600)
    return target


def claim(session: str) -> QtCore.QLockFile | None:
    """The session's hold on its copy, for as long as the returned lock lives (None when
    it cannot be taken: the copy is written anyway)."""
    lock = QtCore.QLockFile(_lock_path(session))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
    return lock if lock.tryLock(0) else None


def hold(copy_path: str) -> QtCore.QLockFile | None:
    """A hold on a copy another session left, while it is offered: an editor started
    meanwhile leaves it alone (None: one did not)."""
    return claim(os.path.basename(copy_path).removesuffix(".yaml"))


def in_use(session: str) -> bool:
    """Whether a live session (of this editor or another) holds its copy. A lock its
    process left in a crash is removed."""
    lock = QtCore.QLockFile(_lock_path(session))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return lock.error() == QtCore.QLockFile.LockError.LockFailedError


def _lock_path(session: str) -> str:
    return os.path.join(folder(), f"{session}.lock")


def remove(session: str) -> None:
    discard(path_for(session))


def discard(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


@dataclass
class Recovered:
    path: str  # the recovery file
    original: str  # the document's own path, or "" for an untitled one
    saved: str  # when it was written
    project: Project


@dataclass
class Skipped:
    path: str
    reason: str


def pending(exclude: str | None = None) -> tuple[list[Recovered], list[Skipped]]:
    """Recovery files left by sessions that are gone (not `exclude`, nor one that lives),
    and those that could not be read, with why. Anything that is not a small regular file
    is skipped unread."""
    found, skipped = [], []
    try:
        names = sorted(os.listdir(folder()))
    except OSError:
        return [], []
    for name in names:
        if not name.endswith(".yaml") or name == f"{exclude}.yaml" or in_use(name[:-5]):
            continue
        path = os.path.join(folder(), name)
        try:
            st = os.lstat(path)
        except OSError as exc:
            skipped.append(Skipped(path, exc.strerror or str(exc)))
            continue
        if not stat.S_ISREG(st.st_mode):
            skipped.append(Skipped(path, "not a regular file"))
            continue
        try:
            project = projectfile.load(path)
        except projectfile.ProjectFileError as exc:
            skipped.append(Skipped(path, str(exc.diagnostics[0])))
            continue
        lines = project.preamble.splitlines(keepends=True)
        meta = {}
        for line in lines:
            if line.startswith(MARK) and "=" in line:
                key, value = line[len(MARK) :].strip().split("=", 1)
                meta[key] = value
        preamble = "".join(line for line in lines if not line.startswith(MARK))
        original, saved = meta.get("original", ""), meta.get("saved", "")
        found.append(Recovered(path, original, saved, replace(project, preamble=preamble)))
    return found, skipped
