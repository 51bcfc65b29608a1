"""TimelineJS sheets read as TimelineJS reads them: times (its parseTime), numbers with
commas (its clean_integer), v1 sheets' month-first dates (its parseDate), `Type` as written."""

from __future__ import annotations

import json
import random
import subprocess

from app.importers import import_files
from app.importers.tljsdates import parse_time
from app.records.when import WhenError

V3 = "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Headline,Type,Group\n"

# TimelineJS's own parseTime, taken from its source and run by node, on many strings.
PARSE_TIME = r"""
const fs = require('fs');
const src = fs.readFileSync('node_modules/@knight-lab/timelinejs/src/js/date/DateUtil.js', 'utf8');
const body = src.slice(src.indexOf('export function parseTime'), src.indexOf('const VALID_INTEGER'));
class TLError extends Error {}
const trim = s => (s && typeof s.replace == 'function') ? s.replace(/^\s+|\s+$/g, '') : '';
const parseTime = new Function('TLError', 'trim', body.replace('export ', '') + 'return parseTime;')(TLError, trim);
const out = JSON.parse(fs.readFileSync(0, 'utf8')).map(t => {
  try { const p = parseTime(t); return [p.hour, p.minute, p.second, p.millisecond]; } catch (e) { return null; }
});
console.log(JSON.stringify(out));
"""


