"""Charts as PNG, SVG and PDF, laid out for the page and painted by the same
`ChartPainter` as the screen. Works without a window (offscreen platform)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from PySide6 import QtCore, QtGui

from app.chart import PARTS, ChartPainter, PaintOptions, Viewport, axis, context, legend
from app.chart.layout import DAY, Layout, Timeline
from app.chart.theme import THEMES
from app.chart.view import ChartView
from app.exporters import eventlist
from app.exporters.encoding import image_of, pdf_of, png_bytes_of
from app.exporters.options import ExportError, ExportOptions, subset
from app.exporters.sourceline import cited_sources
from app.exporters.svgparts import svg_document
from app.fileformat.atomic import write_atomic
from app.records.collector import collector_held
from app.records.model import Project
from app.records.plural import counted
from app.records.when import T_MAX, T_MIN, clamp

AXIS_HEIGHT = 24.0
MARGIN = 24.0
MIN_PNG_WIDTH = 1920
HEADER_CAP = 320.0  # px: the widest the lane names' column grows to fit the longest name
MAX_PIXELS = 100_000_000  # a PNG's width x height at most (400 MB of memory to paint)


def _day(t: float) -> str:
    return datetime.fromtimestamp(clamp(t), tz=UTC).strftime("%-d %b %Y")


@dataclass
class Page:
    """Where everything goes on the page, in px at 1x."""

    width: float
    height: float
    title_h: float
    plot: QtCore.QRectF
    header: QtCore.QRectF
    layout: Layout
    t0: float
    t1: float
    footer_y: float
    sources: list[str]
    unnamed: list[str] = field(default_factory=list)  # lines of the events listed below
    footnotes: dict | None = None  # {event id: its number on the chart}; None: not named
    # What every part is painted with: made once, not once a part (a picture of 50 lanes
    # made 54 views, each looking through every event for pinned titles).
    paint_options: PaintOptions = field(default_factory=PaintOptions)
    lanes_left_out: int = 0  # below the plot, where a fixed height has no room for them


def _demands_height(exporter, width: float, span: tuple, lanes: int | None = None) -> float:
    """The height of the numbered demands under a picture, and the gap after them: those
    raised in its first `lanes` lanes (None: all); 0 where it lists none."""
    if not (exporter.options.demand_list and exporter.options.show_demands):
        return 0.0
    height = exporter.chart.demand_list_size(exporter.layout, width, span, lanes).height()
    return height + 6 if height else 0.0


class ChartExporter:
    def __init__(self, project: Project, options: ExportOptions):
        self.options = options
        self.project = subset(project, options.actors)
        theme = THEMES.get(options.theme, THEMES["light"])
        font = QtGui.QFont("DejaVu Sans")
        font.setPointSizeF(9.0)
        self.chart = ChartPainter(theme, font)
        self.chart.style.context_legend = context.legend_state(options.context)
        self.title_font = QtGui.QFont(font)
        self.title_font.setPointSizeF(15.0)
        self.title_font.setBold(True)
        self.small_font = QtGui.QFont(font)
        self.small_font.setPointSizeF(8.0)
        self.layout = Timeline(self.project, strips=context.lane_strips(options.context)).layout
        self.ticks = axis.ticks  # (t0, t1, width px) -> [(time, label)]: the axes' labels
        self.header_w: float | None = None  # the lane names' column, when set from outside

    def header_width(self) -> float:
        if self.header_w is not None:
            return self.header_w
        return self.chart.header_width(self.layout, HEADER_CAP)

    def time_range(self) -> tuple[float, float]:
        o = self.options
        if o.t0 is not None and o.t1 is not None:
            return o.t0, o.t1
        lo, hi = self.layout.t_min, self.layout.t_max
        pad = max(hi - lo, DAY) * 0.03 + DAY / 2
        t0 = o.t0 if o.t0 is not None else max(lo - pad, T_MIN)
        t1 = o.t1 if o.t1 is not None else min(hi + pad, T_MAX)
        return t0, t1

    def page(self) -> Page:
        o = self.options
        t0, t1 = self.time_range()
        if t1 <= t0:
            raise ExportError("the end of the range comes before its start")
        width = float(o.width or MIN_PNG_WIDTH)
        title_h = 0.0
        if self.title():
            title_h += QtGui.QFontMetricsF(self.title_font).height() + 4
        if self.subtitle():
            title_h += QtGui.QFontMetricsF(self.chart.font).height() + 8
        title_h += 6
        header_w = self.header_width()
        legend_room = width - 2 * MARGIN - header_w
        legend_h = self.chart.legend_size(legend_room).height() + 12 if o.legend else 0.0
        demands_h = functools.partial(_demands_height, self, legend_room, (t0, t1))
        vp = Viewport(t0, t1, MARGIN + header_w, width - MARGIN, 0.0, 1.0)
        naming = self.paint_options(t0, t1, {})  # to find which events it cannot name
        events = eventlist.unnamed(self.chart, self.layout, vp, naming)
        unnamed, footnotes = eventlist.listing(events, self.layout)
        listed_h = eventlist.size(self.chart, unnamed, legend_room)
        sources = cited_sources(self.project, t0, t1) if o.source_line else []
        sources_h = 0.0
        if sources:
            fm = QtGui.QFontMetricsF(self.small_font)
            text = "Sources: " + "; ".join(sources)
            lines = max(1, int(fm.horizontalAdvance(text) // (width - 2 * MARGIN)) + 1)
            sources_h = lines * fm.height() + 8
        lanes_h = max(context.chart_height(self.layout, o.context), 40.0)
        below = AXIS_HEIGHT + legend_h + sources_h + MARGIN  # and the lists of demands, events
        needed = MARGIN + title_h + AXIS_HEIGHT + lanes_h + below + demands_h() + listed_h
        height = float(o.height or needed)
        plot_top = MARGIN + title_h + AXIS_HEIGHT
        plot_h = max(40.0, height - plot_top - below - demands_h() - listed_h)
        if o.height and plot_h < lanes_h:  # lanes cut off: list only what those shown hold
            room = height - plot_top - below
            lanes_bottom, (unnamed, footnotes) = eventlist.lanes_that_fit(
                self.chart, self.layout, events, (room, legend_room), plot_h, demands_h
            )
            listed_h = eventlist.size(self.chart, unnamed, legend_room)
            last = lanes_bottom >= self.layout.height  # room under every lane: context rows'
            plot_h = max(
                40.0, min(lanes_h, room - listed_h - demands_h()) if last else lanes_bottom
            )
        left_out = sum(lane.bottom > plot_h + 0.5 for lane in self.layout.lanes)
        legend_h += demands_h(len(self.layout.lanes) - left_out if left_out else None) + listed_h
        plot = QtCore.QRectF(MARGIN + header_w, plot_top, width - 2 * MARGIN - header_w, plot_h)
        header = QtCore.QRectF(MARGIN, plot_top, header_w, plot_h)
        return Page(
            width,
            height,
            title_h,
            plot,
            header,
            self.layout,
            t0,
            t1,
            plot.bottom() + AXIS_HEIGHT + legend_h,
            sources,
            unnamed,
            footnotes,
            replace(self.paint_options(t0, t1, footnotes), context=o.context),
            left_out,
        )

    def view(self, t0: float, t1: float, footnotes: dict | None = None) -> ChartView:
        """What the picture shows, as the screen's view model says it: with `footnotes`,
        every event is named beside its mark or by its number."""
        o = self.options
        view = ChartView(
            t0,
            t1,
            show_demands=o.show_demands,
            show_phases=o.show_phases,
            show_legend=o.legend,
            show_numbers=self.numbered(),
            number_span=(t0, t1),  # the key lists only the arrows drawn
            footnotes=footnotes,
            picture=True,
        )
        view.pin(self.project.events)
        return view

    def paint_options(self, t0: float, t1: float, footnotes: dict | None = None) -> PaintOptions:
        return self.view(t0, t1, footnotes).paint_options(frozenset())

    def numbered(self) -> bool:
        """Whether the arrows carry numbers, listed with their demands under the chart."""
        o = self.options
        span = self.time_range()
        return o.demand_list and o.show_demands and bool(legend.demand_lines(self.layout, span))

    def title(self) -> str:
        return self.options.title if self.options.title is not None else self.project.title

    def subtitle(self) -> str:
        if self.options.subtitle is not None:
            return self.options.subtitle
        t0, t1 = self.time_range()
        span = f"{_day(max(t0, self.layout.t_min))} – {_day(min(t1, self.layout.t_max) - 1)}"
        return f"{self.project.description} · {span}" if self.project.description else span

    def viewport(self, page: Page) -> Viewport:
        return Viewport(
            page.t0,
            page.t1,
            page.plot.left(),
            page.plot.right(),
            page.plot.top(),
            page.plot.bottom(),
            0.0,
        )

    def paint(self, p: QtGui.QPainter, page: Page, lists: bool = True) -> None:
        """The whole chart on one painter (PNG, PDF); without `lists`, what is below it."""
        parts = self.parts(page)
        for n, part in enumerate(parts):
            self.options.step(n, len(parts) + 1)  # the last step: encoding and writing
            if part == "foot":
                self.paint_foot(p, page, lists=lists)
            else:
                self.paint_part(p, page, part)

    def parts(self, page: Page) -> list[str]:
        """What the chart is made of, bottom to top: the painter's parts in its order, one
        per lane for its lane layers (so SVG output can group by lane), then the foot."""
        out = []
        for part in PARTS:
            if part == "lane":
                out += [f"lane:{i}" for i in range(len(page.layout.lanes))]
            elif part != "overlay":  # drag feedback: the screen's only
                out.append(part)
        return [*out, "foot"]

    def paint_part(self, p: QtGui.QPainter, page: Page, part: str) -> None:
        o = self.options
        if part == "foot":
            self.paint_foot(p, page)
            return
        vp = self.viewport(page)
        options = page.paint_options
        if part == "backdrop":  # a picture's first part: no label of another is in it
            self.chart.style.label_boxes.clear()
            if not o.transparent:
                p.fillRect(
                    QtCore.QRectF(0, 0, page.width, page.height),
                    QtGui.QColor(self.chart.theme.background),
                )
            paint_titles(self.chart, p, self.title(), self.subtitle(), self.title_font, page.width)
            paint_axis(self.chart, p, vp, page.plot.top() - AXIS_HEIGHT, True, self.ticks)
            paint_axis(self.chart, p, vp, page.plot.bottom(), False, self.ticks)
        lane_i = int(part[5:]) if part.startswith("lane:") else None
        if lane_i is not None:
            lane = page.layout.lanes[lane_i]
            if lane.bottom <= vp.layout_y(vp.top) or lane.top >= vp.layout_y(vp.bottom):
                return
        p.save()
        p.setClipRect(page.plot)
        name = "lane" if lane_i is not None else part
        self.chart.paint_part(p, page.layout, vp, options, name, lane_i)
        p.restore()
        if lane_i is not None:
            self.paint_header(p, page, vp, lane_i)

    def paint_header(self, p: QtGui.QPainter, page: Page, vp: Viewport, lane_i: int) -> None:
        lane = page.layout.lanes[lane_i]
        header_vp = replace(
            vp,
            left=page.header.left(),
            right=page.header.right(),
            top=max(vp.y(lane.top) + 0.5, vp.top),
            bottom=min(vp.y(lane.bottom) - 0.5, vp.bottom),
        )
        header_vp.y_offset = vp.y_offset + (header_vp.top - vp.top)
        p.save()
        p.setClipRect(page.header)
        self.chart.paint_headers(
            p, page.layout, header_vp, page.header.width(), page.header.left(), toggles=False
        )
        p.restore()

    def paint_foot(self, p: QtGui.QPainter, page: Page, frame=True, lists=True) -> None:
        """The frame around lanes and plot; below, from `lists_top`, the legend, the lists
        and the sources (a comparison puts those of each chart under them all)."""
        theme = self.chart.theme
        if frame:
            p.setPen(QtGui.QPen(QtGui.QColor(theme.separator), 1))
            p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
            plot, left = page.plot, page.header.left()
            p.drawRect(QtCore.QRectF(left, plot.top(), plot.right() - left, plot.height()))
        if not lists:
            return
        below = lists_top(page)
        if self.options.legend:
            below = (
                self.chart.paint_legend(
                    p, QtCore.QPointF(page.plot.left(), below), page.plot.width()
                ).bottom()
                + 6
            )
        if self.numbered():
            span, width = (page.t0, page.t1), page.plot.width()
            shown = len(page.layout.lanes) - page.lanes_left_out if page.lanes_left_out else None
            at = QtCore.QPointF(page.plot.left(), below)
            self.chart.paint_demand_list(p, page.layout, at, width, span, shown)
            below += _demands_height(self, width, span, shown)
        eventlist.paint_left_out(self.chart, p, page, self.small_font)
        heading = eventlist.HEADING if page.footnotes else "Events not named"
        at = QtCore.QPointF(page.plot.left(), below)
        eventlist.paint(self.chart, p, page.unnamed, at, page.plot.width(), heading)
        if page.sources:
            p.setFont(self.small_font)
            p.setPen(QtGui.QColor(theme.muted))
            rect = QtCore.QRectF(
                MARGIN, page.footer_y + 4, page.width - 2 * MARGIN, page.height - page.footer_y
            )
            p.drawText(rect, QtCore.Qt.TextFlag.TextWordWrap, "Sources: " + "; ".join(page.sources))

    # ------------------------------------------------------------ formats

    def png_scale(self) -> float:
        """Device pixels per page pixel: the scale, and the resolution when no width is given."""
        o = self.options
        return o.scale * (o.dpi / 96.0 if o.width is None else 1.0)

    def png_bytes(self) -> bytes:
        return png_bytes_of(self.image(), self.options.transparent)

    @collector_held
    def image(self) -> QtGui.QImage:
        """The PNG's picture, not yet encoded (the export dialog's preview)."""
        page = self.page()
        scale = self.png_scale()
        check_size(page, scale)
        return image_of(
            lambda p: self.paint(p, page), page.width, page.height, scale, self.options.dpi
        )

    @collector_held
    def svg_bytes(self) -> bytes:
        """Vector output with real text, one <g> per lane (see app/exporters/svgparts.py)."""
        page = self.page()
        check_size(page)
        return svg_document(self, page)

    @collector_held
    def pdf_bytes(self) -> bytes:
        page = self.page()
        check_size(page)
        return pdf_of(lambda p: self.paint(p, page), page.width, page.height, self.title())

    def write(self, path: str, replace_read_only: bool = True) -> None:
        """Render by the file's suffix and write it atomically."""
        if self.project.conflicts:
            many = counted(len(self.project.conflicts), "unresolved merge conflict")
            raise ExportError(f"the project has {many}: resolve them first")
        suffix = os.path.splitext(path)[1].lower()
        render = {".png": self.png_bytes, ".svg": self.svg_bytes, ".pdf": self.pdf_bytes}.get(
            suffix
        )
        if render is None:
            raise ExportError(f"cannot tell the format of '{path}': use .png, .svg or .pdf")
        data = render()
        self.options.step(1, 1)  # a last look before the file is touched: cancelled, it is not
        write_atomic(path, data, replace_read_only=replace_read_only)


