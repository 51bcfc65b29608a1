"""The level of detail (app/chart/lod.py): marks that stand for many events draw what the
events draw, to within a pixel, keep a filter's hidden events out and its dimmed ones
dimmed, and follow the lane through edits."""

from __future__ import annotations

import functools
import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart import events as chart_events
from app.chart import lod as chart_lod
from app.chart.laneevents import LaneEvents, stack_rows, update_lane_events
from app.chart.layout import Timeline
from app.chart.lod import MIN_LEVEL, LaneDetail, level_for, lod_of
from app.chart.theme import LIGHT
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.examples import scaled
from tests.images import pixels

DAY = 86400.0


def dense_lane(seed: int, n: int = 2000) -> LaneEvents:
    """Short points and some bars, approximate or not, crowded into a few weeks."""
    rng = np.random.default_rng(seed)
    lo = np.sort(rng.uniform(0, 30 * DAY, n))
    bar = rng.random(n) < 0.05
    hi = lo + np.where(bar, rng.uniform(60, DAY / 4, n), 60.0)
    return LaneEvents(
        id_array=np.array([f"e{i}" for i in range(n)], dtype=object),
        lo=lo,
        hi=hi,
        row=stack_rows(lo, hi),
        bar=bar,
        fuzzy=rng.random(n) < 0.2,
        kind=rng.integers(0, 5, n).astype(np.int8),
        longest=float((hi - lo).max()),
    )


@settings(deadline=None, max_examples=scaled(30))
@given(seed=st.integers(0, 10_000), level=st.integers(MIN_LEVEL, 22))
def test_each_mark_stands_for_the_events_of_its_bucket_and_covers_what_they_cover(seed, level):
    lane = dense_lane(seed)
    detail = LaneDetail()
    m = detail.level(lane, level)
    assert m.count.sum() == len(lane.lo)  # every event stands in exactly one mark
    if m is detail.raw(lane):
        return
    assert len(m) <= chart_lod.WORTH * len(lane.lo)
    width = 2.0**level
    anchor = np.where(lane.bar, lane.lo, (lane.lo + lane.hi) / 2)
    bucket = np.floor(m.centre / width)
    for first in range(0, len(lane.lo), 250):  # 250 events against every mark at a time
        i = np.arange(first, min(first + 250, len(lane.lo)))[:, None]
        # A mark in the event's row, of its look, whose span holds it, anchored in its bucket.
        mine = (
            (m.row == lane.row[i])
            & (m.bar == lane.bar[i])
            & (m.fuzzy == lane.fuzzy[i])
            & (m.lo <= lane.lo[i])
            & (m.hi >= lane.hi[i])
            & (bucket == np.floor(anchor[i] / width))
        )
        counts = mine.sum(axis=1)
        assert (counts == 1).all(), i[counts != 1, 0]
    # A point's mark stands within a bucket of each of its events.
    assert (np.diff(m.key) >= 0).all()  # sorted by row, then start


@settings(deadline=None, max_examples=scaled(40))
@given(
    seed=st.integers(0, 10_000),
    level=st.sampled_from([0, 12, 15, 18]),
    t0=st.floats(-DAY, 31 * DAY),
    length=st.floats(1, 40 * DAY),
    rows=st.tuples(st.integers(0, 12), st.integers(0, 12)),
)
def test_a_query_finds_the_marks_in_its_rows_and_time_by_bisection(seed, level, t0, length, rows):
    m = LaneDetail().level(dense_lane(seed), level)
    t1 = t0 + length
    row0, row1 = min(rows), max(rows)
    found = m.query(t0, t1, row0, row1)
    expected = np.flatnonzero((m.row >= row0) & (m.row < row1) & (m.hi >= t0) & (m.lo <= t1))
    assert found.tolist() == expected.tolist()


def test_the_level_follows_the_zoom_and_falls_back_to_the_events_when_no_fewer():
    assert level_for(2.0**14) == 14 and level_for(2.0**14 - 1) == 13
    lane = dense_lane(3)
    detail = LaneDetail()
    assert detail.at(lane, 10.0) is detail.raw(lane)  # zoomed in: the events themselves
    coarse = detail.at(lane, 30 * DAY / 400)
    assert coarse is not detail.raw(lane) and len(coarse) < chart_lod.WORTH * len(lane.lo)
    # Sparse events, one to a bucket: the level would draw as many marks as the events.
    sparse = LaneEvents(
        id_array=np.array(["a", "b"], dtype=object),
        lo=np.array([0.0, 10 * DAY]),
        hi=np.array([60.0, 10 * DAY + 60]),
        row=np.zeros(2, np.int32),
        bar=np.zeros(2, bool),
        fuzzy=np.zeros(2, bool),
        kind=np.zeros(2, np.int8),
    )
    sparse_detail = LaneDetail()
    assert sparse_detail.at(sparse, 3600.0) is sparse_detail.raw(sparse)


