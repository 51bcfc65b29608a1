"""Tables of events, demands, actors and sources: sortable, filterable, editable in place
through commands, with selection shared with the canvas."""

from __future__ import annotations

import json
from itertools import repeat

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from app.editing import edits
from app.editing.document import Document
from app.records.when import WhenError
from widgets import dialogs
from widgets.fields import cell_delegate
from widgets.tablecolumns import columns_for
from widgets.tablerows import TableRows

ROLE_ID = QtCore.Qt.ItemDataRole.UserRole + 1
MIME = "application/x-demarche-actor-ids"
_R = QtCore.Qt.ItemDataRole
_ANSWERED = frozenset(
    int(r)
    for r in (
        ROLE_ID,
        _R.DisplayRole,
        _R.EditRole,
        _R.CheckStateRole,
        _R.DecorationRole,
        _R.UserRole,
        _R.ToolTipRole,
    )
)
_ROOT = QtCore.QModelIndex()


class RecordTableModel(QtCore.QAbstractTableModel):
    """One kind of record as rows. Edits become commands; errors go to `problem`."""

    problem = QtCore.Signal(str)

    def __init__(self, doc: Document, kind: str, parent=None):
        super().__init__(parent)
        self.doc, self.kind = doc, kind
        self.columns = columns_for(kind, doc)
        getattr(doc, f"{kind}Changed").connect(self._changed)
        doc.projectReplaced.connect(self._reset)
        if kind in ("actors", "sources"):  # counts of events and citations
            doc.eventsChanged.connect(self._reset_if_counts)
            doc.demandsChanged.connect(self._reset_if_counts)
        if kind in ("events", "demands"):  # actor names shown in rows
            doc.actorsChanged.connect(self._reset)
        self._rows = len(doc.records(kind))

    def ask_status_date(self, demand_id: str, status: str):
        """When it changed: (date, note), or None on cancel."""
        return dialogs.ask_status_date(self.parent(), self.doc, demand_id, status)

    def records(self) -> list:
        return self.doc.records(self.kind)

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.records())

    def columnCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if orientation != QtCore.Qt.Orientation.Horizontal:
            return None
        column = self.columns[section]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == QtCore.Qt.ItemDataRole.ToolTipRole and column.field is not None:
            return column.field.help or None
        return None

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int):
        """What a cell says in a role; None at once for the roles no cell answers (a
        repaint asks each cell of a dozen)."""
        if role not in _ANSWERED:
            return None
        record = self.records()[row]
        if role == ROLE_ID:
            return record.id
        col = self.columns[column]
        value = col.show(record)
        if col.flag:
            if role == QtCore.Qt.ItemDataRole.CheckStateRole:
                return QtCore.Qt.CheckState.Checked if value else QtCore.Qt.CheckState.Unchecked
            return None
        if role in (QtCore.Qt.ItemDataRole.DisplayRole, QtCore.Qt.ItemDataRole.EditRole):
            return value
        if role == QtCore.Qt.ItemDataRole.DecorationRole and col.attr == "color" and value:
            return QtGui.QColor(value)
        if role == QtCore.Qt.ItemDataRole.UserRole:  # the sort key
            return (
                col.sort(record)
                if col.sort
                else (value.lower() if isinstance(value, str) else value)
            )
        long = isinstance(value, str) and len(value) > 30  # (a tooltip shows it whole)
        return value if long and role == QtCore.Qt.ItemDataRole.ToolTipRole else None

    def flags(self, index):
        base = super().flags(index)
        if not index.isValid():
            return base | (
                QtCore.Qt.ItemFlag.ItemIsDropEnabled
                if self.kind == "actors"
                else QtCore.Qt.ItemFlag.NoItemFlags
            )
        col = self.columns[index.column()]
        if col.flag:
            base |= QtCore.Qt.ItemFlag.ItemIsUserCheckable
        elif col.attr:
            base |= QtCore.Qt.ItemFlag.ItemIsEditable
        if self.kind == "actors":
            base |= QtCore.Qt.ItemFlag.ItemIsDragEnabled
        return base

    def setData(self, index, value, role=QtCore.Qt.ItemDataRole.EditRole) -> bool:
        record = self.records()[index.row()]
        col = self.columns[index.column()]
        if col.flag and role == QtCore.Qt.ItemDataRole.CheckStateRole:
            new_value = QtCore.Qt.CheckState(value) == QtCore.Qt.CheckState.Checked
        elif role == QtCore.Qt.ItemDataRole.EditRole and col.parse:
            try:
                new_value = col.parse(str(value))
            except (ValueError, WhenError) as exc:
                self.problem.emit(f"{col.title}: {exc}")
                return False
        else:
            return False
        if getattr(record, col.attr) == new_value:
            return True
        try:
            if self.kind == "demands" and col.attr == "status":
                answer = self.ask_status_date(record.id, new_value)
                if answer is None:
                    return False
                cmd = edits.set_status(self.doc, record.id, new_value, *answer)
            else:
                cmd = edits.set_field(self.doc, self.kind, record.id, col.attr, new_value)
            if cmd is not None:
                self.doc.undo_stack.push(cmd)
        except edits.RefusedEdit as exc:
            self.problem.emit(str(exc))
            return False
        return True

    # drag and drop of actor rows reorders lanes
    def supportedDropActions(self):
        return QtCore.Qt.DropAction.MoveAction

    def mimeTypes(self):
        return [MIME]

    def mimeData(self, indexes):
        ids = sorted(
            {self.records()[i.row()].id for i in indexes},
            key=lambda i: self.doc.position(self.kind, i),
        )
        mime = QtCore.QMimeData()
        mime.setData(MIME, QtCore.QByteArray(json.dumps(ids).encode()))
        return mime

    def dropMimeData(self, mime, action, row, column, parent) -> bool:
        if self.kind != "actors" or not mime.hasFormat(MIME):
            return False
        ids = json.loads(bytes(mime.data(MIME)).decode())
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
        order = [a.id for a in self.records()]
        before = order[row] if row < len(order) else None
        cmd = edits.move_lanes(self.doc, ids, before)  # nested lanes move with their actor
        if cmd is not None:
            self.doc.undo_stack.push(cmd)
        return False  # the model resets itself; Qt must not remove the dragged rows

    def _changed(self, ids: list[str]) -> None:
        if len(self.records()) != self._rows or self.kind == "actors":
            self._reset()
            return
        at = self.doc._index[self.kind]
        rows = [at[i] for i in ids if i in at]
        if rows:  # one signal for the span: the rows are sorted and searched again once
            last = len(self.columns) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    def _reset_if_counts(self, _ids) -> None:
        self.dataChanged.emit(
            self.index(0, 0), self.index(self.rowCount() - 1, len(self.columns) - 1)
        )

    def _reset(self, *_):
        self.beginResetModel()
        self._rows = len(self.records())
        self.endResetModel()


