"""The chart painter, checked on the pixels it paints into an image."""

from __future__ import annotations

import dataclasses
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtCore, QtGui

from app.chart import CROWDED_ARROWS, ChartPainter, PaintOptions, Viewport
from app.chart.batch import PART, draw_fragments, draw_lines, draw_rects
from app.chart.demandindex import DemandIndex
from app.chart.labels import starting_near
from app.chart.layout import Timeline
from app.chart.metrics import LABEL_GAP, MARK
from app.chart.style import mixed as _mixed
from app.chart.theme import LIGHT
from app.fileformat import canonical, projectfile
from app.records.model import Actor, Demand, Event, Project
from app.records.vocabulary import EVENT_TYPES, QUAD_CLASSES, quad_class
from app.records.when import parse
from tests.examples import scaled

DAY = 86400.0
WIDTH, HEIGHT = 800, 300


def blank(height: int = HEIGHT) -> QtGui.QImage:
    image = QtGui.QImage(WIDTH, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    return image


def paint(project, t0: str, t1: str) -> tuple[QtGui.QImage, Viewport, Timeline]:
    timeline = Timeline(project)
    vp = Viewport(parse(t0).lo, parse(t1).lo, 0, WIDTH, 0, HEIGHT)
    image = blank()
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, timeline.layout, vp, PaintOptions(show_labels=False))
    p.end()
    return image, vp, timeline


def colour_at(image: QtGui.QImage, x: float, y: float) -> str:
    return QtGui.QColor(image.pixel(round(x), round(y))).name()


def near(a: str, b: str, tolerance: int = 24) -> bool:
    """Two colours alike but for antialiasing."""
    ca, cb = QtGui.QColor(a), QtGui.QColor(b)
    return all(
        abs(x - y) <= tolerance for x, y in zip(ca.getRgb()[:3], cb.getRgb()[:3], strict=True)
    )


def test_batched_drawing_paints_what_one_call_per_item_paints(qapp):
    n = 2 * PART + 37  # (drawn in parts)
    rng = np.random.default_rng(7)
    x, y = rng.uniform(0, 700, n), rng.uniform(0, 250, n)
    w, h = rng.uniform(1, 90, n), rng.uniform(1, 40, n)
    pixmap = QtGui.QPixmap(12, 12)
    pixmap.fill(QtGui.QColor("#4e9a06"))
    half = QtGui.QPainter(pixmap)
    half.fillRect(0, 0, 6, 12, QtGui.QColor("#75507b"))  # the left half differs
    half.end()

    def draw(batched: bool) -> QtGui.QImage:
        image = blank()
        p = QtGui.QPainter(image)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor("#3465a4"))
        if batched:
            draw_rects(p, x, y, w, h)
        else:
            p.drawRects([QtCore.QRectF(*r) for r in zip(x, y, w, h, strict=True)])
        p.setPen(QtGui.QPen(QtGui.QColor("#cc0000"), 0))
        if batched:
            draw_lines(p, x, y, x + w, y)
        else:
            p.drawLines([QtCore.QLineF(a, b, a + c, b) for a, b, c in zip(x, y, w, strict=True)])
        if batched:  # the right half of the pixmap, centred on each point
            draw_fragments(p, pixmap, x, y, 6.0, 0.0, 6.0, 12.0)
        else:
            for a, b in zip(x, y, strict=True):
                p.drawPixmap(QtCore.QPointF(a - 3, b - 6), pixmap, QtCore.QRectF(6, 0, 6, 12))
        draw_rects(p, np.empty(0), 0.0, 1.0, 1.0)  # nothing to draw is not an error
        p.end()
        return image

    assert draw(batched=True) == draw(batched=False)


def test_many_shapes_are_drawn_a_part_at_a_time(qapp):
    """A QPainter call holds the GIL until it returns: 20,000 demand lines drawn in one by
    an export on its thread held the window for 0.4 s."""
    calls = []

    class Painter:  # what the painter was asked, call by call
        def drawLines(self, lines, n):
            calls.append(n)

    draw_lines(Painter(), np.arange(2 * PART + 5.0), 0.0, 1.0, 1.0)
    assert calls == [PART, PART, 5]


