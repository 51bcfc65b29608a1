"""iCalendar and Markwhen exports: read back by their own readers."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import given, settings

from app.exporters import ical, markwhen, timelinejs
from app.exporters.common import plain_text
from app.fileformat import projectfile
from app.records.model import Actor, Event, Phase, Project, StatusChange
from app.records.when import parse
from tests.app.strategies import projects
from tests.app.test_example import PATH as EXAMPLE

CHROMIUM = "/usr/lib/chromium/chromium"

TIMES = """\
demarche: 1
title: Times
actors:
  - {id: usa, name: United States}
  - {id: cia, name: CIA, parent: usa}
  - {id: hamas, name: Hamas}
events:
  - {id: day, actor: usa, title: A day, when: 2023-11-22}
  - {id: month, actor: cia, title: "Talks in #Doha", when: 2023-11, tags: [doha talks]}
  - {id: zoned, actor: hamas, title: Truce, when: "2023-11-24T07:00:00+02:00"}
  - {id: floating, actor: hamas, title: Call, when: "2023-11-25T18:30"}
  - {id: about, actor: usa, title: About then, when: 2023-11-20~}
  - {id: ongoing, actor: hamas, title: War, when: 2023-10-07/..,
     text: "Began at dawn.\\nNote: not a property\\n2023-10-08: a line that reads as a date"}
