"""A cache beside the parse: the project read from a file, kept in the cache folder under
a hash of the file's bytes, so that opening the same bytes again skips reading the text.

    DEMARCHE_CACHE_DIR=/some/folder    where the cache lives (default: the platform's
                                       cache folder, e.g. ~/.cache/demarche); "" turns it off

The cache is never trusted: an entry names the format and cache versions and the hash of
the file it came from, and carries a hash of its own payload; an entry that is truncated,
of another version, a link, unreadable or not ours is ignored (with a note on stderr) and
written again. Entries are written to a temporary file and renamed, so two editors opening
one file at once both work. Only our own record classes are unpickled.

A file is cached at its second open (the first leaves a mark, and the chart keeps its
lanes beside it as they are stacked): a file opened once, or saved and opened again, does
not pay for writing an entry it would never read.
Small files (under MIN_BYTES) are not cached: writing the entry would cost their first open
more than later opens save.
"""

from __future__ import annotations

import dataclasses
import io
import mmap
import os
import pickle
import stat
import sys
import tempfile
from functools import cache
from itertools import starmap
from operator import attrgetter

import xxhash

from app.fileformat import spec, storedcolumns
from app.fileformat.textfile import fingerprint
from app.records.eventstore import ArraysBeside, EventStore
from app.records.model import FORMAT_VERSION, Conflict, Project
from app.records.recordstore import RecordStore

# Raised when the pickled records or the columns change shape, or what the fast reader
# reads (8: canonical text only; an older entry's store may hold texts it no longer reads;
# 9: XXH3 keys and digests; 10: the records' texts read from the file, not the entry).
CACHE_VERSION = 10
MIN_BYTES = 8 << 20  # about 33,000 events: below, a cold read costs little more than a warm one
KEEP = 8  # entries kept; the oldest go first
_MAGIC = b"DEMARCHE-PARSE\n"
_DIGEST = 16  # XXH3-128: it finds damage, not forgery (what can write the folder can do more)


def cache_dir() -> str | None:
    """The cache folder, or None when caching is turned off."""
    chosen = os.environ.get("DEMARCHE_CACHE_DIR")
    if chosen is not None:
        return chosen or None
    try:
        from PySide6 import QtCore

        base = QtCore.QStandardPaths.writableLocation(
            QtCore.QStandardPaths.StandardLocation.GenericCacheLocation
        )
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        base = ""
    base = base or os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "demarche")


def key_of(raw: bytes) -> str:
    return f"v{FORMAT_VERSION}.{CACHE_VERSION}-{fingerprint(raw)}"


def _note(message: str) -> None:
    print(f"demarche: parse cache: {message}", file=sys.stderr)


