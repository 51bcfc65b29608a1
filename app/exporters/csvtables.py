"""Demarche's own CSV tables, one per kind of record (saved views too) and one of the
project's title and description, with self-describing headers (FORMATS.md §7): written by
`demarche export FILE -o OUT.csv [--table KIND]` and read back by the importer, so that
exporting every table and importing them gives the project again (but its context data).

A column is either a field of the record spec, written as the file writes it (dates as
EDTF), or a helper for people and other tools (`actor_path`, `start`, `end`,
`approximate`, `uncertain`), not read back when the field itself is there. Cells with
several values hold one a line; a citation is `SOURCE-ID (CREDIBILITY): "quote"` and a
status change `EDTF STATUS: "note"`, with the quoted parts as JSON strings.
"""

from __future__ import annotations

import csv
import io
import json
import locale
import re

from app.fileformat import plain, spec
from app.records.model import FORMAT_VERSION, Project
from app.records.when import When, utc

# Columns for people and other tools beside a field: (before it, after it).
_HELPERS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "events": {
        "actor": ((), ("actor_path",)),
        "when": (("start", "end"), ("approximate", "uncertain")),
    },
    "actors": {"name": ((), ("path",))},
    "phases": {"when": (("start", "end"), ())},
}
TABLES = ("events", "demands", "actors", "phases", "sources", "views", "project")
# The project's own fields, one row: what the records' tables leave out. `demarche` (the
# file format's version, as a project file starts) tells it from another tool's sheet of
# titles and descriptions.
PROJECT = "project"
PROJECT_COLUMNS = (("demarche", ""), ("title", "title"), ("description", "description"))


def columns(table: str) -> tuple[tuple[str, str], ...]:
    """A table's columns, (header, the spec field's key or "" for a helper column): every
    field of the record spec in its order, under its CSV header, with the helpers."""
    if table == PROJECT:
        return PROJECT_COLUMNS
    out: list[tuple[str, str]] = []
    helpers = _HELPERS.get(table, {})
    for f in spec.BY_NAME[table].fields:
        before, after = helpers.get(f.key, ((), ()))
        out += [(h, "") for h in before] + [(f.header, f.key)] + [(h, "") for h in after]
    return tuple(out)


# The headers that tell a table from others (and from other tools' sheets).
_SIGNS = (
    ("events", {"id", "actor", "title", "edtf"}),
    ("demands", {"id", "from", "to", "raised", "status"}),
    ("actors", {"id", "name", "parent"}),
    ("sources", {"id", "title", "publisher", "url"}),
    ("phases", {"id", "title", "edtf"}),
    ("views", {"id", "title", "actors", "zoom"}),
    (PROJECT, {"demarche", "title", "description"}),
)
PATH_SEPARATOR = " › "
YES = "yes"
_FORMULA = tuple("=+-@\t\r")  # what a spreadsheet would run as a formula
_SHIELDED = frozenset(("'", *_FORMULA))  # what a cell starts with when `_shielded` may change it
_CITE = re.compile(r'(?P<source>[^\s(:]+)(?: \((?P<credibility>\d)\))?(?:: (?P<quote>".*"))?', re.S)
_CHANGE = re.compile(r'(?P<when>\S+) (?P<status>[a-z]+)(?:: (?P<note>".*"))?', re.S)


def kind_of(header: list[str]) -> str | None:
    """Which of Demarche's tables a header is, if any."""
    names = {h.strip().lower() for h in header}
    return next((kind for kind, sign in _SIGNS if sign <= names), None)


# ---------------------------------------------------------------- cells


def _names_cell(values: list[str]) -> str:
    """One a line; as a JSON list when a value could not survive that (empty, a line
    break, space at an end, or a leading '[')."""
    if any(not v or v != v.strip() or "\n" in v or "\r" in v or v.startswith("[") for v in values):
        return json.dumps(values, ensure_ascii=False)
    return "\n".join(values)


def _names_of(cell: str) -> list[str]:
    if cell.startswith("["):
        try:
            values = json.loads(cell)
        except json.JSONDecodeError:
            values = None
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            return values
    return [line for line in _lines(cell) if line.strip()]


def _lines(cell: str) -> list[str]:
    """The lines of a cell: at line feeds only (a value may hold U+2028 or U+0085)."""
    return re.split(r"\r?\n", cell)


def _cite_line(c: dict) -> str:
    out = c["source"]
    if c.get("credibility") is not None:
        out += f" ({c['credibility']})"
    if c.get("quote"):
        out += ": " + json.dumps(c["quote"], ensure_ascii=False)
    return out


def _change_line(h: dict) -> str:
    out = f"{h['when']} {h['status']}"
    return out + (": " + json.dumps(h["note"], ensure_ascii=False) if h.get("note") else "")


# A demand's history on one line, for formats that give a field one line (Markwhen's
# properties): each change as its cell's line, parted by "; " (a note is quoted JSON).
_INLINE_CHANGE = re.compile(r'(\S+) ([a-z]+)(?:: ("(?:[^"\\]|\\.)*"))?(?:; |$)')


def history_inline(changes) -> str:
    """`changes` (StatusChange records) as one line: 2023-10-23 rejected: "no"; …"""
    return "; ".join(
        _change_line({"when": h.when.text, "status": h.status, "note": h.note}) for h in changes
    )


