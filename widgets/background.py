"""Long work off the GUI thread: a function run on a QThread, its result or error handed back
to the GUI thread by signals, and a cancel that the work itself can act on (DuckDB's
`interrupt`, a flag a reader checks). The window keeps painting and answering meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore


class Cancelled(Exception):
    """The person cancelled: raised by `Task.step` so that the work stops where it is."""


# Every task that runs, until its thread has ended: a QThread destroyed while it runs
# aborts the process, and the window that started the task may close first.
_RUNNING: set[Task] = set()

EVERY_EVENT = QtCore.QEventLoop.ProcessEventsFlag(0)
WAKE_MS = 5  # how soon a wait (below) sees an end that posted no event: a thread's end
# A cancel is said again this often until the work ends: DuckDB's interrupt stops only the
# statement running, and one that came between two statements (or before the first) was
# lost, the next one reading on for as long as it took.
CANCEL_AGAIN_MS = 100


class Task(QtCore.QObject):
    """`fn(task)` run on a thread of its own; `task.cancelled` tells it to stop early, and
    `on_cancel` callbacks it registers run when the person cancels."""

    finished = QtCore.Signal(object)  # the result, on the GUI thread
    failed = QtCore.Signal(object)  # the exception
    progressed = QtCore.Signal(str)
    stepped = QtCore.Signal(int, int)  # steps done, steps in all

    def __init__(self, fn: Callable[[Task], object]):
        super().__init__()
        self.fn = fn
        self.cancelled = False
        self._on_cancel: list[Callable[[], None]] = []
        self._again: QtCore.QTimer | None = None
        self.thread = QtCore.QThread()
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run)

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Run `callback` when the person cancels; at once if they already have (the work
        may register its stop, a DuckDB connection, after Stop was pressed)."""
        self._on_cancel.append(callback)
        if self.cancelled:
            _quietly(callback)

    def cancel(self) -> None:
        """Stop the work: now, and again until it has ended (see CANCEL_AGAIN_MS)."""
        self.cancelled = True
        self.cancel_again()
        if self._again is None and self.thread.isRunning():
            # A timer of the GUI thread (the task itself lives on the busy one), calling a
            # plain function there: a slot of the task would wait for that thread's loop.
            self._again = again = QtCore.QTimer()
            again.setInterval(CANCEL_AGAIN_MS)
            again.timeout.connect(lambda: self.cancel_again())
            self.thread.finished.connect(again.stop)
            again.start()

    def cancel_again(self) -> None:
        for callback in list(self._on_cancel):
            _quietly(callback)

    def step(self, done: int, total: int) -> None:
        """Called by the work between its steps: says how far it is, and raises Cancelled
        once the person has cancelled."""
        if self.cancelled:
            raise Cancelled()
        self.stepped.emit(done, total)

    def start(self) -> Task:
        self.thread.start()
        return self

    def wait(self, ms: int = 30_000) -> bool:
        return self.thread.wait(ms)

    @QtCore.Slot()
    def _run(self) -> None:
        try:
            result = self.fn(self)
        except BaseException as e:  # handed to the GUI thread, which says it in words
            if isinstance(e, Cancelled):  # its frames (painters, images) end here, not there
                e = e.with_traceback(None)
            self.failed.emit(e)
        else:
            self.finished.emit(result)
        finally:
            self.fn = None  # what the work held (a project, a picture) goes with it
            self.thread.quit()


def run_in_background(
    fn: Callable[[Task], object],
    on_done: Callable[[object], None],
    on_error: Callable[[BaseException], None],
    parent: QtCore.QObject,
) -> Task:
    """Start `fn` on a thread; `on_done` or `on_error` (methods of objects of the GUI thread)
    is called on the GUI thread. The task is kept until its thread ends (even if `parent`
    goes first), so nothing collects it mid-run."""
    for answer in (on_done, on_error):
        _check_slot(answer)
    task = Task(fn)
    task.setParent(None)
    _stop_at_quit()
    _RUNNING.add(task)
    task.finished.connect(on_done, QtCore.Qt.ConnectionType.QueuedConnection)
    task.failed.connect(on_error, QtCore.Qt.ConnectionType.QueuedConnection)
    task.thread.finished.connect(lambda: _RUNNING.discard(task))
    return task.start()


def _check_slot(answer) -> None:
    """The answer goes to a method of an object of the GUI thread (a widget's slot): a plain
    function or a lambda, connected to the task (which lives on its thread), was called on
    that thread once its loop had ended, so never, and an error handed to one was lost."""
    owner = getattr(answer, "__self__", None)
    if not isinstance(owner, QtCore.QObject):
        raise TypeError(f"{answer!r}: not a method of a QObject (the answer would be lost)")


def wait_all(timeout_ms: int = 60_000) -> bool:
    """Until every task has ended and its answer has been handled (for scripts and tests);
    whether they all did in time."""
    wait_until(lambda: not _RUNNING, timeout_ms)
    QtCore.QCoreApplication.processEvents()  # the answers queued as they ended
    return not _RUNNING


def wait_until(done: Callable[[], bool], timeout_ms: int, flags=EVERY_EVENT) -> bool:
    """Serve the GUI thread's events until `done()` or the time is up (-1: no limit);
    whether it is done. `flags` may hold some events back (the person's input). Asleep
    between events, woken by a short timer to ask again: `processEvents` in a loop returns
    at once when nothing is queued, and spun a whole core beside the thread it waited for
    (about 3 s of the test suite's CPU)."""
    deadline = QtCore.QDeadlineTimer(timeout_ms)
    wake = QtCore.QTimer()
    wake.start(WAKE_MS)
    try:
        while not done() and not deadline.hasExpired():
            QtCore.QCoreApplication.processEvents(
                QtCore.QEventLoop.ProcessEventsFlag.WaitForMoreEvents | flags
            )
    finally:
        wake.stop()
    return done()


def _stop_at_quit(hooked: list = []) -> None:  # noqa: B006 (once per application)
    app = QtCore.QCoreApplication.instance()
    if app is not None and app not in hooked:
        app.aboutToQuit.connect(stop_all)
        hooked.append(app)


def stop_all(timeout_ms: int = 30_000) -> None:
    """At quit: every task cancelled and its thread waited for, so that none is destroyed
    while it runs (Qt aborts the process then), e.g. a cancelled open still reading."""
    for task in list(_RUNNING):
        task.cancel()
    deadline = QtCore.QDeadlineTimer(timeout_ms)
    for task in list(_RUNNING):
        while not task.wait(CANCEL_AGAIN_MS) and not deadline.hasExpired():
            task.cancel_again()  # (no timer runs while the GUI thread waits here)


def _quietly(callback: Callable[[], None]) -> None:
    """A cancel's callback, whose work may have just ended: DuckDB refuses to interrupt a
    connection closed meanwhile, and there is nothing left to stop."""
    try:
        callback()
    except Exception:
        pass
