"""What the cells of an ACLED table mean (app/importers/acled.py), worked out once per
distinct cell, and the lanes, sources and citations the rows name, made in the order a row
by row reading makes them."""

from __future__ import annotations

from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter

import numpy as np

from app.importers.base import ProjectBuilder, key, when_of
from app.importers.rowgroups import Grouped, Table
from app.records.model import Cite
from app.records.when import WhenError

# ACLED's sub-event types, in Demarche's vocabulary (app/vocabulary.py).
TYPES = {
    "agreement": "agree",
    "peaceful protest": "protest",
    "protest with intervention": "protest",
    "excessive force against protesters": "coerce",
    "violent demonstration": "protest",
    "mob violence": "assault",
    "armed clash": "fight",
    "government regains territory": "fight",
    "non-state actor overtakes territory": "fight",
    "air/drone strike": "assault",
    "shelling/artillery/missile attack": "assault",
    "remote explosive/landmine/ied": "assault",
    "suicide bomb": "assault",
    "grenade": "assault",
    "chemical weapon": "mass-violence",
    "attack": "assault",
    "abduction/forced disappearance": "coerce",
    "sexual violence": "assault",
    "arrests": "coerce",
    "change to group/activity": "mobilize",
    "disrupted weapons use": "reduce-relations",
    "headquarters or base established": "mobilize",
    "looting/property destruction": "coerce",
    "non-violent transfer of territory": "concede",
    "other": "",
}
_UNSEEN = object()


def _with(own: str, a2: tuple, s1: tuple, s2: tuple) -> tuple[str, ...]:
    """The lanes of a row's actor2 and associated actors ((lane, key) each), other than
    the event's own (by key), each once."""
    found = a2 + s1 + s2
    if not found:
        return ()
    lanes = [lane for lane, k in found if k != own]
    return tuple(dict.fromkeys(lanes)) if len(lanes) > 1 else tuple(lanes)


