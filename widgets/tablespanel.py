"""The Tables panel: a tab for each kind of record (widgets/tables.py's RecordTable).

A kind's table is made when its tab is first shown, or when something first asks for it
(`panel.tables[kind]`): most people look at one or two of the five, and making all five
was the largest part of opening a window (about a fifth of it). What applies to every
table (the search words, the Filter panel's events and demands, the selection) is kept
here and given to a table as it is made."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6 import QtCore, QtWidgets

from app.editing.document import Document
from widgets.tables import RecordTable

KINDS = ("events", "demands", "actors", "phases", "sources")
KEPT_KINDS = ("events", "demands")  # what the Filter panel's ids keep


class Tables(Mapping):
    """kind -> its RecordTable, made when first asked for."""

    def __init__(self, make: Callable[[str], RecordTable]):
        self._make = make
        self.made: dict[str, RecordTable] = {}

    def __getitem__(self, kind: str) -> RecordTable:
        table = self.made.get(kind)
        if table is None:
            if kind not in KINDS:
                raise KeyError(kind)
            table = self.made[kind] = self._make(kind)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)


class TablesPanel(QtWidgets.QTabWidget):
    problem = QtCore.Signal(str)  # a table refused an edit, and why

    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.words = ""  # the search box's
        self.kept: frozenset | None = None  # the Filter panel's events and demands
        self.pages = {kind: QtWidgets.QWidget() for kind in KINDS}
        for kind, page in self.pages.items():
            box = QtWidgets.QVBoxLayout(page)
            box.setContentsMargins(0, 0, 0, 0)
            self.addTab(page, kind.capitalize())
        self.tables = Tables(self._make)
        self.currentChanged.connect(lambda i: self.tables[KINDS[i]] if i >= 0 else None)
        self.tables[KINDS[self.currentIndex()]]  # the tab on top, shown with the window

    def _make(self, kind: str) -> RecordTable:
        table = RecordTable(self.doc, kind)
        table.model.problem.connect(self.problem)
        if self.words:
            table.filter.setText(self.words)
        if kind in KEPT_KINDS and self.kept is not None:
            table.proxy.keep(self.kept)
        if self.doc.selection:
            table._selection_from_doc()
        page = self.pages[kind]
        page.layout().addWidget(table)
        if page.isVisible():  # shown now, not after the next pass of the event loop
            table.show()
        return table

    def select_all_rows(self) -> bool:
        """Select All with the keys in a table: every row it shows (of its kind only, as in
        any table; the chart's Select All took the demands too). False outside the tables."""
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            return False
        self.tables[KINDS[self.currentIndex()]].view.selectAll()
        return True

    def setCurrentWidget(self, widget: QtWidgets.QWidget) -> None:
        """A table or its tab's page."""
        if isinstance(widget, RecordTable):
            widget = self.pages[widget.kind]
        super().setCurrentWidget(widget)

    def search(self, words: str) -> None:
        """The search box's words filter every table, those made later too."""
        self.words = words
        for table in self.tables.made.values():
            table.filter.setText(words)

    def keep(self, ids: frozenset | None) -> None:
        """Show only these events and demands (the Filter panel's), or all of them."""
        self.kept = ids
        for kind in KEPT_KINDS:
            if kind in self.tables.made:
                self.tables.made[kind].proxy.keep(ids)
