"""Where a field of a record read by the canonical reader stands in its text, as line and
column, for the messages and warnings about it."""

from __future__ import annotations

import bisect
import re


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def locate(
    text: str, starts: dict[str, list[int]], path: tuple, lines: list[int]
) -> tuple[int, int] | None:
    """The (line, column) of a field of a record read by `read_fast`, from its path such as
    ("events", 3, "type"): the line of its key in the record, or of the record. `lines`
    is `line_starts(text)`."""
    if len(path) < 2 or path[0] not in starts or not isinstance(path[1], int):
        return None
    begin = starts[path[0]][path[1]]
    at = begin + len("  - ")
    if len(path) > 2 and isinstance(path[2], str):
        key = text.find(f"\n    {path[2]}:", begin, _record_end(text, begin))
        if key >= 0:
            at = key + len(f"\n    {path[2]}: ")
    line = bisect.bisect_right(lines, at) - 1
    return line + 1, at - lines[line] + 1


def _record_end(text: str, begin: int) -> int:
    end = text.find("\n  - ", begin + 1)
    return len(text) if end < 0 else end
