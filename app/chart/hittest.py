"""What is under the pointer: events, demand arrows, range edges and lane header parts.

Positions are in chart coordinates (time in seconds, layout y in px) with `spp`, the
seconds per pixel at the current zoom. Each look-up uses the layout's sorted indexes
(bisection), and the painter's metrics for sizes, so what is hit is what is drawn.
"""

from __future__ import annotations

import numpy as np

from app.chart.layout import Layout
from app.chart.metrics import (
    ARROW_GRIP,
    EDGE_GRIP,
    HEAD_GRIP,
    MARK_GRIP,
    TOGGLE_WIDTH,
    header_text_x,
)
from app.records.model import Demand, Event


def event_at(layout: Layout, t: float, y: float, spp: float, shown=None) -> Event | None:
    """The event whose mark or bar is at (t, y), allowing for the mark's size; of those
    `shown` keeps (a filter's masks, app/chart/kept.py: what it hides cannot be hit)."""
    return layout.event_at(t, y, MARK_GRIP * spp, shown)


def demand_at(
    layout: Layout, t: float, y: float, spp: float, kept=None
) -> tuple[Demand, str] | None:
    """The demand whose arrow passes nearest (t, y), and which part: 'head' (near the
    target's lane) or 'body'; of those `kept` keeps (the others are not drawn)."""
    index = layout.demand_index
    if index is None or not len(index.x):
        return None
    reach = ARROW_GRIP * spp
    most = float(index.shift.max()) * spp if len(index.shift) else 0.0  # side by side
    lo, hi = np.searchsorted(index.x, [t - reach - most, t + reach])
    if lo >= hi:
        return None
    centres = layout.lane_centres()
    k = np.arange(lo, hi)
    if kept is not None:
        k = k[kept.demands(layout)[k]]
        if not len(k):
            return None
    inside = (centres[index.lane_lo[k]] - ARROW_GRIP <= y) & (
        y <= centres[index.lane_hi[k]] + ARROW_GRIP
    )
    if not inside.any():
        return None
    k = k[inside]
    at = index.x[k] + index.shift[k] * spp
    if np.abs(at - t).min() > reach:
        return None
    best = int(k[np.argmin(np.abs(at - t))])
    demand = layout.demands[index.order[best]].demand
    near_head = abs(y - centres[index.to_lane[best]]) <= HEAD_GRIP
    return demand, "head" if near_head else "body"


def edge_at(event: Event, t: float, spp: float) -> str:
    """'start' or 'end' when (t) is on a range's edge, else ''."""
    if not event.when.is_range:
        return ""
    grip = EDGE_GRIP * spp
    lo, hi = event.when.lo, event.when.hi
    # Inside the bar a grip takes at most a third of it: the middle of a narrow range
    # still moves it (zoomed out, its two grips covered all of it).
    inner = grip if lo is None or hi is None else min(grip, (hi - lo) / 3)
    if lo is not None and lo - grip <= t <= lo + inner:
        return "start"
    if hi is not None and hi - inner <= t <= hi + grip:
        return "end"
    return ""


def header_part(layout: Layout, lane_i: int, x: float) -> str:
    """Which part of a lane's header is at x: 'toggle' (collapse or expand its nested
    lanes) or 'name'."""
    lane = layout.lanes[lane_i]
    toggle = header_text_x(lane.depth)
    if lane.has_children and toggle - 2 <= x <= toggle + TOGGLE_WIDTH + 1:
        return "toggle"
    return "name"
