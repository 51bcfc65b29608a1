"""The main toolbar, from the action registry, with the search box at its end."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from widgets import actions as registry


def make_toolbar(window: QtWidgets.QMainWindow, actions: dict, stack: QtGui.QUndoStack):
    bar = window.addToolBar("Main")
    bar.setObjectName("toolbar-main")
    bar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
    for key in registry.TOOLBAR:
        if key is None:
            bar.addSeparator()
        elif key in ("undo", "redo"):
            bar.addAction(short_undo_action(window, stack, key))
        else:
            bar.addAction(actions[key])
    spacer = QtWidgets.QWidget()
    spacer.setSizePolicy(
        QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Preferred
    )
    bar.addWidget(spacer)
    return bar


def add_search(bar: QtWidgets.QToolBar) -> tuple[QtWidgets.QLineEdit, QtWidgets.QLabel]:
    search = QtWidgets.QLineEdit()
    search.setPlaceholderText("Search titles, text, tags, actors  (Ctrl+F)")
    search.setClearButtonEnabled(True)
    search.setMinimumWidth(220)
    search.setMaximumWidth(340)
    bar.addWidget(search)
    count = QtWidgets.QLabel()
    count.setMinimumWidth(90)
    bar.addWidget(count)
    return search, count


def short_undo_action(parent, stack: QtGui.QUndoStack, verb: str) -> QtGui.QAction:
    """'Undo' or 'Redo' with a short label for the toolbar; the tooltip names the command."""
    act = QtGui.QAction(verb.capitalize(), parent)
    act.triggered.connect(stack.undo if verb == "undo" else stack.redo)
    act.setEnabled(False)
    (stack.canUndoChanged if verb == "undo" else stack.canRedoChanged).connect(act.setEnabled)
    text_changed = stack.undoTextChanged if verb == "undo" else stack.redoTextChanged
    text_changed.connect(lambda text: act.setToolTip(f"{verb.capitalize()} {text}".strip()))
    return act
