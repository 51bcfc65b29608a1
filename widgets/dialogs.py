"""Dialogs and window-wide helpers: the list of a file's problems, the date of a status
change, the dark palette, and the handler that turns an unexpected error into a message, a
log and an autosave."""

from __future__ import annotations

import html
import os
import sys
import time
import traceback

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets

from app.chart.theme import THEMES
from app.editing import edits, recovery
from app.fileformat import resources, spec
from app.fileformat.atomic import ReadOnlyFile
from app.records.when import When, WhenError
from widgets.actions import shortcuts_html
from widgets.busy import waiting  # noqa: F401  (dialogs.waiting, as the panels call it)
from widgets.fields import DateField, add_choices, read_date


def write_or_ask(parent, path: str, write) -> bool:
    """`write(replace_read_only)` that asks before replacing a read-only file; False when
    the person declines."""
    try:
        write(False)
    except ReadOnlyFile:
        if not replace_read_only(parent, path):
            return False
        write(True)
    return True


def replace_read_only(parent, path: str) -> bool:
    """Whether the person wants the read-only file at `path` replaced all the same."""
    answer = QtWidgets.QMessageBox.question(
        parent,
        "Read-only file",
        f"{os.path.basename(path)} is read-only. Overwrite it all the same?",
    )
    return answer == QtWidgets.QMessageBox.StandardButton.Yes


class ErrorListDialog(QtWidgets.QDialog):
    """Every problem in a file, one per line, with a button to copy them."""

    def __init__(self, title: str, intro: str, lines: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 360)
        label = QtWidgets.QLabel(intro)
        label.setWordWrap(True)
        self.text = QtWidgets.QPlainTextEdit("\n".join(lines))
        self.text.setReadOnly(True)
        # wrapped: a long problem read without scrolling sideways (a long path, anywhere)
        self.text.setWordWrapMode(QtGui.QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(
            lambda: QtWidgets.QApplication.clipboard().setText(self.text.toPlainText())
        )
        buttons.rejected.connect(self.reject)
        box = QtWidgets.QVBoxLayout(self)
        box.addWidget(label)
        box.addWidget(self.text)
        box.addWidget(buttons)


class WhenDialog(QtWidgets.QDialog):
    """When did it happen? A date field holding the most likely date, which reads the
    forgiving forms and EDTF (`2022-11~`), and an optional note. OK only with a date."""

    def __init__(
        self,
        title: str,
        question: str,
        proposed: When,
        note: bool = True,
        parent=None,
        refuse=lambda when: "",
        status: str | None = None,
    ):
        super().__init__(parent)
        self.refuse = refuse  # why a date cannot be taken ("" when it can)
        self.setWindowTitle(title)
        label = QtWidgets.QLabel(question)
        label.setWordWrap(True)
        self.field = DateField()
        self.field.set_value(proposed)
        self.problem = QtWidgets.QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.note = QtWidgets.QLineEdit()
        self.note.setPlaceholderText("optional: what happened, and where it is said")
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.field.edit.textChanged.connect(self._check)
        form = QtWidgets.QFormLayout(self)
        form.addRow(label)
        form.addRow("&When:", self.field)
        self.status: QtWidgets.QComboBox | None = None  # asked with `status`, proposing it
        if status is not None:
            self.status = add_choices(QtWidgets.QComboBox(), spec.STATUS_CHOICES)
            self.status.setCurrentIndex(max(self.status.findData(status), 0))
            form.addRow("&Status:", self.status)
        form.addRow(self.problem)
        if note:
            form.addRow("&Note:", self.note)
        else:
            self.note.hide()
        form.addRow(self.buttons)
        self.resize(420, self.sizeHint().height())
        self.field.edit.setFocus()
        self.field.edit.selectAll()

    def _check(self, text: str) -> None:
        ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self.field.error())

    def value(self) -> When:
        return read_date(self.field.edit.text())

    def accept(self) -> None:
        try:
            why = self.refuse(self.value())
        except WhenError:
            return  # the field says why
        self.problem.setText(f"⚠ {why}")
        self.problem.setVisible(bool(why))
        if not why:
            super().accept()


def ask_when(
    parent,
    title: str,
    question: str,
    proposed: When,
    note: bool = True,
    refuse=lambda when: "",
    status: str | None = None,
) -> tuple | None:
    """The date and note a person gives for a change, or None when they cancel; a date
    `refuse` gives a reason for is not taken (the dialog says why, and stays). With
    `status`, the status too, proposing that one: (date, note, status)."""
    dialog = WhenDialog(title, question, proposed, note, parent, refuse, status)
    try:
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        answer = dialog.value(), dialog.note.text().strip()
        return answer if status is None else (*answer, dialog.status.currentData())
    finally:
        if shiboken6.isValid(dialog):
            dialog.deleteLater()


def ask_status_date(
    parent, doc, demand_id: str, status: str, at: float | None = None, note: bool = True
):
    """When a demand's status changed to `status`: (date, note), or None on cancel. The
    proposal is the pointer's day (`at`), else the last event of its parties, else the
    day it was raised: today only if the person types it."""
    d = doc.get("demands", demand_id)
    name = d.label or d.text

    def refuse(when: When) -> str:
        try:
            edits.set_status(doc, demand_id, status, when)
        except edits.RefusedEdit as exc:
            return str(exc)
        return ""

    return ask_when(
        parent,
        f"Mark {status}",
        f"When was “{name[:80]}” " + ("reopened?" if status == "open" else f"{status}?"),
        edits.likely_status_date(doc, demand_id, at),
        note,
        refuse,
    )


