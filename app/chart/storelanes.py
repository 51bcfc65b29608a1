"""Lanes built from an EventStore's columns (app/records/eventstore.py): every event's
dates, mark and `with` flag are taken from tables of distinct values by numpy, and no
record is made. The lanes are the same as `build_lane_events` makes from records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from app.chart.laneevents import LaneEvents, date_columns, date_edges, id_ranks, mark_kind
from app.chart.lanerecords import LaneRecords
from app.chart.rowstack import stack_lanes
from app.records.eventstore import EventStore


@dataclass(slots=True)
class StoreColumns:
    """What the lanes need of every event of a store, in the store's order."""

    store: EventStore
    rows: np.ndarray  # each position's row in the store, when these columns were taken
    actor: np.ndarray  # codes into `actors`
    actors: list[str]
    columns: dict[str, np.ndarray]  # as LaneEvents has them: lo, hi, is_range, ...
    edited: np.ndarray  # bool: the record is not the columns' (edited or added)
    as_read: bool  # the store held its columns' events as read: positions are rows
    start_rank: np.ndarray  # each start's rank among the distinct starts (equal: equal)
    open_ended: bool  # some date has an open start or end (it stands at the span's edge)
    # Each position's id (see `id_list`): taken now from a store edited, else at first use.
    _id_list: list[str] | None
    _seen: np.ndarray = field(init=False, repr=False)
    _id_order: np.ndarray | None = field(init=False, repr=False, default=None)
    _ids: np.ndarray | None = field(init=False, repr=False, default=None)

    @classmethod
    def of(cls, store: EventStore, t_min: float, t_max: float) -> StoreColumns:
        when, dates = store.dates()
        kind, types = store.coded("type")
        withs, with_table = store.coded("with_")
        actor, actors = store.coded("actor")
        columns = {
            **date_columns(when, dates, t_min, t_max),
            "has_with": np.array([bool(w) for w in with_table], dtype=bool)[withs],
            "kind": np.array([mark_kind(t) for t in types], dtype=np.int8)[kind],
        }
        edited = np.zeros(len(store), dtype=bool)
        edited[store.edited_positions()] = True
        as_read = store.as_read()
        every = None if as_read else store.ids()  # as read: the columns' own, when asked
        # Starts ranked from the few distinct dates: a lane sorts by one integer key.
        starts = np.unique(date_edges(dates, t_min, t_max)[0], return_inverse=True)[1]
        start_rank = starts.reshape(-1)[when].astype(np.int64)
        open_ended = bool(np.isnan(dates["lo"]).any() or np.isnan(dates["hi"]).any())
        return cls(
            store,
            store.rows,
            actor,
            actors,
            columns,
            edited,
            as_read,
            start_rank,
            open_ended,
            every,
        )

    def __post_init__(self) -> None:
        self._seen = np.zeros(len(self.rows), dtype=bool)  # for checking kept lanes

    def id_list(self) -> list[str]:
        """Each position's id, as the store gave them (`EventStore.positions`). Columns of a
        store as read take them from its columns when first asked, as the list the store
        keeps of them (one list, one look-up shared with the document, edits or not)."""
        if self._id_list is None:
            self._id_list = self.store.ids_as_read()
        return self._id_list

    @property
    def ids(self) -> np.ndarray:
        """`id_list` as an object array."""
        if self._ids is None:
            self._ids = np.array(self.id_list(), dtype=object)
        return self._ids

    def _by_id(self, positions: np.ndarray, few: bool) -> np.ndarray:
        """The lane's ids as numbers in their order: ranks among every id of the store,
        sorted once for every lane, unless the lanes asked for hold `few` of its events
        (a lane rebuilt after an edit ranks its own ids)."""
        if self._id_order is None and few:
            if self._ids is None and self.as_read:  # only theirs, from the columns' bytes
                ids = self.store.columns.strings["id"].take(positions)
                return id_ranks(np.array(ids, dtype=object))
            return id_ranks(self.ids[positions])
        return self.id_order()[positions]

    def id_order(self) -> np.ndarray:
        """Each position's rank in order of id: ids are sorted once for every lane."""
        if self._id_order is None:
            column = self.store.columns.strings["id"] if self.as_read else None
            ids = None if self.as_read else self.ids  # as read: sorted from the bytes
            self._id_order = id_ranks(ids, column)
        return self._id_order

    def positions_by_actor(self) -> dict[str, np.ndarray]:
        """Each actor's events, as positions in the store's order."""
        order = np.argsort(_small(self.actor), kind="stable")  # a radix sort
        bounds = np.searchsorted(self.actor[order], np.arange(len(self.actors) + 1))
        return {
            a: order[bounds[i] : bounds[i + 1]]
            for i, a in enumerate(self.actors)
            if bounds[i + 1] > bounds[i]
        }

    def lanes(self, wanted: list[tuple[np.ndarray, str]]) -> list[LaneEvents]:
        """The lanes of the events at these positions, each sorted by start then id. Their
        rows are stacked together (`stack_lanes`). Lanes with a `name` (members and span)
        are kept beside the parse cache's entry in one array, and taken from there next
        time, once checked."""
        beside = self.store.beside if self.as_read else None
        named = [i for i, (positions, name) in enumerate(wanted) if name and len(positions)]
        batch = _batch_name([wanted[i][1] for i in named]) if beside and named else ""
        kept = self._kept(beside.get(batch), [wanted[i][0] for i in named]) if batch else {}
        place = {i: k for k, i in enumerate(named)}
        few = 4 * sum(len(positions) for positions, _ in wanted) < len(self.rows)
        orders, rows, fresh = [], [], []
        for i, (positions, _) in enumerate(wanted):
            found = kept.get(place[i]) if i in place else None
            if found is not None:
                orders.append(found[0])
                rows.append(found[1])
                continue
            # By start, then id: one integer a position (ranks of ids are < n, and distinct).
            key = self.start_rank[positions] * len(self.rows) + self._by_id(positions, few)
            orders.append(positions[np.argsort(key)])
            rows.append(np.empty(0, dtype=np.int32))
            if len(positions):
                fresh.append(i)
        lo, hi = self.columns["lo"], self.columns["hi"]
        stacked = stack_lanes([(lo[orders[i]], hi[orders[i]]) for i in fresh]) if fresh else []
        for i, lane_rows in zip(fresh, stacked, strict=True):
            rows[i] = lane_rows
        if batch and len(kept) < len(named):  # kept whole, in the order of `named`
            order_rows = [np.stack([orders[i], rows[i].astype(np.int64)]) for i in named]
            beside.put(batch, np.concatenate(order_rows, axis=1))
        return [self._lane_of(order, r) for order, r in zip(orders, rows, strict=True)]

    def _kept(self, kept, lanes: list[np.ndarray]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """The (order, rows) kept of each lane (by its place in `lanes`, their positions)
        that passes the checks."""
        sizes = [len(positions) for positions in lanes]
        if kept is None or kept.ndim != 2 or kept.shape[1] != sum(sizes):
            return {}
        bounds = np.cumsum([0, *sizes]).tolist()
        found = {}
        for k, positions in enumerate(lanes):
            lane = kept[:, bounds[k] : bounds[k + 1]]
            checked = _checked(lane, positions, self.columns, self._seen)
            if checked is not None:
                found[k] = checked
        return found

    def _lane_of(self, order: np.ndarray, rows: np.ndarray) -> LaneEvents:
        if not len(order):
            return LaneEvents()
        columns = {name: column[order] for name, column in self.columns.items()}
        lo, hi = columns["lo"], columns["hi"]
        rows_read = self.rows[order].astype(np.int64)  # a copy, kept in step with the refs
        edited = np.flatnonzero(self.edited[order])
        refs = None  # rows only
        if len(edited):
            refs = rows_read.tolist()
            for k in edited.tolist():  # as they are now
                refs[k] = self.store.record(refs[k])
            rows_read[edited] = -1
        return LaneEvents(
            LaneRecords(self.store, refs, rows_read),
            None if self._ids is None else self._ids[order],  # else read when asked
            row=rows,
            longest=float((hi - lo).max()),
            **columns,
        )


class ActorsById:
    """Each event's actor by id, for lanes of a store's columns: through one dict of the
    columns' positions by id, made on first use (or the document's, made from the same
    ids), with the changes taken in since on top (a dict of a million ids to actors and
    another to rows cost the first edit 1 s)."""

    def __init__(self, columns: StoreColumns):
        self.columns = columns
        self._at: dict[str, int] | None = None
        self._changed: dict[str, str | None] = {}  # None: removed

    def _position(self, event_id: str) -> int | None:
        if self._at is None:
            self._at = self.columns.store.positions(self.columns.id_list())
        return self._at.get(event_id)

    def get(self, event_id: str, default=None):
        if event_id in self._changed:
            actor = self._changed[event_id]
        else:
            at = self._position(event_id)
            actor = None if at is None else self.columns.actors[self.columns.actor[at]]
        return default if actor is None else actor

    def __setitem__(self, event_id: str, actor: str) -> None:
        self._changed[event_id] = actor

    def __delitem__(self, event_id: str) -> None:
        if self.get(event_id) is None:
            raise KeyError(event_id)
        self._changed[event_id] = None

    def row(self, event_id: str) -> int:
        """The row in the store of an event of the columns (not one taken in since)."""
        return int(self.columns.rows[self._position(event_id)])


def _batch_name(names: list[str]) -> str:
    """One name for lanes kept together: made of theirs (each its members and span)."""
    return "lanes-" + hashlib.blake2b("\n".join(names).encode(), digest_size=12).hexdigest()


def _checked(
    kept, positions: np.ndarray, columns: dict, seen: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """A lane's kept (order, rows), if they are one of these positions each, in order of
    start, and rows where no two events overlap; else None (worked out again). `seen`,
    all False, one for each position of the store: marks the order's (and is cleared)."""
    if kept is None or kept.shape != (2, len(positions)) or kept.dtype.kind != "i":
        return None
    order, rows = np.array(kept[0]), np.array(kept[1])
    if len(order) and (order.min() < 0 or order.max() >= len(seen)):
        return None
    # As many as the positions and covering them all: each position once, nothing else.
    seen[order] = True
    every = bool(seen[positions].all())
    seen[order] = False
    # Rows are stacked from 0: never more than the lane's events (a lane so tall is not ours).
    if not every or rows.min() < 0 or rows.max() >= len(rows):
        return None
    rows = rows.astype(np.int32)
    lo, hi = columns["lo"][order], columns["hi"][order]
    if (np.diff(lo) < 0).any():
        return None
    # Each row's events in order of start (the order is by start; a stable sort by a
    # small row number is a radix sort).
    by_row = np.argsort(rows.astype(np.int16) if rows.max() < 1 << 15 else rows, kind="stable")
    same = rows[by_row][1:] == rows[by_row][:-1]
    if (hi[by_row][:-1][same] > lo[by_row][1:][same]).any():
        return None
    return order, rows


def _small(codes: np.ndarray) -> np.ndarray:
    """Codes as 16-bit integers where they fit, which numpy sorts stably by radix."""
    if len(codes) and 0 <= int(codes.min()) and int(codes.max()) < 1 << 15:
        return codes.astype(np.int16)
    return codes