class _RecordsOnly(pickle.Unpickler):
    """Unpickles our records and plain containers, nothing else."""

    def find_class(self, module: str, name: str):
        if (
            (module, name) == ("app.records.when", "parse")
            or module == "app.records.model"
            or (module == "builtins" and name in ("tuple", "list", "dict", "set", "frozenset"))
        ):
            return super().find_class(module, name)
        if module == "copyreg" and name in ("_reconstructor", "__newobj__"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a record")


# Records are kept as rows of their fields, not as pickled objects: unpickling 100,000
# frozen dataclasses one attribute at a time took 1.2 s, building them from rows a
# fraction of that. Dates (When) stay objects: the events share a few thousand.
# The record lists of a project, by the spec (a kind added there is kept here too), and
# the fields of their records that hold records.
_CLASSES = {**{k.name: k.record for k in spec.KINDS}, "conflicts": Conflict}
_NESTED = {
    k.record: {f.attr: spec.NESTED[f.type].record for f in k.fields if f.type in spec.NESTED}
    for k in spec.KINDS
}


@cache
def _names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# What `_rows` keeps of a project besides its record lists, as it is.
PROJECT_TEXTS = tuple(f.name for f in dataclasses.fields(Project) if f.name not in _CLASSES)


def _getter(cls):
    """A record's fields as a tuple, taken in C (attrgetter of one name gives no tuple)."""
    names = _names(cls)
    if len(names) == 1:
        return lambda r: (getattr(r, names[0]),)
    return attrgetter(*names)


@cache
def _maker(cls):
    """Builds a record from a row: by position, or by name for keyword-only records (a
    function made once per class that names each field, as a dict per row cost twice as
    much)."""
    if any(f.kw_only for f in dataclasses.fields(cls)):
        names = _names(cls)
        keywords = ", ".join(f"{n}={n}" for n in names)
        return eval(f"lambda {', '.join(names)}: cls({keywords})", {"cls": cls})  # noqa: S307 - field names
    return cls


def _rows(project: Project) -> dict:
    """The project as plain rows (tuples of field values, taken by attrgetter in C); a
    nested record (a citation, a status change) as a row too, each distinct one once."""
    out = {name: getattr(project, name) for name in PROJECT_TEXTS}
    for kind, cls in _CLASSES.items():
        records = getattr(project, kind)
        if isinstance(records, RecordStore) and records.as_read():
            out[kind] = []  # kept as columns (storedcolumns)
            out.update((f"{kind}.{name}", []) for name in _NESTED.get(cls, {}))
            continue
        rows = list(map(_getter(cls), records))
        for name, sub in _NESTED.get(cls, {}).items():
            i, row_of = _names(cls).index(name), _getter(sub)
            seen: dict[int, tuple] = {}  # by identity: the reader shares equal blocks
            column = [r[i] for r in rows]
            out[f"{kind}.{name}"] = [
                seen.get(id(v)) or seen.setdefault(id(v), tuple(map(row_of, v))) for v in column
            ]
            rows = [(*r[:i], (), *r[i + 1 :]) for r in rows]  # kept as rows, not records
        out[kind] = rows
    return out


def _project(rows: dict) -> Project:
    project = Project(**{name: rows[name] for name in PROJECT_TEXTS})
    for kind, cls in _CLASSES.items():
        if not rows[kind]:
            continue
        columns = list(zip(*rows[kind], strict=True))  # field by field, to swap nested ones in
        for name, sub in _NESTED.get(cls, {}).items():
            i, make, shared = _names(cls).index(name), _maker(sub), {(): ()}
            columns[i] = [
                shared[v] if v in shared else shared.setdefault(v, tuple(starmap(make, v)))
                for v in rows[f"{kind}.{name}"]
            ]
        getattr(project, kind).extend(map(_maker(cls), *columns))
    return project


def get(key: str, raw: bytes) -> Project | None:
    """The project cached for a file's bytes (`raw`, and their `key_of`), or None (a miss,
    or an entry not to be trusted)."""
    folder = cache_dir()
    if folder is None or len(raw) < MIN_BYTES:
        return None
    path = os.path.join(folder, key + ".pickle")
    try:
        st = os.lstat(path)
    except OSError:
        return None  # a miss
    if not stat.S_ISREG(st.st_mode):
        _note(f"{path} is not a regular file (a link?): ignored, rebuilt")
        _remove(path)
        return None
    try:
        with open(path, "rb") as f:
            data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        head = _MAGIC + key.encode("ascii") + b"\n"
        if data[: len(head)] != head:
            raise ValueError("written by another version")
        start = len(head) + _DIGEST
        digest, body = data[len(head) : start], memoryview(data)[start:]
        if xxhash.xxh3_128_digest(body) != digest:
            raise ValueError("truncated or damaged")
        payload = int.from_bytes(body[:8], "little")
        rows = _RecordsOnly(io.BytesIO(body[8 : 8 + payload])).load()
        if not isinstance(rows, dict):
            raise ValueError("not a project")
        project = _project(rows)
        for kind in storedcolumns.KINDS:
            if f"{kind}.columns" in rows:
                setattr(
                    project, kind, storedcolumns.store_of(kind, rows[f"{kind}.columns"], body, raw)
                )
        if isinstance(project.events, EventStore):
            project.events.beside = ArraysBeside(folder, key)
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        EOFError,
        pickle.UnpicklingError,
        AttributeError,
    ) as exc:
        _note(f"{path}: {exc}: ignored, rebuilt")
        _remove(path)
        return None
    return project


def put(key: str, raw: bytes, project: Project) -> None:
    """Keep the project read from a file's bytes (`raw`, and their `key_of`). Failing to is
    not an error: a note only."""
    folder = cache_dir()
    if folder is None or len(raw) < MIN_BYTES:
        return
    seen = os.path.join(folder, key + ".seen")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not os.path.lexists(seen):  # the first open: a mark (the entry at the second)
            try:
                with open(seen, "xb"):
                    pass
            except FileExistsError:
                return  # another process marked it first
            _prune(folder)
            if isinstance(project.events, EventStore):  # and the lanes, as they are stacked
                project.events.beside = ArraysBeside(folder, key)
            return
        rows = _rows(project)
        stores = {
            kind: records
            for kind in storedcolumns.KINDS
            if isinstance(records := getattr(project, kind), RecordStore) and records.as_read()
        }
        # as arrays after the rows, mapped back from the file when read
        metas, arrays = storedcolumns.layout(stores, raw)
        rows.update((f"{kind}.columns", meta) for kind, meta in metas.items())
        body = storedcolumns.body(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), arrays)
        fd, temp = tempfile.mkstemp(prefix=".writing-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MAGIC + key.encode("ascii") + b"\n")
                digest = xxhash.xxh3_128()
                for part in body:
                    digest.update(part)
                f.write(digest.digest())
                for part in body:
                    f.write(part)
            os.replace(temp, os.path.join(folder, key + ".pickle"))
            if isinstance(project.events, EventStore):  # lanes kept beside from now on
                project.events.beside = ArraysBeside(folder, key)
        except BaseException:
            _remove(temp)
            raise
        _prune(folder)
    except (OSError, pickle.PicklingError, RecursionError) as exc:
        _note(f"cannot write in {folder}: {exc}")


def _prune(folder: str) -> None:
    """The oldest entries go; so do the arrays kept beside an entry gone, and the oldest
    arrays past a bound."""
    kept = set()
    for suffix, keep in ((".pickle", KEEP), (".seen", 8 * KEEP), (".npy", 64 * KEEP)):
        entries = []
        for entry in os.scandir(folder):
            if entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
                entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
        entries.sort()
        for _, path in entries[:-keep]:
            _remove(path)
        for _, path in entries[-keep:]:
            name = os.path.basename(path)
            if suffix != ".npy":
                kept.add(name[: -len(suffix)])
            elif name.split(".npy")[0].rsplit(".", 1)[0] not in kept:
                _remove(path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