def sheet(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    project, [(_, kind, report)] = import_files([str(path)])
    return project, kind, report


def whens(project) -> dict[str, str]:
    return {e.title: e.when.text for e in project.events}


def test_times_and_years_as_timelinejs_reads_them(tmp_path):
    rows = [
        "2023,11,24,7:00:00 PM,,,,,Evening,,",
        "2023,11,24,12:00:00 AM,,,,,Midnight,,",
        "2023,11,24,12:30 pm,,,,,Noon,,",
        "2023,11,24,4:00 PM,,,,,Four,,",
        "2023,11,25,7pm,,,,,Seven,,",
        "2023,11,25,1230,,,,,Bare,,",
        "2023,11,25,19.45,,,,,Dotted,,",
        '"2,023",11,26,,"2,023",11,27,11 a.m.,Commas,,',
        "2023,11,26,25:00,,,,,Bad hour,,",
    ]
    project, kind, report = sheet(tmp_path, V3 + "\n".join(rows) + "\n")
    assert kind == "timelinejs (sheet)"
    assert whens(project) == {
        "Evening": "2023-11-24T19:00:00",  # to the second, as written (and shown there)
        "Midnight": "2023-11-24T00:00:00",
        "Noon": "2023-11-24T12:30",
        "Four": "2023-11-24T16:00",
        "Seven": "2023-11-25T19:00",
        "Bare": "2023-11-25T12:30",
        "Dotted": "2023-11-25T19:45",
        "Commas": "2023-11-26/2023-11-27T11:00",
    }
    assert "no hour '25'" in "\n".join(report.lines("t.csv"))  # as TimelineJS, with why


def test_seconds_are_kept_and_a_fraction_of_one_is_said(tmp_path):
    """ "7:00:05 PM" was read as 19:00: the seconds went unsaid. Demarche's dates keep
    whole seconds; a fraction of one (TimelineJS keeps it) is told as an approximation."""
    rows = [
        "2023,11,24,7:00:05 PM,,,,,Evening,,",
        "2023,11,24,19:00:05,2023,11,24,19:30:59,Range,,",
        "2023,11,25,19:00:05.5,,,,,Fraction,,",
        "2023,11,25,19:00:05.0,,,,,Nought,,",
    ]
    project, _, report = sheet(tmp_path, V3 + "\n".join(rows) + "\n")
    assert whens(project) == {
        "Evening": "2023-11-24T19:00:05",
        "Range": "2023-11-24T19:00:05/2023-11-24T19:30:59",
        "Fraction": "2023-11-25T19:00:05",
        "Nought": "2023-11-25T19:00:05",
    }
    assert [a.split(":", 1)[1] for a in report.approximated] == [
        "4: a fraction of a second: read to the second (Demarche's dates keep whole seconds)"
    ]
    v1 = ["2023-11-22 14:30:05,,ISO,,,,,,,", "11/22/2023 14:30:05.25,,US,,,,,,,"]
    project, _, report = sheet(tmp_path, V1 + "\n".join(v1) + "\n", "v1.csv")
    assert whens(project) == {"ISO": "2023-11-22T14:30:05", "US": "2023-11-22T14:30:05"}
    assert [a.split(":", 2)[1] for a in report.approximated] == ["3"]
    at = {"year": 2023, "month": 11, "day": 24, "hour": 19, "minute": 0, "second": 5}
    slides = [
        {"start_date": at, "text": {"headline": "Json"}},
        {"start_date": {**at, "millisecond": 250}, "text": {"headline": "Json ms"}},
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": slides}))
    project, [(_, _, report)] = import_files([str(path)])
    assert whens(project) == {"Json": "2023-11-24T19:00:05", "Json ms": "2023-11-24T19:00:05"}
    assert [a.split(":", 1)[1] for a in report.approximated] == [
        "events[1]: a fraction of a second: read to the second (Demarche's dates keep whole seconds)"
    ]


def time_strings(seed: int, count: int) -> list[str]:
    """Strings a sheet's Time cell may hold: clock times with and without a period,
    separators, seconds and fractions, and their misspellings."""
    rng = random.Random(seed)
    pieces = ["", "0", "7", "12", "13", "23", "24", "59", "60", "007", "1230", "745", "x"]
    seps = [":", ".", ",", " ", ""]
    periods = ["", " PM", "pm", " AM", "am", "p.m.", " A.M. ", "P", "m"]
    out = []
    for _ in range(count):
        n = rng.randint(1, 5)
        text = "".join(rng.choice(pieces) + rng.choice(seps) for _ in range(n))
        out.append(rng.choice(["", " "]) + text.rstrip() + rng.choice(periods))
    return out


def test_times_read_as_timelinejs_parsetime_reads_them(readers):
    """Differential: TimelineJS's parseTime (its source, by node) against Demarche's."""
    texts = time_strings(1, 3000) + ["7:00:05 PM", "19:00:05", "19:00:05.5"]
    texts += ["7:00:00 PM", "12:00:00 AM", "4:00 PM", "7pm", "1230"]
    run = subprocess.run(
        ["node", "-e", PARSE_TIME],
        cwd=readers,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(run.stdout)
    for text, their in zip(texts, theirs, strict=True):
        try:
            ours = list(parse_time(text).values())
        except WhenError:
            ours = None
        assert ours == their, text
    assert theirs[-8:] == [
        [19, 0, 5, None],  # TimelineJS keeps the seconds
        [19, 0, 5, None],
        [19, 0, 5, 500],  # and a fraction of one, as 100 times its number in milliseconds
        [19, 0, 0, None],
        [0, 0, 0, None],
        [16, 0, None, None],
        [19, None, None, None],
        [12, 30, None, None],
    ]


V1 = "Start Date,End Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Tag\n"


def test_a_v1_sheet_is_known_and_its_dates_read_month_first(tmp_path):
    rows = [
        "11/22/2023,,US date,,,,,,,",
        "2023-11-22,2023-11-24,ISO,,,,,,,Mediators",
        "1963,,Year,,,,,,,",
        "11/2023,,Month and year,,,,,,,",
        "2023-11-22 14:30,,ISO with time,,,,,,,",
        "11/22/2023 14:30,,US with time,,,,,,,",
        "3/4/2023,12/25/2023,Range,,,,,,,Mediators",
        ",,Intro,The story,,,,,title,",
    ]
    project, kind, _ = sheet(tmp_path, V1 + "\n".join(rows) + "\n")
    assert kind == "timelinejs (sheet)"
    assert whens(project) == {
        "US date": "2023-11-22",
        "ISO": "2023-11-22/2023-11-24",
        "Year": "1963",
        "Month and year": "2023-11",
        "ISO with time": "2023-11-22T14:30",
        "US with time": "2023-11-22T14:30",
        "Range": "2023-03-04/2023-12-25",
    }
    assert (project.title, project.description) == ("Intro", "The story")
    lanes = {a.id: a.name for a in project.actors}
    assert {e.title: lanes[e.actor] for e in project.events}["ISO"] == "Mediators"  # Tag


def test_type_is_read_as_timelinejs_compares_it(tmp_path):
    """TimelineJS takes `title` and `era` as written: `Title`, `Era` rows are events, and a
    second title row is an event too."""
    rows = [
        ",,,,,,,,Intro,title,",
        "2023,11,24,,2023,11,28,,Pause,era,",
        "2023,11,20,,,,,,Shouted title,Title,",
        "2023,11,21,,2023,11,23,,Shouted era,Era,",
        "2023,11,22,,,,,,Second title,title,",
    ]
    project, _, _ = sheet(tmp_path, V3 + "\n".join(rows) + "\n")
    assert project.title == "Intro"
    assert [p.title for p in project.phases] == ["Pause"]
    assert set(whens(project)) == {"Shouted title", "Shouted era", "Second title"}
