"""Opening a document reads no id until one is looked up, and looks up as before."""

from __future__ import annotations

import dataclasses

from app.chart.layout import Timeline
from app.editing import document as document_module
from app.editing.document import Document
from app.fileformat import canonical, projectfile
from tests.app.test_chart import crowded_project


def test_a_document_reads_its_ids_at_the_first_look_up_and_after_a_change_again(qapp, monkeypatch):
    read = []
    values = document_module.values
    monkeypatch.setattr(
        document_module, "values", lambda records, attr: read.append(attr) or values(records, attr)
    )
    project = crowded_project(1)
    doc = Document(project)
    assert read == []  # nothing indexed at the opening
    e = project.events[10]
    assert doc.get("events", e.id) is e and doc.position("events", e.id) == 10
    assert doc.kind_of(e.id) == "events" and doc.get("events", "no such id") is None
    indexed = len(read)
    doc.get("events", project.events[20].id)
    assert len(read) == indexed  # kept until a change
    doc._remove_many("events", [project.events[5].id])
    assert doc.position("events", e.id) == 9  # indexed again after the change
    moved = dataclasses.replace(e, title="moved")
    doc._replace("events", moved)
    assert doc.get("events", e.id) is moved


def test_the_chart_looks_events_up_through_the_documents_dict_of_their_ids(qapp, small_project):
    """At a million events, a dict of ids takes 0.3 s to make: the chart's look-up of an
    event's actor and the document's share one, made from the same ids, across an edit."""
    project = projectfile.loads(canonical.dumps(small_project))  # events in a store
    doc = Document(project)
    timeline = Timeline(project)
    talks = doc.get("events", "talks")
    doc._replace("events", dataclasses.replace(talks, title="Talks in Cairo"))
    before = timeline.event("talks")  # as the layout has it: before the change is taken in
    assert before.title == "Talks in Doha" and before.actor == "cia"
    assert timeline.actor_of()._at is doc._index["events"]
    doc._remove_many("events", ["release"])  # a change of order: the document makes its own again
    assert doc.get("events", "talks").title == "Talks in Cairo"
    assert timeline.actor_of()._at is not doc._index["events"]
    assert timeline.event("talks").actor == "cia" and timeline.event("release").actor == "hamas"
