"""File ▸ Import…: other tools' files read and previewed (the first rows as they become
events, which column holds what for spreadsheets, which lane each imported actor goes to,
every skipped row with why, and the PLOVER replies that may settle a demand, each applied
only when ticked), then added to the open project (one undo step) or opened as a new
project in a new window.

Reading runs on a worker (widgets/importworker.py) with progress and cancel; the files
are parsed once and kept (`self.sources`), so that an option change builds the records
again from the rows already read."""

from __future__ import annotations

import copy
import os
from collections import Counter

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.importers import (
    ImportFailed,
    canonical_text,
    registry,
)
from app.importers.base import key, made_words
from app.importers.repeats import repeats_words
from app.importers.spreadsheet import HEADERS, guess
from widgets.canvas import padded
from widgets.importworker import BackgroundImport

FILTER = registry.file_filter()
PREVIEW_ROWS = 20
NEW_LANE = "(a new lane)"


class ImportDialog(BackgroundImport, QtWidgets.QDialog):
    def __init__(self, window, paths: list[str]):
        super().__init__(window)
        self.window_, self.paths = window, paths
        self.setWindowTitle("Import")
        self.resize(900, 640)
        self.project = None
        self.reports: list = []
        self.sources: dict = {}  # each file parsed once, whatever the options
        self.job = None  # the reading that runs (BackgroundImport)
        self.guessed: dict[str, str] = {}
        self.format = QtWidgets.QComboBox()
        self.format.addItem("Found from each file", None)
        for imp in registry.IMPORTERS.values():
            self.format.addItem(f"{imp.name}: {imp.title}", imp.name)
        self.format.currentIndexChanged.connect(self.read)
        self.month_first = QtWidgets.QCheckBox("Month before day (03/04/2023 is 4 March)")
        self.month_first.toggled.connect(self.read)
        self.columns: dict[str, QtWidgets.QComboBox] = {}  # made once the header is read
        self.preview = self._table(["When", "Lane", "Title", "Type"])
        self.lanes = self._table(["Imported actor", "Goes to"])
        # PLOVER replies that may settle a demand: applied only where the person ticks them.
        self.outcomes = self._table(["Apply", "Reply"])
        self.report = QtWidgets.QPlainTextEdit()
        self.report.setReadOnly(True)
        self.problem = QtWidgets.QLabel()  # why nothing can be imported, in plain sight
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.repeats = _warning_label()  # events the open project has already, said at once
        tabs = QtWidgets.QTabWidget()
        tabs.addTab(self.preview, "First rows")
        tabs.addTab(self.lanes, "Lanes")
        tabs.addTab(self.report, "Report")
        self.tabs = tabs
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)  # the number of rows is not known before they are read
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.reading = QtWidgets.QLabel()  # "Reading… 12,000 rows" (a busy bar shows no text)
        self.into = QtWidgets.QPushButton("&Add to This Project")
        self.new = QtWidgets.QPushButton("Open as &New Project")
        self.cancel = QtWidgets.QPushButton("Cancel")
        # No default button: Enter must not pour the rows into the open project.
        for button in (self.into, self.new, self.cancel):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.into.clicked.connect(self.add_to_project)
        self.new.clicked.connect(self.open_new)
        self.cancel.clicked.connect(self.cancel_or_close)
        form = QtWidgets.QFormLayout()
        form.addRow("Files:", QtWidgets.QLabel(", ".join(os.path.basename(p) for p in paths)))
        form.addRow("Format:", self.format)
        form.addRow("", self.month_first)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addWidget(self.reading)
        buttons.addStretch(1)
        for b in (self.into, self.new, self.cancel):
            buttons.addWidget(b)
        box = QtWidgets.QVBoxLayout(self)
        box.addLayout(form)
        self.columns_box: QtWidgets.QGroupBox | None = None
        self._box = box
        box.addWidget(self.problem)
        box.addWidget(self.repeats)
        box.addWidget(tabs, 1)
        box.addLayout(buttons)
        self.read()

    # ------------------------------------------------------------ building

    @staticmethod
    def _table(headers: list[str]) -> QtWidgets.QTableWidget:
        table = QtWidgets.QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _column_choices(self, header: list[str]) -> None:
        """For a single spreadsheet or CSV read column by column: a choice of column for
        each field, prefilled with what the header names suggest."""
        found = guess(header)
        self.guessed = {f: header[i] for f, i in found.items()}
        for field_ in HEADERS:
            combo = QtWidgets.QComboBox()
            combo.addItem("(none)", "")
            for name in header:
                combo.addItem(name, name)
            if field_ in found:
                combo.setCurrentIndex(found[field_] + 1)
            combo.currentIndexChanged.connect(self.read)
            self.columns[field_] = combo
        self.columns_box = self._columns_box()
        self._box.insertWidget(1, self.columns_box)

    def _columns_box(self) -> QtWidgets.QGroupBox:
        box = QtWidgets.QGroupBox("Columns (for a spreadsheet read as a table of events)")
        grid = QtWidgets.QGridLayout(box)
        for n, (field_, combo) in enumerate(self.columns.items()):
            grid.addWidget(QtWidgets.QLabel(field_.capitalize()), n // 4, (n % 4) * 2)
            grid.addWidget(combo, n // 4, (n % 4) * 2 + 1)
        return box

    def chosen_columns(self) -> dict[str, str] | None:
        """The columns the person chose, when they differ from what the header names
        suggest (until then the file is read by its own format: ACLED, Demarche's tables…)."""
        chosen = {
            f: combo.currentData() for f, combo in self.columns.items() if combo.currentData()
        }
        return chosen if chosen and chosen != self.guessed else None

    def chosen_lanes(self) -> dict[str, str]:
        """{imported actor name: existing actor id} for the rows set to an existing lane."""
        out = {}
        for row in range(self.lanes.rowCount()):
            combo = self.lanes.cellWidget(row, 1)
            if combo is not None and combo.currentData():
                out[self.lanes.item(row, 0).text()] = combo.currentData()
        return out

    # ------------------------------------------------------------ reading

    def chosen_outcomes(self) -> set[str]:
        """The places of the replies ticked to settle their demands."""
        rows = range(self.outcomes.rowCount())
        ticked = QtCore.Qt.CheckState.Checked
        return {
            self.outcomes.item(r, 0).data(QtCore.Qt.ItemDataRole.UserRole)
            for r in rows
            if self.outcomes.item(r, 0).checkState() == ticked
        }

    def options(self, into=None, lanes=None, outcomes: set[str] | None = None) -> dict:
        """What the person chose, read on the GUI thread for a worker to use."""
        fmt = self.format.currentData()
        columns = self.chosen_columns() if fmt in (None, "csv", "xlsx") else None
        return {
            "fmt": fmt,
            "into": into,
            "columns": columns,
            "month_first": self.month_first.isChecked(),
            "link_outcomes": outcomes or False,
            "lanes": lanes,
        }

    def read(self) -> None:
        """The preview read again with the options as they are now (on a worker)."""
        self.run_in_background(self.options(), self._preview, (self.window_.doc.snapshot(), 0))

    def _show_problem(self, message: str) -> None:
        self.project = None
        self.repeats.hide()
        self.report.setPlainText(f"Cannot import:\n{message}")
        self.problem.setText(f"Cannot import: {message}")
        self.problem.show()
        self._fill_preview()
        self._fill_lanes()

    def _preview(self, project, reports, repeats: int = 0) -> None:
        self.project, self.reports = project, reports
        self.problem.hide()  # no gap where nothing is wrong
        # Read as a project of its own: adding counts again, with the Lanes tab's choices.
        heading = "Read as a new project; adding to this one reports what it adds."
        open_project = self.window_.doc.project
        # The same file again, most likely: said in plain sight before anything is added.
        heading += _say_repeats(self.repeats, repeats)
        self._show_report(reports, heading if open_project.actors else "")
        by_columns = len(reports) == 1 and reports[0][1].by_columns
        if self.columns_box is not None:  # only for a table read column by column
            self.columns_box.setVisible(by_columns)
        self._fill_preview()
        self._fill_lanes()
        self._fill_outcomes([o for _, _, r in reports for o in r.outcomes])
        self._enable()

    def _show_report(self, reports, heading: str = "") -> None:
        lines = [heading, ""] if heading else []
        for path, kind, report in reports:
            lines += [os.path.basename(path), *(f"  {x}" for x in report.lines(kind))]
            lines.append("")
        self.report.setPlainText("\n".join(lines))

    def _ensure_columns(self) -> None:
        """The column choices, once a single table's header has been read (by the worker:
        the header is taken from what it parsed, nothing is read here)."""
        if self.columns or len(self.paths) != 1:
            return
        source = self.sources.get(self.paths[0])
        if source is None or source.suffix in (".json", ".jsonl", ".mw", ".timeline"):
            return
        parsed = source.__dict__.get("table")  # a workbook's rows, when the worker read them
        header = parsed[0] if parsed is not None else [] if source.is_workbook else source.header
        if header:
            self._column_choices(header)

    def _enable(self) -> None:
        ok = self.project is not None and bool(self.project.all_ids())
        self.into.setEnabled(ok)
        self.new.setEnabled(ok)

    def _fill_preview(self) -> None:
        events = self.project.events[:PREVIEW_ROWS] if self.project else []
        names = {a.id: a.name for a in self.project.actors} if self.project else {}
        self.preview.setRowCount(len(events))
        for row, e in enumerate(events):
            for col, text in enumerate((e.when.text, names.get(e.actor, e.actor), e.title, e.type)):
                self.preview.setItem(row, col, QtWidgets.QTableWidgetItem(text))
        self.preview.resizeColumnsToContents()

    def _fill_lanes(self) -> None:
        """Each imported actor, matched by name to a lane of the open project where one is
        called the same; the person may pick another, or a new lane."""
        actors = self.project.actors if self.project else []
        existing = self.window_.doc.project.actors
        self.lanes.setRowCount(len(actors))
        for row, a in enumerate(actors):
            self.lanes.setItem(row, 0, QtWidgets.QTableWidgetItem(a.name))
            combo = QtWidgets.QComboBox()
            combo.addItem(NEW_LANE, "")
            for other in existing:
                combo.addItem(other.name, other.id)
                if key(other.name) == key(a.name):
                    combo.setCurrentIndex(combo.count() - 1)
            self.lanes.setCellWidget(row, 1, combo)
        self.lanes.resizeColumnsToContents()

    def _fill_outcomes(self, outcomes: list[tuple[str, str]]) -> None:
        """A tab of the replies that may settle a demand, none ticked: the person confirms
        each one that does."""
        self.outcomes.setRowCount(len(outcomes))
        for row, (place, what) in enumerate(outcomes):
            tick = QtWidgets.QTableWidgetItem(place.rsplit(":", 1)[-1])
            tick.setFlags(QtCore.Qt.ItemFlag.ItemIsUserCheckable | QtCore.Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(QtCore.Qt.CheckState.Unchecked)
            tick.setData(QtCore.Qt.ItemDataRole.UserRole, place)
            self.outcomes.setItem(row, 0, tick)
            self.outcomes.setItem(row, 1, QtWidgets.QTableWidgetItem(what))
        self.outcomes.resizeColumnsToContents()
        shown = self.tabs.indexOf(self.outcomes)
        if outcomes and shown < 0:
            self.tabs.insertTab(2, self.outcomes, f"Outcomes ({len(outcomes)})")
        elif not outcomes and shown >= 0:
            self.tabs.removeTab(shown)

    # ------------------------------------------------------------ taking

    def add_to_project(self) -> None:
        """The imported records added to the open project as one step, actors going to the
        lanes chosen, records in the files' order (read on a worker, added here)."""
        doc = self.window_.doc
        options = self.options(
            copy.deepcopy(doc.project), self.chosen_lanes(), self.chosen_outcomes()
        )
        before = (doc.snapshot(), len(doc.project.events))  # what it had, to count repeats
        self.run_in_background(options, self._add, before)

    def _add(self, merged, reports, repeats: int = 0) -> None:
        if not self.small_enough(merged):
            self._enable()
            return
        doc = self.window_.doc
        cmd = edits.add_imported(doc, merged)
        if cmd is not None:
            doc.undo_stack.push(cmd)
            show_added(self.window_, [(a.kind, a.record) for a in cmd.children_])
        # What adding made, not the preview's count (a project of its own: every actor a
        # new lane, where here those matched on the Lanes tab go to the project's lanes).
        self._show_report(reports)
        made = sum((Counter(r.created) for _, _, r in reports), Counter())
        again = f"; {repeats} of the events were already in the project" if repeats else ""
        self.window_.statusBar().showMessage(f"Imported: created {made_words(made)}{again}", 10_000)
        self.accept()

    def small_enough(self, project) -> bool:
        """Whether the project would still fit in a project file; says why not."""
        try:
            canonical_text(project)
        except ImportFailed as exc:
            QtWidgets.QMessageBox.warning(self, "Not imported", f"Not imported: {exc}.")
            return False
        return True

    def open_new(self) -> None:
        """The imported project in a new window (the preview's, when no reply was ticked:
        nothing is read again)."""
        outcomes = self.chosen_outcomes()
        if self.project is not None and not outcomes and self.job is None:
            self._open(self.project)
        else:
            self.run_in_background(self.options(outcomes=outcomes), lambda p, _: self._open(p))

    def _open(self, project) -> None:
        if not self.small_enough(project):
            self._enable()
            return
        window = type(self.window_)(self.window_.settings, offer_recovery=False)
        window.session.take(project, None, saved=False)
        window.show()
        self.accept()


def import_files_dialog(window) -> None:
    folder = str(window.settings.value("lastFolder", os.getcwd()))
    paths, _ = QtWidgets.QFileDialog.getOpenFileNames(window, "Import", folder, FILTER)
    if paths:
        dialog = ImportDialog(window, paths)
        dialog.exec()
        dialog.deleteLater()


def _say_repeats(label: QtWidgets.QLabel, n: int) -> str:
    """Shows, or hides, that `n` events are in the open project already; for the report."""
    label.setText(f"⚠ {repeats_words(n, 'this project')}: adding them repeats them.")
    label.setVisible(bool(n))
    return f"\n\n{label.text()}" if n else ""


def _warning_label() -> QtWidgets.QLabel:
    label = QtWidgets.QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a5300;")
    label.hide()
    return label


SELECTED_AT_MOST = 1000  # (more, and the inspector and tables would take seconds)


def show_added(window, added: list[tuple[str, object]]) -> None:
    """The events and demands an import added, in view (their new lanes were below the
    scroll area, their dates outside the time shown, and only the status bar said they
    came), and selected when few."""
    whens = {"events": "when", "demands": "raised"}
    dated = [
        (r.id, span)
        for kind, r in added
        if kind in whens and (span := _ends(getattr(r, whens[kind]))) is not None
    ]
    if not dated:
        return
    canvas = window.canvas
    t_min = min(lo for _, (lo, _hi) in dated)
    t_max = max(hi for _, (_lo, hi) in dated)
    (t0, t1), _ = canvas.viewbox.viewRange()
    if t_min < t0 or t_max > t1:
        canvas.set_time_range(*padded(t_min, t_max))
    canvas.scroll_to(dated[0][0])
    if len(dated) <= SELECTED_AT_MOST:
        window.doc.select([i for i, _ in dated])


def _ends(when) -> tuple[float, float] | None:
    """A date's first and last time, an open end (`../2023-11-24`) taken as the other."""
    ends = [t for t in (when.lo, when.hi) if t is not None] if when is not None else []
    return (min(ends), max(ends)) if ends else None
