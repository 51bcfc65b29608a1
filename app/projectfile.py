"""Reading, checking and writing project files.

    project = load("talks.yaml")          # raises ProjectFileError listing every problem
    save(project, "talks.yaml")           # atomic, keeps talks.yaml.bak

The written form is canonical: stable key order, one item per block, dates quoted, no
aliases. Reading a canonical file and writing it again gives the same bytes.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from dataclasses import dataclass

from app import vocabulary
from app.canonical import LEADING_COMMENTS, dumps, read_fast
from app.model import (
    FORMAT_VERSION,
    RELIABILITIES,
    STATUSES,
    Actor,
    Cite,
    Demand,
    Event,
    Phase,
    Project,
    Source,
    StatusChange,
)
from app.when import When, WhenError, from_yaml_value
from app.yamlread import Located, YamlProblem, read_located

MAX_FILE_BYTES = 128 * 1024 * 1024
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
COLOR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    line: int | None
    col: int | None
    where: str  # the field, e.g. "events[3].actor"
    message: str
    warning: bool = False

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}:{self.col}"
        kind = "warning: " if self.warning else ""
        field_ = f"{self.where}: " if self.where else ""
        return f"{place}: {kind}{field_}{self.message}"


class ProjectFileError(Exception):
    """A file that cannot be opened as a project; `diagnostics` lists every reason."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def format_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ------------------------------------------------------------------------ reading


def load(path: str | os.PathLike, warnings: list[Diagnostic] | None = None) -> Project:
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise ProjectFileError(
                [
                    Diagnostic(
                        name,
                        None,
                        None,
                        "",
                        f"file is too large ({size // 2**20} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)",
                    )
                ]
            )
        with open(name, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise ProjectFileError(
            [Diagnostic(name, None, None, "", f"cannot read: {exc.strerror or exc}")]
        ) from None
    return loads_bytes(raw, name, warnings)


def loads_bytes(
    raw: bytes, name: str = "<text>", warnings: list[Diagnostic] | None = None
) -> Project:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProjectFileError(
            [
                Diagnostic(
                    name,
                    None,
                    None,
                    "",
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line})",
                )
            ]
        ) from None
    return loads(text, name, warnings)


def loads(text: str, name: str = "<text>", warnings: list[Diagnostic] | None = None) -> Project:
    """Read project text. Tries the fast canonical reader first, then the full one."""
    if not text.strip():
        raise ProjectFileError([Diagnostic(name, None, None, "", "the file is empty")])
    project = read_fast(text)
    if project is not None and warnings is None:
        return project
    located = _read_located(text, name)
    problems: list[tuple[tuple, str, bool]] = []
    project, notes = build(located.data, problems)
    project.preamble = LEADING_COMMENTS.match(text).group()
    diagnostics = [Diagnostic(name, *at, format_path(p), m) for p, m, at in located.problems]
    diagnostics += [_locate(name, located, p, m, at_key) for p, m, at_key in problems]
    if diagnostics:
        diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))
        raise ProjectFileError(diagnostics)
    if warnings is not None:
        _add_warnings(warnings, notes, name, located)
    return project


def _add_warnings(out: list[Diagnostic], notes: list, name: str, located: Located) -> None:
    for path, message in notes:
        d = _locate(name, located, path, message, False)
        out.append(Diagnostic(d.file, d.line, d.col, d.where, message, warning=True))


def _read_located(text: str, name: str) -> Located:
    try:
        return read_located(text)
    except YamlProblem as exc:
        raise ProjectFileError([Diagnostic(name, exc.line, exc.col, "", exc.message)]) from None


def _locate(name: str, located: Located, path: tuple, message: str, at_key: bool) -> Diagnostic:
    table = located.keys if at_key else located.values
    where, probe = None, path
    while where is None and probe:  # a missing key is reported where its parent stands
        where = table.get(probe) or located.values.get(probe)
        probe = probe[:-1]
    where = where or located.values.get(())
    line, col = where if where else (None, None)
    return Diagnostic(name, line, col, format_path(path), message)


# ------------------------------------------------------------------------ building


