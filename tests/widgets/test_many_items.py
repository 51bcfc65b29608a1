"""Guards against pinning a PySide6 that crashes with pyqtgraph (6.12.0 aborted in
ViewBox.itemChange while about 1,000 items were added) and checks a big canvas draws."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtWidgets

from app.editing.document import Document
from tests.bench.generate import generate
from widgets.canvas import TimelineCanvas


def test_a_viewbox_takes_a_thousand_items(qtbot):
    """PySide6 6.12.0 aborted in `ViewBox.itemChange` at about a thousand items (GUIDE.md);
    the range is not fitted to each item added, which only made this take twice as long."""
    widget = pg.PlotWidget()
    widget.getPlotItem().vb.disableAutoRange()
    qtbot.addWidget(widget)
    for i in range(1000):
        widget.addItem(pg.ScatterPlotItem([i], [i]))
    widget.show()
    QtWidgets.QApplication.processEvents()
    assert len(widget.getPlotItem().items) == 1000


def test_a_canvas_with_five_thousand_events_paints_and_hit_tests(qtbot):
    doc = Document(generate(5000, n_actors=20))
    canvas = TimelineCanvas(doc)
    canvas.resize(1600, 900)
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    image = canvas.grab().toImage()
    assert image.width() >= 1600
    layout = canvas.timeline.layout
    assert sum(len(d.events) for d in layout.lane_events) == 5000
    e = layout.lane_events[0].events[0]
    y = layout.row_top(0, int(layout.lane_events[0].row[0])) + layout.row_height / 2
    assert layout.event_at((e.when.lo + e.when.hi) / 2, y, 3600.0) is not None
