"""Long work off the GUI thread: a function run on a QThread, its result or error handed back
to the GUI thread by signals, and a cancel that the work itself can act on (DuckDB's
`interrupt`, a flag a reader checks). The window keeps painting and answering meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore


class Task(QtCore.QObject):
    """`fn(task)` run on a thread of its own; `task.cancelled` tells it to stop early, and
    `on_cancel` callbacks it registers run when the person cancels."""

    finished = QtCore.Signal(object)  # the result, on the GUI thread
    failed = QtCore.Signal(object)  # the exception
    progressed = QtCore.Signal(str)

    def __init__(self, fn: Callable[[Task], object]):
        super().__init__()
        self.fn = fn
        self.cancelled = False
        self._on_cancel: list[Callable[[], None]] = []
        self.thread = QtCore.QThread()
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run)

    def on_cancel(self, callback: Callable[[], None]) -> None:
        """Run `callback` when the person cancels; at once if they already have (the work
        may register its stop, a DuckDB connection, after Stop was pressed)."""
        self._on_cancel.append(callback)
        if self.cancelled:
            callback()

    def cancel(self) -> None:
        self.cancelled = True
        for callback in self._on_cancel:
            callback()

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
            self.failed.emit(e)
        else:
            self.finished.emit(result)
        finally:
            self.thread.quit()


def run_in_background(
    fn: Callable[[Task], object],
    on_done: Callable[[object], None],
    on_error: Callable[[BaseException], None],
    parent: QtCore.QObject,
) -> Task:
    """Start `fn` on a thread; `on_done` or `on_error` is called on the GUI thread. The task
    is kept by `parent` until it ends, so nothing collects it mid-run."""
    task = Task(fn)
    task.setParent(None)
    keep = getattr(parent, "_background_tasks", None)
    if keep is None:
        keep = parent._background_tasks = set()
    keep.add(task)

    def forget(*_):
        keep.discard(task)

    task.finished.connect(on_done, QtCore.Qt.ConnectionType.QueuedConnection)
    task.failed.connect(on_error, QtCore.Qt.ConnectionType.QueuedConnection)
    task.thread.finished.connect(forget)
    return task.start()
