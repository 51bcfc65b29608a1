"""An EventStore's columns in the parse cache (app/fileformat/parsecache.py): the arrays
are written after the entry's pickled rows, each at an offset aligned to 64 bytes, and
read back as views of the memory-mapped file, without a copy. What they say is checked
before it is used (offsets in order and within their buffer, codes within their tables):
an entry is never trusted."""

from __future__ import annotations

import numpy as np

from app.fileformat.eventtexts import read_event
from app.records.eventstore import CODED, DATE_NUMBERS, STRINGS, EventColumns, EventStore, Strings
from app.records.model import Cite

ALIGN = 64
_STRINGS = (*STRINGS, "record")
PARTS = ("buffer", "offsets")


def _align(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def layout(store: EventStore) -> tuple[dict, list[np.ndarray]]:
    """What the pickled rows say of the columns (their tables, and each array's name, type,
    length and offset), and the arrays in the order they are written."""
    c = store.columns
    strings = {**c.strings, "record": c.texts}
    named = [(f"{s}.{part}", getattr(strings[s], part)) for s in _STRINGS for part in PARTS]
    named += [(f"codes.{attr}", c.codes[attr]) for attr in CODED]
    named += [("has_links", c.has_links)]
    named += [(f"dates.{k}", c.dates[k]) for k in DATE_NUMBERS]
    arrays, places, at = [], [], 0
    for name, array in named:
        array = np.ascontiguousarray(array)
        places.append((name, array.dtype.str, len(array), at))
        arrays.append(array)
        at = _align(at + array.nbytes)
    return {"tables": dict(c.tables), "arrays": places}, arrays


def body(payload: bytes, arrays: list[np.ndarray]) -> list:
    """The entry after its digest: the payload's size, the payload, then the arrays."""
    head = len(payload).to_bytes(8, "little") + payload
    parts, at = [head], len(head)
    for array in arrays:
        pad = _align(at) - at
        parts += [b"\0" * pad, memoryview(array).cast("B")]
        at += pad + array.nbytes
    return parts


# The type of each array as `layout` writes it: any other is not ours (a float offset
# or a big-endian code would pass the checks on values and fail at use).
_DTYPES = {
    **{f"{s}.buffer": "|u1" for s in _STRINGS},
    **{f"{s}.offsets": "<i8" for s in _STRINGS},
    **{f"codes.{attr}": "<i4" for attr in CODED},
    "has_links": "|b1",
    "dates.lo": "<f8",
    "dates.hi": "<f8",
    **{f"dates.{k}": "|b1" for k in DATE_NUMBERS if k not in ("lo", "hi")},
}


def _texts(table) -> bool:
    return all(type(v) is str for v in table)


def _lists_of_texts(table) -> bool:
    return all(type(v) is tuple and _texts(v) for v in table)


# What each table of distinct values holds.
_TABLES = {
    "actor": _texts,
    "when": _texts,
    "type": _texts,
    "label": _texts,
    "with_": _lists_of_texts,
    "tags": _lists_of_texts,
    "cited": _lists_of_texts,
    "cites": lambda table: all(type(v) is tuple and all(type(c) is Cite for c in v) for v in table),
}


def store_of(meta: dict, entry) -> EventStore:
    """The store whose columns `meta` places in `entry` (the body, memory-mapped)."""
    area = _align(8 + int.from_bytes(entry[:8], "little"))
    arrays = {}
    for name, dtype, count, offset in meta["arrays"]:
        if _DTYPES.get(name) != dtype or offset < 0 or offset % ALIGN or count < 0:
            raise ValueError(f"column {name} is not ours")
        arrays[name] = np.frombuffer(entry, np.dtype(dtype), count, area + offset)
    if set(arrays) != set(_DTYPES):
        raise ValueError("columns are missing")
    tables = {attr: tuple(meta["tables"][attr]) for attr in CODED}
    for attr, holds in _TABLES.items():
        if not holds(tables[attr]):
            raise ValueError(f"the {attr} table is not ours")
    n = len(arrays["has_links"])
    strings = {}
    for s in _STRINGS:
        buffer, offsets = arrays[f"{s}.buffer"], arrays[f"{s}.offsets"]
        steps = np.diff(offsets)
        if (
            len(offsets) != n + 1
            or offsets[0] != 0
            or offsets[-1] > len(buffer)
            or (steps < 0).any()
        ):
            raise ValueError(f"the {s} column is damaged")
        strings[s] = Strings(buffer, offsets)
    codes = {attr: arrays[f"codes.{attr}"] for attr in CODED}
    for attr, column in codes.items():
        if len(column) != n or (n and (column.min() < 0 or column.max() >= len(tables[attr]))):
            raise ValueError(f"the {attr} column is damaged")
    dates = {k: arrays[f"dates.{k}"] for k in DATE_NUMBERS}
    if any(len(v) != len(tables["when"]) for v in dates.values()):
        raise ValueError("the dates column is damaged")
    dates = {k: v if k in ("lo", "hi") else v.astype(bool, copy=False) for k, v in dates.items()}
    columns = EventColumns(
        strings={attr: strings[attr] for attr in STRINGS},
        texts=strings["record"],
        codes=codes,
        tables=tables,
        has_links=arrays["has_links"].astype(bool, copy=False),
        dates=dates,
    )
    return EventStore(columns, read_event)
