"""A fast reader for a valid project in any YAML layout (written by hand or by another
tool), through rapidyaml: its C++ parser and JSON emitter turn the text into JSON, which
msgspec reads into records by the spec (anydecode.py), about forty times faster than
PyYAML's located path.

rapidyaml reads YAML 1.2 and PyYAML reads YAML 1.1, so the two can disagree on a plain
(unquoted) scalar: `yes`, `~`, `0x1F`, `1e3`, `2023-11-22 01:00`. Every value that PyYAML
would read as something other than the text rapidyaml gave is looked at: where the
field's reading is the same either way (an unquoted date in a date field) it is kept,
otherwise the reader gives up. The JSON is read into records by app/fileformat/anydecode.py. It also gives up on anything PyYAML's located path refuses
or reports (anchors, aliases, tags, several documents, duplicate keys, any problem in
the records) and on the first doubt, returning None: the caller then takes the full path
through PyYAML, which says what is wrong with its line and column. A differential
property test holds this reader to PyYAML's reading.

Warnings (which do not stop a file loading) are located from rapidyaml's tree: each
scalar there points into the text it was read from.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from contextlib import contextmanager

import numpy as np

from app.fileformat import anydecode, spec
from app.fileformat.build import Builder
from app.fileformat.canonical import LEADING_COMMENTS
from app.fileformat.settle import NotSure, ids_unique, settle
from app.records.model import Project

# What the located path refuses or reads its own way, found by scans of the text; a
# false alarm (an '&x' inside quotes) only costs the slow path. Tabs, CR, NEL, LS, PS,
# BOMs and other controls: YAML 1.1 and 1.2 treat them differently. Each pattern starts
# with a character class or a literal, or is run only when a cheap `in` of one character
# says it may match: a pattern that starts with an alternation took 4 s over a
# 200,000-event file, and each `in` of two characters 0.05 s.
_ODD_CHAR = re.compile(
    "[\t\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"
)
_PLAIN_ASCII = bytes(range(32, 127)) + b"\n"  # in ASCII, every character but these is odd
_DOCUMENTS = re.compile(r"\n(?:---|\.\.\.|%)")  # a document's start or end, a directive
_ANCHOR_OR_TAG = re.compile(r"[&*!]\S")  # an anchor, alias or tag where a value starts
_COMPLEX_KEY = re.compile(r"(?:^|[\[\{,])[ -]*\?(?:[ \n]|$)", re.M)


def _doubtful(text: str, raw: bytes) -> bool:
    if len(raw) == len(text):  # ASCII: odd bytes found by deleting the others (0.02 s)
        if raw.translate(None, _PLAIN_ASCII):
            return True
    elif _ODD_CHAR.search(text):
        return True
    if "<" in text and "<<" in text:
        return True
    if text.startswith(("---", "...", "%")) or _DOCUMENTS.search(text):
        return True  # documents and directives
    if "?" in text and ("? " in text or "?\n" in text) and _COMPLEX_KEY.search(text):
        return True
    if "&" in text or "*" in text or "!" in text:
        for m in _ANCHOR_OR_TAG.finditer(text):
            if m.start() == 0 or text[m.start() - 1] in " \n[{,":
                return True
    return False


_NONE = (1 << 64) - 1  # rapidyaml's "no node" (size_t's largest)


def _parsed(buffer: bytearray):
    """rapidyaml's tree of YAML bytes, read in place from `buffer` (its scalars point into
    it, to locate warnings), and the tree as JSON. rapidyaml is imported on first use: a
    canonical file never needs it."""
    import ryml  # pinned in pyproject.toml

    tree = ryml.Tree()
    # Room for about a node a line made at once: grown a step at a time, the tree of a
    # 200,000-event file took 1.0 s to read instead of 0.4 s.
    tree.reserve(buffer.count(b"\n") * 5 // 4 + 64)
    with _native_errors_held():
        ryml.parse_in_place(buffer, tree)
    # Written into memory numpy leaves untouched until used: most files' JSON is about 1.5
    # times their YAML (a second try, sized, when it is longer).
    size = 2 * len(buffer) + 4096
    for _ in range(2):
        out = np.empty(size, dtype=np.uint8)
        failed, size = ryml.emit_json_to_substr(tree, tree.root_id(), memoryview(out))
        if not failed:
            return tree, memoryview(out)[:size]
    raise NotSure


# rapidyaml's error as it writes it: "line=3 col=3 (21B): ERROR: [parse] …", then where
# in its sources, to the end.
_RYML_ERROR = re.compile(rb"(?m)^line=\d+ col=\d+ .*ERROR: \[")
_STDERR = threading.Lock()  # the process's stderr is one: one parse holds it at a time


@contextmanager
def _native_errors_held():
    """rapidyaml's C++ writes each parse error to the process's stderr before raising it
    (its Python module has no switch for that), and the command line then printed it
    under the error Demarche tells with its file, line and column. What is written to
    stderr while a parse runs is held, and written after it but for rapidyaml's error
    (other threads may write meanwhile)."""
    with _STDERR:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):  # no stderr to hold (a window's)
            yield
            return
        with tempfile.TemporaryFile() as held:
            os.dup2(held.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                if held.tell():
                    held.seek(0)
                    written = held.read()
                    error = _RYML_ERROR.search(written)
                    os.write(2, written[: error.start()] if error else written)


def _project(read: dict) -> Project:
    """The project of records read, once each kind has passed the file's checks."""
    project = Project(title=read["title"], description=read["description"])
    known: dict[str, set[str]] = {}
    ids: list[str] = []
    checker = Builder([])
    checker.project = project  # a later kind's checks may read an earlier one's records
    for kind in spec.KINDS:
        records = getattr(project, kind.name)
        records.extend(read[kind.name])
        settle(kind, records, known, ids, checker)
    if not ids_unique(known, len(ids)):
        raise NotSure
    return project


