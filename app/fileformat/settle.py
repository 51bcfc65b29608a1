"""What a fast reader asks of the records it read before it vouches for them (the
canonical reader's, app/fileformat/canonical.py, and anyread's): their ids noted, their
references known, the file's own checks passed. NotSure at the first doubt, for the
located reader to say what is wrong."""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

from app.fileformat import spec
from app.fileformat.build import KIND_CHECKS, Builder


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


def ids_unique(known: dict[str, set[str]], ids: list[str]) -> bool:
    """Whether `ids` (every kind's, as settled) holds each id once: no kind's set of ids is
    smaller than its list was, and no two kinds share one. (A set of every id at once held
    60 MB more at the peak of opening a million events.)"""
    sets = sorted(known.values(), key=len)
    if sum(map(len, sets)) != len(ids):
        return False
    return all(a.isdisjoint(b) for i, a in enumerate(sets) for b in sets[i + 1 :])


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
