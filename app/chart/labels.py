"""Event labels: titles beside or inside their events, thinned by collision; and the
region an edit can change, which depends on how far labels reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from operator import itemgetter

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, PaintOptions, Viewport
from app.chart.kept import kept_mask
from app.chart.laneevents import events_among, ids_among
from app.chart.lanerecords import field, records
from app.chart.layout import LANE_PADDING, Layout
from app.chart.metrics import LABEL_GAP, MARK, MARK_GRIP, bar_height
from app.chart.style import Style, qcolor, readable_on
from app.records.model import Event

SHOWN, HIDDEN = "shown", "hidden"  # an event's `label`: its title pinned on or off
BACKING_PAD = 3  # px of a backing each side of its text
MEASURED_WHOLE = 256  # visible events of a lane whose titles are all measured
MEASURED_NEAR = 2000  # titles an edit measures to bound what it changes; past them, to the end
_UNMEASURED = float("inf")  # the width of a title not measured: too wide for any room


def paint_labels(
    s: Style, p: QtGui.QPainter, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
) -> None:
    """Titles beside or inside their events, thinned by collision in each sub-row:
    a label never runs over another label or the next mark in its row; it is
    shortened with an ellipsis, or left out when too little room is left. A title
    pinned on (`label: shown`) always shows, one pinned off never does. With
    `options.footnotes` (exports), an event whose title is not drawn in full carries
    its number instead, and the picture lists it below.
    Positions are computed with numpy; only the greedy pass is a Python loop."""
    text_pen = qcolor(s.theme.text)
    forced: list[tuple[QtCore.QPointF, QtGui.QStaticText, float]] = []
    s.labels_drawn = 0
    naming = options.footnotes is not None
    for lane_i, placed in place_labels(s, layout, vp, visible, options).items():
        lane_events = layout.lane_events[lane_i].events
        if naming:  # numbers first (of the events listed below): titles read over them
            notes = [
                (k[1], k[2], options.footnotes[lane_events[k[0]].id])
                for k in placed
                if k[-1] == "note"
            ]
            if notes:
                paint_notes(s, p, vp, notes, text_pen)
            placed = [k for k in placed if k[-1] != "unnamed" and k[-1] != "note"]
        p.setFont(s.font)
        color = s.lane_color(layout, lane_i)
        pens = (text_pen, readable_on(qcolor(color)))
        pen_now = None
        events = records(lane_events, [k[0] for k in placed])
        under_labels(s, p, color, [k for k in placed if k[-1] != "forced"])
        for (_i, xk, yk, w, room, ins, how), e in zip(placed, events, strict=True):
            if how == "forced":
                forced.append((QtCore.QPointF(xk, yk), s.label(e.id, e.title)[0], w))
                continue
            if ins != pen_now:
                p.setPen(pens[ins])
                pen_now = ins
            s.labels_drawn += 1
            text = s.label(e.id, e.title)[0] if how == "full" else s.elided(e.id, e.title, room)
            p.drawStaticText(QtCore.QPointF(xk, yk), text)
        s.label_boxes.add(vp, events, placed, s.metrics.height())
    # Hovered, selected and pinned titles show in full, on a backing so they read over anything.
    p.setFont(s.font)
    for pos, static, width in forced:
        backing(s, p, pos, width, static.size().height())
        p.setPen(text_pen)
        p.drawStaticText(pos, static)


def under_labels(s: Style, p: QtGui.QPainter, color: str, placed: list) -> None:
    """What a lane's labels are written on, so that they read over the ticks, arrows and
    links drawn before them: the chart's ground, a little see-through, beside a mark;
    inside a bar, the bar's colour, without the hatching of a bar whose date is fuzzy."""
    h = s.metrics.height()
    grounds: tuple[list, list] = ([], [])
    for _i, x, y, w, room, ins, how in placed:
        width = w if how == "full" else min(w, room)
        grounds[ins].append(QtCore.QRectF(x - 1, y, width + 2, h))
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    for ins, brush in ((0, s.brush(s.theme.background, 200)), (1, s.brush(color))):
        if grounds[ins]:
            p.setBrush(brush)
            p.drawRects(grounds[ins])


