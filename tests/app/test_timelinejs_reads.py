"""What TimelineJS reads of the export: every slide of the example, and every dated phase as
an era TimelineJS keeps, from the start of its first day (month, year…) to the end of its last;
Demarche's import gives the phase back."""

from __future__ import annotations

import json
import os
import random
import subprocess
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.exporters import timelinejs
from app.fileformat import projectfile
from app.records.model import Actor, Event, Phase, Project
from app.records.when import parse
from tests.app.strategies import whens
from tests.app.test_example import PATH as EXAMPLE
from tests.app.test_exporters import CHROMIUM
from tests.app.test_import_roundtrip import imported

FORMS = ("%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S+02:00")
QUALIFIERS = ("", "~", "?", "%")
EPOCH = date(1970, 1, 1).toordinal()


def instant(parts: dict) -> float:
    """A TimelineJS date as it reads it (a missing part is its first value), in seconds
    since 1970 with no zone; JavaScript has the year 10000."""
    y, m, d = parts["year"], parts.get("month", 1), parts.get("day", 1)
    days = (date(9999, 12, 31).toordinal() + 1) if y == 10000 else date(y, m, d).toordinal()
    clock = parts.get("hour", 0) * 3600 + parts.get("minute", 0) * 60 + parts.get("second", 0)
    return (days - EPOCH) * 86400.0 + clock


def kept_by_timelinejs(era: dict) -> bool:
    """TimelineConfig._processDates drops an end whose parts equal the start's, looking only
    at the parts the start has; then validate() rejects the whole timeline."""
    start, end = era["start_date"], era["end_date"]
    return any(start[name] != end.get(name) for name in start)


def project_of(phases: list[str], event: str = "2023-11-22") -> Project:
    return Project(
        "Phases",
        "",
        [],
        [Actor(id="a", name="A")],
        [Phase(id=f"p{i}", title=w, when=parse(w)) for i, w in enumerate(phases)],
        [Event(id="e", actor="a", title="Talks", when=parse(event))],
        [],
    )


def test_a_one_day_phase_is_an_era_over_its_day():
    """The tester's file: an era ending where it began made TimelineJS show nothing."""
    project = project_of(["2023-11-24", "1422-02", "1003-12%", "2023/2023-06", "9999"])
    eras = json.loads(timelinejs.dumps(project))["eras"]
    assert [(e["start_date"], e["end_date"]) for e in eras] == [
        ({"year": 2023, "month": 11, "day": 24}, {"year": 2023, "month": 11, "day": 25}),
        ({"year": 1422, "month": 2}, {"year": 1422, "month": 3}),
        ({"year": 1003, "month": 12}, {"year": 1004, "month": 1}),
        ({"year": 2023, "month": 1}, {"year": 2023, "month": 7}),  # the start says its month
        ({"year": 9999}, {"year": 10000}),
    ]


@settings(deadline=None)
@given(st.lists(whens(), min_size=1, max_size=4), whens())
def test_every_era_ends_after_it_starts_as_timelinejs_reads_it(phases, event):
    project = project_of([w.text for w in phases], event.text)
    eras = json.loads(timelinejs.dumps(project))["eras"]
    assert len(eras) == len(phases)
    for era, when in zip(eras, phases, strict=True):
        assert kept_by_timelinejs(era)
        assert instant(era["start_date"]) < instant(era["end_date"])
        if when.start and when.end:  # the era covers the phase, no more (zones unsaid)
            assert instant(era["start_date"]) == when.start.lo + 60 * (when.start.offset_min or 0)
            assert instant(era["end_date"]) == when.end.hi + 60 * (when.end.offset_min or 0)


def test_the_import_gives_each_phase_back():
    written = [f"2023-11-24T07:00{q}" for q in ("", "~")] + ["1422-02", "../2023-11-01"]
    back = imported(timelinejs.dumps(project_of(written)), ".json")
    assert [p.when.text for p in back.phases] == written


def generated_phases(seed: int) -> list[str]:
    """Phases of every precision and qualifier: single, a range to a later point (of any
    precision), open at either end."""
    rng = random.Random(seed)
    out = []
    for form in FORMS:
        for q in QUALIFIERS:
            day = datetime(rng.randint(1000, 2100), rng.randint(1, 12), rng.randint(1, 28),
                           rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))  # fmt: skip
            a = day.strftime(form) + q
            later = day.replace(year=day.year + rng.randint(0, 3), month=12, day=31)
            b = later.strftime(rng.choice(FORMS)) + rng.choice(QUALIFIERS)
            out += [a, f"{a}/{b}", f"{a}/..", f"../{a}"]
    return out


@pytest.fixture(scope="module")
def read_by_timelinejs(readers, tmp_path_factory) -> dict[str, dict]:
    """The example's export and generated eras (one project a precision, all in one
    timeline), loaded by TimelineJS itself in one browser: a browser each cost 1.5 s of CPU
    more. What it read of each, by file name."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    folder = tmp_path_factory.mktemp("timelinejs")
    files = {
        "example.json": timelinejs.dumps(projectfile.load(EXAMPLE)),
        "eras.json": timelinejs.dumps(project_of(generated_phases(7))),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    run = subprocess.run(
        ["node", "tljs_check.js", *(str(folder / name) for name in files)],
        cwd=readers,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    read = [json.loads(line) for line in run.stdout.splitlines()]
    return {r["file"]: r for r in read}


def test_timelinejs_itself_loads_every_slide(read_by_timelinejs):
    project = projectfile.load(EXAMPLE)
    read = read_by_timelinejs["example.json"]
    assert read["valid"] and read["errors"] == []
    assert read["slides"] == len(project.events) + 1  # and the title slide
    assert read["eras"] == len([p for p in project.phases if p.dated])


def test_timelinejs_itself_keeps_every_era(read_by_timelinejs):
    """Differential: generated phases, one project a precision, loaded by TimelineJS."""
    read = read_by_timelinejs["eras.json"]
    assert read["valid"] and read["errors"] == [], read
    assert read["config_eras"] == read["eras"] == len(generated_phases(7)) == 80
