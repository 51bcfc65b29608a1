"""Events and demands read by the canonical reader, kept as columns with each one's text
(app/records/eventstore.py, app/records/demandstore.py): the records are let go once
read, and made again from their text when something asks for one."""

from __future__ import annotations

import re

import numpy as np

from app.fileformat.canonical import read_record
from app.records.demandstore import DemandColumns, DemandStore
from app.records.eventstore import EventColumns, EventStore
from app.records.model import Demand, Event
from app.records.recordstore import Strings

_SECTION_END = re.compile(r"\n(?! )")  # the first line that is not inside a record


def record_texts(text: str, starts: list[int], raw: bytes | None) -> Strings:
    """Each record's text, where the records of one section begin at `starts`: views of
    `raw` when it holds the text's bytes one for one (ASCII), else copied."""
    begin = np.array(starts, dtype=np.int64)
    end = np.empty_like(begin)
    end[:-1] = begin[1:]
    last = _SECTION_END.search(text, int(begin[-1]))
    end[-1] = last.start() + 1 if last else len(text)
    if raw is None or len(raw) != len(text):
        return Strings.slices(text, begin, end)
    first, size = int(begin[0]), int(end[-1] - begin[0])
    buffer = np.frombuffer(raw, dtype=np.uint8, count=size, offset=first)
    return Strings(buffer, np.append(begin, end[-1]) - first)


def event_store(
    events: list[Event], text: str, starts: list[int], raw: bytes | None = None
) -> EventStore:
    """The store of `events`, read from `text` (whose bytes may be `raw`) where they begin
    at `starts`."""
    return EventStore(EventColumns.of(events, record_texts(text, starts, raw)), read_event)


def demand_store(
    demands: list[Demand], text: str, starts: list[int], raw: bytes | None = None
) -> DemandStore:
    """The store of `demands`, as `event_store` makes the events'."""
    return DemandStore(DemandColumns.of(demands, record_texts(text, starts, raw)), read_demand)


def read_event(text: str) -> Event:
    """One event from its text, as the canonical reader reads it."""
    return _read_one("events", text)


def read_demand(text: str) -> Demand:
    return _read_one("demands", text)


def _read_one(kind: str, text: str):
    record = read_record(kind, text)
    if record is None:  # cannot be: the text was read by this pattern
        raise ValueError(f"not a record of {kind}: {text[:80]!r}")
    return record
