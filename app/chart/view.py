"""What the chart shows, on screen or in a picture, without widgets: the laid-out timeline (lanes, rows and row
height), the time range and its width in pixels, the toggles, the search filter, what
the pointer is over and where labels were drawn; and what is at a point of it.

The canvas owns one `ChartView` and keeps it current; its helpers (gestures, pointer,
lane header, painted layer) and the tests read it instead of the canvas's widgets, and
each export describes its picture with one (app/exporters/images.py). Time is in seconds since 1970; the row height is the layout's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.chart import context, hittest, metrics, snap
from app.chart.base import Ghost, LabelBoxes, PaintOptions
from app.chart.kept import Kept
from app.chart.lanerecords import ids_at
from app.chart.layout import Layout, Timeline
from app.records.eventstore import EventStore, values
from app.records.model import Demand, Event
from app.records.plural import counted
from app.records.when import point_at


@dataclass
class ChartView:
    t0: float = 0.0
    t1: float = 86400.0
    width: float = 1.0  # px of the plot that t0..t1 fills
    show_demands: bool = True
    show_phases: bool = True
    show_legend: bool = True
    show_cursor: bool = True
    show_numbers: bool = False  # each demand's number, and their list below the lanes
    filtered: frozenset | None = None  # ids matching a search; others are faded
    hide_filtered: bool = False  # others are not drawn at all
    hover: str | None = None  # the event or demand under the pointer
    reading: str = ""  # a file being read into this chart: an empty chart says so
    ghosts: list[Ghost] = field(default_factory=list)  # where a drag would put events
    pinned: dict[str, str] = field(default_factory=dict)  # {event id: "shown" | "hidden"}
    number_span: tuple[float, float] | None = None  # number only demands raised in it
    footnotes: dict | None = None  # pictures: {event id: number} for titles listed below
    picture: bool = False  # painted whole, at once (never a region of it): an export
    timeline: Timeline | None = None  # the project laid out in lanes and rows
    labels: LabelBoxes = field(default_factory=LabelBoxes)  # where the painter drew them
    context: list = field(default_factory=list)  # chart.context.ContextLayer: conflict strips
    _kept: Kept | None = field(default=None, repr=False)  # `filtered` as masks, made once

    @property
    def kept(self) -> Kept | None:
        """The filter's masks over the chart's columns (None without a filter), made once
        per filter however many frames and look-ups read them."""
        if self.filtered is None:
            return None
        if self._kept is None or self._kept.ids is not self.filtered:
            self._kept = Kept(self.filtered)
        return self._kept

    def set_filter(self, ids: frozenset | None, kept: Kept | None = None) -> None:
        """Show these ids (None: everything); `kept`, the same filter's masks when the
        caller has them (the Filter panel), saves making them from the ids."""
        self.filtered = ids
        self._kept = kept if kept is not None and kept.ids is ids else None

    @property
    def hidden_out(self) -> Kept | None:
        """The masks of what can be pointed at, when what the filter leaves out is hidden
        (dimmed events are drawn, and can be picked)."""
        return self.kept if self.hide_filtered else None

    @property
    def layout(self) -> Layout:
        return self.timeline.layout

    @property
    def seconds_per_pixel(self) -> float:
        return (self.t1 - self.t0) / max(self.width, 1.0)

    def snap_name(self) -> str:
        """What drags and nudges snap to at this zoom: "hour", "day" or "month"."""
        return snap.unit(self.seconds_per_pixel)

    # ------------------------------------------------ what is where (time, layout y)

    def event_at(self, t: float, y: float) -> Event | None:
        """The event whose mark, bar or drawn label is at (t, y)."""
        hit = hittest.event_at(self.layout, t, y, self.seconds_per_pixel, self.hidden_out)
        if hit is None:
            label = self.labels.at(t, y)
            hit = self.timeline.event(label) if label else None
        return hit

    def demand_at(self, t: float, y: float) -> tuple[Demand, str] | None:
        return hittest.demand_at(self.layout, t, y, self.seconds_per_pixel, self.kept)

    def events_in(self, t0: float, t1: float, y0: float, y1: float) -> list[str]:
        """Ids of the events drawn in a rectangle (time, layout y), hidden ones left out."""
        return self.layout.events_in(t0, t1, y0, y1, self.hidden_out)

    def whereabouts(self, record: Event | Demand) -> tuple[float | None, int | None]:
        """(time, lane index) where an event or a demand is drawn: its start, its lane (a
        demand's, its demander's)."""
        lanes = self.layout.lane_of_actor
        if isinstance(record, Event):
            t = record.when.lo if record.when.lo is not None else record.when.hi
            return t, lanes.get(record.actor)
        return record.raised.lo, lanes.get(record.from_)

    @property
    def chart_height(self) -> float:
        """The lanes and the context rows of no lane below them, in layout px."""
        return context.chart_height(self.layout, self.context)

    def set_context(self, layers: list) -> None:
        """The conflict strips to draw, each lane given room for its own under its rows."""
        self.context = layers
        self.timeline.set_strips(context.lane_strips(layers))

    def context_at(self, t: float, y: float) -> str:
        """The tooltip of a context strip under (t, y): each dataset's events and deaths in
        the bucket of days there, and the bucket's dates; "" off the strips."""
        if not self.context:
            return ""
        days = context.bucket_days(1.0 / max(self.seconds_per_pixel, 1e-9))
        day = int(t // 86400)
        for layer, index, top in context.unmatched_rows(self.layout, self.context):
            if top <= y < top + context.CONTEXT_ROW:
                return _bucket_line(context.unmatched_title(layer), layer, index, day, days)
        lane_i = self.layout.lane_at(y)
        if lane_i is None:
            return ""
        lane = self.layout.lanes[lane_i]
        on_lane = [
            (layer, index)
            for layer in self.context
            if (index := context.strip_of(layer, lane.actor.id)) is not None
        ][: lane.strips]  # those the painter had room for
        if not metrics.on_lane_strip(lane.bottom, y, len(on_lane)):
            return ""
        lines = []
        for layer, index in on_lane:
            if layer.missing:
                lines.append(f"{layer.title}: the data file is missing")
                continue
            lines.append(_bucket_line(layer.title, layer, index, day, days))
        return "\n".join(lines)

    def lane_actor_at(self, y: float) -> str | None:
        i = self.layout.lane_at(y)
        return None if i is None else self.layout.lanes[i].actor.id

    def paint_options(self, selection: frozenset) -> PaintOptions:
        return PaintOptions(
            selection=selection,
            hover=self.hover,
            show_demands=self.show_demands,
            show_phases=self.show_phases,
            ghosts=self.ghosts,
            dimmed=frozenset(g.event.id for g in self.ghosts),
            filtered=self.filtered,
            hide_filtered=self.hide_filtered,
            kept=self.kept,
            numbers=self.show_numbers,
            pinned=self.pinned,
            number_span=self.number_span,
            footnotes=self.footnotes,
            picture=self.picture,
            context=self.context,
        )

    def pin(self, events, ids=None) -> None:
        """Remember which titles are pinned on or off: of all `events`, or (with `ids`)
        of those events as they are now (None where deleted)."""
        if ids is None:
            if isinstance(events, EventStore):  # only the few with a label are looked at
                codes, labels = events.coded("label")
                ks = np.flatnonzero(np.array([bool(v) for v in labels], dtype=bool)[codes])
                ids = ids_at(events, ks)
                self.pinned = {i: labels[codes[k]] for i, k in zip(ids, ks.tolist(), strict=True)}
                return
            pairs = zip(values(events, "id"), values(events, "label"), strict=True)
            self.pinned = {i: label for i, label in pairs if label}
            return
        for i, e in zip(ids, events, strict=True):
            if e is not None and e.label:
                self.pinned[i] = e.label
            else:
                self.pinned.pop(i, None)


def _bucket_line(title: str, layer, index: int, day: int, days: int) -> str:
    """ "ACLED: 12 events, 3 deaths (1 Oct 2023 – 8 Oct 2023)" for the bucket holding `day`."""
    starts, events, deaths = layer.strips.buckets(index, day, day, days)
    first, last = (
        point_at(d * 86400.0, "day").describe() for d in (starts[0], starts[0] + days - 1)
    )
    span = first if days == 1 else f"{first} – {last}"
    return (
        f"{title}: {counted(int(events[0]), 'event')}, {counted(int(deaths[0]), 'death')} ({span})"
    )


class ViewField:
    """An attribute of a widget that lives in its `view` (a ChartView), so that the
    widget's callers and the view's readers see one value."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        return self if obj is None else getattr(obj.view, self.name)

    def __set__(self, obj, value) -> None:
        setattr(obj.view, self.name, value)