def paint_notes(s: Style, p: QtGui.QPainter, vp: Viewport, notes: list, pen) -> None:
    """The numbers of events named in the list below the chart, in bold on a backing."""
    p.setFont(s.bold)
    bold = QtGui.QFontMetricsF(s.bold)
    for x, y, text in runs(notes, bold):
        width = bold.horizontalAdvance(text)
        x = min(x, vp.right - width - BACKING_PAD)  # inside the frame
        backing(s, p, QtCore.QPointF(x, y), width, bold.height())
        p.setPen(pen)
        p.drawText(QtCore.QPointF(x, y + bold.ascent()), text)


def backing(s: Style, p: QtGui.QPainter, pos: QtCore.QPointF, width: float, h: float) -> None:
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(s.brush(s.theme.background, 235))
    pad = BACKING_PAD
    p.drawRoundedRect(QtCore.QRectF(pos.x() - pad, pos.y() - 1, width + 2 * pad, h + 2), 3, 3)


def runs(notes: list[tuple[float, float, int]], fm: QtGui.QFontMetricsF) -> list:
    """Numbers that would overlap in a row, written as one run ("E4–9") when they follow
    each other, else set right of the one before; (x, y, text) each."""
    out: list[list] = []  # [x, y, first, last]
    for x, y, n in sorted(notes, key=lambda k: (k[1], k[0])):
        last = out[-1] if out else None
        if last and last[1] == y:
            text = note_text(last[2], last[3])
            end = last[0] + fm.horizontalAdvance(text) + 8
            if x < end:
                if n == last[3] + 1:
                    last[3] = n
                    continue
                x = end
        out.append([x, y, n, n])
    return [(x, y, note_text(a, b)) for x, y, a, b in out]


def note_text(first: int, last: int) -> str:
    """An event's number as the chart and its list write it ("E4", a run "E4–9"): the E
    tells it from a demand's number."""
    return f"E{first}" if first == last else f"E{first}–{last}"


