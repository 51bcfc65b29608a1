"""A forked process that works ahead of its parent on the second of the machine's cores:
it runs a generator and hands each bytes message it yields, in order, through a pipe.
What crosses is bytes only (no Python objects pickled); the parent reads each message
when it needs it, and does the work itself once a message does not come (the helper
failed, died or ended early).

    ahead = start(messages)         # None when no helper may start: do the work here
    message = ahead.next()          # None once the helper has no more to give
    ahead.close()                   # the helper ended, whatever it was doing

`messages(waits)` runs in the helper; `waits()` says how many times so far the parent
asked for a message before it was there (shared memory): the helper then knows whether
it keeps the parent waiting.

Forking copies only the thread that forks: a lock another thread held stays locked in
the child for ever. So a helper starts only where the process runs a single thread (the
command line: the editor's window runs many, and imports on a worker thread), and only
where the system says so (Linux's /proc). It starts only while a core is free, too: on
a machine kept busy by other work, an ACLED import and a helper that wrote every chunk's
texts took 25% longer than the import alone (100,000 rows, 2.79 s against 2.22 s at a
load of 3.8 on two cores)."""

from __future__ import annotations

import mmap
import os
import select
import signal
import struct
from collections.abc import Callable, Iterable
from functools import partial

_LENGTH = struct.Struct("<q")
_COUNT = struct.Struct("<q")
PIPE_BYTES = 1 << 20  # a pipe this large lets the helper work a chunk ahead unblocked


def single_threaded() -> bool:
    """Whether this process runs one thread, as the system counts them (False when it
    cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def free_core(loadavg: str | None = None, cores: int | None = None) -> bool:
    """Whether a core is free now: fewer tasks ready to run than cores, this one included
    (/proc/loadavg's fourth field, "ready/all"). False when the system does not say."""
    try:
        if loadavg is None:
            with open("/proc/loadavg") as f:
                loadavg = f.read()
        ready = int(loadavg.split()[3].split("/")[0])
        cores = cores if cores is not None else len(os.sched_getaffinity(0))
    except (OSError, ValueError, IndexError, AttributeError):
        return False
    return ready < cores


def start(messages: Callable[[Callable[[], int]], Iterable[bytes]]) -> Ahead | None:
    """A helper process that sends each message `messages(waits)` yields; None when none
    may start here (more than one thread, no core free, no fork, no process or pipe)."""
    if not hasattr(os, "fork") or not single_threaded() or not free_core():
        return None
    try:
        waits = mmap.mmap(-1, _COUNT.size)  # (shared with the helper once forked)
    except OSError:
        return None
    try:
        read_end, write_end = os.pipe()
    except OSError:
        waits.close()
        return None
    try:
        import fcntl

        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # (a smaller pipe only makes the helper wait for the parent more often)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        waits.close()
        return None
    if pid == 0:  # the helper: never back into the parent's code (its finally blocks, exit)
        code = 1
        try:
            os.close(read_end)
            with open(write_end, "wb") as out:
                for message in messages(partial(_COUNT.unpack_from, waits)):
                    out.write(_LENGTH.pack(len(message)))
                    out.write(message)
                    out.flush()
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the parent does the work itself
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return Ahead(pid, read_end, waits)


class Ahead:
    """The parent's end of a helper: its messages, in the order they were sent."""

    def __init__(self, pid: int, fd: int, waits: mmap.mmap):
        self.pid, self._in, self._waits = pid, fd, waits
        self.waits = 0

    def next(self) -> bytes | None:
        """The next message; None when there is none (the helper ended, or failed)."""
        if self._in is None:
            return None
        if not select.select([self._in], [], [], 0)[0]:  # (told before it waits)
            self.waits += 1
            _COUNT.pack_into(self._waits, 0, self.waits)
        head = self._read(_LENGTH.size)
        message = self._read(_LENGTH.unpack(head)[0]) if head is not None else None
        if message is None:
            self.close()
        return message

    def _read(self, size: int) -> bytearray | None:
        """`size` bytes from the pipe; None when it ends before."""
        found = bytearray(size)
        view, got = memoryview(found), 0
        while got < size:
            more = os.readv(self._in, [view[got:]])
            if not more:
                return None
            got += more
        return found

    def close(self) -> None:
        """The helper stopped, whatever it was doing, and its process reaped."""
        if self._in is None:
            return
        os.close(self._in)
        self._in = None
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass  # (reaped already)
