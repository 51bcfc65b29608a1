"""The inspector's small tables: a record's citations and a demand's dated history, each
row edited in place, with add and remove buttons."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.editing import edits
from app.editing.document import Document
from app.fileformat import spec
from app.records.model import Cite, StatusChange
from app.records.when import WhenError
from widgets import dialogs
from widgets.fields import QuietCombo, read_date


class _Table(QtWidgets.QTableWidget):
    """Columns within shares of the width, the last (the text) taking the rest, so that a
    wide choice cannot push the note or quote out of sight; rows grow to show it whole."""

    def __init__(self, widths: tuple[float, ...], *args):
        super().__init__(*args)
        self.widths = widths
        self.horizontalHeader().setStretchLastSection(True)
        self.itemChanged.connect(lambda _item: self.resizeRowsToContents())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Each column but the last as wide as its contents, up to its share."""
        width = self.viewport().width()
        for col, share in enumerate(self.widths):
            wanted = max(self.sizeHintForColumn(col), self.horizontalHeader().sectionSizeHint(col))
            self.setColumnWidth(col, min(wanted + 4, int(width * share)))
        self.resizeRowsToContents()


class RowsEditor(QtWidgets.QWidget):
    """A small table with add and remove buttons; emits the rows when they are valid."""

    edited = QtCore.Signal(tuple)
    headers: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()  # of the table's width, for each column but the last

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = _Table(self.widths, 0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.horizontalHeader().setMinimumSectionSize(36)
        self.table.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QtWidgets.QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        self.table.setMinimumWidth(120)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setMaximumHeight(160)
        self.error = QtWidgets.QLabel()
        self.error.setStyleSheet("color: #c62828;")
        add = QtWidgets.QToolButton(text="+")
        add.setToolTip("Add a row")
        remove = QtWidgets.QToolButton(text="−")
        remove.setToolTip("Remove the selected row")
        add.clicked.connect(self.add_row)
        remove.clicked.connect(self.remove_row)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addWidget(self.error, 1)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.table)
        box.addLayout(buttons)
        self.table.itemChanged.connect(lambda _item: self.emit_rows())
        self._loading = False

    def load(self, rows) -> None:
        self._loading = True
        self.table.setRowCount(0)
        for row in rows:
            self.append(row)
        self._loading = False
        self.error.clear()
        self.table.fit()

    def add(self, row) -> None:
        """A new row, emitted once it is whole (its cells emit nothing while it is built)."""
        self._loading = True
        try:
            self.append(row)
        finally:
            self._loading = False
        self.table.setCurrentCell(self.table.rowCount() - 1, self.table.columnCount() - 1)
        self.emit_rows()

    def emit_rows(self) -> None:
        if self._loading:
            return
        try:
            rows = tuple(self.row_value(i) for i in range(self.table.rowCount()))
        except (ValueError, WhenError) as exc:
            self.error.setText(f"⚠ {exc}")
            return
        self.error.clear()
        self.edited.emit(rows)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.emit_rows()

    def combo(self, items: list[tuple[str, str]], current: str) -> QtWidgets.QComboBox:
        w = QuietCombo()
        w.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        w.setMinimumContentsLength(6)  # its column's share caps its width
        for key, label in items:
            w.addItem(label, key)
        w.setCurrentIndex(max(0, w.findData(current)))
        w.activated.connect(lambda _i: self.emit_rows())
        return w


