"""The Filter panel: what the chart shows, by actor (a parent takes its nested lanes), type or
CAMEO class, tag, demand status, the sources' credibility, words and dates; what is filtered
out is dimmed or hidden. Saved views (the project's `views:`) are chosen from the box at its
top, and the filter as it stands is saved as a new view (an undoable edit). The masks come from
app/records/filter.py, over columns made once per version of the project."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtWidgets

from app.chart.kept import IdIndex, Kept
from app.editing import edits
from app.editing.document import Document
from app.records import filter as filters
from app.records.datewords import edtf
from app.records.eventstore import counts
from app.records.model import STATUSES, View
from app.records.plural import counted
from app.records.vocabulary import QUAD_CLASSES
from app.records.when import WhenError, parse, point_at
from widgets.background import run_in_background
from widgets.fields import CheckList

ALL = "(everything)"
CUSTOM = "(custom filter)"  # the box's entry while the filter is no saved view
TYPING_PAUSE_MS = 250
CUSTOM_ID = "\x00custom"  # its data: no view's id (ids are words)
BACKGROUND_FROM = (
    20_000  # events and demands: from here the filter's columns are made off the GUI thread
)


def is_big(project) -> bool:
    """Whether filtering or searching the project takes a frame or more: its work then
    waits for a pause in the typing, or goes to another thread."""
    return project.size() >= BACKGROUND_FROM


def _columns(project) -> tuple[filters.EventColumns, IdIndex]:
    """The columns a filter reads, and where each of their ids stands (made here, so that
    the first filter change does not wait for it)."""
    columns = filters.EventColumns(project)
    index = IdIndex(columns.ids, columns.rows)
    index.at()
    return columns, index


def _check_item(box, label: str, value: str, checked: bool = False) -> None:
    item = QtWidgets.QListWidgetItem(label)
    item.setToolTip(label.strip())  # whole, where the list cuts it short
    item.setData(QtCore.Qt.ItemDataRole.UserRole, value)
    item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(QtCore.Qt.CheckState.Checked if checked else QtCore.Qt.CheckState.Unchecked)
    box.addItem(item)


class SavedViews:
    """The panel's saved views: the toolbar's box and View ▸ Saved Views choose one, Save as
    View keeps the filter as it stands (with the chart's span as its zoom). The box names a
    view only while the filter is that view: changed by hand, it says "(custom filter)"."""

    chosen: str | None = None  # the view last chosen: named first when two are alike

    def _fill_views(self, *_) -> None:
        self.views.blockSignals(True)
        self.views.clear()
        self.views.addItem(ALL, None)
        for v in self.doc.project.views:
            self.views.addItem(v.title, v.id)
        self.views.blockSignals(False)
        self._name_view()

    def _name_view(self) -> None:
        """Show in the box what the filter is: everything, a saved view, or a custom one
        (also while a date cannot be read). Called on every change of the filter or of the
        views, undo and redo included."""
        try:
            f = self.current()
        except WhenError:
            f = None
        box = self.views
        if f is not None and f.is_empty():
            wanted = None
        else:
            alike = [
                v.id
                for v in self.doc.project.views
                if f is not None and f.same_as(filters.of_view(v))
            ]
            wanted = self.chosen if self.chosen in alike else (alike[0] if alike else CUSTOM_ID)
        box.blockSignals(True)
        custom = box.findData(CUSTOM_ID)
        if wanted == CUSTOM_ID and custom < 0:
            box.insertItem(1, CUSTOM, CUSTOM_ID)
        elif wanted != CUSTOM_ID and custom >= 0:
            box.removeItem(custom)
        box.setCurrentIndex(max(0, box.findData(wanted)))
        box.blockSignals(False)

    def choose_view(self, index: int) -> None:
        view_id = self.views.itemData(index)
        if view_id == CUSTOM_ID:
            return  # the filter as it stands: nothing to change
        self.chosen = view_id
        if view_id is None:
            self.clear()
            return
        v = self.doc.get("views", view_id)
        self.fresh_lists()  # the view may tick a type or tag added while they were hidden
        self._set_checked(self.actors, v.actors)
        self._set_checked(self.types, v.types)
        self._set_checked(self.tags, v.tags)
        self._set_checked(self.status, v.status)
        for box, text in (
            (self.words, v.text),
            (self.start, v.from_.text if v.from_ else ""),
            (self.end, v.to.text if v.to else ""),
        ):
            box.blockSignals(True)
            box.setText(text)
            box.blockSignals(False)
        self.credibility.blockSignals(True)
        self.credibility.setCurrentIndex(max(0, self.credibility.findData(v.min_credibility)))
        self.credibility.blockSignals(False)
        self.apply()
        if v.zoom is not None and v.zoom.lo is not None and v.zoom.hi is not None:
            self.canvas.set_time_range(v.zoom.lo, v.zoom.hi)

    def _set_checked(self, box, values) -> None:
        box.blockSignals(True)
        for i in range(box.count()):
            on = box.item(i).data(QtCore.Qt.ItemDataRole.UserRole) in values
            box.item(i).setCheckState(
                QtCore.Qt.CheckState.Checked if on else QtCore.Qt.CheckState.Unchecked
            )
        box.blockSignals(False)

    def save_view(self) -> None:
        try:
            self.current()
        except WhenError as e:  # a view that names a date nobody can read is not kept
            self.problem.setText(f"Dates: {e}")
            return
        title, ok = QtWidgets.QInputDialog.getText(self, "Save as View", "Title of the view:")
        if not ok or not title.strip():
            return
        view = View(
            id=self.doc.new_id(title.strip()),
            title=title.strip(),
            actors=tuple(self._checked(self.actors)),
            types=tuple(self._checked(self.types)),
            tags=tuple(self._checked(self.tags)),
            status=tuple(self._checked(self.status)),
            text=self.words.text().strip(),
            from_=parse(edtf(self.start.text())) if self.start.text().strip() else None,
            to=parse(edtf(self.end.text())) if self.end.text().strip() else None,
            min_credibility=self.credibility.currentData(),
            zoom=parse(
                "/".join(
                    point_at(t, "day").text() for t in (self.canvas.view.t0, self.canvas.view.t1)
                )
            ),
        )
        self.chosen = view.id
        self.doc.undo_stack.push(edits.add(self.doc, "views", view))  # the box names it

    def add_menu(self, parent: QtWidgets.QMenu) -> None:
        """View ▸ Saved Views: the project's views, as in the toolbar's box."""
        menu = parent.addMenu("Saved &Views")

        def fill() -> None:
            menu.clear()
            for i in range(self.views.count()):
                act = menu.addAction(self.views.itemText(i))
                act.setCheckable(True)
                act.setChecked(i == self.views.currentIndex())
                act.triggered.connect(lambda _=False, i=i: self._choose_at(i))

        menu.aboutToShow.connect(fill)

    def _choose_at(self, index: int) -> None:
        self.views.setCurrentIndex(index)
        self.choose_view(index)


class FilterPanel(SavedViews, QtWidgets.QWidget):
    def __init__(self, doc: Document, canvas, parent=None):
        super().__init__(parent)
        self.doc, self.canvas = doc, canvas
        self.searched: frozenset | None = None  # what the toolbar's search box keeps
        self.searched_kept = None  # and as a mask (app/editing/search.py: SearchIndex.kept)
        self.tables = None  # the Tables panel, which shows what the filter keeps
        self.columns: filters.EventColumns | None = None
        self.index: IdIndex | None = None  # where each of the columns' ids is in the lanes
        self.version = 0  # of the project the columns are for; an edit makes a new one
        self.task = None  # columns being made off the GUI thread
        self.shown: frozenset | None = None
        self.shown_mask = None  # the same over the columns' ids, for the chart's masks
        self.lists_stale = False  # the choices not filled again since a change: hidden
        self.views = QtWidgets.QComboBox()
        # As wide as its longest title: the toolbar's box cut "Hostages and the war" short.
        self.views.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.views.activated.connect(self.choose_view)
        save = QtWidgets.QPushButton("Save as &View…")
        save.clicked.connect(self.save_view)
        clear = QtWidgets.QPushButton("&Clear")
        clear.clicked.connect(self.clear)
        self.actors, self.types, self.tags, self.status = (self._checklist() for _ in range(4))
        self._refill(self.status, [(status, status) for status in STATUSES])
        self.credibility = QtWidgets.QComboBox()
        self.credibility.addItem("any", None)
        for n in range(1, 7):
            self.credibility.addItem(f"{n} or better", n)
        self.credibility.currentIndexChanged.connect(self.apply)
        self.words = QtWidgets.QLineEdit()
        self.words.setPlaceholderText("every word, in the title or text")
        self.start, self.end = QtWidgets.QLineEdit(), QtWidgets.QLineEdit()
        for box, hint in ((self.start, "from, e.g. 2023-10-07"), (self.end, "to")):
            box.setPlaceholderText(hint)
            box.editingFinished.connect(self.apply)
        # Words apply once typing pauses: each letter cost a frame of 70-100 ms at 100,000
        # events. Enter (or leaving the box) applies at once.
        self.typing = QtCore.QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self.typing.timeout.connect(self.apply)
        self.words.textChanged.connect(self.typing.start)
        self.words.editingFinished.connect(self.apply)
        self.hide_out = QtWidgets.QCheckBox("&Hide what is filtered out (else dimmed)")
        self.hide_out.toggled.connect(self.apply)
        self.count = QtWidgets.QLabel()
        self.count.setWordWrap(True)  # a big project's count is wider than the dock
        # Two lines always: "Filtering…" between two counts of two lines (a big project's)
        # moved the lists up and down under the pointer.
        self.count.setMinimumHeight(2 * self.count.fontMetrics().lineSpacing())
        self.shown_label = QtWidgets.QLabel()  # the status bar's: how many are shown
        self.problem = QtWidgets.QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()  # shown with a problem: an empty line hidden at the first tick
        self._layout(save, clear)
        for signal in (
            doc.eventsChanged,
            doc.demandsChanged,
            doc.actorsChanged,
            doc.projectReplaced,
        ):
            signal.connect(self._project_changed)
        doc.viewsChanged.connect(self._fill_views)
        self._project_changed()

    # ------------------------------------------------------------ building

    def _checklist(self) -> QtWidgets.QListWidget:
        box = CheckList()  # as tall as its rows: 12 actors scrolled in a box 4 rows tall
        box.itemChanged.connect(self.apply)
        return box

    def _layout(self, save, clear) -> None:
        top = QtWidgets.QHBoxLayout()  # the views box itself sits on the toolbar
        top.addWidget(save)
        top.addWidget(clear)
        form = QtWidgets.QFormLayout()
        form.addRow("Actors:", self.actors)
        form.addRow("Types:", self.types)
        form.addRow("Tags:", self.tags)
        form.addRow("Demands:", self.status)
        form.addRow("Sources:", self.credibility)
        form.addRow("Words:", self.words)
        dates = QtWidgets.QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(self.end)
        form.addRow("Dates:", dates)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        # What is kept and whether the rest is hidden, first: the lists below are taller
        # than the dock at the window's first size, and the count must stay in sight.
        layout.addWidget(self.hide_out)
        layout.addWidget(self.count)
        layout.addWidget(self.problem)
        layout.addLayout(form)
        layout.addStretch(1)

    def _refill(self, box, entries: list[tuple[str, str]]) -> None:
        """New choices, keeping what was ticked."""
        ticked = set(self._checked(box))
        box.blockSignals(True)
        box.clear()
        for label, value in entries:
            _check_item(box, label, value, value in ticked)
        box.fit_height()
        box.blockSignals(False)

    def _project_changed(self, *_) -> None:
        self.columns = self.index = None  # made again when next asked
        self.version += 1
        # Behind its tab and with nothing ticked, the choices are filled when it is shown:
        # counting the types and tags of a million events at each edit cost 50 ms. With a
        # tick they are filled now, so the filter applied is what they show (a tick on a
        # value no event has any more goes).
        ticked = any(self._checked(box) for box in (self.actors, self.types, self.tags))
        self.lists_stale = not self.isVisible() and not ticked
        if not self.lists_stale:
            self._fill_lists()
        self._fill_views()  # the toolbar's box lists them too
        if self.shown is None and self.searched is None and self._filter_is_empty():
            self._count_all()  # nothing filtered before or now: only the count changes
        else:
            self.apply()

    def showEvent(self, event) -> None:
        self.fresh_lists()
        super().showEvent(event)

    def fresh_lists(self) -> None:
        """The choices filled again if a change came while the panel was hidden."""
        if self.lists_stale:
            self.lists_stale = False
            self._fill_lists()

    def _filter_is_empty(self) -> bool:
        try:
            return self.current().is_empty()
        except WhenError:
            return False  # said by `apply`

    def _fill_lists(self) -> None:
        p = self.doc.project
        depth = {}
        for a in p.actors:
            depth[a.id] = depth.get(a.parent, -1) + 1 if a.parent else 0
        self._refill(self.actors, [("    " * depth[a.id] + a.name, a.id) for a in p.actors])
        # The distinct values by their counts: from a store's columns, no list of a million
        used = sorted(set(counts(p.events, "type")) - {""})
        self._refill(self.types, [(c, c) for c in QUAD_CLASSES] + [(t, t) for t in used])
        self._refill(
            self.tags,
            [(t, t) for t in sorted({t for tags in counts(p.events, "tags") for t in tags})],
        )

    # ------------------------------------------------------------ the filter

    @staticmethod
    def _checked(box) -> list[str]:
        return [
            box.item(i).data(QtCore.Qt.ItemDataRole.UserRole)
            for i in range(box.count())
            if box.item(i).checkState() == QtCore.Qt.CheckState.Checked
        ]

    def _date(self, box: QtWidgets.QLineEdit, end: bool):
        text = box.text().strip()
        if not text:
            return None
        when = parse(edtf(text))  # forgiving forms: 7 Oct 2023, 07/10/2023, 2023-10
        return when.hi if end else when.lo

    def current(self) -> filters.Filter:
        """The filter as the panel stands; WhenError for a date it cannot read, or for an end
        before the start (a view saved so would not open again)."""
        start, end = self._date(self.start, False), self._date(self.end, True)
        if start is not None and end is not None and end <= start:
            raise WhenError("the end comes before the start")
        return filters.Filter(
            actors=tuple(self._checked(self.actors)),
            types=tuple(self._checked(self.types)),
            tags=tuple(self._checked(self.tags)),
            status=tuple(self._checked(self.status)),
            text=self.words.text().strip(),
            start=start,
            end=end,
            min_credibility=self.credibility.currentData(),
        )

    def apply(self, *_) -> None:
        self._name_view()
        try:
            f = self.current()
        except WhenError as e:
            self.problem.setText(f"Dates: {e}")
            self.problem.show()
            return
        self.problem.setText("")
        self.problem.hide()  # empty lines would push the lists down
        p = self.doc.project
        # The count's line is always there: appearing with the first filter, it pushed the
        # lists down under the pointer (a click meant for Words opened another box).
        if f.is_empty():
            self.shown = self.shown_mask = None
            self._count_all()
        else:
            if not self._columns_ready():
                return
            self.shown, self.shown_mask, events, demands = filters.kept_ids(p, f, self.columns)
            e, d = counted(len(p.events), "event"), counted(len(p.demands), "demand")
            why = f" ({f.leaves_out()})" if f.leaves_out() else ""  # (demands seemed lost)
            shown = f"{events:,} of {e}, {demands:,} of {d}{why}"
            self.count.setText(f"Shown: {shown}")
            self.shown_label.setText(f"Filter: {shown}")
        self._show()

    def _count_all(self) -> None:
        p = self.doc.project
        self.count.setText(
            f"Shown: all {counted(len(p.events), 'event')} and "
            f"{counted(len(p.demands), 'demand')} (no filter)"
        )
        self.shown_label.setText("")

    def search(self, ids: frozenset | None, kept=None) -> None:
        """What the search box keeps (`kept`: as a mask, with its IdIndex, in the order of
        the filter's columns): the chart shows what both keep."""
        self.searched, self.searched_kept = ids, kept
        self._show()

    def _show(self) -> None:
        kept = [ids for ids in (self.searched, self.shown) if ids is not None]
        ids = frozenset.intersection(*kept) if kept else None
        self.canvas.view.hide_filtered = self.hide_out.isChecked()
        self.canvas.set_filter(ids, self._masks(ids))
        if self.tables is not None:
            self.tables.keep(self.shown)  # the search box filters the tables by its words

    def _masks(self, ids: frozenset | None) -> Kept | None:
        """The chart's masks of `ids`, from the filter's own mask (and the search's ids)
        over the columns: no set is asked about each event of each lane."""
        index, mask, searched = self.index, self.shown_mask, self.searched_kept
        if ids is not None and self.shown is None and searched is not None:
            return Kept(ids, *searched)  # the search alone
        if ids is None or index is None or (mask is None and self.searched is None):
            return None
        if mask is None or len(mask) != len(index.ids):
            mask = np.ones(len(index.ids), dtype=bool)
        if self.searched is not None:
            mask = mask & index.mask_of(self.searched)
        return Kept(ids, index, mask)

    def _columns_ready(self) -> bool:
        """The columns the masks read, made here for a small project; for a big one (about
        0.3 s at 100,000 events) on another thread, the filter applied when they are made."""
        if self.columns is not None:
            return True
        p = self.doc.project
        if not is_big(p):
            self.columns, self.index = _columns(p)
            return True
        if self.task is None:
            version, taken = self.version, self.doc.snapshot()  # edits go on meanwhile
            self.task = run_in_background(
                lambda task: (version, *_columns(taken)),
                self._columns_made,
                self._columns_failed,
                self,
            )
        self.count.setText("Filtering…")
        return False

    @QtCore.Slot(object)
    def _columns_made(self, result) -> None:
        version, columns, index = result
        self.task = None
        if version == self.version:  # else the project changed meanwhile: made again
            self.columns, self.index = columns, index
        self.apply()

    @QtCore.Slot(object)
    def _columns_failed(self, error) -> None:
        self.task = None
        self.count.setText("Filter not applied.")
        self.problem.setText(f"The filter could not be worked out: {error}")
        self.problem.show()  # (hidden while there is no problem)

    def clear(self) -> None:
        for box in (self.actors, self.types, self.tags, self.status):
            box.blockSignals(True)
            for i in range(box.count()):
                box.item(i).setCheckState(QtCore.Qt.CheckState.Unchecked)
            box.blockSignals(False)
        for box in (self.words, self.start, self.end):
            box.blockSignals(True)
            box.clear()
            box.blockSignals(False)
        self.credibility.blockSignals(True)
        self.credibility.setCurrentIndex(0)
        self.credibility.blockSignals(False)
        self.apply()


def filtering(panel: FilterPanel) -> filters.Filter | None:
    """The filter the panel shows the project through; None when it keeps everything (or
    has a date it cannot read, and so filters nothing)."""
    try:
        f = panel.current()
    except WhenError:
        return None
    return None if f.is_empty() else f