def test_every_suggested_type_has_a_quad_class_except_reports():
    classes = {t: quad_class(t) for t in EVENT_TYPES}
    assert classes["statement"] == classes["negotiate"] == 0  # verbal cooperation
    assert classes["release"] == classes["truce"] == 1  # material cooperation
    assert classes["reject"] == classes["threaten"] == 2  # verbal conflict
    assert classes["assault"] == classes["fight"] == 3  # material conflict
    assert classes["report"] is None and quad_class("no-such-type") is None
    assert set(classes.values()) == {None, *range(len(QUAD_CLASSES))}


def test_mark_shape_and_fill_tell_the_class_of_an_event_type(small_project, qapp):
    """Words are hollow and deeds solid; cooperation is round, conflict a triangle."""
    colour = "#cc0000"
    types = {"said": "statement", "done": "release", "threat": "threaten", "other": "report"}
    project = dataclasses.replace(
        small_project,
        actors=[Actor(id="a", name="A", color=colour)],
        events=[
            Event(id=name, actor="a", title=name, when=parse(f"2023-11-{10 + 2 * k:02d}"), type=t)
            for k, (name, t) in enumerate(types.items())
        ],
        demands=[],
        phases=[],
    )
    image, vp, timeline = paint(project, "2023-11-08", "2023-11-20")
    y = timeline.layout.row_top(0, 0) + timeline.layout.row_height / 2

    def at(name: str, dx: float = 0.0, dy: float = 0.0) -> str:
        e = next(e for e in project.events if e.id == name)
        return colour_at(image, vp.x((e.when.lo + e.when.hi) / 2) + dx, y + dy)

    def is_lane(name: str, dx: float = 0.0, dy: float = 0.0) -> bool:
        return near(at(name, dx, dy), colour)

    assert near(at("said"), LIGHT.background)  # hollow: its centre shows the lane
    assert is_lane("said", dx=5)  # ... inside its ring
    assert is_lane("done")  # solid
    assert near(at("threat"), LIGHT.background) and is_lane("threat", dy=5)
    # A triangle is wider at its base than at its top; a diamond is not.
    assert is_lane("threat", dx=4, dy=5) and not is_lane("threat", dx=4, dy=-5)
    assert is_lane("other", dx=3) and not is_lane("other", dx=4, dy=-5)


def test_phase_bands_are_mixed_into_the_lanes(small_project, qapp):
    image, vp, timeline = paint(small_project, "2023-11-20", "2023-11-30")
    lane = timeline.layout.lanes[-1]  # an empty lane: Israel
    y = lane.top + lane.height / 2
    base = LIGHT.lane_odd if len(timeline.layout.lanes) % 2 == 0 else LIGHT.lane_even
    phase = small_project.phases[0].when
    inside = vp.x((phase.lo + phase.hi) / 2)
    assert colour_at(image, inside, y) == _mixed(base, "#c17d11", LIGHT.phase_alpha)
    assert colour_at(image, vp.x(phase.lo) - 20, y) == base


def arrow_width(project, qapp) -> int:
    """How many pixels wide the first demand's arrow is, midway between its lanes."""
    timeline = Timeline(project)
    layout = timeline.layout
    d = project.demands[0]
    vp = Viewport(d.raised.lo - 30 * DAY, d.raised.lo + 30 * DAY, 0, WIDTH, 0, HEIGHT)
    image = blank()
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, layout, vp, PaintOptions(show_labels=False, show_phases=False))
    p.end()
    a, b = layout.lanes[layout.lane_of_actor[d.from_]], layout.lanes[layout.lane_of_actor[d.to]]
    y = round((a.centre + b.centre) / 2)
    x = round(vp.x(d.raised.lo))
    status = QtGui.QColor(LIGHT.status_color(d.status)).name()
    return sum(colour_at(image, x + dx, y) == status for dx in range(-4, 5))


