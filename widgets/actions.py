"""The one registry of what a person can do from menus, the toolbar and the keyboard.

Each action is declared once (id, text, shortcuts, help); `build` makes the QActions from
it and the window's handlers, and the menus, the toolbar, the chart's keys and the
shortcuts dialog are all made from the same list, so they cannot disagree.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6 import QtCore, QtGui, QtWidgets
from shiboken6 import Shiboken

from app.editing.document import FEW
from widgets.busy import waiting

K = QtGui.QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    keys: tuple = ()  # anywhere in the window
    chart_keys: tuple = ()  # only while the chart has focus: plain keys text fields need
    help: str = ""
    checkable: bool = False
    checked: bool = False  # a checkable action's state before the settings are read


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new", "&New", (K.New,), help="A new, empty project"),
    ActionSpec("open", "&Open…", (K.Open,), help="Open a project file"),
    ActionSpec("save", "&Save", (K.Save,)),
    ActionSpec("save_as", "Save &As…", (K.SaveAs,)),
    ActionSpec("revert", "&Revert", help="Reload the file from disk, dropping unsaved changes"),
    ActionSpec("import", "&Import…", ("Ctrl+I",), help="Bring in CSV, ACLED, TimelineJS, Markwhen"),
    ActionSpec("export", "&Export…", ("Ctrl+E",), help="Export a chart (PNG, SVG, PDF)"),
    ActionSpec(
        "export_data",
        "Export &Data…",
        ("Ctrl+Alt+E",),
        help="Export the events for TimelineJS, calendars and Markwhen",
    ),
    ActionSpec(
        "add_context",
        "Add &Context Data…",
        help="Conflict data (ACLED, UCDP) drawn as strips under the lanes; kept outside the file",
    ),
    ActionSpec(
        "compare",
        "Co&mpare With…",
        help="Another project under this one, read-only, aligned on an event of each",
    ),
    ActionSpec("close", "&Close", (K.Close,)),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",)),
    ActionSpec("undo", "&Undo", (K.Undo,)),
    ActionSpec("redo", "&Redo", (K.Redo, "Ctrl+Y")),  # Ctrl+Y as well, on every platform
    ActionSpec("cut", "Cu&t", (K.Cut,)),
    ActionSpec("copy", "&Copy", (K.Copy,), help="Copy the selected events as YAML text"),
    ActionSpec("paste", "&Paste", (K.Paste,)),
    ActionSpec("duplicate", "&Duplicate", ("Ctrl+D",)),
    ActionSpec("delete", "De&lete", (K.Delete,), ("Backspace",)),
    ActionSpec("select_all", "Select &All", (K.SelectAll,)),
    ActionSpec("find", "&Find…", (K.Find,), help="Search titles, text, tags and actors"),
    ActionSpec(
        "month_first",
        "Dates: &Month Before Day",
        help="Read 03/04/2023 as 4 March (off: as 3 April)",
        checkable=True,
    ),
    ActionSpec("properties", "Project &Properties…", help="The project's title and description"),
    ActionSpec("edit_selection", "&Edit Selected", (), ("Return", "Enter")),
    ActionSpec("select_none", "Select &None", (), ("Escape",)),
    ActionSpec("nudge_left", "Nudge &Earlier", (), ("Left",), "One snap unit earlier"),
    ActionSpec("nudge_right", "Nudge &Later", (), ("Right",), "One snap unit later"),
    ActionSpec("zoom_in", "Zoom &In", (K.ZoomIn, "Ctrl+="), ("+", "=")),
    ActionSpec("zoom_out", "Zoom &Out", (K.ZoomOut,), ("-",)),
    ActionSpec("fit", "&Fit All", ("Ctrl+0",), ("F", "Home")),
    ActionSpec("taller", "&Taller Lanes", ("Ctrl+Shift+Up",)),
    ActionSpec("shorter", "S&horter Lanes", ("Ctrl+Shift+Down",)),
    ActionSpec("row_height", "&Normal Lane Height", ("Ctrl+Shift+0",)),
    ActionSpec("dark", "&Dark Theme", checkable=True),
    ActionSpec("legend", "&Legend", checkable=True, checked=True),
    ActionSpec("demands", "&Demands", checkable=True, checked=True),
    ActionSpec("phases", "&Phases", checkable=True, checked=True),
    ActionSpec("cursor", "&Cursor Line", checkable=True, checked=True),
    ActionSpec(
        "numbers",
        "Demand &Numbers",
        help="Number the arrows and list the demands below the lanes",
        checkable=True,
    ),
    ActionSpec("add_actor", "&Actor…", ("Ctrl+Shift+A",), help="A new actor: a lane"),
    ActionSpec("add_event", "&Event", ("Ctrl+Shift+E",)),
    ActionSpec("add_demand", "&Demand", ("Ctrl+Shift+D",)),
    ActionSpec("add_phase", "&Phase", ("Ctrl+Shift+P",)),
    ActionSpec("add_source", "&Source", ("Ctrl+Shift+R",), help="A new source (R: reference)"),
    ActionSpec("shortcuts", "&Keyboard Shortcuts", (K.HelpContents,)),
    ActionSpec("format", "&File Format"),
    ActionSpec("about", "&About Demarche"),
)
BY_ID = {a.id: a for a in ACTIONS}

# Menus in order; None is a separator, "@name" a submenu the window fills.
MENUS: tuple[tuple[str, tuple], ...] = (
    (
        "&File",
        (
            "new",
            "open",
            "@recent",
            None,
            "save",
            "save_as",
            "revert",
            None,
            "properties",
            "import",
            "export",
            "export_data",
            "add_context",
            "compare",
            None,
            "close",
            "quit",
        ),
    ),
    (
        "&Edit",
        (
            "undo",
            "redo",
            None,
            "cut",
            "copy",
            "paste",
            "duplicate",
            "delete",
            None,
            "select_all",
            "find",
            None,
            "month_first",
        ),
    ),
    (
        "&View",
        ("zoom_in", "zoom_out", "fit", None, "taller", "shorter", "row_height", None)
        + ("dark", "legend", "demands", "numbers", "phases", "cursor", None, "@views", "@panels"),
    ),
    ("&Insert", ("add_actor", "add_event", "add_demand", "add_phase", "add_source")),
    ("&Help", ("shortcuts", "format", "about")),
)
TOOLBAR = ("new", "open", "save", None, "undo", "redo", None, "add_event", "add_demand", None)
TOOLBAR += ("zoom_in", "zoom_out", "fit")

MOUSE_HELP = (  # as the README's table says them
    ("Click, Ctrl+click", "select, add to the selection"),
    ("Drag on empty space", "select with a rubber band (Ctrl adds)"),
    ("Shift+drag, middle drag", "pan"),
    ("Drag an event", "move it in time (snaps; Alt moves freely) or to another lane"),
    ("Drag a range's edge", "resize it"),
    ("Drag a demand's arrow / its head", "move it in time / address it to another actor"),
    ("Ctrl+drag lane to lane", "new demand"),
    (
        "Alt held at the press on an event, drag to another",
        "link them: the later answers the earlier; again, unlink (or right-click ▸ Link)",
    ),
    ("Double-click a lane", "new event there"),
    ("Double-click an item", "edit it in the inspector"),
    ("Right-click an item", "edit, duplicate, delete, change status, copy as text"),
    ("Drag a lane name / click ▾", "reorder the lanes / collapse a lane's nested ones"),
    ("Drag the lane names' right edge", "widen the column"),
    ("Wheel / Ctrl+wheel / Shift+wheel", "zoom time / lane height / scroll lanes"),
    ("Esc in a panel's field", "back to the chart (Esc in the search box clears it first)"),
)


def sequences(spec: ActionSpec, chart: bool = False) -> list[QtGui.QKeySequence]:
    """Every key sequence of an action, standard keys expanded for this platform, each
    once (a key given twice to one action would make its shortcut ambiguous). A standard
    key's expansion leaves out a key named for another action: X11's Delete includes
    Ctrl+D, which is Duplicate's, and a key bound twice does nothing."""
    out = {}
    for key in spec.chart_keys if chart else spec.keys:
        if isinstance(key, K):
            taken = _named_keys() - {QtGui.QKeySequence(k).toString() for k in _own(spec)}
            found = [s for s in QtGui.QKeySequence.keyBindings(key) if s.toString() not in taken]
        else:
            found = [QtGui.QKeySequence(key)]
        for seq in found:
            out.setdefault(seq.toString(), seq)
    return list(out.values())


