"""File ▸ Import…: other tools' files read, what was read and skipped shown, then added to
the open project (one undo step) or opened as a new project in a new window."""

from __future__ import annotations

import copy
import os

from PySide6 import QtWidgets

from app import commands as c
from app import spec
from app.importers import FORMATS, ImportFailed, import_files

FILTER = (
    "Timelines and event data (*.csv *.tsv *.txt *.tab *.xlsx *.ods *.json *.jsonl *.mw *.timeline)"
    ";;All files (*)"
)
_windows: list = []  # new windows opened for imports, kept alive


class ImportDialog(QtWidgets.QDialog):
    """The report of one import and the choice of where it goes."""

    def __init__(self, window, paths: list[str]):
        super().__init__(window)
        self.window_, self.paths = window, paths
        self.setWindowTitle("Import")
        self.resize(720, 420)
        self.format = QtWidgets.QComboBox()
        self.format.addItem("Found from each file", None)
        for name in FORMATS:
            self.format.addItem(name, name)
        self.format.currentIndexChanged.connect(self.read)
        self.month_first = QtWidgets.QCheckBox("Month before day (03/04/2023 is 4 March)")
        self.month_first.toggled.connect(self.read)
        self.report = QtWidgets.QPlainTextEdit()
        self.report.setReadOnly(True)
        self.into = QtWidgets.QPushButton("&Add to This Project")
        self.new = QtWidgets.QPushButton("Open as &New Project")
        cancel = QtWidgets.QPushButton("Cancel")
        self.into.clicked.connect(self.add_to_project)
        self.new.clicked.connect(self.open_new)
        cancel.clicked.connect(self.reject)
        form = QtWidgets.QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("", self.month_first)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.into, self.new, cancel):
            buttons.addWidget(b)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(QtWidgets.QLabel("\n".join(os.path.basename(p) for p in paths)))
        box.addLayout(form)
        box.addWidget(self.report)
        box.addLayout(buttons)
        self.project = None
        self.read()

    def read(self) -> None:
        try:
            self.project, reports = import_files(
                self.paths, self.format.currentData(), None, None, self.month_first.isChecked()
            )
        except ImportFailed as exc:
            self.project = None
            self.report.setPlainText(f"Cannot import:\n{exc}")
        else:
            lines = []
            for path, kind, report in reports:
                lines += [os.path.basename(path), *(f"  {x}" for x in report.lines(kind)), ""]
            self.report.setPlainText("\n".join(lines))
        ok = self.project is not None and bool(self.project.events)
        self.into.setEnabled(ok)
        self.new.setEnabled(ok)

    def add_to_project(self) -> None:
        """The imported records, matched to the open project's actors by name, added as one step."""
        doc = self.window_.doc
        merged, _ = import_files(
            self.paths,
            self.format.currentData(),
            copy.deepcopy(doc.project),
            None,
            self.month_first.isChecked(),
        )
        cmds = []
        for kind in spec.KINDS:
            new = [r for r in getattr(merged, kind.name) if not doc.has_id(r.id)]
            end = len(doc.records(kind.name))  # each after the last, in the file's order
            cmds += [c.AddRecord(doc, kind.name, r, end + n) for n, r in enumerate(new)]
        if cmds:
            doc.undo_stack.push(c.Compound(f"Import {len(cmds)} records", cmds))
        self.accept()

    def open_new(self) -> None:
        window = type(self.window_)(self.window_.settings, offer_recovery=False)
        window.session.take(self.project, None, saved=False)
        window.show()
        _windows.append(window)
        self.accept()


def import_files_dialog(window) -> None:
    folder = str(window.settings.value("lastFolder", os.getcwd()))
    paths, _ = QtWidgets.QFileDialog.getOpenFileNames(window, "Import", folder, FILTER)
    if paths:
        ImportDialog(window, paths).exec()
