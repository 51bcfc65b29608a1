"""File ▸ Export…: PNG, SVG, PDF or an offline web page, with a live preview, using the
command line's exporters.

The preview and the export run on a thread with a snapshot of the project (edits made
meanwhile do not reach it): QPainter may paint on a QImage, a QPdfWriter and a
QSvgGenerator off the GUI thread, fonts included (Qt's "Thread-Support in Qt Modules"),
and the painter's pixmap atlases need the platform's threaded pixmaps, which xcb,
Wayland and offscreen have. What stays here: reading the choices, which look at the
chart's view and the selection."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets

from app.editing.document import Document
from app.exporters.images import ChartExporter, ExportError, ExportOptions
from app.exporters.webpage import WebPage
from app.records import filter as filters
from app.records.when import WhenError, parse
from widgets.comparedock import shown_comparison
from widgets.compareexport import export_comparison
from widgets.exportruns import PreviewedExport, fitted

FORMATS = {
    "PNG image": ".png",
    "SVG drawing": ".svg",
    "PDF document": ".pdf",
    "Web page (interactive, offline)": ".html",
}


class ExportDialog(PreviewedExport):
    FORMATS = FORMATS

    def __init__(self, doc: Document, canvas, theme_name: str, parent=None, filtered=None):
        """`filtered`: the filter the window shows the project through, if any (the
        export shows what it keeps unless told to show everything)."""
        super().__init__("Export chart", parent)
        self.doc, self.canvas = doc, canvas
        self.format = QtWidgets.QComboBox()
        self.format.addItems(list(FORMATS))
        self.range = QtWidgets.QComboBox()
        self.range.addItems(["Everything", "The visible range", "From and to dates"])
        self.date_from, self.date_to = QtWidgets.QLineEdit(), QtWidgets.QLineEdit()
        self.date_from.setPlaceholderText("from, e.g. 2023-10-01")
        self.date_to.setPlaceholderText("to, e.g. 2023-11-30")
        self.lanes = QtWidgets.QComboBox()
        self.lanes.addItems(["All lanes", "Lanes on screen", "Lanes of the selection"])
        self.filtered = filtered
        self.shown = QtWidgets.QComboBox()
        self.shown.addItems(["Everything", "What the filter shows"])
        self.shown.setCurrentIndex(1 if filtered is not None else 0)
        self.shown.setEnabled(filtered is not None)
        self.width_px = QtWidgets.QSpinBox()
        self.width_px.setRange(400, 16000)
        self.width_px.setValue(1920)
        self.width_px.setSuffix(" px")
        self.height_px = QtWidgets.QSpinBox()
        self.height_px.setRange(0, 16000)
        self.height_px.setSpecialValueText("fit every lane")
        self.height_px.setSuffix(" px")
        self.width_mm = QtWidgets.QDoubleSpinBox()
        self.width_mm.setRange(0, 2000)
        self.width_mm.setSpecialValueText("(use pixels)")
        self.width_mm.setSuffix(" mm")
        self.dpi = QtWidgets.QSpinBox()
        self.dpi.setRange(30, 1200)
        self.dpi.setValue(96)
        self.scale = QtWidgets.QDoubleSpinBox()
        self.scale.setRange(1.0, 4.0)
        self.scale.setSingleStep(0.5)
        self.scale.setValue(1.0)
        self.scale.setSuffix("×")
        self.theme = QtWidgets.QComboBox()
        self.theme.addItem("Light (for print)", "light")
        self.theme.addItem("Current", theme_name)
        # What was typed last time for this file is offered again.
        self.settings = getattr(parent, "settings", None) or QtCore.QSettings()
        self.key = f"export/{doc.path or 'untitled'}"
        self.title = QtWidgets.QLineEdit(
            str(self.settings.value(f"{self.key}/title", doc.project.title))
        )
        self.subtitle = QtWidgets.QLineEdit(str(self.settings.value(f"{self.key}/subtitle", "")))
        self.subtitle.setPlaceholderText("default: the description and the date span")
        self.legend = QtWidgets.QCheckBox("Legend")
        self.legend.setChecked(True)
        self.sources = QtWidgets.QCheckBox("Source line at the foot")
        self.sources.setChecked(True)
        self.transparent = QtWidgets.QCheckBox("Transparent background (PNG)")
        form = QtWidgets.QFormLayout()
        dates = QtWidgets.QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        for label, widget in (
            ("Format", self.format),
            ("Range", self.range),
            ("", dates),
            ("Lanes", self.lanes),
            ("Records", self.shown),
            ("Width", self.width_px),
            ("Height", self.height_px),
            ("or width", self.width_mm),
            ("DPI", self.dpi),
            ("Scale", self.scale),
            ("Theme", self.theme),
            ("Title", self.title),
            ("Subtitle", self.subtitle),
        ):
            form.addRow(label, widget)
        for box in (self.legend, self.sources, self.transparent):
            form.addRow("", box)
        self.compared = (
            shown_comparison(parent) if isinstance(parent, QtWidgets.QMainWindow) else None
        )
        if self.compared is not None:  # Ctrl+E while the charts are compared: both are offered
            instead = QtWidgets.QPushButton("Export the Comparison Instead…")
            instead.setToolTip("Both charts on one axis of days, as `demarche compare` draws them")
            instead.clicked.connect(self.compare_instead)
            form.insertRow(0, "", instead)
        self.arrange(form)
        for w in (self.format, self.range, self.lanes, self.shown, self.theme):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.width_px, self.height_px, self.dpi):
            w.valueChanged.connect(self.changed)
        for w in (self.width_mm, self.scale):
            w.valueChanged.connect(self.changed)
        for w in (self.date_from, self.date_to, self.title, self.subtitle):
            w.textChanged.connect(self.changed)
        for w in (self.legend, self.sources, self.transparent):
            w.toggled.connect(self.changed)
        self.changed()
        self.update_preview()

    def changed(self, *_):
        custom = self.range.currentIndex() == 2
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        # A web page sizes itself to the reader's window, follows their light or dark, and
        # always has its legend and its sources (in the footer).
        picture = FORMATS[self.format.currentText()] != ".html"
        for w in (self.width_px, self.height_px, self.width_mm, self.dpi, self.scale, self.theme):
            w.setEnabled(picture)
        for box in (self.transparent, self.legend, self.sources):
            box.setEnabled(picture)
        self.timer.start()

    def options(self) -> ExportOptions:
        t0 = t1 = None
        if self.range.currentIndex() == 1:
            (t0, t1), _ = self.canvas.viewbox.viewRange()
        elif self.range.currentIndex() == 2:
            try:
                t0 = (
                    parse(self.date_from.text().strip()).lo
                    if self.date_from.text().strip()
                    else None
                )
                t1 = parse(self.date_to.text().strip()).hi if self.date_to.text().strip() else None
            except WhenError as exc:
                raise ExportError(str(exc)) from None
        actors = lanes_chosen(self.lanes.currentIndex(), self.canvas, self.doc)
        width = self.width_px.value()
        if self.width_mm.value() > 0:
            width = int(self.width_mm.value() / 25.4 * self.dpi.value())
        return ExportOptions(
            t0=t0,
            t1=t1,
            actors=actors,
            width=width,
            height=self.height_px.value() or None,
            dpi=self.dpi.value(),
            scale=self.scale.value(),
            theme=self.theme.currentData(),
            title=self.title.text(),
            subtitle=self.subtitle.text() or None,
            legend=self.legend.isChecked(),
            source_line=self.sources.isChecked(),
            transparent=self.transparent.isChecked(),
            context=list(self.canvas.view.context),  # the strips shown, as on screen
        )

    def kept(self) -> filters.Filter:
        """What the export keeps of the project: the window's filter, or everything."""
        chosen = self.filtered is not None and self.shown.currentIndex() == 1
        return self.filtered if chosen else filters.Filter()

    def compare_instead(self) -> None:
        """This dialog goes, and the comparison's opens in its place (once this one's
        `exec` has returned: not one modal loop inside another)."""
        window, view = self.parentWidget(), self.compared
        self.reject()
        QtCore.QTimer.singleShot(0, window, lambda: export_comparison(window, view))

    def suggested_path(self) -> str:
        return os.path.splitext(self.doc.path or "chart.yaml")[0] + self.suffix()

    def preview_work(self, size: QtCore.QSize):
        options = self.options()
        project, kept = self.doc.snapshot(), self.kept()

        def work(task) -> QtGui.QImage:
            options.progress = task.step
            return fitted(ChartExporter(filters.shown(project, kept), options).image(), size)

        return work

    def export_work(self, path: str):
        options = self.options()
        project, kept = self.doc.snapshot(), self.kept()
        exporter = WebPage if path.lower().endswith(".html") else ChartExporter

        def work(task) -> None:
            options.progress = task.step
            exporter(filters.shown(project, kept), options).write(path)

        return work

    def remember(self) -> None:
        self.settings.setValue(f"{self.key}/title", self.title.text())
        self.settings.setValue(f"{self.key}/subtitle", self.subtitle.text())


def lanes_chosen(choice: int, canvas, doc: Document) -> list[str] | None:
    """The actors whose lanes are drawn: all (None), those on screen (1), or those of the
    selected records (2)."""
    if choice == 1:
        layout = canvas.timeline.layout
        _, (y0, y1) = canvas.viewbox.viewRange()
        return [
            m for lane in layout.lanes if lane.bottom > y0 and lane.top < y1 for m in lane.members
        ]
    if choice == 2:
        chosen = set()
        for i in doc.selection:
            for kind, attrs in (
                ("events", ("actor",)),
                ("demands", ("from_", "to")),
                ("actors", ("id",)),
            ):
                r = doc.get(kind, i)
                if r is not None:
                    chosen |= {getattr(r, a) for a in attrs}
        return [a.id for a in doc.project.actors if a.id in chosen] or None
    return None
