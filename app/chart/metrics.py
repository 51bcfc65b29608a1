"""The chart's sizes, in px: one constant each, shared by the painter's layers,
hit-testing (app/hittest.py) and export."""

MARK = 6.0  # half-size of a point event's mark
LABEL_GAP = 4.0  # between a mark and its label, and between labels
ATLAS_CELL = 20  # px per picture in the status atlas
MARK_CELL = 18  # px per point mark in a colour's atlas: room for pens and corners
LEGEND_ROW = 20.0  # px per row of the legend
CROWDED_ARROWS = 150  # arrows on screen above which they are drawn as hairlines
ARROW_GRIP = 9.0  # how near an arrow the pointer must be to take it
HEAD_GRIP = 10.0  # how near the target lane's centre the pointer takes the head

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
