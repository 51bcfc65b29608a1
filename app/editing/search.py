"""What the search box finds: the events and demands whose words, tags or actors' names
hold the text typed, in any case.

    found = SearchIndex(doc)
    found.matching("talks")     # {ids}

Each record's words are made once, lower-cased and joined, and made again after an edit
of the events, demands or actors; each text is then searched at C speed, and a letter
typed after others searches only the records the shorter text found. (Made anew at each
keystroke, 100,000 events took a quarter of a second a letter.)"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import compress, repeat

import numpy as np
from PySide6 import QtCore

from app.chart.kept import IdIndex
from app.records.eventstore import values

_APART = "\0"  # between a record's words: no text without one runs across two


class SearchIndex(QtCore.QObject):
    """Owned by its document (a child of it), whose changes it hears through Qt's own
    connections: gone with the document, never left holding it."""

    def __init__(self, doc):
        super().__init__(doc)
        self.doc = doc
        self._ids: list[str] | None = None
        self._texts: list[str] = []
        self._last: tuple[str, np.ndarray] | None = None  # the text searched last, what it found
        self._index: IdIndex | None = None
        for signal in (doc.eventsChanged, doc.demandsChanged, doc.actorsChanged):
            signal.connect(self.forget)
        doc.projectReplaced.connect(self.forget)

    @QtCore.Slot()
    @QtCore.Slot(list)
    def forget(self, *_changed) -> None:
        self._ids, self._texts, self._last, self._index = None, [], None, None

    def kept(self) -> tuple[IdIndex, np.ndarray] | None:
        """What the last search found as a mask over the events then the demands (a
        filter's order, app/records/filter.py), with where each id stands in it: the chart
        takes each lane's part by position, not by asking a set about each event."""
        if self._last is None:
            return None
        if self._index is None:
            self._index = IdIndex(np.array(self._ids, dtype=object))
        return self._index, self._last[1]

    def matching(self, text: str) -> set[str]:
        """Ids of the events and demands whose words, tags or actors contain `text`."""
        text = text.lower()
        if self._ids is None:
            self._ids, self._texts = self._words()
        last = self._last
        if last is not None and last[0] in text and _APART not in text:
            found = last[1].copy()
            rows = np.flatnonzero(found).tolist()
            found[rows] = list(map(str.__contains__, [self._texts[r] for r in rows], repeat(text)))
        elif _APART in text:  # (pasted: found within one part, and a part may hold one)
            found = np.array([any(text in w.lower() for w in ws) for ws in self._parts()], bool)
        else:
            found = np.fromiter(map(str.__contains__, self._texts, repeat(text)), bool)
        self._last = text, found
        return set(compress(self._ids, found.tolist()))

    def _words(self) -> tuple[list[str], list[str]]:
        """The ids of the events then the demands, and the words of each, joined."""
        p = self.doc.project
        ids = values(p.events, "id") + values(p.demands, "id")
        return ids, [_APART.join(parts).lower() for parts in self._parts()]

    def _parts(self) -> Iterator[tuple[str, ...]]:
        """The words of each event then each demand: its texts, tags and actors' names."""
        p = self.doc.project
        name = {a.id: a.name for a in p.actors}.get
        fields = ("title", "text", "type", "tags", "actor", "with_")
        for title, text, kind, tags, actor, with_ in zip(
            *(values(p.events, f) for f in fields), strict=True
        ):
            yield (title, text, kind, *tags, name(actor, ""), *(name(w, "") for w in with_))
        fields = ("text", "offer", "from_", "to", "via")
        for text, offer, from_, to, via in zip(
            *(values(p.demands, f) for f in fields), strict=True
        ):
            yield (text, offer, name(from_, ""), name(to, ""), *(name(v, "") for v in via))
