"""A context data file that is gone (moved, renamed, on a drive not mounted), said where the
person looks when the project opens: a bar above the chart naming the files, as an editor says
that a file changed on disk, with Locate… (the Context panel's: one undoable edit,
`edits.relocate_context`), Context Panel and Dismiss. Not a dialog: it asks nothing, so an open
is never stopped by it; the strips stay hatched until the file is found. Dismissed, it comes
back only for another set of gone files, or when a project is opened again."""

from __future__ import annotations

import html

from PySide6 import QtCore, QtGui, QtWidgets


class MissingDataBar(QtWidgets.QFrame):
    def __init__(self, panel, show_panel, parent=None):
        """`panel`: the Context panel, which reads the data and says which files are gone
        (`goneChanged`); `show_panel()` brings its dock to the front."""
        super().__init__(parent)
        self.panel = panel
        self.gone: list = []  # context_project.Loaded of each gone file
        self.dismissed: tuple | None = None
        self.setObjectName("missing-data")
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.label = QtWidgets.QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        self.locate = QtWidgets.QPushButton("&Locate…")
        self.locate.setToolTip("Find where the data file went (an undoable change of its path)")
        self.locate.clicked.connect(self.locate_first)
        panel_button = QtWidgets.QPushButton("Context Panel")
        panel_button.clicked.connect(show_panel)
        close = QtWidgets.QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss (the strips stay hatched; the Context panel still says it)")
        close.setAccessibleName("Dismiss")
        close.clicked.connect(self.dismiss)
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.locate)
        row.addWidget(panel_button)
        row.addWidget(close)
        panel.goneChanged.connect(self.show_gone)
        panel.doc.projectReplaced.connect(self._opened)
        self.hide()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        # A tooltip's ground sets the note apart from the window, in the theme of the moment
        # (the text keeps the window's colours, which read on it in either theme).
        p = QtGui.QPainter(self)
        p.fillRect(self.rect(), QtWidgets.QApplication.palette().toolTipBase())
        p.end()
        super().paintEvent(event)

    def show_gone(self, gone: list) -> None:
        """Say which data files are gone (hidden when none is, or when this set of them
        was dismissed)."""
        self.gone = gone
        if not gone or self._key() == self.dismissed:
            self.hide()
            return
        files = ", ".join(
            f"<b>{html.escape(x.record.title)}</b> ({html.escape(x.record.path)})" for x in gone
        )
        if len(gone) == 1:
            said = f"The context data file is missing: {files}. Its strips are hatched"
            said += " until it is found."
        else:
            said = f"The context data files are missing: {files}. Their strips are hatched"
            said += " until they are found."
        self.label.setText(said)
        self.locate.setText("&Locate…" if len(gone) == 1 else f"&Locate {gone[0].path.name}…")
        self.show()

    def locate_first(self) -> None:
        if self.gone:
            self.panel.locate_file(self.gone[0])

    def dismiss(self) -> None:
        self.dismissed = self._key()
        self.hide()

    def _opened(self) -> None:
        self.dismissed = None  # a project opened (again): its gone files are said again

    def _key(self) -> tuple:
        return tuple((x.record.id, str(x.path)) for x in self.gone)


def place(window: QtWidgets.QMainWindow, show_panel) -> MissingDataBar:
    """The bar above the chart: the central widget becomes the bar over the canvas."""
    canvas = window.takeCentralWidget()  # (setCentralWidget alone would delete it)
    holder = QtWidgets.QWidget()
    column = QtWidgets.QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    bar = MissingDataBar(window.context, show_panel, holder)
    column.addWidget(bar)
    column.addWidget(canvas, 1)
    window.setCentralWidget(holder)
    return bar