def place_labels(
    s: Style, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
) -> dict[int, list[tuple]]:
    """Where each lane's labels go, without painting: per lane, (the event's index in
    the lane, x, y, width, room, inside its bar, how) where `how` is "full", "short"
    (shortened to `room`), "forced" (in full on a backing: hovered, selected or pinned
    on), "note" (its number, for exports) or "unnamed" (not drawn; with footnotes, it
    needs a number; its width may be infinite, for a title not measured).
    An export plans once to number what it cannot name, then paints the same plan."""
    rh = layout.row_height
    min_room = s.min_label_room
    text_dy = (rh - s.metrics.height()) / 2
    # At short rows a bar is thinner than a line of text: a title inside would spill over
    # its edges (in the bar's text colour, unreadable there), so it goes beside the bar.
    fits_in_bar = bar_height(rh) >= s.metrics.height()
    marked = options.in_full
    pinned = options.pinned
    naming = options.footnotes is not None
    note_room = s.note_room  # a number's backing
    out: dict[int, list[tuple]] = {}
    for lane_i, idx in visible.items():
        n = len(idx)
        if n == 0:
            continue
        data = layout.lane_events[lane_i]
        lo, hi, row, bar = data.lo[idx], data.hi[idx], data.row[idx], data.bar[idx]
        x0 = vp.left + (lo - vp.t0) * vp.scale
        x1 = vp.left + (hi - vp.t0) * vp.scale
        mark_start = np.where(bar, x0, (x0 + x1) / 2 - MARK)
        # The start of the next mark in the same row, for each visible event.
        by_row = np.lexsort((np.arange(n), row))
        following = np.full(n, np.inf)
        same_row = row[by_row][1:] == row[by_row][:-1]
        following[:-1] = np.where(same_row, mark_start[by_row][1:], np.inf)
        next_mark = np.empty(n)
        next_mark[by_row] = following
        # Few: all measured once (asking which may have room cost more at each frame).
        asked = idx if n <= MEASURED_WHOLE else _measured(data, idx, x0, x1, next_mark, vp, options)
        px = s.label_widths(data, asked)
        width = px[idx]
        if naming:  # titles not measured yet: measured in the loop, if their mark has room
            width = np.where(np.isnan(width), _UNMEASURED, width)
        # Inside a bar as tall as the text and wide enough for it; else beside it.
        inside = (
            bar
            & fits_in_bar
            & (np.minimum(x1, vp.right) - np.maximum(x0, vp.left) >= width + 2 * LABEL_GAP)
        )
        x = (
            np.where(inside, np.maximum(x0, vp.left), np.where(bar, x1, (x0 + x1) / 2 + MARK))
            + LABEL_GAP
        )
        # A label ends before the next mark in its row, and before the plot's edge (where
        # it is shortened rather than cut: SVG viewers do not all clip text).
        limit = (
            np.minimum(np.where(inside, np.minimum(x1, vp.right), next_mark), vp.right) - LABEL_GAP
        )
        y = vp.y(layout.lanes[lane_i].top) + LANE_PADDING + row * rh + text_dy
        if naming:  # every event whose mark is in view is named, here or below
            room_ok = (np.maximum(x0, mark_start) <= vp.right) & (x1 >= vp.left)
        else:  # only labels with room can be drawn (or must be): drop the rest before the loop
            room_ok = (
                (limit - x >= np.minimum(width, min_room))
                & (x <= vp.right)
                & (x + width >= vp.left)
            )
        if marked or pinned:
            room_ok |= kept_mask(data.ids[idx], marked) | kept_mask(data.ids[idx], pinned.keys())
        if options.kept is not None:  # a title filtered out is not drawn, even dimmed
            room_ok &= options.kept.lane(layout, lane_i)[idx]
        if not room_ok.all():
            idx, row, x, y, width, limit, inside = (
                a[room_ok] for a in (idx, row, x, y, width, limit, inside)
            )
        placed = out[lane_i] = []
        columns = [a.tolist() for a in (idx, row, x, y, width, limit, inside)]
        if not (naming or marked or pinned):
            _place_in_turn(placed, *columns)
            continue
        last_end: dict[int, float] = {}
        # Ids are asked for only where some events are hovered, selected or pinned.
        keys = data.ids[idx].tolist() if marked or pinned else [None] * len(idx)
        titles = _to_measure(data, idx, width, limit - x) if naming else keys
        for i, key, title, r, xk, yk, w, lim, ins in zip(
            columns[0], keys, titles, *columns[1:], strict=True
        ):
            pin = pinned.get(key)
            end = last_end.get(r, -1e18)
            if key in marked or (pin == SHOWN and not naming):
                placed.append((i, _in_frame(xk, w, data, i, vp), yk, w, w, ins, "forced"))
                last_end[r] = xk + w + LABEL_GAP
                continue
            room = lim - xk
            if naming and w == _UNMEASURED and room >= 0 and xk >= end:
                w = px[i] = s.label_width(title)  # it may be named: how wide is it?
            if pin == SHOWN and naming and w <= vp.right - LABEL_GAP - xk:
                # Pinned on: in full in an export too, over whatever it meets.
                placed.append((i, xk, yk, w, w, ins, "forced"))
                last_end[r] = xk + w + LABEL_GAP
                continue
            crowded = xk < end or room < w and (naming or room < min_room)
            if pin == HIDDEN or crowded or xk > vp.right or xk + w < vp.left:
                if naming:
                    placed.append((i, xk, yk, w, w, ins, "unnamed"))
                    if xk >= end:  # room for its number
                        last_end[r] = xk + note_room + LABEL_GAP
                continue
            placed.append((i, xk, yk, w, room, ins, "full" if w <= room else "short"))
            last_end[r] = xk + min(w, room) + LABEL_GAP
    if options.footnotes:
        for lane_i, placed in out.items():
            ids = layout.lane_events[lane_i].ids
            for k, item in enumerate(placed):
                if item[-1] == "unnamed" and ids[item[0]] in options.footnotes:
                    placed[k] = (*item[:-1], "note")
    return out


def _in_frame(x: float, w: float, data, i: int, vp: Viewport) -> float:
    """Where a title shown in full on its backing starts: right of its mark, as any label;
    where it would run past the plot's right edge, left of its mark; where there is no
    room there either, against that edge (or the left one, for a title wider than the
    plot, which the edge then cuts). A mark beyond the right edge keeps its title beside
    it, out of view."""
    if x + w <= vp.right - BACKING_PAD:
        return x
    x0 = vp.left + (data.lo[i] - vp.t0) * vp.scale
    mark_start = x0 if data.bar[i] else x0 + (data.hi[i] - data.lo[i]) * vp.scale / 2 - MARK
    if mark_start > vp.right:
        return x
    left = mark_start - LABEL_GAP - w
    if left >= vp.left + BACKING_PAD:
        return float(left)
    return max(vp.left + BACKING_PAD, vp.right - BACKING_PAD - w)


