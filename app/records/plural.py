"""A count as people read it: `1 event`, `2 events`, `1,200 rows`.

Every count the status bar, a dialog, an undo step, an import report or the command line
shows goes through `counted`, so none says "1 actors". A verb that follows the count is
part of the words: `counted(n, "event has", "events have")`.
"""

from __future__ import annotations


def counted(n: int, one: str, many: str | None = None) -> str:
    """`n` and the words for it: `one` when there is one, else `many` (by default `one`
    with an s). Thousands are grouped, as everywhere a count is shown."""
    return f"{n:,} {one if n == 1 else (many if many is not None else one + 's')}"
