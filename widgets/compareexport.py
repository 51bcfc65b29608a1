"""A comparison exported from the editor: the Compared panel's Export… (or, while a comparison
is shown, File ▸ Export…'s "Export the Comparison Instead…") writes the picture `demarche
compare A B --align A_REF B_REF -o OUT` writes for the same files and day 0, as PNG, SVG, PDF or
a web page holding the SVG, with the choices the command line offers (width, theme, legend).
A preview, and the export on a thread behind a progress dialog with Cancel, as File ▸
Export… does (widgets/exportruns.py).

The open project is drawn as it is in the editor (a snapshot: edits made meanwhile do not
reach the export), with the context strips its chart shows; the compared one as it was read,
with all its datasets' strips, as the command line draws them."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets

from app.context import project as context_project
from app.exporters.compare import Comparison
from app.exporters.images import MIN_PNG_WIDTH
from app.exporters.options import ExportOptions
from widgets.exportruns import PreviewedExport, fitted

FORMATS = {
    "PNG image": ".png",
    "SVG drawing": ".svg",
    "PDF document": ".pdf",
    "Web page (the picture, offline)": ".html",
}


class CompareExportDialog(PreviewedExport):
    FORMATS = FORMATS

    def __init__(self, window: QtWidgets.QMainWindow, view):
        """`view`: the Compared panel's CompareView, which knows the compared file, its
        document and the two moments aligned (`refs`, as typed or picked)."""
        super().__init__("Export comparison", window)
        self.doc, self.view = window.doc, view
        self.context = list(window.canvas.view.context)  # the strips the open chart shows
        self.format = QtWidgets.QComboBox()
        self.format.addItems(list(FORMATS))
        self.width_px = QtWidgets.QSpinBox()
        self.width_px.setRange(200, 20000)  # as `compare --width` takes it
        self.width_px.setValue(MIN_PNG_WIDTH)  # what the command line draws without --width
        self.width_px.setSuffix(" px")
        self.theme = QtWidgets.QComboBox()
        self.theme.addItem("Light (for print)", "light")
        self.theme.addItem("Current", getattr(window, "theme_name", "light"))
        self.legend = QtWidgets.QCheckBox("Legend")
        self.legend.setChecked(True)
        note = QtWidgets.QLabel(
            "Both projects whole, over the days either spans, aligned on day 0 as in the "
            "panel: the picture <tt>demarche&nbsp;compare</tt> draws."
        )
        note.setWordWrap(True)
        note.setMaximumWidth(260)
        self.preview.setMinimumSize(560, 520)  # two charts, one above the other: a tall picture
        form = QtWidgets.QFormLayout()
        for label, widget in (
            ("Format", self.format),
            ("Width", self.width_px),
            ("Theme", self.theme),
            ("", self.legend),
            ("", note),
        ):
            form.addRow(label, widget)
        self.arrange(form)
        self.format.currentIndexChanged.connect(self.changed)
        self.theme.currentIndexChanged.connect(self.changed)
        self.width_px.valueChanged.connect(self.changed)
        self.legend.toggled.connect(self.changed)
        self.update_preview()

    def changed(self, *_) -> None:
        self.timer.start()

    def options(self) -> ExportOptions:
        return ExportOptions(
            width=self.width_px.value(),
            theme=self.theme.currentData(),
            legend=self.legend.isChecked(),
        )

    def suggested_path(self) -> str:
        """Beside the open project, named after both: talks-vs-grain-deal.png."""
        ours = self.doc.path or "chart.yaml"
        theirs = os.path.splitext(os.path.basename(self.view.path))[0]
        return f"{os.path.splitext(ours)[0]}-vs-{theirs}{self.suffix()}"

    def _comparison(self):
        """A function making the comparison on a thread, from snapshots of both projects
        (the compared one's datasets read there: DuckDB, or its cache)."""
        options = self.options()
        projects = [self.doc.snapshot(), self.view.canvas.doc.snapshot()]
        refs, path, ours = list(self.view.refs), self.view.path, self.context

        def make(task) -> Comparison:
            options.progress = task.step
            theirs = context_project.layers(projects[1], path, first=len(projects[0].context))
            return Comparison(projects, refs, options, [ours, theirs])

        return make

    def preview_work(self, size: QtCore.QSize):
        make = self._comparison()

        def work(task) -> QtGui.QImage:
            return fitted(make(task).image(), size)

        return work

    def export_work(self, path: str):
        make = self._comparison()

        def work(task) -> None:
            make(task).write(path)

        return work


def export_comparison(window: QtWidgets.QMainWindow, view, *_) -> None:
    CompareExportDialog(window, view).exec()
