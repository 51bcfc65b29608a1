"""What the search box finds: the events and demands whose words, tags or actors' names
hold the text typed, in any case.

    found = SearchIndex(doc)
    found.matching("talks")     # {ids}

Each record's words are made once, lower-cased and joined, and made again after an edit
of the events, demands or actors; each text is then searched at C speed, and a letter
typed after others searches only the records the shorter text found. (Made anew at each
keystroke, 100,000 events took a quarter of a second a letter.)"""

from __future__ import annotations

from itertools import compress, repeat

import numpy as np

from app.chart.kept import IdIndex
from app.records.eventstore import values

_APART = "\0"  # between a record's words: no part holds it, so no match runs across two


class SearchIndex:
    def __init__(self, doc):
        self.doc = doc
        self._ids: list[str] | None = None
        self._texts: list[str] = []
        self._last: tuple[str, np.ndarray] | None = None  # the text searched last, what it found
        self._index: IdIndex | None = None
        for signal in (doc.eventsChanged, doc.demandsChanged, doc.actorsChanged):
            signal.connect(self.forget)
        doc.projectReplaced.connect(self.forget)

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
        elif _APART in text:  # (typed or pasted: only within one part, as the words are)
            found = np.array([any(text in p for p in t.split(_APART)) for t in self._texts], bool)
        else:
            found = np.fromiter(map(str.__contains__, self._texts, repeat(text)), bool)
        self._last = text, found
        return set(compress(self._ids, found.tolist()))

    def _words(self) -> tuple[list[str], list[str]]:
        """The ids of the events then the demands, and the words of each, joined."""
        p = self.doc.project
        name = {a.id: a.name for a in p.actors}.get
        events, demands = p.events, p.demands

        def names(ids) -> str:
            return _APART.join(map(name, ids, repeat("")))

        parts = [
            values(events, "title"),
            values(events, "text"),
            values(events, "type"),
            map(_APART.join, values(events, "tags")),
            map(name, values(events, "actor"), repeat("")),
            map(names, values(events, "with_")),
        ]
        words = list(map(_APART.join, zip(*parts, strict=True)))
        parts = [
            values(demands, "text"),
            values(demands, "offer"),
            map(name, values(demands, "from_"), repeat("")),
            map(name, values(demands, "to"), repeat("")),
            map(names, values(demands, "via")),
        ]
        words += map(_APART.join, zip(*parts, strict=True))
        ids = values(events, "id") + values(demands, "id")
        return ids, list(map(str.lower, words))
