"""The canonical text of a project: how `dumps` writes it, and a fast reader for exactly that.

The canonical form is plain YAML: stable key order, one item per block, text and dates in
double quotes, ids plain. `read_fast` reads it about twenty times faster than PyYAML by
matching whole records with one regular expression each. It returns None for anything it
is not sure of (a hand-edited file, a problem to report), and the caller then takes the
full path through PyYAML and the checks in `projectfile.build`. A differential property
test holds the two paths to the same model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from json.decoder import scanstring

from app.model import (
    FORMAT_VERSION,
    Actor,
    Cite,
    Demand,
    Event,
    Phase,
    Project,
    Source,
    StatusChange,
)
from app.when import When, WhenError, parse

# Words YAML 1.1 reads as booleans or null when unquoted: never written plain.
RESERVED_WORDS = frozenset("y n yes no on off true false null".split())

_NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"\\\\]')
_ESCAPES = {
    "\n": "\\n",
    "\t": "\\t",
    '"': '\\"',
    "\\": "\\\\",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}


def _quote(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return f'"{text}"'
    return (
        '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'
    )


_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def _name(text: str) -> str:
    """An id or tag: plain when YAML reads it back as the same text, else quoted."""
    if _PLAIN_ID.fullmatch(text) and text.lower() not in RESERVED_WORDS:
        return text
    return _quote(text)


def _names(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_name(x) for x in items) + "]"


def _write_cites(out: list[str], cites: tuple[Cite, ...], indent: str) -> None:
    if not cites:
        return
    out.append(f"{indent}cites:")
    for c in cites:
        out.append(f"{indent}  - source: {_name(c.source)}")
        if c.credibility is not None:
            out.append(f"{indent}    credibility: {c.credibility}")
        if c.quote:
            out.append(f"{indent}    quote: {_quote(c.quote)}")


def dumps(project: Project) -> str:
    """The canonical text of a project."""
    out = [project.preamble.rstrip("\n")] if project.preamble else []
    out += [f"demarche: {FORMAT_VERSION}", f"title: {_quote(project.title)}"]
    if project.description:
        out.append(f"description: {_quote(project.description)}")
    add = out.append

    def section(name: str, items: list, write: Callable) -> None:
        if not items:
            if name in ("actors", "events"):
                add(f"{name}: []")
            return
        add(f"{name}:")
        for item in items:
            write(item)

    def source(s: Source) -> None:
        add(f"  - id: {_name(s.id)}")
        add(f"    title: {_quote(s.title)}")
        if s.publisher:
            add(f"    publisher: {_quote(s.publisher)}")
        if s.url:
            add(f"    url: {_quote(s.url)}")
        if s.published:
            add(f"    published: {_quote(s.published.text)}")
        if s.reliability:
            add(f"    reliability: {s.reliability}")

    def actor(a: Actor) -> None:
        add(f"  - id: {_name(a.id)}")
        add(f"    name: {_quote(a.name)}")
        if a.color:
            add(f"    color: {_quote(a.color)}")
        if a.kind:
            add(f"    kind: {_quote(a.kind)}")
        if a.parent:
            add(f"    parent: {_name(a.parent)}")
        if a.hidden:
            add("    hidden: true")
        if a.collapsed:
            add("    collapsed: true")

    def phase(p: Phase) -> None:
        add(f"  - id: {_name(p.id)}")
        add(f"    title: {_quote(p.title)}")
        add(f"    when: {_quote(p.when.text)}")
        if p.color:
            add(f"    color: {_quote(p.color)}")

    def event(e: Event) -> None:
        add(f"  - id: {_name(e.id)}")
        add(f"    actor: {_name(e.actor)}")
        if e.with_:
            add(f"    with: {_names(e.with_)}")
        add(f"    title: {_quote(e.title)}")
        add(f"    when: {_quote(e.when.text)}")
        if e.type:
            add(f"    type: {_quote(e.type)}")
        if e.text:
            add(f"    text: {_quote(e.text)}")
        _write_cites(out, e.cites, "    ")
        if e.tags:
            add(f"    tags: {_names(e.tags)}")

    def demand(d: Demand) -> None:
        add(f"  - id: {_name(d.id)}")
        add(f"    from: {_name(d.from_)}")
        add(f"    to: {_name(d.to)}")
        if d.via:
            add(f"    via: {_names(d.via)}")
        add(f"    text: {_quote(d.text)}")
        if d.offer:
            add(f"    offer: {_quote(d.offer)}")
        add(f"    raised: {_quote(d.raised.text)}")
        add(f"    status: {d.status}")
        if d.resolved:
            add(f"    resolved: {_quote(d.resolved.text)}")
        if d.history:
            add("    history:")
            for h in d.history:
                add(f"      - when: {_quote(h.when.text)}")
                add(f"        status: {h.status}")
                if h.note:
                    add(f"        note: {_quote(h.note)}")
        _write_cites(out, d.cites, "    ")

    section("sources", project.sources, source)
    section("actors", project.actors, actor)
    section("phases", project.phases, phase)
    section("events", project.events, event)
    section("demands", project.demands, demand)
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ fast reading

_Q = r'"((?:[^"\\\n]|\\.)*)"'  # a double-quoted value; group: its body
_QX = r'"(?:[^"\\\n]|\\.)*"'
_ID = r"([A-Za-z][A-Za-z0-9_.-]*)"
_FLOW = r"(\[[^\n]*\])"
_STATUS = r"(open|accepted|rejected|withdrawn|partial)"
_COLOR = r'"(#[0-9a-fA-F]{6})"'


def _cites_block(indent: str) -> str:
    return (
        rf"(?:{indent}- source: [A-Za-z][A-Za-z0-9_.-]*\n(?:{indent}  credibility: [1-6]\n)?"
        rf"(?:{indent}  quote: {_QX}\n)?)+"
    )


_CITE = re.compile(rf" *- source: {_ID}\n(?: *credibility: ([1-6])\n)?(?: *quote: {_Q}\n)?")
_HEADER = re.compile(rf"demarche: {FORMAT_VERSION}\ntitle: {_Q}\n(?:description: {_Q}\n)?")
_SECTION = re.compile(r"(sources|actors|phases|events|demands):( \[\])?\n")
_RECORDS = {
    "sources": re.compile(
        rf"  - id: {_ID}\n    title: {_Q}\n(?:    publisher: {_Q}\n)?(?:    url: {_Q}\n)?"
        rf"(?:    published: {_Q}\n)?(?:    reliability: ([A-F])\n)?"
    ),
    "actors": re.compile(
        rf"  - id: {_ID}\n    name: {_Q}\n(?:    color: {_COLOR}\n)?(?:    kind: {_Q}\n)?"
        rf"(?:    parent: {_ID}\n)?(    hidden: true\n)?(    collapsed: true\n)?"
    ),
    "phases": re.compile(
        rf"  - id: {_ID}\n    title: {_Q}\n    when: {_Q}\n(?:    color: {_COLOR}\n)?"
    ),
    "events": re.compile(
        rf"  - id: {_ID}\n    actor: {_ID}\n(?:    with: {_FLOW}\n)?    title: {_Q}\n    when: {_Q}\n"
        rf"(?:    type: {_Q}\n)?(?:    text: {_Q}\n)?(?:    cites:\n({_cites_block('      ')}))?"
        rf"(?:    tags: {_FLOW}\n)?"
    ),
    "demands": re.compile(
        rf"  - id: {_ID}\n    from: {_ID}\n    to: {_ID}\n(?:    via: {_FLOW}\n)?    text: {_Q}\n"
        rf"(?:    offer: {_Q}\n)?    raised: {_Q}\n    status: {_STATUS}\n(?:    resolved: {_Q}\n)?"
        rf"(?:    history:\n((?:      - when: {_QX}\n        status: (?:{_STATUS[1:-1]})\n(?:        note: {_QX}\n)?)+))?"
        rf"(?:    cites:\n({_cites_block('      ')}))?"
    ),
}
_HISTORY = re.compile(rf"      - when: {_Q}\n        status: {_STATUS}\n(?:        note: {_Q}\n)?")
_FLOW_LIST = re.compile(
    rf"\[(?:(?:{_QX}|[A-Za-z][A-Za-z0-9_.-]*)(?:, (?:{_QX}|[A-Za-z][A-Za-z0-9_.-]*))*)?\]"
)
_FLOW_ITEM = re.compile(rf"{_Q}|{_ID}")
# Each backslash with what it escapes, read left to right so an escaped backslash is one.
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_SAFE_ESCAPES = frozenset('"\\ntbfr')


def _escapes_are_safe(text: str) -> bool:
    """Only escapes that JSON and YAML read alike (and no lone surrogates)."""
    if "\\" not in text:
        return True
    for m in _ESCAPE.finditer(text):
        e = m[1]
        if len(e) == 1 and e not in _SAFE_ESCAPES:
            return False
        if len(e) == 5 and 0xD800 <= int(e[1:], 16) <= 0xDFFF:
            return False
    return True


# Characters YAML refuses or reads as line breaks, and tabs and carriage returns.
_UNSAFE_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff\t\r]")
LEADING_COMMENTS = re.compile(r"(?:#[^\n]*\n)*")
_ORDER = ("sources", "actors", "phases", "events", "demands")


class _NotSure(Exception):
    """The fast reader cannot vouch for this text; use the full path."""


def _text(body: str | None) -> str:
    if body is None:
        return ""
    if "\\" not in body:
        return body
    return scanstring(body + '"', 0, True)[0]


def _name_of(word: str) -> str:
    if word.lower() in RESERVED_WORDS:
        raise _NotSure
    return word


@lru_cache(maxsize=8192)
def _list(raw: str | None) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not _FLOW_LIST.fullmatch(raw):
        raise _NotSure
    return tuple(
        _text(m[1]) if m[1] is not None else _name_of(m[2]) for m in _FLOW_ITEM.finditer(raw)
    )


def _date(body: str | None) -> When | None:
    if body is None:
        return None
    try:
        return parse(_text(body))
    except WhenError:
        raise _NotSure from None


@lru_cache(maxsize=8192)
def _cites(block: str | None) -> tuple[Cite, ...]:
    """Citations; the caller checks their sources."""
    if block is None:
        return ()
    return tuple(
        Cite(m[1], int(m[2]) if m[2] else None, _text(m[3])) for m in _CITE.finditer(block)
    )


def _records(text: str, start: int, end: int, pattern: re.Pattern) -> list[re.Match]:
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.start() != pos:
            raise _NotSure
        pos = m.end()
        out.append(m)
    if pos != end:
        raise _NotSure
    return out


def read_fast(text: str) -> Project | None:
    """The project in canonical text, or None when the text is not canonical or not valid."""
    if not _escapes_are_safe(text) or _UNSAFE_CHAR.search(text):
        return None
    try:
        return _read(text)
    except (_NotSure, ValueError, IndexError):
        return None


def _read(text: str) -> Project:
    pos = LEADING_COMMENTS.match(text).end()
    head = _HEADER.match(text, pos)
    if head is None:
        raise _NotSure
    project = Project(_text(head[1]), _text(head[2]), preamble=text[:pos])
    # Find the sections, in canonical order, each once.
    bounds: dict[str, tuple[int, int]] = {}
    pos = head.end()
    marks = []
    for m in _SECTION.finditer(text, pos):
        if m.start() == 0 or text[m.start() - 1] == "\n":
            marks.append(m)
    if [m[1] for m in marks] != [s for s in _ORDER if s in {m[1] for m in marks}]:
        raise _NotSure
    if (marks[0].start() if marks else len(text)) != pos:
        raise _NotSure
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        if m[2] and m.end() != end:
            raise _NotSure  # "events: []" followed by items
        if not m[2] and m.end() == end:
            raise _NotSure  # "events:" with nothing: YAML reads null
        bounds[m[1]] = (m.end(), end)
    if "actors" not in bounds or "events" not in bounds:
        raise _NotSure

    def each(section: str) -> list[re.Match]:
        if section not in bounds:
            return []
        return _records(text, *bounds[section], _RECORDS[section])

    ids: list[str] = []
    for m in each("sources"):
        ids.append(m[1])
        project.sources.append(
            Source(m[1], _text(m[2]), _text(m[3]), _text(m[4]), _date(m[5]), m[6] or "")
        )
    source_ids = {s.id for s in project.sources}
    for m in each("actors"):
        ids.append(m[1])
        project.actors.append(
            Actor(m[1], _text(m[2]), m[3] or "", _text(m[4]), m[5] or "", bool(m[6]), bool(m[7]))
        )
    actor_ids = {a.id for a in project.actors}
    parents = {a.id: a.parent for a in project.actors if a.parent}
    for child in parents:
        seen, up = {child}, parents[child]
        while up:
            if up not in actor_ids or up in seen:
                raise _NotSure
            seen.add(up)
            up = parents.get(up, "")
    for m in each("phases"):
        ids.append(m[1])
        project.phases.append(Phase(m[1], _text(m[2]), _date(m[3]), m[4] or ""))
    for m in each("events"):
        ids.append(m[1])
        actor, with_ = m[2], _list(m[3])
        if actor not in actor_ids or not actor_ids.issuperset(with_):
            raise _NotSure
        project.events.append(
            Event(
                m[1],
                actor,
                _text(m[4]),
                _date(m[5]),
                with_,
                _text(m[6]),
                _text(m[7]),
                _cites(m[8]),
                _list(m[9]),
            )
        )
    for m in each("demands"):
        ids.append(m[1])
        via = _list(m[4])
        if m[2] not in actor_ids or m[3] not in actor_ids or not actor_ids.issuperset(via):
            raise _NotSure
        raised, resolved = _date(m[7]), _date(m[9])
        if (
            resolved is not None
            and raised.lo is not None
            and resolved.hi is not None
            and resolved.hi <= raised.lo
        ):
            raise _NotSure
        history = tuple(
            StatusChange(_date(h[1]), h[2], _text(h[3])) for h in _HISTORY.finditer(m[10] or "")
        )
        project.demands.append(
            Demand(
                m[1],
                m[2],
                m[3],
                _text(m[5]),
                raised,
                m[8],
                via,
                _text(m[6]),
                resolved,
                history,
                _cites(m[11]),
            )
        )
    if len(set(ids)) != len(ids) or not RESERVED_WORDS.isdisjoint(map(str.lower, ids)):
        raise _NotSure
    cited = {c.source for r in (*project.events, *project.demands) for c in r.cites}
    if not cited <= source_ids:
        raise _NotSure
    return project
