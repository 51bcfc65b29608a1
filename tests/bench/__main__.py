"""Benchmarks: `python -m tests.bench --events N --json OUT` (also `make bench`).

Generates a deterministic project of N events, 50 actors and N/5 demands, and measures
loading, saving, the canvas's frames and edits, export, and peak memory; and, up to
20,000 events, the web page export in the test browser (tests/bench/page.py). Times are
medians of repeated runs.
"""

from __future__ import annotations

import argparse
import atexit
import copy
import dataclasses
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The parse cache lives in a folder of the bench's own, emptied by `clear_caches`, so that
# a cold open is cold and the user's cache folder is left alone.
os.environ["DEMARCHE_CACHE_DIR"] = tempfile.mkdtemp(prefix="demarche-bench-cache-")

import yaml  # noqa: E402
from PySide6 import QtCore, QtWidgets  # noqa: E402

from app import exporters
from app.chart.metrics import HEADER_WIDTH  # noqa: E402
from app.editing.commands import MoveEvent  # noqa: E402
from app.editing.document import Document  # noqa: E402
from app.exporters.images import ChartExporter, ExportOptions  # noqa: E402
from app.fileformat import canonical, projectfile
from app.records import when
from app.team import diff
from app.team.merge import merge  # noqa: E402
from tests.bench.generate import generate  # noqa: E402
from tests.bench.page import page_figures  # noqa: E402
from tests.bench.peak import peak_of_open  # noqa: E402
from tests.bench.report import report  # noqa: E402
from widgets.canvas import TimelineCanvas  # noqa: E402
from widgets.collecting import TimedCollector  # noqa: E402

DAY = 86400.0


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


CACHE_DIR = os.environ["DEMARCHE_CACHE_DIR"]
atexit.register(shutil.rmtree, CACHE_DIR, ignore_errors=True)  # the bench's own


def clear_caches() -> None:
    """Forget what a previous read left: memoised dates and lists, and the parse cache."""
    when.clear_caches()
    canonical.clear_caches()
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


def warm_load(path: str) -> float:
    """An open with the parse cache filled (by two previous opens of the same bytes)."""
    when.clear_caches()
    canonical.clear_caches()
    start = time.perf_counter()
    projectfile.load(path)
    return time.perf_counter() - start


def first_frame(path: str, warm: bool) -> tuple[float, float]:
    """Open, then make the document and the canvas and paint once: the two times."""
    if warm:
        projectfile.load(path)  # the first open marks the file, the second fills the cache
        projectfile.load(path)
        when.clear_caches()
        canonical.clear_caches()
    else:
        clear_caches()
    start = time.perf_counter()
    doc = Document(projectfile.load(path))
    opened = time.perf_counter()
    canvas = canvas_for(doc)
    canvas.plot.viewport().repaint()
    painted = time.perf_counter()
    dispose(canvas)
    return opened - start, painted - opened


def timed_load(path: str) -> float:
    clear_caches()
    start = time.perf_counter()
    projectfile.load(path)
    return time.perf_counter() - start


def canvas_for(doc: Document) -> TimelineCanvas:
    canvas = TimelineCanvas(doc)
    canvas.resize(1600 + int(HEADER_WIDTH) + 20, 900)  # a 1600x900 plot beside the lane headers
    canvas.show()
    QtWidgets.QApplication.processEvents()
    return canvas


def dispose(canvas: TimelineCanvas) -> None:
    """Close and delete a canvas, as an editor window's close does, so that what it held
    (its document, for a big project kept out of the collector: widgets/heap.py) is freed
    before the next figure rather than counted in the run's memory."""
    canvas.close()
    canvas.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    QtWidgets.QApplication.processEvents()


def repaint_ms(canvas: TimelineCanvas, runs: int = 7) -> float:
    viewport = canvas.plot.viewport()
    return 1000 * median_time(viewport.repaint, runs)


