"""Markwhen (`.mw`): lanes as nested heading sections, events as date lines.

Markwhen reads EDTF level 0 only, and its parser (1.2) drops a line dated with a qualifier or a
numeric offset without a word. So each date is written as Markwhen keeps it (the bare date, a
local time to the minute, a time in UTC; a range with a time in UTC at either end as `A - B`,
see `_date`) and, when that loses anything, the exact date stays in an `edtf:` property.
Demands are events in the demander's section; phases are events tagged `#phase` in a section
of their own. What else a record says is a property under its key in the record spec
(`with`, `type`; a demand's `to`, `via`, `status`...), its notes the description, its
sources links: all from the spec (`common.Sayer`), so a field added there is carried too.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache

import yaml

from app.exporters import csvtables
from app.exporters.common import Sayer, plain_text, web_url
from app.fileformat import spec
from app.records.markwhengrammar import NEVER, WINDOW, entry, indent_of
from app.records.model import Actor, Demand, Project
from app.records.when import Point, When, WhenError, utc

MAX_HEADING = 6
# What an entry has a place of its own for (its date, title, tags, lane; a demand's title
# is its few words, else its text); the other fields are properties.
EVENT_SLOTS = ("title", "when", "actor", "tags")
DEMAND_SLOTS = ("text", "raised", "resolved", "from")
_TAG = re.compile(r"(?<!\S)#(?=\w)")
# "!now" is an id on an entry's line, "![a](b)" a picture: Markwhen leaves both out.
_ID = re.compile(r"(?<![A-Za-z0-9_])!(?=[A-Za-z0-9_])|!(?=\[)")
# In a property or a heading Markwhen reads more as a tag (and rewrites it, quoted or not):
# a "#" before a letter, a digit or "_" with none of those (ASCII) before it: "(#a)", ".#b".
_PROPERTY_TAG = re.compile(r"(?<![A-Za-z0-9_])#(?=[A-Za-z0-9_])")
# A property's value YAML reads as these very words (else it is checked, and quoted).
_PLAIN = re.compile(r"[^\W\d_][\w .,'()/&+-]*")
_YAML_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null"}
# What YAML 1.2 (Markwhen's) reads as a number where PyYAML's 1.1 reads a string: 1e3, 0o17.
_NUMBER = re.compile(
    r"[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?|0o[0-7]+|0x[\da-fA-F]+|[-+]?\.(inf|Inf|INF)"
    r"|\.(nan|NaN|NAN)"
)
_EDTF = re.compile(r"[\dX][\dXT:+\-Z.]*[~?%/][\dXT:+\-Z.~?%/]*")  # never a number or a date
# Lines Markwhen would read as a heading, a keyword or a property (or, with `entry`, as a
# new entry: a date, a month's name, `now`, `after`, `!id`, even `: x`), indented too.
_NOT_TEXT = re.compile(
    r"^\s*([\d(#!]|section|group|end|now\b|after\b|before\b|[\w-]+\s*:"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)",
    re.IGNORECASE,
)


def dumps(project: Project) -> str:
    header = {
        k: v for k, v in (("title", project.title), ("description", project.description)) if v
    }
    header = {k: plain_text(v) for k, v in header.items()}
    if project.sources:  # header data to Markwhen; to an import, what the citations name
        header["sources"] = [_source(s) for s in project.sources]
    dumped = yaml.safe_dump(header, allow_unicode=True, sort_keys=False).strip()
    out = ["---", dumped, "---", ""] if header else []
    children: dict[str, list[Actor]] = {}
    known = project.actor_ids()
    for a in project.actors:
        children.setdefault(a.parent if a.parent in known else "", []).append(a)
    events: dict[str, list[list[str]]] = {}
    sayer = Sayer(project)
    for e in project.events:
        props, notes, cites = _said(sayer, sayer.said("events", e, EVENT_SLOTS), e)
        events.setdefault(e.actor, []).append(
            _entry(e.when, e.title, e.tags, {"id": e.id, **props}, notes, cites)
        )
    for d in project.demands:
        props, notes, cites = _said(sayer, sayer.said("demands", d, DEMAND_SLOTS), d)
        title = f"Demand: {d.label or d.text}"
        text = "\n".join(x for x in (d.text if d.label else "", notes) if x)
        events.setdefault(d.from_, []).append(
            _entry(_demand_span(d), title, ("demand",), {"id": d.id, **props}, text, cites)
        )

    def section(actor: Actor, depth: int) -> None:
        heading = _PROPERTY_TAG.sub("#\u2060", _one_line(actor.name or actor.id))
        out.append(f"{'#' * min(depth, MAX_HEADING)} {heading}")
        out.append("")
        for entry in events.pop(actor.id, []):
            out.extend(entry)
        for child in children.get(actor.id, []):
            section(child, depth + 1)

    for actor in children.get("", []):
        section(actor, 1)
    stray = [entry for entries in events.values() for entry in entries]  # unknown actors
    dated = [p for p in project.phases if p.dated]
    if dated or stray:
        out.append("# Phases and others" if stray else "# Phases")
        out.append("")
        for p in dated:
            out.extend(_entry(p.when, p.title, ("phase",), {"id": p.id}, "", []))
        for entry in stray:
            out.extend(entry)
    return "\n".join(out).rstrip() + "\n"


def _source(source) -> dict[str, str]:
    """A source under the spec's keys, each value as one line (as a table cell says it);
    its address only if on the web, as a link would be."""
    source = replace(source, url=web_url(source.url))
    return {
        f.key: _one_line(f.show(getattr(source, f.attr)))
        for f in spec.BY_NAME["sources"].fields
        if f.show(getattr(source, f.attr))
    }


# Records every entry names by its `id:` property: a reference to one is written as ids,
# which an import reads back (an actor is a section, named by its heading).
BY_ID = ("events", "demands", "phases")


def _said(sayer: Sayer, said: list, record) -> tuple[dict, str, list]:
    """A record's fields from the spec as Markwhen carries them: each as a property under
    its key (a list on one line, its items parted by `;`; lanes as a YAML list of names),
    the notes as the description, the citations as links."""
    props, notes, cites = {}, [], []
    for f, value in said:
        role = _ROLES.get(id(f)) or _role(f)
        if role is _CITES:
            cites = value
        elif role is _NOTES:
            notes.append(value)
        elif role is _HISTORY:  # in the form an import reads back
            props[f.key] = csvtables.history_inline(getattr(record, f.attr))
        elif role is _IDS:
            ids = getattr(record, f.attr)
            props[f.key] = ", ".join(ids) if f.type == spec.REFS else ids
        elif role is _LANES:  # a YAML list: a name may hold a comma ("Burns, CIA Director")
            props[f.key] = _ListOf(sayer.name("actors", a) for a in getattr(record, f.attr))
        else:
            props[f.key] = "; ".join(value) if isinstance(value, list) else value
    return props, "\n".join(notes), cites


_CITES, _NOTES, _HISTORY, _IDS, _WORDS = "cites", "notes", "history", "ids", "words"
_LANES = "lanes"
_ROLES: dict[int, str] = {}  # by the field's id (a Field hashes all it holds, in Python)


def _role(f: spec.Field) -> str:
    """What `_said` makes of a field, worked out once a field."""
    if f.type == spec.CITES:
        role = _CITES
    elif f.edited_by == spec.NOTES:
        role = _NOTES
    elif f.type == spec.HISTORY:
        role = _HISTORY
    elif f.type in (spec.REF, spec.REFS) and f.ref in BY_ID:
        role = _IDS
    elif f.type == spec.REFS and f.ref == "actors":
        role = _LANES
    else:
        role = _WORDS
    _ROLES[id(f)] = role
    return role


def _entry(when: When, title: str, tags, props: dict, text: str, cites: list) -> list[str]:
    date, exact = _date(when)
    tag_words = " ".join(f"#{_tag(t)}" for t in tags if _tag(t))
    lines = [f"{date}: {_title(title)} {tag_words}".rstrip()]
    if not exact:
        props = {**props, "edtf": when.text}
    lines += [_property(k, v) for k, v in props.items() if v]
    lines += [_as_text(line) for line in plain_text(text).splitlines() if line.strip()]
    cited = (_cite_line(words, url) for words, url in cites)
    lines += [line for line in cited if line]
    return lines + [""]


@lru_cache(maxsize=4096)  # a source is cited by many records, in few ways
def _cite_line(words: str, url: str) -> str:
    """A citation as a description line: a link where the source is on the web."""
    link = web_url(url)
    return _as_text(f"[{_one_line(words)}]({link})" if link else _one_line(words))


def _as_text(line: str) -> str:
    """A description line as Markwhen keeps it text. One it would read as something of its
    own gets invisible joiners until its grammar reads none: before the line; inside its
    first word (`.end every day: x`: a joiner before it is no word character, and reads as
    the `\\W` before `.end`); before its colon. A colon past what the grammar looks at
    (markwhengrammar.WINDOW, where the parser has no limit) takes all three."""
    n = indent_of(line)
    far = ":" in line and line.index(":") > n + WINDOW and line[n : n + 1] not in NEVER
    if _NOT_TEXT.match(line) is None and entry(line) is None and not far:
        return line
    line = f"\u2060{line}"
    if far or entry(line) is not None:
        line = f"{line[: n + 2]}\u2060{line[n + 2 :]}"
    if far or entry(line) is not None:
        line = line.replace(":", "\u2060:", 1)
    return line


def _demand_span(d: Demand) -> When:
    """From raised to resolved; raised alone while open (or if resolved reads earlier)."""
    try:
        return When.interval(d.raised.start, d.resolved.end) if d.resolved else d.raised
    except WhenError:
        return d.raised


def _date(when: When) -> tuple[str, bool]:
    """The date as Markwhen reads it, and whether that is the exact date.

    Markwhen's parser (1.2) reads a range as `A/B` of EDTF dates and local times
    (`2023-11-24 07:05`), or as `A - B` of UTC instants with seconds; it drops `A/B` with an
    instant in it and reads a local time before `/instant` as its hour alone. So a range with
    a zone at either end is written as two instants: each end's first instant, or the
    instant just after a date that ends it."""
    start, end = when.start, when.end
    if not (when.is_range and start and end):  # an open end has no form but `now`
        text, exact = _point(start or end)
        return text, exact and not when.is_range
    if _zoned(start) or _zoned(end):
        b = end.lo if end.hour is not None else end.hi
        exact = _exact_instant(start) and _exact_instant(end)
        return f"{_instant(start.lo)} - {_instant(b)}", exact
    a, b = _point(start), _point(end)
    return f"{a[0]}/{b[0]}", a[1] and b[1]


def _zoned(p: Point) -> bool:
    return p.zulu or p.offset_min is not None


def _exact_instant(p: Point) -> bool:
    """Whether Markwhen's instant reads back as this very point (a UTC time to the second)."""
    return p.zulu and p.second is not None and not (p.approximate or p.uncertain)


