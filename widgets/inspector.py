"""The inspector: a form for the selected event, demand, actor, phase or source, built
from the record spec (each field's label, help and editor).

Each field edit is one command; typing into a text field merges into one undo step.
With several events selected, actor, type and tags apply to all of them.
"""

from __future__ import annotations

from html import escape

from PySide6 import QtCore, QtGui, QtWidgets

from app.editing import edits
from app.editing.document import FEW, Document
from app.fileformat import spec
from app.records.plural import counted
from widgets import dialogs
from widgets.fields import ActorCombo, CheckList, DateField, QuietCombo, add_choices, color_icon
from widgets.rowseditors import CitesEditor, HistoryEditor, RowsEditor

MULTI_EDIT = {"events": {"actor", "type", "tags"}}


def form(kind: str) -> list[spec.Field]:
    """The fields of a kind's form, from the record spec."""
    return list(spec.BY_NAME[kind].form())


def _offered(doc: Document, kind: str, attr: str, ids: list[str], actors: list) -> list:
    """The actors a one-actor field offers: all of them, but for an actor's Inside only
    the lanes it may nest in (not itself, nor a lane nested in it)."""
    if kind != "actors" or attr != "parent":
        return actors
    can = set(edits.possible_parents(doc, ids))
    return [a for a in actors if a[0] in can]


class _Heading(QtWidgets.QLabel):
    """One line that never wraps nor widens the form, so that a long name or id cannot move
    the fields below it: a bold word, then the rest cut short with "…" to the room left
    (the whole id is in its tooltip and in the Id field)."""

    def __init__(self):
        super().__init__()
        self.setWordWrap(False)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
        self._said = ("", "", False)

    def say(self, bold: str, rest: str, grey: bool = False) -> None:
        self._said = (bold, rest, grey)
        self._fit()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        bold, rest, grey = self._said
        font = QtGui.QFont(self.font())
        font.setBold(True)
        room = self.contentsRect().width() - QtGui.QFontMetrics(font).horizontalAdvance(bold)
        room -= self.fontMetrics().horizontalAdvance(" ")
        fitted = self.fontMetrics().elidedText(rest, QtCore.Qt.TextElideMode.ElideRight, room)
        rest_html = f"<span style='color:gray'>{escape(fitted)}</span>" if grey else escape(fitted)
        self.setText(f"<b>{escape(bold)}</b> {rest_html}")


def _called(record) -> tuple[str, bool]:
    """What a record is called, quoted ("Event “New event”"); its id, greyed (True), when it
    has no name. Headed by its id, a new event read "Event event"."""
    name = next((v for a in NAMED_BY if (v := getattr(record, a, "") or "")), "")
    return (f"“{name}”", False) if name else (record.id, True)


NAMED_BY = ("name", "title", "label", "text")  # actors, events/phases/sources, demands


