"""Context strips: under each lane that a conflict dataset matches, a thin band whose shade
gives the rows (events) per bucket of days at the current zoom, and a mark over each week that
passes ACLED's baseline rule; below the lanes, one row per dataset for its rows that match no
lane. The bucket follows the pixels (about STRIP_BUCKET_PX wide), so a frame costs the buckets
in view, not the rows (app/context/strips.py sums them in O(1))."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import Frame, Viewport
from app.chart.batch import draw_rects
from app.chart.layout import Layout
from app.chart.metrics import (
    CONTEXT_GAP,
    CONTEXT_ROW,
    CONTEXT_ROW_FOOT,
    CONTEXT_STRIP,
    CONTEXT_TITLE,
    SURGE_HEIGHT,
    lane_strip_top,
)
from app.chart.style import Style, qcolor

STRIP_HEIGHT = CONTEXT_STRIP  # px, near the bottom of the lane
STRIP_BUCKET_PX = 3.0  # px a bucket is at least wide
SHADES = 6  # the shades of a strip: counts fall in steps that read in greyscale too
DAY = 86400.0
# A dataset's colour, by its place in the project: plum first, then others apart from the
# status colours (red is rejected), so that two datasets on one lane can be told apart; the
# first two far apart on the blue-yellow axis, which red-green colour blindness keeps.
STRIP_COLORS = ("#5c3566", "#9c6b00", "#0e6b73", "#5c6b00")  # plum, ochre, teal, olive
STRIP_COLOR = STRIP_COLORS[0]

# The surge rule, stated once: app/context/strips.py applies it (for the screen and every
# export, which draw through this painter) and the legend says it in these words.
SURGE_RATIO = 1.25  # ACLED Trendfinder: a week more than 25 % above its 4-week average
BASELINE_WEEKS = 4
# A floor under the ratio: where a lane has one to three events a week, one event more passes
# 25 %, and the marks would be noise. A week needs at least this many events to be marked,
# as Trendfinder reads its ratios only against a baseline with some substance.
SURGE_MIN_EVENTS = 5
SURGE_WORDS = (
    f"a week of {SURGE_MIN_EVENTS}+ events, over {round((SURGE_RATIO - 1) * 100)} % above"
    f" its {BASELINE_WEEKS}-week average"
)


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


def unmatched_rows(layout: Layout, layers: list) -> list[tuple[ContextLayer, int, float]]:
    """The rows below the lanes, one per dataset that has rows matching no lane, as (layer,
    its strips' row, top in layout px): what the painter draws and the tooltips read."""
    top = layout.height + CONTEXT_GAP
    out = []
    for layer in layers:
        index = None if layer.missing else layer.strips.unmatched()
        if index is not None:
            out.append((layer, index, top))
            top += CONTEXT_ROW
    return out


def unmatched_height(layout: Layout, layers: list) -> float:
    """The height the rows of no lane add below the lanes (0 without any)."""
    rows = len(unmatched_rows(layout, layers))
    return CONTEXT_GAP + rows * CONTEXT_ROW if rows else 0.0


def chart_height(layout: Layout, layers: list) -> float:
    """The lanes and the context rows below them: where the legend goes."""
    return layout.height + unmatched_height(layout, layers)


def unmatched_title(layer: ContextLayer) -> str:
    return f"{layer.title} — not on a lane"


def legend_state(layers: list) -> tuple:
    """What the legend explains: () for no strips, else ("strips" or "unmatched": strips
    and the rows of no lane below the lanes, and each dataset's (title, colour))."""
    if not layers:
        return ()
    has_rows = any(not x.missing and x.strips.unmatched() is not None for x in layers)
    keys = tuple(dict.fromkeys((x.title, x.color) for x in layers))  # (a comparison's twice)
    return "unmatched" if has_rows else "strips", keys


def strip_of(layer, actor_id: str) -> int | None:
    """The dataset's row of a lane, where it draws a strip on it: a lane it names but has
    no rows for has none (every lane named after itself made each one taller, and an
    empty band). A dataset whose file is missing draws its hatched strip on each lane."""
    index = layer.strips.lane(actor_id)
    return index if index is not None and _draws(layer, index) else None


def _draws(layer, index: int) -> bool:
    return layer.missing or layer.strips.has_rows(index)


def lane_strips(layers: list) -> dict[str, int]:
    """How many strips each lane has (actor id -> datasets with rows on it): the room the
    layout makes under its rows (app/chart/layout.py), a band for each."""
    out: dict[str, int] = {}
    for layer in layers:
        for index, lane in enumerate(layer.strips.summary.lanes):
            if lane and _draws(layer, index):  # (NO_LANE's rows are drawn below the lanes)
                out[lane] = out.get(lane, 0) + 1
    return out


def strip_top(row_top: float) -> float:
    """The strip's top in a context row below the lanes: under its title and the gap
    that keeps its surge marks off the title, clear of the plot's frame below."""
    return row_top + CONTEXT_ROW - STRIP_HEIGHT - CONTEXT_ROW_FOOT


def paint(s: Style, f: Frame) -> None:
    layers: list[ContextLayer] = getattr(f.options, "context", None) or []
    if not layers:
        return
    p, vp, layout = f.p, f.vp, f.layout
    days = bucket_days(vp.scale)
    first, last = int(f.t0 // DAY), int(f.t1 // DAY) + 1
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    stacked = dict.fromkeys(f.lanes, 0)  # the strips drawn on each lane so far
    for layer in layers:
        most = _busiest(layer.strips, days)
        for i in f.lanes:
            lane = layout.lanes[i]
            index = strip_of(layer, lane.actor.id)
            if index is None or stacked[i] >= lane.strips:  # no room made (yet): not drawn
                continue
            y = lane_strip_top(vp.y(lane.bottom), stacked[i])
            stacked[i] += 1
            if layer.missing:
                p.setBrush(s.brush(s.shown(layer.color), 40, QtCore.Qt.BrushStyle.BDiagPattern))
                p.drawRect(QtCore.QRectF(vp.left, y, vp.right - vp.left, STRIP_HEIGHT))
                continue
            _strip(s, p, vp, layer, index, y, (first, last, days), most)
    _paint_unmatched(s, f, layers, (first, last, days))


def _paint_unmatched(s: Style, f: Frame, layers: list, span: tuple[int, int, int]) -> None:
    """Below the lanes, a row per dataset for its rows on no lane: its title, its strip
    (shaded against its own busiest bucket: these rows are often most of the data)."""
    p, vp = f.p, f.vp
    rows = unmatched_rows(f.layout, layers)
    if not rows or vp.y(rows[0][2]) > vp.bottom or vp.y(rows[-1][2] + CONTEXT_ROW) < vp.top:
        return
    width = vp.right - vp.left
    p.setPen(QtGui.QPen(qcolor(s.theme.separator), 1))
    y0 = round(vp.y(rows[0][2])) - 0.5
    p.drawLine(QtCore.QPointF(vp.left, y0), QtCore.QPointF(vp.right, y0))
    p.setFont(s.font)
    for layer, index, top in rows:
        p.setPen(qcolor(s.theme.muted))
        room = QtCore.QRectF(vp.left + 4, vp.y(top), width - 8, CONTEXT_TITLE)
        text = s.metrics.elidedText(
            unmatched_title(layer), QtCore.Qt.TextElideMode.ElideRight, room.width()
        )
        p.drawText(
            room, QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom, text
        )
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        most = _busiest(layer.strips, span[2], index)
        _strip(s, p, vp, layer, index, vp.y(strip_top(top)), span, most)


def _strip(s: Style, p, vp: Viewport, layer, index: int, y: float, span, most: float) -> None:
    """One strip: its buckets shaded in steps, and a mark over each surging week."""
    first, last, days = span
    starts, counts, _ = layer.strips.buckets(index, first, last, days)
    steps = shade_steps(counts, most)
    x = vp.x(starts * DAY)
    w = np.maximum(vp.x((starts + days) * DAY) - x, 1.0)
    for step in range(1, SHADES + 1):
        pick = steps == step
        if pick.any():
            p.setBrush(s.brush(s.shown(layer.color), 40 + step * 215 // SHADES))
            n = int(pick.sum())
            draw_rects(p, x[pick], np.full(n, y), w[pick], np.full(n, STRIP_HEIGHT))
    surges = layer.strips.surges(index)
    surges = surges[(surges >= first - 7) & (surges <= last)]
    if len(surges):
        p.setBrush(s.brush(s.shown(layer.color)))
        for day in surges:
            _mark(p, vp.x((day + 3.5) * DAY), y)


def _busiest(strips, days: int, row: int | None = None) -> float:
    """The busiest bucket of the lanes' rows (or of one `row`) at this bucket size."""
    key = ("busiest", days, row)
    cached = strips.cache.get(key)
    if cached is None:
        summary = strips.summary
        width = summary.counts.shape[1]
        # The last row is NO_LANE's: drawn below the lanes on its own scale, not the lanes'.
        rows = range(len(summary.lanes) - 1) if row is None else (row,)
        cached = max(
            (
                float(
                    strips.buckets(i, summary.first_day, summary.first_day + width, days)[1].max(
                        initial=0
                    )
                )
                for i in rows
            ),
            default=0.0,
        )
        strips.cache[key] = cached
    return cached


def _mark(p: QtGui.QPainter, x: float, y: float) -> None:
    """A small triangle standing on the strip: a week above its 4-week baseline."""
    tri = QtGui.QPolygonF(
        [QtCore.QPointF(x - 3, y), QtCore.QPointF(x + 3, y), QtCore.QPointF(x, y - SURGE_HEIGHT)]
    )
    p.drawPolygon(tri)
