"""Writing a file so that it is either the old version or the new one, never half of each.

    write_atomic("talks.yaml", data, keep_backup=True)

The data goes to a temporary file created exclusively beside the target (a short random
name, so a long file name still fits), is flushed to disk, takes the target's mode and
owner, and is renamed over the target. A symbolic link is written through to the file it
points to. The backup (NAME.bak) is a hard link to the previous version, renamed into
place, so it too is whole or absent. Hard links to the target itself are not kept: the
rename gives the new version a new inode (writing in place would not be atomic).
With `line_ends_from` (the target itself, for a rewrite in place), text is written with the
line ends of that file: CR LF where it had them (saved on Windows, or checked out by git with
autocrlf), so that a diff shows only what changed; LF for a new file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable

TEMP_PREFIX = ".demarche-"
TEMP_SUFFIX = ".tmp"
WRITE_AHEAD = 16 << 20  # bytes of a big save handed to the disk at a time (below)
STALE_TEMP_S = 600  # temporary files older than this were left by a save that was killed
LINE_END_PROBE = 1 << 16  # bytes read of the old file to find how its first line ends


class ReadOnlyFile(OSError):
    """The target is read-only; the caller asks before overwriting it."""

    def __init__(self, path: str):
        super().__init__(errno.EACCES, "the file is read-only", path)


def is_read_only(path: str) -> bool:
    try:
        return not os.stat(path).st_mode & 0o222
    except OSError:
        return False


def write_atomic(
    path: str | os.PathLike,
    data: bytes | Callable[[Callable[[bytes], object]], None],
    keep_backup: bool = False,
    replace_read_only: bool = True,
    line_ends_from: str | os.PathLike | None = None,
    new_mode: int | None = None,
) -> None:
    """Write `data` to `path` atomically: bytes, or a function that writes its bytes
    through the function it is given (a big file, without a copy of it in memory).
    With `line_ends_from`, `data` is text whose lines end in LF, written with CR LF where
    that file's first line ends so. A new file gets `new_mode`, else the mode the umask
    leaves; a file replaced keeps its own. Raises OSError with the reason on any failure,
    leaving the old file (and the old backup) as they were."""
    target = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(target)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", target)
    if old is not None and not replace_read_only and not old.st_mode & 0o222:
        raise ReadOnlyFile(target)
    if line_ends_from is not None and line_end_of(line_ends_from) == b"\r\n":
        data = _crlf(data)
    _remove_stale_temps(folder)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(data):
                data(_writing_ahead(f))
            else:
                f.write(data)
            f.flush()
            if old is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
                with contextlib.suppress(PermissionError):
                    os.fchown(f.fileno(), old.st_uid, old.st_gid)
            else:
                os.fchmod(f.fileno(), 0o666 & ~_umask() if new_mode is None else new_mode)
            os.fsync(f.fileno())
        if keep_backup and old is not None:
            _backup(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def line_end_of(path: str | os.PathLike) -> bytes:
    """How the file's first line ends: CR LF, or LF (also for a file with one line, or
    none, or that cannot be read). Its first line decides, as editors decide."""
    try:
        with open(path, "rb") as f:
            head = f.read(LINE_END_PROBE)
    except OSError:
        return b"\n"
    end = head.find(b"\n")
    return b"\r\n" if end > 0 and head[end - 1] == ord("\r") else b"\n"


def _crlf(data: bytes | Callable[[Callable[[bytes], object]], None]):
    """`data` (text ending its lines in LF) with its lines ended in CR LF instead, a chunk
    at a time when it is written through a function (a chunk may be a view of a store's
    bytes: copied to replace)."""
    if not callable(data):
        return bytes(data).replace(b"\n", b"\r\n")

    def written(write: Callable[[bytes], object]) -> None:
        data(lambda chunk: write(bytes(chunk).replace(b"\n", b"\r\n")))

    return written


def _writing_ahead(f) -> Callable[[bytes], object]:
    """`f.write`, which also has the system start writing each WRITE_AHEAD bytes to disk
    as soon as they are made (POSIX_FADV_DONTNEED starts the write-back, without waiting
    for it): the fsync at the end then waits for the last part only, not the whole file."""
    if not hasattr(os, "posix_fadvise"):
        return f.write
    started = written = 0

    def write(chunk: bytes) -> None:
        nonlocal started, written
        f.write(chunk)
        written += len(chunk)
        if written - started >= WRITE_AHEAD:
            f.flush()
            os.posix_fadvise(f.fileno(), started, written - started, os.POSIX_FADV_DONTNEED)
            started = written

    return write


def _backup(target: str, tmp: str) -> None:
    """TARGET.bak becomes the previous version: a hard link to it (or, where the file
    system has none, a copy) under a temporary name, renamed over the old backup. A
    symbolic link planted as TARGET.bak is replaced, never written through."""
    staged = tmp + ".bak"
    try:
        os.link(target, staged)
    except OSError:
        with open(target, "rb") as src, open(staged, "xb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    try:
        os.replace(staged, target + ".bak")
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        if exc.errno != errno.ENAMETOOLONG:
            raise
        # A name of 252 bytes or more has no room for ".bak": no backup can exist there.
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(staged)
        raise


def _remove_stale_temps(folder: str) -> None:
    now = time.time()
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(TEMP_PREFIX) and (name.endswith(TEMP_SUFFIX) or name.endswith(".bak")):
            path = os.path.join(folder, name)
            with contextlib.suppress(OSError):
                st = os.lstat(path)
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_TEMP_S:
                    os.unlink(path)


def _sync_folder(folder: str) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    """The process's umask, read without setting it (`os.umask` sets it: a save on one
    thread and a write on another doing so at once could leave it 0 for good): from /proc
    where there is one, else as it was when this module was imported."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return _UMASK_AT_IMPORT


def _umask_now() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK_AT_IMPORT = _umask_now()  # (imported before any thread writes)
