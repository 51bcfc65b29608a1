"""A summary as strips under the lanes: events and fatalities per bucket of days, where the
bucket follows the pixels (a frame costs the buckets it shows, not the rows), and the weeks
that pass ACLED's baseline rule (more than 25 % above the average of the four before, and at
least SURGE_MIN_EVENTS events)."""

from __future__ import annotations

import numpy as np

from app.chart.context import BASELINE_WEEKS, SURGE_MIN_EVENTS, SURGE_RATIO
from app.context.summary import NO_LANE, Summary

MONDAY = 4  # 1970-01-05, the first Monday of the epoch: buckets count from it


class Strips:
    """Prefix sums of a summary's day grid, so any run of days sums in O(1)."""

    def __init__(self, summary: Summary):
        self.summary = summary
        self.cache: dict = {}  # what the painter works out once per bucket size
        self._rows: dict[str, int] | None = None  # each lane's row in the summary
        first = np.zeros((len(summary.lanes), 1), np.int64)
        self._counts = np.hstack([first, np.cumsum(summary.counts, axis=1, dtype=np.int64)])
        self._deaths = np.hstack([first, np.cumsum(summary.fatalities, axis=1, dtype=np.float64)])

    def lane(self, lane: str) -> int | None:
        if self._rows is None:  # (list.index per lane per frame grew with the square)
            self._rows = {name: k for k, name in enumerate(self.summary.lanes)}
        return self._rows.get(lane)

    def has_rows(self, index: int) -> bool:
        return bool(self._counts[index, -1])

    def unmatched(self) -> int | None:
        """The row of the rows that match no lane, when there are any (else None: a dataset
        fully matched draws no row below the lanes)."""
        index = self.lane(NO_LANE)
        if index is None or not self._counts[index, -1]:
            return None
        return index

    def buckets(self, lane: int, first_day: int, last_day: int, bucket_days: int):
        """(bucket start days, events, fatalities) for the buckets from `first_day` to
        `last_day`, each `bucket_days` long and aligned on multiples of it from a Monday (so panning
        does not shift them, and weeks run Monday to Sunday)."""
        bucket_days = max(1, int(bucket_days))
        start = first_day - (first_day - MONDAY) % bucket_days
        starts = np.arange(start, last_day + 1, bucket_days, dtype=np.int64)
        edges = np.append(starts, starts[-1] + bucket_days if len(starts) else start)
        cols = np.clip(edges - self.summary.first_day, 0, self._counts.shape[1] - 1)
        return starts, np.diff(self._counts[lane, cols]), np.diff(self._deaths[lane, cols])

    def surges(self, lane: int) -> np.ndarray:
        """The first days of the weeks (Monday-aligned) whose events pass the baseline rule,
        with at least SURGE_MIN_EVENTS of them (worked out once per row: every frame asks)."""
        key = ("surges", lane)
        if key not in self.cache:
            self.cache[key] = self._surges(lane)
        return self.cache[key]

    def _surges(self, lane: int) -> np.ndarray:
        first = self.summary.first_day
        width = self.summary.counts.shape[1]
        starts, weekly, _ = self.buckets(lane, first, first + width - 1, 7)
        if len(weekly) <= BASELINE_WEEKS:
            return np.empty(0, np.int64)
        window = np.lib.stride_tricks.sliding_window_view(weekly[:-1], BASELINE_WEEKS)
        baseline = window.mean(axis=1)
        current = weekly[BASELINE_WEEKS:]
        hit = (baseline > 0) & (current > SURGE_RATIO * baseline) & (current >= SURGE_MIN_EVENTS)
        return starts[BASELINE_WEEKS:][hit]
