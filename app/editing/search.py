"""What the search box finds: the events and demands whose words, tags or actors' names
hold the text typed, in any case.

    found = SearchIndex(doc)
    found.matching("talks")     # {ids}

The records' words are gathered once, a field at a time (app/records/textfind.py), and
again after an edit of the events, demands or actors. (Made anew at each keystroke,
100,000 events took a quarter of a second a letter; a lowered text made for each of a
million records took two seconds the first time.)"""

from __future__ import annotations

from itertools import compress

import numpy as np
from PySide6 import QtCore

from app.chart.kept import IdIndex
from app.records.eventstore import StoreRows, coded_values, ids_and_rows, values
from app.records.textfind import RowTexts


class SearchIndex(QtCore.QObject):
    """Owned by its document (a child of it), whose changes it hears through Qt's own
    connections: gone with the document, never left holding it."""

    def __init__(self, doc):
        super().__init__(doc)
        self.doc = doc
        self._ids: list[str] | None = None
        self._rows: StoreRows | None = None  # the events' rows in the store's columns
        self._texts: RowTexts | None = None
        self._last: tuple[str, np.ndarray] | None = None  # the text searched last, what it found
        self._index: IdIndex | None = None
        for signal in (doc.eventsChanged, doc.demandsChanged, doc.actorsChanged):
            signal.connect(self.forget)
        doc.projectReplaced.connect(self.forget)

    @QtCore.Slot()
    @QtCore.Slot(list)
    def forget(self, *_changed) -> None:
        self._ids, self._rows, self._texts = None, None, None
        self._last, self._index = None, None

    def kept(self) -> tuple[IdIndex, np.ndarray] | None:
        """What the last search found as a mask over the events then the demands (a
        filter's order, app/records/filter.py), with where each id stands in it: the chart
        takes each lane's part by position, not by asking a set about each event."""
        if self._last is None:
            return None
        if self._index is None:
            self._index = IdIndex(np.array(self._ids, dtype=object), self._rows)
        return self._index, self._last[1]

    def matching(self, text: str) -> frozenset[str]:
        """Ids of the events and demands whose words, tags or actors contain `text`."""
        if self._texts is None:
            self._ids, self._texts = self._words()
        found = self._texts.matching(text)
        self._last = text, found
        return frozenset(compress(self._ids, found.tolist()))

    def _words(self) -> tuple[list[str], RowTexts]:
        """The ids of the events then the demands, and their words: texts, tags and the
        actors' names. Fields of few values (actors, types, tags) are searched a value at
        a time, from the store's codes (app/records/textfind.py)."""
        p = self.doc.project
        ids, self._rows = ids_and_rows(p.events)
        ids = ids + values(p.demands, "id")
        words = RowTexts(len(ids))
        name = {a.id: a.name for a in p.actors}.get
        first = len(p.events)
        of_demands = np.arange(first, first + len(p.demands))
        for records, rows, strings, coded in (
            (p.events, None, ("title", "text"), ("type", "tags", "actor", "with_")),
            (p.demands, of_demands, ("text", "offer"), ("from_", "to", "via")),
        ):
            for field in strings:
                words.add(values(records, field), rows)
            for field in coded:
                codes, table = coded_values(records, field)
                parts = [(v,) if isinstance(v, str) else v for v in table]
                if field not in ("type", "tags"):  # actors, by their names
                    parts = [tuple(name(a, "") for a in named) for named in parts]
                words.add_coded(codes, parts, rows)
        return ids, words
