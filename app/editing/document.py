"""The open project: its records, undo stack, file path, selection and change signals.

Views never change the project: they push commands (app/commands.py), the commands call
the small mutators here, and the document announces what changed, by kind and id.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableSequence
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from itertools import islice

import numpy as np
from PySide6 import QtCore, QtGui

from app.editing.uses import Uses
from app.fileformat import projectfile, spec
from app.records.eventstore import values
from app.records.ids import id_from
from app.records.model import Project
from app.records.recordstore import RecordStore

KINDS = spec.KIND_NAMES
FEW = 256  # records read one by one; more, from their kind's columns

UNTITLED = "Untitled"  # a new project's title, until its file names it


@dataclass(frozen=True)
class Taken:
    """Records taken out of a store, as their rows, from these positions (ascending)."""

    positions: list[int]
    rows: np.ndarray
    ids: list[str]


class Document(QtCore.QObject):
    # Each carries the ids of the records added, removed or changed.
    sourcesChanged = QtCore.Signal(list)
    actorsChanged = QtCore.Signal(list)
    phasesChanged = QtCore.Signal(list)
    eventsChanged = QtCore.Signal(list)
    demandsChanged = QtCore.Signal(list)
    viewsChanged = QtCore.Signal(list)
    contextChanged = QtCore.Signal(list)
    titleChanged = QtCore.Signal()
    conflictsChanged = QtCore.Signal()  # merge conflicts resolved (or brought back by undo)
    pathChanged = QtCore.Signal()
    selectionChanged = QtCore.Signal()
    projectReplaced = QtCore.Signal()  # a new project was loaded into this document

    def __init__(self, project: Project | None = None, path: str | None = None, parent=None):
        super().__init__(parent)
        self.project = project or Project(title=UNTITLED)
        self.path = path
        self.undo_stack = QtGui.QUndoStack(self)
        self._selection: frozenset[str] = frozenset()
        self._index = _Index(self.records)
        self.uses = Uses(lambda: self.project)  # which records use which, kept until they change
        self._held: dict[str, list[str]] | None = None  # changes told once `held` ends
        self._reindex_all()

    # ---------------------------------------------------------------- files

    @classmethod
    def open(cls, path: str, parent=None) -> Document:
        """Load a file; raises ProjectFileError listing every problem."""
        return cls(projectfile.load(path), os.path.abspath(path), parent)

    def save(self, path: str | None = None) -> None:
        """Save atomically; on failure raise OSError and stay modified."""
        target = path or self.path
        if not target:
            raise ValueError("no file name")
        projectfile.save(self.project, target)
        if target != self.path:
            self.path = os.path.abspath(target)
            self.pathChanged.emit()
        self.undo_stack.setClean()

    def replace_project(self, project: Project) -> None:
        """Take another project (e.g. after a reload), clearing undo history."""
        self.project = project
        self.undo_stack.clear()
        self._selection = frozenset()
        self._reindex_all()
        self.projectReplaced.emit()
        self.selectionChanged.emit()

    def snapshot(self) -> Project:
        """The project as it is now, for work on another thread (an export): its lists are
        copied, and the records in them are frozen, so edits made meanwhile (which replace
        records and change the document's lists in place) never reach it."""
        p = self.project
        lists = {
            f.name: getattr(p, f.name).copy()  # a list, or a store (its columns shared)
            for f in fields(p)
            if isinstance(getattr(p, f.name), MutableSequence)
        }
        return replace(p, **lists)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    # ---------------------------------------------------------------- look-up

    def records(self, kind: str) -> list:
        return getattr(self.project, kind)

    def get(self, kind: str, record_id: str):
        i = self._index[kind].get(record_id)
        return None if i is None else self.records(kind)[i]

    def position(self, kind: str, record_id: str) -> int:
        return self._index[kind][record_id]

    def kind_of(self, record_id: str) -> str | None:
        for kind in KINDS:
            if record_id in self._index[kind]:
                return kind
        return None

    def has_id(self, record_id: str) -> bool:
        return self.kind_of(record_id) is not None

    def present(self, kind: str, ids) -> list[str]:
        """Those of `ids` that name a record of `kind`, in their order."""
        at = self._index[kind]
        return [i for i in ids if i in at]

    def values_of(self, kind: str, ids: list[str], attr: str) -> list:
        """One field of the records of `ids` (each there), read from the kind's column: no
        record is made (for 100,000 events, made from their texts, that took half a second)."""
        if len(ids) <= FEW:  # (a column of a million read for a few)
            return [getattr(self.get(kind, i), attr) for i in ids]
        at, column = self._index[kind], values(self.records(kind), attr)
        return [column[at[i]] for i in ids]

    def kinds_of(self, ids) -> set[str]:
        """The kinds of the records of `ids` (a set)."""
        return {kind for kind in KINDS if not self._index[kind].keys().isdisjoint(ids)}

    def counts_by_kind(self, ids) -> dict[str, int]:
        """How many records of `ids` (a set) each kind has, for the kinds that have some.
        The kind with most records is counted as what the others leave (intersecting a
        million events' ids took half a second at each selection)."""
        *others, most = sorted(KINDS, key=lambda kind: len(self._index[kind]))
        counts = {}
        for kind in others:
            index = self._index[kind]
            small, large = (index, ids) if len(index) < len(ids) else (ids, index)
            counts[kind] = sum(1 for i in small if i in large)
        counts[most] = len(ids) - sum(counts.values())
        return {kind: counts[kind] for kind in KINDS if counts[kind]}

    def new_id(self, stem: str) -> str:
        """An id not used yet, derived from `stem`."""
        base = id_from(stem)
        candidate, n = base, 2
        while self.has_id(candidate):
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    # ---------------------------------------------------------------- selection

    @property
    def selection(self) -> frozenset[str]:
        return self._selection

    def select(self, ids) -> None:
        wanted = set(ids)  # (those of no record left out, a kind at a time: 100,000 at once)
        self._select(frozenset().union(*(wanted & self._index[kind].keys() for kind in KINDS)))

    def select_every(self, kinds: tuple[str, ...]) -> None:
        """Every record of these kinds (Select All: no id asked about)."""
        self._select(frozenset().union(*(self._index[kind].keys() for kind in kinds)))

    def _select(self, ids: frozenset[str]) -> None:
        if ids != self._selection:
            self._selection = ids
            self.selectionChanged.emit()

    # ---------------------------------------------------------------- mutators (commands only)

    def _replace(self, kind: str, record) -> None:
        self.records(kind)[self._index[kind][record.id]] = record
        self._changed(kind, [record.id])

    def _swap(self, kind: str, ids: list[str], records: list) -> list:
        """Records put in place of those with the same ids, in one go; returns what stood
        there, in the form this takes back (for the undo: from a store, see `swap`)."""
        records_now, at = self.records(kind), self._index[kind]
        positions = [at[i] for i in ids]
        if isinstance(records_now, RecordStore):
            held = records_now.swap(positions, records)
        else:
            held = [records_now[p] for p in positions]
            for position, record in zip(positions, records, strict=True):
                records_now[position] = record
        self._changed(kind, ids)
        return held

    def _rename(self, kind: str, old_id: str, record) -> None:
        """Put `record` (the same record under a new id) where `old_id` stood."""
        self.records(kind)[self._index[kind][old_id]] = record
        self._reindex(kind)
        if old_id in self._selection:
            self._selection = (self._selection - {old_id}) | {record.id}
            self.selectionChanged.emit()
        self._changed(kind, [old_id, record.id])

    def _insert(self, kind: str, index: int, record) -> None:
        self.records(kind).insert(index, record)
        self._reindex(kind)
        self._changed(kind, [record.id])

    def _remove_many(self, kind: str, ids: list[str]) -> Taken | list[tuple[int, object]]:
        """Records of one kind removed in one go (one at a time, each looked the next up in
        an index made again, and selected ones were each told apart: 100,000 selected
        events deleted never ended). Returns what `_insert_many` puts back as it was: from
        a store, its rows; from a list, (position, record) of each, in order of position."""
        records, at = self.records(kind), self._index[kind]
        places = sorted((at[i], i) for i in ids)
        if isinstance(records, RecordStore):  # as rows (making 100,000 records took a second)
            positions = [position for position, _ in places]
            gone = Taken(positions, records.take(positions), [i for _, i in places])
        else:
            gone = [(position, records[position]) for position, _ in places]
            dropped = {position for position, _ in places}
            records[:] = [r for k, r in enumerate(records) if k not in dropped]
        self._reindex(kind)
        if not self._selection.isdisjoint(ids):
            self._selection = self._selection - set(ids)
            self.selectionChanged.emit()
        self._changed(kind, [i for _, i in places])
        return gone

    def _insert_many(self, kind: str, places: Taken | list[tuple[int, object]]) -> None:
        """Records put back where `_remove_many` took them from (or added at the
        positions given, with their records)."""
        records = self.records(kind)
        if isinstance(places, Taken):
            records.put_back(places.positions, places.rows)
            self._reindex(kind)
            self._changed(kind, places.ids)
            return
        if isinstance(records, RecordStore):
            records.insert_many(places)
        else:
            merged, rest = [], iter(records)
            for position, record in places:
                merged.extend(islice(rest, max(position - len(merged), 0)))
                merged.append(record)
            merged.extend(rest)
            records[:] = merged
        self._reindex(kind)
        self._changed(kind, [record.id for _, record in places])

    def _reorder(self, kind: str, order: list[str]) -> None:
        records = {r.id: r for r in self.records(kind)}
        self.records(kind)[:] = [records[i] for i in order]
        self._reindex(kind)
        self._changed(kind, list(order))

    def _set_conflicts(self, conflicts: list) -> None:
        self.project.conflicts = list(conflicts)
        self.conflictsChanged.emit()

    def _set_title(self, title: str, description: str) -> None:
        self.project.title, self.project.description = title, description
        self.titleChanged.emit()

    def _changed(self, kind: str, ids: list[str]) -> None:
        if kind in ("events", "demands"):
            self.uses.forget()
        if self._held is not None:
            self._held.setdefault(kind, []).extend(ids)
        else:
            getattr(self, f"{kind}Changed").emit(ids)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Within: the records changed are told once a kind, at the end (a command of 2,000
        edits told each apart, and every view worked each out alone: 12 s)."""
        if self._held is not None:  # (within another)
            yield
            return
        self._held = {}
        try:
            yield
        finally:
            held, self._held = self._held, None
            for kind, ids in held.items():
                getattr(self, f"{kind}Changed").emit(list(dict.fromkeys(ids)))

    def _reindex(self, kind: str) -> None:
        self._index.forget(kind)

    def _reindex_all(self) -> None:
        self.uses.forget()
        for kind in KINDS:
            self._reindex(kind)


class _Index:
    """Each kind's id -> position, made on first look-up after a change: opening a million
    events costs nothing here until an id is looked up (the chart never asks)."""

    def __init__(self, records):
        self._records = records  # kind -> its list
        self._made: dict[str, dict[str, int]] = {}

    def __getitem__(self, kind: str) -> dict[str, int]:
        made = self._made.get(kind)
        if made is None:
            records = self._records(kind)
            if isinstance(records, RecordStore):  # shared with the chart's look-up
                made = self._made[kind] = records.positions()
            else:
                ids = values(records, "id")
                made = self._made[kind] = dict(zip(ids, range(len(ids)), strict=True))
        return made

    def forget(self, kind: str) -> None:
        self._made.pop(kind, None)

    def __eq__(self, other) -> bool:  # as the dicts would be
        if not isinstance(other, _Index):
            return NotImplemented
        return all(self[kind] == other[kind] for kind in KINDS)

    __hash__ = None