"""


@pytest.fixture
def times():
    return projectfile.loads(TIMES)


def vevents(text: str) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(text)
    return {str(ev["UID"]).split("@")[0]: ev for ev in cal.walk("VEVENT")}


def test_ics_text_keeps_a_backslash_and_n_as_written():
    """icalendar's own escaping reads a backslash and N as a line break: a title, an actor's
    name and a tag holding one come back from another reader as they were written."""
    from app.records.model import Actor, Event, Project
    from app.records.when import parse

    project = Project(
        title=r"Talks \N Doha",
        actors=[Actor(id="a", name=r"Hamas;\N,Gaza")],
        events=[
            Event(
                id="e", actor="a", title="C:\\Notes, a;b\nnext", tags=(r"x\Ny",), when=parse("2000")
            )
        ],
    )
    cal = vobject.readOne(ical.dumps(project))
    (ev,) = cal.vevent_list
    assert ev.summary.value == "C:\\Notes, a;b\nnext"
    assert ev.categories.value == [r"Hamas;\N,Gaza", r"x\Ny"]
    assert cal.x_wr_calname.value == r"Talks \N Doha"


def test_ics_dates_follow_rfc5545(times):
    evs = vevents(ical.dumps(times))
    assert evs["day"].decoded("DTSTART") == date(2023, 11, 22)
    assert evs["day"].decoded("DTEND") == date(2023, 11, 23)  # exclusive
    assert evs["month"].decoded("DTSTART") == date(2023, 11, 1)
    assert evs["month"].decoded("DTEND") == date(2023, 12, 1)
    assert evs["zoned"].decoded("DTSTART") == datetime(2023, 11, 24, 5, 0, tzinfo=UTC)
    floating = evs["floating"].decoded("DTSTART")
    assert floating == datetime(2023, 11, 25, 18, 30) and floating.tzinfo is None
    assert "DTEND" not in evs["ongoing"]
    assert {k: str(ev["X-EDTF"]) for k, ev in evs.items()}["about"] == "2023-11-20~"
    assert str(evs["ongoing"]["X-EDTF"]) == "2023-10-07/.."
    assert evs["month"].categories == ["CIA", "doha talks"]


def test_ics_of_the_example_is_read_by_two_readers_with_stable_uids():
    project = projectfile.load(EXAMPLE)
    first = ical.dumps(project, stamp=datetime(2026, 1, 1, tzinfo=UTC))
    again = ical.dumps(project, stamp=datetime(2026, 6, 1, tzinfo=UTC))
    assert list(vevents(first)) == list(vevents(again)) == [e.id for e in project.events]
    other = vobject.readOne(first).vevent_list
    assert [v.summary.value for v in other] == [e.title for e in project.events]
    cited = next(e for e in project.events if e.cites)
    source = next(s for s in project.sources if s.id == cited.cites[0].source)
    assert source.title in str(vevents(first)[cited.id]["DESCRIPTION"])


def test_markwhen_nests_lanes_and_keeps_what_it_cannot_write(times):
    text = markwhen.dumps(times)
    lines = text.splitlines()
    assert lines.index("# United States") < lines.index("## CIA") < lines.index("# Hamas")
    assert "2023-11-24T05:00:00Z: Truce" in lines
    assert "2023-11-20: About then" in lines and "edtf: 2023-11-20~" in lines
    assert "2023-10-07: War" in lines and "edtf: 2023-10-07/.." in lines  # never `now`
    assert "\u20602023-10-08: a line that reads as a date" in lines
    assert "\u2060Note: not a property" in lines
    assert "2023-11: Talks in #\u2060Doha #doha_talks" in lines
    assert "2023-11-25 18:30: Call" in lines


# Runs a shared reader (an ES module that reads the files named on its command line) again
# for each file named on node's input, in one process: the module's imports (the parser)
# stay loaded. A node for each check cost 0.4 s of start-up.
AGAIN_FOR_EACH_LINE = """
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
const reader = process.env.READER, url = pathToFileURL(reader).href;
let n = 0;
for await (const path of readline.createInterface({ input: process.stdin })) {
  process.argv = [process.argv[0], reader, path];
  await import(`${url}?${n++}`);
}
"""


class Reader:
    """One of the shared readers in a node process of its own, kept for the module."""

    def __init__(self, readers: Path, script: str):
        env = {**os.environ, "READER": str(readers / script)}
        self.process = subprocess.Popen(
            ["node", "--input-type=module", "-e", AGAIN_FOR_EACH_LINE],
            cwd=readers,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def __call__(self, paths: list[Path]) -> list[dict]:
        self.process.stdin.write("".join(f"{p}\n" for p in paths))
        self.process.stdin.flush()
        lines = [self.process.stdout.readline() for _ in paths]
        assert all(lines), f"node stopped (exit {self.process.poll()}); its errors are above"
        return [json.loads(line) for line in lines]

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


@pytest.fixture(scope="module")
def markwhen_parser(readers):
    reader = Reader(readers, "mw_check.mjs")
    yield reader
    reader.stop()


def check(reader, tmp_path, name: str, text: str) -> dict:
    """What the reader says of `text`: its one JSON line."""
    return check_all(reader, tmp_path, name, [text])[0]


def check_all(reader, tmp_path, name: str, texts: list[str]) -> list[dict]:
    """What the reader says of each of `texts`."""
    paths = []
    for n, text in enumerate(texts):
        paths.append(tmp_path / f"{n}-{name}")
        paths[-1].write_text(text, encoding="utf-8")
    return reader(paths)


def test_markwhen_parser_reads_every_entry(markwhen_parser, tmp_path, times):
    titles = set()
    projects = (times, projectfile.load(EXAMPLE))
    texts = [markwhen.dumps(project) for project in projects]
    for project, read in zip(
        projects, check_all(markwhen_parser, tmp_path, "out.mw", texts), strict=True
    ):
        dated_phases = [p for p in project.phases if p.dated]
        assert read["events"] == len(project.events) + len(project.demands) + len(dated_phases)
        assert read["messages"] == []
        titles = titles if project is not times else {e["title"] for e in read["first"]}
    assert "Talks in #\u2060Doha" in titles  # a title's `#` is not taken for a tag


@settings(deadline=None)
@given(projects())
def test_any_project_becomes_a_calendar_that_keeps_each_exact_date(project):
    evs = vevents(ical.dumps(project))
    assert list(evs) == [e.id for e in project.events]
    for e in project.events:
        ev = evs[e.id]
        # TEXT has no CR and no control characters: a CR is a line break, the others go
        assert str(ev["X-EDTF"]) == e.when.text and str(ev["SUMMARY"]) == plain_text(e.title)
        if "DTEND" in ev:
            assert ev.decoded("DTSTART") < ev.decoded("DTEND")


def test_timelinejs_says_in_words_what_it_has_no_field_for(times):
    times.title = "Talks <script>alert(1)</script>"
    times.phases = [Phase(id="war", title="War", when=parse("2023-10-07/.."))]
    doc = json.loads(timelinejs.dumps(times))
    slides = {s["unique_id"]: s for s in doc["events"]}
    assert doc["title"]["text"]["headline"] == "Talks &lt;script&gt;alert(1)&lt;/script&gt;"
    assert slides["about"]["display_date"] == "Approximately 20 November 2023"
    assert slides["ongoing"]["display_date"] == "From 7 October 2023, ongoing"
    assert "end_date" not in slides["ongoing"] and "display_date" not in slides["day"]
    assert slides["month"]["start_date"] == {"year": 2023, "month": 11}
    assert slides["month"]["group"] == "United States › CIA"
    assert (
        slides["zoned"]["start_date"]["hour"] == 7
        and "UTC+02:00" in slides["zoned"]["display_date"]
    )
    [era] = doc["eras"]  # open-ended: closed at the end of the project's last day (30 November)
    assert era["end_date"] == {"year": 2023, "month": 12, "day": 1}


def test_timelinejs_demands_as_slides_and_safe_links():
    project = projectfile.load(EXAMPLE)
    plain = json.loads(timelinejs.dumps(project))
    both = json.loads(timelinejs.dumps(project, demands_as_slides=True))
    assert len(plain["events"]) == len(project.events)
    assert len(both["events"]) == len(project.events) + len(project.demands)
    demand = both["events"][-1]
    assert f"<p>Status: {project.demands[-1].status}</p>" in demand["text"]["text"]
    slides = {s["unique_id"]: s["text"]["text"] for s in both["events"]}
    changed = next(d for d in project.demands if d.history)
    assert "<p>History:</p><ul><li>" in slides[changed.id]
    assert changed.history[-1].when.describe() in slides[changed.id]
    bad = replace(project.sources[0], url="javascript:alert(1)")
    project.sources[0] = bad
    assert "javascript:" not in timelinejs.dumps(project)


def test_the_calendars_ends_export_in_every_format():
    edge = projectfile.loads(
        "demarche: 1\ntitle: Edge\nactors: [{id: a, name: A}]\nevents:\n"
        "  - {id: last, actor: a, title: Last, when: '9999'}\n"
        "  - {id: first, actor: a, title: First, when: '0001-01-01T00:00Z'}\n"
    )
    evs = vevents(ical.dumps(edge))
    assert evs["last"].decoded("DTEND") == date(9999, 12, 31)  # 10000-01-01 cannot be written
    assert "edtf: 9999" not in markwhen.dumps(edge)
    assert "0001-01-01T00:00:00Z: First" in markwhen.dumps(edge).splitlines()
    assert json.loads(timelinejs.dumps(edge))["events"][0]["start_date"] == {"year": 9999}


HOSTILE = """\
demarche: 1
title: "Bell\\a and escape\\e[31m"
sources:
  - {id: js, title: "Script", url: "javascript:alert(1)"}
  - {id: data, title: "Data", url: "data:text/html,<b>x</b>"}
  - {id: web, title: "Web", url: "https://example.org/a"}
