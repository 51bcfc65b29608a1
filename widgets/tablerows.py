"""The rows a record table shows, as numpy arrays: the sort order of a column (its keys
sorted once per version of the records, kept until they change), restricted by the Filter
panel's kept ids and by the table's search box (each column's texts searched at C speed:
app/records/textfind.py). At 100,000 events a filter change, a sort and a keystroke each
cost a few tens of milliseconds; a QSortFilterProxyModel asked Python about each row
(`filterAcceptsRow`) and each comparison (`lessThan`, 1.7 million calls to sort 100,000
rows): seconds."""

from __future__ import annotations

import functools

import numpy as np
from PySide6 import QtCore

from app.chart.kept import kept_mask
from app.records.eventstore import values as field_values
from app.records.recordstore import RecordStore
from app.records.textfind import RowTexts

_ROOT = QtCore.QModelIndex()
EDITED_IN_PLACE = 2000  # rows changed, up to which they are made again alone
MOVED_IN_ORDER = 16  # rows changed, up to which a sorted order is mended, not sorted again


def _less(a, b) -> int:
    """The old proxy's comparison: the keys' own order, or their texts' if they have none."""
    try:
        return -1 if a < b else (1 if b < a else 0)
    except TypeError:
        return -1 if str(a) < str(b) else (1 if str(b) < str(a) else 0)


def _as_array(keys: list) -> np.ndarray | None:
    """The keys as an array numpy sorts as Python would compare them, or None (mixed)."""
    kinds = set(map(type, keys))
    if kinds <= {int, float, bool} and kinds:
        return np.asarray(keys, dtype=float if float in kinds else np.int64)
    if kinds == {str}:
        distinct = set(keys)
        if len(distinct) * 4 < len(keys):  # few texts, many ties (actors, types): by rank,
            # as numpy's stable sort of texts with many ties is slow (0.1 s at 100,000)
            rank = {text: i for i, text in enumerate(sorted(distinct))}
            return np.fromiter(map(rank.__getitem__, keys), np.intp, len(keys))
        return np.array(keys, dtype=np.dtypes.StringDType())  # code point order, as str's
    return None


class _Holding:
    """A stand-in for a record with one field, which a column shows."""

    def __init__(self, attr: str, value):
        setattr(self, attr, value)