class _Builder:
    """Turns plain data into a Project, collecting every problem with its path."""

    def __init__(self, problems: list):
        self.problems = problems
        self.notes: list[tuple[tuple, str]] = []
        self.ids: dict[str, tuple] = {}

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append((path, message, at_key))

    def mapping(
        self, value, path, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> dict | None:
        if not isinstance(value, dict):
            self.fail(
                path,
                f"expected a mapping of {', '.join(required or allowed)}, found {_kind(value)}",
            )
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

    def text(self, m: dict, key: str, path: tuple, default: str = "") -> str:
        value = m.get(key, default)
        if value is None or value == default:
            return default
        if not isinstance(value, str):
            self.fail(path + (key,), f"expected text, found {_kind(value)}{_quote_hint(value)}")
            return default
        return value

    def ident(self, m: dict, key: str, path: tuple) -> str:
        value = self.text(m, key, path)
        if value and not ID_PATTERN.fullmatch(value):
            self.fail(
                path + (key,),
                f"'{value}' is not a valid id (letters, digits, '-', '_' and '.', no spaces)",
            )
        return value

    def new_id(self, m: dict, path: tuple) -> str:
        value = self.ident(m, "id", path)
        if value:
            if value in self.ids:
                self.fail(
                    path + ("id",),
                    f"duplicate id '{value}' (already used by {format_path(self.ids[value])})",
                )
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

    def id_list(self, m: dict, key: str, path: tuple) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.fail(path + (key,), f"expected a list of text, e.g. [a, b], found {_kind(value)}")
            return ()
        return tuple(value)

    def reference(self, value: str, known: dict[str, object], path: tuple, what: str) -> None:
        if value and value not in known:
            hint = difflib.get_close_matches(value, list(known), n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.fail(path, f"unknown {what} '{value}'{extra}")

    def cites(self, m: dict, path: tuple, sources: dict) -> tuple[Cite, ...]:
        value = m.get("cites")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(path + ("cites",), f"expected a list of citations, found {_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            p = path + ("cites", i)
            c = self.mapping(item, p, ("source", "credibility", "quote"), ("source",))
            if c is None:
                continue
            source = self.ident(c, "source", p)
            self.reference(source, sources, p + ("source",), "source")
            cred = c.get("credibility")
            if cred is not None and (
                not isinstance(cred, int) or isinstance(cred, bool) or not 1 <= cred <= 6
            ):
                self.fail(
                    p + ("credibility",),
                    f"credibility is a whole number from 1 (confirmed) to 6 (cannot be judged), not {cred!r}",
                )
                cred = None
            out.append(Cite(source, cred, self.text(c, "quote", p)))
        return tuple(out)

    def records(self, data: dict, key: str) -> list[tuple[tuple, dict]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail((key,), f"expected a list, found {_kind(value)}")
            return []
        return [((key, i), item) for i, item in enumerate(value)]


def build(data: object, problems: list) -> tuple[Project, list[tuple[tuple, str]]]:
    """Check plain data and build the Project. Problems go to `problems`; warnings are returned."""
    b = _Builder(problems)
    project = Project()
    top = b.mapping(data, (), TOP_KEYS, ("demarche", "title"))
    if top is None:
        return project, b.notes
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
    project.title = b.text(top, "title", ())
    project.description = b.text(top, "description", ())

    sources: dict[str, Source] = {}
    for p, item in b.records(top, "sources"):
        m = b.mapping(item, p, SOURCE_KEYS, ("id", "title"))
        if m is None:
            continue
        rel = b.text(m, "reliability", p)
        if rel and rel not in RELIABILITIES:
            b.fail(
                p + ("reliability",),
                f"reliability is one letter A to F (Admiralty code), not '{rel}'",
            )
        s = Source(
            b.new_id(m, p),
            b.text(m, "title", p),
            b.text(m, "publisher", p),
            b.text(m, "url", p),
            b.when(m, "published", p),
            rel,
        )
        sources[s.id] = s
        project.sources.append(s)

    actors: dict[str, Actor] = {}
    actor_paths: list[tuple[tuple, dict]] = []
    for p, item in b.records(top, "actors"):
        m = b.mapping(item, p, ACTOR_KEYS, ("id", "name"))
        if m is None:
            continue
        color = b.text(m, "color", p)
        if color and not COLOR_PATTERN.fullmatch(color):
            b.fail(p + ("color",), f"colour is written #rrggbb, e.g. \"#3465a4\", not '{color}'")
            color = ""
        a = Actor(
            b.new_id(m, p),
            b.text(m, "name", p),
            color,
            b.text(m, "kind", p),
            b.ident(m, "parent", p),
            _flag(b, m, "hidden", p),
            _flag(b, m, "collapsed", p),
        )
        actors[a.id] = a
        actor_paths.append((p, m))
        project.actors.append(a)
    for (p, _), a in zip(actor_paths, project.actors, strict=True):
        b.reference(a.parent, actors, p + ("parent",), "parent actor")
        seen, up = {a.id}, actors.get(a.parent)
        while up is not None and up.parent:
            if up.parent in seen or up.parent == a.id:
                b.fail(p + ("parent",), f"actor '{a.id}' would be nested inside itself")
                break
            seen.add(up.parent)
            up = actors.get(up.parent)

    for p, item in b.records(top, "phases"):
        m = b.mapping(item, p, PHASE_KEYS, ("id", "title", "when"))
        if m is None:
            continue
        color = b.text(m, "color", p)
        if color and not COLOR_PATTERN.fullmatch(color):
            b.fail(p + ("color",), f"colour is written #rrggbb, not '{color}'")
        when = b.when(m, "when", p)
        project.phases.append(Phase(b.new_id(m, p), b.text(m, "title", p), when or _NOWHEN, color))

    for p, item in b.records(top, "events"):
        m = b.mapping(item, p, EVENT_KEYS, ("id", "actor", "title", "when"))
        if m is None:
            continue
        actor = b.ident(m, "actor", p)
        b.reference(actor, actors, p + ("actor",), "actor")
        with_ = b.id_list(m, "with", p)
        for i, other in enumerate(with_):
            b.reference(other, actors, p + ("with", i), "actor")
        type_ = b.text(m, "type", p)
        if type_ and type_ not in vocabulary.EVENT_TYPES:
            hint = difflib.get_close_matches(type_, list(vocabulary.EVENT_TYPES), n=1)
            b.notes.append(
                (
                    p + ("type",),
                    f"'{type_}' is not in the suggested vocabulary"
                    + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                )
            )
        tags = b.id_list(m, "tags", p)
        project.events.append(
            Event(
                b.new_id(m, p),
                actor,
                b.text(m, "title", p),
                b.when(m, "when", p) or _NOWHEN,
                with_,
                type_,
                b.text(m, "text", p),
                b.cites(m, p, sources),
                tags,
            )
        )

    for p, item in b.records(top, "demands"):
        m = b.mapping(item, p, DEMAND_KEYS, ("id", "from", "to", "text", "raised"))
        if m is None:
            continue
        for key in ("from", "to"):
            b.reference(b.ident(m, key, p), actors, p + (key,), "actor")
        via = b.id_list(m, "via", p)
        for i, other in enumerate(via):
            b.reference(other, actors, p + ("via", i), "actor")
        status = _status(b, m, p)
        raised = b.when(m, "raised", p)
        resolved = b.when(m, "resolved", p)
        if (
            raised
            and resolved
            and raised.lo is not None
            and resolved.hi is not None
            and resolved.hi <= raised.lo
        ):
            b.fail(p + ("resolved",), f"resolved ({resolved}) comes before raised ({raised})")
        history = []
        raw_history = m.get("history")
        if raw_history is not None and not isinstance(raw_history, list):
            b.fail(
                p + ("history",),
                f"expected a list of {{when, status, note}}, found {_kind(raw_history)}",
            )
            raw_history = []
        for i, h in enumerate(raw_history or []):
            hp = p + ("history", i)
            hm = b.mapping(h, hp, ("when", "status", "note"), ("when", "status"))
            if hm is not None:
                history.append(
                    StatusChange(
                        b.when(hm, "when", hp) or _NOWHEN,
                        _status(b, hm, hp),
                        b.text(hm, "note", hp),
                    )
                )
        project.demands.append(
            Demand(
                b.new_id(m, p),
                b.text(m, "from", p),
                b.text(m, "to", p),
                b.text(m, "text", p),
                raised or _NOWHEN,
                status,
                via,
                b.text(m, "offer", p),
                resolved,
                tuple(history),
                b.cites(m, p, sources),
            )
        )
    return project, b.notes


def _status(b: _Builder, m: dict, p: tuple) -> str:
    status = b.text(m, "status", p, "open")
    if status not in STATUSES:
        hint = difflib.get_close_matches(status, STATUSES, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else f" (one of: {', '.join(STATUSES)})"
        b.fail(p + ("status",), f"unknown status '{status}'{extra}")
        return "open"
    return status


def _flag(b: _Builder, m: dict, key: str, p: tuple) -> bool:
    value = m.get(key, False)
    if not isinstance(value, bool):
        b.fail(p + (key,), f"expected true or false, found {_kind(value)}")
        return False
    return value


def _kind(value: object) -> str:
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


_NOWHEN = When("", None, None, False)

TOP_KEYS = ("demarche", "title", "description", "sources", "actors", "phases", "events", "demands")
SOURCE_KEYS = ("id", "title", "publisher", "url", "published", "reliability")
ACTOR_KEYS = ("id", "name", "color", "kind", "parent", "hidden", "collapsed")
PHASE_KEYS = ("id", "title", "when", "color")
EVENT_KEYS = ("id", "actor", "with", "title", "when", "type", "text", "cites", "tags")
DEMAND_KEYS = (
    "id",
    "from",
    "to",
    "via",
    "text",
    "offer",
    "raised",
    "status",
    "resolved",
    "history",
    "cites",
)


def save(project: Project, path: str | os.PathLike, keep_backup: bool = True) -> None:
    """Write atomically: a temporary file beside the target, flushed, then renamed over it.

    The previous version is kept as PATH.bak. Raises OSError with the reason on failure,
    leaving the old file untouched.
    """
    write_atomic(os.fspath(path), dumps(project).encode("utf-8"), keep_backup)


def write_atomic(path: str, data: bytes, keep_backup: bool = False) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and os.path.exists(path):
            backup = path + ".bak"
            try:
                shutil.copyfile(path, backup)
            except OSError:
                pass  # a missing backup must not stop the save itself
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
