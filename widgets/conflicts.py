"""The Conflicts panel: what a merge could not settle, one row each (record, field, base,
ours, theirs), with Take Ours and Take Theirs; each choice is one undoable step. Selecting a
row selects the record on the canvas and in the inspector, to edit it by hand."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import conflictedits, edits
from app.editing.document import Document
from app.fileformat import plain
from app.records.plural import counted
from widgets import dialogs


class ConflictsPanel(QtWidgets.QWidget):
    appeared = QtCore.Signal()  # a project with conflicts was opened: show the panel

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.intro = QtWidgets.QLabel()
        self.intro.setWordWrap(True)
        self.table = QtWidgets.QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Record", "Field", "Base", "Ours", "Theirs"])
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_record)
        self.ours = QtWidgets.QPushButton("Take &Ours")
        self.theirs = QtWidgets.QPushButton("Take &Theirs")
        self.ours.clicked.connect(lambda: self.resolve("ours"))
        self.theirs.clicked.connect(lambda: self.resolve("theirs"))
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.ours)
        buttons.addWidget(self.theirs)
        buttons.addStretch(1)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.intro)
        box.addWidget(self.table)
        box.addLayout(buttons)
        doc.conflictsChanged.connect(self.refresh)
        doc.projectReplaced.connect(self._replaced)
        self.refresh()

    def _replaced(self) -> None:
        self.refresh()
        if self.doc.project.conflicts:
            self.appeared.emit()

    def refresh(self) -> None:
        conflicts = self.doc.project.conflicts
        self.intro.setText(
            f"{counted(len(conflicts), 'merge conflict')}. Ours is in the file meanwhile; the "
            "chart cannot be exported until each is resolved."
            if conflicts
            else "No merge conflicts."
        )
        self.table.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            lanes = (c.kind, c.field) == ("actors", "order")  # the lanes, each side's way
            cells = (
                "lanes" if lanes else f"{c.kind} {c.id}".strip(),
                c.field or "(whole record)",
                *(
                    ", ".join(plain.loads(v)) if lanes else plain.shown(v)
                    for v in (c.base, c.ours, c.theirs)
                ),
            )
            for col, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text if text or col < 2 else "(none)")
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        for button in (self.ours, self.theirs):
            button.setEnabled(bool(conflicts))

    def current(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else 0

    def resolve(self, take: str) -> None:
        if not self.doc.project.conflicts:
            return
        index, when = self.current(), None
        if take == "theirs":
            changes, when = conflictedits.conflict_status_date(self.doc, index)
            if changes and when is None:
                conflict = self.doc.project.conflicts[index]
                status = plain.loads(conflict.theirs)
                answer = dialogs.ask_status_date(self, self.doc, conflict.id, status, note=False)
                if answer is None:
                    return
                when = answer[0]
        try:
            self.doc.undo_stack.push(conflictedits.resolve_conflict(self.doc, index, take, when))
        except (ValueError, KeyError, edits.RefusedEdit) as exc:
            QtWidgets.QMessageBox.warning(
                self, f"Cannot take {take}", f"{take.capitalize()} cannot be used: {exc}"
            )

    def _show_record(self) -> None:
        conflicts = self.doc.project.conflicts
        if conflicts and self.doc.has_id(conflicts[self.current()].id):
            self.doc.select([conflicts[self.current()].id])
