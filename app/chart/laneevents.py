"""One lane's events as parallel arrays sorted by start time, packed into sub-rows, and
updated edit by edit at the cost of the change. Pure numpy, no Qt."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter

import numpy as np

from app.chart.rowstack import stack_rows
from app.records.eventstore import date_numbers
from app.records.model import Event
from app.records.recordstore import Strings
from app.records.vocabulary import quad_class


@dataclass(slots=True)
class LaneEvents:
    """One lane's events, sorted by start time (then id), as parallel arrays."""

    events: list[Event] = field(default_factory=list)
    # Each event's id (`ids`), or None for a lane of a store's rows: read at first use.
    id_array: np.ndarray | None = field(default_factory=lambda: np.empty(0, dtype=object))
    lo: np.ndarray = field(default_factory=lambda: np.empty(0))
    hi: np.ndarray = field(default_factory=lambda: np.empty(0))
    row: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    is_range: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    fuzzy: np.ndarray = field(
        default_factory=lambda: np.empty(0, dtype=bool)
    )  # approximate or uncertain
    # Drawn as a bar: ranges, and single dates coarser than a day ("2023-11" spans the month).
    bar: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    has_with: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=bool))
    # The mark's shape: 0 for other types, else 1 + the type's CAMEO quad class.
    kind: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int8))
    longest: float = 0.0  # the longest duration, which bounds the bisection window
    label_px: np.ndarray | None = None  # title widths, filled in by the painter that draws them
    # The ticks drawn on other lanes, as (lane mapping used, times, lanes, the event's index
    # here): kept while the lanes are.
    with_ticks: tuple[dict, np.ndarray, np.ndarray, np.ndarray] | None = None
    # The events that answer others, as (index, responds_to): found by the links layer.
    answering: list[tuple[int, tuple[str, ...]]] | None = None
    # The ids of a lane an edit made, not made yet (`id_array` None): (the ids of a lane
    # before, each event's place in them or past their end in the ids added since, those).
    id_splice: tuple[np.ndarray, np.ndarray, list[str]] | None = None

    @property
    def ids(self) -> np.ndarray:
        """Each event's id, as an object array. A lane of a store's rows reads them from
        the columns when first asked: a first frame seldom needs them, and a million ids
        made into strings cost it 0.15 s. A lane an edit made takes them from the lane
        before when first asked: an edit and its repaint seldom need them, and a copy of
        20,000 ids (each one's count of references written) cost an edit 1.4 ms."""
        if self.id_array is None:
            if self.id_splice is not None:
                self.id_array, self.id_splice = _spliced_ids(*self.id_splice), None
            else:
                ids = self.events.field("id", np.arange(len(self.events)))
                self.id_array = np.array(ids, dtype=object)
        return self.id_array

    def ids_in(self, a: int, b: int) -> np.ndarray:
        """ids[a:b], without making every id of a lane an edit made."""
        if self.id_array is None and self.id_splice is not None:
            base, places, added = self.id_splice
            return _spliced_ids(base, places[a:b], added)
        return self.ids[a:b]

    def visible(self, t0: float, t1: float) -> np.ndarray:
        """Indices of the events that overlap [t0, t1], found by bisection."""
        start = int(np.searchsorted(self.lo, t0 - self.longest, "left"))
        stop = int(np.searchsorted(self.lo, t1, "right"))
        if start >= stop:
            return np.empty(0, dtype=np.intp)
        idx = np.arange(start, stop)
        return idx[self.hi[start:stop] >= t0]


FEW = 64  # events: a lane this short is searched whole
_COLUMNS = ("lo", "hi", "is_range", "fuzzy", "bar", "has_with", "kind")
_WHEN, _TYPE, _WITH = attrgetter("when"), attrgetter("type"), attrgetter("with_")


def _order(t_min: float):
    """The lane order: by start (open starts first), then by id, so that a lane built
    afresh and one updated edit by edit agree."""
    return lambda e: (e.when.lo if e.when.lo is not None else t_min, e.id)


