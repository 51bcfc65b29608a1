"""Imports run on a worker of the application's thread pool, so that the window keeps
painting and answering while 100,000 rows are read: a job reports its progress and its
result by signals (queued to the GUI thread), and stops at its next progress report once
cancelled."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6 import QtCore
from shiboken6 import Shiboken

from app.importers import ImportCancelled, ImportFailed, import_files
from app.importers.repeats import repeats_of
from app.records.collector import collection_paused
from app.records.plural import counted
from widgets.background import wait_until


class _Signals(QtCore.QObject):
    progressed = QtCore.Signal(int)  # rows read so far
    finished = QtCore.Signal(object)  # the work's result, or the ImportFailed it raised


class ImportJob(QtCore.QRunnable):
    """`work(progress)` run on a pool thread; `progress(rows)` raises ImportCancelled once
    `cancel()` was called. Unexpected errors are reported as ImportFailed too: a worker
    must never take the window down."""

    def __init__(self, work: Callable[[Callable[[int], None]], object]):
        super().__init__()
        self.setAutoDelete(False)  # the dialog keeps it until it has answered
        self.signals = _Signals()
        self._work = work
        self._cancelled = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def progress(self, rows: int) -> None:
        if self._cancelled.is_set():
            raise ImportCancelled()
        if rows:
            self.signals.progressed.emit(rows)

    def run(self) -> None:
        try:
            with collection_paused():  # the window froze during full collections
                result = self._work(self.progress)
        except ImportCancelled:
            result = ImportCancelled()
        except ImportFailed as exc:
            result = exc
        except (RecursionError, MemoryError, ValueError, TypeError, OSError) as exc:
            result = ImportFailed(f"the file could not be read ({type(exc).__name__}: {exc})")
        finally:
            self._work = None  # what it read (the parsed files) goes with the answer
            self.done.set()
        self.signals.finished.emit(result)


def start(job: ImportJob) -> ImportJob:
    QtCore.QThreadPool.globalInstance().start(job)
    return job


class BackgroundImport:
    """What the import dialog does with its jobs: one at a time (a new one cancels the
    last), the progress bar while it runs, the buttons enabled when it has answered.
    Expects `paths`, `sources`, `progress`, `reading`, `into`, `new`, `reject`, `_show_problem`,
    `_fill_outcomes`, `_ensure_columns` and `_enable` on the dialog."""

    job: ImportJob | None = None

    def run_in_background(self, options: dict, done, compare=None) -> None:
        """Import with `options` on a worker; `done(project, reports)` on the GUI thread
        when it succeeds. With `compare`, (a project, the index of the first imported
        event), `done` is also told how many imported events that project has already,
        counted on the worker too (0.17 s at 100,000 events on each side). A job still
        running is cancelled: only the last one answers."""
        if self.job is not None:
            self.job.cancel()
        paths, sources = self.paths, self.sources

        def work(progress):
            project, reports = import_files(paths, **options, progress=progress, sources=sources)
            if compare is None:
                return project, reports
            return project, reports, repeats_of(compare[0], project, compare[1])

        job = ImportJob(work)
        job.signals.progressed.connect(lambda rows: self._progressed(job, rows))
        job.signals.finished.connect(lambda result: self._finished(job, result, done))
        self.job = job
        self.into.setEnabled(False)
        self.new.setEnabled(False)
        self.reading.setText("Reading…")
        self.progress.show()
        start(job)

    def _progressed(self, job: ImportJob, rows: int) -> None:
        if job is self.job:
            self.reading.setText(f"Reading… {counted(rows, 'row')}")

    def _finished(self, job: ImportJob, result, done) -> None:
        # Its last signal: the connections go, and with them the lambdas holding the job and
        # this dialog. Qt held them, out of the collector's sight: every dialog, with its
        # preview (100,000 events, the parsed file), lived as long as the process.
        job.signals.deleteLater()
        if job is not self.job or not Shiboken.isValid(self):
            return  # an earlier reading, cancelled (a later one answers), or a closed dialog
        self.job = None
        self.progress.hide()
        self.reading.setText("")
        self._ensure_columns()
        if isinstance(result, ImportCancelled):
            self._show_problem("cancelled")
        elif isinstance(result, ImportFailed):
            self._show_problem(str(result))
        else:
            done(*result)
            return
        self._fill_outcomes([])
        self._enable()

    def cancel_or_close(self) -> None:
        """Cancel stops the reading that runs; when none runs, it closes the dialog."""
        if self.job is not None:
            self.job.cancel()
        else:
            self.reject()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().reject()  # QDialog's

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Until the running job has answered (for scripts and tests); whether it did."""
        return wait_until(lambda: self.job is None, timeout_ms)