def apply_palette(theme_name: str) -> None:
    """The whole window follows the chart's theme: Fusion with a dark palette, or the default."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        return
    if not hasattr(app, "_light_palette"):
        app._light_palette = QtGui.QPalette(app.palette())
    if theme_name != "dark":
        app.setPalette(app._light_palette)
        return
    app.setStyle("Fusion")
    theme = THEMES["dark"]
    R = QtGui.QPalette.ColorRole
    palette = QtGui.QPalette()
    for role, color in (
        (R.Window, "#2a2e35"),
        (R.WindowText, theme.text),
        (R.Base, theme.background),
        (R.AlternateBase, theme.lane_odd),
        (R.Text, theme.text),
        (R.Button, "#33383f"),
        (R.ButtonText, theme.text),
        (R.ToolTipBase, "#33383f"),
        (R.ToolTipText, theme.text),
        (R.Highlight, "#3d6fb5"),
        (R.HighlightedText, "#ffffff"),
        (R.PlaceholderText, theme.muted),
        (R.Mid, theme.muted),
        (R.Link, "#74a7ea"),
    ):
        palette.setColor(role, QtGui.QColor(color))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.ButtonText, QtGui.QColor("#6c737d"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.WindowText, QtGui.QColor("#6c737d"))
    palette.setColor(QtGui.QPalette.ColorGroup.Disabled, R.Text, QtGui.QColor("#6c737d"))
    app.setPalette(palette)


def install_crash_handler(window_getter) -> None:
    """Unexpected errors show a dialog with the details, write a crash log, and keep the
    autosave, instead of silently killing the editor."""

    def handle(kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        folder = os.path.dirname(recovery.folder())
        log = os.path.join(folder, f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log")
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(details)
        except OSError:
            log = "(could not be written)"
        window = window_getter()
        if window is not None:
            try:
                window.session.write_recovery()
            except Exception:  # noqa: BLE001 - the crash report must still show
                pass
        print(details, file=sys.stderr)
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Critical,
            "Unexpected error",
            f"Something went wrong: {value}\n\nYour work is kept in the recovery file. "
            f"A crash log was written to {log}.",
        )
        box.setDetailedText(details)
        box.exec()

    sys.excepthook = handle


def show_shortcuts(window) -> None:
    """The shortcuts beside the window, left open while they are tried, and scrolled where
    the screen is shorter than the list (a message box 870 px tall put its OK button off a
    700 px screen). Asked again, the same dialog comes to the front."""
    dialog = window.findChild(QtWidgets.QDialog, "shortcuts")
    if dialog is None:
        dialog = QtWidgets.QDialog(window)
        dialog.setObjectName("shortcuts")
        dialog.setWindowTitle("Keyboard shortcuts")
        text = QtWidgets.QTextBrowser()
        text.setHtml(shortcuts_html())
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QtWidgets.QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        text.document().setTextWidth(480)
        wanted = text.document().size().toSize() + QtCore.QSize(60, 100)  # frame and button
        room = window.screen().availableGeometry()
        dialog.resize(
            min(wanted.width(), room.width()), min(wanted.height(), room.height() * 9 // 10)
        )
        # At the window's right, over its panels rather than the chart, inside the screen.
        frame = window.frameGeometry()
        x = min(frame.right() - dialog.width(), room.right() - dialog.width())
        dialog.move(max(room.left(), x), max(room.top(), frame.top() + 40))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


def show_format(window) -> None:
    QtWidgets.QMessageBox.information(
        window,
        "File format",
        "<p>A project is one UTF-8 YAML file: <code>demarche: 1</code>, a <code>title</code>, then lists of "
        "<code>sources</code>, <code>actors</code>, <code>phases</code>, <code>events</code> and <code>demands</code>.</p>"
        "<p>Dates follow EDTF: <code>2023</code>, <code>2023-11</code>, <code>2023-11-22</code>, "
        "<code>2023-11-22T01:00+02:00</code>, with <code>~</code> (approximate), <code>?</code> (uncertain) or "
        "<code>%</code> (both), and intervals <code>A/B</code> with <code>..</code> for an open end.</p>"
        f"<p>The JSON Schema is in <code>{html.escape(str(resources.path('demarche.schema.json')))}"
        "</code>; check files with "
        "<code>demarche validate FILE</code>. The README describes every key.</p>",
    )


def show_about(window) -> None:
    QtWidgets.QMessageBox.about(
        window,
        "About Demarche",
        "<b>Demarche</b><br>A visual timeline editor for negotiations and conflicts.",
    )


def edit_properties(window, doc) -> None:
    """The project's title and description, changed as one undoable step."""
    dialog = QtWidgets.QDialog(window)
    dialog.setWindowTitle("Project properties")
    title = QtWidgets.QLineEdit(doc.project.title)
    description = QtWidgets.QPlainTextEdit(doc.project.description)
    description.setTabChangesFocus(True)
    form = QtWidgets.QFormLayout(dialog)
    form.addRow("&Title:", title)
    form.addRow("&Description:", description)
    form.addRow(QtWidgets.QLabel("Exports use them as the chart's title and subtitle."))
    buttons = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok
        | QtWidgets.QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    dialog.resize(520, 260)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return
    cmd = edits.set_title(doc, title.text().strip(), description.toPlainText().strip())
    if cmd is not None:
        doc.undo_stack.push(cmd)