def lists_top(page: Page) -> float:
    """Where what is below the chart begins (the legend, the lists, the sources)."""
    return page.plot.bottom() + AXIS_HEIGHT + 6


def check_size(page: Page, scale: float = 1.0) -> None:
    """Refuse a picture larger than MAX_PIXELS, saying how to make it smaller."""
    width, height = page.width * scale, page.height * scale
    if width * height > MAX_PIXELS:
        raise ExportError(
            f"the chart would be {width:.0f} x {height:.0f} px, more than the limit of "
            f"{MAX_PIXELS // 1_000_000} megapixels: show fewer lanes (--actors), a shorter "
            "span (--from, --to), a smaller --height, or a lower --dpi"
        )


def paint_titles(
    chart: ChartPainter,
    p: QtGui.QPainter,
    title: str,
    subtitle: str,
    font: QtGui.QFont,
    width: float | None = None,
) -> None:
    """The chart's title in `font`, and its subtitle below; within `width` px when given
    (the subtitle shortened in its middle, so the date span at its end stays)."""
    theme = chart.theme
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
    y = MARGIN
    if title:
        p.setFont(font)
        p.setPen(QtGui.QColor(theme.text))
        fm = QtGui.QFontMetricsF(font)
        p.drawText(QtCore.QPointF(MARGIN, y + fm.ascent()), title)
        y += fm.height() + 4
    if subtitle:
        p.setFont(chart.font)
        p.setPen(QtGui.QColor(theme.muted))
        if width is not None:
            subtitle = chart.metrics.elidedText(
                subtitle, QtCore.Qt.TextElideMode.ElideMiddle, width - 2 * MARGIN
            )
        p.drawText(QtCore.QPointF(MARGIN, y + chart.metrics.ascent()), subtitle)