def test_a_filter_splits_the_marks_so_hidden_events_never_stand_in_a_kept_mark():
    lane = dense_lane(5)
    kept = np.random.default_rng(1).random(len(lane.lo)) < 0.5
    plain, dimmed = lod_of(lane).split(kept)
    spp = 30 * DAY / 400
    a, b = plain.at(lane, spp), dimmed.at(lane, spp)
    assert a.count.sum() == kept.sum() and b.count.sum() == (~kept).sum()
    assert kept[a.event].all() and not kept[b.event].any()
    # Each kept event lies inside a kept mark of its row; no dropped one needs one.
    for i in np.flatnonzero(kept):
        assert ((a.row == lane.row[i]) & (a.lo <= lane.lo[i]) & (a.hi >= lane.hi[i])).any()
    assert lod_of(lane).split(kept)[0] is plain  # made once per mask


def test_the_detail_is_kept_while_the_lane_is_and_made_anew_after_an_edit():
    project = Project(
        title="Edits",
        actors=[Actor(id="a", name="A")],
        events=[
            Event(id=f"e{k}", actor="a", title="t", when=parse(f"2023-11-{1 + k % 28:02d}"))
            for k in range(60)
        ],
    )
    timeline = Timeline(project)
    lane = timeline.layout.lane_events[0]
    lod = lod_of(lane)
    assert lod_of(lane) is lod
    moved = Event(id="e3", actor="a", title="t", when=parse("2023-12-20"))
    new = update_lane_events(lane, {"e3"}, [moved], timeline.t_min, timeline.t_max)
    fresh = lod_of(new)
    assert fresh is not lod
    raw = fresh.all.raw(new)
    assert raw.count.sum() == len(new.lo) and new.lo.max() in raw.lo
    key = id(lane.lo)
    del lane, lod
    timeline.layout.lane_events.clear()
    timeline._lane_cache.clear()
    gc.collect()
    assert key not in chart_lod._LODS  # the old lane's detail went with its arrays


# -------------------------------------------------------------- painting


WIDTH, HEIGHT = 800, 600


@functools.cache  # the projects are only read; the six pictures share two
def dense_project(seed: int) -> Project:
    """One lane crowded with minute-long events and a few ranges over two months, some
    approximate, of every shape; a second lane with a few."""
    rng = np.random.default_rng(seed)
    events = []
    for k in range(4000):
        day = 1 + int(rng.integers(0, 28))
        month = 10 + int(rng.integers(0, 2))
        if rng.random() < 0.03:
            text = f"2023-{month:02d}-{day:02d}/2023-{month:02d}-{min(day + 3, 28):02d}"
        else:
            hour, minute = int(rng.integers(0, 24)), int(rng.integers(0, 60))
            text = f"2023-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"
            text += "~" if rng.random() < 0.2 else ""
        events.append(
            Event(
                id=f"e{k}",
                actor="a" if k % 10 else "b",
                title=f"Event {k}",
                when=parse(text),
                type=str(rng.choice(["statement", "release", "threaten", "fight", ""])),
            )
        )
    return Project(
        title="Dense", actors=[Actor(id="a", name="A"), Actor(id="b", name="B")], events=events
    )


@pytest.fixture(scope="module", autouse=True)
def _forget_the_projects():
    """Their records go with this module: kept, every full pass of the collector walked
    them for the rest of the process."""
    yield
    dense_project.cache_clear()


