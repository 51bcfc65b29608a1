"""The Context panel: the project's conflict datasets, each with its rows (or why it cannot
be read), shown or hidden on the chart; File ▸ Add Context Data… adds one (an undoable edit),
Locate… finds a file that moved, Remove takes one out. Summaries are read off the GUI thread
(from the cache when it holds them) with Stop (widgets/contextreading.py), so opening a
project with ten million rows of context keeps the window answering."""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from app.context import project as context_project
from app.editing import edits
from app.editing.document import Document
from app.records.model import ContextData, LaneMatch
from app.records.plural import counted
from widgets.canvas import show_context
from widgets.contextdialog import FILTER, ContextDialog
from widgets.contextfilter import ContextFilterDialog
from widgets.contextreading import ContextReading


class ContextPanel(QtWidgets.QWidget):
    goneChanged = QtCore.Signal(list)  # the datasets read whose files are gone (Loaded)

    def __init__(self, doc: Document, canvas, parent=None):
        super().__init__(parent)
        self.doc, self.canvas = doc, canvas
        self.hidden: set[str] = set()  # datasets the person turned off
        self.loaded: list = []  # context_project.Loaded, in the project's order
        self.list = QtWidgets.QListWidget()
        self.list.itemChanged.connect(self._toggled)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.reading = ContextReading()
        self.reading.read.connect(self._show)
        self.reading.stopped.connect(self._stopped)
        self.reading.failed.connect(self._failed)
        self.again = QtWidgets.QPushButton("Read A&gain")
        self.again.clicked.connect(self.reload)
        self.again.hide()  # after Stop
        self.locate = QtWidgets.QPushButton("&Locate…")
        self.locate.setToolTip("Find the data file of a dataset that moved or was renamed")
        self.locate.clicked.connect(self.locate_dataset)
        add = QtWidgets.QPushButton("&Add…")
        add.clicked.connect(self.add_dataset)
        self.remove = QtWidgets.QPushButton("&Remove")
        self.remove.clicked.connect(self.remove_dataset)
        self.filter = QtWidgets.QPushButton("&Filter…")
        self.filter.setToolTip("Keep only some countries, event types or days of the dataset")
        self.filter.clicked.connect(self.filter_dataset)
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.list.currentItemChanged.connect(self._update_buttons)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.filter)
        buttons.addWidget(self.locate)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.again)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reading)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        for signal in (doc.contextChanged, doc.actorsChanged, doc.projectReplaced, doc.pathChanged):
            signal.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------ reading

    @property
    def task(self):
        """The reading under way (None once it has answered)."""
        return self.reading.task

    def reload(self, *_):
        """Summarise every dataset again (the cache answers at once for those unchanged);
        a reading still under way, for an older state of the project, is stopped."""
        project, path = self.doc.project, self.doc.path
        self.again.hide()
        if not project.context:
            self.reading.let_go()
            self._show([])
            return
        self.status.setText("")
        # Listed at once, those not read yet as "reading…" (an open listed nothing until
        # every dataset was read); the strips drawn stay until the reading answers.
        read = {x.record.id: x for x in self.loaded}
        self._list(
            [
                x if (x := read.get(r.id)) and x.record == r else _reading(r, path)
                for r in project.context
            ]
        )
        self.reading.start(project, path)

    @QtCore.Slot(str)
    def _failed(self, error: str) -> None:
        self.status.setText(f"Context data could not be read: {error}")

    @QtCore.Slot()
    def _stopped(self) -> None:
        """Stop pressed: the datasets listed as not read, none drawn, Read Again offered."""
        project, path = self.doc.project, self.doc.path
        self._show(
            [
                context_project.Loaded(r, context_project.data_path(r, path), problem="not read")
                for r in project.context
            ],
            drawn=False,
        )
        self.status.setText("Stopped: the context data was not read, and is not drawn.")
        self.again.show()

    def _show(self, loaded: list, drawn: bool = True) -> None:
        self.loaded = loaded if drawn else []
        self._list(loaded)
        self.status.setText(
            _gone(loaded) if loaded else "No context data: File ▸ Add Context Data…"
        )
        self._draw()
        self.goneChanged.emit([x for x in loaded if x.gone])

    def _list(self, loaded: list) -> None:
        chosen = self._chosen_id()  # kept through the reading of the data
        self.list.blockSignals(True)
        self.list.clear()
        for item in loaded:
            summary = item.summary
            if summary:
                words = f"{item.record.title} — {counted(summary.rows, 'row')}"
            else:
                words = _problem(item)
            row = QtWidgets.QListWidgetItem(f"{words}{_filters(item.record)}")
            row.setData(QtCore.Qt.ItemDataRole.UserRole, item.record.id)
            row.setToolTip(str(item.path))
            row.setFlags(row.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            shown = item.record.id not in self.hidden
            row.setCheckState(
                QtCore.Qt.CheckState.Checked if shown else QtCore.Qt.CheckState.Unchecked
            )
            self.list.addItem(row)
            if item.record.id == chosen:
                self.list.setCurrentItem(row)
        self.list.blockSignals(False)
        self._update_buttons()

    def _chosen(self) -> QtWidgets.QListWidgetItem | None:
        """What Filter… and Remove act on: the dataset selected, or the only one listed
        (with nothing selected they did nothing, not a word)."""
        if self.list.currentItem() is not None:
            return self.list.currentItem()
        return self.list.item(0) if self.list.count() == 1 else None

    def _chosen_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(QtCore.Qt.ItemDataRole.UserRole)

    def _chosen_loaded(self):
        """The Loaded of the dataset Filter… and the others act on, if read."""
        item = self._chosen()
        chosen = item and item.data(QtCore.Qt.ItemDataRole.UserRole)
        return next((x for x in self.loaded if x.record.id == chosen), None)

    def _update_buttons(self, *_) -> None:
        some = self._chosen() is not None
        self.filter.setEnabled(some)
        self.remove.setEnabled(some)
        self.locate.setEnabled(self._to_locate() is not None)

    def _to_locate(self):
        """The dataset Locate… finds: the chosen one if its file is gone; with none
        chosen, the only one whose file is gone."""
        loaded = self._chosen_loaded()
        if loaded is not None or self.list.currentItem() is not None:
            return loaded if loaded is not None and loaded.gone else None
        gone = [x for x in self.loaded if x.gone]
        return gone[0] if len(gone) == 1 else None

    def _double_clicked(self, _item) -> None:
        """A dataset whose file is gone is located; any other filtered."""
        if self.locate.isEnabled():
            self.locate_dataset()
        else:
            self.filter_dataset()

    def _toggled(self, item: QtWidgets.QListWidgetItem) -> None:
        dataset = item.data(QtCore.Qt.ItemDataRole.UserRole)
        if item.checkState() == QtCore.Qt.CheckState.Checked:
            self.hidden.discard(dataset)
        else:
            self.hidden.add(dataset)
        self._draw()

    def _draw(self) -> None:
        """The strips of the datasets shown, on the chart."""
        layers = [
            context_project.layer_of(item, k)
            for k, item in enumerate(self.loaded)
            if item.record.id not in self.hidden
        ]
        show_context(self.canvas, layers)

    # ------------------------------------------------------------ editing

    def add_dataset(self) -> None:
        dialog = ContextDialog(self.window(), self.doc.project, self.doc.path, self.doc.new_id)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        d = dialog.dataset()
        record = ContextData(
            id=d.id,
            title=d.title or d.id,
            path=d.path,
            kind=d.kind,
            match=tuple(LaneMatch(actor=a, names=n) for a, n in d.lanes.items()),
            columns=context_project.column_roles(d.columns),
        )
        self.doc.undo_stack.push(edits.add(self.doc, "context", record))

    def filter_dataset(self) -> None:
        """The selected dataset's filters, edited in a dialog and changed as one undo step
        (the summary is read again off the GUI thread, as after any change of the data)."""
        item = self._chosen()
        record = item and self.doc.get("context", item.data(QtCore.Qt.ItemDataRole.UserRole))
        if record is None:
            return
        dialog = ContextFilterDialog(self.window(), record, self.doc.path)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        try:
            command = edits.set_context_filters(self.doc, record.id, *dialog.values())
        except edits.RefusedEdit as e:
            QtWidgets.QMessageBox.warning(self, "Filter", str(e))
            return
        if command is not None:
            self.doc.undo_stack.push(command)

    def locate_dataset(self) -> None:
        """The chosen dataset's file, found where it went by a file dialog (a folder's, for
        a folder of Parquet), kept as one undoable edit; the data is then read from there."""
        loaded = self._to_locate()
        if loaded is not None:
            self.locate_file(loaded)

    def locate_file(self, loaded) -> None:
        """Where the file of `loaded` (a dataset whose file is gone) went, asked."""
        title = f"Locate {loaded.path.name} ({loaded.record.title})"
        start = str(_nearest_folder(loaded.path))
        if loaded.path.suffix:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, title, start, FILTER)
        else:  # a folder of Parquet files, partitioned by year
            path = QtWidgets.QFileDialog.getExistingDirectory(self, title, start)
        if not path:
            return
        command = edits.relocate_context(self.doc, loaded.record.id, path)
        if command is not None:
            self.doc.undo_stack.push(command)

    def remove_dataset(self) -> None:
        item = self._chosen()
        if item is not None:
            command = edits.delete(self.doc, [item.data(QtCore.Qt.ItemDataRole.UserRole)])
            if command is not None:
                self.doc.undo_stack.push(command)


