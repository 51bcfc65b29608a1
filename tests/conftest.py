from __future__ import annotations

import builtins
import gc
import os
import sys
import tempfile
import threading
from pathlib import Path

# Before Qt makes its application: plain `pytest` runs without a display (Qt would
# otherwise abort looking for one). A platform set by hand is kept.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hypothesis runs every "hypothesis" entry point at its import: trio's (selenium brings
# trio in) imports trio, 0.26 s of CPU in each of the run's processes, for nothing here.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# The parse cache stays off in tests (they must not write in the user's cache folder);
# tests of the cache turn it on in a folder of their own.
os.environ["DEMARCHE_CACHE_DIR"] = ""

from app.context import summary
from app.records.model import Actor, Cite, Demand, Event, Phase, Project, Source, StatusChange
from app.records.when import parse
from tests.examples import CI
from tests.interop import readers  # noqa: F401 - the real readers, for any test that asks

# The tests' files in memory (tmp_path, and the processes they start), where the disk is
# not asked to keep them: every save is an atomic write that syncs the file and its folder
# (app/fileformat/atomic.py), about 700 syncs in a run, 7 ms each on this machine's disk
# when it is idle and up to a second for a big file when it is not (0.002 ms in memory).
# Only where it has room to spare (a container's is often 64 MB; a run writes about
# 100 MB); a folder chosen by hand (TMPDIR) is kept.
MEMORY, ROOM = "/dev/shm", 1 << 30


def _roomy(folder: str) -> bool:
    try:
        stat = os.statvfs(folder)
    except OSError:
        return False
    return os.access(folder, os.W_OK) and stat.f_bavail * stat.f_frsize >= ROOM


if "TMPDIR" not in os.environ and _roomy(MEMORY):
    os.environ["TMPDIR"] = tempfile.tempdir = MEMORY

# PySide6 routes every import statement through its feature hook (`from __feature__
# import snake_case`, which Demarche never uses): about 2.5 us a time here. Hypothesis
# imports three names inside each draw and one more at each choice, over a million hook
# calls in a run of the suite (about 3 s of its CPU). Hypothesis's modules never import
# PySide6, so the hook has nothing to do for them: their imports go straight to Python's,
# and each statement's result is kept (Python's own import of a module loaded already
# costs 1.8 us a name through this function, 0.34 us kept: measured on its three).
_PLAIN_IMPORT = builtins.__import__


