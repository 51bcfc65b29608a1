"""Reading, checking and writing project files.

    project = load("talks.yaml")          # raises ProjectFileError listing every problem
    save(project, "talks.yaml")           # atomic, keeps talks.yaml.bak

The written form is canonical: stable key order, one item per block, dates quoted, no
aliases. Reading a canonical file and writing it again gives the same bytes.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from functools import partial

from app.fileformat import columnread, parsecache, spec
from app.fileformat.anyread import read_any
from app.fileformat.atomic import LINE_END_PROBE, write_atomic
from app.fileformat.build import KIND_NOTES, Builder, build, format_path
from app.fileformat.canonical import (  # noqa: F401 - dumps for callers
    LEADING_COMMENTS,
    dumps,
    dumps_utf8,
    write_utf8,
)
from app.fileformat.fastread import read_fast, read_fast_bytes
from app.fileformat.places import line_starts, locate
from app.fileformat.recordtexts import demand_store, event_store
from app.fileformat.textfile import TextFileError, decode_utf8, printable, read_bounded
from app.fileformat.yamlread import Located, YamlProblem, read_located
from app.records.collector import collection_paused
from app.records.model import Project
from app.records.plural import counted

# A million events of tests.bench's shape take 246 MB; the limit stops a file that is not
# a project at all (a disk image picked by mistake) before it fills the memory.
MAX_FILE_BYTES = 512 * 1024 * 1024


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
        return printable(f"{place}: {kind}{field_}{self.message}")


class ProjectFileError(Exception):
    """A file that cannot be opened as a project; `diagnostics` lists every reason."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


# ------------------------------------------------------------------------ reading


def load(path: str | os.PathLike, warnings: list[Diagnostic] | None = None) -> Project:
    name = os.fspath(path)
    try:
        raw = read_bounded(name, MAX_FILE_BYTES)
    except TextFileError as exc:
        raise ProjectFileError([Diagnostic(name, exc.line, exc.col, "", exc.message)]) from None
    key = parsecache.key_of(raw)
    if warnings is None:  # warnings need the text: `validate` reads it every time
        cached = parsecache.get(key, raw)
        if cached is not None:
            return cached
    with collection_paused():
        project = loads_bytes(raw, name, warnings)
    if warnings is None:  # what `validate` reads is never read from the cache: not kept
        parsecache.put(key, raw, project)
    return project


def _decoded(raw: bytes, name: str) -> str:
    try:
        return decode_utf8(raw)
    except TextFileError as exc:
        raise ProjectFileError([Diagnostic(name, exc.line, exc.col, "", exc.message)]) from None


def loads_bytes(
    raw: bytes, name: str = "<text>", warnings: list[Diagnostic] | None = None
) -> Project:
    """Read a project file's bytes. A canonical file is read from its bytes, never decoded
    whole: the stores keep views of them (a project of 246 MB held its text beside them
    while read)."""
    if warnings is None:
        project = read_fast_bytes(_lf(raw), columnread.STORES)
        if project is not None:
            return project
    return _loads(_decoded(raw, name), name, warnings, raw, _tried(raw, warnings))


def _lf(raw: bytes) -> bytes:
    """A file whose lines end in CR LF with them ended in LF, as YAML reads any line end,
    for the fast reader, which reads LF alone (through PyYAML, 20,000 events took 4.8 s
    rather than 0.14 s). A CR left (one alone) still sends the file to the full reader."""
    return raw.replace(b"\r\n", b"\n") if b"\r\n" in raw[:LINE_END_PROBE] else raw


def _read_fast_with_warnings(
    text: str, name: str, warnings: list[Diagnostic], raw: bytes | None
) -> Project | None:
    """The fast reader's reading of a canonical text, its warnings placed by the records'
    starts. CR LF is read as LF, as `_lf` has it: the lines are the same lines, so each
    warning's line and column are those of the file (through PyYAML, `validate` of 20,000
    events took 5.5 s rather than 0.5 s)."""
    if "\r\n" in text[:LINE_END_PROBE]:
        text, raw = text.replace("\r\n", "\n"), None
    starts: dict[str, list[int]] = {}
    project = read_fast(text, starts)
    if project is None:
        return None
    notes = _notes(project)
    if project.events:
        project.events = event_store(project.events, text, starts["events"], raw)
    if project.demands:
        project.demands = demand_store(project.demands, text, starts["demands"], raw)
    lines = line_starts(text) if notes else []
    for path, message in notes:
        line, col = locate(text, starts, path, lines) or (None, None)
        warnings.append(Diagnostic(name, line, col, format_path(path), message, True))
    return project


