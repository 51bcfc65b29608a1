"""What every layer of the chart paints with: the viewport, the options, and one frame."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6 import QtGui

from app.chart.kept import Kept, kept_mask
from app.chart.layout import Layout
from app.records.model import Event

NOTED_AT_MOST = 1000  # lanes painted and regions forgotten that LabelBoxes keeps unworked
FULL_TITLES_AT_MOST = 12  # selected events whose titles show in full, over what they meet


@dataclass
class Viewport:
    """Maps time and layout y to device pixels for the plot area."""

    t0: float
    t1: float
    left: float  # px of t0
    right: float  # px of t1
    top: float  # px of the plot area's top edge
    bottom: float  # px of its bottom edge
    y_offset: float = 0.0  # layout y shown at `top`
    scale: float = field(init=False)  # px per second

    def __post_init__(self) -> None:
        self.scale = (self.right - self.left) / max(self.t1 - self.t0, 1e-9)

    def x(self, t: float) -> float:
        return self.left + (t - self.t0) * self.scale

    def t(self, x: float) -> float:
        return self.t0 + (x - self.left) / self.scale

    def y(self, layout_y: float) -> float:
        return self.top + layout_y - self.y_offset

    def layout_y(self, y: float) -> float:
        return y - self.top + self.y_offset


@dataclass
class Ghost:
    """An event drawn where a drag would put it."""

    event: Event
    lane: int
    lo: float
    hi: float
    row: int = 0


@dataclass
class PaintOptions:
    selection: frozenset = frozenset()
    hover: str | None = None
    show_demands: bool = True
    show_phases: bool = True
    show_labels: bool = True
    ghosts: list[Ghost] = field(default_factory=list)
    dimmed: frozenset = frozenset()  # ids being dragged: drawn faded at their old place
    filtered: frozenset | None = None  # ids matching a search; others drawn faded
    hide_filtered: bool = False  # others not drawn at all (the Filter panel's choice)
    numbers: bool = False  # each demand's number beside its glyph (see the demand list)
    context: list = field(default_factory=list)  # chart.context.ContextLayer: conflict strips
    number_span: tuple[float, float] | None = None  # number only the demands raised in it
    pinned: dict = field(default_factory=dict)  # {event id: "shown" | "hidden"}: its title
    footnotes: dict | None = None  # exports: {event id: number} for titles listed below
    picture: bool = False  # painted whole, at once (an export): a number may go aside
    # `filtered` as masks over the chart's columns, made once per filter (a view that
    # paints many frames with one filter passes its own, so they are made once for all)
    kept: Kept | None = None

    def __post_init__(self) -> None:
        if self.filtered is None:
            self.kept = None
        elif self.kept is None or self.kept.ids is not self.filtered:
            self.kept = Kept(self.filtered)

    def faded(self, layout: Layout, lane_i: int, idx: np.ndarray) -> np.ndarray:
        """Which of a lane's events at `idx` are drawn faded: dragged, or filtered out."""
        faded = np.zeros(len(idx), dtype=bool)
        if self.kept is not None:
            faded |= ~self.kept.lane(layout, lane_i)[idx]
        if self.dimmed:
            faded |= kept_mask(layout.lane_events[lane_i].ids[idx], self.dimmed)
        return faded

    @property
    def marked(self) -> frozenset:
        """The selected and hovered ids, outlined."""
        if not self.hover or self.hover in self.selection:  # (a million selected: no copy)
            return self.selection
        return self.selection | {self.hover}

    @property
    def in_full(self) -> frozenset:
        """The ids whose titles show in full, over what they meet: the hovered one, and
        the selected ones when they are few (Select All wrote every title over the next)."""
        if len(self.selection) <= FULL_TITLES_AT_MOST:
            return self.marked
        return frozenset((self.hover,)) if self.hover else frozenset()


@dataclass
class Frame:
    """One paint of (part of) the chart: the lanes to paint, each lane's events in view
    (indices into its arrays), and the time span that needs painting."""

    p: QtGui.QPainter
    layout: Layout
    vp: Viewport
    options: PaintOptions
    lanes: range
    visible: dict[int, np.ndarray]
    t0: float
    t1: float
    # The sub-rows [first, last) of each lane whose events are in `visible`, where only
    # some are (a tall lane scrolled part way into view on screen); else all of them.
    rows: dict[int, tuple[int, int]] = field(default_factory=dict)


