"""A project's demands as columns (app/records/recordstore.py): what the chart, the filter
and the counts read of every demand (its parties, mediators, status and dates) without
making a record; the record is read from its text when something asks for it (the
inspector, an edit, an export, a drawn label). A project of a million events may carry
200,000 demands: as records they cost most of a warm open.

    store = DemandStore(columns, read_record)   # made by the file reader, or from its cache
    store.coded("from_")                        # every demander, as codes into a table
    store.numbers("raised_lo")                  # when each was raised (NaN: not known)
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from app.records.model import Demand
from app.records.recordstore import RecordStore, Strings, codes_by_identity, codes_of

STRINGS = ("id", "text", "label", "offer")
# "cited": the sources it cites, each once; the dates are coded by their text.
CODED = ("from_", "to", "via", "status", "cited", "raised", "resolved", "cites", "history")
DATES = ("raised", "resolved")
# Each demand's dates as numbers: when it was raised and resolved, earliest and latest
# instant (NaN where a date is open, or not resolved).
NUMBERS = ("raised_lo", "raised_hi", "resolved_lo", "resolved_hi")


def coded_value(demand: Demand, attr: str):
    """A demand's value in a coded column."""
    if attr == "cited":
        return tuple(dict.fromkeys(c.source for c in demand.cites))
    if attr in DATES:
        date = getattr(demand, attr)
        return None if date is None else date.text
    return getattr(demand, attr)


def number(demand: Demand, attr: str) -> float:
    """A demand's value in a column of NUMBERS."""
    date = demand.raised if attr.startswith("raised") else demand.resolved
    value = None if date is None else (date.lo if attr.endswith("_lo") else date.hi)
    return np.nan if value is None else value


@dataclass(frozen=True, slots=True)
class DemandColumns:
    """The demands as read from a file; never changed afterwards."""

    strings: dict[str, Strings]  # by field in STRINGS
    texts: Strings  # each demand's record as written in the file
    codes: dict[str, np.ndarray]  # by field in CODED: int32 codes into `tables`
    tables: dict[str, tuple]
    numbers: dict[str, np.ndarray]  # by field in NUMBERS: float64

    def __len__(self) -> int:
        return len(self.texts)

    @classmethod
    def of(cls, demands: list[Demand], texts: Strings) -> DemandColumns:
        """The columns of records just read, whose texts are `texts`."""
        coded = {attr: codes_of([coded_value(d, attr) for d in demands]) for attr in CODED[:-2]}
        # Citations and histories by identity first: the reader shares equal blocks, and a
        # record's own hash is slow Python.
        coded.update(
            (attr, codes_by_identity(list(map(attrgetter(attr), demands)))) for attr in CODED[-2:]
        )
        n = len(demands)
        return cls(
            strings={attr: Strings.of(map(attrgetter(attr), demands)) for attr in STRINGS},
            texts=texts,
            codes={attr: codes for attr, (codes, _) in coded.items()},
            tables={attr: table for attr, (_, table) in coded.items()},
            numbers={
                attr: np.fromiter((number(d, attr) for d in demands), np.float64, n)
                for attr in NUMBERS
            },
        )


class DemandStore(RecordStore):
    """The demands of a project: columns read from a file, and the records edits made."""

    STRINGS, CODED, NUMBERS = STRINGS, CODED, NUMBERS

    key = staticmethod(coded_value)

    def coded(self, attr: str) -> tuple[np.ndarray, list]:
        """A coded field (CODED) of every demand in order, as (codes, their values). Dates
        come as When (or None), each distinct one read once."""
        codes, table = self.keyed(attr)
        return codes, self.read_dates(table) if attr in DATES else table

    def number(self, record: Demand, attr: str) -> float:
        return number(record, attr)
