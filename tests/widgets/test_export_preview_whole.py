"""The export dialogs' preview shows the whole picture, scaled to fit: the first was
painted for the size the preview had before the dialog was laid out (640 x 480, a
widget's size before it has a parent) and shown centred in a smaller frame, cut on both
sides."""

from __future__ import annotations

import numpy as np

from app.exporters.images import ChartExporter
from tests.images import pixels
from tests.widgets.test_compare_export import compared  # noqa: F401 - a fixture
from widgets.compareexport import CompareExportDialog
from widgets.exportdialog import ExportDialog


def shown_shape(label) -> float:
    """Width over height of the picture the preview shows (what differs from its frame's
    background, inside the frame)."""
    inside = label.grab(label.contentsRect()).toImage()
    px = pixels(inside)
    ys, xs = np.nonzero((px != px[0, 0]).any(axis=2))
    assert len(xs), "nothing shown"
    return (xs.max() + 1 - xs.min()) / (ys.max() + 1 - ys.min())


def near(shown: float, whole: float) -> bool:
    return abs(shown / whole - 1) < 0.04


def test_the_preview_shows_the_whole_picture(window, qtbot):
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.wait()
    qtbot.wait(20)
    page = ChartExporter(window.doc.project, dialog.options()).page()
    assert near(shown_shape(dialog.preview), page.width / page.height)
    size = dialog.size()  # (the dialog's `width` is its spin box)
    dialog.resize(size.width() - 150, size.height())  # narrower: still whole
    qtbot.wait(50)
    assert near(shown_shape(dialog.preview), page.width / page.height)


def test_the_comparisons_preview_shows_the_whole_picture(compared, qtbot):  # noqa: F811
    window, view, _ = compared
    dialog = CompareExportDialog(window, view)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.wait()
    qtbot.wait(20)
    picture = dialog.preview.pixmap()  # the picture whole, scaled down
    assert near(shown_shape(dialog.preview), picture.width() / picture.height())
