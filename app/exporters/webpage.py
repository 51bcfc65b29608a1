"""The chart as one self-contained web page that works offline: the pictures painted by the
same `ChartPainter` and layer list as the editor, at a few zoom levels, with the records as
data for the page's own script (resources/page/) to hover, search and tabulate.

    WebPage(project, options).html() -> str

Zoom works like a map's: each level is painted for its scale (labels laid out for it), and
the page shows one level at a time. Text reaches the browser as SVG text escaped by the SVG
writer, or as JSON that the script puts into the page with textContent only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import string
from dataclasses import replace
from datetime import UTC, datetime
from functools import cached_property
from html import escape

from PySide6 import QtCore

from app.chart import PaintOptions, Viewport, context, metrics
from app.chart.layout import LANE_PADDING
from app.exporters.common import Sayer
from app.exporters.images import AXIS_HEIGHT, HEADER_CAP, ChartExporter, paint_axis
from app.exporters.options import ExportError, ExportOptions
from app.exporters.webpagesvg import characters, svg
from app.fileformat import resources, spec
from app.fileformat.atomic import write_atomic
from app.records import filter as filters
from app.records.model import Project
from app.records.plural import counted
from app.records.when import When

FIRST_WIDTH = 960.0  # px: the first level fits the whole span in a laptop's window (1280 px)
LEVEL_STEP = 3.0  # each level is this much wider than the one before
MOST_PX_PER_DAY = 100.0  # no level beyond the one that shows a day this wide
MOST_LEVELS = 5
MOST_BYTES = 40_000_000  # no further level once the pictures reach this size
# The fields a tooltip has a place of its own for: its headline and its date.
EVENT_SLOTS, DEMAND_SLOTS = ("title", "when"), ("text", "raised")
# Not a field of an event but of the events that answer it: said after its own.
ANSWERED_BY = {"key": "answered_by", "label": "Answered by", "help": "", "editor": "text"}


class WebPage:
    def __init__(self, project: Project, options: ExportOptions | None = None):
        # Painted light: a reader's dark mode inverts the pictures (see page.css).
        options = replace(options or ExportOptions(), theme="light", demand_list=False)
        self.exporter = ChartExporter(project, options)
        self.project = self.exporter.project
        self.layout = self.exporter.layout
        self.chart = self.exporter.chart
        self.t0, self.t1 = self.exporter.time_range()
        self.lanes_h = max(context.chart_height(self.layout, self.exporter.options.context), 40.0)
        self._whens: dict[When, dict] = {}  # each date as written and in words
        self._dated: dict[tuple, list[tuple[str, str]]] = {}  # what `times` says, by kind

    # ------------------------------------------------------------ pictures

    def level_widths(self) -> list[float]:
        days = max((self.t1 - self.t0) / 86400, 1e-3)
        widths = [FIRST_WIDTH]
        while len(widths) < MOST_LEVELS and widths[-1] / days < MOST_PX_PER_DAY:
            widths.append(widths[-1] * LEVEL_STEP)
        return widths

    def viewport(self, width: float) -> Viewport:
        return Viewport(self.t0, self.t1, 0.0, width, 0.0, self.lanes_h)

    def plot_svg(self, width: float) -> bytes:
        """The lanes at `width` px, as an <svg> element in UTF-8 (as are the others)."""
        o = self.exporter.options
        options = PaintOptions(
            show_demands=o.show_demands,
            show_phases=o.show_phases,
            pinned={e.id: e.label for e in self.project.events if e.label},  # titles on or off
            context=o.context,
        )
        vp = self.viewport(width)
        return svg(
            width,
            self.lanes_h,
            lambda p: self.chart.paint(p, self.layout, vp, options),
            self.chart.theme.background,
        )

    def axis_svg(self, width: float) -> bytes:
        vp = self.viewport(width)
        return svg(width, AXIS_HEIGHT, lambda p: paint_axis(self.chart, p, vp, 0.0, top=True))

    def names_svg(self) -> tuple[float, bytes]:
        width = self.chart.header_width(self.layout, HEADER_CAP)
        vp = self.viewport(width)
        return width, svg(
            width,
            self.lanes_h,
            lambda p: self.chart.paint_headers(p, self.layout, vp, width, 0.0, toggles=False),
            self.chart.theme.background,
        )

    def legend_svg(self) -> bytes:
        size = self.chart.legend_size(FIRST_WIDTH)
        return svg(
            size.width() + 2,
            size.height() + 2,
            lambda p: self.chart.paint_legend(p, QtCore.QPointF(1, 1), FIRST_WIDTH),
        )

    def levels(self) -> list[dict]:
        out, total = [], 0
        widths = self.level_widths()
        for n, width in enumerate(widths):
            self.exporter.options.step(n + 1, len(widths) + 1)  # the records were step 0
            level = {"width": width, "axis": self.axis_svg(width), "plot": self.plot_svg(width)}
            out.append(level)
            total += len(level["plot"])
            # Characters counted, as when the pictures were text, only once their bytes
            # (never fewer) pass the limit.
            if total > MOST_BYTES and sum(characters(d["plot"]) for d in out) > MOST_BYTES:
                break
        return out

    # ------------------------------------------------------------ records

    def records(self) -> dict:
        """What the page's script needs: lanes, and each event and demand with where it is
        drawn (time in seconds, y in px from the top of the lanes) and what it says."""
        return {
            "title": self.exporter.title(),
            "subtitle": self.exporter.subtitle(),  # the description and the date span
            "t0": self.t0,
            "t1": self.t1,
            "height": self.lanes_h,
            "geometry": metrics.geometry(),  # the page picks with the sizes drawn with
            "fields": self.fields(),  # what the tooltip says of each kind, from the spec
            "columns": {"events": self.columns("events"), "demands": self.columns("demands")},
            "events": self.events(),
            "demands": self.demands(),
            "views": self.views(),
            "sources": [
                {
                    "title": s.title,
                    "publisher": s.publisher,
                    "url": s.url,
                    "published": s.published.text if s.published else "",
                }
                for s in self.project.sources
            ],
        }

    def events(self) -> list[dict]:
        """By start, as the page looks them up: each with its row's top and height."""
        layout, rh = self.layout, self.layout.row_height
        out = []
        for i, data in enumerate(layout.lane_events):
            top = layout.lanes[i].top + LANE_PADDING
            # Each lane's numbers made Python's at once: read one by one, each is first
            # made a numpy scalar.
            numbers = zip(
                data.lo.tolist(),
                data.hi.tolist(),
                data.bar.tolist(),
                data.row.tolist(),
                strict=True,
            )
            for e, (lo, hi, bar, row) in zip(data.events, numbers, strict=False):
                out.append(
                    {
                        "id": e.id,
                        "lo": float(lo),
                        "hi": float(hi),
                        "bar": bool(bar),
                        "y": top + int(row) * rh,
                        "h": rh,
                        "title": e.title,
                        "when": self.when(e.when),
                        "said": self.said("events", e, EVENT_SLOTS),
                        **self.times("events", e, EVENT_SLOTS),
                    }
                )
        out.sort(key=lambda r: (r["lo"], r["id"]))
        return out

    def when(self, w: When | None) -> dict | None:
        """A date as written and in words (the same dict for the same date)."""
        if w is None:
            return None
        said = self._whens.get(w)
        if said is None:
            said = self._whens[w] = {"text": w.text, "words": w.describe()}
        return said

    def said(self, kind: str, record, slots: tuple[str, ...]) -> dict:
        """What the tooltip says beyond its headline and date (`slots`): each field's
        words by its key, from the record spec; an event also by what answers it."""
        out = {f.key: value for f, value in self.sayer.said(kind, record, slots)}
        if kind == "events" and self.answered_by.get(record.id):
            out[ANSWERED_BY["key"]] = ", ".join(self.answered_by[record.id])
        return out

    def times(self, kind: str, record, slots: tuple[str, ...]) -> dict:
        """{"times": {key: seconds}} for the dates said in words (a demand's resolved), so
        that a table sorts them by time; {} when the record has none."""
        dated = self._dated.get((kind, slots))
        if dated is None:
            dated = self._dated[kind, slots] = [
                (f.key, f.attr)
                for f in spec.BY_NAME[kind].fields
                if f.type == spec.WHEN and f.said and f.key not in slots
            ]
        times = {
            key: when.lo if when.lo is not None else when.hi
            for key, attr in dated
            if (when := getattr(record, attr)) is not None
        }
        return {"times": times} if times else {}

    def fields(self) -> dict[str, list[dict]]:
        """The fields the tooltip may say, in the spec's order, with their labels and how
        each is shown (its editor: notes as a paragraph, citations as links)."""

        def said(kind: str) -> list[dict]:
            keys = {f.key for f in spec.BY_NAME[kind].fields if f.said and f.type != spec.ID}
            return [f for f in spec.field_list(kind) if f["key"] in keys]

        return {"events": [*said("events"), ANSWERED_BY], "demands": said("demands")}

    def columns(self, kind: str) -> list[dict]:
        """The tables' columns, as the spec lists a kind's (`Kind.columns`): its title and
        its date (the tooltip's slots), and the other fields the tooltip says."""
        title, date = EVENT_SLOTS if kind == "events" else DEMAND_SLOTS
        slots = {title: "title", date: "date"}
        return [
            {
                "key": f.key,
                "label": f.title,
                "slot": slots.get(f.key, ""),
                "time": f.type == spec.WHEN,
            }
            for f in spec.BY_NAME[kind].columns()
            if f.type != spec.ID and (f.said or f.key in slots)
        ]

    @cached_property
    def sayer(self) -> Sayer:
        return Sayer(self.project)

    @cached_property
    def answered_by(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for e in self.project.events:
            for r in e.responds_to:
                out.setdefault(r, []).append(e.title)
        return out

    def views(self) -> list[dict]:
        """Each saved view and the ids of what it shows, for the page's views menu."""
        out = []
        for v in self.project.views:
            shown = filters.shown(self.project, filters.of_view(v))
            out.append({"title": v.title, "ids": [r.id for r in (*shown.events, *shown.demands)]})
        return out

    def demands(self) -> list[dict]:
        """By date raised: each with where its arrow is drawn (its date, the px it stands
        aside from others of that day, and the centres of the lanes it spans)."""
        index, layout = self.layout.demand_index, self.layout
        if index is None or not self.exporter.options.show_demands:
            return []
        centres = layout.lane_centres()
        out = []
        for k in range(len(index.x)):
            d = layout.demands[int(index.order[k])].demand
            out.append(
                {
                    "id": d.id,
                    "t": float(index.x[k]),
                    "shift": float(index.shift[k]),
                    "y0": float(centres[index.lane_lo[k]]),
                    "y1": float(centres[index.lane_hi[k]]),
                    "title": d.text,
                    "when": self.when(d.raised),
                    "said": self.said("demands", d, DEMAND_SLOTS),
                    **self.times("demands", d, DEMAND_SLOTS),
                }
            )
        return out

    # ------------------------------------------------------------ the page

    def html(self) -> str:
        return b"".join(self.page()).decode("utf-8")

    def page(self) -> list[bytes]:
        """The page's HTML in UTF-8, in parts (the pictures are most of it)."""
        script = resources.path("page/page.js").read_text("utf-8")
        style = resources.path("page/page.css").read_text("utf-8")
        self.exporter.options.step(0, 1)
        data = self.records()
        names_w, names = self.names_svg()
        levels = self.levels()
        data["levels"] = [level["width"] for level in levels]
        data["names_width"] = names_w
        # JSON inside <script>: "<" written as an escape, so no text can end the element.
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
        # Each level as inert text, parsed only when shown: a browser parses a 10,000-event
        # picture in a few hundred ms, and a reader may never zoom.
        templates = []
        for i, level in enumerate(levels):
            templates += [
                f'<script type="text/plain" id="level-{i}"><div class="axis-svg">'.encode(),
                level["axis"],
                b'</div><div class="plot-svg">',
                level["plot"],
                b"</div></script>\n",
            ]
        title = escape(data["title"] or "Timeline")
        generated = datetime.now(UTC).strftime("%-d %b %Y")
        return _fill(
            csp=csp(script).encode(),
            title=title.encode(),
            style=style.encode(),
            script=script.encode(),
            data=blob.encode(),
            templates=b"".join(templates),
            names=names,
            legend=self.legend_svg(),
            generated=generated.encode(),
        )

    def write(self, path: str, replace_read_only: bool = True) -> None:
        if self.project.conflicts:
            many = counted(len(self.project.conflicts), "unresolved merge conflict")
            raise ExportError(f"the project has {many}: resolve them first")
        parts = self.page()
        self.exporter.options.step(1, 1)  # a last look before the file is touched

        def write(out) -> None:
            for part in parts:
                out(part)

        write_atomic(path, write, replace_read_only=replace_read_only)


def _fill(**values: bytes) -> list[bytes]:
    """PAGE with each {name} replaced, as `PAGE.format` would, in UTF-8 parts."""
    out = []
    for literal, name in _PAGE_PARTS:
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return out


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def csp(script: str) -> str:
    """No request of any kind: only the page's own script runs (by its hash); styles inline
    (they cannot fetch: fonts and images other than data: are refused)."""
    return (
        "default-src 'none'; "
        f"script-src {_sha256(script)}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Demarche">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header class="page-head">
<h1 id="title"></h1>
<p id="description"></p>
<div class="controls" role="toolbar" aria-label="Chart">
<button type="button" id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
<button type="button" id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
<button type="button" id="zoom-fit" title="Whole span (0)">Fit</button>
<button type="button" id="pan-left" title="Earlier (←)" aria-label="Earlier">◀</button>
<button type="button" id="pan-right" title="Later (→)" aria-label="Later">▶</button>
<span id="range" aria-live="polite"></span>
<select id="views" aria-label="Saved views" hidden><option value="">All (no view)</option></select>
<input type="search" id="search" placeholder="Search ( / )" aria-label="Search events and demands" autocomplete="off">
<span id="count" aria-live="polite"></span>
</div>
</header>
<main>
<div id="chart" class="chart" tabindex="0" aria-label="Timeline chart: drag or use the arrow keys to move, + and - to zoom">
<div class="grid" id="grid">
<div class="corner"></div>
<div class="axis" id="axis"></div>
<div class="names">{names}</div>
<div class="plot" id="plot"><div id="picture"></div><svg id="hits" class="hits" xmlns="http://www.w3.org/2000/svg"></svg></div>
</div>
</div>
<div id="tip" class="tip" role="tooltip" hidden></div>
<section class="legend" aria-label="Legend">{legend}</section>
<section id="results" class="results" hidden><h2>Matches</h2><ol id="result-list"></ol></section>
<section class="tables">
<h2>Events <span class="n" id="events-n"></span></h2>
<div class="table-wrap"><table id="events-table"></table></div>
<button type="button" class="more" id="events-more" hidden></button>
<h2>Demands <span class="n" id="demands-n"></span></h2>
<div class="table-wrap"><table id="demands-table"></table></div>
<button type="button" class="more" id="demands-more" hidden></button>
</section>
</main>
<footer>
<h2>Sources</h2>
<ol id="sources"></ol>
<p class="made">Made with Demarche on {generated}. This page works offline and loads nothing.</p>
</footer>
{templates}<script type="application/json" id="data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
# PAGE as `str.format` reads it: text, then the name of what follows it (None at the end).
_PAGE_PARTS = [(literal.encode(), name) for literal, name, _, _ in string.Formatter().parse(PAGE)]
