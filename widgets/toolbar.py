"""The main toolbar, from the action registry, with the search box at its end."""

from __future__ import annotations

from collections.abc import Callable

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


class SearchBox(QtWidgets.QLineEdit):
    """The search field, with its count of matches written inside it on the right, before
    the clear button: beside the field, the count went behind the toolbar's » menu on a
    screen 1024 px wide. The typing stops short of it. `wanted` gives the text to search
    for as it is typed; where a search is `big()` (a frame or more: about 50 ms a letter at
    100,000 events, half a second at a million), once the typing pauses. Enter, or a box
    cleared, gives it at once."""

    wanted = QtCore.Signal(str)
    done = QtCore.Signal()

    def __init__(self, pause_ms: int):
        super().__init__()
        self.big: Callable[[], bool] = lambda: False
        self.pause = QtCore.QTimer(self, singleShot=True, interval=pause_ms)
        self.pause.timeout.connect(self.search_now)
        self.textChanged.connect(self._typed)
        self.returnPressed.connect(self.search_now)
        self.setPlaceholderText("Search titles, text, tags, actors  (Ctrl+F)")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)
        self.setMaximumWidth(340)
        self.count = QtWidgets.QLabel(self)
        self.count.setForegroundRole(QtGui.QPalette.ColorRole.PlaceholderText)
        self.count.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.count.hide()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """Escape clears the search; in an empty box, it gives the keys back to the chart."""
        if event.key() != QtCore.Qt.Key.Key_Escape:
            super().keyPressEvent(event)
        elif self.text():
            self.clear()
        else:
            self.done.emit()

    def _typed(self, text: str) -> None:
        if text and self.big():
            self.pause.start()
        else:
            self.search_now()

    def search_now(self) -> None:
        self.pause.stop()
        self.wanted.emit(self.text())

    def show_count(self, text: str) -> None:
        self.count.setText(text)
        self.count.adjustSize()
        self.count.setVisible(bool(text))
        self.setTextMargins(0, 0, self.count.width() + 4 if text else 0, 0)
        self._place_count()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_count()

    def _place_count(self) -> None:
        buttons = [b.x() for b in self.findChildren(QtWidgets.QToolButton)]  # the clear button
        right = min(buttons, default=self.width() - 4)
        self.count.move(right - self.count.width() - 2, (self.height() - self.count.height()) // 2)


def add_search(bar: QtWidgets.QToolBar, pause_ms: int) -> SearchBox:
    search = SearchBox(pause_ms)
    bar.addWidget(search)
    return search


def short_undo_action(parent, stack: QtGui.QUndoStack, verb: str) -> QtGui.QAction:
    """'Undo' or 'Redo' with a short label for the toolbar; the tooltip names the command."""
    act = QtGui.QAction(verb.capitalize(), parent)
    act.triggered.connect(lambda: registry.step_waited(stack, verb))
    act.setEnabled(False)
    (stack.canUndoChanged if verb == "undo" else stack.canRedoChanged).connect(act.setEnabled)
    text_changed = stack.undoTextChanged if verb == "undo" else stack.redoTextChanged
    text_changed.connect(lambda text: act.setToolTip(f"{verb.capitalize()} {text}".strip()))
    return act
