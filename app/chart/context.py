"""Context strips: under each lane that a conflict dataset matches, a thin band whose shade
gives the rows (events) per bucket of days at the current zoom, and a mark over each week that
passes ACLED's baseline rule. The bucket follows the pixels (about STRIP_BUCKET_PX wide), so a
frame costs the buckets in view, not the rows (app/context/strips.py sums them in O(1))."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame
from app.chart.batch import draw_rects
from app.chart.style import Style

STRIP_HEIGHT = 5.0  # px, at the bottom of the lane
STRIP_BUCKET_PX = 3.0  # px a bucket is at least wide
SHADES = 6  # the shades of a strip: counts fall in steps that read in greyscale too
DAY = 86400.0
STRIP_COLOR = "#5c3566"  # plum: apart from the status colours (red is rejected)


@dataclass
class ContextLayer:
    """One dataset as drawn: its strips, its colour, and which of its lanes is which."""

    title: str
    strips: object  # app.context.strips.Strips (the chart does not import the data's room)
    color: str = STRIP_COLOR
    missing: bool = False  # the file is gone: the strip says so instead of showing data


def bucket_days(vp_scale: float) -> int:
    """Days per bucket at `vp_scale` px per second: a power of two, so zooming steps
    through few sizes and the strip does not shimmer."""
    px_per_day = vp_scale * DAY
    days = max(1.0, STRIP_BUCKET_PX / max(px_per_day, 1e-9))
    return 1 << math.ceil(math.log2(days))


def shade_steps(counts: np.ndarray, most: float) -> np.ndarray:
    """0 (nothing) .. SHADES for each bucket: a logarithmic scale against the busiest bucket
    of the dataset's lanes at this bucket size, so one spike does not wash out the rest."""
    if most <= 0:
        return np.zeros(len(counts), np.int64)
    scaled = np.log1p(counts) / math.log1p(most)
    return np.where(counts > 0, np.clip(np.ceil(scaled * SHADES), 1, SHADES), 0).astype(np.int64)


def paint(s: Style, f: Frame) -> None:
    layers: list[ContextLayer] = getattr(f.options, "context", None) or []
    if not layers:
        return
    p, vp, layout = f.p, f.vp, f.layout
    days = bucket_days(vp.scale)
    first, last = int(f.t0 // DAY), int(f.t1 // DAY) + 1
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    for layer in layers:
        most = _busiest(layer.strips, days)
        for i in f.lanes:
            lane = layout.lanes[i]
            index = layer.strips.lane(lane.actor.id)
            if index is None:
                continue
            y = vp.y(lane.bottom) - STRIP_HEIGHT - 1
            if layer.missing:
                p.setBrush(s.brush(layer.color, 40, QtCore.Qt.BrushStyle.BDiagPattern))
                p.drawRect(QtCore.QRectF(vp.left, y, vp.right - vp.left, STRIP_HEIGHT))
                continue
            starts, counts, _ = layer.strips.buckets(index, first, last, days)
            steps = shade_steps(counts, most)
            x = vp.x(starts * DAY)
            w = np.maximum(vp.x((starts + days) * DAY) - x, 1.0)
            for step in range(1, SHADES + 1):
                pick = steps == step
                if pick.any():
                    p.setBrush(s.brush(layer.color, 40 + step * 215 // SHADES))
                    n = int(pick.sum())
                    draw_rects(p, x[pick], np.full(n, y), w[pick], np.full(n, STRIP_HEIGHT))
            surges = layer.strips.surges(index)
            surges = surges[(surges >= first - 7) & (surges <= last)]
            if len(surges):
                p.setBrush(s.brush(layer.color))
                for day in surges:
                    _mark(p, vp.x((day + 3.5) * DAY), y)


def _busiest(strips, days: int) -> float:
    key = ("busiest", days)
    cached = strips.cache.get(key)
    if cached is None:
        summary = strips.summary
        width = summary.counts.shape[1]
        cached = max(
            (
                float(
                    strips.buckets(i, summary.first_day, summary.first_day + width, days)[1].max(
                        initial=0
                    )
                )
                # The last lane is NO_LANE's: drawn under no lane, so no part of the scale.
                for i in range(len(summary.lanes) - 1)
            ),
            default=0.0,
        )
        strips.cache[key] = cached
    return cached


def _mark(p: QtGui.QPainter, x: float, y: float) -> None:
    """A small triangle standing on the strip: a week above its 4-week baseline."""
    tri = QtGui.QPolygonF(
        [QtCore.QPointF(x - 3, y), QtCore.QPointF(x + 3, y), QtCore.QPointF(x, y - 5)]
    )
    p.drawPolygon(tri)
