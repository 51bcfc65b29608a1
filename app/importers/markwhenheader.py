"""The header of a Markwhen file (title, description, time zone), its sources and its
citations. Demarche writes the project's sources in the header (`sources:`, a YAML list
of records under the spec's keys, which the parser keeps as header data) and each
citation as a line of the entry's description:
`[Title (Publisher), credibility 2 (…): "quote"](url)`, a link when the source is on the
web. With the header's sources a line is matched to a source by those very words, so
parentheses inside a title or a publisher do not move where one ends; a link from a file
without them is read as it says, its publisher the balanced parentheses at its end."""

from __future__ import annotations

import re

import yaml

from app.exporters.common import cite_lines, web_url
from app.fileformat import spec
from app.importers.base import ProjectBuilder, key
from app.importers.markwhendates import Dates, zone_of
from app.records.model import Cite, Project, Source
from app.records.when import WhenError

# What follows a source's words in a citation (common.cite_lines).
_REST = re.compile(r'(?:, credibility ([1-6])(?: \([^()]*\))?)?(?:: "(.*)")?', re.DOTALL)
_CREDIBILITY = re.compile(r", credibility ([1-6])(?: \([^()]*\))?")


class Header:
    """The header: title, description, timezone and dateFormat, and the sources."""

    def __init__(self, b: ProjectBuilder, dates: Dates):
        self.b, self.dates = b, dates
        self.said: set[str] = set()  # the title and description, once set
        self.cited = Cited(b)

    def read(self, lines: list[str], starts) -> int:
        """The header: title, description, timezone and dateFormat. As the parser reads
        it: the YAML between --- lines, or without them every line before the first
        entry or heading; the number of the line after it."""
        fenced = None  # the line after the opening ---
        for n, line in enumerate(lines):
            if fenced is None and starts(line):
                return n  # (a group or section opened before any entry too)
            if line.startswith("---"):
                if fenced is not None:
                    self._yaml(lines[fenced:n])
                    return n + 1
                fenced = n + 1
            else:
                self._line(n, line)
        return 0 if fenced is not None else len(lines)  # an unclosed fence: the file has no header

    def _yaml(self, lines: list[str]) -> None:
        """The title and description as YAML reads them (as the parser does): a long
        description is wrapped over lines, which a line at a time would cut at the first."""
        try:
            header = yaml.safe_load("\n".join(lines))
        except yaml.YAMLError:
            return  # (what the lines said is kept)
        if not isinstance(header, dict):
            return
        self.cited.header(1, header.get("sources"))
        for k, v in header.items():
            # Only what this file set (one imported into a project keeps its own).
            if str(k).lower() in self.said and isinstance(v, str):
                setattr(self.b.project, str(k).lower(), v.strip())

    def _line(self, n: int, line: str) -> None:
        b = self.b
        k, _, v = line.partition(":")
        k, v = k.strip().lower(), v.strip().strip('"')
        if k == "title" and not b.project.title:
            b.project.title = v
            self.said.add(k)
        elif k == "description" and not b.project.description:
            b.project.description = v
            self.said.add(k)
        elif k in ("timezone", "tz"):
            self.dates.zone = zone_of(v)
            if self.dates.zone is None and v:
                b.approximated(n + 1, f"time zone '{v}' is not known: dates read without it")
        elif k == "dateformat" and v:
            b.approximated(
                n + 1,
                f"dateFormat '{v}': Markwhen's parser 1.2 does not read it (its rules are "
                "patterns): slash dates are read month first, as the parser reads them",
            )


class Cited:
    """The header's sources, made in the project, and the citation lines that name them."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self.words: list[tuple[str, str, str]] = []  # (words, web address, source id)

    def header(self, n: int, said: object) -> None:
        """The header's `sources:` list (n: the header's line, for the report)."""
        if not isinstance(said, list):
            return
        fields = spec.BY_NAME["sources"].fields
        for record in said:
            if not isinstance(record, dict):
                continue
            values = {}
            for f in fields:
                text = record.get(f.key)
                # (Never a list or a mapping: YAML's aliases can make one of any size.)
                if not isinstance(text, (str, int, float)) or f.type == spec.ID:
                    continue
                try:
                    values[f.attr] = f.parse(str(text))
                except (ValueError, WhenError) as exc:
                    self.b.approximated(n, f"source {record.get('id', '')}: {f.key}: {exc}")
            if not values.get("title"):
                continue
            source = Source(id="", **values)
            k = key(source.url or source.title)
            source_id = self.b.sources.get(k)
            if source_id is None:  # (a project imported into may have it already)
                said_id = record.get("id")
                said_id = said_id if isinstance(said_id, str) else ""
                source_id = self.b.keep_id(said_id, "source")
                self.b.add("sources", Source(**{**values, "id": source_id}))
                self.b.sources[k] = source_id
            ((words, _),) = cite_lines(Project(title="", sources=[source]), (Cite(source=""),))
            self.words.append((words, web_url(source.url), source_id))
        self.words.sort(key=lambda w: -len(w[0]))  # the longest words first

    def line(self, words: str, url: str | None) -> Cite | None:
        """The citation a description line (url None) or a link is, when it names a source
        of the header."""
        for said, web, source_id in self.words:
            if words.startswith(said) and (url or "") == web:
                rest = _REST.fullmatch(words, len(said))
                if rest:
                    credibility = int(rest[1]) if rest[1] else None
                    return Cite(source=source_id, credibility=credibility, quote=rest[2] or "")
        return None


def link(b: ProjectBuilder, words: str, url: str) -> Cite:
    """A link's citation, as it says: `Title (Publisher), credibility N (…): "quote"`."""
    quote = ""
    if words.endswith('"') and ': "' in words:
        words, _, quote = words[:-1].partition(': "')
    credibility = None
    found = _CREDIBILITY.search(words)
    if found:
        credibility, words = int(found[1]), words[: found.start()]
    title, publisher = words, ""
    start = _opening(words)
    if start > 0:
        title, publisher = words[:start].rstrip(), words[start + 1 : -1]
    known = b.sources.get(key(url)) or b.sources.get(key(title))
    return Cite(
        source=known or b.source(title.strip() or url, url, publisher.strip()),
        credibility=credibility,
        quote=quote,
    )


def _opening(words: str) -> int:
    """Where the parentheses that end `words` open ("NPR (as carried by KUNC)" inside
    them too), or -1."""
    if not words.endswith(")"):
        return -1
    depth = 0
    for i in range(len(words) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(words[i], 0)
        if depth == 0:
            return i if words[i - 1 : i] == " " else -1
    return -1