def pan_ms(canvas: TimelineCanvas, runs: int = 7) -> tuple[float, float]:
    """A pan as a person makes one (the view moved by a day, forth and back): the time
    until the chart has made every paint the move causes, and how many it made (medians).
    `repaint_ms` times one paint, asked for; this, what a move of the view costs."""
    layer = canvas.layer
    times, paints = [], []
    for k in range(runs):
        t0, t1 = canvas.viewbox.viewRange()[0]
        step = DAY if k % 2 == 0 else -DAY
        before = seen = layer.paints
        start = done = time.perf_counter()
        canvas.set_time_range(t0 + step, t1 + step)
        for _ in range(4):  # (a paint that a paint schedules comes in a later round)
            QtWidgets.QApplication.processEvents()
            if layer.paints != seen:
                done, seen = time.perf_counter(), layer.paints
        times.append(done - start)
        paints.append(layer.paints - before)
    return 1000 * statistics.median(times), statistics.median(paints)


class EditProbe:
    """One event moved back and forth by a day, with a 30-day view on it: each `once()` is
    a move-event command plus the repaint it causes (of the region it touched)."""

    def __init__(self, n_events: int):
        self.doc = Document(generate(n_events))
        self.canvas = canvas_for(self.doc)
        self.event = self.doc.project.events[len(self.doc.project.events) // 2]
        lo = self.event.when.lo
        self.canvas.set_time_range(lo - 15 * DAY, lo + 15 * DAY)
        self.canvas.scroll_to(self.event.id)
        QtWidgets.QApplication.processEvents()
        self.step = 1

    def once(self) -> float:
        self.step = -self.step
        target = self.event.when.shifted(self.step * DAY)
        layer = self.canvas.layer
        paints = layer.paints
        start = time.perf_counter()
        self.doc.undo_stack.push(MoveEvent(self.doc, self.event.id, target))
        while layer.paints == paints:  # the repaint the edit causes
            QtWidgets.QApplication.processEvents()
        elapsed = time.perf_counter() - start
        self.event = self.doc.get("events", self.event.id)
        return elapsed


def edit_ms(n_events: int, small: int = 100, runs: int = 31) -> tuple[float, float]:
    """Medians of the edit at `n_events` and at `small` events, taken in turns so that the
    machine's drifts in speed fall on both alike."""
    probes = EditProbe(n_events), EditProbe(small)
    for probe in probes:  # warm up caches and code paths
        probe.once()
    times: tuple[list, list] = ([], [])
    for _ in range(runs):
        for probe, out in zip(probes, times, strict=True):
            out.append(probe.once())
    for probe in probes:
        dispose(probe.canvas)
    return tuple(1000 * statistics.median(t) for t in times)


def merge_and_diff_s(base, changed: int = 500) -> tuple[float, float]:
    """Medians of merging two versions that each changed `changed` events (different ones,
    one field each), and of the diff between base and one of them."""
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for k in range(changed):
        i, j = (k * 7) % len(base.events), (k * 7 + 3) % len(base.events)
        ours.events[i] = dataclasses.replace(ours.events[i], title=ours.events[i].title + " (ours)")
        theirs.events[j] = dataclasses.replace(theirs.events[j], text="checked")
    merge_s = median_time(lambda: merge(base, ours, theirs), 3)
    diff_s = median_time(lambda: diff.changes(base, ours), 3)
    return merge_s, diff_s


ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,"
    "notes,fatalities,tags,timestamp"
)


