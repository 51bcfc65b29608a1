"""The columns of a record table, from the record spec: what each cell shows, how what is
typed in it is read, and how its rows sort (one at a time, or every row at once)."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain

from PySide6 import QtGui

from app.editing.document import Document
from app.fileformat import spec
from app.records.eventstore import date_starts, date_texts, values
from widgets.fields import read_date


@dataclass
class Column:
    title: str
    show: Callable  # record -> display value
    attr: str = ""  # set to make the column editable
    parse: Callable | None = None  # text -> value, raising ValueError/WhenError
    sort: Callable | None = None  # record -> sort key
    field: spec.Field | None = None  # the spec's field it shows, if any
    many: Callable | None = None  # records -> what `show` shows, for all rows at once
    many_sort: Callable | None = None  # records -> what `sort` gives, likewise

    @property
    def flag(self) -> bool:
        return self.field is not None and self.field.type == spec.FLAG

    @property
    def least_width(self) -> int:
        """Prose (a title, a demand) at least 160 px: in an empty table, sized to its
        header, a new project's Title column was as narrow as "Type"."""
        prose = self.field is not None and self.field.type == spec.TEXT and not self.field.choices
        return 160 if prose else 60

    @property
    def dated(self) -> bool:
        return self.field is not None and self.field.type == spec.WHEN


def _actor_check(doc: Document):
    def check(text: str) -> str:
        text = text.strip()
        if doc.get("actors", text) is None:
            by_name = [a.id for a in doc.project.actors if a.name.lower() == text.lower()]
            if not by_name:
                raise ValueError(f"no actor '{text}'")
            text = by_name[0]
        return text

    return check


def _lo(w) -> float:
    return w.lo if w and w.lo is not None else float("-inf")


def _column(f: spec.Field, doc: Document) -> Column:
    """A table column for a field of the spec: shown, read and sorted by its type; `many`
    and `many_sort` do the same for every row at once (the table's index of its rows)."""

    def name(actor_id: str) -> str:
        a = doc.get("actors", actor_id)
        return a.name if a else actor_id

    def names() -> dict[str, str]:
        return {a.id: a.name for a in doc.project.actors}

    get = operator.attrgetter(f.attr)
    show, parse, sort = (lambda r: f.show(get(r))), f.parse, None
    many = lambda rs: [v if v.__class__ is str else f.show(v) for v in values(rs, f.attr)]  # noqa: E731
    many_sort = None
    if f.type == spec.ID:
        parse = None  # renamed in the inspector, where what refers to it follows
    elif f.type == spec.REF and f.ref == "actors":
        show = lambda r: name(get(r)) if get(r) else ""  # noqa: E731
        many = lambda rs: _refs_shown(values(rs, f.attr), names(), one=True)  # noqa: E731
        check = _actor_check(doc)
        parse = check if f.required else (lambda t: check(t) if t.strip() else "")
    elif f.type == spec.REFS and f.ref == "actors":
        show = lambda r: ", ".join(name(a) for a in get(r))  # noqa: E731
        many = lambda rs: _refs_shown(values(rs, f.attr), names(), one=False)  # noqa: E731
        check = _actor_check(doc)
        parse = lambda t: tuple(check(x) for x in t.split(",") if x.strip())  # noqa: E731
    elif f.type == spec.WHEN:
        parse = lambda t: read_date(t, optional=not f.required)  # noqa: E731
        sort = lambda r: _lo(get(r))  # noqa: E731
        many = lambda rs: date_texts(rs, f.attr)  # noqa: E731
        many_sort = lambda rs: date_starts(rs, f.attr)  # noqa: E731
    elif f.type == spec.NAMES:  # tags: rows share a few lists
        many = lambda rs: _joined(values(rs, f.attr))  # noqa: E731
    elif f.type == spec.COLOR:
        parse = _color
    elif f.type in spec.NESTED:
        show = sort = lambda r: len(get(r))  # noqa: E731
        many = many_sort = lambda rs: list(map(len, values(rs, f.attr)))  # noqa: E731
        parse = None  # rows of their own: edited in the inspector
    return Column(f.title, show, f.attr if parse else "", parse, sort, f, many, many_sort)


def _joined(values) -> list[str]:
    """Lists of texts shown as one, for many rows: each list joined once."""
    joined: dict[tuple, str] = {}
    values = (v if v.__class__ is tuple else tuple(v or ()) for v in values)  # hashable
    return [joined.get(v) or joined.setdefault(v, ", ".join(v)) if v else "" for v in values]


def _refs_shown(values, names: dict[str, str], one: bool) -> list[str]:
    """Actors' names for their ids (an id no actor has as it is), for many rows."""
    if one:
        return [names.get(v, v) if v else "" for v in values]
    joined: dict[tuple, str] = {}  # rows share a few lists of actors: each joined once

    def join(ids: tuple) -> str:
        text = joined[ids] = ", ".join([names.get(a, a) for a in ids])
        return text

    values = (v if v.__class__ is tuple else tuple(v or ()) for v in values)  # hashable
    return [joined.get(v) or join(v) if v else "" for v in values]


def columns_for(kind: str, doc: Document) -> list[Column]:
    """A kind's columns: its fields as the record spec lists them for tables, then counts
    of what uses each record."""
    columns = [_column(f, doc) for f in spec.BY_NAME[kind].columns()]
    if kind == "actors":
        columns.append(
            Column(
                "Events",
                lambda a: doc.uses.events_on(a.id),
                many=lambda rs: _counted(rs, ((a,) for a in values(doc.project.events, "actor"))),
            )
        )
    if kind == "sources":
        # "cited": the sources of each record, each once however many quotes it has
        cited = lambda: chain(*(values(doc.records(k), "cited") for k in ("events", "demands")))  # noqa: E731
        columns.append(
            Column(
                "Cited by",
                lambda s: len(doc.uses.of_source(s.id)),
                many=lambda rs: _counted(rs, cited()),
            )
        )
    return columns


def _counted(records, users) -> list[int]:
    """How many of `users` (each an iterable of ids) name each record."""
    counts = Counter(i for ids in users for i in ids)
    return [counts[r.id] for r in records]


def _color(text: str) -> str:
    color = QtGui.QColor(text.strip())
    if text.strip() and not color.isValid():
        raise ValueError(f"'{text}' is not a colour")
    return color.name() if text.strip() else ""
