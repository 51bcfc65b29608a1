"""The timeline of a project read from its file (events in an EventStore, lanes built from
its columns) follows the editor's edits, undo and redo as the timeline of the plain list
does: the same lanes, rows and records after each step."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from app.editing.document import Document
from app.fileformat import canonical, projectfile
from app.records.eventstore import EventStore
from tests.app.test_eventstore import talks
from tests.app.test_layout import _same
from tests.app.test_store_edits import _command, steps
from tests.examples import scaled
from widgets.canvas import TimelineCanvas


@pytest.fixture(scope="module")
def canvases(qapp):
    """Two canvases, each on a document of its own, for every example: each takes the
    example's project as a file opened anew would (a canvas made for each example was a
    third of this test's time)."""
    made = [TimelineCanvas(Document()) for _ in range(2)]
    yield made
    for canvas in made:
        canvas.deleteLater()


@settings(deadline=None, max_examples=scaled(25), suppress_health_check=[HealthCheck.too_slow])
@given(project=talks(), plan=steps)
def test_the_timeline_of_a_store_follows_edits_as_that_of_a_list(canvases, project, plan):
    text = canonical.dumps(project)
    on_store, on_list = (canvas.doc for canvas in canvases)
    on_store.replace_project(projectfile.loads(text))
    assert isinstance(on_store.project.events, EventStore)
    plain = projectfile.loads(text)
    plain.events = list(plain.events)
    on_list.replace_project(plain)
    for action, pick in plan:
        if action in ("undo", "redo"):
            for doc in (on_store, on_list):
                getattr(doc.undo_stack, action)()
        elif action != "snapshot":
            try:
                made = [_command(doc, action, pick) for doc in (on_store, on_list)]
            except Exception as exc:  # noqa: BLE001 - refused alike on both
                assert type(exc).__name__ == "RefusedEdit"
                continue
            for doc, command in zip((on_store, on_list), made, strict=True):
                if command is not None:
                    doc.undo_stack.push(command)
        mine, theirs = (c.timeline for c in canvases)
        _same(mine.layout, theirs.layout)
        for e in on_list.project.events:
            assert mine.event(e.id) == theirs.event(e.id) == e
