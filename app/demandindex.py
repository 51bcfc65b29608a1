"""Demands placed on the lanes, and indexed by date for painting and hit-testing."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.model import STATUSES, Demand


@dataclass(slots=True)
class DemandGeometry:
    demand: Demand
    x: float  # time of `raised`
    end: float | None  # resolved, or None while open
    from_lane: int
    to_lane: int
    via_lanes: tuple[int, ...]


@dataclass(slots=True)
class DemandIndex:
    """Demands as arrays sorted by `raised`, for finding the visible ones by bisection
    and drawing them in batches; the mediators' stops flattened, so they draw without a
    loop."""

    order: np.ndarray  # position in Layout.demands of each sorted entry
    x: np.ndarray
    span_end: np.ndarray  # where the span in the demander's lane ends (inf while open)
    lane_lo: np.ndarray  # the lowest and highest lane index the arrow touches
    lane_hi: np.ndarray
    from_lane: np.ndarray
    to_lane: np.ndarray
    before_head: np.ndarray  # the lane the arrow's last segment starts from
    status: np.ndarray  # index into STATUSES
    stop_of: np.ndarray  # sorted position of each mediator stop's demand
    stop_lane: np.ndarray

    @classmethod
    def of(cls, demands: list[DemandGeometry]) -> DemandIndex:
        def ints(values) -> np.ndarray:
            return np.array(values, dtype=np.intp)

        x = np.array([g.x for g in demands], dtype=float)
        end = np.array(
            [
                g.end if g.end is not None else (np.inf if g.demand.status == "open" else g.x)
                for g in demands
            ],
            dtype=float,
        )
        order = np.argsort(x, kind="stable")
        chains = [(demands[i].from_lane, *demands[i].via_lanes, demands[i].to_lane) for i in order]
        stops = [(k, v) for k, c in enumerate(chains) for v in c[1:-1]]
        stop = np.array(stops, dtype=np.intp).reshape(-1, 2)
        return cls(
            order,
            x[order],
            end[order],
            ints([min(c) for c in chains]),
            ints([max(c) for c in chains]),
            ints([c[0] for c in chains]),
            ints([c[-1] for c in chains]),
            ints([c[-2] for c in chains]),
            ints([STATUSES.index(demands[i].demand.status) for i in order]),
            stop[:, 0],
            stop[:, 1],
        )

    def visible(self, t0: float, t1: float, first_lane: int, last_lane: int) -> np.ndarray:
        """Sorted positions of demands whose arrow or span meets the view."""
        stop = int(np.searchsorted(self.x, t1, "right"))
        hit = (
            (self.span_end[:stop] >= t0)
            & (self.lane_hi[:stop] >= first_lane)
            & (self.lane_lo[:stop] <= last_lane)
        )
        return np.flatnonzero(hit)