class RowIndex:
    """One version of one kind's records, as the table's columns show them: each column's
    values and sort order, the ids and the searched texts, each made on first use. Rows
    edited in place are made again alone (`changed`); anything else makes a new index."""

    def __init__(self, columns: list, records: list):
        self.columns, self.records = columns, records
        self.n = len(records)
        self._values: dict[int, list] = {}
        self._keys: dict[int, list] = {}
        self._orders: dict[tuple[int, bool], np.ndarray] = {}
        self._sorted: dict[int, np.ndarray] = {}  # a number or text column's keys in order
        self._ids: np.ndarray | None = None
        self._texts: RowTexts | None = None

    def values(self, col: int) -> list:
        """What the column shows in each row."""
        if col not in self._values:
            column = self.columns[col]
            many = column.many or (lambda rs: [column.show(r) for r in rs])
            self._values[col] = many(self.records)
        return self._values[col]

    def keys(self, col: int) -> list:
        """Each row's sort key: the column's own, or what it shows (text lowered)."""
        if col not in self._keys:
            column = self.columns[col]
            if column.many_sort is not None:
                keys = column.many_sort(self.records)
            elif column.sort is not None:
                keys = [column.sort(r) for r in self.records]
            else:
                keys = [v.lower() if isinstance(v, str) else v for v in self.values(col)]
            self._keys[col] = keys
        return self._keys[col]

    def order(self, col: int, descending: bool = False) -> np.ndarray:
        """The rows sorted by the column, stably (ties stay in the file's order, both ways)."""
        made = self._orders.get((col, descending))
        if made is not None:
            return made
        keys = self.keys(col)
        array = _as_array(keys)
        up = self._orders.get((col, False))  # asked for descending: the ascending, if made
        if up is None:
            up = self._orders[(col, False)] = self._ascending(col, keys, array)
        if descending:
            if array is None:
                ordered = [keys[i] for i in up.tolist()]
                same = [a == b for a, b in zip(ordered, ordered[1:], strict=False)]
                self._orders[(col, True)] = _descending(up, np.array(same, dtype=bool))
            else:
                ordered = array[up]
                self._orders[(col, True)] = _descending(up, ordered[1:] == ordered[:-1])
        return self._orders[(col, descending)]

    def _ascending(self, col: int, keys: list, array: np.ndarray | None) -> np.ndarray:
        if array is None:  # keys of several types: compared one by one, as before
            rank = functools.cmp_to_key(_less)
            return np.array(sorted(range(self.n), key=lambda i: rank(keys[i])), dtype=np.intp)
        up = np.argsort(array, kind="stable")
        if array.dtype.kind == "f":  # numbers, and texts of many values: mended after an edit
            self._sorted[col] = array[up]
        elif array.dtype.kind == "T":  # (as Python's texts: a search by bisection, in C)
            self._sorted[col] = np.array(keys, dtype=object)[up]
        return up

    def ids(self) -> np.ndarray:
        if self._ids is None:
            # from a store's id column: no record made
            self._ids = np.array(field_values(self.records, "id"), dtype=object)
        return self._ids

    def texts(self) -> RowTexts:
        """The rows' searched texts: their cells as shown (not tick boxes)."""
        if self._texts is None:
            self._texts = RowTexts(self.n)
            for col in self._searched():
                coded = self._coded(col)
                if coded is None:
                    self._texts.add(self.values(col))
                else:
                    self._texts.add_coded(*coded)
        return self._texts

    def _coded(self, col: int) -> tuple[np.ndarray, list[tuple[str]]] | None:
        """A column of a field the store keeps coded, for searching: its codes, and what it
        shows for each distinct value (a record's cell shows what its value shows). At a
        million events, each row's cell made as text took the first search a second."""
        column, records = self.columns[col], self.records
        f = column.field
        if f is None or column.many is None or col in self._values:
            return None
        if not isinstance(records, RecordStore) or f.attr not in records.CODED:
            return None
        if column.dated:  # as written: no date read
            codes, table = records.keyed(f.attr)
            return codes, [("" if text is None else text,) for text in table]
        codes, table = records.coded(f.attr)
        shown = column.many([_Holding(f.attr, value) for value in table])
        return codes, [(str(text),) for text in shown]

    def _searched(self) -> list[int]:
        return [c for c, column in enumerate(self.columns) if not column.flag]

    def matching(self, text: str) -> np.ndarray:
        """True for each row one of whose cells holds `text`, ignoring case."""
        return self.texts().matching(text)

    def changed(self, rows: list[int]) -> None:
        """These rows were edited in place: what they show made again, the orders dropped."""
        records = [self.records[r] for r in rows]
        for col, values in self._values.items():
            show = self.columns[col].show
            for r, record in zip(rows, records, strict=True):
                values[r] = show(record)
        for col, keys in self._keys.items():
            column = self.columns[col]
            for r, record in zip(rows, records, strict=True):
                if column.sort is not None:
                    keys[r] = column.sort(record)
                else:
                    value = self.values(col)[r]
                    keys[r] = value.lower() if isinstance(value, str) else value
        self._mend_orders(rows)
        if self._ids is not None:
            for r, record in zip(rows, records, strict=True):
                self._ids[r] = record.id
        if self._texts is not None and self._texts.replaced + len(rows) > EDITED_IN_PLACE:
            self._texts = None  # made again when next searched
        elif self._texts is not None:
            cells = self._searched()
            for r, record in zip(rows, records, strict=True):
                self._texts.replace(r, [str(self.columns[c].show(record)) for c in cells])

    def _mend_orders(self, rows: list[int]) -> None:
        """After a few rows changed, each number or text column's order has them moved to
        their new keys' places (a million rows sorted again took an edit 0.3-0.4 s); other
        orders are dropped, to be sorted again when asked for."""
        mended = {}
        if len(rows) <= MOVED_IN_ORDER:
            for col, ordered in self._sorted.items():
                keys = [self._keys[col][r] for r in rows]
                kinds = (str,) if ordered.dtype == object else (int, float)
                if all(type(k) in kinds for k in keys):
                    up = self._orders[(col, False)]
                    for r, k in zip(rows, keys, strict=True):
                        up, ordered = _moved(up, ordered, r, k)
                    mended[col] = (up, ordered)
        shown_down = {col for col, descending in self._orders if descending}  # in use
        self._orders = {(col, False): up for col, (up, _) in mended.items()}
        self._orders.update(
            ((col, True), _descending(up, ordered[1:] == ordered[:-1]))
            for col, (up, ordered) in mended.items()
            if col in shown_down
        )
        self._sorted = {col: ordered for col, (_, ordered) in mended.items()}


