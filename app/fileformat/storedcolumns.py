"""A store's columns in the parse cache (app/fileformat/parsecache.py): the events' and the
demands' arrays are written after the entry's pickled rows, each at an offset aligned to
64 bytes, and read back as views of the memory-mapped file, without a copy. An array that
is the opened file's own bytes (each record's text, read in place) is not written: the
entry says where it lies in the file, whose bytes are those the entry is keyed by, and it
is read back from them, as the first open read it. What they say
is checked before it is used (offsets in order and within their buffer, codes within
their tables, one value a record, tables of the right types and statuses known): a damaged
entry, or one of another version, is not used. What the checks cannot see is an entry
forged with a right digest (a record's text that differs from its columns): that takes
writing into the user's own cache folder."""

from __future__ import annotations

import numpy as np

from app.fileformat.recordtexts import read_demand, read_event
from app.records import demandstore
from app.records.demandstore import DemandColumns, DemandStore
from app.records.eventstore import CODED, DATE_NUMBERS, STRINGS, EventColumns, EventStore
from app.records.model import STATUSES, Cite, StatusChange
from app.records.recordstore import RecordStore, Strings

ALIGN = 64
PARTS = ("buffer", "offsets")


def _align(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def _texts(table) -> bool:
    return all(type(v) is str for v in table)


def _lists_of_texts(table) -> bool:
    return all(type(v) is tuple and _texts(v) for v in table)


def _cites(table) -> bool:
    return all(type(v) is tuple and all(type(c) is Cite for c in v) for v in table)


def _strings_dtypes(strings) -> dict[str, str]:
    names = (*strings, "record")  # "record": each one's text in the file
    return {
        **{f"{s}.buffer": "|u1" for s in names},
        **{f"{s}.offsets": "<i8" for s in names},
    }


class _Kind:
    """What one kind's columns hold, as arrays (the type of each as `layout` writes it: any
    other is not ours; a float offset or a big-endian code would pass the checks on
    values and fail at use) and tables (what each holds)."""

    def __init__(self, store, strings, tables, numbers: dict[str, str]):
        self.store, self.strings, self.tables, self.numbers = store, strings, tables, numbers
        self.dtypes = {
            **_strings_dtypes(strings),
            **{f"codes.{attr}": "<i4" for attr in tables},
            **numbers,
        }


EVENTS = _Kind(
    EventStore,
    STRINGS,
    {
        "actor": _texts,
        "when": _texts,
        "type": _texts,
        "label": _texts,
        "with_": _lists_of_texts,
        "tags": _lists_of_texts,
        "cited": _lists_of_texts,
        "cites": _cites,
    },
    {
        "has_links": "|b1",
        "dates.lo": "<f8",
        "dates.hi": "<f8",
        **{f"dates.{k}": "|b1" for k in DATE_NUMBERS if k not in ("lo", "hi")},
    },
)
DEMANDS = _Kind(
    DemandStore,
    demandstore.STRINGS,
    {
        "from_": _texts,
        "to": _texts,
        "via": _lists_of_texts,
        "status": lambda table: all(v in STATUSES for v in table),
        "cited": _lists_of_texts,
        "raised": _texts,
        "resolved": lambda table: all(v is None or type(v) is str for v in table),
        "cites": _cites,
        "history": lambda table: all(
            type(v) is tuple and all(type(c) is StatusChange for c in v) for v in table
        ),
    },
    {f"numbers.{k}": "<f8" for k in demandstore.NUMBERS},
)
KINDS = {"events": EVENTS, "demands": DEMANDS}
assert set(EVENTS.tables) == set(CODED)


def _named(store: RecordStore) -> list[tuple[str, np.ndarray]]:
    c = store.columns
    strings = {**c.strings, "record": c.texts}
    named = [(f"{s}.{part}", getattr(strings[s], part)) for s in strings for part in PARTS]
    named += [(f"codes.{attr}", codes) for attr, codes in c.codes.items()]
    if isinstance(store, EventStore):
        return (
            named
            + [("has_links", c.has_links)]
            + [(f"dates.{k}", c.dates[k]) for k in DATE_NUMBERS]
        )
    return named + [(f"numbers.{k}", v) for k, v in c.numbers.items()]


def layout(
    stores: dict[str, RecordStore], file: bytes | None = None
) -> tuple[dict[str, dict], list[np.ndarray]]:
    """What the pickled rows say of each kind's columns (their tables, each array's name,
    type, length and offset, and where those that are views of the `file`'s bytes lie in
    it), and the arrays written, in order."""
    metas, arrays, at = {}, [], 0
    for kind, store in stores.items():
        places, in_file = [], {}
        for name, array in _named(store):
            start = _start_in(array, file)
            if start is not None:
                in_file[name] = (len(array), start)
                continue
            array = np.ascontiguousarray(array)
            places.append((name, array.dtype.str, len(array), at))
            arrays.append(array)
            at = _align(at + array.nbytes)
        metas[kind] = {"tables": dict(store.columns.tables), "arrays": places, "in_file": in_file}
    return metas, arrays


def _start_in(array: np.ndarray, file: bytes | None) -> int | None:
    """Where a byte array lies in the file's bytes, when it is a view of them."""
    if file is None or array.base is not file or array.dtype != np.uint8:
        return None
    return array.ctypes.data - np.frombuffer(file, np.uint8).ctypes.data


def body(payload: bytes, arrays: list[np.ndarray]) -> list:
    """The entry after its digest: the payload's size, the payload, then the arrays."""
    head = len(payload).to_bytes(8, "little") + payload
    parts, at = [head], len(head)
    for array in arrays:
        pad = _align(at) - at
        parts += [b"\0" * pad, memoryview(array).cast("B")]
        at += pad + array.nbytes
    return parts


def store_of(kind: str, meta: dict, entry, file: bytes) -> RecordStore:
    """The store of a kind whose columns `meta` places in `entry` (the body, memory-mapped)
    and in the `file`'s bytes (those the entry is keyed by)."""
    spec = KINDS[kind]
    area = _align(8 + int.from_bytes(entry[:8], "little"))
    arrays = {}
    for name, dtype, count, offset in meta["arrays"]:
        if spec.dtypes.get(name) != dtype or offset < 0 or offset % ALIGN or count < 0:
            raise ValueError(f"column {name} is not ours")
        arrays[name] = np.frombuffer(entry, np.dtype(dtype), count, area + offset)
    for name, (count, start) in meta["in_file"].items():
        if spec.dtypes.get(name) != "|u1" or name in arrays or start < 0 or count < 0:
            raise ValueError(f"column {name} is not ours")
        arrays[name] = np.frombuffer(file, np.uint8, count, start)  # past its end: ValueError
    if set(arrays) != set(spec.dtypes):
        raise ValueError("columns are missing")
    tables = {attr: tuple(meta["tables"][attr]) for attr in spec.tables}
    for attr, holds in spec.tables.items():
        if not holds(tables[attr]):
            raise ValueError(f"the {attr} table is not ours")
    n = len(arrays["record.offsets"]) - 1
    strings = {}
    for s in (*spec.strings, "record"):
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
    codes = {attr: arrays[f"codes.{attr}"] for attr in spec.tables}
    for attr, column in codes.items():
        if len(column) != n or (n and (column.min() < 0 or column.max() >= len(tables[attr]))):
            raise ValueError(f"the {attr} column is damaged")
    texts = strings.pop("record")
    if spec is DEMANDS:
        numbers = {k: arrays[f"numbers.{k}"] for k in demandstore.NUMBERS}
        if any(len(v) != n for v in numbers.values()):
            raise ValueError("the dates column is damaged")
        return DemandStore(DemandColumns(strings, texts, codes, tables, numbers), read_demand)
    dates = {k: arrays[f"dates.{k}"] for k in DATE_NUMBERS}
    if len(arrays["has_links"]) != n or any(len(v) != len(tables["when"]) for v in dates.values()):
        raise ValueError("the dates column is damaged")
    dates = {k: v if k in ("lo", "hi") else v.astype(bool, copy=False) for k, v in dates.items()}
    columns = EventColumns(
        strings=strings,
        texts=texts,
        codes=codes,
        tables=tables,
        has_links=arrays["has_links"].astype(bool, copy=False),
        dates=dates,
    )
    return EventStore(columns, read_event)
