"""The chart: painted by the same layers on screen and in every export.

- `painter.py`: ChartPainter and LAYERS, the one ordered list of layers.
- one module per layer: `lanes` (backgrounds and the header column), `phases`, `demands`,
  `events` (marks, bars, `with` ticks, drag ghosts), `labels`, `legend`.
- `metrics.py`: sizes shared with hit-testing and export; `style.py`: theme, fonts and
  bounded caches; `base.py`: Viewport, PaintOptions and Frame.
"""

from app.chart.base import Frame, Ghost, PaintOptions, Viewport
from app.chart.metrics import CROWDED_ARROWS, MARK
from app.chart.painter import LAYERS, PARTS, ChartPainter

__all__ = [
    "CROWDED_ARROWS",
    "LAYERS",
    "MARK",
    "PARTS",
    "ChartPainter",
    "Frame",
    "Ghost",
    "PaintOptions",
    "Viewport",
]
