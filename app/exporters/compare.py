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
from app.exporters.images import ChartExporter, Page, check_size
from app.exporters.options import ExportError, ExportOptions
from app.exporters.svgparts import svg_of
from app.fileformat.atomic import write_atomic
from app.records.datewords import edtf
from app.records.eventstore import values
from app.records.model import Project
from app.records.when import WhenError, parse

GAP = 16.0  # px between the two blocks


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
    top: float = 0.0  # px of the block on the comparison's page


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
            last = i == len(projects) - 1
            block_options = replace(
                options,
                progress=_share(options.progress, i, len(projects)),
                t0=origin + before,
                t1=origin + after,
                legend=options.legend and last,
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
        self.blocks: list[Block] = []
        top = 0.0
        for exporter, origin in exporters:
            exporter.header_w = header_w
            page = exporter.page()
            self.blocks.append(Block(exporter, origin, page, top))
            top += page.height + GAP
        if any(contexts or []):  # the one legend, under the last block, explains every strip
            last = self.blocks[-1]
            last.exporter.chart.style.context_legend = context.legend_state(
                [layer for layers in contexts for layer in layers]
            )
            last.page = last.exporter.page()
        self.width = max(b.page.width for b in self.blocks)
        self.height = self.blocks[-1].top + self.blocks[-1].page.height

    def paint(self, p: QtGui.QPainter) -> None:
        first = self.blocks[0].exporter
        if not first.options.transparent:  # the gaps between blocks and beside a narrow one
            p.fillRect(
                QtCore.QRectF(0, 0, self.width, self.height),
                QtGui.QColor(first.chart.theme.background),
            )
        for block in self.blocks:
            p.save()
            p.translate(0, block.top)
            block.exporter.paint(p, block.page)
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
