"""Two negotiations on one axis: each chart drawn as its own block, one above the other,
shifted so that an event (or a date) of each falls on day 0, the axes counting days before and
after. Written as PNG, SVG, PDF or a web page holding the SVG.

    demarche compare A.yaml B.yaml --align A_EVENT B_EVENT -o OUT.png
"""

from __future__ import annotations

import difflib
import html
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from PySide6 import QtCore, QtGui

from app.chart import context
from app.chart.axis import day_ticks
from app.exporters.encoding import image_of, pdf_of, png_bytes_of
from app.exporters.images import ChartExporter, Page, check_size, lists_top
from app.exporters.options import ExportError, ExportOptions
from app.exporters.svgparts import svg_of
from app.fileformat.atomic import write_atomic
from app.records.datewords import edtf
from app.records.eventstore import values
from app.records.model import Project
from app.records.when import WhenError, parse

GAP = 16.0  # px between the two blocks
LISTS_HEADING = 28.0  # px: the project's title over what is below its chart


def day_zero(project: Project, ref: str) -> tuple[float, str]:
    """Day 0 for `ref` (an event's id, or a date, in EDTF or as the date fields take one:
    `22 Nov 2023`, `22/11/2023`): the start of its first day as written, in UTC seconds, so
    that an event at 01:00+02:00 on 22 November counts from 22 November, and a name for it."""
    ids = values(project.events, "id")  # from the columns: no record made but the one
    event = project.events[ids.index(ref)] if ref in ids else None
    if event is not None:
        start, name = event.when.start, event.title
    else:
        try:
            when = _date(ref)
        except WhenError as e:
            raise ExportError(
                f"'{ref}' is neither an event of '{project.title}' nor a date: {e}"
                + _by_title(project, ref)
            ) from None
        start, name = when.start, ""
    if start is None:
        raise ExportError(f"'{ref}' has an open start: align on an event or date with a start")
    day = datetime(start.year, start.month or 1, start.day or 1, tzinfo=UTC)
    return day.timestamp(), name


def _date(text: str):
    """A date as EDTF, else as a person types one; the EDTF reading's complaint if neither."""
    try:
        return parse(text)
    except WhenError as e:
        try:
            return parse(edtf(text))
        except WhenError:
            raise e from None


def _by_title(project: Project, words: str) -> str:
    """A hint when `words` are close to an event's id (a typo) or part of one event's
    title (people type what they read)."""
    ids, titles = values(project.events, "id"), values(project.events, "title")
    close = difflib.get_close_matches(words, ids, n=1)
    key = " ".join(words.split()).casefold()
    found = [i for i, t in enumerate(titles) if key and key in " ".join(t.split()).casefold()]
    if close:
        found = [ids.index(close[0])]
    if len(found) != 1:
        return ""
    return f"; did you mean '{ids[found[0]]}' ({titles[found[0]]})?"


@dataclass
class Block:
    exporter: ChartExporter
    origin: float  # day 0, in the block's own time
    page: Page
    top: float = 0.0  # px of the block's chart on the comparison's page
    lists_at: float = 0.0  # and of what is below it, under every chart


