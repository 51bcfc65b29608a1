"""File ▸ Add Context Data…: a conflict dataset (ACLED, UCDP GED, any dated table) chosen,
looked at (its columns and rows), matched to the lanes (the names to look for in its actor
columns, separated by semicolons as ACLED separates its own lists, with the rows each lane gets) and accepted as a dataset of the project. Reading a
big file runs off the GUI thread, with a Cancel that stops DuckDB."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6 import QtCore, QtWidgets

from app.context.datasets import KIND_TITLES, ROLES, Dataset, DatasetError, guess_kind
from app.context.inspect import look
from app.context.summary import NO_LANE, summarise
from app.editing import edits
from app.records.model import Project
from app.records.plural import counted
from widgets.background import run_in_background

FILTER = "Conflict data (*.csv *.csv.gz *.tsv *.parquet);;All files (*)"
KIND_NAMES = {**KIND_TITLES, "csv": "Other table (choose columns)"}
# Column names that say what they hold, in the order tried: pre-selected in an "Other table"
# (any case). The date is the one a table cannot be drawn without.
ROLE_NAMES = {
    "date": ("date", "event_date", "date_start", "start_date", "start", "day"),
    "actors": ("actor1", "actor2", "actor", "actors", "side_a", "side_b"),
    "country": ("country",),
    "type": ("event_type", "type", "type_of_violence"),
    "fatalities": ("fatalities", "deaths", "best"),
}
NO_DATE = "Choose the date column: without one, no row can be placed on the chart."


class ContextDialog(QtWidgets.QDialog):
    def __init__(
        self,
        parent,
        project: Project,
        project_path: str | None,
        new_id: Callable[[str], str],
        path: str = "",
    ):
        super().__init__(parent)
        self.new_id = new_id  # an id not used yet in the project, from a title
        self.setWindowTitle("Add Context Data")
        self.resize(720, 560)
        self.project, self.project_path = project, project_path
        self.columns: list[str] = []
        self.looked_at = ""  # the path whose columns are shown
        self.made_title = ""  # the title made from a file's name (one typed is kept)
        self.named_meanwhile = False  # another path named while a file was read
        self.task = None
        self.path = QtWidgets.QLineEdit(path)
        self.path.setPlaceholderText("an ACLED or UCDP export, CSV, CSV.gz or Parquet")
        self.browse_button = browse = QtWidgets.QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        self.path.editingFinished.connect(self.inspect)
        self.title = QtWidgets.QLineEdit()
        self.kind = QtWidgets.QComboBox()
        for kind, name in KIND_NAMES.items():
            self.kind.addItem(name, kind)
        self.kind.currentIndexChanged.connect(self._show_roles)
        self.role_boxes = {role: QtWidgets.QComboBox() for role in ROLES}
        self.role_boxes["actors"].setEditable(True)  # several, separated by commas
        self.found = QtWidgets.QLabel("Choose a file to see its columns and rows.")
        self.found.setWordWrap(True)
        self.reason = QtWidgets.QLabel()  # why OK is refused, when it is
        self.role_boxes["date"].currentTextChanged.connect(self._update_ok)
        self.lanes = QtWidgets.QTableWidget(0, 3)
        self.lanes.setHorizontalHeaderLabels(["Lane", "Names to look for (separated by ;)", "Rows"])
        self.lanes.horizontalHeader().setSectionResizeMode(
            1, QtWidgets.QHeaderView.ResizeMode.Stretch
        )
        self.lanes.verticalHeader().hide()
        for actor in project.actors:
            self._lane_row(actor.id, actor.name, actor.name)
        self.count = QtWidgets.QPushButton("&Count Matches")
        self.count.clicked.connect(self.count_matches)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)  # DuckDB does not say how far it is: busy, not a fraction
        self.progress.hide()
        self.stop = QtWidgets.QPushButton("Stop")
        self.stop.clicked.connect(self.cancel_work)
        self.stop.hide()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout(browse)
        self._show_roles()
        self._update_ok()
        if path:
            QtCore.QTimer.singleShot(0, self, self.inspect)

    def _layout(self, browse) -> None:
        form = QtWidgets.QFormLayout()
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        label = QtWidgets.QLabel("&File:")
        label.setBuddy(self.path)
        form.addRow(label, row)
        form.addRow("&Title:", self.title)
        form.addRow("&Kind:", self.kind)
        self.role_rows = []
        for role, box in self.role_boxes.items():
            label = QtWidgets.QLabel(f"{role.capitalize()} column:")
            form.addRow(label, box)
            self.role_rows.append((label, box))
        form.addRow("", self.found)
        busy = QtWidgets.QHBoxLayout()
        busy.addWidget(self.count)
        busy.addWidget(self.progress, 4)
        busy.addWidget(self.stop)
        busy.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.lanes, 1)
        layout.addLayout(busy)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)

    def _lane_row(self, lane: str, label: str, names: str) -> None:
        r = self.lanes.rowCount()
        self.lanes.insertRow(r)
        item = QtWidgets.QTableWidgetItem(label)
        item.setData(QtCore.Qt.ItemDataRole.UserRole, lane)
        item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
        self.lanes.setItem(r, 0, item)
        self.lanes.setItem(r, 1, QtWidgets.QTableWidgetItem(names))
        rows = QtWidgets.QTableWidgetItem("")
        rows.setFlags(rows.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)
        self.lanes.setItem(r, 2, rows)

    # ------------------------------------------------------------ reading the file

    def browse(self) -> None:
        start = os.path.dirname(self.project_path) if self.project_path else ""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Context Data", start, FILTER)
        if path:
            self.path.setText(path)
            self.inspect()

    def inspect(self) -> None:
        """Look at the file named, unless it is the one already looked at (leaving the
        path box for a button must not read it again)."""
        text = self.path.text().strip()
        if not text or text == self.looked_at:
            return
        if self.task is not None:  # another file is being read: stopped, this one read next
            self.named_meanwhile = True  # (the reading's end looks at the path again: _next)
            self.task.cancel()
            return
        self.looked_at = text
        path = Path(text)
        # Nothing of the file looked at before stays: its columns (OK took a file that
        # could not be read with them), its rows per lane, the title made from its name.
        self.columns = []
        for r in range(self.lanes.rowCount()):
            self.lanes.item(r, 2).setText("")
        if not self.title.text() or self.title.text() == self.made_title:
            self.made_title = path.name.split(".")[0]
            self.title.setText(self.made_title)
        self.found.setText(f"Reading {path.name}…")
        self._start(
            lambda task: look(path, on_connect=lambda con: task.on_cancel(con.interrupt)),
            self._looked,
        )

    def _next(self) -> bool:
        """After a reading ends: a path named meanwhile read in its turn (True). Not after
        Stop alone: the file stopped is not read again."""
        if not self.named_meanwhile:
            return False
        self.named_meanwhile = False
        self.inspect()
        return True

    @QtCore.Slot(object)
    def _looked(self, result) -> None:
        self._stopped()
        if self._next():  # these are the columns of a file no longer named
            return
        self.columns, rows = result
        kind = guess_kind(self.columns)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        for box in self.role_boxes.values():
            box.clear()
            box.addItems(["", *self.columns])
        self._preselect()
        shown = ", ".join(self.columns[:15]) + (", …" if len(self.columns) > 15 else "")
        self.found.setText(f"{counted(rows, 'row')}; read as {KIND_NAMES[kind]}. Columns: {shown}")
        self._update_ok()

    def _preselect(self) -> None:
        """Choose the columns whose names say what they hold (all the actor columns found)."""
        lower = {c.lower(): c for c in self.columns}
        for role, names in ROLE_NAMES.items():
            found = [lower[n] for n in names if n in lower]
            if not found:
                continue
            box = self.role_boxes[role]
            if role == "actors":
                box.setCurrentText(", ".join(found))
            else:
                box.setCurrentIndex(box.findText(found[0]))

    def _show_roles(self) -> None:
        custom = self.kind.currentData() == "csv"
        for label, box in self.role_rows:
            label.setVisible(custom)
            box.setVisible(custom)
        self._update_ok()

    # ------------------------------------------------------------ matching the lanes

    def dataset(self) -> Dataset:
        lanes = {}
        for r in range(self.lanes.rowCount()):
            lane = self.lanes.item(r, 0).data(QtCore.Qt.ItemDataRole.UserRole)
            names = tuple(n.strip() for n in self.lanes.item(r, 1).text().split(";") if n.strip())
            if names:
                lanes[lane] = names
        columns = {}
        if self.kind.currentData() == "csv":
            for role, box in self.role_boxes.items():
                chosen = tuple(c.strip() for c in box.currentText().split(",") if c.strip())
                if chosen:
                    columns[role] = chosen
        return Dataset(
            id=self.new_id(self.title.text() or "context"),
            path=self._stored_path(),
            kind=self.kind.currentData(),
            title=self.title.text().strip(),
            columns=columns,
            lanes=lanes,
        )

    def _stored_path(self) -> str:
        """Relative to the project's folder when it is inside it, so the two move together."""
        return edits.stored_context_path(self.path.text().strip(), self.project_path)

    def count_matches(self) -> None:
        if self.reason.text():  # no date column: say what to do, not the file format's rule
            self.found.setText(self.reason.text())
            return
        try:
            dataset = self.dataset()
            dataset.column_roles()
        except DatasetError as e:
            self.found.setText(str(e))
            return
        path = Path(self.path.text().strip())
        self._start(
            lambda task: summarise(
                dataset, path, on_connect=lambda con: task.on_cancel(con.interrupt)
            ),
            self._counted,
        )

    @QtCore.Slot(object)
    def _counted(self, summary) -> None:
        self._stopped()
        if self._next():  # counted in a file no longer named
            return
        rows = summary.lane_rows()
        for r in range(self.lanes.rowCount()):
            lane = self.lanes.item(r, 0).data(QtCore.Qt.ItemDataRole.UserRole)
            n = rows.get(lane, 0)  # (a lane with none was left blank, as if not counted)
            self.lanes.item(r, 2).setText(f"{n:,}" if n else "0: no strip")
        unmatched = rows.get(NO_LANE, 0)
        note = f", {summary.undated:,} without a readable date" if summary.undated else ""
        lost = counted(unmatched, "row matches", "rows match")
        self.found.setText(
            f"{counted(summary.rows, 'row')}{note}; {lost} no lane"
            + (" (drawn in a strip of their own below the lanes)." if unmatched else ".")
        )

    # ------------------------------------------------------------ work off the GUI thread

    def _start(self, work, done) -> None:
        self.progress.show()
        self.stop.show()
        self.count.setEnabled(False)
        self.task = run_in_background(work, done, self._failed, self)
        self._update_ok()

    @QtCore.Slot(object)
    def _failed(self, error) -> None:
        cancelled = self.task is not None and self.task.cancelled
        if not self.columns:
            self.looked_at = ""  # the file could not be read: reading it again may work
        self._stopped()
        if self._next():
            return
        self.found.setText("Stopped." if cancelled else str(error).splitlines()[0])

    def _stopped(self) -> None:
        self.task = None
        self.progress.hide()
        self.stop.hide()
        self.count.setEnabled(True)
        self._update_ok()

    def cancel_work(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _update_ok(self, *_) -> None:
        no_date = (
            bool(self.columns)
            and self.kind.currentData() == "csv"
            and not self.role_boxes["date"].currentText().strip()
        )
        self.reason.setText(NO_DATE if no_date else "")
        self.reason.setVisible(no_date)
        ok = bool(self.columns) and self.task is None and not no_date
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def done(self, result: int) -> None:
        if self.task is not None:  # closing while DuckDB reads: stop it and wait
            task = self.task
            task.cancel()
            task.wait()
        super().done(result)
