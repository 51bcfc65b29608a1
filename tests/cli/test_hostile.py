"""A folder of hostile and unlucky files, each through `validate`, `export` to every format
and the editor's open path, in two processes of their own (the commands', the editor's)
with a time limit and a memory cap, started with the session. Each ends in a clean accept
or exit 1 with located errors: never a traceback, a signal, a hang or a raw control
character on the terminal."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.fileformat.projectfile import MAX_FILE_BYTES, MAX_PROBLEMS

ROOT = Path(__file__).parents[2]
MEMORY_CAP = 3 * 2**30

HEAD = 'demarche: 1\ntitle: "T"\nactors:\n  - id: a\n    name: "A"\n  - id: b\n    name: "B"\n'


def event(when: str, title: str = '"E"', extra: str = "") -> str:
    return f"events:\n  - id: e\n    actor: a\n    title: {title}\n    when: {when}\n{extra}"


DEEPER = sys.getrecursionlimit() * 6 // 5
MANY = MAX_PROBLEMS + 50


def chain(n: int) -> str:
    """n actors, each nested in the one before."""
    lines = ['demarche: 1\ntitle: "Chain"\nactors:']
    for i in range(n):
        lines.append(f'  - id: a{i}\n    name: "A{i}"' + (f"\n    parent: a{i - 1}" if i else ""))
    return "\n".join(lines) + "\nevents: []\n"


def misspelt(n: int) -> str:
    events = "".join(
        f'  - id: e{i}\n    actor: actr{i}\n    title: "E"\n    when: "2023-01-01"\n'
        for i in range(n)
    )
    return HEAD + "events:\n" + events


# name: (bytes, expected exit of validate: 0 accepted, 1 refused)
CASES: dict[str, tuple[bytes, int]] = {
    "empty-id.yaml": (HEAD.replace("id: b", 'id: ""') + "events: []\n", 1),
    "null-id.yaml": (HEAD.replace("id: b", "id: null") + "events: []\n", 1),
    "null-actor.yaml": (HEAD + event('"2023-01-01"').replace("actor: a", "actor: null"), 1),
    "year-9999.yaml": (HEAD + event('"9999"'), 0),
    "year-0001.yaml": (HEAD + event('"0001-01-01/.."'), 0),
    "last-day.yaml": (HEAD + event('"9999-12-31"'), 0),
    "year-zero-unquoted.yaml": (HEAD + event("0000-01-01"), 1),
    "offset-25.yaml": (HEAD + event("2023-01-01T10:00+25:00"), 1),
    "leap-second.yaml": (HEAD + event("2023-01-01T23:59:60Z"), 1),
    "line-separator.yaml": (HEAD + event('"2023-02-30"', '"x\u2028y"'), 1),
    "nul.yaml": (HEAD.encode() + b"\x00", 1),
    "latin1.yaml": (HEAD.replace('"B"', '"caf\xe9"').encode("latin-1") + b"events: []\n", 1),
    "utf16.yaml": ((HEAD + "events: []\n").encode("utf-16"), 1),
    "escape.yaml": (HEAD + event('"2023-01-01"', '"\\e]0;owned\\a\\e[2J"'), 0),
    "escape-bad.yaml": (
        HEAD + event('"2023-13-01"', '"\\e[2J"').replace("actor: a", 'actor: "\\e[31m"'),
        1,
    ),
    "merge-key.yaml": (HEAD + "events:\n  - <<: {id: e}\n", 1),
    "tags-no.yaml": (HEAD + event('"2023-01-01"', extra="    tags: [no]\n"), 1),
    "aliases.yaml": (b"a: &a [1, 2]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n", 1),
    "deep.yaml": (b"demarche: 1\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n", 1),
    "python-tag.yaml": (b"demarche: 1\ntitle: !!python/object:os.system echo\n", 1),
    "duplicate-key.yaml": (HEAD.encode() + b"title: again\nevents: []\n", 1),
    "compose.yaml": (b"services:\n  web:\n    image: nginx\n", 1),
    "junk.yaml": (bytes(range(256)) * 4, 1),
    "crlf.yaml": ((HEAD + event('"2023-01-01"')).replace("\n", "\r\n").encode(), 0),
    # Deeper than Python's recursion limit (by a fifth: 2,000 levels cost 2.4 s of the
    # batches, each of the eight commands and the editor reading them all).
    f"chain-{DEEPER}.yaml": (chain(DEEPER), 1),
    # More problems than a report lists (test_projectfile.py checks the count of the rest;
    # here, that each command ends cleanly with them: 1,000 cost 1.5 s of the batches).
    f"misspelt-{MANY}.yaml": (misspelt(MANY), 1),
    "self-demand.yaml": (
        HEAD + "events: []\ndemands:\n  - id: d\n    from: a\n    to: a\n    via: [a]\n"
        '    text: "x"\n    raised: "2023-01-01T10:00+15:00"\n    status: open\n',
        0,
    ),
}


def write_files(folder: Path) -> Path:
    for name, (content, _) in CASES.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "random.yaml").symlink_to("/dev/urandom")
    (folder / "folder.yaml").mkdir()
    with open(folder / "huge.yaml", "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: the size check refuses it unread
    return folder


SPECIAL = ["fifo.yaml", "zero.yaml", "random.yaml", "folder.yaml", "huge.yaml", "missing.yaml"]
EXPECTED = {**{n: code for n, (_, code) in CASES.items()}, **{n: 1 for n in SPECIAL}}
SUFFIXES = [".png", ".svg", ".html", ".csv", ".json", ".mw", ".ics"]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


class Started:
    """A Python command in a process of its own, under the time limit and the memory cap;
    its output goes to files (a pipe would fill while nobody reads it)."""

    def __init__(self, args: list[str], folder: Path, name: str, timeout: float):
        self.deadline = time.monotonic() + timeout
        self.out, self.err = folder / f"{name}.out", folder / f"{name}.err"
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                preexec_fn=_cap_memory,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )

    def result(self) -> subprocess.CompletedProcess:
        try:
            self.process.wait(max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.stop()
            raise
        return subprocess.CompletedProcess(
            self.process.args,
            self.process.returncode,
            self.out.read_text(errors="replace"),
            self.err.read_text(errors="replace"),
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def assert_clean(result: subprocess.CompletedProcess, name: str) -> str:
    out = result.stdout + result.stderr
    assert result.returncode >= 0, f"{name}: killed by signal {-result.returncode}"
    return assert_clean_output(out, name)


def assert_clean_output(out: str, name: str) -> str:
    assert "Traceback" not in out, f"{name}:\n{out}"
    assert "\x1b" not in out and "\x07" not in out, f"{name}: raw control character"
    return out


# Runs commands one after another in one process (a process each cost a second of start-up
# per file): each command's output and exit code come back as one JSON line, and an
# exception escaping a command comes back as its traceback, in that command's output.
BATCH = """
import contextlib, io, json, sys, traceback
from app.cli.main import main
for argv in json.load(open(sys.argv[1])):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            traceback.print_exc()
            code = None
    print(json.dumps([argv, code, out.getvalue()]), flush=True)
