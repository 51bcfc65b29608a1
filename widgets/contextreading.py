"""The Context panel's datasets read off the GUI thread (widgets/background.py), as the Add
dialog reads a file: a line saying which dataset is being read, a busy bar (DuckDB does not
say how far it is) and a Stop that interrupts DuckDB and ends the reading there. The window
keeps painting and answering meanwhile; a summary in the cache answers at once."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.context import project as context_project
from widgets.background import Cancelled, Task, run_in_background


class ContextReading(QtWidgets.QWidget):
    """Shown while a reading runs. Exactly one of `read(list of Loaded)`, `stopped()` or
    `failed(words)` answers each reading not let go (`start` again, or `let_go`)."""

    read = QtCore.Signal(object)
    stopped = QtCore.Signal()
    failed = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.task: Task | None = None
        self.generation = 0  # a reading's answer counts only if it is the latest's
        self.titles: list[str] = []
        self.label = QtWidgets.QLabel()
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(self.fontMetrics().height())
        self.stop = QtWidgets.QPushButton("&Stop")
        self.stop.setToolTip("Stop reading the context data (none of it is drawn)")
        self.stop.clicked.connect(self.cancel)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.bar, 1)
        row.addWidget(self.stop)
        self.hide()

    def start(self, project, project_path) -> None:
        """Read every dataset of `project`; a reading still under way is stopped first (it
        was for an older state of the project)."""
        self.let_go()
        self.generation += 1
        generation = self.generation
        self.titles = [record.title for record in project.context]

        def work(task: Task):
            try:
                loaded = context_project.load(
                    project,
                    project_path,
                    step=task.step,
                    on_connect=lambda con: task.on_cancel(con.interrupt),
                )
            except Exception as e:  # Cancelled included: answered with its reading's number
                return generation, None, e
            return generation, loaded, None

        self.task = run_in_background(work, self._answered, self._broke, self)
        self.task.stepped.connect(self._stepped)
        self._stepped(0, len(self.titles))
        self.stop.setEnabled(True)
        self.show()

    def cancel(self) -> None:
        """Stop: DuckDB is interrupted and the reading ends at the dataset it was at."""
        if self.task is not None:
            self.task.cancel()
            self.stop.setEnabled(False)
            self.label.setText("Stopping…")

    def let_go(self) -> None:
        """The reading under way, if any, stopped without an answer."""
        if self.task is not None:
            self.task.cancel()
            self.generation += 1
        self._end()

    @QtCore.Slot(int, int)
    def _stepped(self, done: int, total: int) -> None:
        if self.task is None or self.task.cancelled or done >= total:
            return
        self.label.setText(f"Reading {self.titles[done]} ({done + 1} of {total})…")

    @QtCore.Slot(object)
    def _answered(self, result) -> None:
        generation, loaded, error = result
        if generation != self.generation:
            return
        self._end()
        if error is None:
            self.read.emit(loaded)
        elif isinstance(error, Cancelled):
            self.stopped.emit()
        else:
            self.failed.emit(str(error))

    @QtCore.Slot(object)
    def _broke(self, error) -> None:
        """What the work did not catch (it catches every Exception)."""
        self._end()
        self.failed.emit(str(error))

    def _end(self) -> None:
        self.task = None
        self.hide()