class LabelBoxes:
    """Where the last frames drew each label, in chart coordinates (time, layout y), so
    that a click on a label takes its event: picking reads what painting drew. A frame
    only notes what it drew, a lane at a time, in px, and an edit's repaint the region it
    forgets; the boxes are worked out when first asked for (a click), all at once by
    numpy. Worked out at each edit, they took 50 us of a 100-event chart's 1.5 ms. Until
    then, the lanes' lists of events drawn are held (a full frame lets them go)."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        # In order: a lane as painted (events, placed, h, the viewport's numbers), or a
        # region forgotten (t0, t1, y0, y1).
        self._noted: list[tuple] = []
        self._boxes: tuple[list[str], np.ndarray] = ([], np.empty((0, 4)))  # t0 t1 y0 y1

    def add(self, vp: Viewport, events: list, placed: list[tuple], h: float) -> None:
        """A lane's labels, drawn `h` high: `placed[k]` (as `labels.place_labels` plans
        them: index, x, y, width, room, ...) is the label of `events[k]`, in px."""
        if placed:  # the viewport's numbers as they are now
            self._noted.append((events, placed, h, vp.t0, vp.left, vp.scale, vp.top, vp.y_offset))

    def forget(self, t0: float, t1: float, y0: float, y1: float) -> None:
        """Drop the labels that meet a region about to be painted again."""
        self._noted.append((t0, t1, y0, y1))
        if len(self._noted) > NOTED_AT_MOST:  # edits and no full frame: what they hold goes
            self._all()

    @property
    def ids(self) -> list[str]:
        """The events whose labels are drawn, in the order drawn."""
        return self._all()[0]

    def _all(self) -> tuple[list[str], np.ndarray]:
        """The boxes, with what was noted since worked out."""
        if self._noted:
            noted, self._noted = self._noted, []
            drawn: list[tuple] = []
            for entry in noted:
                if len(entry) == 4:  # a region forgotten: what was drawn before it goes
                    self._add_drawn(drawn)
                    self._drop(*entry)
                    drawn = []
                else:
                    drawn.append(entry)
            self._add_drawn(drawn)
        return self._boxes

    def _add_drawn(self, noted: list[tuple]) -> None:
        if not noted:
            return
        counts = [len(n[1]) for n in noted]
        x, y, w, room = np.array([k[1:5] for n in noted for k in n[1]], dtype=float).T
        w = np.minimum(w, room)
        h, t0, left, scale, top, y_offset = np.repeat(
            np.array([n[2:] for n in noted], dtype=float), counts, axis=0
        ).T
        start, end = t0 + (x - left) / scale, t0 + (x + w - left) / scale  # as Viewport.t
        y0 = y - top + y_offset  # as Viewport.layout_y
        ids = self._boxes[0] + [e.id for n in noted for e in n[0]]
        rects = np.column_stack((start, end, y0, y0 + h))
        self._boxes = ids, np.concatenate((self._boxes[1], rects))

    def _drop(self, t0: float, t1: float, y0: float, y1: float) -> None:
        ids, r = self._boxes
        keep = (r[:, 1] < t0) | (r[:, 0] > t1) | (r[:, 3] < y0) | (r[:, 2] > y1)
        if not keep.all():
            self._boxes = [ids[k] for k in np.flatnonzero(keep).tolist()], r[keep]

    def meeting(self, t0: float, t1: float, y0: float, y1: float) -> int:
        """How many labels meet the region."""
        r = self._all()[1]
        return int(((r[:, 1] >= t0) & (r[:, 0] <= t1) & (r[:, 3] >= y0) & (r[:, 2] <= y1)).sum())

    def at(self, t: float, y: float) -> str | None:
        """The event whose label covers (t, y); the last drawn when several do."""
        ids, r = self._all()
        hit = np.flatnonzero((r[:, 0] <= t) & (t <= r[:, 1]) & (r[:, 2] <= y) & (y <= r[:, 3]))
        return ids[int(hit[-1])] if len(hit) else None


def visible_lanes(layout: Layout, vp: Viewport) -> range:
    y0, y1 = vp.layout_y(vp.top), vp.layout_y(vp.bottom)
    tops, bottoms = layout.lane_edges()
    first = int(np.searchsorted(bottoms, y0, "right"))  # the first lane ending below y0
    return range(first, max(first, int(np.searchsorted(tops, y1, "left"))))