@pytest.mark.parametrize("crowded", [False, True])
def test_arrows_thin_to_hairlines_where_they_crowd(small_project, qapp, crowded):
    extra = CROWDED_ARROWS + 10 if crowded else 3
    first = dataclasses.replace(small_project.demands[0], via=())  # one straight column
    demands = [first] + [
        dataclasses.replace(first, id=f"d{k}", via=(), raised=parse("2023-11-01"))
        for k in range(extra)
    ]
    project = dataclasses.replace(small_project, demands=demands)
    assert arrow_width(project, qapp) == (1 if crowded else 2)


def test_an_arrow_that_turns_back_steps_aside_instead_of_running_over_itself(small_project, qapp):
    """Hamas → (via the United States, above) → Israel, below Hamas: the second segment
    stands to the right of the first, so the path reads from → via → to."""
    from app.chart.demands import TURN_PX

    image, vp, timeline = paint(small_project, "2023-11-10", "2023-11-30")
    layout = timeline.layout
    lane = layout.lane_of_actor
    x = round(vp.x(parse("2023-11-20").lo))
    status = LIGHT.status_color("accepted")
    between_hamas_and_israel = layout.lanes[lane["hamas"]].bottom + 2
    assert near(colour_at(image, x + TURN_PX, between_hamas_and_israel), status, 40)
    assert not near(colour_at(image, x - 1, between_hamas_and_israel), status, 40)
    between_usa_and_hamas = layout.lanes[lane["cia"]].centre + 5
    assert near(colour_at(image, x, between_usa_and_hamas), status, 40)


def test_demands_raised_on_one_day_across_the_same_lanes_stand_side_by_side(small_project, qapp):
    from app.chart.demandindex import SLOT_PX

    first = dataclasses.replace(small_project.demands[0], via=(), status="accepted")
    second = dataclasses.replace(first, id="partly", status="partial")
    project = dataclasses.replace(small_project, demands=[first, second])
    image, vp, timeline = paint(project, "2023-11-10", "2023-11-30")
    layout = timeline.layout
    x = round(vp.x(first.raised.lo))
    y = round(layout.lanes[layout.lane_of_actor["hamas"]].bottom + 2)
    assert near(colour_at(image, x, y), LIGHT.status_color("accepted"), 40)
    assert near(colour_at(image, x + SLOT_PX, y), LIGHT.status_color("partial"), 40)
    # Two whole rings, neither over the other (14 px apart, one hid the other's edge).
    from app.chart.metrics import GLYPH_RADIUS

    tail = round(layout.lanes[layout.lane_of_actor["hamas"]].centre)  # the glyphs' row

    def ring_at(edge: float, status: str) -> bool:
        colour = LIGHT.status_color(status)
        near_edge = [(round(edge) + dx, tail + dy) for dx in (-1, 0, 1) for dy in (-3, 0, 3)]
        return any(near(colour_at(image, *at), colour, 60) for at in near_edge)

    assert ring_at(x + GLYPH_RADIUS, "accepted") and ring_at(x + SLOT_PX - GLYPH_RADIUS, "partial")
    from app.chart import hittest

    spp = 1 / vp.scale
    found = hittest.demand_at(layout, first.raised.lo + SLOT_PX * spp, y, spp)
    assert found[0].id == "partly"


