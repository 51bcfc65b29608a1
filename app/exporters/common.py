"""What the data exports share: a citation in words."""

from __future__ import annotations

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