def history_of_inline(text: str) -> list[dict]:
    """What `history_inline` wrote, as plain changes; ValueError where it is not that."""
    out, at = [], 0
    while at < len(text):
        m = _INLINE_CHANGE.match(text, at)
        if m is None or m.end() == at:
            raise ValueError(f"'{text[at:]}' is not a status change (DATE STATUS: \"note\")")
        out.append({"when": m[1], "status": m[2], "note": _quoted(m[3])})
        at = m.end()
    return out


def encode(f: spec.Field, value) -> str:
    """A field's plain value (see app.fileformat.plain) as one cell."""
    if value is None or value == "" or value is False:
        return ""
    if value is True:
        return YES
    if f.type in (spec.REFS, spec.NAMES):
        return _names_cell(value)
    if f.type == spec.CITES:
        return "\n".join(_cite_line(c) for c in value)
    if f.type == spec.HISTORY:
        return "\n".join(_change_line(h) for h in value)
    return str(value)


def decode(f: spec.Field, cell: str):
    """One cell as the field's plain value; ValueError saying what is wrong."""
    if f.type in (spec.REFS, spec.NAMES):
        return _names_of(cell)
    if f.type == spec.FLAG:
        return cell.strip().lower() in (YES, "true", "1", "y", "x")
    if f.type == spec.CITES:
        return [_cite_of(line) for line in _lines(cell) if line.strip()]
    if f.type == spec.HISTORY:
        return [_change_of(line) for line in _lines(cell) if line.strip()]
    return cell


def _quoted(text: str | None) -> str:
    return json.loads(text) if text else ""


def _cite_of(line: str) -> dict:
    m = _CITE.fullmatch(line.strip(" "))
    if m is None:
        raise ValueError(f"'{line}' is not a citation (SOURCE-ID (N): \"quote\")")
    out = {"source": m["source"], "quote": _quoted(m["quote"])}
    if m["credibility"]:
        out["credibility"] = int(m["credibility"])
    return out


def _change_of(line: str) -> dict:
    m = _CHANGE.fullmatch(line.strip(" "))
    if m is None:
        raise ValueError(f"'{line}' is not a status change (DATE STATUS: \"note\")")
    return {"when": m["when"], "status": m["status"], "note": _quoted(m["note"])}


def _shielded(cell: str, excel: bool) -> str:
    """A leading apostrophe doubled, and, for Excel, one put before what it would run."""
    if cell.startswith("'") or (excel and cell.startswith(_FORMULA)):
        return "'" + cell
    return cell


def unshielded(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


# ---------------------------------------------------------------- writing


def _day(t: float | None, w: When) -> str:
    if t is None:
        return ""
    moment = utc(t)
    return moment.isoformat(timespec="minutes") if "T" in w.text else moment.date().isoformat()


def _helpers(kind: str, r, paths: dict[str, str]) -> dict[str, str]:
    out = {}
    when = getattr(r, "when", None)
    if when is not None:
        out["start"] = _day(when.lo, when)
        out["end"] = _day(when.hi - 1 if when.hi is not None else None, when)
        out["approximate"] = YES if when.approximate else ""
        out["uncertain"] = YES if when.uncertain else ""
    if kind == "events":
        out["actor_path"] = paths.get(r.actor, "")
    if kind == "actors":
        out["path"] = paths.get(r.id, "")
    return out


def actor_paths(project: Project) -> dict[str, str]:
    """Each actor's lane as the path of names to it: "United States › CIA"."""
    by_id = {a.id: a for a in project.actors}
    out = {}
    for actor in project.actors:
        names, seen, at = [], set(), actor.id
        while at in by_id and at not in seen:  # a cycle in a broken file stops here
            seen.add(at)
            names.append(by_id[at].name)
            at = by_id[at].parent
        out[actor.id] = PATH_SEPARATOR.join(reversed(names))
    return out


def excel_delimiter() -> str:
    """The list separator Excel uses here: ';' where the decimal mark is a comma."""
    try:
        saved = locale.setlocale(locale.LC_NUMERIC)
        locale.setlocale(locale.LC_NUMERIC, "")
        comma = locale.localeconv()["decimal_point"] == ","
        locale.setlocale(locale.LC_NUMERIC, saved)
    except locale.Error:
        comma = False
    return ";" if comma else ","


def dumps(project: Project, table: str = "events", excel: bool = False) -> str:
    """One table as CSV text (RFC 4180: "," and CRLF, which also makes the writer quote a
    lone CR in a cell); for Excel (`excel`), a byte-order mark and the locale's separator."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=excel_delimiter() if excel else ",", lineterminator="\r\n")
    table_columns = columns(table)
    writer.writerow([header for header, _ in table_columns])
    if table == PROJECT:
        cells = (str(FORMAT_VERSION), project.title, project.description)
        writer.writerow([_shielded(c.replace("\x00", "\ufffd"), excel) for c in cells])
        return ("\ufeff" if excel else "") + out.getvalue()
    kind = spec.BY_NAME[table]
    fields = {f.key: f for f in kind.fields}
    paths = actor_paths(project)
    plan = [(header, fields[key] if key else None) for header, key in table_columns]
    for r in getattr(project, table):
        values = plain.record(kind, r)
        helpers = _helpers(table, r, paths)
        row = []
        for header, f in plan:  # (`encode` and `_shielded`, the usual cases first)
            if f is None:
                cell = helpers.get(header, "")
            else:
                value = values.get(f.key)
                cell = value if type(value) is str else encode(f, value)
            if "\x00" in cell:
                cell = cell.replace("\x00", "\ufffd")
            row.append(_shielded(cell, excel) if cell[:1] in _SHIELDED else cell)
        writer.writerow(row)
    return ("\ufeff" if excel else "") + out.getvalue()
