"""The chart's look and its caches: theme, fonts, brushes, label texts and widths, lane
colours and small pictures. One `Style` is shared by every layer of one painter; each
cache is bounded."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui

from app.chart.base import LabelBoxes
from app.chart.lanerecords import LaneRecords, field
from app.chart.layout import Layout
from app.chart.theme import Theme, actor_color


class BoundedCache(dict):
    """A dict that forgets everything when it grows past `limit`: the entries are cheap to
    make again, and a frame needs few of them."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit and key not in self:
            self.clear()
        super().__setitem__(key, value)


def qcolor(hex_: str, alpha: int = 255) -> QtGui.QColor:
    c = QtGui.QColor(hex_)
    c.setAlpha(alpha)
    return c


def mixed(base: str, over: str, alpha: int) -> str:
    """`over` at `alpha` (0-255) laid on the opaque `base`, as an opaque colour."""
    a, b = QtGui.QColor(base), QtGui.QColor(over)
    f = alpha / 255

    def channel(x: int, y: int) -> int:
        return round(x + (y - x) * f)

    return QtGui.QColor(
        channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue())
    ).name()


def is_vector(p: QtGui.QPainter) -> bool:
    """Painting into SVG or PDF, where pictures are drawn as shapes rather than blitted."""
    return p.paintEngine().type() in (QtGui.QPaintEngine.Type.SVG, QtGui.QPaintEngine.Type.Pdf)


def luminance(color: QtGui.QColor) -> float:
    return 0.299 * color.redF() + 0.587 * color.greenF() + 0.114 * color.blueF()


def readable_on(color: QtGui.QColor) -> QtGui.QColor:
    return QtGui.QColor("#101418") if luminance(color) > 0.6 else QtGui.QColor("#ffffff")


