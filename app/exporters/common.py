"""What the data exports share: what a record says, field by field, from the spec; a
citation in words, links limited to the web, text without control characters."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property, lru_cache, partial

from app.fileformat import spec
from app.records.model import Cite, Project
from app.records.vocabulary import CREDIBILITY_NAMES
from app.records.when import When

# What a field says: one line, the notes' lines, citations as (words, url), or lines.
Said = str | list
_REMEMBERED = 4096  # citations and dates said, kept for the records after (then forgotten)


def words(when: When) -> str:
    """A date in words, and as written when that says more ("about 20 November 2023
    (2023-11-20~)")."""
    said = when.describe()
    return said if said == when.text else f"{said} ({when.text})"


class Sayer:
    """What a record says to a reader, field by field from the record spec, so a field
    added to the spec is said too: each field with a value (but the id, what is only
    drawn, and `leave_out`: what a format has a slot of its own for), in the form's order,
    with the field. References by name, choices by their label, dates in words, the
    notes as written, citations as `cite_lines`, other nested records (a demand's
    history) as one line each."""

    def __init__(self, project: Project):
        self.project = project
        self._names: dict[str, dict[str, str]] = {}
        self._fields: dict[tuple, tuple] = {}  # (field, attr, how said) by kind and leave_out
        # By the field's id: a Field hashes all its attributes, in Python, at each look-up.
        self._choices: dict[int, dict[str, str]] = {}
        self._cited: dict[tuple, list] = {}  # cite_lines by the citations (they repeat)
        self._words: dict[When, str] = {}  # dates in words, by date

    def said(self, kind: str, record, leave_out=()) -> list[tuple[spec.Field, Said]]:
        plan = self._fields.get((kind, leave_out))
        if plan is None:
            plan = self._fields[kind, leave_out] = tuple(
                (f, f.attr, self._saying(f))
                for f in spec.BY_NAME[kind].form()
                if f.type != spec.ID and f.said and f.key not in leave_out
            )
        out = []
        for f, attr, say in plan:
            value = getattr(record, attr)
            if value is None or value == () or value == "":
                continue
            value = say(value)
            if value:
                out.append((f, value))
        return out

    def _saying(self, f: spec.Field) -> Callable[[object], Said]:
        """How a value of `f` (not empty) is said, chosen once a field: asked of the field
        at each value, it was a third of a Markwhen export's time."""
        if f.type == spec.CITES or f.type in spec.NESTED:
            return partial(self._value, f)
        if f.type == spec.REF:
            return partial(self.name, f.ref)
        if f.type == spec.WHEN:
            return self._date
        if f.type == spec.REFS or f.choices:
            return partial(self.text, f)
        return f.show

    def value(self, f: spec.Field, value) -> Said:
        if value is None or value == () or value == "":
            return ""
        return self._value(f, value)

    def _value(self, f: spec.Field, value) -> Said:
        """`value` of a value not empty."""
        if f.type == spec.CITES:
            lines = self._cited.get(value) if type(value) is tuple else None
            if lines is None:
                lines = cite_lines(self.project, value, self.sources)
                if type(value) is tuple:
                    if len(self._cited) >= _REMEMBERED:
                        self._cited.clear()
                    self._cited[value] = lines
            return [list(line) for line in lines]
        if f.type in spec.NESTED:
            return [self.line(spec.NESTED[f.type], v) for v in value]
        return self.text(f, value)

    def text(self, f: spec.Field, value) -> str:
        """One value in words (a field of a nested record, or a record's)."""
        if value is None:
            return ""
        if f.type == spec.REF:
            return self.name(f.ref, value)
        if f.type == spec.REFS:
            return ", ".join(self.name(f.ref, v) for v in value)
        if f.type == spec.WHEN:
            return self._date(value)
        if not f.choices:
            return f.show(value)
        labels = self._choices.get(id(f))
        if labels is None:
            labels = self._choices[id(f)] = {c[0]: c[1] for c in f.choices}
        return labels.get(str(value)) or f.show(value)

    def _date(self, value: When) -> str:
        said = self._words.get(value)
        if said is None:
            if len(self._words) >= _REMEMBERED:
                self._words.clear()
            said = self._words[value] = words(value)
        return said

    def line(self, kind: spec.Kind, record) -> str:
        """A nested record on one line: what it is named by, then the rest
        ("20 November 2023 (2023-11-20): accepted — as reported")."""
        parts = [
            (f, self.text(f, getattr(record, f.attr)))
            for f in kind.form()
            if f.said and f.type not in spec.NESTED
        ]
        parts = [(f, text) for f, text in parts if text]
        if parts and parts[0][0].key == kind.named_by and len(parts) > 1:
            return f"{parts[0][1]}: " + " — ".join(text for _, text in parts[1:])
        return " — ".join(text for _, text in parts)

    @cached_property
    def sources(self) -> dict:
        return {s.id: s for s in self.project.sources}

    def name(self, kind: str, id_: str) -> str:
        """A record of `kind` by what it is named after (an actor's name, an event's
        title), or its id when it has none or is not there."""
        if kind not in self._names:
            k = spec.BY_NAME[kind]
            attr = next((f.attr for f in k.fields if f.key == k.named_by), "id")
            self._names[kind] = {
                r.id: str(getattr(r, attr) or r.id) for r in getattr(self.project, kind, ())
            }
        return self._names[kind].get(id_, id_)


def cite_lines(
    project: Project, cites: tuple[Cite, ...], sources: dict | None = None
) -> list[tuple[str, str]]:
    """Each citation as (words, url): source title, publisher, credibility and quote
    (`sources` by id, when the caller has them)."""
    sources = {s.id: s for s in project.sources} if sources is None else sources
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
    text = str(text)
    if text.isprintable():  # most text: no control character, no line break (at C speed)
        return text
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@lru_cache(maxsize=4096)  # the sources' few addresses, cited event after event
def web_url(url: str) -> str:
    """`url` when it is an http(s) address on one line, else "" (never javascript: or
    data:, which a reader would run or open)."""
    url = url.strip()
    ok = url.lower().startswith(("https://", "http://")) and url.isprintable() and " " not in url
    return url if ok else ""
