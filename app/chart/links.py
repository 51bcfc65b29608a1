"""Links between events (`responds_to`): a thin curved arrow from the earlier mark to the one
that answers it, bowed above the lanes' rows so it is not mistaken for a demand's straight,
coloured arrow. Where each linked event sits is worked out once per version of the lanes."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame
from app.chart.laneevents import LaneEvents
from app.chart.lanerecords import LaneRecords
from app.chart.layout import Layout
from app.chart.metrics import MARK
from app.chart.style import Style, qcolor

LINK_ALPHA = 170
LINK_FADED_ALPHA = 45  # a link to an event the filter dims
HEAD = 5.0  # px: the arrow head's length
_ANSWERING = attrgetter("answering")


@dataclass
class _Memo:
    """What `links_of` found for one layout, kept per lane so that an edit, which replaces
    one or two lanes' lists, is worked out again for those lanes only."""

    version: tuple
    links: list
    wanted: frozenset  # every event some link points at
    answering: dict  # lane key -> [(index, responds_to)]
    where: dict  # lane key -> {wanted id: index}
    lists: list  # the lanes' lists themselves: while kept, no new list can take their ids
    layout: weakref.ref  # the layout drawn last with these lanes: the memo goes with it


# What was found for the layouts drawn last, the latest first: an edit gives a new layout
# that shares the unchanged lanes' lists. Those of every layout still alive are kept:
# charts drawn in turns (the window's and the compare dock's) each found their links again
# at every paint when only the last was kept (110 ms a paint at a million events). A
# layout gone (an edit's older one, a closed project's) takes its memo with it once the
# next is found: the lists it holds may hold a million events' store.
_last: list[_Memo] = []
KEPT_LAYOUTS = 4


def links_of(layout: Layout) -> list[tuple[int, int, int, int]]:
    """(lane, index) of each link's earlier event and of the event answering it."""
    lanes = layout.lane_events
    found = list(map(_ANSWERING, lanes))
    if None in found:  # lanes not looked at yet (an edit's)
        found = [
            f if f is not None else _kept_answering(d) for f, d in zip(found, lanes, strict=True)
        ]
    if not any(found):  # no event answers another (most charts): at each edit's repaint
        return []
    # A lane's key: its list of events (replaced on an edit) and its length.
    keys = [(id(d.events), len(d.events)) for d in lanes]
    version = tuple(keys)
    for memo in _last:
        if memo.version == version:
            memo.layout = weakref.ref(layout)  # a new layout of the same lanes
            return memo.links
    # The layout this one comes from (an edit's): the one sharing the most lanes' lists
    have = set(keys)
    memo = max(_last, key=lambda m: len(m.answering.keys() & have), default=None)
    answering = dict(zip(keys, found, strict=True))
    wanted = frozenset(r for lane in found for _, targets in lane for r in targets)
    kept = memo is not None and memo.wanted == wanted
    where = {
        key: memo.where[key] if kept and key in memo.where else _where(data, wanted)
        for key, data in zip(keys, lanes, strict=True)
    }
    at = {r: (lane, i) for lane, key in enumerate(keys) for r, i in where[key].items()}
    links = [
        (*at[r], lane, i)
        for lane, key in enumerate(keys)
        for i, targets in answering[key]
        for r in targets
        if r in at
    ]
    lists = [d.events for d in layout.lane_events]
    alive = [m for m in _last if m.layout() is not None]
    made = _Memo(version, links, wanted, answering, where, lists, weakref.ref(layout))
    _last[:] = [made, *alive][:KEPT_LAYOUTS]
    return links


def _kept_answering(data: LaneEvents) -> list[tuple[int, tuple[str, ...]]]:
    """`_answering` of a lane, kept with it (an edit replaces the lanes it changes)."""
    if data.answering is None:
        data.answering = _answering(data)
    return data.answering


def _answering(data: LaneEvents) -> list[tuple[int, tuple[str, ...]]]:
    """The lane's events that answer others, as (index, responds_to)."""
    events = data.events
    if isinstance(events, LaneRecords):  # only the few that answer are made
        ks = np.flatnonzero(events.has_links()).tolist()
        return list(zip(ks, events.field("responds_to", ks), strict=True))
    return [(i, e.responds_to) for i, e in enumerate(events) if e.responds_to]


