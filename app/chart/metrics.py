"""The chart's geometry, in px: one constant each, shared by the painter's layers,
hit-testing (hittest.py), the exports and the web page (which reads `geometry()` from
its data, so that what the page picks is what was drawn)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MARK = 6.0  # half-size of a point event's mark
MARK_GRIP = MARK + 3  # how near a point mark the pointer takes it; its selection outline
BAR_INSET = 4.0  # a bar stands this far inside its row, above and below
BAR_MIN_WIDTH = 2.0  # the narrowest a bar is drawn (a day seen from afar)
EDGE_GRIP = 5.0  # px either side of a range's end that resize it
TICK_WIDTH, TICK_HEIGHT = 3.0, 10.0  # an event's tick on the lane of a `with` actor
LABEL_GAP = 4.0  # between a mark and its label, and between labels
GLYPH_RADIUS = 8.0  # a demand's status glyph, a ring at its tail
ATLAS_CELL = 20  # px per picture in the status atlas
MARK_CELL = 18  # px per point mark in a colour's atlas: room for pens and corners
LEGEND_ROW = 20.0  # px per row of the legend
CROWDED_ARROWS = 150  # arrows on screen above which they are drawn as hairlines
ARROW_GRIP = 9.0  # how near an arrow the pointer must be to take it (either side)
HEAD_GRIP = 10.0  # how near the target lane's centre the pointer takes the head
DEMAND_SPAN_LIFT = 4.0  # a demand's span runs this far above the foot of its lane (centre)
DEMAND_SPAN_HEIGHT = 3.0
CONTEXT_STRIP = 5.0  # a context strip's height, near the bottom of its lane or row
# The lowest strip's foot above its lane's: over the demand spans (which end 5.5 px up).
CONTEXT_STRIP_LIFT = 7.0
SURGE_HEIGHT = 5.0  # a surge mark stands this tall on its strip
# Each strip of a lane has a band of its own, its surge marks included, and a px between.
CONTEXT_BAND = CONTEXT_STRIP + SURGE_HEIGHT + 1
CONTEXT_GAP = 6.0  # between the last lane and the context rows of no lane
# Per dataset below the lanes: its title's line, a gap, the surge marks standing on its
# strip and the strip, clear of the plot's frame below (the marks never touch the letters).
CONTEXT_TITLE = 16.0
CONTEXT_TITLE_GAP = 2.0
CONTEXT_ROW_FOOT = 4.0
CONTEXT_ROW = CONTEXT_TITLE + CONTEXT_TITLE_GAP + SURGE_HEIGHT + CONTEXT_STRIP + CONTEXT_ROW_FOOT

# The lane header column: [pad][indent per depth][swatch][gap][toggle][name]
HEADER_WIDTH = 210.0
HEADER_PAD = 6.0
HEADER_INDENT = 14.0  # per level of nesting
SWATCH_WIDTH = 4.0
SWATCH_GAP = 6.0
TOGGLE_WIDTH = 13.0  # the ▾/▸ of a lane with nested lanes
HEADER_LINE = 28.0  # the height of a header's first line


def header_text_x(depth: int, x: float = 0.0) -> float:
    """Where a lane's toggle (or, without one, its name) starts in the header column."""
    return x + HEADER_PAD + HEADER_INDENT * depth + SWATCH_WIDTH + SWATCH_GAP


def bar_height(row_height: float) -> float:
    """How tall a bar is in a row of `row_height` px."""
    return row_height - 2 * BAR_INSET


def strip_room(strips: float | np.ndarray, padding: float) -> float | np.ndarray:
    """The px a lane grows by for `strips` strips under its rows (its foot already has
    `padding`): the strips, their surge marks and the demand spans then sit below the
    last row, over no title or mark, and a one-row lane keeps its row whole. `strips` a
    number or an array of them (each lane's)."""
    return (strips > 0) * (strips * CONTEXT_BAND + CONTEXT_STRIP_LIFT - padding)


def lane_strip_top(lane_bottom: float, k: int = 0) -> float:
    """The top of the `k`-th strip of a lane (one per dataset on it, the first lowest)
    whose foot is at `lane_bottom` (layout or screen px): in the room `strip_room` made."""
    return lane_bottom - CONTEXT_STRIP_LIFT - CONTEXT_STRIP - k * CONTEXT_BAND


def on_lane_strip(lane_bottom: float, y: float, strips: int) -> bool:
    """Whether `y` is on one of a lane's `strips` bands (a strip and its surge marks)."""
    if strips <= 0:
        return False
    top = lane_strip_top(lane_bottom, strips - 1) - SURGE_HEIGHT
    return top <= y <= lane_strip_top(lane_bottom) + CONTEXT_STRIP + 1


def geometry() -> dict[str, float]:
    """The sizes the web page's script needs to pick what the chart drew."""
    return {
        "mark": MARK,
        "mark_grip": MARK_GRIP,
        "bar_inset": BAR_INSET,
        "bar_min_width": BAR_MIN_WIDTH,
        "arrow_grip": ARROW_GRIP,
    }
