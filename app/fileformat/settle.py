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


def _distinct(column) -> list:
    """Each distinct tuple of a column once, by identity: the reader shares equal ones."""
    return list({id(v): v for v in column}.values())


def _references(kind: spec.Kind, records: list, known: dict[str, set[str]]) -> None:
    """Every reference of these records, nested ones included, names a known record."""
    for f in kind.fields:
        column = map(attrgetter(f.attr), records)
        if f.type == spec.REF:
            values = set(column) - {""}
        elif f.type == spec.REFS:
            values = set(chain.from_iterable(_distinct(column)))
        elif f.type in spec.NESTED:
            nested = list(chain.from_iterable(_distinct(column)))
            _references(spec.NESTED[f.type], nested, known)
            continue
        else:
            continue
        if not values <= known[f.ref]:
            raise NotSure