def paint_axis(
    chart: ChartPainter,
    p: QtGui.QPainter,
    vp: Viewport,
    y: float,
    top: bool,
    ticks: Callable[[float, float, float], list[tuple[float, str]]] = axis.ticks,
) -> None:
    """A time axis along the plot's top or bottom edge: a line, ticks and their labels."""
    theme = chart.theme
    p.setFont(chart.font)
    fm = chart.metrics
    baseline = y + AXIS_HEIGHT - 1 if top else y
    p.setPen(QtGui.QPen(QtGui.QColor(theme.separator), 1))
    p.drawLine(QtCore.QPointF(vp.left, baseline), QtCore.QPointF(vp.right, baseline))
    for t, label in ticks(vp.t0, vp.t1, vp.right - vp.left):
        x = vp.x(t)
        p.setPen(QtGui.QPen(QtGui.QColor(theme.separator), 1))
        p.drawLine(QtCore.QPointF(x, baseline), QtCore.QPointF(x, baseline + (-5 if top else 5)))
        p.setPen(QtGui.QColor(theme.muted))
        w = fm.horizontalAdvance(label)
        if x - w / 2 < vp.left - 2 or x + w / 2 > vp.right + 2:
            continue
        ty = y + AXIS_HEIGHT - 8 if top else y + fm.ascent() + 6
        p.drawText(QtCore.QPointF(x - w / 2, ty), label)