def _own(spec: ActionSpec) -> list[str]:
    return [k for k in (*spec.keys, *spec.chart_keys) if not isinstance(k, K)]


@functools.cache
def _named_keys() -> frozenset[str]:
    """The keys the actions name themselves (not through a standard key); worked out once
    (a window's actions asked for them a standard key at a time: 2.6 ms a window)."""
    return frozenset(QtGui.QKeySequence(k).toString() for spec in ACTIONS for k in _own(spec))


def pressable(seq: QtGui.QKeySequence) -> bool:
    """Whether a PC keyboard has its keys. X11 binds the standard keys to more: F13-F35
    (a Sun keyboard's Undo is F14, its Cut F20) and keys named Save, Undo or Close, which
    the shortcuts dialog would show as "F14, Undo" or "Shift+Save"."""
    last = QtCore.Qt.Key.Key_F12.value
    return seq.count() > 0 and all(seq[i].key().value <= last for i in range(seq.count()))


def shown_sequences(spec: ActionSpec, chart: bool = False) -> list[QtGui.QKeySequence]:
    """The sequences the shortcuts dialog names (all still work)."""
    return [seq for seq in sequences(spec, chart) if pressable(seq)]


def shortcut_text(spec: ActionSpec) -> str:
    """ "Ctrl+0; on the chart: F, Home", in this platform's names of the keys."""
    native = QtGui.QKeySequence.SequenceFormat.NativeText

    def named(seqs: list[QtGui.QKeySequence]) -> str:
        return ", ".join(dict.fromkeys(seq.toString(native) for seq in seqs))

    keys, chart = named(shown_sequences(spec)), named(shown_sequences(spec, chart=True))
    return f"{keys}; on the chart: {chart}" if keys and chart else keys or chart