def read_any(text: str, raw: bytes | None = None) -> tuple[Project, Places] | None:
    """The project in `text` (whose UTF-8 bytes are `raw`, when the caller has them) and
    where its values stand, or None when this reader cannot vouch for it."""
    raw = text.encode("utf-8") if raw is None else raw
    if _doubtful(text, raw):
        return None
    buffer = bytearray(raw)  # rapidyaml rewrites escapes in place: its own copy
    try:
        tree, data = _parsed(buffer)
        project = _project(anydecode.records(data, tree.size()))
    except (NotSure, ValueError, TypeError, RecursionError, RuntimeError, MemoryError):
        return None
    except Exception:  # noqa: BLE001 - rapidyaml's and msgspec's errors, or no rapidyaml
        return None
    project.preamble = LEADING_COMMENTS.match(text).group()
    return project, Places(tree, raw, buffer)


class Places:
    """(line, column) of a value by its path, e.g. ("events", 3, "with"), from the tree:
    each scalar rapidyaml read is a view into the bytes it read."""

    def __init__(self, tree, raw: bytes, buffer: bytearray):
        self.tree, self.raw, self.buffer = tree, raw, buffer  # the tree points into buffer
        self.start = _address(memoryview(buffer))
        self.children: dict[int, list[int]] = {}
        self.counted = (0, 0)  # a byte's offset, and the line breaks before it

    def _line(self, at: int) -> int:
        """The 0-based line of byte `at`, counted on from the last one asked for: warnings
        come in the file's order, so all of them cost one count of the file's line breaks
        (0.03 s at 200,000 events, where an index of every line took 0.1 s)."""
        if at < self.counted[0]:
            self.counted = (0, 0)
        since, line = self.counted
        line += self.raw.count(b"\n", since, at)
        self.counted = (at, line)
        return line

    def _node(self, path: tuple) -> int | None:
        t, node = self.tree, self.tree.root_id()
        for part in path:
            if isinstance(part, int):
                items = self._items(node)
                if part >= len(items):
                    return None
                node = items[part]
            else:
                if not t.is_map(node):
                    return None
                node = t.find_child(node, part.encode("utf-8"))
                if node == _NONE:
                    return None
        return node

    def _items(self, node: int) -> list[int]:
        """The children of a sequence, listed once (the tree finds the n-th by walking)."""
        if node not in self.children:
            t, items = self.tree, []
            if t.is_seq(node):
                child = t.first_child(node)
                while child != _NONE:
                    items.append(child)
                    child = t.next_sibling(child)
            self.children[node] = items
        return self.children[node]

    def locate(self, path: tuple) -> tuple[int, int] | None:
        node, probe = None, path
        while probe and node is None:  # a missing key is reported where its parent stands
            node = self._node(probe)
            probe = probe[:-1]
        if node is None:
            return None
        at = self._offset(node)
        if at is None:
            return None
        begins = self.raw.rfind(b"\n", 0, at) + 1
        return self._line(at) + 1, len(self.raw[begins:at].decode("utf-8", "replace")) + 1

    def _offset(self, node: int) -> int | None:
        t = self.tree
        quoted = t.has_val(node) and t.is_val_quoted(node)  # '' too points into the text
        if t.has_val(node) and not t.is_container(node) and (len(t.val(node)) or quoted):
            return self._at(t.val(node)) - (1 if quoted else 0)
        if t.is_container(node) and t.num_children(node):
            first = t.first_child(node)
            if t.is_map(node) and t.has_key(first):
                found = self._at(t.key(first)) - (1 if t.is_key_quoted(first) else 0)
                return self._opened(found, b"{")
            found = self._offset(first)
            return None if found is None else self._opened(found, b"-[")
        if t.has_key(node) and len(t.key(node)):  # an empty value: where its key is
            return self._at(t.key(node))
        return None

    def _opened(self, at: int, openers: bytes) -> int:
        """Where a mapping or list whose first item is `at` opens, as PyYAML says: at its
        "{" or "[", or a list item's "-", which may stand before it, on an earlier line
        too; else at its first item (a block mapping)."""
        back = at - 1
        while back >= 0 and self.raw[back] in b" \n":
            back -= 1
        return back if back >= 0 and self.raw[back] in openers else at

    def _at(self, view) -> int:
        return _address(view) - self.start


def _address(view) -> int:
    return np.frombuffer(view, dtype=np.uint8).ctypes.data
