"""Checking plain data read from YAML and building the Project from it, driven by the
record spec. Every problem is collected with its path (e.g. ("events", 3, "actor")), so
that the caller can report them all at once with their lines and columns."""

from __future__ import annotations

import difflib
import re

from app.fileformat import links, spec
from app.records import vocabulary
from app.records.model import (
    CONTEXT_KINDS,
    CONTEXT_ROLES,
    FORMAT_VERSION,
    RELIABILITIES,
    STATUSES,
    Project,
)
from app.records.when import When, WhenError, from_yaml_value

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
MAX_HINTS = 200  # "did you mean" hints per file: each costs a scan of the known ids
MAX_NESTING = 100  # actors inside actors, deepest

NO_WHEN = When("", None, None, False)  # stands in for a missing or bad date once reported

# Problems are (path, message, at_key); warnings are (path, message).
Problem = tuple[tuple, str, bool]


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def kind_of_value(value: object) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def _quote_hint(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return " (put it in quotes to keep it as text)"
    return ""


class Builder:
    """Reads each field by its type in the spec, collecting every problem with its path."""

    def __init__(self, problems: list):
        self.problems = problems
        self.notes: list[tuple[tuple, str]] = []
        self.ids: dict[str, tuple] = {}  # every id in the project, with where it stands
        self.known: dict[str, set[str]] = {k: set() for k in spec.KIND_NAMES}
        self.hints = 0
        self.project: Project | None = None  # as built so far: later kinds' checks may read it

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append((path, message, at_key))

    def mapping(self, value, path, allowed: tuple[str, ...], required: tuple[str, ...]):
        if not isinstance(value, dict):
            wanted = ", ".join(required or allowed)
            self.fail(path, f"expected a mapping of {wanted}, found {kind_of_value(value)}")
            return None
        for key in value:
            if key not in allowed:
                hint = difflib.get_close_matches(str(key), allowed, n=1)
                extra = (
                    f" (did you mean '{hint[0]}'?)" if hint else f" (allowed: {', '.join(allowed)})"
                )
                self.fail(path + (key,), f"unknown key '{key}'{extra}", at_key=True)
        for key in required:
            if key not in value:
                self.fail(path, f"missing required key '{key}'")
        return value

    def records(self, data: dict, key: str) -> list[tuple[tuple, object]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail((key,), f"expected a list, found {kind_of_value(value)}")
            return []
        return [((key, i), item) for i, item in enumerate(value)]

    # ---------------------------------------------------------------- fields by type

    def text(self, m: dict, key: str, path: tuple, default: str = "") -> str:
        value = m.get(key, default)
        if value is None or value == default:
            return default
        if not isinstance(value, str):
            self.fail(
                path + (key,), f"expected text, found {kind_of_value(value)}{_quote_hint(value)}"
            )
            return default
        return value

    def ident(self, m: dict, key: str, path: tuple, required: bool) -> str:
        if required and key in m and (m[key] is None or m[key] == ""):
            self.fail(path + (key,), "an id cannot be empty")
            return ""
        value = self.text(m, key, path)
        if value and not ID_PATTERN.fullmatch(value):
            self.fail(
                path + (key,),
                f"'{value}' is not a valid id (letters, digits, '-', '_' and '.', no spaces)",
            )
        return value

    def own_id(self, m: dict, path: tuple) -> str:
        value = self.ident(m, "id", path, True)
        if value:
            if value in self.ids:
                where = format_path(self.ids[value])
                self.fail(path + ("id",), f"duplicate id '{value}' (already used by {where})")
            else:
                self.ids[value] = path
        return value

    def when(self, m: dict, key: str, path: tuple) -> When | None:
        if key not in m:
            return None
        if m[key] is None:
            self.fail(path + (key,), 'missing date, e.g. "2023-11-22"')
            return None
        try:
            return from_yaml_value(m[key])
        except WhenError as exc:
            self.fail(path + (key,), str(exc))
            return None

    def text_list(self, m: dict, key: str, path: tuple) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(
                path + (key,), f"expected a list of text, e.g. [a, b], found {kind_of_value(value)}"
            )
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str):
                found = kind_of_value(item) + _quote_hint(item)
                self.fail(path + (key, i), f"expected text, found {found}")
                return ()
        return tuple(value)

    def flag(self, m: dict, key: str, path: tuple) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.fail(path + (key,), f"expected true or false, found {kind_of_value(value)}")
            return False
        return value

    def status(self, m: dict, path: tuple) -> str:
        status = self.text(m, "status", path, "open")
        if status not in STATUSES:
            hint = difflib.get_close_matches(status, STATUSES, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else f" (one of: {', '.join(STATUSES)})"
            self.fail(path + ("status",), f"unknown status '{status}'{extra}")
            return "open"
        return status

    def value(self, f: spec.Field, m: dict, path: tuple, refs: list):
        """The field's value, read and checked by its type; references are noted in `refs`
        to be checked once every record they may point to has been read."""
        t = f.type
        if t == spec.ID:
            return self.own_id(m, path)
        if t == spec.REF:
            value = self.ident(m, f.key, path, f.required)
            refs.append((value, f.ref, path + (f.key,), f))
            return value
        if t == spec.REFS:
            values = self.text_list(m, f.key, path)
            for i, v in enumerate(values):
                if ID_PATTERN.fullmatch(v) is None:
                    self.fail(path + (f.key, i), f"'{v}' is not a valid id")
                refs.append((v, f.ref, path + (f.key, i), f))
            return values
        if t == spec.TEXT:
            return self.text(m, f.key, path)
        if t == spec.NAMES:
            return self.text_list(m, f.key, path)
        if t == spec.WHEN:
            value = self.when(m, f.key, path)
            return NO_WHEN if value is None and f.required else value
        if t == spec.FLAG:
            return self.flag(m, f.key, path)
        if t == spec.COLOR:
            color = self.text(m, f.key, path)
            if color and not COLOR_PATTERN.fullmatch(color):
                self.fail(
                    path + (f.key,), f"colour is written #rrggbb, e.g. \"#3465a4\", not '{color}'"
                )
                return ""
            return color
        if t == spec.STATUS:
            return self.status(m, path)
        if t == spec.RELIABILITY:
            rel = self.text(m, f.key, path)
            if rel and rel not in RELIABILITIES:
                self.fail(
                    path + (f.key,),
                    f"reliability is one letter A to F (Admiralty code), not '{rel}'",
                )
            return rel
        if t == spec.CREDIBILITY:
            cred = m.get(f.key)
            if cred is not None and (
                not isinstance(cred, int) or isinstance(cred, bool) or not 1 <= cred <= 6
            ):
                self.fail(
                    path + (f.key,),
                    f"credibility is a whole number from 1 (confirmed) to 6 (cannot be judged), not {cred!r}",
                )
                return None
            return cred
        if t in spec.NESTED:
            return self.nested(spec.NESTED[t], m, f.key, path, refs)
        raise AssertionError(f"no reader for field type {t!r}")

    def nested(self, kind: spec.Kind, m: dict, key: str, path: tuple, refs: list) -> tuple:
        value = m.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(
                path + (key,), f"expected a list of {kind.singular}s, found {kind_of_value(value)}"
            )
            return ()
        out = []
        for i, item in enumerate(value):
            p = path + (key, i)
            sub = self.mapping(item, p, kind.keys, kind.required)
            if sub is not None:
                out.append(
                    kind.record(**{f.attr: self.value(f, sub, p, refs) for f in kind.fields})
                )
        return tuple(out)

    def references(self, refs: list) -> None:
        for value, target, path, f in refs:
            if value and value not in self.known[target]:
                noun = "parent actor" if f.key == "parent" else spec.BY_NAME[target].singular
                self.fail(path, f"unknown {noun} '{value}'{self.hint(value, target)}")

    def hint(self, value: str, target: str) -> str:
        """A "did you mean", while there are few: each costs a scan of the known ids."""
        self.hints += 1
        if self.hints > MAX_HINTS:
            return ""
        hint = difflib.get_close_matches(value, self.known[target], n=1)
        return f" (did you mean '{hint[0]}'?)" if hint else ""


def build(data: object, problems: list) -> tuple[Project, list[tuple[tuple, str]]]:
    """Check plain data and build the Project. Problems go to `problems`; warnings are returned."""
    b = Builder(problems)
    project = Project()
    b.project = project  # checks of later kinds may look at earlier ones (a view's types)
    top = b.mapping(data, (), spec.TOP_KEYS, spec.TOP_REQUIRED)
    if top is None:
        return project, b.notes
    _check_version(b, top)
    project.title = b.text(top, "title", ())
    project.description = b.text(top, "description", ())
    project.conflicts = list(b.nested(spec.CONFLICTS, top, "conflicts", (), []))
    for kind in spec.KINDS:
        records, paths, refs = getattr(project, kind.name), [], []
        for p, item in b.records(top, kind.name):
            m = b.mapping(item, p, kind.keys, kind.required)
            if m is None:
                continue
            records.append(kind.record(**{f.attr: b.value(f, m, p, refs) for f in kind.fields}))
            paths.append(p)
        b.known[kind.name] = {r.id for r in records if r.id}
        b.references(refs)
        for checks in (KIND_CHECKS, KIND_NOTES):
            if kind.name in checks:
                checks[kind.name](b, records, paths)
    return project, b.notes


def _check_version(b: Builder, top: dict) -> None:
    version = top.get("demarche")
    if "demarche" in top and (
        not isinstance(version, int) or isinstance(version, bool) or version < 1
    ):
        b.fail(
            ("demarche",),
            f"the format version is a whole number such as {FORMAT_VERSION}, not {version!r}",
        )
    elif isinstance(version, int) and version > FORMAT_VERSION:
        b.fail(
            ("demarche",),
            f"this file uses format version {version}, newer than this program's ({FORMAT_VERSION}); please update Demarche",
        )


def nesting_problems(actors: list) -> list[tuple[int, str]]:
    """(index, message) for each actor nested inside itself or deeper than MAX_NESTING.
    Depths found are remembered, so a long chain costs its length, not its square."""
    known = {a.id for a in actors}
    parent = {a.id: a.parent for a in actors if a.parent in known}
    depth: dict[str, int | None] = {}  # None: in or under a loop
    out = []
    for i, a in enumerate(actors):
        if not a.id:
            continue
        chain, at = [], a.id
        while at and at not in depth and at not in chain:
            chain.append(at)
            at = parent.get(at, "")
        d = -1 if not at else depth.get(at) if at in depth else None
        for actor_id in reversed(chain):
            d = None if d is None else d + 1
            depth[actor_id] = d
        if depth[a.id] is None:
            out.append((i, f"actor '{a.id}' would be nested inside itself"))
        elif depth[a.id] > MAX_NESTING:
            out.append((i, f"actors nest at most {MAX_NESTING} deep"))
    return out


def _check_actors(b: Builder, actors: list, paths: list) -> None:
    for i, message in nesting_problems(actors):
        b.fail(paths[i] + ("parent",), message)


def _note(b: Builder, path: tuple, message: str) -> None:
    b.notes.append((path, message))


def _repeats(items: tuple) -> list[str]:
    return sorted({x for x in items if items.count(x) > 1})


def _far_offsets(b: Builder, path: tuple, when) -> None:
    """Offsets beyond ±14:00, which no time zone has (an offset comes with a time only)."""
    for point in (when.start, when.end) if when and ":" in when.text else ():
        if point is not None and point.offset_min is not None and abs(point.offset_min) > 14 * 60:
            _note(b, path, f"'{when.text}': no time zone is more than 14 hours from UTC")


def _check_events(b: Builder, events: list, paths: list) -> None:
    answers = {e.id: e.responds_to for e in events if e.responds_to}
    if answers:
        links.note_loops(b.notes, events, paths, answers)
        links.note_answers_to_later(b.notes, events, paths, answers)
    for e, p in zip(events, paths, strict=True):
        if e.type and e.type not in vocabulary.EVENT_TYPES:
            hint = difflib.get_close_matches(e.type, list(vocabulary.EVENT_TYPES), n=1)
            _note(
                b,
                p + ("type",),
                f"'{e.type}' is not in the suggested vocabulary"
                + (f" (did you mean '{hint[0]}'?)" if hint else ""),
            )
        for key, items in (("with", e.with_), ("tags", e.tags)):
            if len(items) > 1 and _repeats(items):  # most have one or none: no call
                _note(b, p + (key,), f"{', '.join(_repeats(items))} listed more than once")
        if e.actor in e.with_:
            _note(b, p + ("with",), f"'{e.actor}' is the event's own actor")
        _far_offsets(b, p + ("when",), e.when)


def _note_demands(b: Builder, demands: list, paths: list) -> None:
    for d, p in zip(demands, paths, strict=True):
        if d.from_ and d.from_ == d.to:
            _note(b, p + ("to",), f"'{d.to}' makes a demand of itself")
        if d.via and {d.from_, d.to} & set(d.via):  # most have no mediator: no sets
            _note(b, p + ("via",), "a mediator is also the demander or the one asked")
        if len(d.via) > 1 and _repeats(d.via):
            _note(b, p + ("via",), f"{', '.join(_repeats(d.via))} listed more than once")
        starts = [h.when.lo for h in d.history if h.when.lo is not None] if d.history else []
        if starts != sorted(starts):
            _note(b, p + ("history",), "the history is not in date order")
        for key, when in (("raised", d.raised), ("resolved", d.resolved)):
            _far_offsets(b, p + (key,), when)


def _check_demands(b: Builder, demands: list, paths: list) -> None:
    for d, p in zip(demands, paths, strict=True):
        raised, resolved = d.raised, d.resolved
        if (
            resolved
            and raised.lo is not None
            and resolved.hi is not None
            and resolved.hi <= raised.lo
        ):
            b.fail(p + ("resolved",), f"resolved ({resolved}) comes before raised ({raised})")


def _check_links(b: Builder, events: list, paths: list) -> None:
    for e, p in zip(events, paths, strict=True):
        if e.id in e.responds_to:
            b.fail(p + ("responds_to", e.responds_to.index(e.id)), "an event cannot answer itself")


def _note_view_types(b: Builder, views: list, paths: list) -> None:
    used = sorted({e.type for e in b.project.events} - {""})  # a warning: events get retyped
    known = [*vocabulary.EVENT_TYPES, *vocabulary.QUAD_CLASSES, *used]
    for v, p in zip(views, paths, strict=True):
        for i, t in enumerate(v.types):
            if t not in known:
                hints = difflib.get_close_matches(t, known, n=1)
                said = f"'{t}' is neither a type of an event nor a CAMEO class"
                _note(b, p + ("types", i), said + "".join(f" (did you mean '{h}'?)" for h in hints))


def _check_views(b: Builder, views: list, paths: list) -> None:
    for v, p in zip(views, paths, strict=True):
        for i, status in enumerate(v.status):
            if status not in STATUSES:
                b.fail(
                    p + ("status", i), f"unknown status '{status}' (one of: {', '.join(STATUSES)})"
                )
        if (
            v.from_
            and v.to
            and v.from_.lo is not None
            and v.to.hi is not None
            and v.to.hi <= v.from_.lo
        ):
            b.fail(p + ("to",), f"the view ends ({v.to}) before it starts ({v.from_})")


def _check_context(b: Builder, datasets: list, paths: list) -> None:
    for d, p in zip(datasets, paths, strict=True):
        if d.kind not in CONTEXT_KINDS:
            hint = difflib.get_close_matches(d.kind, CONTEXT_KINDS, n=1)
            extra = (
                f" (did you mean '{hint[0]}'?)"
                if hint
                else f" (one of: {', '.join(CONTEXT_KINDS)})"
            )
            b.fail(p + ("kind",), f"unknown kind '{d.kind}'{extra}")
        for i, c in enumerate(d.columns):
            if c.role not in CONTEXT_ROLES:
                b.fail(
                    p + ("columns", i, "role"),
                    f"unknown role '{c.role}' (one of: {', '.join(CONTEXT_ROLES)})",
                )
        if d.kind == "csv" and not any(c.role == "date" and c.columns for c in d.columns):
            b.fail(p + ("columns",), "a dataset of kind csv names its date column (role: date)")


# Checks beyond each field's own: problems, then warnings (notes), by kind.
KIND_CHECKS = {
    "actors": _check_actors,
    "events": _check_links,
    "demands": _check_demands,
    "views": _check_views,
    "context": _check_context,
}
KIND_NOTES = {"events": _check_events, "demands": _note_demands, "views": _note_view_types}