def build(
    window: QtWidgets.QWidget,
    chart: QtWidgets.QWidget,
    handlers: dict[str, Callable],
    stack: QtGui.QUndoStack,
) -> dict[str, QtGui.QAction]:
    """The QActions, on the window (its keys work anywhere in it) and on the chart (its
    plain keys work while it has focus). Undo and redo follow the stack."""
    actions = {}
    for spec in ACTIONS:
        if spec.id in ("undo", "redo"):
            make = stack.createUndoAction if spec.id == "undo" else stack.createRedoAction
            act = make(window, spec.text)
            act.triggered.disconnect()  # (the stack's own step, with no wait cursor)
            act.triggered.connect(lambda _c=False, verb=spec.id: step_waited(stack, verb))
        else:
            act = QtGui.QAction(spec.text, window)
            handler = handlers[spec.id]
            if spec.checkable:
                act.setCheckable(True)
                act.setChecked(spec.checked)
                act.toggled.connect(handler)
            else:
                act.triggered.connect(lambda _checked=False, h=handler: h())
        act.setShortcuts(sequences(spec))
        act.setShortcutContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        if spec.help:
            act.setStatusTip(spec.help)
        window.addAction(act)
        actions[spec.id] = act
        if spec.chart_keys:
            on_chart = QtGui.QAction(spec.text, chart)
            on_chart.setShortcuts(sequences(spec, chart=True))
            on_chart.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
            on_chart.triggered.connect(act.trigger)
            chart.addAction(on_chart)
    return actions