def _clear(form: QtWidgets.QFormLayout) -> None:
    """The form's rows out, their widgets deleted once control is back in the event loop:
    the form is rebuilt from inside an editor's own signal (a new record renamed after its
    title, an id renamed, as the field loses focus), and an editor deleted there at once
    took the editor down as its focus moved on."""
    while form.rowCount():
        row = form.takeRow(0)
        for item in (row.labelItem, row.fieldItem):
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Hidden, a focused field (a combo's own line too) would commit again, to
                # the records shown next.
                for w in (widget, *widget.findChildren(QtWidgets.QWidget)):
                    w.blockSignals(True)
                widget.hide()
                widget.deleteLater()


MIXED = "(several values)"


def _show_mixed(widget: QtWidgets.QWidget) -> None:
    """Records shown together that differ in a field: it shows none of their values, and
    says so; nothing is written unless the person types or picks one (it showed the first
    record's, and a Tab through it wrote that to them all)."""
    line = widget if isinstance(widget, QtWidgets.QLineEdit) else None
    if isinstance(widget, QtWidgets.QComboBox):
        widget.setCurrentIndex(-1)
        line = widget.lineEdit()
    if line is not None and not line.hasFocus():
        line.setText("")  # (clear() counts as typing)
        line.setPlaceholderText(MIXED)


def _typed(line: QtWidgets.QLineEdit, commit):
    """`commit`, when the field's typing ends, if the person typed in it since it was
    filled (its editing also ends on a mere Tab through it)."""

    def finished() -> None:
        if line.isModified():
            line.setModified(False)
            commit()

    return finished


NOTHING_SELECTED = (
    "Select an event, demand or lane to edit it here.\n\nDouble-click a lane to add an event."
)


def kinds_selected(doc: Document, selection) -> str:
    """What a selection of several kinds holds (the form edits one kind at a time)."""
    held = [counted(n, spec.BY_NAME[k].singular) for k, n in doc.counts_by_kind(selection).items()]
    return f"Selected: {', '.join(held)}.\n\nSelect one kind to edit them together here."


class Inspector(QtWidgets.QScrollArea):
    def __init__(self, doc: Document, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumWidth(300)
        self.doc = doc
        self.kind: str | None = None
        self.ids: list[str] = []
        self._shown: frozenset[str] = frozenset()  # the ids, to ask about an edit's
        self.editors: dict[str, QtWidgets.QWidget] = {}
        self._loading = False
        self.body = QtWidgets.QWidget()
        self.setWidget(self.body)
        self.form = QtWidgets.QFormLayout(self.body)
        self.form.setFieldGrowthPolicy(
            QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow
        )
        self.heading = _Heading()
        self.placeholder = QtWidgets.QLabel(NOTHING_SELECTED)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop)
        self.form.addRow(self.placeholder)
        for signal in (
            doc.eventsChanged,
            doc.demandsChanged,
            doc.actorsChanged,
            doc.phasesChanged,
            doc.sourcesChanged,
        ):
            signal.connect(self._changed)
        # the actor and source choices list every actor and source
        doc.actorsChanged.connect(self._choices_changed)
        doc.sourcesChanged.connect(self._choices_changed)
        doc.projectReplaced.connect(lambda: self.show_records("", []))

    # ------------------------------------------------------------ showing

    def show_selection(self) -> None:
        selection = self.doc.selection
        # In order while few; many in the selection's own (a million ids sorted: 1.2 s).
        ids = sorted(selection) if len(selection) <= FEW else list(selection)
        kinds = self.doc.kinds_of(selection)
        if len(kinds) == 1:
            self.show_records(kinds.pop(), ids)
        else:
            self.show_records("", [], kinds_selected(self.doc, selection) if kinds else "")

    def show_records(self, kind: str, ids: list[str], said: str = "") -> None:
        if kind == self.kind and ids == self.ids and self.editors:
            self._load()
            return
        self.kind, self.ids, self._shown = kind, ids, frozenset(ids)
        _clear(self.form)
        self.editors = {}
        if not ids:
            self.placeholder = QtWidgets.QLabel(said or NOTHING_SELECTED)
            self.placeholder.setWordWrap(True)
            self.form.addRow(self.placeholder)
            return
        self.heading = _Heading()
        self.form.addRow(self.heading)
        multi = len(ids) > 1
        for f in form(kind):
            if multi and f.attr not in MULTI_EDIT.get(kind, set()):
                continue
            widget = self._make(f)
            widget.setToolTip(widget.toolTip() or f.help)
            self.editors[f.attr] = widget
            if f.edited_by in (spec.CITATIONS, spec.HISTORY_ROWS):  # the form's whole width
                self.form.addRow(QtWidgets.QLabel(f.title))
                self.form.addRow(widget)
            else:
                self.form.addRow(f.title, widget)
        self._load()
        # another record's form starts at its top, also once its layout has settled
        self.verticalScrollBar().setValue(0)
        QtCore.QTimer.singleShot(0, self, lambda: self.verticalScrollBar().setValue(0))

    def focus_first(self) -> None:
        if self.editors:
            first = next(iter(self.editors.values()))
            target = first.edit if isinstance(first, DateField) else first
            target.setFocus()
            if isinstance(target, QtWidgets.QLineEdit):
                target.selectAll()

    def _present(self) -> list[str]:
        return self.doc.present(self.kind, self.ids) if self.kind else []

    def _changed(self, ids: list[str]) -> None:
        if self._loading or self._shown.isdisjoint(ids):
            return
        if not self._present():
            self.show_records("", [])
            return
        self._load()

    def _choices_changed(self, ids: list[str]) -> None:
        if not self._loading and self._present() and self._shown.isdisjoint(ids):
            self._load()

    def _load(self) -> None:
        ids = self._present()
        if not ids:
            return
        self._loading = True
        try:
            first = self.doc.get(self.kind, ids[0])
            names = {
                "events": "Event",
                "demands": "Demand",
                "actors": "Actor",
                "phases": "Phase",
                "sources": "Source",
            }
            if len(ids) == 1:
                self.heading.say(names[self.kind], *_called(first))
            else:
                self.heading.say(f"{len(ids)} {self.kind}:", "changes apply to all")
            self.heading.setToolTip(first.id if len(ids) == 1 else "")
            actors = [(a.id, a.name) for a in self.doc.project.actors]
            for attr, widget in self.editors.items():
                value = getattr(first, attr)
                others = self.doc.values_of(self.kind, ids[1:], attr) if len(ids) > 1 else ()
                mixed = any(v != value for v in others)
                if isinstance(widget, QtWidgets.QLineEdit):
                    text = ", ".join(value) if isinstance(value, tuple) else value
                    if not widget.hasFocus() and widget.text() != text:
                        widget.setText(text)
                        widget.setCursorPosition(0)  # a long line shows its start, not its tail
                elif isinstance(widget, QtWidgets.QPlainTextEdit):
                    if not widget.hasFocus():
                        widget.setPlainText(value)
                elif isinstance(widget, DateField):
                    if not widget.edit.hasFocus():
                        widget.set_value(value)
                elif isinstance(widget, ActorCombo):
                    widget.set_actors(_offered(self.doc, self.kind, attr, ids, actors), value)
                elif isinstance(widget, CheckList):
                    widget.set_items(actors, value)
                elif isinstance(widget, QtWidgets.QCheckBox):
                    widget.setChecked(value)
                elif isinstance(widget, QtWidgets.QComboBox):
                    index = widget.findData(value)
                    if index < 0 and widget.isEditable():
                        widget.setEditText(value)
                    else:
                        widget.setCurrentIndex(max(index, 0))
                elif isinstance(widget, QtWidgets.QPushButton):
                    widget.setIcon(color_icon(value))
                    widget.setText(value or "(automatic)")
                elif isinstance(widget, RowsEditor):
                    widget.load(value)
                if mixed:
                    _show_mixed(widget)
        finally:
            self._loading = False

    # ------------------------------------------------------------ editors

    def _make(self, f: spec.Field) -> QtWidgets.QWidget:
        """The editor the spec names for a field, wired to commit its edits."""
        attr, editor = f.attr, f.edited_by
        if editor == spec.LINE:
            w = QtWidgets.QLineEdit()
            w.textEdited.connect(lambda text, a=attr: self.commit(a, text))
            if f.key == spec.BY_NAME[self.kind].named_by:  # a new record is named after it
                w.editingFinished.connect(self.name_after_title)
                w.setPlaceholderText("Empty: the chart shows no label")  # (valid, but unseen)
            return w
        if editor == spec.IDENTIFIER:
            w = QtWidgets.QLineEdit()
            w.setToolTip("The id other records use to refer to this one; renaming it updates them")
            w.editingFinished.connect(lambda a=attr, w=w: self.commit(a, w.text().strip()))
            return w
        if editor == spec.WORDS:
            w = QtWidgets.QLineEdit()
            w.setPlaceholderText("comma, separated")
            w.editingFinished.connect(_typed(w, lambda a=attr: self.commit(a, f.parse(w.text()))))
            return w
        if editor == spec.NOTES:
            w = QtWidgets.QPlainTextEdit()
            w.setMaximumHeight(90)
            w.textChanged.connect(
                lambda a=attr, w=w: w.hasFocus() and self.commit(a, w.toPlainText())
            )
            return w
        if editor == spec.DATE:
            w = DateField(optional=not f.required)
            w.committed.connect(lambda when, a=attr: self.commit(a, when))
            return w
        if editor == spec.ONE_ACTOR:
            w = ActorCombo(allow_none=not f.required)
            w.picked.connect(lambda key, a=attr: self.commit(a, key))
            return w
        if editor == spec.SOME_ACTORS:
            w = CheckList()
            w.changed.connect(lambda ids, a=attr: self.commit(a, ids))
            return w
        if editor == spec.YES_NO:
            w = QtWidgets.QCheckBox()
            w.toggled.connect(lambda on, a=attr: self.commit(a, on))
            return w
        if editor in (spec.CHOICE, spec.STATUS_CHOICE):
            return self._choice(f)
        if editor == spec.COLOUR:
            w = QtWidgets.QPushButton()
            w.clicked.connect(lambda _=False, a=attr: self._pick_color(a))
            return w
        if editor == spec.CITATIONS:
            w = CitesEditor(self.doc)
            w.edited.connect(lambda rows, a=attr: self.commit(a, rows))
            return w
        if editor == spec.HISTORY_ROWS:
            w = HistoryEditor(self.doc, lambda: self.ids[0])
            w.edited.connect(lambda rows, a=attr: self.commit(a, rows))
            return w
        raise ValueError(f"no editor for {editor!r}")

    def _choice(self, f: spec.Field) -> QtWidgets.QComboBox:
        """A list of the spec's choices; a free one takes typed text too. A status asks
        when it changed."""
        w = add_choices(QuietCombo(), f.choices)
        if f.edited_by == spec.STATUS_CHOICE:
            w.activated.connect(lambda _i, w=w: self.change_status(w.currentData()))
            return w
        if f.free:
            w.setEditable(True)
            w.lineEdit().editingFinished.connect(
                _typed(w.lineEdit(), lambda a=f.attr: self.commit(a, w.currentText().strip()))
            )
            w.activated.connect(
                lambda _i, a=f.attr, w=w: self.commit(a, w.currentData() or w.currentText().strip())
            )
        else:
            w.activated.connect(lambda _i, a=f.attr, w=w: self.commit(a, w.currentData()))
        return w

    def _pick_color(self, attr: str) -> None:
        current = getattr(self.doc.get(self.kind, self._present()[0]), attr) or "#3465a4"
        color = QtWidgets.QColorDialog.getColor(QtGui.QColor(current), self, "Colour")
        if color.isValid():
            self.commit(attr, color.name())

    def commit(self, attr: str, value) -> None:
        """Push the edit of one field of the shown records, as one step (typing merges)."""
        if self._loading:
            return
        ids = self._present()
        try:
            with dialogs.waiting(len(ids) > FEW):  # (a field of 100,000 events: seconds)
                if self.kind == "demands" and attr == "history":
                    cmd = edits.set_history(self.doc, ids[0], value)
                else:
                    cmd = edits.set_fields(self.doc, self.kind, ids, attr, value, typing=True)
                self.push(cmd)  # (which says itself why a step it pushes is refused)
        except edits.RefusedEdit as exc:  # refused before any command was made
            QtWidgets.QMessageBox.warning(self, "Cannot change", str(exc))
            self._load()

    def change_status(self, status: str) -> None:
        """Ask when it changed, then mark it; the form shows the new status, resolved date
        and history at once (or the old status again, when the person cancels)."""
        demand_id = self.ids[0]
        answer = dialogs.ask_status_date(self, self.doc, demand_id, status)
        if answer is not None:
            try:
                self.push(edits.set_status(self.doc, demand_id, status, *answer))
            except edits.RefusedEdit as exc:  # (the dialog refuses such a date first)
                QtWidgets.QMessageBox.warning(self, "Cannot change", str(exc))
        self._load()

    def push(self, cmd) -> None:
        """Push one edit, then show what it changed in every field but the one typed in
        (the document's signal is ignored meanwhile, so typing is not disturbed)."""
        if cmd is None:
            return
        self._loading = True
        try:
            self.doc.undo_stack.push(cmd)
        except edits.RefusedEdit as exc:
            QtWidgets.QMessageBox.warning(self, "Cannot change", str(exc))
        finally:
            self._loading = False
        self._load()

    def name_after_title(self) -> None:
        ids = self._present()
        if len(ids) == 1:
            self.push(edits.name_after_title(self.doc, ids[0]))