def _tried(raw: bytes, warnings: list | None) -> bool:
    """Whether the fast reader of the bytes has read (or refused) their text: not with
    warnings, nor after a byte order mark (the text, without it, is read again)."""
    return warnings is None and not raw.startswith(codecs.BOM_UTF8)


def loads(
    text: str,
    name: str = "<text>",
    warnings: list[Diagnostic] | None = None,
    raw: bytes | None = None,
) -> Project:
    """Read project text. Tries the fast canonical reader first, then the full one."""
    return _loads(text, name, warnings, raw, False)


def _loads(
    text: str, name: str, warnings: list[Diagnostic] | None, raw: bytes | None, tried: bool
) -> Project:
    """`loads`, once the fast reader of the bytes `tried` (and refused) the text."""
    if not text or text.isspace():  # (`strip` copied the whole text)
        raise ProjectFileError([Diagnostic(name, None, None, "", "the file is empty")])
    raw = raw if raw is not None and len(raw) == len(text) else None  # its bytes when ASCII
    if warnings is None and not tried:  # events and demands straight to their columns
        data = raw if raw is not None else text.encode("utf-8", "surrogatepass")
        project = read_fast_bytes(_lf(data), columnread.STORES)
        if project is not None:
            return project
    elif warnings is not None:  # worked out from the records, placed by their starts
        project = _read_fast_with_warnings(text, name, warnings, raw)
        if project is not None:
            return project
    found = read_any(text, raw)
    if found is not None:  # any other layout, when valid
        project, places = found
        for path, message in _notes(project) if warnings is not None else []:
            line, col = places.locate(path) or (None, None)
            warnings.append(Diagnostic(name, line, col, format_path(path), message, True))
        return project
    located = _read_located(text, name)
    problems: list[tuple[tuple, str, bool]] = []
    project, notes = build(located.data, problems)
    project.preamble = LEADING_COMMENTS.match(text).group().replace("\r\n", "\n")
    diagnostics = [Diagnostic(name, *at, format_path(p), m) for p, m, at in located.problems]
    if not isinstance(located.data, dict) or "demarche" not in located.data:
        foreign = "not a Demarche project (it has no 'demarche:' version key)"
        diagnostics.insert(0, Diagnostic(name, 1, 1, "", foreign))
        if not isinstance(located.data, dict) or not located.data.keys() & set(spec.TOP_KEYS):
            problems = []  # another tool's file: what it lacks of a project says nothing more
    diagnostics += [_locate(name, located, p, m, at_key) for p, m, at_key in problems]
    if diagnostics:
        diagnostics.sort(key=lambda d: (d.line or 0, d.col or 0))  # stable: "not a project" first
        raise ProjectFileError(_first_problems(name, diagnostics))
    if warnings is not None:
        _add_warnings(warnings, notes, name, located)
        for i, c in enumerate(project.conflicts):  # for `validate`: the file still loads
            where = f"{c.kind} {c.id}".strip() + (f", {c.field}" if c.field else "")
            message = f"unresolved merge conflict ({where}): ours {c.ours or '(deleted)'}, theirs {c.theirs or '(deleted)'}"
            d = _locate(name, located, ("conflicts", i), message, False)
            warnings.append(d)
    return project


# Enough to see what is wrong and where; a machine-made file can repeat one mistake
# 20,000 times, which no one reads (and a dialog of 20,000 lines is slow to show).
MAX_PROBLEMS = 200


def _first_problems(name: str, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    if len(diagnostics) <= MAX_PROBLEMS:
        return diagnostics
    more = len(diagnostics) - MAX_PROBLEMS
    last = Diagnostic(
        name,
        None,
        None,
        "",
        f"and {counted(more, 'more problem')} (the first {MAX_PROBLEMS} are listed)",
    )
    return [*diagnostics[:MAX_PROBLEMS], last]


def _notes(project: Project) -> list[tuple[tuple, str]]:
    """The warnings about a project read by the fast reader, with their paths."""
    notes = Builder([])
    notes.project = project  # a view's types are checked against the events' own
    for kind, check in KIND_NOTES.items():
        records = getattr(project, kind)
        check(notes, records, [(kind, i) for i in range(len(records))])
    return notes.notes


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


def save(project: Project, path: str | os.PathLike, replace_read_only: bool = True) -> None:
    """Write atomically (see app/atomic.py), keeping the previous version as PATH.bak and
    the line ends the file had (CR LF stays CR LF, so a diff shows only what changed).
    Raises OSError with the reason on failure, leaving the old file untouched."""
    write_atomic(path, partial(write_utf8, project), True, replace_read_only, line_ends_from=path)