def import_s(rows: int, folder: str) -> float:
    """`demarche import` of an ACLED-shaped CSV of `rows` rows, end to end (one run)."""
    import random

    import app.cli.importing  # noqa: F401 - loaded before the clock, as it was when the
    from app.cli.main import main as cli  # command line loaded every verb's module at once

    rng = random.Random(1)
    path = os.path.join(folder, "acled.csv")
    subs = ["Armed clash", "Peaceful protest", "Air/drone strike", "Agreement", "Arrests"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(ACLED_HEADER + "\n")
        for i in range(rows):
            day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f.write(
                f"X{i},{day},2023,{rng.choice('123')},PV,Battles,{rng.choice(subs)},"
                f"Actor {rng.randint(1, 50)},,Rebel group,Actor {rng.randint(1, 50)},,State forces,"
                f"12,,376,ME,Israel,S,,,Town {i % 300},31.5,34.6,1,Source {i % 40}; "
                f"Source {(i + 7) % 40},National,Something happened in town {i % 300}. More "
                f"follows.,{i % 5},,1700000000\n"
            )
    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            cli(["import", path, "-o", os.path.join(folder, "imported.yaml")])
        finally:
            sys.stdout = stdout
    return time.perf_counter() - start


def application() -> None:
    if QtWidgets.QApplication.instance() is None:
        run.app = QtWidgets.QApplication([])  # kept alive for the whole run


def collecting_as_the_editor() -> None:
    """Python's cyclic collector run as the editor runs it, for the figures of its canvas:
    from a timer on the GUI thread (widgets/launch.py), never in the middle of a frame or
    an edit. Run by allocations instead, its full passes over the projects this process
    holds (some 180,000 objects at 10,000 events, 80 ms a pass) fell in the frames and
    edits measured. Kept for the rest of the run; the file's figures come before it."""
    if getattr(run, "collector", None) is None:
        run.collector = TimedCollector(interval=1.0)


def run(n: int, baseline: bool, core: bool = False) -> dict:
    """The figures of a project of `n` events, made in a folder removed after (a million
    events' files take about 470 MB)."""
    application()
    folder = tempfile.mkdtemp(prefix="demarche-bench-")
    try:
        return _figures(n, baseline, core, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figures(n: int, baseline: bool, core: bool, folder: str) -> dict:
    project = generate(n)
    path = os.path.join(folder, "bench.yaml")
    projectfile.save(project, path)
    out: dict = {"events": n}
    out["open_s"] = statistics.median(timed_load(path) for _ in range(3))  # cold
    projectfile.load(path)  # the cache is written at the second open of the same bytes
    out["warm_open_s"] = statistics.median(warm_load(path) for _ in range(3))
    out["save_s"] = median_time(lambda: projectfile.save(project, path), 3)
    if baseline:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        out["yaml_parse_s"] = median_time(
            lambda: yaml.load(text, Loader=yaml.CSafeLoader), 1 if n > 20000 else 3
        )
    else:
        out["yaml_parse_s"] = None

    # The first frame after an open whose lanes are not kept yet (the cache is filled by
    # opens that drew nothing), and after opens that drew them (kept beside the cache).
    collecting_as_the_editor()
    opened, painted = first_frame(path, warm=True)
    out["warm_open_first_frame_s"] = opened + painted
    out["first_frame_after_open_s"] = {"lanes stacked": painted, "lanes kept": None}
    out["first_frame_after_open_s"]["lanes kept"] = first_frame(path, warm=True)[1]
    # What an editor of its own holds to open the file and show it, cold and warm.
    out["open_peak_mb"] = {
        "cold": peak_of_open(path, "")["peak_mb"],
        "warm": peak_of_open(path, CACHE_DIR)["peak_mb"],
    }
    clear_caches()
    start = time.perf_counter()
    doc = Document(projectfile.load(path))
    opened = time.perf_counter()
    canvas = canvas_for(doc)
    canvas.plot.viewport().repaint()
    painted = time.perf_counter()
    out["first_frame_s"] = painted - start  # the cold open and the frame
    out["first_frame_after_open_s"]["cold open"] = painted - opened

    centre = (canvas.timeline.layout.t_min + canvas.timeline.layout.t_max) / 2
    frames = {}
    for days in (365, 30, 3):
        canvas.set_time_range(centre - days * DAY / 2, centre + days * DAY / 2)
        QtWidgets.QApplication.processEvents()
        frames[f"{days}d"] = repaint_ms(canvas)
    out["frame_ms"] = frames
    canvas.set_time_range(centre - 15 * DAY, centre + 15 * DAY)
    QtWidgets.QApplication.processEvents()
    out["pan_30d_ms"], out["paints_a_pan"] = pan_ms(canvas)
    out["plot_px"] = [int(canvas.viewbox.width()), int(canvas.viewbox.height())]
    dispose(canvas)

    out["edit_ms"], out["edit_ms_small"] = edit_ms(n)
    loaded = doc.project
    if core:  # the chart's figures only (a million events: exports would take hours)
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return out
    out["export_png_s"] = median_time(
        lambda: ChartExporter(loaded, ExportOptions(width=3840, height=2160)).png_bytes(), 3
    )
    out["export_svg_s"] = median_time(lambda: ChartExporter(loaded, ExportOptions()).svg_bytes(), 3)
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["merge_s"], out["diff_s"] = merge_and_diff_s(loaded)  # after: it copies the project
    out["import_s"] = import_s(n, folder)
    out["data_export_s"] = {  # after the peak RSS: the iCalendar writer holds a lot
        suffix: round(median_time(lambda w=write: w(project), 3), 3)
        for suffix, write in exporters.WRITERS.items()
    }
    if n <= 20000:  # the page holds every event in each zoom level: for charts of this size
        out["web_page"] = page_figures(project, folder)
    return out


def thread_times(canvas: TimelineCanvas, runs: int) -> list[float]:
    """The processor time of this thread for each of `runs` repaints, in seconds."""
    viewport = canvas.plot.viewport()
    times = []
    for _ in range(runs):
        start = time.thread_time()
        viewport.repaint()
        times.append(time.thread_time() - start)
    return times


def frames(n: int, profile: str | None = None, runs: int = 7) -> dict:
    """Only the canvas's frames at `n` events, at the whole span and at 365, 30 and 3 days
    (a million events in minutes rather than the full run's half hour): medians of the
    wall-clock time and of this thread's processor time. With `profile`, cProfile's
    statistics of those frames are written to that file."""
    application()
    collecting_as_the_editor()
    start = time.perf_counter()
    doc = Document(generate(n))
    canvas = canvas_for(doc)
    canvas.plot.viewport().repaint()
    out: dict = {"events": n, "setup_s": round(time.perf_counter() - start, 2)}
    layout = canvas.timeline.layout
    centre = (layout.t_min + layout.t_max) / 2
    spans = {"all": None, "365d": 365, "30d": 30, "3d": 3}
    ms, cpu = {}, {}
    for name, days in spans.items():
        if days is None:
            canvas.fit_all()
        else:
            canvas.set_time_range(centre - days * DAY / 2, centre + days * DAY / 2)
        QtWidgets.QApplication.processEvents()
        canvas.plot.viewport().repaint()  # the first frame at a zoom fills its caches
        if profile:  # one file per zoom: STATS.all, STATS.365d, ...
            import cProfile

            profiler = cProfile.Profile()
            profiler.runcall(repaint_ms, canvas, runs)
            profiler.dump_stats(f"{profile}.{name}")
        ms[name] = round(repaint_ms(canvas, runs), 2)
        cpu[name] = round(1000 * statistics.median(thread_times(canvas, runs)), 2)
    out["frame_ms"] = ms
    out["frame_cpu_ms"] = cpu  # this thread's processor time: less swayed by a busy machine
    out["load"] = round(os.getloadavg()[0], 2)
    out["plot_px"] = [int(canvas.viewbox.width()), int(canvas.viewbox.height())]
    dispose(canvas)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--json", metavar="OUT", help="write the figures here as JSON")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the slow plain PyYAML load"
    )
    parser.add_argument(
        "--core",
        action="store_true",
        help="open, save, frames, edit and memory only (no exports, merge or import)",
    )
    parser.add_argument(
        "--frames-only",
        action="store_true",
        help="only the frames at the whole span and 365, 30 and 3 days",
    )
    parser.add_argument(
        "--profile",
        metavar="STATS",
        help="with --frames-only: cProfile each zoom into STATS.<zoom>",
    )
    args = parser.parse_args(argv)
    if args.frames_only:
        result = frames(args.events, args.profile)
    else:
        result = run(args.events, not args.no_baseline, args.core)
    report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