"""

# The window's Open on each file, with the problems dialog recorded instead of shown.
EDITOR = """
import os, sys
from PySide6 import QtCore, QtWidgets
from widgets import dialogs
from widgets.mainwindow import MainWindow
app = QtWidgets.QApplication([])
shown = []
dialogs.ErrorListDialog.exec = lambda self: shown.append(self.text.toPlainText())
s = QtCore.QSettings(sys.argv[1] + '/s.ini', QtCore.QSettings.Format.IniFormat)
w = MainWindow(s, offer_recovery=False)
for path in sys.argv[2:]:
    shown.clear()
    ok = w.open_path(path)
    if w.files.opening is not None:  # a big file, read on a thread: its answer comes later
        w.files.opening.wait()
        ok = w.doc.path == os.path.abspath(path)
    print(path, int(ok), int(bool(shown)), flush=True)
    w.doc.undo_stack.setClean()
"""


@dataclass
class Batches:
    folder: Path  # the hostile files
    exported: Path
    commands: list[list[str]]
    cli: Started
    editor: Started


_started: list[Batches] = []


def start_in_background(tmp_path_factory) -> Batches:
    """Write the files and start both batches (every file through `validate` and through
    `export` to every format; the editor's Open), each in a process of its own. The session
    calls this first (tests/conftest.py), so they run on the other core meanwhile."""
    if not _started:
        folder = write_files(tmp_path_factory.mktemp("hostile"))
        work = tmp_path_factory.mktemp("hostile-work")
        exported = tmp_path_factory.mktemp("exported")
        names = sorted(EXPECTED)
        commands = [["validate", str(folder / name)] for name in names]
        for suffix in SUFFIXES:
            for name in names:
                target = str(exported / (name + suffix))
                commands.append(["export", str(folder / name), "-o", target])
        (work / "commands.json").write_text(json.dumps(commands))
        cli = Started(["-c", BATCH, str(work / "commands.json")], work, "cli", 600)
        paths = [str(folder / n) for n in names]
        editor = Started(["-c", EDITOR, str(work), *paths], work, "editor", 600)
        _started.append(Batches(folder, exported, commands, cli, editor))
    return _started[0]


def stop_background() -> None:
    for batches in _started:
        batches.cli.stop()
        batches.editor.stop()


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    yield start_in_background(tmp_path_factory)  # unless the session did
    stop_background()


@pytest.fixture(scope="module")
def hostile(batches) -> Path:
    return batches.folder


@pytest.fixture(scope="module")
def commands_run(batches):
    """Each command's (exit code, output), by its arguments; and where exports went."""
    result = batches.cli.result()
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert_clean_output(result.stderr, "batch")  # what went around the commands' output
    done = {}
    for line in result.stdout.splitlines():
        argv, code, out = json.loads(line)
        done[tuple(argv)] = (code, out)
    assert len(done) == len(batches.commands), result.stdout[-2000:] + result.stderr[-2000:]
    return done, batches.exported


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate(hostile, commands_run, name):
    code, out = commands_run[0][("validate", str(hostile / name))]
    assert_clean_output(out, name)
    assert code == EXPECTED[name], f"{name}:\n{out}"
    if code == 1:
        assert out.startswith(f"{hostile / name}:"), out  # every message names the file
        if name in CASES:
            assert f"{hostile / name}:" in out and out.split(":")[1].isdigit(), out  # a line
    if name == "huge.yaml":
        assert "file is too large" in out, out  # refused by its size, unread


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_export(hostile, commands_run, suffix):
    """Every file through export: refused with exit 1, or drawn."""
    done, folder = commands_run
    for name in sorted(EXPECTED):
        target = str(folder / (name + suffix))
        code, out = done[("export", str(hostile / name), "-o", target)]
        assert_clean_output(out, name)
        assert code == EXPECTED[name], f"{name}:\n{out}"
        assert os.path.exists(target) == (code == 0), name  # drawn when accepted, only then
    if suffix == ".svg":
        import xml.etree.ElementTree as ET

        ET.parse(folder / "escape.yaml.svg")  # control characters in a title: still XML


def test_the_editor_open_path(batches):
    """The window's Open on each file: a refused file shows its problems, and the project
    already open stays."""
    result = batches.editor.result()
    out = assert_clean(result, "editor")
    seen = {line.split(" ")[0]: line.split(" ")[1:] for line in result.stdout.splitlines()}
    for name in sorted(EXPECTED):
        opened, told = seen[str(batches.folder / name)]
        assert (opened, told) == (("1", "0") if EXPECTED[name] == 0 else ("0", "1")), (
            f"{name}\n{out}"
        )