def _columns(events: list[Event], t_min: float, t_max: float) -> dict[str, np.ndarray]:
    """The lane's arrays, in the events' order. Events share their dates (the reader makes
    one When per distinct date), so each distinct date is looked at once and the columns
    are taken from those few by index."""
    n = len(events)
    every = list(map(_WHEN, events))
    keys = list(map(id, every))  # by identity: a When's own hash is slow Python
    distinct = dict(zip(keys, every, strict=True))
    position = {k: i for i, k in enumerate(distinct)}
    at = np.fromiter(map(position.__getitem__, keys), np.intp, n)
    types = list(map(_TYPE, events))
    kind_of = {t: mark_kind(t) for t in set(types)}
    return {
        **date_columns(at, date_numbers(list(distinct.values())), t_min, t_max),
        "has_with": np.fromiter(map(bool, map(_WITH, events)), bool, n),
        "kind": np.fromiter(map(kind_of.__getitem__, types), np.int8, n),
    }


def date_edges(dates: dict, t_min: float, t_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct date's start and end: an open one at the span's edge."""
    lo = np.where(np.isnan(dates["lo"]), t_min, dates["lo"])
    return lo, np.where(np.isnan(dates["hi"]), t_max, dates["hi"])


def date_columns(at: np.ndarray, dates: dict, t_min: float, t_max: float) -> dict:
    """A lane's date arrays, taken by index from the numbers of distinct dates
    (`date_numbers`); an open start or end stands at the span's edge."""
    lo, hi = date_edges(dates, t_min, t_max)
    is_range = dates["is_range"]
    return {
        "lo": lo[at],
        "hi": hi[at],
        "is_range": is_range[at],
        "fuzzy": dates["fuzzy"][at],
        "bar": (is_range | dates["coarse"])[at],
    }


def _lane(events: list[Event], columns: dict, rows: np.ndarray, ids=None) -> LaneEvents:
    lo, hi = columns["lo"], columns["hi"]
    return LaneEvents(
        events,
        np.array([e.id for e in events], dtype=object) if ids is None else ids,
        row=rows,
        longest=float((hi - lo).max()) if len(lo) else 0.0,
        **columns,
    )


SPLICED_IDS = 256  # ids added since the lane's ids were last made, above which they are made


def _spliced_ids(base: np.ndarray, places: np.ndarray, added: list[str]) -> np.ndarray:
    """The ids at `places` of `base` followed by `added` (see LaneEvents.id_splice)."""
    n = len(base)
    out = base.take(np.minimum(places, n - 1)) if n else np.empty(len(places), dtype=object)
    more = np.flatnonzero(places >= n)
    for k, j in zip(more.tolist(), (places[more] - n).tolist(), strict=True):
        out[k] = added[j]
    return out


# Ids are sorted as fixed-width text where that takes at most this many bytes; a file with
# one very long id is sorted by Python instead of asking for its width times every id.
SORTED_AS_ARRAY = 1 << 27


def id_ranks(ids: np.ndarray | None, column: Strings | None = None) -> np.ndarray:
    """Each id's rank in order of id (equal ids by position): a number to sort by. From
    the bytes of a `column` of the same ids, where given, without making a string (`ids`
    None: the column's own, made only if its bytes are too wide to sort as an array)."""
    fixed = column.fixed_width(SORTED_AS_ARRAY) if column is not None else None
    if fixed is None and ids is None:
        ids = np.array(column.every(), dtype=object)
    if fixed is not None:
        by_id = np.argsort(fixed, kind="stable")
    elif 4 * max(map(len, ids), default=0) * len(ids) <= SORTED_AS_ARRAY:
        by_id = np.argsort(ids.astype(str), kind="stable")
    else:
        by_id = np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.intp)
    ranks = np.empty(len(by_id), dtype=np.intp)
    ranks[by_id] = np.arange(len(by_id))
    return ranks


def build_lane_events(events: list[Event], t_min: float, t_max: float) -> LaneEvents:
    """The lane, sorted by start (open starts first) then id, by numpy from its columns."""
    if not events:
        return LaneEvents()
    columns = _columns(events, t_min, t_max)
    ids = np.array([e.id for e in events], dtype=object)
    order = np.lexsort((id_ranks(ids), columns["lo"]))
    ordered = [events[i] for i in order.tolist()]
    columns = {name: column[order] for name, column in columns.items()}
    return _lane(ordered, columns, stack_rows(columns["lo"], columns["hi"]), ids[order])


