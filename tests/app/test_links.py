"""Links between events on the chart: a curved arrow from the earlier mark to its answer."""

from __future__ import annotations

import dataclasses
import gc
import weakref

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtGui

from app.chart import ChartPainter, PaintOptions, Viewport
from app.chart import links as links_module
from app.chart.layout import Timeline
from app.chart.links import links_of
from app.chart.theme import LIGHT
from app.fileformat import canonical, projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse


def project(linked: bool) -> Project:
    strike = Event(id="strike", actor="israel", title="Strike", when=parse("2023-10-20"))
    answer = Event(
        id="halt",
        actor="hamas",
        title="Talks halted",
        when=parse("2023-10-25"),
        responds_to=("strike",) if linked else (),
    )
    return Project(
        actors=[Actor(id="hamas", name="Hamas"), Actor(id="israel", name="Israel")],
        events=[strike, answer],
    )


def picture(p: Project) -> tuple[QtGui.QImage, Viewport, Timeline]:
    timeline = Timeline(p)
    vp = Viewport(parse("2023-10-15").lo, parse("2023-10-31").lo, 0, 800, 40, 240)
    image = QtGui.QImage(800, 240, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    ChartPainter(LIGHT).paint(painter, timeline.layout, vp, PaintOptions(show_labels=False))
    painter.end()
    return image, vp, timeline


def test_a_link_is_drawn_between_the_two_marks_and_only_there(qapp):
    with_link, vp, timeline = picture(project(True))
    without, _, _ = picture(project(False))
    assert links_of(timeline.layout) == [(1, 0, 0, 0)]  # Israel's strike -> Hamas's answer
    # From mark to mark: a day's mark stands at the day's middle.
    x0, x1 = (int(vp.x((w.lo + w.hi) / 2)) for w in (parse("2023-10-20"), parse("2023-10-25")))
    changed = [
        (x, y)
        for x in range(0, 800, 2)
        for y in range(0, 240, 2)
        if with_link.pixel(x, y) != without.pixel(x, y)
    ]
    assert len(changed) > 30
    assert all(x0 - 8 <= x <= x1 + 8 for x, _ in changed)  # between the marks, nowhere else
    top = min(y for _, y in changed)
    assert top < vp.y(timeline.layout.lanes[0].top) + 8  # bowed up, not a straight line


def test_a_links_head_is_seen_beside_the_mark_it_points_at(qapp):
    """The head's tip was the mark's middle: the mark, drawn over it, hid it, and the
    curve seemed to end nowhere. It stops at the mark's edge: just outside the mark, some
    pixels are as dark as a filled head, not only a hairline's grey."""
    import math

    from app.chart.metrics import MARK

    image, vp, timeline = picture(project(True))
    answer = parse("2023-10-25")
    x1 = vp.x((answer.lo + answer.hi) / 2)
    hamas = timeline.layout.lane_of_actor["hamas"]
    y1 = vp.y(timeline.layout.row_top(hamas, 0) + timeline.layout.row_height / 2)
    dark = [
        (x, y)
        for x in range(int(x1) - 20, int(x1) + 20)
        for y in range(int(y1) - 20, int(y1) + 20)
        if MARK + 1 <= math.hypot(x - x1, y - y1) <= MARK + 8
        and image.pixelColor(x, y).lightness() < 100
    ]
    assert len(dark) >= 3, dark


def test_links_follow_an_edit_of_the_lanes(qapp):
    p = project(True)
    timeline = Timeline(p)
    assert len(links_of(timeline.layout)) == 1
    moved = dataclasses.replace(p.events[1], responds_to=())
    timeline.events_changed([moved], [moved.id])
    assert links_of(timeline.layout) == []


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 2), st.integers(-40, 40), st.integers(0, 11)),
        min_size=1,
        max_size=12,
    )
)
def test_links_kept_up_edit_by_edit_equal_links_found_afresh(edits):
    """Each edit moves an event (in time, to another lane) and may point it at another:
    the links worked out lane by lane from the last ones are those of a fresh look."""
    actors = [Actor(id=f"a{n}", name=f"A{n}") for n in range(3)]
    events = [
        Event(id=f"e{n}", actor=f"a{n % 3}", title="E", when=parse(f"2023-10-{n + 10}"))
        for n in range(12)
    ]
    timeline = Timeline(Project(actors=actors, events=events))
    by_id = {e.id: e for e in events}
    for n, lane, days, target in edits:
        old = by_id[f"e{n}"]
        answers = () if target == n else (f"e{target}",)
        new = dataclasses.replace(
            old, actor=f"a{lane}", when=old.when.shifted(days * 86400.0), responds_to=answers
        )
        by_id[new.id] = new
        timeline.events_changed([new], [new.id])
        kept = links_of(timeline.layout)
        fresh = links_of(Timeline(Project(actors=actors, events=list(by_id.values()))).layout)
        assert kept == fresh


def test_a_link_to_an_event_drawn_nowhere_is_left_out():
    p = project(linked=True)
    p.events[1] = dataclasses.replace(p.events[1], responds_to=("gone",))
    assert links_of(Timeline(p).layout) == []


def test_charts_drawn_in_turns_each_find_their_links_once(monkeypatch):
    """The window's chart and the compare dock's are painted in turns: each keeps what it
    found (with only the last layout kept, a million events' links were found again at
    every paint of either)."""
    found = []
    answering = links_module._answering
    monkeypatch.setattr(links_module, "_answering", lambda d: found.append(d) or answering(d))
    one, other = Timeline(project(True)), Timeline(project(False))
    for _ in range(3):
        assert links_of(one.layout) == [(1, 0, 0, 0)]
        assert links_of(other.layout) == []
    assert len(found) == len(one.layout.lane_events) + len(other.layout.lane_events)


def test_a_closed_projects_links_are_let_go_once_another_is_drawn(small_project):
    """A memo holds its lanes' lists, and those a store of every event: it goes with its
    layout, or a closed project of a million events stayed in memory."""
    # What the tests before left (none of it made after this line) is kept out of the two
    # full passes below: late in a worker's run each walked its whole heap, 0.3 s.
    gc.freeze()
    read = projectfile.loads(canonical.dumps(small_project))  # events in a store
    store = weakref.ref(read.events)
    timeline = Timeline(read)
    links_of(timeline.layout)
    del read, timeline
    gc.collect()
    links_of(Timeline(project(True)).layout)  # another project, drawn once
    gc.collect()
    assert store() is None
