"""Small editing widgets shared by the inspector and the tables."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.fileformat import spec
from app.records.datewords import edtf
from app.records.plural import counted
from app.records.when import When, WhenError, parse


def read_date(text: str, optional: bool = False) -> When | None:
    """A typed date in any form `datewords` reads, as the EDTF the file keeps."""
    if not text.strip():
        if optional:
            return None
        raise WhenError("a date is needed here")
    return parse(edtf(text, DateField.month_first))


class DateField(QtWidgets.QWidget):
    """A date entry that reads EDTF and the common forms people type (28 Sep 1978,
    28/09/1978, c. 1978), shows what it will store and its reading, or an inline error,
    and emits `committed` only with a valid value. The calendar button picks a day."""

    committed = QtCore.Signal(object)  # When, or None when emptied and `optional`
    month_first = False  # how 03/04/2023 reads: the window sets it from the settings

    def __init__(self, optional: bool = False, parent=None):
        super().__init__(parent)
        self.optional = optional
        self.edit = QtWidgets.QLineEdit()
        self.edit.setPlaceholderText(
            "2023-11-22, 2023-11~, 2023-10-27/2023-11-24" + (" (optional)" if optional else "")
        )
        self.reading = QtWidgets.QLabel()
        self.reading.setWordWrap(True)
        font = self.reading.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.reading.setFont(font)
        self.calendar = QtWidgets.QToolButton()
        self.calendar.setText("▦")
        self.calendar.setToolTip("Pick a day on a calendar (Alt+Down)")
        self.calendar.setAccessibleName("Pick a day")
        self.calendar.clicked.connect(self.pick_day)
        # Tab goes on to the next field (to the button, text typed after one Tab was lost);
        # the keys open the calendar from the date itself, as a combo box's list.
        self.calendar.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        QtGui.QShortcut(
            QtGui.QKeySequence("Alt+Down"),
            self.edit,
            self.pick_day,
            context=QtCore.Qt.ShortcutContext.WidgetShortcut,
        )
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar)
        box = QtWidgets.QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addLayout(row)
        box.addWidget(self.reading)
        self.edit.textEdited.connect(self._check)
        self.edit.editingFinished.connect(self._commit)
        self._value: When | None = None

    def set_value(self, when: When | None) -> None:
        self._value = when
        self.edit.setText(when.text if when else "")
        self._check(self.edit.text())

    def value(self) -> When | None:
        return self._value

    def error(self) -> str:
        try:
            self._parse(self.edit.text())
        except WhenError as exc:
            return str(exc)
        return ""

    def _parse(self, text: str) -> When | None:
        return read_date(text, self.optional)

    def pick_day(self) -> None:
        """A calendar below the field; the day picked is stored as YYYY-MM-DD."""
        menu = QtWidgets.QMenu(self)
        menu.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)  # one a click, else kept
        calendar = QtWidgets.QCalendarWidget()
        calendar.setGridVisible(True)
        when = self._value
        if when is not None and when.start is not None:
            start = when.start
            calendar.setSelectedDate(QtCore.QDate(start.year, start.month or 1, start.day or 1))
        holder = QtWidgets.QWidgetAction(menu)
        holder.setDefaultWidget(calendar)
        menu.addAction(holder)
        calendar.clicked.connect(
            lambda day: (menu.close(), self.set_typed(day.toString("yyyy-MM-dd")))
        )
        menu.popup(self.calendar.mapToGlobal(QtCore.QPoint(0, self.calendar.height())))

    def set_typed(self, text: str) -> None:
        """As if the person typed `text` and pressed Enter."""
        self.edit.setText(text)
        self._check(text)
        self._commit()

    def _check(self, text: str) -> None:
        try:
            when = self._parse(text)
        except WhenError as exc:
            self._say(f"⚠ {exc}")
            self.reading.setStyleSheet("color: #c62828;")
            self.edit.setStyleSheet("border: 1px solid #c62828;")
            return
        shown = when.describe() if when else ""
        if when and when.text != " ".join(text.split()):
            shown = f"stores {when.text}: {shown}"
        self._say(shown)
        self.reading.setStyleSheet("color: palette(mid);")
        self.edit.setStyleSheet("")

    def _say(self, text: str) -> None:
        self.reading.setText(text)
        self._fit_reading()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_reading()

    def _fit_reading(self) -> None:
        """As tall as its lines at this width: a form gives a field the height of its size
        hint, and an error wrapped on four lines had room for three."""
        self.reading.setMinimumHeight(0)  # (else its height for a width is at least this)
        lines = self.reading.heightForWidth(self.reading.width())  # -1 when it says nothing
        self.reading.setMinimumHeight(max(0, lines))

    def _commit(self) -> None:
        try:
            when = self._parse(self.edit.text())
        except WhenError:
            return  # the error stays on show; nothing is committed
        if when != self._value:
            self._value = when
            self.committed.emit(when)


class CheckList(QtWidgets.QListWidget):
    """A multi-select of actors, with a check box each."""

    changed = QtCore.Signal(tuple)

    ROWS = 8  # shown at most before it scrolls (110 px showed six and a half)

    def __init__(self, parent=None):
        super().__init__(parent)
        # A long name is cut short, said whole in its tooltip: no scrolling sideways.
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        self.itemChanged.connect(lambda _item: self.changed.emit(self.checked()))

    def fit_height(self) -> None:
        """As tall as its rows, up to ROWS (an empty list: one row's height)."""
        row = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height() + 4
        rows = min(max(self.count(), 1), self.ROWS)
        self.setMaximumHeight(rows * row + 2 * self.frameWidth() + 2)

    def set_items(self, items: list[tuple[str, str]], checked: tuple[str, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        for key, label in items:
            item = QtWidgets.QListWidgetItem(label)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, key)
            item.setToolTip(label)
            item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                QtCore.Qt.CheckState.Checked if key in checked else QtCore.Qt.CheckState.Unchecked
            )
            self.addItem(item)
        self.fit_height()
        self.blockSignals(False)

    def checked(self) -> tuple[str, ...]:
        return tuple(
            self.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
            for i in range(self.count())
            if self.item(i).checkState() == QtCore.Qt.CheckState.Checked
        )


class QuietCombo(QtWidgets.QComboBox):
    """A choice the mouse wheel passes over: turning it over a form scrolls the form, and
    changes only the choice the person clicked into first (scrolling the inspector once
    changed a cited source under the pointer, as an edit)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the form around it, which scrolls


class ActorCombo(QuietCombo):
    """A searchable choice of actor: type to filter by name. A typed name (or id) that
    matches an actor, or part of the name of only one, picks it when typing ends; one that
    matches none or several is shown as an error, and nothing is committed. `picked` says
    which actor was chosen either way."""

    picked = QtCore.Signal(str)

    def __init__(self, allow_none: bool = False, parent=None):
        super().__init__(parent)
        self.allow_none = allow_none
        self.setEditable(True)
        self.activated.connect(lambda _i: self._take(self.current_actor()))
        self.lineEdit().editingFinished.connect(self._typed)
        self.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.setMinimumContentsLength(12)
        completer = self.completer()
        completer.setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)

    def set_actors(self, actors: list[tuple[str, str]], current: str) -> None:
        self.blockSignals(True)
        self.clear()
        if self.allow_none:
            self.addItem("(none)", "")
        for key, name in actors:
            self.addItem(f"{name}  [{key}]", key)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.lineEdit().setCursorPosition(0)  # a long name shows its start, not its tail
        self.blockSignals(False)

    def current_actor(self) -> str:
        return self.currentData() or ""

    def _typed(self) -> None:
        text = " ".join(self.currentText().split()).casefold()
        if self.currentIndex() >= 0 and self.itemText(self.currentIndex()).casefold() == text:
            return  # unchanged, or picked from the list (activated said so)
        if not text and self.currentIndex() < 0:
            return  # none shown (records that differ), and none typed
        if not text and self.allow_none:
            self.setCurrentIndex(0)
            self._take("")
            return
        exact, partial = [], []
        for i in range(self.count()):
            key = self.itemData(i) or ""
            name = " ".join(self.itemText(i).rsplit("  [", 1)[0].split()).casefold()
            if key and text in (name, key.casefold()):
                exact.append(i)
            elif key and text and (text in name or text in key.casefold()):
                partial.append(i)
        # a name or id typed whole, or the one actor whose name holds what was typed
        found = exact or (partial if len(partial) == 1 else [])
        if found:
            self.setCurrentIndex(found[0])
            self.setEditText(self.itemText(found[0]))
            self._take(self.itemData(found[0]))
            return
        self.setStyleSheet("QComboBox { border: 1px solid #cc0000; }")
        self.setToolTip(
            f"{counted(len(partial), 'actor matches', 'actors match')} '{self.currentText()}': "
            "pick one from the list"
            if partial
            else f"No actor is called '{self.currentText()}': pick one from the list"
        )

    def _take(self, key: str) -> None:
        self.setStyleSheet("")
        self.setToolTip("")
        self.picked.emit(key)


def color_icon(hex_: str) -> QtGui.QIcon:
    pixmap = QtGui.QPixmap(14, 14)
    pixmap.fill(QtGui.QColor(hex_ or "#cccccc"))
    return QtGui.QIcon(pixmap)


class DateDelegate(QtWidgets.QStyledItemDelegate):
    """A date cell's editor reads what is typed as it is typed, as the inspector's date
    field does: a red edge and the reason in a tooltip while it cannot be read."""

    def __init__(self, read, parent=None):
        super().__init__(parent)
        self.read = read

    def createEditor(self, parent, option, index):
        editor = QtWidgets.QLineEdit(parent)
        editor.textEdited.connect(lambda text: self._check(editor, text))
        return editor

    def _check(self, editor: QtWidgets.QLineEdit, text: str) -> None:
        try:
            when = self.read(text)
        except WhenError as exc:
            editor.setStyleSheet("border: 1px solid #c62828;")
            editor.setToolTip(f"⚠ {exc}")
            QtWidgets.QToolTip.showText(
                editor.mapToGlobal(QtCore.QPoint(0, editor.height())), f"⚠ {exc}", editor
            )
            return
        editor.setStyleSheet("")
        editor.setToolTip(when.describe() if when else "")
        QtWidgets.QToolTip.hideText()


def add_choices(combo: QtWidgets.QComboBox, choices) -> QtWidgets.QComboBox:
    """The spec's choices, (value, label, tip), in a list: each by its label (its value
    where it has none), its tip as its tooltip."""
    for value, label, tip in choices:
        combo.addItem(label or value, value)
        if tip:
            combo.setItemData(combo.count() - 1, tip, QtCore.Qt.ItemDataRole.ToolTipRole)
    return combo


class ChoiceDelegate(QtWidgets.QStyledItemDelegate):
    """A cell of a field with choices (a demand's status, a source's grade) is edited in
    the list of them, as in the inspector, open at once; a free list takes any text too."""

    def __init__(self, field: spec.Field, parent=None):
        super().__init__(parent)
        self.field = field

    def createEditor(self, parent, option, index):
        combo = add_choices(QtWidgets.QComboBox(parent), self.field.choices)
        if self.field.free:  # typed text is committed as typed (Enter, or leaving the cell)
            combo.setEditable(True)
            combo.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
            combo.lineEdit().returnPressed.connect(lambda: self._chosen(combo))
        else:  # a choice is committed as it is made, in the list open at once
            combo.activated.connect(lambda _i: self._chosen(combo))
            QtCore.QTimer.singleShot(0, combo, combo.showPopup)
        return combo

    def _chosen(self, combo: QtWidgets.QComboBox) -> None:
        if combo.property("closed"):  # (a line in a combo says Enter twice)
            return
        combo.setProperty("closed", True)
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QtWidgets.QComboBox, index) -> None:
        value = index.data(QtCore.Qt.ItemDataRole.EditRole) or ""
        at = editor.findData(value)
        if at < 0 and editor.isEditable():
            editor.setEditText(value)
        else:
            editor.setCurrentIndex(max(at, 0))

    def setModelData(self, editor: QtWidgets.QComboBox, model, index) -> None:
        text = editor.currentText().strip()
        at = editor.findText(text) if editor.isEditable() else editor.currentIndex()
        value = editor.itemData(at) if at >= 0 else None
        model.setData(index, text if value is None else value)


def cell_delegate(column, parent) -> QtWidgets.QStyledItemDelegate | None:
    """The editor of a table's cell where a line of plain text is not the right one."""
    if column.field is None or column.parse is None:
        return None
    if column.dated:
        return DateDelegate(column.parse, parent)
    return ChoiceDelegate(column.field, parent) if column.field.choices else None