def _instant(seconds: float) -> str:
    return utc(seconds).replace(tzinfo=None).isoformat() + "Z"


@lru_cache(maxsize=65536)  # dates repeat from event to event
def _point(p: Point) -> tuple[str, bool]:
    plain = Point(p.year, p.month, p.day)
    exact = not (p.approximate or p.uncertain)
    if p.hour is None:
        return plain.text(), exact
    if not _zoned(p):  # floating: Markwhen reads it as the reader's time, to the minute
        return f"{plain.text()} {p.hour:02d}:{p.minute:02d}", exact and p.second is None
    return _instant(p.lo), _exact_instant(p)


_NOT_WORD = re.compile(r"\W+")


@lru_cache(maxsize=4096)  # the same few tags, record after record
def _tag(word: str) -> str:
    return _NOT_WORD.sub("_", word).strip("_")


def _title(text: str) -> str:
    """One line, with a word joiner after each `#` Markwhen would take for a tag, and
    after each `!` it would take for an entry's id or a picture ("Talks !now" read as
    "Talks")."""
    text = _one_line(text)
    if "#" in text:  # (a search at C speed: most titles have neither)
        text = _TAG.sub("#\u2060", text)
    return _ID.sub("!\u2060", text) if "!" in text else text


class _ListOf(tuple):
    """Names written as a YAML flow list, `[Qatar, "William Burns, CIA Director"]`: Markwhen
    keeps it as a list of the whole names, and the import reads it back so."""