class CitesEditor(RowsEditor):
    headers = tuple(f.title for f in spec.CITE.fields)  # Source, Credibility, Quote
    widths = (0.34, 0.25)

    def __init__(self, doc: Document, parent=None):
        self.doc = doc
        super().__init__(parent)

    def append(self, cite: Cite) -> None:
        i = self.table.rowCount()
        self.table.insertRow(i)
        sources = [(s.id, s.title[:40] or s.id) for s in self.doc.project.sources]
        source = self.combo(sources, cite.source)
        titles = {s.id: s.title or s.id for s in self.doc.project.sources}
        _named(source, titles)  # (its column cut "Untitled news article…" to "Untitled new…")
        self.table.setCellWidget(i, 0, source)
        grade = spec.CITE.field("credibility")
        credibility = self.combo(
            [(value, label) for value, label, _tip in grade.choices], str(cite.credibility or "")
        )
        credibility.setToolTip(grade.help)
        self.table.setCellWidget(i, 1, credibility)
        self.table.setItem(i, 2, QtWidgets.QTableWidgetItem(cite.quote))

    def add_row(self) -> None:
        if not self.doc.project.sources:
            self.error.setText("Add a source first (Insert ▸ Source)")
            return
        self.add(Cite(source=self.doc.project.sources[0].id))

    def row_value(self, i: int) -> Cite:
        source = self.table.cellWidget(i, 0).currentData()
        grade = self.table.cellWidget(i, 1).currentData()
        credibility = int(grade) if grade else None
        item = self.table.item(i, 2)
        return Cite(source=source, credibility=credibility, quote=item.text() if item else "")


class HistoryEditor(RowsEditor):
    """A demand's dated status changes. "+" asks when, as every status change does, and
    so does a double-click on a row's date, proposing the date it has."""

    headers = tuple(f.title for f in spec.STATUS_CHANGE.fields)  # When, Status, Note
    widths = (0.33, 0.3)

    def __init__(self, doc: Document, demand_id, parent=None):
        self.doc, self.demand_id = doc, demand_id
        super().__init__(parent)
        self.table.cellDoubleClicked.connect(self._date_activated)

    def append(self, change: StatusChange) -> None:
        i = self.table.rowCount()
        self.table.insertRow(i)
        when = QtWidgets.QTableWidgetItem(change.when.text)
        when.setFlags(when.flags() & ~QtCore.Qt.ItemFlag.ItemIsEditable)  # the dialog edits it
        when.setToolTip(f"{change.when.describe()}: double-click to change")
        self.table.setItem(i, 0, when)
        self.table.setCellWidget(
            i, 1, self.combo([c[:2] for c in spec.STATUS_CHOICES], change.status)
        )
        self.table.setItem(i, 2, QtWidgets.QTableWidgetItem(change.note))

    def add_row(self) -> None:
        """Asks when the status changed, and to what (it was the demand's status as it is
        now, unasked: a row dated before the demand was accepted said "accepted")."""
        d = self.doc.get("demands", self.demand_id())
        answer = dialogs.ask_when(
            self,
            "Add to history",
            f"When did the status of “{(d.label or d.text)[:80]}” change, and to what?",
            edits.likely_status_date(self.doc, d.id),
            status=d.status,
        )
        if answer is not None:
            when, note, status = answer
            self.add(StatusChange(when=when, status=status, note=note))

    def _date_activated(self, row: int, column: int) -> None:
        if column != 0:
            return
        d = self.doc.get("demands", self.demand_id())
        current = self.row_value(row)
        answer = dialogs.ask_when(
            self,
            "Change the date",
            f"When did “{(d.label or d.text)[:80]}” become {current.status}?",
            current.when,
            note=False,
        )
        if answer is not None:
            self.table.item(row, 0).setText(answer[0].text)  # emits the rows

    def row_value(self, i: int) -> StatusChange:
        when = self.table.item(i, 0).text() if self.table.item(i, 0) else ""
        note = self.table.item(i, 2)
        return StatusChange(
            when=read_date(when),
            status=self.table.cellWidget(i, 1).currentData(),
            note=note.text() if note else "",
        )


def _named(combo: QtWidgets.QComboBox, titles: dict[str, str]) -> None:
    """The combo's tooltip is its choice's title in full, however narrow its column."""

    def name() -> None:
        combo.setToolTip(titles.get(combo.currentData(), combo.currentText()))

    combo.currentIndexChanged.connect(name)
    name()