class Comparison:
    """Blocks stacked on one page, their viewports sharing one span of days around day 0."""

    def __init__(
        self,
        projects: list[Project],
        refs: list[str],
        options: ExportOptions,
        contexts: list[list] | None = None,  # each project's context strips
    ):
        origins = [day_zero(p, r) for p, r in zip(projects, refs, strict=True)]
        spans = []
        for project, (origin, _) in zip(projects, origins, strict=True):
            lo, hi = ChartExporter(project, replace(options, t0=None, t1=None)).time_range()
            spans.append((lo - origin, hi - origin))
        before = min(s[0] for s in spans) if options.t0 is None else options.t0
        after = max(s[1] for s in spans) if options.t1 is None else options.t1
        if after <= before:
            raise ExportError("the end of the range comes before its start")
        self.options = options
        exporters = []
        for i, (project, (origin, name)) in enumerate(zip(projects, origins, strict=True)):
            block_options = replace(
                options,
                progress=_share(options.progress, i, len(projects)),
                t0=origin + before,
                t1=origin + after,
                legend=False,  # one for all, right under the charts (`paint`)
                title=project.title or f"Project {i + 1}",
                subtitle=f"day 0: {name} ({day_text(origin)})"
                if name
                else f"day 0: {day_text(origin)}",
                context=contexts[i] if contexts else [],
            )
            exporter = ChartExporter(project, block_options)
            exporter.ticks = day_ticks(origin)
            exporters.append((exporter, origin))
        # One width for the lane names of every block, so that a day falls at one x.
        header_w = max(e.header_width() for e, _ in exporters)
        for exporter, _ in exporters:
            exporter.header_w = header_w
        self.blocks = [Block(e, origin, e.page()) for e, origin in exporters]
        first = self.blocks[0]
        if any(contexts or []):  # the one legend, under the charts, explains every strip
            first.exporter.chart.style.context_legend = context.legend_state(
                [layer for layers in contexts for layer in layers]
            )
        # The charts one under another, then what is below each of them: between two charts,
        # the first one's lists kept them 300 px apart, and their days could not be compared.
        top = 0.0
        for block in self.blocks:
            block.top = top
            top += lists_top(block.page) + GAP
        self.legend_at = top - GAP
        if options.legend:
            top += first.exporter.chart.legend_size(first.page.plot.width()).height() + 6
        for block in self.blocks:
            block.lists_at = top + LISTS_HEADING
            top = block.lists_at + block.page.height - lists_top(block.page)
        self.width = max(b.page.width for b in self.blocks)
        self.height = top

    def paint(self, p: QtGui.QPainter) -> None:
        """The charts, the one legend, then under each project's title its lists."""
        first = self.blocks[0]
        if not first.exporter.options.transparent:  # the gaps, and beside a narrow block
            p.fillRect(
                QtCore.QRectF(0, 0, self.width, self.height),
                QtGui.QColor(first.exporter.chart.theme.background),
            )
        for block in self.blocks:
            p.save()
            p.translate(0, block.top)
            block.exporter.paint(p, block.page, lists=False)
            p.restore()
        if self.options.legend:
            at = QtCore.QPointF(first.page.plot.left(), self.legend_at)
            first.exporter.chart.paint_legend(p, at, first.page.plot.width())
        for block in self.blocks:
            exporter = block.exporter
            p.setFont(exporter.chart.style.bold)  # whose lists these are: they look alike
            p.setPen(QtGui.QColor(exporter.chart.theme.text))
            at = QtCore.QPointF(block.page.plot.left(), block.lists_at - 8)
            p.drawText(at, exporter.title())
            p.save()
            p.translate(0, block.lists_at - lists_top(block.page))
            exporter.paint_foot(p, block.page, frame=False)
            p.restore()

    def x_of(self, block: int, t: float) -> float:
        """Where time `t` of a block falls across the page: the same x for the same day."""
        b = self.blocks[block]
        return b.exporter.viewport(b.page).x(t)

    # ------------------------------------------------------------ formats

    def _check(self) -> Page:
        size = replace(self.blocks[0].page, width=self.width, height=self.height)
        check_size(size, self.blocks[0].exporter.png_scale())
        return size

    def image(self) -> QtGui.QImage:
        """The PNG's picture, not yet encoded (the editor's preview)."""
        self._check()
        first = self.blocks[0].exporter
        return image_of(self.paint, self.width, self.height, first.png_scale(), first.options.dpi)

    def png_bytes(self) -> bytes:
        return png_bytes_of(self.image(), self.blocks[0].exporter.options.transparent)

    def svg_bytes(self) -> bytes:
        self._check()
        return svg_of(self.paint, self.width, self.height, self.title())

    def pdf_bytes(self) -> bytes:
        self._check()
        return pdf_of(self.paint, self.width, self.height, self.title())

    def title(self) -> str:
        return " and ".join(b.exporter.title() for b in self.blocks)

    def html_bytes(self) -> bytes:
        """One offline page holding the comparison as SVG (no script: nothing to load)."""
        title = html.escape(self.title())
        svg = self.svg_bytes().decode("utf-8")
        svg = svg[svg.index("<svg") :]
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f'<meta name="viewport" content="width=device-width"><title>{title}</title>'
            "<style>body{margin:0;font-family:sans-serif}div{overflow-x:auto}svg{display:block}</style>"
            f"</head><body><div>{svg}</div></body></html>\n"
        ).encode()

    def write(self, path: str, replace_read_only: bool = True) -> None:
        for b in self.blocks:
            if b.exporter.project.conflicts:
                raise ExportError(
                    f"'{b.exporter.title()}' has unresolved merge conflicts: resolve them first"
                )
        suffix = os.path.splitext(path)[1].lower()
        render = {
            ".png": self.png_bytes,
            ".svg": self.svg_bytes,
            ".pdf": self.pdf_bytes,
            ".html": self.html_bytes,
        }.get(suffix)
        if render is None:
            raise ExportError(f"cannot tell the format of '{path}': use .png, .svg, .pdf or .html")
        data = render()
        self.options.step(1, 1)  # a last look before the file is touched: cancelled, it is not
        write_atomic(path, data, replace_read_only=replace_read_only)


def _share(progress, block: int, blocks: int):
    """A block's steps as a share of the whole comparison's (the first block the first
    half of two), so that the progress bar runs once, not once a block."""
    if progress is None:
        return None
    return lambda done, total: progress(block * total + done, blocks * total)


def day_text(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%-d %b %Y")
