"""What the data exports share: a citation in words, links limited to the web, text
without control characters."""

from __future__ import annotations

import re

from app.records.model import Cite, Project
from app.records.vocabulary import CREDIBILITY_NAMES


def cite_lines(project: Project, cites: tuple[Cite, ...]) -> list[tuple[str, str]]:
    """Each citation as (words, url): source title, publisher, credibility and quote."""
    sources = {s.id: s for s in project.sources}
    out = []
    for c in cites:
        s = sources.get(c.source)
        words = s.title if s else c.source
        if s and s.publisher:
            words += f" ({s.publisher})"
        if c.credibility is not None:
            meaning = CREDIBILITY_NAMES.get(c.credibility, "")
            words += f", credibility {c.credibility}" + (f" ({meaning})" if meaning else "")
        if c.quote:
            words += f': "{c.quote}"'
        out.append((words, s.url if s else ""))
    return out


# C0 controls but tab and line feed, DEL and C1: forbidden in iCalendar text, and they
# run in a terminal that shows a Markwhen file.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """Text without control characters (a carriage return read as a line break)."""
    return _CONTROLS.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def web_url(url: str) -> str:
    """`url` when it is an http(s) address on one line, else "" (never javascript: or
    data:, which a reader would run or open)."""
    url = url.strip()
    ok = url.lower().startswith(("https://", "http://")) and url.isprintable() and " " not in url
    return url if ok else ""