def update_lane_events(
    old: LaneEvents,
    removed: set[str],
    added: list[Event],
    t_min: float,
    t_max: float,
    was: list[Event] = (),
) -> LaneEvents:
    """`old` without the events `removed` and with `added`: the same as building the lane
    afresh, at the cost of the change rather than of the lane. Rows are stacked again from
    the first change only until the packing is back in the state it had before. `was`,
    the removed events as the lane holds them when the caller has them, finds them by
    their start instead of comparing every id."""
    if not len(old.events):
        return build_lane_events(added, t_min, t_max)
    gone = events_among(old, removed, was)
    if int(gone.sum()) != len(removed):  # each is in the lane: not found by its start
        gone = ids_among(old.ids, removed)
    gone_at = np.flatnonzero(gone)
    kept = ~gone
    added = sorted(added, key=_order(t_min))
    new = _columns(added, t_min, t_max)
    # Where each added event goes among the kept ones: by start, then by id. Looked for
    # in the old arrays, passing over the gone: a copy of the kept ids (20,000 objects
    # in a lane at a million events) cost more than the rest of the search.
    at = []
    for e, lo in zip(added, new["lo"].tolist(), strict=True):
        k = int(np.searchsorted(old.lo, lo, "left"))
        stop = int(np.searchsorted(old.lo, lo, "right"))
        first, same_start = k, old.ids_in(k, stop).tolist()
        while k < stop and (gone[k] or same_start[k - first] < e.id):
            k += 1
        at.append(k - int(np.searchsorted(gone_at, k)))
    # Each new place's event in the old arrays (0 where an added one goes), so that each
    # column is one `take`: no copy of the kept values before the splice.
    source = np.insert(np.flatnonzero(kept), np.array(at, dtype=np.intp), 0)
    is_added = np.zeros(len(source), dtype=bool)
    places = np.array(at, dtype=np.intp) + np.arange(len(at))  # the added events' places
    is_added[places] = True
    stays = ~is_added

    def spliced(old_values: np.ndarray, added_values) -> np.ndarray:
        """The kept events' values (of the old lane's `old_values`) with the added events'
        put in."""
        out = old_values.take(source)
        out[places] = added_values
        return out

    columns = {name: spliced(getattr(old, name), new[name]) for name in _COLUMNS}
    events = old.events.copy()  # a list, or a LaneRecords of a store's rows
    for i in reversed(gone_at.tolist()):
        del events[i]
    for offset, (k, e) in enumerate(zip(at, added, strict=True)):
        events.insert(k + offset, e)
    rows = spliced(old.row, -1).astype(np.int32, copy=False)
    # Before the first change, both orders are the same and so are the rows.
    first = int(places[0]) if added else len(events)
    if len(gone_at):
        first = min(first, int(gone_at[0]))
    _restack(old, gone, rows, is_added, columns["lo"], columns["hi"], first)
    lane = _lane(events, columns, rows, np.empty(0, dtype=object))  # no record made
    lane.id_array, lane.id_splice = None, _ids_after(old, source, places, added)
    if old.label_px is not None:  # widths kept; the painter measures the new titles
        lane.label_px = spliced(old.label_px, np.nan)
    if old.answering is not None:
        lane.answering = _answering_kept(old.answering, kept, stays, at, added)
    return lane


def _ids_after(old: LaneEvents, source: np.ndarray, places: np.ndarray, added: list[Event]):
    """The new lane's `id_splice`: the old lane's ids (or what they are made from) taken
    at `source`, with the `added` events' ids at `places`."""
    if old.id_array is None and old.id_splice is not None:
        base, at, ids = old.id_splice
        at = at.take(source)
    else:
        base, at, ids = old.ids, source.copy(), []
    at[places] = len(base) + len(ids) + np.arange(len(places))
    ids = [*ids, *(e.id for e in added)]
    if len(ids) > SPLICED_IDS:  # made now and then: the list of added ids stays short
        base, at, ids = _spliced_ids(base, at, ids), np.arange(len(at)), []
    return base, at, ids


