"""What a fast reader asks of the records it read before it vouches for them (the
canonical reader's, app/fileformat/canonical.py, and anyread's): their ids noted, their
references known, the file's own checks passed. NotSure at the first doubt, for the
located reader to say what is wrong."""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

import numpy as np

from app.fileformat import spec
from app.fileformat.build import KIND_CHECKS, Builder
from app.records.recordstore import Strings


class NotSure(Exception):
    """The fast reader cannot vouch for this text; use the full path."""


def settle(kind: spec.Kind, records: list, known: dict, ids: list, checker: Builder) -> None:
    """Vouch for one kind's records once read, or raise NotSure."""
    known[kind.name] = {r.id for r in records}
    ids.extend(r.id for r in records)
    _references(kind, records, known)
    if kind.name in KIND_CHECKS:
        KIND_CHECKS[kind.name](checker, records, [()] * len(records))
        if checker.problems:
            raise NotSure


def ids_unique(known: dict, count: int) -> bool:
    """Whether the `count` ids settled (every kind's) are each there once: no kind's set of
    ids is smaller than its count was, and no two kinds share one. (A set of every id at
    once held 60 MB more at the peak of opening a million events.)"""
    sets = sorted(known.values(), key=len)
    if sum(map(len, sets)) != count:
        return False
    return all(_disjoint(a, b) for i, a in enumerate(sets) for b in sets[i + 1 :])


def _disjoint(a, b) -> bool:
    return b.isdisjoint(a) if isinstance(b, SortedIds) else a.isdisjoint(b)


# Ids wider than this are kept as a set of strings (a fixed width for all would be wasted).
WIDEST_ID = 64


class SortedIds:
    """A store's ids, each there once, as the set `known` holds of its kind: a sorted array
    of fixed-width bytes (numpy sorts UTF-8 bytes in the order of the text), asked only what
    the reader asks of a set: its size, a value in it, values all in it, none in it. A
    million ids as strings and their set held 100 MB at the peak of opening a file."""

    def __init__(self, ordered: np.ndarray):
        self.ordered = ordered  # sorted, distinct

    @classmethod
    def of(cls, ids: Strings) -> SortedIds | set[str]:
        """The ids as SortedIds; as a set of strings when too wide, when one is there twice
        (the set is then smaller than their count: `ids_unique` says so), or when one holds
        a NUL (fixed-width bytes would lose it)."""
        fixed = ids.fixed_width(len(ids) * WIDEST_ID)
        held = np.asarray(ids.buffer)[ids.offsets[0] : ids.offsets[-1]]  # their bytes
        if fixed is not None and not (held == 0).any():
            fixed.sort()
            if not (fixed[1:] == fixed[:-1]).any():
                return cls(fixed)
        return set(ids.every())

    def __len__(self) -> int:
        return len(self.ordered)

    def _found(self, probe: np.ndarray) -> np.ndarray:
        ordered = self.ordered
        if not len(ordered):
            return np.zeros(len(probe), dtype=bool)
        at = np.minimum(np.searchsorted(ordered, probe), len(ordered) - 1)
        return ordered[at] == probe

    def _holds(self, values: list[str]) -> np.ndarray:
        """Whether each value is one of the ids. A value holding a NUL is none of them (no
        id does, or `of` made a set): numpy's bytes drop NULs at the end when compared, so
        "e1\\0" would pass for "e1"."""
        found = self._found(np.array([v.encode() for v in values], dtype=bytes))
        return found & np.array(["\0" not in v for v in values], dtype=bool)

    def __contains__(self, value: str) -> bool:
        return bool(self._holds([value])[0])

    def __ge__(self, values) -> bool:  # `values <= ids`, for a set of values
        values = list(values)
        return not values or bool(self._holds(values).all())

    def isdisjoint(self, other) -> bool:
        if isinstance(other, SortedIds):
            return not len(other.ordered) or not self._found(other.ordered).any()
        values = list(other)
        return not values or not self._holds(values).any()


def _distinct(column) -> list:
    """Each distinct tuple of a column once, by identity: the reader shares equal ones."""
    return list({id(v): v for v in column}.values())


def _references(kind: spec.Kind, records: list, known: dict[str, set[str]]) -> None:
    """Every reference of these records, nested ones included, names a known record."""
    columns = {f.attr: map(attrgetter(f.attr), records) for f in kind.fields}
    references_known(kind, columns, known)


def references_known(kind: spec.Kind, columns: dict, known: dict[str, set[str]]) -> None:
    """Every reference in these columns of a kind's values (records' or their distinct
    values', by field), nested ones included, names a known record."""
    for f in kind.fields:
        if f.type == spec.REF:
            values = set(columns[f.attr]) - {""}
        elif f.type == spec.REFS:
            values = set(chain.from_iterable(_distinct(columns[f.attr])))
        elif f.type in spec.NESTED:
            nested = list(chain.from_iterable(_distinct(columns[f.attr])))
            _references(spec.NESTED[f.type], nested, known)
            continue
        else:
            continue
        if not values <= known[f.ref]:
            raise NotSure