def unmatched(a: np.ndarray, b: np.ndarray, tolerance: int = 40) -> int:
    """How many pixels of `a` have no pixel of like colour (or, for masks, equal) in `b`
    within one pixel."""
    if a.ndim == 2:  # masks: the pixels set in `a` with none set near them in `b`
        near_b = np.zeros_like(b)
        padded_b = np.pad(b, 1)
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                near_b |= padded_b[dy : dy + b.shape[0], dx : dx + b.shape[1]]
        return int((a & ~near_b).sum())
    # Colour by colour, in planes of small integers (one (h, w, 3) array of int64 for each
    # of the nine shifts took a quarter of a second a call).
    h, w, _ = a.shape
    mine = np.moveaxis(a, 2, 0).astype(np.int16)
    padded = np.pad(
        np.moveaxis(b, 2, 0).astype(np.int16), ((0, 0), (1, 1), (1, 1)), constant_values=-1000
    )
    matched = np.zeros((h, w), bool)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            near = padded[:, dy : dy + h, dx : dx + w]
            far = np.abs(mine[0] - near[0])
            for c in (1, 2):
                np.maximum(far, np.abs(mine[c] - near[c]), out=far)
            matched |= far <= tolerance
    return int((~matched).sum())


def paint(project: Project, options: PaintOptions, how: str, monkeypatch) -> np.ndarray:
    """The chart drawn from the marks ("lod"), event by event thinned to one per pixel as
    before the marks ("thinned"), or every event in turn ("every")."""
    timeline = Timeline(project)
    vp = Viewport(parse("2023-10-01").lo, parse("2023-12-01").lo, 0, WIDTH, 0, HEIGHT)
    image = QtGui.QImage(WIDTH, HEIGHT, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    used = []
    with monkeypatch.context() as m:
        real = chart_events.lod_marks
        if how == "lod":
            m.setattr(
                chart_events, "lod_marks", lambda *a, **k: used.append(real(*a, **k)) or used[-1]
            )
        else:
            m.setattr(chart_events, "lod_marks", lambda *a, **k: None)
        if how == "every":
            m.setattr(chart_events, "one_per_pixel", lambda _d, idx, *a: np.arange(len(idx)))
        p = QtGui.QPainter(image)
        ChartPainter(LIGHT).paint(p, timeline.layout, vp, options)
        p.end()
    if how == "lod":  # the dense lane was drawn from its marks, far fewer than its events
        marks = [u for u in used if u is not None]
        assert marks and len(marks[0][1]) < chart_lod.WORTH * len(timeline.layout.lane_events[0].lo)
    return pixels(image)


def inked(image: np.ndarray) -> np.ndarray:
    """The pixels darker than near-white in some colour: the least of the three planes,
    taken plane against plane (`image.min(axis=2)` gave the same mask 25 times slower)."""
    return np.minimum(np.minimum(image[..., 0], image[..., 1]), image[..., 2]) < 250


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("filtering", ["none", "dimmed", "hidden"])
def test_a_dense_lane_drawn_from_its_marks_looks_as_drawn_event_by_event(
    qapp, monkeypatch, seed, filtering
):
    """Within a pixel, as every event drawn in turn: no mark goes missing or appears
    (what is inked in one picture is inked within a pixel in the other, but for a few
    pixels at the edge of a pile of marks), and the colours differ in fewer places than
    the thinning to one mark a pixel that drew dense lanes before."""
    project = dense_project(seed)
    ids = frozenset(e.id for k, e in enumerate(project.events) if k % 4)
    options = PaintOptions(
        show_labels=False,
        filtered=None if filtering == "none" else ids,
        hide_filtered=filtering == "hidden",
    )
    lod = paint(project, options, "lod", monkeypatch)
    every = paint(project, options, "every", monkeypatch)
    thinned = paint(project, options, "thinned", monkeypatch)
    inked_lod, inked_every = inked(lod), inked(every)
    ink = inked_every.sum()
    assert ink > 50_000
    assert unmatched(inked_lod, inked_every) < ink / 2000
    assert unmatched(inked_every, inked_lod) < ink / 2000
    assert unmatched(lod, every) < unmatched(thinned, every)
    assert unmatched(every, lod) < unmatched(every, thinned)
    if filtering != "none":  # and not the picture of the other choice: dimmed, or hidden
        other = PaintOptions(show_labels=False, filtered=ids, hide_filtered=filtering != "hidden")
        assert unmatched(paint(project, other, "lod", monkeypatch), every) > 1000


def test_piled_hairlines_and_stops_of_demands_drawn_once_look_as_drawn_each(qapp, monkeypatch):
    from app.chart import demands as chart_demands
    from tests.bench.generate import generate

    project = generate(5000)  # a thousand demands over two years, seen on 150 x 80 pixels
    timeline = Timeline(project)
    layout = timeline.layout
    middle = layout.lanes[len(layout.lanes) // 2].top  # where most arrows cross the view
    vp = Viewport(layout.t_min, layout.t_max, 20, 170, 0, 80, middle)

    def picture(once: bool) -> np.ndarray:
        kept: list[tuple[int, int]] = []  # (lines or stops, drawn)
        real = chart_demands.distinct_places

        def once_each(*c):
            one = real(*c)
            kept.append((len(c[0]), len(one[0])))
            return one

        with monkeypatch.context() as m:
            if once:
                m.setattr(chart_demands, "distinct_places", once_each)
            else:
                m.setattr(chart_demands, "distinct_places", lambda *c: c)
            image = QtGui.QImage(WIDTH, HEIGHT, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(QtGui.QColor("white"))
            p = QtGui.QPainter(image)
            ChartPainter(LIGHT).paint(p, layout, vp, PaintOptions(show_labels=False))
            p.end()
        if once:  # hairlines, crowded: many drawn once
            assert sum(d for _, d in kept) < 0.9 * sum(n for n, _ in kept)
        return pixels(image)

    once, each = picture(True), picture(False)
    assert unmatched(once, each) == 0 and unmatched(each, once) == 0


def test_distinct_places_round_to_pixels_and_keep_each_once():
    from app.chart.batch import distinct_places

    x, y = distinct_places(np.array([1.2, 1.4, -3.0, 9e6]), np.array([5.0, 5.2, 7.0, -2.0]))
    assert sorted(zip(x.tolist(), y.tolist(), strict=True)) == [(-3, 7), (1, 5), (2**20 - 1, -2)]


@pytest.mark.parametrize("filtered", [False, True])
def test_with_ticks_split_by_lane_look_as_found_by_time(qapp, monkeypatch, filtered):
    from tests.bench.generate import generate

    project = generate(2000)
    layout = Timeline(project).layout
    vp = Viewport(layout.t_min, layout.t_max, 0, WIDTH, 0, HEIGHT, layout.lanes[5].top)
    ids = frozenset(e.id for e in project.events[::2]) if filtered else None

    def picture(many: int) -> np.ndarray:
        monkeypatch.setattr(chart_events, "MANY_TICKS", many)
        image = QtGui.QImage(WIDTH, HEIGHT, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtGui.QColor("white"))
        p = QtGui.QPainter(image)
        options = PaintOptions(show_labels=False, show_demands=False, filtered=ids)
        ChartPainter(LIGHT).paint(p, layout, vp, options)
        p.end()
        return pixels(image)

    by_lane, by_time = picture(0), picture(10**9)
    assert (by_lane == by_time).all()
    monkeypatch.setattr(chart_events, "paint_with_marks", lambda *a, **k: None)
    assert (picture(0) != by_lane).any()  # there were ticks


@pytest.mark.parametrize("many", [0, 10**9])
def test_a_frame_takes_the_rows_of_a_tall_lane_on_screen_only(qapp, monkeypatch, many):
    from app.chart import painter as chart_painter
    from app.chart.layout import LANE_PADDING

    monkeypatch.setattr(chart_painter, "MANY_EVENTS", many)  # by bisection, or by a mask
    project = dense_project(3)
    layout = Timeline(project).layout
    lane = layout.lanes[0]
    assert lane.rows > 16
    top = lane.top + LANE_PADDING + 8 * layout.row_height  # rows 8 to 14 on screen
    vp = Viewport(parse("2023-10-10").lo, parse("2023-11-10").lo, 0, WIDTH, 0, 140, top)
    chart = ChartPainter(LIGHT)
    frame = chart.frame(None, layout, vp, PaintOptions(), all_rows=False)
    data = layout.lane_events[0]
    first, last = frame.rows[0]
    assert first <= 8 and 14 <= last <= 16
    every = chart.frame(None, layout, vp, PaintOptions()).visible[0]  # all rows
    assert (
        frame.visible[0].tolist()
        == every[(data.row[every] >= first) & (data.row[every] < last)].tolist()
    )
    assert 0 < len(frame.visible[0]) < len(every) / 2


@settings(deadline=None, max_examples=scaled(50))
@given(st.lists(st.integers(0, 2**40), max_size=300), st.booleans())
def test_the_first_of_each_key_is_what_unique_finds(keys, huge):
    key = np.array(keys, dtype=np.int64) + (2**61 if huge else 0)  # huge: unique itself
    _, first = np.unique(key, return_index=True)
    assert chart_events.first_of_each(key).tolist() == np.sort(first).tolist()
