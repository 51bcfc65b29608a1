"""Markwhen (`.mw`) text: heading sections (and the older section/group … endGroup form)
become nested lanes; event lines `DATE: title #tag` become events, with `key: value`
property lines and description lines below (FORMATS.md, section 2)."""

from __future__ import annotations

import re

from app.importers.base import ProjectBuilder, when_of
from app.records.model import Event
from app.records.when import WhenError

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
_OLD_OPEN = re.compile(r"^(section|group)\s+(.+?)\s*$", re.I)
_OLD_CLOSE = re.compile(r"^end(section|group)\s*$", re.I)
_EVENT = re.compile(r"^\s*([^:#\n][^:\n]*?(?:T\d\d:\d\d(?::\d\d)?[^:\s]*)?)\s*:\s+(.*)$")
_PROPERTY = re.compile(r"^\s+([A-Za-z_][\w-]*):\s*(.*)$")
_TAG = re.compile(r"(?<![\w#])#([\w-]+)")


def read(text: str, b: ProjectBuilder) -> None:
    _Reader(b).read(text.splitlines())


class _Reader:
    """Reads line by line; an event's description and properties follow its line, so
    each event is made when the next begins (or the file ends)."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self.path: list[tuple[int, str]] = []  # (level, actor id) of the open sections
        self.pending: dict | None = None

    def read(self, lines: list[str]) -> None:
        first = _header(lines, self.b)
        for n, line in enumerate(lines[first:], start=first + 1):
            self.line(n, line)
        self.flush()

    def line(self, n: int, line: str) -> None:
        heading, old_open = _HEADING.match(line), _OLD_OPEN.match(line)
        if heading or old_open:
            self.flush()
            level = len(heading[1]) if heading else (self.path[-1][0] + 1 if self.path else 1)
            name = _TAG.sub("", heading[2] if heading else old_open[2]).strip() or "Section"
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            parent = self.path[-1][1] if self.path else ""
            self.path.append((level, self.b.actor(name, parent=parent)))
            return
        if _OLD_CLOSE.match(line):
            self.flush()
            if self.path:
                self.path.pop()
            return
        event = _EVENT.match(line) if not line.startswith((" ", "\t")) else None
        if event and _is_date(event[1]):
            self.flush()
            self.b.report.rows += 1
            self.start(n, event[1].strip(), event[2])
            return
        prop = _PROPERTY.match(line)
        if self.pending is not None and prop:
            self.pending["properties"][prop[1].lower()] = prop[2].strip()
        elif self.pending is not None and line.strip():
            self.pending["text"].append(line.strip())

    def start(self, n: int, date: str, rest: str) -> None:
        try:
            when = _when(date)
        except WhenError as exc:
            self.b.skip(n, str(exc))
            return
        self.pending = {
            "when": when,
            "title": " ".join(_TAG.sub("", rest).split()) or date,
            "tags": tuple(dict.fromkeys(_TAG.findall(rest))),
            "actor": self.path[-1][1] if self.path else self.b.actor("Ungrouped"),
            "text": [],
            "properties": {},
        }

    def flush(self) -> None:
        e, self.pending = self.pending, None
        if e is None:
            return
        props, when = e["properties"], e["when"]
        if "edtf" in props:  # what Demarche writes where Markwhen has no syntax
            try:
                when = when_of(props.pop("edtf").strip('"'))
            except WhenError:
                pass
        extra = [f"{k}: {v}" for k, v in props.items() if k != "id"]
        self.b.event(
            Event(
                id=self.b.new_id(props.get("id") or e["title"], "event"),
                actor=e["actor"],
                title=e["title"],
                when=when,
                text="\n".join([*e["text"], *extra]),
                tags=e["tags"],
            )
        )


def _header(lines: list[str], b: ProjectBuilder) -> int:
    """The YAML header between --- lines, if any: the title and description."""
    if not lines or lines[0].strip() != "---":
        return 0
    for n, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return n + 1
        k, _, v = line.partition(":")
        if k.strip() == "title" and not b.project.title:
            b.project.title = v.strip().strip('"')
        elif k.strip() == "description" and not b.project.description:
            b.project.description = v.strip().strip('"')
    return 0


def _is_date(text: str) -> bool:
    return bool(re.match(r"^\s*(\d{1,4}|[A-Za-z]{3,9}\s+\d|\d{1,2}/\d{1,2}/\d{2,4}|now)", text))


def _when(text: str):
    """EDTF as written (2023, 2023-11, 2023-11-22, A/B); casual dates to their day."""
    text = text.replace(" - ", "/").replace("/now", "/..")
    return when_of(text)