def _descending(up: np.ndarray, same: np.ndarray) -> np.ndarray:
    """The descending order from an ascending stable one (`same`: whether each key equals
    the one before it): runs of equal keys in reverse, each keeping the file's order, as
    a stable sort gives them both ways."""
    n = len(up)
    first = np.flatnonzero(np.r_[True, ~same]) if n else np.empty(0, dtype=np.intp)
    sizes = np.diff(np.r_[first, n])[::-1]
    return up[np.repeat(first[::-1] - (np.cumsum(sizes) - sizes), sizes) + np.arange(n)]


def _moved(up: np.ndarray, ordered: np.ndarray, row: int, key: float | str):
    """An ascending order (the rows, and their keys) with `row` taken out and put back at
    `key`'s place, after the rows of an equal key that come before it (a stable sort's)."""
    at = int(np.flatnonzero(up == row)[0])
    up, ordered = np.delete(up, at), np.delete(ordered, at)
    lo, hi = int(np.searchsorted(ordered, key, "left")), int(np.searchsorted(ordered, key, "right"))
    at = lo + int(np.searchsorted(up[lo:hi], row))
    return np.insert(up, at, row), np.insert(ordered, at, key)


class TableRows(QtCore.QAbstractProxyModel):
    """What a record table shows of its model (a RecordTableModel: `cell`, `columns`,
    `records`): the rows in the order of the column sorted by, without those the Filter
    panel leaves out (`keep`) or the search box does not find (`search`), kept as an array
    of the model's rows. Each change is one layout change, so that the view keeps the
    selected rows that are still shown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kept: frozenset | None = None
        self.text = ""
        self.sort_column, self.sort_order = -1, QtCore.Qt.SortOrder.AscendingOrder
        self._index: RowIndex | None = None
        self._kept_mask: np.ndarray | None = None
        self._rows = np.empty(0, dtype=np.intp)  # the model's row shown at each row
        self._at = np.empty(0, dtype=np.intp)  # where each of the model's rows is, or -1

    def setSourceModel(self, model) -> None:
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_changed)
        self._source_reset()

    # ------------------------------------------------------------ what is shown

    def rows_index(self) -> RowIndex:
        """The index of the model's records as they stand (made again after a reset)."""
        if self._index is None:
            model = self.sourceModel()
            self._index = RowIndex(model.columns, model.records())  # the live list
        return self._index

    def keep(self, ids: frozenset | None) -> None:
        """Show only the records with these ids (the Filter panel's), or all."""
        self.kept, self._kept_mask = ids, None
        self._relayout()

    def search(self, text: str) -> None:
        """Show only the rows one of whose cells holds `text`, ignoring case."""
        self.text = text
        self._relayout()

    def prepare_search(self) -> None:
        """Make the rows' searched texts now, if they are not made yet."""
        if self.sourceModel() is not None and self.sourceModel().rowCount():
            self.rows_index().texts()

    setFilterFixedString = search  # the name the search box was wired to before

    def sort(self, column: int, order=QtCore.Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, QtCore.Qt.SortOrder(order)
        self._relayout()

    def shown_rows(self) -> np.ndarray:
        """The model's rows shown, in the order shown."""
        return self._rows

    def shown_at(self, rows: np.ndarray) -> np.ndarray:
        """Where each of the model's `rows` is shown (-1: not shown)."""
        return self._at[rows] if len(self._at) else np.full(len(rows), -1, dtype=np.intp)

    def _compute(self) -> None:
        n = self.sourceModel().rowCount()
        index = self.rows_index() if n else None
        if index is None:
            rows = np.empty(0, dtype=np.intp)
        else:
            if 0 <= self.sort_column < len(index.columns):
                descending = self.sort_order == QtCore.Qt.SortOrder.DescendingOrder
                rows = index.order(self.sort_column, descending)
            else:
                rows = np.arange(n, dtype=np.intp)
            wanted = None
            if self.kept is not None:
                if self._kept_mask is None or len(self._kept_mask) != n:
                    self._kept_mask = kept_mask(index.ids(), self.kept)
                wanted = self._kept_mask
            if self.text:
                found = index.matching(self.text)
                wanted = found if wanted is None else wanted & found
            if wanted is not None:
                rows = rows[wanted[rows]]
        self._rows = rows
        self._at = np.full(n, -1, dtype=np.intp)
        self._at[rows] = np.arange(len(rows), dtype=np.intp)

    def _relayout(self) -> None:
        """Work out the rows again, moving the view's persistent indexes (its selection,
        its current cell) with their records; those no longer shown become invalid."""
        if self.sourceModel() is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = [i for i in self.persistentIndexList() if 0 <= i.row() < len(self._rows)]
        sources = [int(self._rows[i.row()]) for i in before]
        self._compute()
        after = [
            self.index(int(self._at[s]), i.column()) if self._at[s] >= 0 else _ROOT
            for s, i in zip(sources, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _source_reset(self) -> None:
        self._index, self._kept_mask = None, None
        self._compute()
        self.endResetModel()

    def _source_changed(self, top_left, bottom_right, roles=()) -> None:
        first, last = top_left.row(), bottom_right.row()
        if last - first > EDITED_IN_PLACE or self._index is None:
            self._index, self._kept_mask = None, None  # counts of every row: made again
        else:
            self._index.changed(list(range(first, last + 1)))
            self._kept_mask = None  # an id may have changed
        self._relayout()
        if len(self._rows):
            shown = self._at[first : last + 1]
            shown = shown[shown >= 0]
            if len(shown):
                self.dataChanged.emit(
                    self.index(int(shown.min()), top_left.column()),
                    self.index(int(shown.max()), bottom_right.column()),
                    roles,
                )

    # ------------------------------------------------------------ the proxy's mapping

    def index(self, row: int, column: int, parent=_ROOT) -> QtCore.QModelIndex:
        if parent.isValid() or not (0 <= row < len(self._rows)):
            return _ROOT
        if not 0 <= column < self.columnCount():
            return _ROOT
        return self.createIndex(row, column)

    def parent(self, index=None):
        if index is None:  # QObject's parent
            return super().parent()
        return _ROOT

    def rowCount(self, parent=_ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=_ROOT) -> int:
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent=_ROOT) -> bool:
        return not parent.isValid() and len(self._rows) > 0

    def mapToSource(self, index) -> QtCore.QModelIndex:
        if not index.isValid() or index.row() >= len(self._rows):
            return _ROOT
        # made directly: the model's `index` would ask Python for its row count each time
        return self.sourceModel().createIndex(int(self._rows[index.row()]), index.column())

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        """The model's `cell`: a repaint asks each cell shown for a dozen roles."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.sourceModel().cell(int(self._rows[index.row()]), index.column(), role)

    def mapFromSource(self, index) -> QtCore.QModelIndex:
        if not index.isValid() or index.row() >= len(self._at) or self._at[index.row()] < 0:
            return _ROOT
        return self.index(int(self._at[index.row()]), index.column())

    def headerData(self, section, orientation, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if orientation == QtCore.Qt.Orientation.Horizontal:  # shown with no row shown too
            return self.sourceModel().headerData(section, orientation, role)
        return section + 1 if role == QtCore.Qt.ItemDataRole.DisplayRole else None

    # ------------------------------------------------------------ drag and drop

    def mimeTypes(self):
        return self.sourceModel().mimeTypes()

    def supportedDropActions(self):
        return self.sourceModel().supportedDropActions()

    def mimeData(self, indexes):
        return self.sourceModel().mimeData([self.mapToSource(i) for i in indexes])

    def _drop_at(self, row: int, column: int, parent) -> tuple[int, int, QtCore.QModelIndex]:
        """A drop's place in the model: before the record shown at `row`, or at the end."""
        if row < 0:
            return row, column, self.mapToSource(parent)
        if row < len(self._rows):
            return int(self._rows[row]), column, _ROOT
        return self.sourceModel().rowCount(), column, _ROOT

    def canDropMimeData(self, mime, action, row, column, parent) -> bool:
        return self.sourceModel().canDropMimeData(mime, action, *self._drop_at(row, column, parent))

    def dropMimeData(self, mime, action, row, column, parent) -> bool:
        return self.sourceModel().dropMimeData(mime, action, *self._drop_at(row, column, parent))