# An item YAML reads as these very words inside `[...]`: no comma, bracket, colon or `#`.
_LIST_ITEM = re.compile(r"[^\W\d_][\w .'()/&+-]*")


def _list(key: str, names: _ListOf) -> str:
    items = []
    for name in names:
        text = _one_line(name)
        if "#" in text:
            text = _PROPERTY_TAG.sub("#\u2060", text)
        plain = _LIST_ITEM.fullmatch(text) and text.lower() not in _YAML_WORDS
        items.append(text if plain and text[-1] != " " else json.dumps(text, ensure_ascii=False))
    return f"{key}: [{', '.join(items)}]"


def _property(key: str, value: object) -> str:
    if type(value) is _ListOf:
        return _list(key, value)
    if type(value) is str and len(value) < 40:  # short values repeat: a type, a name
        return _short_property(key, value)
    return _any_property(key, value)


def _any_property(key: str, value: object) -> str:
    """`key: value`, the value quoted (as JSON, which YAML reads) where Markwhen's YAML
    would read it as something else: a colon, a `#`, a number, `yes`; a word joiner after
    a `#` Markwhen would take for a tag (it rewrites those even inside quotes)."""
    text = _one_line(value)
    if "#" in text:
        text = _PROPERTY_TAG.sub("#\u2060", text)
    words = _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS
    if not (words or _EDTF.fullmatch(text)):
        try:
            plain = yaml.safe_load(f"{key}: {text}") == {key: text}
        except yaml.YAMLError:
            plain = False
        if not plain or _NUMBER.fullmatch(text):
            text = json.dumps(text, ensure_ascii=False)
    return f"{key}: {text}"


_short_property = lru_cache(maxsize=4096)(_any_property)


def _one_line(value: object) -> str:
    text = str(value)
    # Printable text has no whitespace but the space (tests/app/test_markwhen_export.py):
    # without a space at either end or two in a row, it is one line already.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(plain_text(text).split())
