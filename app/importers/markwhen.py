"""Markwhen (`.mw`) text, read as `@markwhen/parser` 1.2 reads it (FORMATS.md, section 2):
heading sections (and the older section/group … endGroup blocks) become nested lanes;
`DATE: title #tag !id` lines become events (the `!id` taken out of the title as the parser
takes it), with `key: value` property lines right below (`id`, which wins over a `!id`,
`timezone`, and what Demarche writes: `edtf`, `type`, `with`, `to`, `via`,
`status`, `offer`; `with` and `via` a YAML list of names, or names parted by commas as
earlier versions wrote them) and description lines after them; the header's sources and
the citations naming them are markwhenheader.py's. Which lines are entries, and where
their date part ends, is the parser's grammar (markwhengrammar.py); the dates are EDTF,
ISO weeks, slash dates (month first: the parser 1.2 reads no `dateFormat: d/M/y`), month
names, times with the entry's or the file's time zone, durations after the entry before
(`5 months`) or after another (`after !id 2 weeks`); a recurrence (`every 2 weeks for 6
times`) becomes one event per occurrence, as the parser expands it, each saying the rule
in its text (markwhendates.py).
Entries tagged #demand and #phase (as Demarche writes them) become demands and phases.

Every line is classified at a cost bounded by its length: a line of 100,000 spaces costs
its length, not its square (the grammar's patterns run within a window of the line)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import yaml

from app.exporters import csvtables
from app.importers.base import ProjectBuilder, key, when_of
from app.importers.markwhendates import Dates
from app.importers.markwhenheader import Header, link
from app.records.markwhengrammar import Found, entry
from app.records.model import Cite, Demand, Event, Phase, StatusChange
from app.records.when import WhenError

_TAG = re.compile(r"(?<![\w#])#([\w-]+)")
# An entry's id on its line (`2023-10-20: Talks !doha`), as the parser finds it: the first
# `!word` (or bare `.start`) after a non-word character, taken out with that character.
_LINE_ID = re.compile(r"(?:\W|^)(?:!(\w+)(?:\.(?:start|end))?|\.(?:start|end))", re.ASCII)
_PROPERTY = re.compile(r"[ \t]*([A-Za-z_][\w-]{0,40}):(?:[ \t]+(.*))?")
_LINK = re.compile(r"\[([^\]\n]{1,2000})\]\((https?://[^\s)]{1,2000})\)")
STATUSES = {"open", "accepted", "rejected", "withdrawn", "partial"}
PHASES = {"phases", "phases and others"}


def read(text: str, b: ProjectBuilder) -> None:
    _Reader(b).read(text.splitlines())


def _heading(line: str) -> tuple[int, str] | None:
    level = len(line) - len(line.lstrip("#"))
    if 1 <= level <= 6 and line[level : level + 1] in (" ", "\t"):
        return level, line[level:].strip()
    return None


def _old(line: str) -> tuple[str, str] | None:
    """('open', name) for `section X` / `group X`, ('close', '') for endSection/endGroup."""
    word, _, rest = line.strip().partition(" ")
    word = word.lower()
    if word in ("section", "group") and rest.strip():
        return "open", rest.strip()
    if word in ("endsection", "endgroup") and not rest.strip():
        return "close", ""
    return None


class _Reader:
    """Reads line by line; an event's properties and description follow its line, so
    each event is made when the next begins (or the file ends)."""

    def __init__(self, b: ProjectBuilder):
        self.b = b
        self.path: list[tuple[int, str, str]] = []  # (level, name, actor id or "") open
        self.zones: list[str] = []  # each open section's `timezone:`, "" for none
        self.heading = False  # right after a heading: its property lines
        self.pending: dict | None = None
        self.dates = Dates()
        self.names: dict[str, str] = {}  # lanes by name, for `with`, `to` and `via`
        self.later: list = []  # the records, made once every section is read
        self.built: dict[str, str] = {}  # an entry's `id:` -> the id of the event made of it
        self.answering: list[tuple[int, int, str]] = []  # (event index, line, responds_to)
        self.header = Header(b, self.dates)

    def read(self, lines: list[str]) -> None:
        first = self.header.read(lines, lambda line: entry(line) or _heading(line) or _old(line))
        for n, line in enumerate(lines[first:], start=first + 1):
            self.line(n, line)
        self.flush()
        for make in self.later:  # every lane is known now: `with: X` may name a later one
            make()
        self._link_answers()

    def _link_answers(self) -> None:
        """`responds_to: a, b`: the entries answered, by their `id:` (as Demarche writes
        them) or by title; one that names no event is reported and left out."""
        events = self.b.project.events
        titles: dict[str, str] = {}
        for e in events:
            titles.setdefault(e.title, e.id)
        for index, n, said in self.answering:
            found = []
            for word in filter(None, (w.strip() for w in re.split(r"[,;]", said))):
                target = self.built.get(word) or titles.get(word)
                if target is None:
                    self.b.approximated(n, f"responds_to: no event '{word}': left out")
                elif target != events[index].id and target not in found:
                    found.append(target)
            if found:
                events[index] = replace(events[index], responds_to=tuple(found))

    def line(self, n: int, line: str) -> None:
        heading = _heading(line) if line.startswith("#") else None
        old = _old(line) if heading is None else None
        if heading or (old and old[0] == "open"):
            self.flush()
            level = heading[0] if heading else (self.path[-1][0] + 1 if self.path else 1)
            name = _TAG.sub("", heading[1] if heading else old[1])
            name = name.replace("\u2060", "").strip() or "Section"
            while self.path and self.path[-1][0] >= level:
                self.path.pop()
            lazy = level == 1 and name.lower() in PHASES  # a lane only if an event needs it
            self.path.append((level, name, ""))
            self.zones[len(self.path) - 1 :] = [""]
            self.heading = True
            if not lazy:
                self._lane()
            return
        if old:
            self.flush()
            if self.path:
                self.path.pop()
            del self.zones[len(self.path) :]
            return
        found = entry(line)
        if found:
            self.heading = False
            self.flush()
            self.b.report.rows += 1
            self.start(n, found)
            return
        if self.pending is None:
            self._section_property(line)
            return
        prop = _PROPERTY.fullmatch(line) if not self.pending["text"] else None
        if prop:
            self.pending["properties"][prop[1].lower()] = _unquoted((prop[2] or "").strip())
        elif line.strip():
            # (The joiners the export puts in a line to keep it text: invisible anyway.)
            self.pending["text"].append(line.strip().replace("\u2060", ""))

    def _section_property(self, line: str) -> None:
        """A section's `timezone:` (the parser reads a heading's properties as its
        group's, and its events and the sections inside take that zone)."""
        prop = _PROPERTY.fullmatch(line) if self.heading and self.zones else None
        if prop is None:
            self.heading = self.heading and not line.strip()
            return
        if prop[1].lower() in ("timezone", "tz"):
            self.zones[-1] = (prop[2] or "").strip()

    def _lane(self) -> str:
        """The innermost open section's lane, made (with its parents) when needed."""
        parent = ""
        for i, (level, name, actor) in enumerate(self.path):
            if not actor:
                actor = self.b.actor(name, parent=parent)
                self.path[i] = (level, name, actor)
            parent = actor
        return parent or self.b.actor("Ungrouped")

    def start(self, n: int, found: Found) -> None:
        rest = found.rest
        # Tags go first, then the id, as the parser takes them; a word joiner (what the
        # export writes after a `!` that is text) keeps a `!word` out of the id's pattern.
        title, line_id = _TAG.sub("", rest), ""
        if "!" in title or "." in title:
            said = _LINE_ID.search(title)
            if said:
                line_id = said[1] or ""
                title = title[: said.start()] + title[said.end() :]
        self.pending = {
            "n": n,
            "found": found,
            "title": " ".join(title.replace("\u2060", "").split()) or found.date,
            "line_id": line_id,
            "tags": tuple(dict.fromkeys(_TAG.findall(rest))),
            "path": list(self.path),
            "zone": next((z for z in reversed(self.zones) if z), ""),
            "text": [],
            "properties": {},
        }

    def flush(self) -> None:
        e, self.pending = self.pending, None
        if e is None:
            return
        props, n = e["properties"], e["n"]
        if e["line_id"] and not props.get("id"):  # an `id:` property wins, as in the parser
            props["id"] = e["line_id"]
        try:
            dated = self.dates.when(e["found"], props, e["zone"])
        except WhenError as exc:
            self.b.skip(n, str(exc))
            self.dates.skipped(props.get("id", ""), n)
            return
        note, whens = dated.note, dated.whens
        if note:
            self.b.approximated(n, note)
        if "edtf" in props:  # what Demarche writes where Markwhen has no syntax
            try:
                whens = [when_of(props.pop("edtf").strip('"'))]
            except WhenError as exc:
                self.b.approximated(n, f"edtf: {exc}: the Markwhen date is kept")
        self.dates.ended(props.get("id", ""), dated)
        when = whens[0]
        tags = [t for t in e["tags"] if t not in ("demand", "phase")]
        text, cites = self._body(e["text"])
        if note:
            text = "\n".join(x for x in (text, note) if x)
        if "phase" in e["tags"]:
            self.b.add(
                "phases",
                Phase(
                    id=self.b.new_id(props.get("id") or e["title"], "phase"),
                    title=e["title"],
                    when=when,
                ),
            )
            return
        saved, self.path = self.path, e["path"]
        actor = self._lane()
        self.path = saved
        if "demand" in e["tags"] and props.get("to"):
            self.later.append(lambda: self._demand(e, props, when, actor, text, cites))
            return
        for w in whens:  # a recurrence: one event per occurrence
            self.later.append(lambda w=w: self._event(e, props, w, actor, text, cites, tags))

    def _event(self, e: dict, props: dict, when, actor: str, text: str, cites, tags) -> None:
        extra = [
            f"{k}: {v}"
            for k, v in props.items()
            if k not in ("id", "type", "with", "timezone", "tz", "responds_to") and v
        ]
        event_id = self.b.new_id(props.get("id") or e["title"], "event")
        if props.get("id"):
            self.built.setdefault(props["id"], event_id)
        if props.get("responds_to"):
            self.answering.append((len(self.b.project.events), e["n"], props["responds_to"]))
        self.b.event(
            Event(
                id=event_id,
                actor=actor,
                title=e["title"],
                when=when,
                with_=self._actors(props.get("with", ""), actor),
                type=props.get("type", ""),
                text="\n".join(x for x in (text, *extra) if x),
                cites=cites,
                tags=tuple(tags),
            )
        )

    def _demand(self, e: dict, props: dict, when, actor: str, text: str, cites) -> None:
        title = e["title"].removeprefix("Demand:").strip()
        status = props.get("status", "open").lower()
        status = status if status in STATUSES else "open"
        raised, resolved = when, None
        if when.is_range and when.start and when.end:
            raised = when_of(when.start.text())
            resolved = when_of(when.end.text()) if status != "open" else None
        self.b.add(
            "demands",
            Demand(
                id=self.b.new_id(props.get("id") or title, "demand"),
                from_=actor,
                to=self._named(props["to"]),
                text=text or title,
                raised=raised,
                status=status,
                via=self._actors(props.get("via", ""), ""),
                offer=props.get("offer", ""),
                resolved=resolved,
                history=self._history(e["n"], props.get("history", "")),
                cites=cites,
                label=title if text else "",
            ),
        )

    def _history(self, n: int, said: str) -> tuple[StatusChange, ...]:
        """A demand's `history:` as Demarche writes it (csvtables.history_inline)."""
        if not said:
            return ()
        try:
            changes = csvtables.history_of_inline(said)
            return tuple(
                StatusChange(when=when_of(h["when"]), status=h["status"], note=h["note"])
                for h in changes
                if h["status"] in STATUSES
            )
        except (ValueError, WhenError) as exc:
            self.b.approximated(n, f"history: {exc}: left out")
            return ()

    def _actors(self, names: str, own: str) -> tuple[str, ...]:
        found = (self._named(x) for x in _names(names) if x.strip())
        return tuple(dict.fromkeys(a for a in found if a != own))

    def _named(self, name: str) -> str:
        """The lane called `name` wherever it is nested (a new top-level lane if none)."""
        k = key(name)
        if k not in self.names or self.names[k] not in self.b.known("actors"):
            self.names = {}
            for a in self.b.project.actors:
                self.names.setdefault(key(a.name), a.id)
        return self.names.get(k) or self.b.actor(name.strip())

    def _body(self, lines: list[str]) -> tuple[str, tuple[Cite, ...]]:
        """The description, and the citations its link lines hold (as Demarche writes
        them: `[Title (Publisher), credibility 2 (…): "quote"](url)`)."""
        text, cites = [], []
        for line in lines:
            said = _LINK.fullmatch(line)
            cite = self.header.cited.line(*((said[1], said[2]) if said else (line, None)))
            if cite is None and said:
                cite = link(self.b, said[1], said[2])
            if cite is None:
                text.append(line)
            else:
                cites.append(cite)
        return "\n".join(text), tuple(cites)


def _names(said: str) -> list[str]:
    """Lanes named in `with:` or `via:`: a YAML list (`[Qatar, "Burns, CIA Director"]`, as
    Demarche writes them and Markwhen keeps them), else names parted by commas (as earlier
    versions wrote them)."""
    if said.startswith("[") and said.endswith("]"):
        try:
            read = yaml.safe_load(said)
        except yaml.YAMLError:
            read = None
        if isinstance(read, list):
            return [str(x) for x in read if x is not None and not isinstance(x, (list, dict))]
    return said.strip("[]").split(",")


def _unquoted(value: str) -> str:
    """A property's value as YAML reads a double-quoted one (Demarche quotes a value
    that holds a colon, a `#` or reads as a number), else as written; without the word
    joiner it writes after a `#`."""
    value = value.replace("#\u2060", "#")
    if len(value) > 1 and value[0] == value[-1] == '"':
        try:
            read = json.loads(value)
        except ValueError:
            return value.strip('"')
        return read if isinstance(read, str) else value
    return value
