"""Alt+drag between two events already linked, whichever way the link was made: it goes."""

from __future__ import annotations

from app.editing import edits
from app.records.when import parse
from tests.widgets.test_canvas import ALT, drag, point_of


def test_alt_drag_between_events_linked_the_other_way_unlinks_them(canvas):
    # "release" (20 Oct) answers "talks" (9-10 Nov): written by hand, or dates changed since.
    doc = canvas.doc
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "responds_to", ("talks",)))
    canvas.set_time_range(parse("2023-10-15").lo, parse("2023-11-15").lo)
    drag(canvas, point_of(canvas, "talks"), point_of(canvas, "release"), ALT)
    assert doc.get("events", "release").responds_to == ()
    assert doc.get("events", "talks").responds_to == ()  # not a loop of two
