"""Events read by the canonical reader, kept as columns with each one's text
(app/records/eventstore.py): the records are let go once read, and made again from their
text when something asks for one."""

from __future__ import annotations

import re

import numpy as np

from app.fileformat.canonical import read_record
from app.records.eventstore import EventColumns, EventStore, Strings
from app.records.model import Event

_SECTION_END = re.compile(r"\n(?! )")  # the first line that is not inside a record


def event_store(events: list[Event], text: str, starts: list[int]) -> EventStore:
    """The store of `events`, read from `text` where they begin at `starts`."""
    begin = np.array(starts, dtype=np.int64)
    end = np.empty_like(begin)
    end[:-1] = begin[1:]
    last = _SECTION_END.search(text, int(begin[-1]))
    end[-1] = last.start() + 1 if last else len(text)
    return EventStore(EventColumns.of(events, Strings.slices(text, begin, end)), read_event)


def read_event(text: str) -> Event:
    """One event from its text, as the canonical reader reads it."""
    event = read_record("events", text)
    if event is None:  # cannot be: the text was read by this pattern
        raise ValueError(f"not an event's text: {text[:80]!r}")
    return event