def _skip_pyside_hook_for_hypothesis() -> None:
    from PySide6 import QtCore  # noqa: F401 - installs the hook

    hooked = builtins.__import__
    if _PLAIN_IMPORT is hooked or getattr(_PLAIN_IMPORT, "__name__", "") != "__import__":
        return  # PySide6 was loaded first (or changed its ways): keep its hook throughout

    done: dict[tuple, object] = {}  # what each import statement gave, once it had

    def imports(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and name.startswith("hypothesis"):
            if fromlist.__class__ is list:  # (a statement gives a tuple or None)
                return _PLAIN_IMPORT(name, globals, locals, fromlist, level)
            found = done.get((name, fromlist))
            if found is None:
                found = done[name, fromlist] = _PLAIN_IMPORT(name, globals, locals, fromlist)
            return found
        return hooked(name, globals, locals, fromlist, level)

    builtins.__import__ = imports


_skip_pyside_hook_for_hypothesis()
IN_XDIST_WORKER = "PYTEST_XDIST_WORKER" in os.environ

# How many examples each property test tries (the examples that failed once are replayed
# first, from .hypothesis/): 20 in `make test`, the loop a developer runs, within a minute
# here; 50 in CI (.ci/run sets HYPOTHESIS_PROFILE=ci), where each landing is checked; ten
# times as many in the thorough profile, for a long run. Tests that name their own count
# or ask for hundreds follow in proportion (tests/examples.py).
settings.register_profile("suite", max_examples=20, deadline=None)
settings.register_profile("ci", max_examples=CI, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """The thorough profile's tests take minutes each: no time limit (pyproject's
    `timeout`) unless one is given on the command line."""
    if settings.default.max_examples > CI and config.getoption("timeout", None) is None:
        config.option.timeout = 0


# Each pytest-xdist worker has a core of its own: DuckDB's threads beyond one would only
# take the other worker's (a Context panel test reads for a second and a half on both).
if IN_XDIST_WORKER:
    summary.THREADS = 1


# tests/cli/test_hostile.py runs its work in processes of its own, started before the rest
# of the suite so that they run beside it. In one process, the session starts them first;
# under pytest-xdist (`-n`, with `--dist loadfile` a module goes to one worker whole), the
# module is scheduled first, and the worker that takes it starts them.
def _starts_in_background(item) -> bool:
    return hasattr(getattr(item, "module", None), "start_in_background")


# The longest modules next, longest first (a browser, node, a wheel, big files), so that
# no worker is left with one of them at the end while the other waits, and the modules
# handed out last are the short ones: measured with the CPU of each module and of what it
# starts (pyproject.toml keeps pytest-xdist from reordering them by test count).
LONG_MODULES = (
    "test_webpage.py",
    "test_acled_ahead.py",
    "test_windows.py",
    "test_git.py",
    "test_install.py",
    "test_export_offthread.py",
    "test_mainwindow.py",
    "test_timelinejs_reads.py",
    "test_comparedock.py",
    "test_importdialog.py",
    "test_markwhen_parser.py",
    "test_filterpanel.py",
    "test_compare_export.py",
    "test_contextpanel_reading.py",
    "test_import_scale.py",
    "test_firstuse.py",
    "test_parsecache.py",
    "test_many_items.py",
    "test_canvas.py",
    "test_lod.py",
    "test_tables_rows.py",
    "test_structure.py",
    "test_context_strips_stacked.py",
    "test_files_offthread.py",
    "test_context.py",
    "test_chart.py",
    "test_when.py",
)


def _order(item) -> int:
    if _starts_in_background(item):
        return 0
    name = item.path.name
    return 1 + LONG_MODULES.index(name) if name in LONG_MODULES else len(LONG_MODULES) + 1


def pytest_collection_modifyitems(session, config, items):
    if IN_XDIST_WORKER:
        items.sort(key=_order)


def pytest_collection_finish(session):
    """What importing and collecting made (modules, classes, the tests' items) lives as long
    as the process: frozen out of the cyclic collector's full passes, which walked all of it
    again each time (five at the end of each process alone, pytest's search for unraisable
    exceptions: 0.65 s of CPU, 0.07 s frozen). What the tests make is collected as before."""
    gc.freeze()


def pytest_unconfigure(config):
    """At the end pytest collects five times over, for the errors of finalizers it may
    still have to report (its unraisable-exception check), each pass over whatever the tests
    left alive. Collected here until a pass finds nothing (the same garbage, the same
    errors, while pytest's hook still records them), then frozen: its five passes find
    nothing left to look at."""
    for _ in range(5):  # as many as pytest's, at most
        if not gc.collect():
            break
    gc.freeze()


def pytest_sessionstart(session):
    """pytest rewrites the asserts of each test module it imports and caches the result
    (__pycache__/*-pytest-*.pyc). In a fresh clone every pytest-xdist worker rewrote every
    module, side by side (about 2 s of CPU each); the controller, which collects nothing,
    does it once on a thread while its workers start, and they find the cache."""
    if not IN_XDIST_WORKER and session.config.getoption("numprocesses", None):
        threading.Thread(target=_rewrite_test_modules, args=(session.config,), daemon=True).start()


def _rewrite_test_modules(config) -> None:
    """What pytest's import hook does for a module, ahead of it; last folders first, as
    the workers collect the first ones. pytest's own functions (pinned in pyproject.toml):
    if they change, the workers rewrite as before."""
    try:
        from _pytest.assertion import rewrite

        if sys.dont_write_bytecode or config.getoption("assertmode") != "rewrite":
            return
        state = config.stash[rewrite.assertstate_key]
        here = Path(__file__).parent
        for fn in sorted([*here.rglob("test_*.py"), *here.rglob("conftest.py")], reverse=True):
            pyc = rewrite.get_cache_dir(fn) / (fn.name[:-3] + rewrite.PYC_TAIL)
            if rewrite._read_pyc(fn, pyc) is None and rewrite.try_makedirs(pyc.parent):
                source_stat, code = rewrite._rewrite_test(fn, config)
                rewrite._write_pyc(state, code, source_stat, pyc)
    except Exception:  # only a head start: the workers rewrite whatever is missing
        pass


@pytest.fixture(scope="session", autouse=True)
def long_batches_start_first(request, tmp_path_factory):
    modules = (
        set()
        if IN_XDIST_WORKER
        else {item.module for item in request.session.items if _starts_in_background(item)}
    )
    for module in modules:
        module.start_in_background(tmp_path_factory)
    yield
    for module in modules:
        module.stop_background()


@pytest.fixture(scope="session", autouse=True)
def collector(qapp):
    """As in the editor (widgets/launch.py): the cyclic collector runs from a timer, and
    after each test, never in the middle of a Qt call (where it once deadlocked a run)."""
    from pyqtgraph.util.garbage_collector import GarbageCollector

    collector = GarbageCollector(interval=1.0)
    yield collector
    collector.timer.stop()
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test(collector):
    """The young generations after each test; the old one is the timer's (a full
    collection after every test cost about 15 s of the suite)."""
    yield
    young, middle, _ = gc.get_count()
    if young > collector.threshold[0]:
        gc.collect(1 if middle > collector.threshold[1] else 0)
    if full_passes:  # then (a few times a run) whether everything was handed back
        full_passes.clear()
        if not gc.get_freeze_count():
            refreeze()


def refreeze() -> None:
    """A big project's canvas gone (widgets/heap.py `release`) gave everything frozen back
    to the collector, for one full pass: what collecting made too (`pytest_collection_finish`),
    which the closing passes (`pytest_unconfigure`) then walked again. Frozen again after the
    test, once a full pass has taken the test's garbage (its windows, deleted in teardown,
    may be in the oldest generation by then: frozen, they would never go). Asked only after
    a full pass: `gc.get_freeze_count()` counts the frozen objects one by one (6 ms a call
    over what a worker has frozen)."""
    gc.collect()
    full_passes.clear()  # that one
    gc.freeze()


full_passes: list[bool] = []


def _note_full_pass(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        full_passes.append(True)


gc.callbacks.append(_note_full_pass)


@pytest.fixture
def small_project() -> Project:
    """Three actors, two events, one demand: built in code, not from the bundled example."""
    return Project(
        title="Talks",
        sources=[
            Source(
                id="wsj",
                title="Inside the talks",
                publisher="WSJ",
                url="",
                published=parse("2023-11-23"),
                reliability="B",
            )
        ],
        actors=[
            Actor(id="usa", name="United States", color="#3465a4", kind="state"),
            Actor(id="cia", name="CIA", color="", kind="agency", parent="usa"),
            Actor(id="hamas", name="Hamas"),
            Actor(id="israel", name="Israel"),
        ],
        phases=[Phase(id="pause", title="Pause", when=parse("2023-11-24/2023-11-27"))],
        events=[
            Event(
                id="release",
                actor="hamas",
                title="Hamas releases two women",
                when=parse("2023-10-20"),
                with_=("usa",),
                type="release",
                cites=(Cite(source="wsj", credibility=2, quote="quote"),),
                tags=("hostages",),
            ),
            Event(
                id="talks", actor="cia", title="Talks in Doha", when=parse("2023-11-09/2023-11-10~")
            ),
        ],
        demands=[
            Demand(
                id="drones",
                from_="hamas",
                to="israel",
                text="Stop drones",
                raised=parse("2023-11-20~"),
                status="accepted",
                via=("usa",),
                offer="a pause",
                resolved=parse("2023-11-21"),
                history=(
                    StatusChange(
                        when=parse("2023-11-21"), status="accepted", note="under pressure"
                    ),
                ),
            ),
        ],
    )