class Cells:
    """What a cell means, worked out once per distinct cell (rows repeat them: 2,000
    actors, a few hundred sources and dates over 100,000 rows). The lanes and sources are
    made in the order the rows first name them, as a row by row reading makes them."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self._actors: dict[tuple[str, str], tuple] = {}  # (actor1, inter1): ("", key) or lane
        self._lanes: dict[str, tuple] = {}  # a name as written: (lane, key), () for none
        self._actor2: dict[str, tuple] = {}  # an actor2 cell: ((lane, key),) or ()
        self._assoc: dict[str, tuple] = {}  # an associated actors cell: (lane, key) each
        self._dates: dict[tuple[str, str], object] = {}  # When, or why not (a str)
        self._cites: dict[str, tuple[Cite, ...]] = {}  # a source cell: its citations
        self._cite_of: dict[str, Cite | None] = {"": None}  # a source's name: its citation
        self._types: dict[str, str] = {}
        self._places: dict[str, str] = {}
        self._deaths: dict[str, str] = {}
        self._tags: dict[tuple[str, str], tuple[str, ...]] = {}
        # A column at a time (`_with_all`, `_cites_all`): names by code.
        self._name_codes: dict[str, int] = {}  # a name as written: its (lane, key)'s code
        self._named = Table()  # (lane, key) of the names
        self._named_lanes = self._named_keys = np.zeros(0, np.int64)
        self._keys: dict[str, int] = {}  # a key: its code
        self._with_lanes = Table()  # the lanes written in `with`
        self._cite_codes: dict[str, int] = {}  # a source's name as written: its citation's code
        self._cited = Table()  # the citations, one a source

    def actor(self, cell: str, inter: str):
        """None for an empty actor1; else ("", its key) until its lane is made, (lane,
        key) after."""
        found = self._actors.get((cell, inter))
        if found is None:
            name = cell.strip()
            found = self._actors[cell, inter] = ("", key(name)) if name else ()
        return found or None

    def lane(self, cell: str, inter: str) -> tuple[str, str]:
        """The lane of actor1 (made when new, of the kind inter1 says)."""
        own = key(cell.strip())
        lane = self.b.actor(cell.strip(), kind=inter.strip())
        self._actors[cell, inter] = found = (lane, own)
        return found

    def when(self, date: str, precision: str):
        found = self._dates.get((date, precision))
        if found is None:
            try:
                found = _date(date.strip(), precision.strip())
            except WhenError as exc:
                found = f"event_date: {exc}"
            self._dates[date, precision] = found
        return found

    def precision(self, cell: str) -> str:
        return PRECISIONS.get(cell) or PRECISIONS.get(cell.strip(), "")

    def _lane_of(self, cell: str) -> tuple:
        """(lane, key) of an actor named beside actor1 (made when new); () for none."""
        name = cell.strip()
        found = self._lanes[cell] = (self.b.actor(name), key(name)) if name else ()
        return found

    def others(self, cell: str, split: bool) -> tuple:
        """The (lane, key) of each actor a cell of actor2 (one name) or of associated
        actors (names split by `;`) names, in order (each made when new)."""
        cache = self._assoc if split else self._actor2
        found = cache.get(cell)
        if found is None:
            lane_of = self._lanes.get
            names = cell.split(";") if split and ";" in cell else (cell,) if cell else ()
            found = cache[cell] = tuple(
                [f for name in names if (f := lane_of(name) or self._lane_of(name))]
            )
        return found

    def named(self, actors, actor1, inter1, actor2, assoc1, assoc2, source, wanted) -> tuple:
        """Each row's lane, `with` lanes, citations and id. What rows name for the first
        time is made in the order a row by row reading makes it: a row's lanes (actor1,
        actor2, then the associated actors), its sources, then its event's id. A chunk
        that names nothing new has them all found a column at a time (its `with` lanes
        and citations then Grouped: app/importers/rowgroups.py)."""
        b = self.b
        lanes = list(map(itemgetter(0), actors))
        if "" not in lanes:
            with_ = self._with_all(list(map(itemgetter(1), actors)), actor2, assoc1, assoc2)
            cites = self._cites_all(source) if with_ is not None else None
            if cites is not None:
                return lanes, with_, cites, b.new_ids(wanted, "event")
        lanes, with_, cites, ids = [], [], [], []
        bases, taken = b.plain_ids(wanted), b.ids
        for at, actor in enumerate(actors):
            lane, own = actor if actor[0] else self.lane(actor1[at], inter1[at])
            lanes.append(lane)
            with_.append(
                _with(
                    own,
                    self.others(actor2[at], False),
                    self.others(assoc1[at], True),
                    self.others(assoc2[at], True),
                )
            )
            cites.append(self._cites.get(source[at]) or self.cites(source[at]))
            # (An id a file gives, its own slug, is the id new_id makes when still free.)
            base = bases[at] if bases is not None else None
            if base is None or base in taken:
                ids.append(b.new_id(wanted[at], "event"))
            else:
                taken.add(base)
                ids.append(base)
        return lanes, with_, cites, ids

    def _with_all(self, owns, actor2, assoc1, assoc2) -> Grouped | None:
        """Each row's `with` lanes (as `_with` makes them) when every name its cells give
        is of a lane made before; else None (nothing is made). The names of all the rows
        are split at once, and each row takes its own: actor2's one, then the
        associated actors' (a cell of n `;` gives n + 1, empty ones for no lane)."""
        if ";" in "".join(actor2):  # actor2 is one name, `;` and all: row by row
            return None
        names = ";".join(chain.from_iterable(zip(actor2, assoc1, assoc2, strict=True)))
        names = names.split(";")
        code_of = self._name_codes
        found = np.fromiter(map(code_of.get, names, repeat(-2)), np.int64, len(names))
        if (found == -2).any():
            actors = self.b.actors
            for name in {names[at] for at in np.flatnonzero(found == -2).tolist()}:
                lane = self._lanes.get(name)
                if lane is None:
                    if name.strip() and key(name.strip()) not in actors:
                        return None  # a new lane: made in its row's turn
                    lane = self._lane_of(name)  # found, not made
                code_of[name] = self._named.code(lane) if lane else -1
            found = np.fromiter(map(code_of.__getitem__, names), np.int64, len(names))
        n = len(owns)
        counts = _counts(assoc1, n) + _counts(assoc2, n) + 3
        rows = np.repeat(np.arange(n), counts)
        lane = found >= 0  # (-1: an empty name)
        found, rows = found[lane], rows[lane]
        # (The event's own lane, by key, is left out.)
        lanes, keys = self._named_codes()
        own = np.fromiter(map(self._keys.get, owns, repeat(-1)), np.int64, n)
        other = keys[found] != own[rows]
        return Grouped(self._with_lanes, lanes[found[other]], rows[other], n)

    def _named_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """The lane and the key of each (lane, key) named (by its code in `_named`)."""
        if len(self._named_lanes) < len(self._named.values):
            found = self._named.values
            self._named_lanes = np.array(
                [self._with_lanes.code(lane) for lane, _ in found], np.int64
            )
            keys = self._keys
            self._named_keys = np.array([keys.setdefault(k, len(keys)) for _, k in found])
        return self._named_lanes, self._named_keys

    def _cites_all(self, source) -> Grouped | None:
        """Each row's citations (as `cites` makes them) when every source its cell names
        was made before; else None (nothing is made). The cells are split at once, as
        in `_with_all`."""
        # (The names as written, spaces and all: each new one stripped, not every name.)
        names = ";".join(source).split(";")
        code_of = self._cite_codes
        found = np.fromiter(map(code_of.get, names, repeat(-2)), np.int64, len(names))
        if (found == -2).any():
            sources, cite_of = self.b.sources, self._cite_of
            for written in {names[at] for at in np.flatnonzero(found == -2).tolist()}:
                name = written.strip()
                cite = cite_of.get(name, _UNSEEN)
                if cite is _UNSEEN:
                    if key(name) not in sources:
                        return None  # a new source: made in its row's turn
                    cite = cite_of[name] = Cite(source=self.b.source(name, publisher=name))
                code_of[written] = -1 if cite is None else self._cited.code(cite, cite.source)
            found = np.fromiter(map(code_of.__getitem__, names), np.int64, len(names))
        n = len(source)
        rows = np.repeat(np.arange(n), _counts(source, n) + 1)
        named = found >= 0  # (-1: no source)
        return Grouped(self._cited, found[named], rows[named], n)

    def cites(self, cell: str) -> tuple[Cite, ...]:
        """The citations of a source cell, one a source (two names may be one source)."""
        found = self._cites.get(cell)
        if found is None:
            out: dict[str, Cite] = {}
            for name in _names(cell.strip()):
                cite = self._cite_of.get(name)
                if cite is None:
                    cite = self._cite_of[name] = Cite(source=self.b.source(name, publisher=name))
                out.setdefault(cite.source, cite)
            found = self._cites[cell] = tuple(out.values())
        return found

    def type(self, cell: str) -> str:
        found = self._types.get(cell)
        if found is None:
            found = self._types[cell] = TYPES.get(key(cell.strip()), "")
        return found

    def place(self, cell: str) -> str:
        """The line of the location, with the line feed before it ("" for none)."""
        found = self._places.get(cell)
        if found is None:
            where = cell.strip()
            found = self._places[cell] = f"\nLocation: {where}" if where else ""
        return found

    def deaths(self, cell: str) -> str:
        """The line of the fatalities, with the line feed before it ("" for none or 0)."""
        found = self._deaths.get(cell)
        if found is None:
            deaths = cell.strip()
            found = self._deaths[cell] = "" if deaths in ("", "0") else f"\nFatalities: {deaths}"
        return found

    def tags(self, event_type: str, country: str) -> tuple[str, ...]:
        found = self._tags.get((event_type, country))
        if found is None:
            found = tuple(t for t in (event_type.strip(), country.strip()) if t)
            self._tags[event_type, country] = found
        return found


PRECISIONS = {
    "2": "time_precision 2: about the day (~)",
    "3": "time_precision 3: the month",
}


@lru_cache(maxsize=4096)  # dates repeat: a year of daily events has 365
def _date(text: str, precision: str):
    """event_date in either form (2022-06-30, 30 June 2022); time_precision 2 is about
    the day (~), 3 the month."""
    when = when_of(text)
    if precision == "2":
        return when_of(when.text + "~")
    if precision == "3" and when.start is not None and when.start.month:
        return when_of(f"{when.start.year:04d}-{when.start.month:02d}")
    return when


def _counts(cells, n: int) -> np.ndarray:
    """How many `;` each of n cells holds."""
    return np.fromiter(map(str.count, cells, repeat(";")), np.int64, n)


def _names(text: str) -> list[str]:
    if ";" not in text:  # most cells: empty, or one name
        return [text] if text else []
    return [x.strip() for x in text.split(";") if x.strip()]