def _place_in_turn(placed: list, *columns: list) -> None:
    """The screen's usual frame, nothing hovered, selected or pinned: every label left has
    room and is in view (`room_ok`), so it is only crowded out by the one before it in its
    row. The same plan as the whole rule's (tests/app/test_labels_measured.py). `columns`:
    the lane's indices, rows, x, y, widths, limits and whether inside a bar, as lists."""
    last_end: dict[int, float] = {}
    for i, r, xk, yk, w, lim, ins in zip(*columns, strict=True):
        if xk < last_end.get(r, -1e18):
            continue
        room = lim - xk
        if w <= room:
            placed.append((i, xk, yk, w, room, ins, "full"))
            last_end[r] = xk + w + LABEL_GAP
        else:
            placed.append((i, xk, yk, w, room, ins, "short"))
            last_end[r] = xk + room + LABEL_GAP


def _to_measure(data, idx, width, room) -> list:
    """For an export that names every event: the titles the loop may have to measure
    (not measured yet, with room beside their marks), read in one go; None elsewhere."""
    titles = np.full(len(idx), None, dtype=object)
    todo = np.flatnonzero((width == _UNMEASURED) & (room >= 0))
    if len(todo):
        titles[todo] = field(data.events, "title", idx[todo])
    return titles.tolist()


def _measured(data, idx, x0, x1, next_mark, vp: Viewport, options: PaintOptions) -> np.ndarray:
    """The events of `idx` whose titles need measuring before labels are placed: those
    with any room beside or inside their mark (the others have no label, however short
    their title), and those drawn in full whatever the room. A frame of a million
    events' whole span measures few titles. An export that names every event measures
    only the bars that may hold their titles (where the title goes depends on its width)
    and leaves the rest to the loop, which measures only titles not crowded out."""
    bar = data.bar[idx]
    inside = np.maximum(x0, vp.left) + LABEL_GAP  # where a title inside its bar starts
    maybe = bar & (np.minimum(x1, vp.right) - LABEL_GAP - inside >= 0) & (inside <= vp.right)
    if options.footnotes is None:
        outside = np.where(bar, x1, (x0 + x1) / 2 + MARK) + LABEL_GAP
        maybe |= (np.minimum(next_mark, vp.right) - LABEL_GAP - outside >= 0) & (
            outside <= vp.right
        )
    if options.in_full or options.pinned:
        ids = data.ids[idx]
        maybe |= kept_mask(ids, options.in_full) | kept_mask(ids, options.pinned.keys())
    return idx[maybe]


def unnamed_events(
    s: Style, layout: Layout, vp: Viewport, visible: dict, options: PaintOptions
) -> Unnamed:
    """The events in view that an export cannot name beside their marks, by date: each
    gets a number on the chart and a line in the list below it."""
    options = replace(options, footnotes={})
    found, lanes, counts = [], [], []
    for lane_i, placed in place_labels(s, layout, vp, visible, options).items():
        items = [item for item in placed if item[6] == "unnamed"]
        found += items
        lanes.append(lane_i)
        counts.append(len(items))
    i, x, y = (np.fromiter(map(itemgetter(k), found), float, len(found)) for k in range(3))
    lane = np.repeat(np.array(lanes, dtype=np.intp), counts)
    # By lane, row and place: a crowded row's numbers follow each other, so they can be
    # written as one run ("E4–9") where there is no room for each.
    order = np.lexsort((np.arange(len(found)), x, y, lane))
    return Unnamed(layout, lane[order], i[order].astype(np.intp))


class Unnamed(Sequence):
    """Events by their lane and place in it, made into records only when asked for: an
    export that cannot name thousands of events needs only how many."""

    def __init__(self, layout: Layout, lanes: np.ndarray, ks: np.ndarray):
        self.layout, self.lanes, self.ks = layout, lanes, ks

    def __len__(self) -> int:
        return len(self.ks)

    def __getitem__(self, n):
        if isinstance(n, slice):
            return [self[k] for k in range(*n.indices(len(self)))]
        return self.layout.lane_events[int(self.lanes[n])].events[int(self.ks[n])]