def _answering_kept(answering, kept: np.ndarray, stays: np.ndarray, at: list[int], added):
    """The lane's events that answer others (app/chart/links.py) after an edit, from the
    old lane's: the kept ones at their new places and the added ones where they went.
    Found afresh, a lane of 20,000 records was read whole at each edit's repaint (7 ms at
    a million events)."""
    new_place, rank = np.flatnonzero(stays), np.cumsum(kept) - 1  # the k-th kept's, k
    out = [(int(new_place[rank[i]]), targets) for i, targets in answering if kept[i]]
    out += [
        (k + offset, e.responds_to)
        for offset, (k, e) in enumerate(zip(at, added, strict=True))
        if e.responds_to
    ]
    out.sort(key=itemgetter(0))
    return out


def events_among(data: LaneEvents, ids, events: list[Event] = ()) -> np.ndarray:
    """Which of the lane's events have one of `ids`: looked for among the events starting
    when one of `events` (versions of them) starts, where each of `ids` has a version
    with a start; else by comparing every id of the lane."""
    if len(data.lo) <= FEW:  # a short lane: comparing every id costs less than looking
        return ids_among(data.ids, ids)
    dated = {e.id for e in events if e.when.lo is not None}
    if not ids or not dated.issuperset(ids):
        return ids_among(data.ids, ids)
    found = np.zeros(len(data.lo), dtype=bool)
    for e in events:
        if e.id in ids:
            a = int(np.searchsorted(data.lo, e.when.lo, "left"))
            b = int(np.searchsorted(data.lo, e.when.lo, "right"))
            found[a:b] |= data.ids_in(a, b) == e.id
    return found


def ids_among(ids: np.ndarray, wanted) -> np.ndarray:
    """Which of `ids` (an object array) are in `wanted`, a few ids: compared in C."""
    found = np.zeros(len(ids), dtype=bool)
    for i in wanted:
        found |= ids == i
    return found


def _restack(old, gone, rows, is_added, lo, hi, first: int) -> None:
    """Stack `rows` again from `first`, walking the old order alongside, and stop as soon
    as all changes are behind and the rows are in the same state as they were: from there
    on, each event takes the row it had.

    The new state is kept as the old one (`ends`, each row's end in the old packing) and
    the few rows where the new differs (`differ`, row -> its end in the new packing). A
    row free in both by the next start is the same for what follows (starts only grow).
    An event then takes its old row unless a differing row is involved, so each step is
    a look at those few rows, not a search of every row. The arrays are read as lists a
    stretch at a time: the re-stacking usually stops long before the lane's end."""
    n = len(rows)
    if first >= n:
        return
    ends: list[float] = []
    if first:
        before = np.full(int(rows[:first].max()) + 1, -np.inf)
        np.maximum.at(before, rows[:first], hi[:first])
        ends = before.tolist()
    last_added = int(np.flatnonzero(is_added)[-1]) if is_added.any() else -1
    last_gone = int(np.flatnonzero(gone)[-1]) if gone.any() else -1
    new_side = _Stretches(first, lo, hi, is_added)  # the new order's events, from `first`
    old_side = _Stretches(first, old.row, old.hi, gone)  # the old order's
    differ: dict[int, float] = {}
    count = len(ends)  # rows opened by the old packing so far (ends[r] for r < count)

    def end_of(r: int) -> float:
        return ends[r] if r < count else -math.inf

    def settle(r: int, mine: float) -> None:  # the new packing has row r busy until `mine`
        if mine == end_of(r):
            differ.pop(r, None)
        else:
            differ[r] = mine

    def follow_old(r: int, end: float) -> None:  # the old packing puts an event in row r
        nonlocal count
        if r == count:
            ends.append(end)
            count += 1
        else:
            ends[r] = end

    i_old, i_new, n_old = first, first, len(old.row)
    while i_new < n:
        if i_old < n_old:
            old_r, old_end, old_gone = old_side.at(i_old)
            if old_gone:  # in the old packing only
                mine = differ.get(old_r, end_of(old_r))
                follow_old(old_r, old_end)
                settle(old_r, mine)
                i_old += 1
                continue
        start, end, added = new_side.at(i_new)
        r_old = -1 if added else old_r
        # The first row free in the new packing: where the old one is the same, the old
        # packing's first free row (r_old); else the next free one the two agree on.
        if r_old >= 0 and r_old not in differ:
            r = r_old
        else:
            r = r_old + 1
            while r in differ or end_of(r) > start:
                r += 1
        for k, mine in differ.items():  # a differing row free in the new packing, lower
            if k < r and mine <= start:
                r = k
        rows[i_new] = r
        if not added:
            mine = end if r_old == r else differ.get(r_old, end_of(r_old))
            follow_old(r_old, old_end)
            settle(r_old, mine)
            i_old += 1
        settle(r, end)
        i_new += 1
        if i_new > last_added and i_old > last_gone:
            break
    _restack_after(old.row, rows, lo, hi, i_new, i_old - i_new, ends, differ)