actors:
  - {id: hamas, name: "Hamas <Gaza>"}
events:
  - id: e
    actor: hamas
    title: "Nul\\0 back\\b space"
    when: "2023-11-22"
    text: "line\\x1b]0;pwned\\a"
    cites: [{source: js}, {source: data}, {source: web}]
"""


def test_text_exports_carry_no_control_characters_and_link_only_to_the_web():
    import re

    project = projectfile.loads(HOSTILE)
    for text in (ical.dumps(project), markwhen.dumps(project)):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
        assert "javascript:" not in text and "data:text" not in text
        assert "https://example.org/a" in text
    assert "URL:https://example.org/a" in ical.dumps(project)
    assert "(javascript" not in markwhen.dumps(project)
    slide = json.loads(timelinejs.dumps(project))["events"][0]
    assert slide["group"] == "Hamas &lt;Gaza&gt;"  # TimelineJS shows it as HTML
    assert "javascript:" not in json.dumps(slide)


QUOTED = """\
demarche: 1
title: Quoted
actors:
  - {id: a, name: "Yes"}
  - {id: b, name: "3rd Army: north"}
events:
  - {id: e, actor: a, title: Strike, when: 2023-11-22, type: "1990", with: [b]}
demands:
  - {id: d, from: a, to: b, text: Go, raised: 2023-11-20, offer: "half now: the rest #later"}