def test_an_arrow_is_drawn_through_each_mediator(small_project, qapp):
    project = dataclasses.replace(
        small_project,
        demands=[
            Demand(
                id="d",
                from_="hamas",
                to="israel",
                text="Stop",
                raised=parse("2023-11-20"),
                status="open",
                via=("usa",),
            ),
            Demand(
                id="e",
                from_="israel",
                to="hamas",
                text="Free",
                raised=parse("2023-11-21"),
                status="open",
            ),
        ],
    )
    layout = Timeline(project).layout
    index, lane = layout.demand_index, layout.lane_of_actor
    position = {layout.demands[index.order[k]].demand.id: k for k in range(len(index.x))}
    d, e = position["d"], position["e"]
    # "d" climbs from Hamas to the United States, then comes down to Israel.
    assert (index.lane_lo[d], index.lane_hi[d]) == (lane["usa"], lane["israel"])
    assert index.before_head[d] == lane["usa"] and index.before_head[e] == lane["israel"]
    assert index.stop_of.tolist() == [d] and index.stop_lane.tolist() == [lane["usa"]]

    # Drawn: up to the mediator's lane, then (a step to the right, as it turns back) down
    # to the target's.
    vp = Viewport(parse("2023-11-01").lo, parse("2023-12-01").lo, 0, WIDTH, 0, HEIGHT)
    image = blank()
    p = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(p, layout, vp, PaintOptions(show_labels=False))
    p.end()
    x = round(vp.x(parse("2023-11-20").lo))
    status = LIGHT.status_color("open")
    from app.chart.demands import TURN_PX

    for actor, dy, dx in (("usa", 8, 0), ("cia", 8, 0), ("israel", -12, TURN_PX)):  # clear of dots
        y = layout.lanes[lane[actor]].centre + dy
        assert near(colour_at(image, x + dx, y), status, 40), actor
    assert not near(colour_at(image, x, layout.lanes[lane["usa"]].centre - 8), status, 40)


def crowded_project(seed: int) -> Project:
    """Two lanes full of overlapping points and ranges with titles of every length, some
    approximate, some with the other lane as a `with` actor."""
    rng = np.random.default_rng(seed)
    words = "talks on hostages fuel trucks pause release list names mediator Doha Cairo".split()
    events = []
    for k in range(70):
        day = 1 + int(rng.integers(0, 20))
        length = int(rng.integers(0, 4)) if rng.random() < 0.3 else 0
        text = f"2023-11-{day:02d}" + ("~" if rng.random() < 0.2 else "")
        if length:
            text += f"/2023-11-{day + length:02d}"
        events.append(
            Event(
                id=f"e{k}",
                actor="a" if k < 50 else "b",
                title=" ".join(rng.choice(words, int(rng.integers(1, 9)))),
                when=parse(text),
                with_=("b",) if rng.random() < 0.15 else (),
                type=str(rng.choice(["statement", "release", "threaten", "fight", ""])),
            )
        )
    statuses = ["open", "accepted", "rejected"]
    demands = [
        Demand(
            id=f"d{k}",
            from_="a" if k % 2 else "b",
            to="b" if k % 2 else "a",
            text="Demand",
            raised=parse(f"2023-11-{1 + int(rng.integers(0, 20)):02d}"),
            status=statuses[k % 3],
        )
        for k in range(int(rng.integers(0, 2)) * (CROWDED_ARROWS + 20))  # none, or crowded
    ]
    return Project(
        title="Crowded",
        actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
        events=events,
        demands=demands,
    )


def painted(chart, layout, vp, options, image=None, window=None) -> QtGui.QImage:
    image = image if image is not None else blank()
    p = QtGui.QPainter(image)
    if window is not None:
        t0, t1, y0, y1 = window
        p.setClipRect(
            QtCore.QRectF(
                QtCore.QPointF(vp.x(t0), vp.y(y0)), QtCore.QPointF(vp.x(t1), vp.y(y1))
            ).toAlignedRect()
        )
    chart.paint(p, layout, vp, options, window)
    p.end()
    return image