def _restack_after(old_row, rows, lo, hi, i: int, shift: int, ends: list, differ: dict) -> None:
    """`_restack` once all changes are behind: event j of the new order is event j +
    `shift` of the old. Most events keep their old row, and the loop is written out for
    them. Which differing rows bear on an event (free in the new packing only, or free in
    both and so the same again) changes only when a start reaches one of their ends, or
    when an event does not keep its row: the differing rows are looked at then (a lane
    at a million events had a dozen, looked at for each of 2,000 events)."""
    count, n, step, inf = len(ends), len(rows), 64, -math.inf
    # The differing rows are looked at again from the start `horizon`; `free_new`, the
    # lowest of them free in the new packing only.
    horizon, free_new = -math.inf, math.inf
    while i < n:
        stop = min(n, i + step)
        step *= 2
        stretch = zip(
            lo[i:stop].tolist(),
            hi[i:stop].tolist(),
            old_row[i + shift : stop + shift].tolist(),
            strict=True,
        )
        for start, end, r_old in stretch:
            if start >= horizon:
                horizon, free_new, dead = math.inf, math.inf, None
                for k, mine in differ.items():
                    if mine > start:  # busy in the new packing until then
                        if mine < horizon:
                            horizon = mine
                        continue
                    old_end = ends[k] if k < count else inf
                    if old_end <= start:
                        dead = [k] if dead is None else [*dead, k]  # free in both
                        continue
                    if k < free_new:  # free in the new packing only
                        free_new = k
                    if old_end < horizon:
                        horizon = old_end
                if dead is not None:
                    for k in dead:
                        del differ[k]
                if not differ:
                    return  # the same state: every event from here on keeps its row
            low = r_old if r_old < free_new else free_new
            if low == r_old and r_old not in differ:  # it keeps its row: the old one
                if r_old == count:
                    ends.append(end)
                    count += 1
                else:
                    ends[r_old] = end
                i += 1
                continue
            r = low
            if r == r_old:  # busy in the new packing: the next row free in it
                r += 1
                while (differ[r] if r in differ else ends[r] if r < count else inf) > start:
                    r += 1
            rows[i] = r
            mine = end if r == r_old else differ.get(r_old, ends[r_old] if r_old < count else inf)
            if r_old == count:
                ends.append(end)
                count += 1
            else:
                ends[r_old] = end
            for k, k_end in ((r_old, mine), (r, end)):
                if k_end == (ends[k] if k < count else inf):
                    differ.pop(k, None)
                else:
                    differ[k] = k_end
            horizon = -math.inf  # the differing rows changed: looked at for the next event
            i += 1


class _Stretches:
    """Three parallel arrays read as Python lists from `first` on, a stretch at a time."""

    def __init__(self, first: int, *arrays: np.ndarray):
        self.first, self.arrays, self.stop = first, arrays, first
        self.lists: tuple[list, ...] = tuple([] for _ in arrays)
        self.step = 256

    def at(self, i: int) -> tuple:
        if i >= self.stop:
            stop = min(max(i + 1, self.stop + self.step), len(self.arrays[0]))
            for got, array in zip(self.lists, self.arrays, strict=True):
                got += array[self.stop : stop].tolist()
            self.stop, self.step = stop, self.step * 2
        k = i - self.first
        a, b, c = self.lists
        return a[k], b[k], c[k]


@lru_cache(maxsize=1024)
def mark_kind(event_type: str) -> int:
    """0 for a type outside CAMEO's quad classes, else 1 + its class."""
    qc = quad_class(event_type)
    return 0 if qc is None else 1 + qc