def _problem(item) -> str:
    """Why a dataset draws nothing, as an error in words (not the rule it breaks)."""
    record = item.record
    if item.path.exists() and record.kind == "csv":
        if not any(c.role == "date" and c.columns for c in record.columns):
            return (
                f"{item.path.name}: no date column chosen — remove it and add it again, "
                "choosing its date column"
            )
    return f"{record.title} — {item.problem}"


def _reading(record: ContextData, project_path) -> context_project.Loaded:
    """A dataset listed while it is read."""
    path = context_project.data_path(record, project_path)
    return context_project.Loaded(record, path, problem="reading…")


def _gone(loaded: list) -> str:
    """What the panel says of the datasets whose files are gone, and how to find them."""
    gone = [x for x in loaded if x.gone]
    if not gone:
        return ""
    files = ", ".join(f"{x.record.title} ({x.record.path})" for x in gone)
    return f"Data file missing: {files}. Locate… (or a double-click on it) finds where it went."


def _nearest_folder(path: Path) -> Path:
    """The folder nearest to where the file was that still exists (to look around it)."""
    for folder in path.parents:
        if folder.is_dir():
            return folder
    return Path.home()


def _filters(record: ContextData) -> str:
    """ " (of Israel, Lebanon; Battles; from 2023-01-01)": what the dataset keeps, if not all."""
    parts = [", ".join(record.countries), ", ".join(record.types)]
    if record.from_ is not None:
        parts.append(f"from {record.from_.text}")
    if record.to is not None:
        parts.append(f"to {record.to.text}")
    kept = "; ".join(p for p in parts if p)
    return f" (of {kept})" if kept else ""
