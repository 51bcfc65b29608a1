"""Help ▸ Keyboard Shortcuts names keys as a person presses them: not X11's extra bindings
of the standard keys (F14 for Undo, F20 for Cut, the Save and Close keys of keyboards
with such keys), and it lists the mouse gestures the README documents."""

from __future__ import annotations

import re

from PySide6 import QtCore, QtGui, QtWidgets

from widgets import actions as registry

K = QtGui.QKeySequence.StandardKey
REAL_BINDINGS = QtGui.QKeySequence.keyBindings
# what keyBindings gives on an X11 desktop besides the usual (Sun keyboards' F14, F20)
X11_EXTRAS = {K.Undo: ["F14"], K.Cut: ["F20"], K.Copy: ["F16"], K.Paste: ["F18"]}


def x11_bindings(key):
    return list(REAL_BINDINGS(key)) + [QtGui.QKeySequence(k) for k in X11_EXTRAS.get(key, [])]


def shown_text(window) -> str:
    window.actions_["shortcuts"].trigger()
    dialog = window.findChild(QtWidgets.QDialog, "shortcuts")
    text = dialog.findChild(QtWidgets.QTextBrowser).toPlainText()
    dialog.deleteLater()  # the next asking makes it again, with the keys as they are then
    dialog.setObjectName("")
    return text


def test_keys_are_named_as_a_person_presses_them(window, monkeypatch):
    monkeypatch.setattr(QtGui.QKeySequence, "keyBindings", staticmethod(x11_bindings))
    text = shown_text(window)
    assert not re.search(r"\bF(1[3-9]|2\d|3[0-5])\b", text)
    assert "Shift+Save" not in text
    for keys in ("Ctrl+Z", "Ctrl+X", "Ctrl+Shift+S", "Ctrl+W", "F1"):
        assert keys in text, keys
    special = {"New", "Open", "Save", "Close", "Undo", "Redo", "Cut", "Copy", "Paste", "Find"}
    special |= {"Help", "Zoom In", "Zoom Out"}  # Qt's names of keys a PC keyboard has not
    for spec in registry.ACTIONS:
        names = re.split(r", |; on the chart: ", registry.shortcut_text(spec))
        assert not special & {name.rsplit("+", 1)[-1] for name in names}, spec.id


def test_each_keys_text_reads_back_as_a_key_of_a_pc_keyboard(window, monkeypatch):
    monkeypatch.setattr(QtGui.QKeySequence, "keyBindings", staticmethod(x11_bindings))
    native = QtGui.QKeySequence.SequenceFormat.NativeText
    for spec in registry.ACTIONS:
        for seq in registry.shown_sequences(spec):
            key = seq[0].key()
            assert key < QtCore.Qt.Key.Key_F13, (spec.id, seq.toString(native))


def test_the_gestures_the_readme_documents_are_listed(window):
    text = shown_text(window)
    for gesture in ("Alt", "link", "Double-click an item", "Right-click", "lane name"):
        assert gesture in text, gesture
    rows = [line for line in text.splitlines() if line.strip()]
    assert len(rows) == len(set(rows))  # no row twice