@settings(deadline=None)
@given(
    seed=st.integers(0, 1000),
    k=st.integers(0, 69),
    days=st.integers(-4, 4),
    change=st.sampled_from(["when", "title", "actor"]),
    selected=st.booleans(),
    from_file=st.booleans(),
)
def test_repainting_only_the_edit_window_gives_the_whole_new_picture(
    qapp, seed, k, days, change, selected, from_file
):
    """On records in a list, and read from a file (lanes of a store's rows: the longest
    title a lane may have is bounded by its bytes, not measured)."""
    project = crowded_project(seed)
    if from_file:
        project = projectfile.loads(canonical.dumps(project))
    timeline = Timeline(project)
    before = timeline.layout
    vp = Viewport(parse("2023-10-31").lo, parse("2023-11-26").lo, 0, WIDTH, 0, 600)
    chart = ChartPainter(LIGHT)
    old = project.events[k]
    options = PaintOptions(selection=frozenset({old.id}) if selected else frozenset())
    image = painted(chart, before, vp, options, blank(600))
    if change == "when":
        moved = dataclasses.replace(old, when=old.when.shifted(days * DAY))
    elif change == "title":
        moved = dataclasses.replace(old, title="a new title " * (days + 5))
    else:
        moved = dataclasses.replace(old, actor="b" if old.actor == "a" else "a")
    project.events[k] = moved
    timeline.events_changed([moved], [moved.id])
    chart.forget_labels([moved.id])
    window = chart.edit_window(before, timeline.layout, [old, moved], 1 / vp.scale)
    if window is None:  # the lanes grew or shrank: the canvas repaints everything
        assert [lane.height for lane in before.lanes] != [
            lane.height for lane in timeline.layout.lanes
        ]
        return
    partly = painted(chart, timeline.layout, vp, options, image, window)
    whole = painted(chart, timeline.layout, vp, options, blank(600))
    assert partly == whole


@settings(deadline=None)
@given(
    seed=st.integers(0, 1000),
    edits=st.lists(
        st.tuples(st.integers(0, 69), st.sampled_from(["when", "actor", "with"])), max_size=6
    ),
)
def test_with_ticks_kept_up_edit_by_edit_equal_those_built_afresh(seed, edits):
    project = crowded_project(seed)
    timeline = Timeline(project)
    timeline.layout.with_ticks()
    for k, change in edits:
        e = project.events[k]
        if change == "when":
            e = dataclasses.replace(e, when=e.when.shifted(DAY))
        elif change == "actor":
            e = dataclasses.replace(e, actor="b" if e.actor == "a" else "a")
        else:
            e = dataclasses.replace(e, with_=() if e.with_ else ("a", "b"))
        project.events[k] = e
        timeline.events_changed([e], [e.id])
        if k % 2:  # painted after some edits only
            timeline.layout.with_ticks()
    fresh = Timeline(project).layout.with_ticks()
    kept = timeline.layout.with_ticks()
    assert sorted(zip(*map(np.ndarray.tolist, kept), strict=True)) == sorted(
        zip(*map(np.ndarray.tolist, fresh), strict=True)
    )
    assert np.all(np.diff(kept[0]) >= 0)


@pytest.mark.parametrize("changed", [40, 100, 300])
def test_with_ticks_kept_up_after_many_events_change_at_once(changed):
    """A step that changes many events of a lane (past a sixteenth of it, the lane's
    ticks are made again whole) leaves the ticks a fresh layout has."""
    actors = [Actor(id=a, name=a.upper()) for a in "abc"]
    events = [
        Event(id=f"e{k}", actor="a", with_=("b",), title=f"E{k}", when=parse("2023-01-01"))
        for k in range(300)
    ]
    events = [dataclasses.replace(e, when=e.when.shifted(k * DAY)) for k, e in enumerate(events)]
    project = Project(title="t", actors=actors, events=events)
    timeline = Timeline(project)
    timeline.layout.with_ticks()
    for k in range(changed):
        project.events[k] = dataclasses.replace(project.events[k], with_=("c",))
    timeline.events_changed(project.events[:changed], [e.id for e in project.events[:changed]])
    fresh = Timeline(project).layout.with_ticks()
    kept = timeline.layout.with_ticks()
    assert sorted(zip(*map(np.ndarray.tolist, kept), strict=True)) == sorted(
        zip(*map(np.ndarray.tolist, fresh), strict=True)
    )
    assert (kept[1] == timeline.layout.lane_of_actor["c"]).sum() == changed


def test_the_legend_names_event_classes_and_flows_onto_more_rows_when_narrow(qapp):
    chart = ChartPainter(LIGHT)
    rows = dict(chart.legend_rows())
    assert [text for text, _, _ in rows["Events:"]][:3] == ["cooperation", "conflict", "other"]
    # what a newcomer found unexplained: the ticks of `with` and the demands' spans
    assert "with (in each other party's lane)" in [text for text, _, _ in rows["Events:"]]
    assert "in the demander's lane while it runs" in [text for text, _, _ in rows["Demands:"]]
    wide, narrow = chart.legend_size(), chart.legend_size(420)
    assert narrow.width() <= 420 < wide.width()
    assert narrow.height() > wide.height()