def edit_window(
    s: Style, before: Layout, after: Layout, events: list[Event], spp: float
) -> tuple[float, float, float, float] | None:
    """The part of the chart (t0, t1, y0, y1) that changes when `events` (their old and
    new versions) change from `before` to `after`, at `spp` seconds per pixel: where
    they were and are, the events re-stacked into other rows as a result, the labels
    that may reach them, and the lanes of their `with` actors. None when the lanes
    themselves moved, which changes everything."""
    if [(lane.actor.id, lane.top, lane.height) for lane in before.lanes] != [
        (lane.actor.id, lane.top, lane.height) for lane in after.lanes
    ]:
        return None
    ids = {e.id for e in events}
    actors = {a for e in events for a in (e.actor, *e.with_)}
    lanes = {after.lane_of_actor[a] for a in actors if a in after.lane_of_actor}
    margin = (MARK_GRIP + 1) * spp  # a point's mark and its selection outline
    gap = LABEL_GAP * spp
    t0, t1 = np.inf, -np.inf
    datas = []
    edited = list(ids)
    for i in lanes:
        old, new = before.lane_events[i], after.lane_events[i]
        # The events not edited are in the same order in both: compare their rows.
        masks = [events_among(data, ids, events) for data in (old, new)]
        if (~masks[0]).sum() != (~masks[1]).sum():  # one not found by its start
            masks = [ids_among(data.ids, edited) for data in (old, new)]
        restacked = old.row[~masks[0]] != new.row[~masks[1]]
        for data, changed in zip((old, new), masks, strict=True):
            datas.append(data)
            changed[np.flatnonzero(~changed)[restacked]] = True
            ks = np.flatnonzero(changed)
            if len(ks):
                # Labels to the left may reach the changed marks: none is longer than
                # the lane's longest title.
                reach = s.longest_label(data) * spp + gap + margin
                t0 = min(t0, float(data.lo[ks[0]]) - reach)  # starts are sorted
                label_end = data.hi[ks] + s.label_widths(data, ks)[ks] * spp + 2 * gap
                t1 = max(t1, float(label_end.max()) + margin)
    # Labels that start among the changed marks and labels may now be drawn, shortened
    # or left out: they run on as far as their own length.
    right = t1
    for data in datas:
        near = starting_near(data, t0, t1, spp)  # not the whole lane: 20,000 events
        if near.start == near.stop:
            continue
        if _unmeasured(data, near) > MEASURED_NEAR:  # (zoomed out on a crowded lane)
            right = np.inf  # the lanes to their end: cheaper painted than measured
            break
        measured = s.label_widths(data, np.arange(near.start, near.stop))  # those only
        width = measured[near] * spp
        lo, hi, bar = data.lo[near], data.hi[near], data.bar[near]
        starts = (
            (np.where(bar, hi, (lo + hi) / 2 + MARK * spp) + gap, hi + 2 * gap + width),
            (np.where(bar, lo, np.inf), np.minimum(hi, lo + width + 2 * gap)),  # inside bars
        )
        for start, end in starts:
            here = (start >= t0) & (start <= t1)
            if here.any():
                right = max(right, float(end[here].max()) + margin)
    t1 = right
    if not lanes or t0 > t1:
        return None
    return (
        t0,
        t1,
        min(after.lanes[i].top for i in lanes),
        max(after.lanes[i].bottom for i in lanes),
    )


def _unmeasured(data, near: slice) -> int:
    """How many of the lane's titles at `near` are not measured yet."""
    px = data.label_px
    if px is None or len(px) != len(data.events):
        return near.stop - near.start
    return int(np.isnan(px[near]).sum())


def starting_near(data, t0: float, t1: float, spp: float) -> slice:
    """The lane's events whose labels may start within [t0, t1] at `spp` seconds per
    pixel, by bisection of their starts: a label starts at or after its event's start,
    and at most the lane's longest event and a mark after it (taken twice, and a second
    more, so that rounding cannot cross the bound)."""
    reach = data.longest + (MARK + LABEL_GAP) * spp
    a = int(np.searchsorted(data.lo, t0 - 2 * reach - 1.0, "left"))
    return slice(a, max(a, int(np.searchsorted(data.lo, t1, "right"))))


def paint(s: Style, f: Frame) -> None:
    if f.options.show_labels:
        paint_labels(s, f.p, f.layout, f.vp, f.visible, f.options)