"""


def test_markwhen_quotes_a_property_its_yaml_would_misread(markwhen_parser, tmp_path):
    project = projectfile.loads(QUOTED)
    text = markwhen.dumps(project)
    assert 'offer: "half now: the rest #\u2060later"' in text.splitlines()
    read = check(markwhen_parser, tmp_path, "out.mw", text)
    assert read["messages"] == []
    props = {e["id"]: e["props"] for e in read["first"]}
    assert props["e"]["type"] == "1990" and props["e"]["with"] == ["3rd Army: north"]
    assert props["d"]["offer"] == "half now: the rest #\u2060later"  # not a tag
    assert props["d"]["to"] == "3rd Army: north"
    from tests.app.test_import_roundtrip import imported

    back = imported(text, ".mw")
    assert back.events[0].type == "1990" and back.demands[0].offer == "half now: the rest #later"


def test_markwhen_quotes_what_its_yaml_reads_as_a_number(markwhen_parser, tmp_path):
    # Markwhen's YAML is 1.2 (1e3 and 0o17 are numbers there), PyYAML's 1.1 (strings).
    values = ["1e3", "0o17", "-2.5E-3", ".inf", "+12"]
    events = "\n".join(
        f"  - {{id: e{i}, actor: a, title: T, when: 2023-11-22, type: {json.dumps(v)}}}"
        for i, v in enumerate(values)
    )
    project = projectfile.loads(
        f"demarche: 1\ntitle: Numbers\nactors:\n  - {{id: a, name: A}}\nevents:\n{events}\n"
    )
    texts = [markwhen.dumps(replace(project, events=[e])) for e in project.events]
    for value, read in zip(
        values, check_all(markwhen_parser, tmp_path, "out.mw", texts), strict=True
    ):
        assert read["first"][0]["props"]["type"] == value


def test_markwhen_keeps_a_hash_after_a_bracket_or_a_stop_in_a_property(markwhen_parser, tmp_path):
    # Markwhen's parser turns "#word" in a property into ")word" unless a letter, a digit
    # or "_" comes before the "#" (not only after a space, as a tag in a title).
    from tests.app.test_import_roundtrip import imported

    values = ["(#a)", ".#b", "x:#b", "{[#1", "é#b", "a #b"]
    project = projectfile.loads(QUOTED)
    texts = [
        markwhen.dumps(replace(project, events=[replace(project.events[0], type=v)], demands=[]))
        for v in values
    ]
    reads = check_all(markwhen_parser, tmp_path, "out.mw", texts)
    for value, text, read in zip(values, texts, reads, strict=True):
        assert read["first"][0]["props"]["type"].replace("\u2060", "") == value
        assert imported(text, ".mw").events[0].type == value


def test_markwhen_keeps_an_exclamation_before_a_word_in_a_title(markwhen_parser, tmp_path):
    # "!word" on an entry's line is an id to Markwhen's parser ("Talks !now" read as
    # "Talks"), "![a](b)" a picture.
    from tests.app.test_import_roundtrip import imported

    project = projectfile.loads(QUOTED)
    titles = ["Talks !now", "é!x", "Deal (!9) agreed", "Yes! Deal", "Hi!!", "x![a](b)"]
    texts = [
        markwhen.dumps(replace(project, events=[replace(project.events[0], title=t)], demands=[]))
        for t in titles
    ]
    reads = check_all(markwhen_parser, tmp_path, "out.mw", texts)
    for title, text, read in zip(titles, texts, reads, strict=True):
        assert read["first"][0]["title"].replace("\u2060", "") == title
        assert imported(text, ".mw").events[0].title == title


def test_markwhen_keeps_a_lane_named_with_a_hash(markwhen_parser, tmp_path):
    # "# #x" is a heading with the tag x and no title to Markwhen's parser.
    from tests.app.test_import_roundtrip import imported

    project = projectfile.loads(QUOTED)
    names = ["#x", "Hamas #2", "(#a) b"]
    texts = [
        markwhen.dumps(
            replace(project, actors=[replace(project.actors[0], name=n), *project.actors[1:]])
        )
        for n in names
    ]
    reads = check_all(markwhen_parser, tmp_path, "out.mw", texts)
    for name, text, read in zip(names, texts, reads, strict=True):
        assert name in [g["title"].replace("\u2060", "") for g in read["groups"]]
        assert name in [a.name for a in imported(text, ".mw").actors]


def test_markwhen_gives_back_a_demands_history_with_any_note(markwhen_parser, tmp_path):
    from tests.app.test_import_roundtrip import imported

    project = projectfile.loads(QUOTED)
    d = project.demands[0]
    notes = ['said "no"; 2023-01-01 accepted', "back\\slash: #tag", "two\nlines", ""]
    history = tuple(
        StatusChange(when=d.raised.shifted(86400.0 * (n + 1)), status=status, note=note)
        for n, (status, note) in enumerate(
            zip(("rejected", "partial", "open", "accepted"), notes, strict=True)
        )
    )
    one = replace(project, demands=[replace(d, history=history, status="accepted")])
    text = markwhen.dumps(one)
    assert check(markwhen_parser, tmp_path, "out.mw", text)["messages"] == []
    back = imported(text, ".mw").demands[0].history
    assert back == history  # notes as written, line breaks and quotes included


# Description lines Markwhen would read as entries of their own: dates, `now`, `!id`, and
# what its grammar reads too (app/records/markwhengrammar.py), indented or not.
AS_ENTRIES = ["Jan 5 2023: talks resume", "  after !x 2 days: more", "now: hope", "!x says no"]
AS_ENTRIES += [": x", "every day: x", "- 2023: x", "+1 day: x", ".start: x", "  to 2023: x"]
AS_ENTRIES += ["2023-01-05 10:00: x", " !x.start: z", "3: freed", "10am: coffee", "1999–2001: y"]
# ...a recurrence after a reference (its `every` ran over a joiner before the colon), and a
# colon past what Demarche's grammar looks at (the parser looks at the whole line).
AS_ENTRIES += [
    "!important every day: call",
    ".end every week: x",
    ".end every " + "a" * 130 + ": y",
]


def _said_in_text() -> Project:
    event = Event(
        id="e", actor="a", title="E", when=parse("2023-01-01"), text="\n".join(AS_ENTRIES)
    )
    return Project(title="T", actors=[Actor(id="a", name="A")], events=[event])


def test_markwhen_text_lines_that_read_as_entries_stay_text(tmp_path):
    """Such a line is kept as text: an invisible joiner goes before it (and before its
    colon, where the grammar would still read it); Demarche's import takes them out."""
    from app.importers import import_files

    text = markwhen.dumps(_said_in_text())
    for line in AS_ENTRIES:
        assert any(t.replace("\u2060", "") == line != t for t in text.splitlines())
    path = tmp_path / "t.mw"
    path.write_text(text)
    back, _ = import_files([str(path)])
    assert [e.text.splitlines() for e in back.events] == [AS_ENTRIES]


def test_markwhen_parser_reads_text_lines_as_text(markwhen_parser, tmp_path):
    [read] = check_all(markwhen_parser, tmp_path, "out.mw", [markwhen.dumps(_said_in_text())])
    assert read["events"] == 1 and read["messages"] == []