def test_the_legend_follows_a_change_of_theme(qapp):
    from app.chart.theme import DARK

    chart = ChartPainter(LIGHT)
    chart.legend_size()  # laid out in the light theme
    chart.set_theme(DARK)
    image = blank()
    p = QtGui.QPainter(image)
    rect = chart.paint_legend(p, QtCore.QPointF(10, 10))
    p.end()
    inside = colour_at(image, rect.left() + 4, rect.center().y())
    assert near(inside, DARK.background, 40)
    assert any(
        near(colour_at(image, x, y), DARK.status_color("accepted"), 30)
        for x in range(int(rect.left()), int(rect.right()))
        for y in range(int(rect.top()), int(rect.top()) + 26)
    )


def test_dark_actor_colours_are_lightened_on_the_dark_theme_only(small_project, qapp):
    from app.chart.theme import DARK

    layout = Timeline(small_project).layout
    usa = layout.lane_of_actor["usa"]  # #3465a4: a dark blue
    chart = ChartPainter(LIGHT)
    assert chart.lane_color(layout, usa) == "#3465a4"
    chart.set_theme(DARK)
    shown = QtGui.QColor(chart.lane_color(layout, usa))
    assert shown.lightness() > QtGui.QColor("#3465a4").lightness()
    assert abs(shown.hue() - QtGui.QColor("#3465a4").hue()) <= 3  # still that blue


@settings(deadline=None, max_examples=scaled(40))
@given(
    seed=st.integers(0, 10_000),
    first_day=st.integers(1, 60),
    days=st.integers(1, 40),
    y_offset=st.integers(0, 60),  # the lanes in view, some above it
    partly=st.booleans(),
)
def test_demands_left_out_early_are_those_that_cannot_show(
    qapp, seed, first_day, days, y_offset, partly
):
    """Demands raised well before the view are looked at only if their span's lane is in
    view: the picture is the one drawn looking at every demand."""
    rng = np.random.default_rng(seed)
    actors = [Actor(id=f"a{i}", name=f"A{i}") for i in range(6)]
    statuses = ["open", "accepted", "rejected", "withdrawn"]

    def day(d: int) -> str:
        return (np.datetime64("2023-09-01") + int(d)).astype(str)

    demands = []
    for k in range(120):
        a, b, *via = rng.choice(6, size=2 + int(rng.integers(0, 3)), replace=False).tolist()
        raised = int(rng.integers(0, 100)) if k % 4 else int(rng.integers(0, 5))  # a crowd
        status = statuses[int(rng.integers(0, 4))]
        demands.append(
            Demand(
                id=f"d{k}",
                from_=f"a{a}",
                to=f"a{b}",
                via=tuple(f"a{v}" for v in via),
                text="Demand",
                raised=parse(day(raised)),
                status=status,
                resolved=parse(day(raised + int(rng.integers(0, 60))))
                if status != "open" and rng.random() < 0.8
                else None,
            )
        )
    events = [Event(id=f"e{a.id}", actor=a.id, title="", when=parse(day(0))) for a in actors]
    project = Project(title="Spans", actors=actors, events=events, demands=demands)
    layout = Timeline(project).layout
    t0 = parse(day(first_day)).lo
    vp = Viewport(t0, t0 + days * DAY, 0, WIDTH, 0, HEIGHT, y_offset)
    chart = ChartPainter(LIGHT)
    options = PaintOptions(show_labels=False)
    middle = (t0 + days * DAY / 3, t0 + 2 * days * DAY / 3)  # a part of the view, painted alone
    window = (*middle, y_offset, y_offset + HEIGHT) if partly else None
    looked_at = []
    visible = DemandIndex.visible

    def every_candidate(index, t0, t1, first_lane, last_lane, arrows_from=-np.inf):
        looked_at.append(len(visible(index, t0, t1, first_lane, last_lane, arrows_from)))
        return visible(index, t0, t1, first_lane, last_lane)

    drawn = painted(chart, layout, vp, options, blank(), window)
    with patch.object(DemandIndex, "visible", every_candidate):
        assert painted(chart, layout, vp, options, blank(), window) == drawn
    assert looked_at  # the demands were painted through `visible`
    if partly:  # the part painted again, on the whole picture with that part wiped
        # (From the top lane's top: a part that exposes a sliver of a lane's bottom edge
        # leaves out that lane's layers, which a whole frame draws over a demand's span.)
        vp = Viewport(t0, t0 + days * DAY, 0, WIDTH, 0, HEIGHT)
        window = (window[0], window[1], 0.0, HEIGHT)
        whole = painted(chart, layout, vp, options, blank())
        wiped = whole.copy()
        p = QtGui.QPainter(wiped)
        part = QtCore.QRectF(
            QtCore.QPointF(vp.x(window[0]), 0), QtCore.QPointF(vp.x(window[1]), HEIGHT)
        )
        p.fillRect(part.toAlignedRect(), QtGui.QColor("white"))
        p.end()
        assert painted(chart, layout, vp, options, wiped, window) == whole


