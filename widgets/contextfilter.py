"""A context dataset's filters, edited from the Context panel: the countries and event types its
rows must have (offered from the data, read off the GUI thread; values named in the file but
not found in the data stay listed) and the first and last day. The panel turns the dialog's
values into one undoable edit."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.context import inspect
from app.context import project as context_project
from app.records.datewords import edtf
from app.records.model import ContextData
from app.records.when import WhenError, parse
from widgets.background import run_in_background

Checked, Unchecked = QtCore.Qt.CheckState.Checked, QtCore.Qt.CheckState.Unchecked


def _day(when) -> str:
    return "" if when is None else when.text


class ContextFilterDialog(QtWidgets.QDialog):
    def __init__(self, parent, record: ContextData, project_path: str | None):
        super().__init__(parent)
        self.setWindowTitle(f"Filter {record.title}")
        self.resize(520, 480)
        self.record = record
        self.task = None
        self.countries = self._list(record.countries)
        self.types = self._list(record.types)
        self.start = QtWidgets.QLineEdit(_day(record.from_))
        self.end = QtWidgets.QLineEdit(_day(record.to))
        for edit in (self.start, self.end):
            edit.setPlaceholderText("a day (2023-10-07, 7 Oct 2023), or empty for no limit")
        self.status = QtWidgets.QLabel("Reading the countries and event types of the data…")
        self.status.setWordWrap(True)
        lists = QtWidgets.QHBoxLayout()
        for title, widget in (("&Countries", self.countries), ("Event &types", self.types)):
            column = QtWidgets.QVBoxLayout()
            label = QtWidgets.QLabel(title)
            label.setBuddy(widget)
            column.addWidget(label)
            column.addWidget(widget)
            lists.addLayout(column)
        form = QtWidgets.QFormLayout()
        form.addRow("&From", self.start)
        form.addRow("T&o", self.end)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        hint = QtWidgets.QLabel("Keep only the rows of the countries and types ticked (none: all).")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(lists, 1)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._read_choices(record, project_path)

    def _list(self, chosen: tuple[str, ...]) -> QtWidgets.QListWidget:
        widget = QtWidgets.QListWidget()
        for value in chosen:
            self._add(widget, value, True)
        return widget

    @staticmethod
    def _add(widget: QtWidgets.QListWidget, value: str, checked: bool) -> None:
        item = QtWidgets.QListWidgetItem(value)
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Checked if checked else Unchecked)
        widget.addItem(item)

    def _read_choices(self, record: ContextData, project_path: str | None) -> None:
        dataset = context_project.dataset_of(record)
        path = context_project.data_path(record, project_path)

        def work(task):
            return inspect.choices(
                dataset, path, on_connect=lambda con: task.on_cancel(con.interrupt)
            )

        self.task = run_in_background(work, self._choices_read, self._choices_failed, self)

    @QtCore.Slot(object)
    def _choices_read(self, found: dict) -> None:
        self.task = None
        for widget, key in ((self.countries, "countries"), (self.types, "types")):
            listed = {widget.item(i).text() for i in range(widget.count())}
            for value in found.get(key, []):
                if value not in listed:
                    self._add(widget, value, False)
        self.status.setText("")

    @QtCore.Slot(object)
    def _choices_failed(self, error) -> None:
        self.task = None
        self.status.setText(f"The data's values could not be read: {error}")

    def accept(self) -> None:
        """Closed only with days it can read, in order: a slip is said here, with the
        ticks kept (said after the dialog closed, it cost them all)."""
        try:
            start, end = (
                self._day(edit, name) for edit, name in ((self.start, "From"), (self.end, "To"))
            )
            if start and end and parse(end).hi <= parse(start).lo:
                raise WhenError(f"To ({end}) is before From ({start})")
        except WhenError as e:
            self.status.setStyleSheet("color: #c62828;")
            self.status.setText(str(e))
            return
        self.start.setText(start)
        self.end.setText(end)
        super().accept()

    @staticmethod
    def _day(edit: QtWidgets.QLineEdit, name: str) -> str:
        """The field's day as EDTF ("" for none), read as the date fields read one."""
        text = edit.text().strip()
        if not text:
            return ""
        try:
            return edtf(text)
        except WhenError as e:
            edit.setFocus()
            raise WhenError(f"{name}: {e}") from None

    def done(self, result: int) -> None:
        if self.task is not None:  # the reading is let go: its answer would find no dialog
            self.task.cancel()
        super().done(result)

    def values(self) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
        """(countries, types, first day, last day) as chosen."""

        def ticked(widget: QtWidgets.QListWidget) -> tuple[str, ...]:
            return tuple(
                widget.item(i).text()
                for i in range(widget.count())
                if widget.item(i).checkState() == Checked
            )

        return ticked(self.countries), ticked(self.types), self.start.text(), self.end.text()

    def tick(self, widget: QtWidgets.QListWidget, value: str, checked: bool = True) -> None:
        """Tick (or untick) `value` in one of the lists, as a click on its box would."""
        for i in range(widget.count()):
            if widget.item(i).text() == value:
                widget.item(i).setCheckState(Checked if checked else Unchecked)