class RecordTable(QtWidgets.QWidget):
    """A filter box over a sortable table of one kind of record."""

    def __init__(self, doc: Document, kind: str, parent=None):
        super().__init__(parent)
        self.doc, self.kind = doc, kind
        self.model = RecordTableModel(doc, kind, self)
        self.proxy = TableRows(self)  # what the view shows: sorted, filtered, searched
        self.proxy.setSourceModel(self.model)
        self.filter = QtWidgets.QLineEdit()
        self.filter.setPlaceholderText(f"Filter {kind}…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.search)
        self.filter.installEventFilter(self)  # the rows' texts made as the box is clicked
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        # events, demands and phases in the order they happened; the rest as in the file
        dated = [i for i, col in enumerate(self.model.columns) if col.attr in ("when", "raised")]
        self.view.sortByColumn(dated[0] if dated else -1, QtCore.Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        # The header sees a selection of its own, always empty (rows are selected here): to
        # paint, Qt asked each row's flags (in Python) for each column, 10 s at 100,000 rows.
        header = self.view.horizontalHeader()
        header.setSelectionModel(QtCore.QItemSelectionModel(self.proxy, header))
        self.view.setWordWrap(False)
        self.view.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.view.setEditTriggers(
            QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
            | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed
            | QtWidgets.QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        if kind == "actors":
            self.view.setDragDropMode(QtWidgets.QAbstractItemView.DragDropMode.InternalMove)
            self.view.setDragEnabled(True)
            self.view.setAcceptDrops(True)
            self.view.setDropIndicatorShown(True)
            self.view.setDragDropOverwriteMode(False)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(2, 2, 2, 2)
        box.addWidget(self.filter)
        box.addWidget(self.view)
        # Said when every row is left out, rather than a bare empty table.
        self.nothing = QtWidgets.QLabel(f"No {kind} match the filter or the search.")
        self.nothing.setEnabled(False)
        self.nothing.hide()
        box.addWidget(self.nothing)
        for signal in (self.proxy.layoutChanged, self.proxy.modelReset):
            signal.connect(self._say_if_nothing)
        self._syncing = False
        self.view.selectionModel().selectionChanged.connect(self._selection_from_view)
        doc.selectionChanged.connect(self._selection_from_doc)
        self._unfitted = True
        self.model.modelReset.connect(self.fit_columns)
        self.fit_columns()
        for col, column in enumerate(self.model.columns):
            if column.title == "Id":  # ids are edited in the inspector; most people never need them
                self.view.setColumnHidden(col, True)
            if (delegate := cell_delegate(column, self.view)) is not None:
                self.view.setItemDelegateForColumn(col, delegate)
        # Room for three rows at least (eight took 340 px of the window's height from the
        # chart, which a first window on a small screen left 200 px); the dock can grow.
        rows = self.view.verticalHeader().defaultSectionSize()
        self.view.setMinimumHeight(rows * 3 + self.view.horizontalHeader().sizeHint().height() + 4)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.filter and event.type() == QtCore.QEvent.Type.FocusIn:
            # Made before the first letter is typed rather than on it (0.15 s at 100,000 events)
            QtCore.QTimer.singleShot(0, self, self.proxy.prepare_search)
        if watched is self.filter and event.type() == QtCore.QEvent.Type.KeyPress:
            if event.key() == QtCore.Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()  # as the search box does
                return True
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Size columns to their contents (of 100 rows: Qt's 1,000 a column cost 1.4 s of a
        30,000-event open), within reason; long text columns get the rest. A table not on
        screen (another tab) is sized when it is first shown."""
        self._unfitted = not self.isVisible()
        if self._unfitted:
            return
        self.view.horizontalHeader().setResizeContentsPrecision(100)
        shown = [c for c in range(self.model.columnCount()) if not self.view.isColumnHidden(c)]
        # The last column stretches to the table's edge: sizing it to its contents too left
        # it narrow, and the table blank beyond it, when no other width changed after.
        for col in shown[:-1]:
            self.view.resizeColumnToContents(col)
            width = max(self.view.columnWidth(col), self.model.columns[col].least_width)
            self.view.setColumnWidth(col, min(width, 320))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._unfitted:
            self.fit_columns()

    def _say_if_nothing(self, *_) -> None:
        self.nothing.setVisible(self.proxy.rowCount() == 0 and self.model.rowCount() > 0)

    def selected_ids(self) -> list[str]:
        """The ids of the rows selected, read from the selection's runs of rows (Qt's
        selectedRows asks each cell's flags, in Python: 12 s for 100,000 rows)."""
        runs = self.view.selectionModel().selection()
        if runs.isEmpty():
            return []
        shown = np.unique(np.concatenate([np.arange(r.top(), r.bottom() + 1) for r in runs]))
        return self.proxy.rows_index().ids()[self.proxy.shown_rows()[shown]].tolist()

    def _selection_from_view(self, *_):
        if self._syncing:
            return
        self._syncing = True
        try:
            self.doc.select(self.selected_ids())
        finally:
            self._syncing = False

    def _rows_selection(self, ids) -> QtCore.QItemSelection:
        """The rows of `ids` as shown, one range for each run of rows that follow each other
        (a range a row, each made in Python, took a second for all 100,000)."""
        at = self.doc._index[self.kind]
        if len(ids) >= len(at) and at.keys() <= ids:  # every record (Select All)
            rows = np.arange(self.proxy.rowCount())
        else:
            found = np.fromiter(map(at.get, ids, repeat(-1)), np.intp, len(ids))
            rows = np.sort(self.proxy.shown_at(found[found >= 0]))
            rows = rows[rows >= 0]
        selection, last = QtCore.QItemSelection(), self.model.columnCount() - 1
        starts = np.flatnonzero(np.diff(rows, prepend=-2) != 1)
        ends = np.append(starts[1:], len(rows)) - 1 if len(rows) else starts
        for top, bottom in zip(rows[starts].tolist(), rows[ends].tolist(), strict=True):
            selection.append(
                QtCore.QItemSelectionRange(self.proxy.index(top, 0), self.proxy.index(bottom, last))
            )
        return selection

    def _selection_from_doc(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            selection = self._rows_selection(self.doc.selection)
            self.view.selectionModel().select(
                selection, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            if not selection.isEmpty():
                self.view.scrollTo(selection[0].topLeft())
        finally:
            self._syncing = False
