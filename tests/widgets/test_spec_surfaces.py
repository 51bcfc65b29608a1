"""Adding a field to the record spec is enough for the inspector, the tables, the CSV
tables, the page's tooltip and tables and the exchange exports (TimelineJS, iCalendar,
Markwhen) to show it and edit it."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from PySide6.QtTest import QTest

from app.editing.document import Document
from app.exporters import csvtables, ical, markwhen, timelinejs
from app.exporters.webpage import WebPage
from app.fileformat import spec
from app.records.model import Event
from widgets.inspector import Inspector
from widgets.tables import RecordTableModel


@dataclasses.dataclass(slots=True, frozen=True, kw_only=True)
class PlacedEvent(Event):
    place: str = ""


def test_an_optional_field_added_to_the_spec_shows_everywhere(qtbot, monkeypatch, small_project):
    place = spec.Field("place", "place", spec.TEXT, help="where it happened")
    events = dataclasses.replace(
        spec.EVENTS, record=PlacedEvent, fields=(*spec.EVENTS.fields, place)
    )
    monkeypatch.setitem(spec.BY_NAME, "events", events)
    small_project.events = [
        PlacedEvent(**{d.name: getattr(e, d.name) for d in dataclasses.fields(e)}, place="Doha")
        for e in small_project.events
    ]
    doc = Document(small_project)

    # the inspector's form: labelled, with its help, and editable
    inspector = Inspector(doc)
    qtbot.addWidget(inspector)
    inspector.show()
    doc.select(["talks"])
    inspector.show_selection()
    editor = inspector.editors["place"]
    assert inspector.form.labelForField(editor).text() == "Place"
    assert editor.text() == "Doha" and editor.toolTip() == "where it happened"
    editor.setFocus()
    editor.selectAll()
    QTest.keyClicks(editor, "Cairo")
    assert doc.get("events", "talks").place == "Cairo"

    # the table's columns: shown, and edited through the same edit
    model = RecordTableModel(doc, "events")
    column = next(i for i, col in enumerate(model.columns) if col.title == "Place")
    row = [r.id for r in model.records()].index("release")
    assert model.index(row, column).data() == "Doha"
    assert model.setData(model.index(row, column), "Gaza")
    assert doc.get("events", "release").place == "Gaza"

    # the CSV table's header and cells
    rows = list(csv.reader(io.StringIO(csvtables.dumps(doc.project, "events"))))
    assert rows[0][-1] == "place" and [r[-1] for r in rows[1:]] == ["Gaza", "Cairo"]

    # the page's field list
    assert {"key": "place", "label": "Place", "help": "where it happened"}.items() <= next(
        f for f in spec.field_list("events") if f["key"] == "place"
    ).items()

    # the page's tooltip and table: its label in the field list and the columns, its
    # words in each event's data
    data = WebPage(doc.project).records()
    assert data["columns"]["events"][-1] == {
        "key": "place",
        "label": "Place",
        "slot": "",
        "time": False,
    }
    assert {"key": "place", "label": "Place"}.items() <= next(
        f for f in data["fields"]["events"] if f["key"] == "place"
    ).items()
    assert {e["id"]: e["said"]["place"] for e in data["events"]} == {
        "release": "Gaza",
        "talks": "Cairo",
    }

    # TimelineJS: said in the slide's text; iCalendar: in the description; Markwhen: a
    # property under its key
    slides = {s["unique_id"]: s for s in json.loads(timelinejs.dumps(doc.project))["events"]}
    assert "<p>Place: Gaza</p>" in slides["release"]["text"]["text"]
    assert "Place: Gaza" in ical.dumps(doc.project).replace("\r\n ", "")
    lines = markwhen.dumps(doc.project).splitlines()
    assert lines[lines.index("id: talks") + 1 :].index("place: Cairo") < 3