@settings(deadline=None, max_examples=scaled(50))
@given(
    seed=st.integers(0, 1000),
    day=st.integers(-5, 35),
    days=st.floats(0, 10),
    px_a_day=st.floats(1, 2000),
)
def test_the_labels_an_edit_window_looks_at_start_among_the_events_it_bisects(
    seed, day, days, px_a_day
):
    """edit_window looks only at the events `starting_near` finds for labels starting in
    [t0, t1]: none outside them has a label starting there (beside it or inside its bar)."""
    layout = Timeline(crowded_project(seed)).layout
    spp = DAY / px_a_day
    t0 = parse("2023-11-01").lo + day * DAY
    t1 = t0 + days * DAY
    for data in layout.lane_events:
        lo, hi, bar = data.lo, data.hi, data.bar
        beside = np.where(bar, hi, (lo + hi) / 2 + MARK * spp) + LABEL_GAP * spp
        inside = np.where(bar, lo, np.inf)
        near = starting_near(data, t0, t1, spp)
        outside = np.ones(len(lo), dtype=bool)
        outside[near] = False
        for start in (beside, inside):
            assert not ((start >= t0) & (start <= t1) & outside).any()


@pytest.mark.parametrize("crowded", [False, True])
def test_a_selected_demand_is_ringed_at_its_tail_and_no_other_is(qapp, crowded):
    """The ring of a selected demand (or of one hovered) is drawn at its arrow's tail, and
    about no other demand, among a few or among many."""
    project = next(p for p in map(crowded_project, range(100)) if p.demands)
    if not crowded:
        project = dataclasses.replace(project, demands=project.demands[:6])
    layout = Timeline(project).layout
    vp = Viewport(parse("2023-10-31").lo, parse("2023-11-26").lo, 0, WIDTH, 0, 600)
    chart = ChartPainter(LIGHT)

    def pixels(options: PaintOptions) -> np.ndarray:
        image = painted(chart, layout, vp, options, blank(600))
        bits = np.frombuffer(image.constBits(), np.uint8).reshape(600, -1)
        return bits[:, : 4 * WIDTH].copy()  # (the image's memory goes with it)

    plain = pixels(PaintOptions())
    index = layout.demand_index
    j = int(np.flatnonzero(index.ids == "d3")[0])
    x = vp.left + (index.x[j] - vp.t0) * vp.scale + index.shift[j]
    y = vp.y(layout.lane_centres()[index.from_lane[j]])
    for options in (PaintOptions(selection=frozenset({"d3"})), PaintOptions(hover="d3")):
        rows, columns = np.nonzero(pixels(options) != plain)
        assert len(rows), "no ring"
        assert np.abs(columns // 4 - x).max() <= 12 and np.abs(rows - y).max() <= 12