def _where(data, wanted: frozenset) -> dict[str, int]:
    if not wanted:
        return {}
    return {i: k for k, i in enumerate(data.ids.tolist()) if i in wanted}


def paint(s: Style, f: Frame) -> None:
    links = links_of(f.layout)
    if not links:
        return
    layout, vp, p = f.layout, f.vp, f.p
    p.save()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    pen = QtGui.QPen(qcolor(s.theme.text, LINK_ALPHA), 1.2)
    pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
    faint = QtGui.QPen(pen)
    faint.setColor(qcolor(s.theme.text, LINK_FADED_ALPHA))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    kept, hide = f.options.kept, f.options.hide_filtered
    for a_lane, a, b_lane, b in links:
        out = kept is not None and not (
            kept.lane(layout, a_lane)[a] and kept.lane(layout, b_lane)[b]
        )
        if out and hide:
            continue  # an arrow to an event the filter hides would point at nothing
        (t0, top0, _), (t1, top1, bar) = _anchor(layout, a_lane, a), _anchor(layout, b_lane, b)
        if max(t0, t1) < f.t0 or min(t0, t1) > f.t1:
            continue
        x0, y0, x1, y1 = vp.x(t0), vp.y(top0), vp.x(t1), vp.y(top1)
        bow = min(60.0, 12.0 + abs(x1 - x0) * 0.15)
        c0 = QtCore.QPointF(x0 + (x1 - x0) * 0.3, min(y0, y1) - bow)
        c1 = QtCore.QPointF(x0 + (x1 - x0) * 0.7, min(y0, y1) - bow)
        # The head stops at the mark's edge: at its middle, the mark drawn over it hid it.
        tip = _short_of(c1, QtCore.QPointF(x1, y1), 2.0 if bar else MARK + 2.0)
        path = QtGui.QPainterPath(QtCore.QPointF(x0, y0))
        path.cubicTo(c0, c1, tip)
        drawn = faint if out else pen  # dimmed with the events the filter dims
        p.setPen(drawn)
        p.drawPath(path)
        _head(p, c1, tip, drawn.color())
    p.restore()


def _anchor(layout: Layout, lane: int, i: int) -> tuple[float, float, bool]:
    """(time, layout y, is a bar) of an event's mark, at its row's middle: a bar's start,
    or where a day's or a time's mark stands (the middle of its span, as
    app/chart/events.py draws it; a day's start was half a day left of its mark)."""
    data = layout.lane_events[lane]
    lo, bar = float(data.lo[i]), bool(data.bar[i])
    t = lo if bar else (lo + float(data.hi[i])) / 2
    return t, layout.row_top(lane, int(data.row[i])) + layout.row_height / 2, bar


def _short_of(origin: QtCore.QPointF, point: QtCore.QPointF, by: float) -> QtCore.QPointF:
    """`point` moved `by` px back towards `origin` (no further than `origin`)."""
    dx, dy = point.x() - origin.x(), point.y() - origin.y()
    length = float(np.hypot(dx, dy))
    if length <= by:
        return origin
    return QtCore.QPointF(point.x() - dx / length * by, point.y() - dy / length * by)


def _head(p: QtGui.QPainter, towards_from: QtCore.QPointF, tip: QtCore.QPointF, color) -> None:
    d = np.array([tip.x() - towards_from.x(), tip.y() - towards_from.y()])
    length = float(np.hypot(*d)) or 1.0
    ux, uy = d / length
    back = QtCore.QPointF(tip.x() - ux * HEAD, tip.y() - uy * HEAD)
    left = QtCore.QPointF(back.x() - uy * HEAD * 0.5, back.y() + ux * HEAD * 0.5)
    right = QtCore.QPointF(back.x() + uy * HEAD * 0.5, back.y() - ux * HEAD * 0.5)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawPolygon(QtGui.QPolygonF([tip, left, right]))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
