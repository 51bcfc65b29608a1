"""Mouse drags on the plot: one small class per kind of drag.

The canvas starts one with `begin` on the press, calls `update` on each move (with the
pointer in chart coordinates: time in seconds, layout y) and `finish` on the release,
which turns the drag into one edit (app/editing/edits.py), so a drag is one undo step.
A gesture sees the chart through a `Surface`: its view (app/chart/view.py), the document,
the function that applies an edit and the one that says something; never the canvas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import NamedTuple

from PySide6 import QtCore, QtGui

from app.chart import Ghost, Viewport, hittest, snap
from app.chart.theme import Theme
from app.chart.view import ChartView
from app.editing import edits
from app.editing.document import Document
from app.records.model import Event
from app.records.when import WhenError, parse, point_at

Mods = QtCore.Qt.KeyboardModifier
Button = QtCore.Qt.MouseButton


def _nothing(*_args) -> None:
    pass


class Surface(NamedTuple):
    """What a gesture or a menu works on: the chart's view, the document, `apply(cmd,
    select=None, edit=None)` to push an edit, and `say(text)` for the status bar; for the
    menus (widgets/canvasmenus.py), the widget they open over and what they ask of the
    window: `edit(id)` in the inspector, `delete()` the selection (it asks first) and
    `duplicate()` it."""

    view: ChartView
    doc: Document
    apply: Callable
    say: Callable[[str], None]
    widget: object = None  # a QWidget: the parent of a menu or a dialog
    edit: Callable[[str], None] = _nothing
    delete: Callable[[], None] = _nothing
    duplicate: Callable[[], None] = _nothing


class Gesture:
    """A drag from (t0, y0); `t`, `y` follow the pointer."""

    def __init__(self, surface: Surface, t: float, y: float):
        self.surface = surface
        self.view, self.doc = surface.view, surface.doc
        self.t0, self.y0 = t, y
        self.t, self.y = t, y
        self.ghosts: list[Ghost] = []

    def update(self, t: float, y: float, free: bool) -> None:
        self.t, self.y = t, y

    def finish(self, t: float, y: float, free: bool) -> None:
        self.t, self.y = t, y

    def paint(self, p: QtGui.QPainter, vp: Viewport, theme: Theme) -> None:
        """Feedback drawn over the chart while dragging."""

    def shift(self, when, free: bool, edge: str = ""):
        """`when` moved as far as the pointer, by whole hours, days or calendar months
        as the zoom suggests (or freely, with Alt)."""
        if free:
            delta = self.t - self.t0
            return when.with_edge(edge, delta) if edge else when.shifted(delta)
        name = snap.unit(self.view.seconds_per_pixel)
        return snap.moved(when, snap.steps(self.t - self.t0, name), name, edge)

    def shift_seconds(self, when, free: bool) -> float:
        """How far `shift` moves the start of `when`, in seconds."""
        if free:
            return self.t - self.t0
        name = snap.unit(self.view.seconds_per_pixel)
        return snap.seconds_moved(when, snap.steps(self.t - self.t0, name), name)


class Pan(Gesture):
    """Moves the view; the canvas applies the pointer's movement in pixels."""


class MoveEvents(Gesture):
    """Drag events in time (all the selected ones), and to another lane when they share one;
    or, with `edge`, resize one range by its start or end."""

    def __init__(self, surface: Surface, t: float, y: float, ids: list[str], edge: str = ""):
        super().__init__(surface, t, y)
        self.ids, self.edge = ids, edge
        layout = self.view.layout
        lanes = {layout.lane_of_actor.get(self.doc.get("events", i).actor) for i in ids}
        self.one_lane = len(lanes) == 1

    def moved(self, e: Event, free: bool) -> Event | None:
        """The event as the drag would leave it, or None if its date cannot move so."""
        try:
            when = self.shift(e.when, free, self.edge)
        except WhenError:
            return None
        actor = e.actor
        if not self.edge and self.one_lane:
            target, origin = self.view.lane_actor_at(self.y), self.view.lane_actor_at(self.y0)
            if target and origin and target != origin:
                actor = target
        return replace(e, when=when, actor=actor)

    def update(self, t: float, y: float, free: bool) -> None:
        super().update(t, y, free)
        layout = self.view.layout
        self.ghosts = []
        for i in self.ids:
            e = self.moved(self.doc.get("events", i), free)
            lane = layout.lane_of_actor.get(e.actor) if e else None
            if lane is None or e.when.lo is None:
                continue
            hi = e.when.hi if e.when.hi is not None else layout.t_max
            self.ghosts.append(Ghost(e, lane, e.when.lo, hi))
        if self.ghosts:
            self.surface.say(", ".join(g.event.when.text for g in self.ghosts[:3]))
        elif self.edge:  # no ghost: say why, or the drag looks broken
            self.surface.say("A range cannot end before it starts")

    def finish(self, t: float, y: float, free: bool) -> None:
        super().finish(t, y, free)
        moves = {}
        for i in self.ids:
            e = self.moved(self.doc.get("events", i), free)
            if e is not None:
                moves[i] = (e.when, e.actor)
        self.surface.apply(edits.move_events(self.doc, moves, "Resize" if self.edge else "Move"))


class MoveDemand(Gesture):
    """Drag a demand's arrow in time, or its head onto another lane to re-address it."""

    def __init__(self, surface: Surface, t: float, y: float, demand_id: str, head: bool):
        super().__init__(surface, t, y)
        self.demand_id, self.head = demand_id, head

    def finish(self, t: float, y: float, free: bool) -> None:
        super().finish(t, y, free)
        if self.head:
            cmd = edits.move_demand(self.doc, self.demand_id, to=self.view.lane_actor_at(y))
        else:
            raised = self.doc.get("demands", self.demand_id).raised
            cmd = edits.move_demand(self.doc, self.demand_id, self.shift_seconds(raised, free))
        self.surface.apply(cmd)


class BandSelect(Gesture):
    """A rubber band: selects the events inside it (Ctrl adds to the selection)."""

    def __init__(self, surface: Surface, t: float, y: float, add: bool):
        super().__init__(surface, t, y)
        self.add = add

    def finish(self, t: float, y: float, free: bool) -> None:
        super().finish(t, y, free)
        t0, t1 = sorted((self.t0, t))
        y0, y1 = sorted((self.y0, y))
        ids = set(self.view.events_in(t0, t1, y0, y1))
        self.doc.select((set(self.doc.selection) if self.add else set()) | ids)

    def paint(self, p: QtGui.QPainter, vp: Viewport, theme: Theme) -> None:
        x0, x1 = sorted((vp.x(self.t0), vp.x(self.t)))
        y0, y1 = sorted((vp.y(self.y0), vp.y(self.y)))
        color = QtGui.QColor(theme.selection)
        p.setPen(QtGui.QPen(color, 1, QtCore.Qt.PenStyle.DashLine))
        color.setAlpha(40)
        p.setBrush(color)
        p.drawRect(QtCore.QRectF(x0, y0, x1 - x0, y1 - y0))


class NewDemand(Gesture):
    """Ctrl+drag from one lane to another: a new demand between those actors."""

    def finish(self, t: float, y: float, free: bool) -> None:
        super().finish(t, y, free)
        a, b = self.view.lane_actor_at(self.y0), self.view.lane_actor_at(y)
        if a and b and a != b:
            d = edits.add_demand_between(self.doc, a, b, parse(point_at(self.t0, "day").text()))
            self.surface.apply(edits.add(self.doc, "demands", d), select=[d.id], edit=d.id)

    def paint(self, p: QtGui.QPainter, vp: Viewport, theme: Theme) -> None:
        x = vp.x(self.t0)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        color = QtGui.QColor(theme.status_color("open"))
        p.setPen(QtGui.QPen(color, 2, QtCore.Qt.PenStyle.DashLine))
        p.drawLine(QtCore.QPointF(x, vp.y(self.y0)), QtCore.QPointF(x, vp.y(self.y)))


class LinkEvents(Gesture):
    """Alt+drag from one event to another: the later one answers the earlier
    (`responds_to`); between two events already linked, the link goes."""

    def __init__(self, surface: Surface, t: float, y: float, event: Event):
        super().__init__(surface, t, y)
        self.start = event

    def finish(self, t: float, y: float, free: bool) -> None:
        super().finish(t, y, free)
        other = self.view.event_at(t, y)
        if other is None or other.id == self.start.id:
            self.surface.say("Drop on another event to link the two")
            return
        cmd = edits.toggle_link(self.doc, self.start.id, other.id)
        self.surface.apply(cmd)

    def paint(self, p: QtGui.QPainter, vp: Viewport, theme: Theme) -> None:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(QtGui.QColor(theme.text), 1.5, QtCore.Qt.PenStyle.DashLine))
        p.drawLine(
            QtCore.QPointF(vp.x(self.t0), vp.y(self.y0)), QtCore.QPointF(vp.x(self.t), vp.y(self.y))
        )


def begin(surface: Surface, t: float, y: float, button, mods) -> Gesture | None:
    """The gesture a press at (t, y) starts, by what is under it and the keys held (Alt
    held at the press on an event links it; Alt pressed during a move frees the move)."""
    if button == Button.MiddleButton or mods & Mods.ShiftModifier:
        return Pan(surface, t, y)
    if button != Button.LeftButton:
        return None
    doc, view = surface.doc, surface.view
    hit = view.event_at(t, y)  # its mark, bar or label
    if hit is not None and mods & Mods.AltModifier:  # Alt held at the press: a link
        return LinkEvents(surface, t, y, hit)
    if mods & Mods.ControlModifier and view.lane_actor_at(y):
        # from over an event too: its title covers much of its lane, and a move there
        # changed an event where a person drew a demand (Ctrl+click selects it still)
        return NewDemand(surface, t, y)
    if hit is not None:
        edge = hittest.edge_at(hit, t, view.seconds_per_pixel)
        if edge:
            doc.select([hit.id])  # what is resized is what the inspector shows
            return MoveEvents(surface, t, y, [hit.id], edge)
        if hit.id in doc.selection:
            ids = sorted(i for i in doc.selection if doc.kind_of(i) == "events")
        else:
            ids = [hit.id]
            doc.select(ids)
        return MoveEvents(surface, t, y, ids)
    found = view.demand_at(t, y)
    if found is not None:
        demand, part = found
        doc.select([demand.id])
        return MoveDemand(surface, t, y, demand.id, head=part == "head")
    return BandSelect(surface, t, y, add=bool(mods & Mods.ControlModifier))
