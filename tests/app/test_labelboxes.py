"""Where labels were drawn, for picking (app/chart/base.py LabelBoxes): held to a plain
list of boxes through any run of lanes added and regions forgotten."""

from __future__ import annotations

from types import SimpleNamespace
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from app.chart import base
from app.chart.base import LabelBoxes, Viewport

VP = Viewport(t0=0.0, t1=1000.0, left=100.0, right=1100.0, top=20.0, bottom=620.0)
# Another frame's: zoomed in and scrolled down (each lane's boxes are of its own frame).
PANNED = Viewport(t0=300.0, t1=800.0, left=100.0, right=1100.0, top=20.0, bottom=620.0, y_offset=90)
H = 12.0

coordinate = st.integers(0, 1200).map(float)
width = st.integers(1, 200).map(float)
lane = st.lists(st.tuples(coordinate, coordinate, width, width), max_size=6)
region = st.tuples(coordinate, coordinate, coordinate, coordinate).map(
    lambda r: (VP.t(min(r[0], r[1])), VP.t(max(r[0], r[1])), min(r[2], r[3]), max(r[2], r[3]))
)
step = st.one_of(
    st.tuples(st.just("add"), lane, st.sampled_from([VP, PANNED])),
    st.tuples(st.just("forget"), region, st.none()),
)
probe = st.tuples(coordinate, coordinate)


@given(steps=st.lists(step, max_size=12), probes=st.lists(probe, min_size=1, max_size=8))
def test_label_boxes_pick_as_a_list_of_boxes_does(steps, probes):
    picks_as_a_list_does(steps, probes)


@given(steps=st.lists(step, max_size=12), probes=st.lists(probe, min_size=1, max_size=8))
def test_label_boxes_worked_out_part_way_through_pick_alike(steps, probes):
    """What the boxes note is worked out once they hold more than NOTED_AT_MOST lanes and
    regions: here two, so that it happens in the middle of most runs."""
    with patch.object(base, "NOTED_AT_MOST", 2):
        picks_as_a_list_does(steps, probes)


def picks_as_a_list_does(steps, probes) -> None:
    boxes, plain = LabelBoxes(), []  # plain: (id, t0, t1, y0, y1), in the order drawn
    serial = 0
    for action, arg, vp in steps:
        if action == "add":
            ids = [f"e{serial + k}" for k in range(len(arg))]
            serial += len(arg)
            # As place_labels plans them: (index, x, y, width, room, inside, how); a label
            # shortened to its room is that wide.
            placed = [(k, x, y, w, room, False, "short") for k, (x, y, w, room) in enumerate(arg)]
            boxes.add(vp, [SimpleNamespace(id=i) for i in ids], placed, H)
            for i, (x, y, w, room) in zip(ids, arg, strict=True):
                right = x + min(w, room)
                plain.append((i, vp.t(x), vp.t(right), vp.layout_y(y), vp.layout_y(y) + H))
        else:
            t0, t1, y0, y1 = arg
            boxes.forget(t0, t1, y0, y1)
            plain = [b for b in plain if b[2] < t0 or b[1] > t1 or b[4] < y0 or b[3] > y1]
    assert boxes.ids == [b[0] for b in plain]
    for x, y in probes:
        t, ly = VP.t(x), VP.layout_y(y)
        covering = [b[0] for b in plain if b[1] <= t <= b[2] and b[3] <= ly <= b[4]]
        assert boxes.at(t, ly) == (covering[-1] if covering else None)
