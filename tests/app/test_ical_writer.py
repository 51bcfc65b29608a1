"""The .ics export writes each event's lines itself (icalendar's objects cost 0.2 ms an
event): it writes what icalendar writes for the same properties, byte for byte, and folds
as icalendar folds."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import icalendar
from hypothesis import example, given, settings
from hypothesis import strategies as st
from icalendar.parser import Contentline

from app.exporters import ical
from app.exporters.common import Sayer, plain_text, web_url
from app.fileformat import projectfile
from tests.app.strategies import projects
from tests.app.test_example import PATH as EXAMPLE
from tests.app.test_exporters import HOSTILE, TIMES
from tests.examples import examples

STAMP = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class Text(icalendar.vText):
    def to_ical(self) -> bytes:
        return ical.escape(str(self)).encode(self.encoding)


class Categories(icalendar.vCategory):
    def to_ical(self) -> bytes:
        return b",".join(Text(str(c)).to_ical() for c in self.cats)


def by_icalendar(project, stamp: datetime) -> str:
    """The calendar as the export built it before: an icalendar object per property."""
    cal = icalendar.Calendar()
    cal.add("prodid", ical.PRODID)
    cal.add("version", "2.0")
    if project.title:
        cal.add("x-wr-calname", Text(plain_text(project.title)))
    if project.description:
        cal.add("x-wr-caldesc", Text(plain_text(project.description)))
    sayer = Sayer(project)
    for event in project.events:
        ev = icalendar.Event()
        ev.add("uid", f"{event.id}@demarche")
        ev.add("dtstamp", stamp)
        start, end = ical._span(event.when)
        ev.add("dtstart", start)
        if end is not None:
            ev.add("dtend", end)
        ev.add("summary", Text(plain_text(event.title)))
        description, cites = ical._description(sayer.said("events", event, ical.SLOTS))
        if description:
            ev.add("description", Text(plain_text(description)))
        categories = [sayer.name("actors", event.actor), *event.tags]
        ev.add("categories", Categories([plain_text(c) for c in categories if plain_text(c)]))
        url = next((web_url(u) for _, u in cites if web_url(u)), "")
        if url:
            ev.add("url", url)
        ev.add("x-edtf", event.when.text)
        cal.add_component(ev)
    return cal.to_ical().decode("utf-8")


# Floating, zoned and UTC times, a title with a backslash where a line is folded, long
# non-ASCII text, names that TEXT escaping changes.
EDGES = """\
demarche: 1
title: "Edges, with a very long title that icalendar folds: é — ü — 中文 — and so on, 1234"
actors: [{id: a, name: "A; b, c"}]
events:
  - {id: z, actor: a, title: UTC, when: "2023-11-24T07:00Z"}
  - {id: f, actor: a, title: Floating, when: "2023-11-25T18:30/2023-11-25T19:00"}
  - {id: o, actor: a, title: Zoned open, when: "2023-11-26T08:15+05:30/.."}
  - {id: b, actor: a, when: "2023-11-26",
     title: "01234567890123456789012345678901234567890123456789012345678901234\\\\x"}
  - {id: c, actor: a, when: "2023-11-26",
     title: "01234567890123456789012345678901234567890123456789012345678901234^^x"}
  - {id: u, actor: a, when: "2023-11-26?/2023-11-28%", title: "Ünïcode — “quoted” 中文 ✓ a
      line long enough to be folded twice over by icalendar: é é é é é é é é é é é é é é é é é é é é é é é é é é"}
"""


def test_the_bundled_and_edge_projects_are_written_as_icalendar_writes_them():
    for project in (
        projectfile.loads(TIMES),
        projectfile.load(EXAMPLE),
        projectfile.load("projects/hostage-talks-2023.yaml"),
        projectfile.loads(HOSTILE),
        projectfile.loads(EDGES),
    ):
        assert ical.dumps(project, STAMP) == by_icalendar(project, STAMP)


def test_the_edges_are_there():
    text = ical.dumps(projectfile.loads(EDGES), STAMP)
    assert "DTSTART:20231124T070000Z" in text and "DTSTART:20231125T183000\r\n" in text
    # An escape that would end a folded line begins the next (the caret, RFC 6868's)
    assert f"SUMMARY:{'0123456789' * 6}01234\r\n \\\\x\r\n" in text
    assert f"SUMMARY:{'0123456789' * 6}01234\r\n ^^x\r\n" in text
    assert text.count("\r\n ") == 5  # the calendar name once, the title of u twice


@settings(deadline=None)
@given(projects())
def test_any_project_is_written_as_icalendar_writes_it(project):
    assert ical.dumps(project, STAMP) == by_icalendar(project, STAMP)


# Mostly ASCII, with the escapes icalendar keeps whole around every fold.
lines = st.text(st.sampled_from('ab \\^,;:"é中✓😀'), max_size=400) | st.text(max_size=200)


@settings(max_examples=examples(400))
@given(lines)
@example("x" * 73 + "\\" + "n" * 80)
@example("x" * 60 + "😀" + "\\" + "n" * 80)
@example("é" * 30 + "\\" + "é" * 80)
@example("x" * 74)
@example("x" * 75)
@example("\\" * 200)
@example("é" * 37)
@example("é" * 38)
def test_lines_are_folded_as_icalendar_folds_them(text):
    line = "DESCRIPTION:" + text.replace("\n", "").replace("\r", "")
    assert ical.fold(line) == Contentline(line).to_ical().decode("utf-8")


# ical.js (the shared readers' 2.2.1) reads each event's folded, escaped text back.
ICAL_JS = """
const ICAL = require('ical.js');
const c = new ICAL.Component(ICAL.parse(require('fs').readFileSync(process.argv[1], 'utf8')));
console.log(JSON.stringify(c.getAllSubcomponents('vevent').map(e => [
  e.getFirstPropertyValue('uid'), e.getFirstPropertyValue('summary'),
  e.getFirstPropertyValue('dtstart').isDate, e.getFirstProperty('categories').getValues()])));
"""


def test_ical_js_reads_the_folded_lines_back(readers, tmp_path):
    project = projectfile.loads(EDGES)
    path = tmp_path / "edges.ics"
    path.write_text(ical.dumps(project, STAMP), encoding="utf-8", newline="")
    run = subprocess.run(
        ["node", "-e", ICAL_JS, str(path)], cwd=readers, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    read = json.loads(run.stdout)
    assert [r[0] for r in read] == [f"{e.id}@demarche" for e in project.events]
    assert [r[1] for r in read] == [e.title for e in project.events]
    assert [r[2] for r in read] == [False, False, False, True, True, True]
    assert read[0][3] == ["A; b, c"]


def test_a_byte_order_mark_that_begins_a_value_goes_as_icalendar_drops_it():
    """icalendar reads each value back as UTF-8 with a signature: a title or a text that
    begins with U+FEFF loses one, and the categories where the first does (a random
    project found a text of that one mark)."""
    project = projectfile.loads(
        "demarche: 1\n"
        "title: T\n"
        'actors: [{id: a, name: "\\uFEFFIsrael"}]\n'
        "events:\n"
        '  - {id: e1, actor: a, when: 2023-10-07, title: "\\uFEFF\\uFEFFTalks",\n'
        '     text: "\\uFEFF", tags: ["\\uFEFFx", "y\\uFEFF"]}\n'
    )
    text = ical.dumps(project, STAMP)
    assert text == by_icalendar(project, STAMP)
    assert "SUMMARY:\ufeffTalks\r\n" in text and "CATEGORIES:Israel,\ufeffx,y\ufeff\r\n" in text