def fill_menus(bar: QtWidgets.QMenuBar, actions: dict, submenus: dict[str, Callable]) -> None:
    """The menu bar from MENUS; `submenus` fills each "@name" entry given its QMenu."""
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif entry.startswith("@"):
                submenus[entry[1:]](menu)
            else:
                menu.addAction(actions[entry])


def shortcuts_html() -> str:
    rows = [(text, what) for text, what in MOUSE_HELP]
    for spec in ACTIONS:
        keys = shortcut_text(spec)
        if keys:
            rows.append((keys, spec.text.replace("&", "").rstrip("…")))
    body = "".join(f"<tr><td><b>{escape(a)}</b></td><td>{escape(b)}</td></tr>" for a, b in rows)
    return f"<h3>Keyboard and mouse</h3><table cellspacing=4>{body}</table>"


def step_waited(stack: QtGui.QUndoStack, verb: str) -> None:
    """Undo or redo, under the wait cursor for a step of many records (undoing the
    deletion of 120,000 took a second and a half, the window seemingly frozen)."""
    command = stack.command(stack.index() - 1 if verb == "undo" else stack.index())
    size = sum(len(getattr(c, "ids", ())) or 1 for c in getattr(command, "children_", ()))
    size += len(getattr(command, "ids", ()))
    with waiting(size > FEW):
        (stack.undo if verb == "undo" else stack.redo)()


# Keys that work anywhere in the window, even where a text field would take them
# (Ctrl+Shift+A is "deselect" in a line edit).
WINDOW_FIRST = ("add_actor", "add_event", "add_demand", "add_phase", "add_source", "save_as")
# Keys a text field keeps only while it has typing of its own to take back: in a field
# just filled (a new event's title, focused), Ctrl+Z undid nothing, and the edits stayed.
TYPING_FIRST = ("undo", "redo")


class WindowKeys(QtCore.QObject):
    """Keeps the WINDOW_FIRST shortcuts for the window: a text field in it is not allowed
    to claim them (by accepting the shortcut override); nor undo and redo, unless it has
    typing of its own to take back. Qt asks the focused widget first,
    so this watches the window's focused widget only, following focus: not every event
    of the application, and nothing of other windows."""

    def __init__(self, window: QtWidgets.QWidget, actions: dict[str, QtGui.QAction]):
        super().__init__(window)
        self.window_ = window
        self.keys = {seq.toString() for key in WINDOW_FIRST for seq in actions[key].shortcuts()}
        self.undo_keys = {
            seq.toString(): key for key in TYPING_FIRST for seq in actions[key].shortcuts()
        }
        self.watched: QtWidgets.QWidget | None = None
        QtWidgets.QApplication.instance().focusChanged.connect(self.follow_focus)
        self.follow_focus(None, QtWidgets.QApplication.focusWidget())

    def follow_focus(self, _old, new) -> None:
        if self.watched is not None and Shiboken.isValid(self.watched):
            self.watched.removeEventFilter(self)
        self.watched = None
        if new is not None and new.window() is self.window_:
            new.installEventFilter(self)
            self.watched = new

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QtCore.QEvent.Type.ShortcutOverride:
            key = QtGui.QKeySequence(event.keyCombination()).toString()
            if key in self.keys:
                return True  # not the field's: the window's shortcut fires
            if key in self.undo_keys and not _typed_to(watched, self.undo_keys[key]):
                return True  # nothing typed there to take back: the document's undo
        return super().eventFilter(watched, event)


def _typed_to(widget: QtWidgets.QWidget, what: str) -> bool:
    """Whether a text field has typing of its own to undo (or redo); True for a widget
    that is no text field (it keeps its own ways)."""
    if isinstance(widget, QtWidgets.QComboBox) and widget.lineEdit() is not None:
        widget = widget.lineEdit()
    if isinstance(widget, QtWidgets.QLineEdit):
        return widget.isUndoAvailable() if what == "undo" else widget.isRedoAvailable()
    if isinstance(widget, (QtWidgets.QPlainTextEdit, QtWidgets.QTextEdit)):
        document = widget.document()
        return document.isUndoAvailable() if what == "undo" else document.isRedoAvailable()
    return True