class Style:
    """Theme, fonts and caches shared by the layers."""

    def __init__(self, theme: Theme, font: QtGui.QFont | None = None):
        self.theme = theme
        self.font = QtGui.QFont(font) if font else QtGui.QFont()
        if not font:
            self.font.setPointSizeF(9.0)
        self.bold = QtGui.QFont(self.font)
        self.bold.setBold(True)
        self.metrics = QtGui.QFontMetricsF(self.font)
        # A label shortened to fewer letters than this says nothing: it is left out.
        self.min_label_room = self.metrics.horizontalAdvance("Abcdef…")
        self.note_room = QtGui.QFontMetricsF(self.bold).horizontalAdvance("E88") + 6  # a number
        # Titles as static text, by event id, with the title they were made for and width.
        self.labels: BoundedCache = BoundedCache(400_000)
        self.elided_labels: BoundedCache = BoundedCache(20_000)
        self.widths: BoundedCache = BoundedCache(200_000)  # title widths in px, by title
        self.brushes: BoundedCache = BoundedCache(2_000)
        self.pixmaps: BoundedCache = BoundedCache(500)  # atlases, glyphs and the legend
        self.texts: BoundedCache = BoundedCache(1_000)  # elided phase titles and the like
        self.shown_colors: BoundedCache = BoundedCache(
            1_000
        )  # actor colours as the theme shows them
        self.labels_drawn = 0  # in the last frame
        self.context_legend = ()  # what of the context it explains: chart.context.legend_state
        self.label_boxes = LabelBoxes()  # where labels were drawn, for picking
        self.glyph_font = QtGui.QFont(self.bold)
        self.glyph_font.setPointSizeF(self.font.pointSizeF() + 1)

    def brush(
        self, hex_: str, alpha: int = 255, style=QtCore.Qt.BrushStyle.SolidPattern
    ) -> QtGui.QBrush:
        key = (hex_, alpha, style)
        b = self.brushes.get(key)
        if b is None:
            b = self.brushes[key] = QtGui.QBrush(qcolor(hex_, alpha), style)
        return b

    def label(self, event_id: str, title: str) -> tuple[QtGui.QStaticText, float]:
        """A cached static text for an event's title and its width in px."""
        cached = self.labels.get(event_id)
        if cached is None or cached[0] != title:
            st = QtGui.QStaticText(title)
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), self.font)
            cached = self.labels[event_id] = (title, st, self.metrics.horizontalAdvance(title))
        return cached[1], cached[2]

    def elided(self, event_id: str, title: str, room: float) -> QtGui.QStaticText:
        """A title shortened with an ellipsis to fit `room`, in steps of 16 px so it caches."""
        step = int(room // 16) * 16
        key = (event_id, title, step)
        st = self.elided_labels.get(key)
        if st is None:
            st = QtGui.QStaticText(
                self.metrics.elidedText(title, QtCore.Qt.TextElideMode.ElideRight, step)
            )
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            st.prepare(QtGui.QTransform(), self.font)
            self.elided_labels[key] = st
        return st

    def forget_labels(self, ids) -> None:
        for i in ids:
            self.labels.pop(i, None)

    def label_widths(self, data, ks: np.ndarray | None = None) -> np.ndarray:
        """Each event's title width in px, measured once per lane arrangement: of every
        event, or (with `ks`) of the events at `ks` at least, the others NaN until asked
        for (a frame of the whole span measures only the titles that may have room)."""
        n = len(data.events)
        if data.label_px is None or len(data.label_px) != n:
            data.label_px = np.full(n, np.nan)
        px = data.label_px
        unknown = np.isnan(px if ks is None else px[ks])
        if unknown.any():  # events not measured yet, or added to the lane since
            missing = (np.flatnonzero(unknown) if ks is None else ks[unknown]).tolist()
            px[missing] = self.title_widths(field(data.events, "title", missing))
        return px

    def title_widths(self, titles: list[str]) -> list[float]:
        """Titles' widths in px, each measured once (then remembered: lanes are re-stacked
        often, titles rarely change)."""
        widths, measure = self.widths, self.metrics.horizontalAdvance
        if len(widths) + len(titles) > widths.limit:
            widths.clear()
        out = []
        for title in titles:
            width = widths.get(title)
            if width is None:
                width = measure(title)
                dict.__setitem__(widths, title, width)  # room made above
            out.append(width)
        return out

    def label_width(self, title: str) -> float:
        """A title's width in px (`title_widths`)."""
        return self.title_widths([title])[0]

    def longest_label(self, data) -> float:
        """How long the lane's longest title may be, in px: measured, once every title is;
        before, for a lane of a store's rows, a bound from the most bytes a title takes
        (a character takes one byte or more, and is no wider than the font's widest one
        for each): the first edit in a lane of 20,000 titles measured them all, 0.2 s."""
        if not len(data.events):
            return 0.0
        px = data.label_px
        if isinstance(data.events, LaneRecords) and (px is None or np.isnan(px).any()):
            return data.events.most_bytes("title") * self.metrics.maxWidth()
        return float(self.label_widths(data).max())

    def lane_color(self, layout: Layout, lane_i: int) -> str:
        """The lane's actor colour, as the theme shows it (`shown`)."""
        return self.shown(actor_color(layout.lanes[lane_i].actor.color, lane_i))

    def shown(self, color: str) -> str:
        """A colour as the theme shows it: lightened on a dark background where it is too
        dark to stand out (an outlined mark in navy on near-black is lost, and a plum
        context strip)."""
        if not self.theme.dark:
            return color
        shown = self.shown_colors.get(color)
        if shown is None:
            c = QtGui.QColor(color)
            for _ in range(12):
                if luminance(c) >= 0.45:
                    break
                c = c.lighter(112)
            shown = self.shown_colors[color] = c.name()
        return shown

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.brushes.clear()
        self.pixmaps.clear()  # the legend's swatches draw in the theme's colours
        self.texts.clear()
        self.shown_colors.clear()

    def cached_pixmap(self, key: tuple, size: tuple[int, int], ratio: float, draw) -> QtGui.QPixmap:
        """A small antialiased picture drawn once per key (theme included) and reused:
        blitting is far cheaper than drawing text or polygons per event."""
        key = (*key, ratio, self.theme.name)
        pixmap = self.pixmaps.get(key)
        if pixmap is None:
            pixmap = QtGui.QPixmap(int(size[0] * ratio), int(size[1] * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(QtCore.Qt.GlobalColor.transparent)
            q = QtGui.QPainter(pixmap)
            q.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            draw(q)
            q.end()
            self.pixmaps[key] = pixmap
        return pixmap
