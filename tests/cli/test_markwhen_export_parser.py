"""Markwhen export read back by Markwhen's own parser (@markwhen/parser 1.2, through
tests/cli/mw_dates.cjs): projects holding every kind of Demarche date (years, months, days,
local times, UTC times, offsets, each with or without ~ ? %, as points, ranges of any two
kinds and open ranges) are exported, and every event must be there with its title and the
instants Demarche gives it. Skipped, saying why, without node or the parser."""

from __future__ import annotations

import json
import os
import random
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from app.exporters import markwhen
from app.importers import import_files
from app.records.model import Actor, Event, Phase, Project
from app.records.when import Point, When, WhenError, parse

MW_DATES = Path(__file__).parent / "mw_dates.cjs"
SEEDS = 5  # each a draw of every kind of date (650 records in all)

# Each kind of point Demarche reads, as a strftime form.
KINDS = [
    "%Y",
    "%Y-%m",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M",  # local (floating) times
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%MZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S+02:00",
    "%Y-%m-%dT%H:%M-05:00",
    "%Y-%m-%dT%H:%M:%S+05:30",
]
QUALIFIERS = ["", "", "~", "?", "%"]
# Words that look like Markwhen syntax, in titles: a date's tail, a range, a recurrence.
WORDS = ["Talks", "a: b", "05/2015-12-22T22:30:00Z:", "- 2023", "to", "every", "now", "|"]


def point(rng: random.Random, kind: str, after: datetime | None = None) -> tuple[str, datetime]:
    if after is None:
        at = datetime(rng.randint(2, 9997), 1, 1) + timedelta(days=rng.randint(0, 364))
    else:  # the same minute up to a few years later
        at = after + timedelta(days=rng.choice([0, 0, 1, 40, 900]))
    at = at.replace(hour=rng.randint(0, 23), minute=rng.choice([0, 5, 30, 59]))
    at = at.replace(second=rng.choice([0, 30]))
    text = at.strftime(kind.replace("%Y", f"{at.year:04d}"))  # glibc pads no year < 1000
    return text + rng.choice(QUALIFIERS), at


def whens(rng: random.Random) -> list[When]:
    """Each kind as a point and at either open end, and each pair of kinds as a range."""
    texts = []
    for kind in KINDS:
        text = point(rng, kind)[0]
        texts += [text, f"{text}/..", f"../{text}"]
        for other in KINDS:
            while True:
                a, at = point(rng, kind)
                try:
                    texts.append(parse(f"{a}/{point(rng, other, at)[0]}").text)
                    break
                except WhenError:  # the end came first: draw again
                    pass
    return [parse(t) for t in texts]


def projects(seed: int, size: int = 12) -> list[Project]:
    rng = random.Random(seed)
    dates = whens(rng)
    rng.shuffle(dates)
    out = []
    for n in range(0, len(dates), size):
        events, phases = [], []
        for k, when in enumerate(dates[n : n + size]):
            title = " ".join([f"E{k}", *rng.sample(WORDS, rng.randint(0, 2))])
            if k % 5 == 4:
                phases.append(Phase(id=f"p{k}", title=title, when=when))
            else:
                events.append(Event(id=f"e{k}", actor="a", title=title, when=when))
        out.append(
            Project(title="P", actors=[Actor(id="a", name="A")], events=events, phases=phases)
        )
    return out


def read(readers: Path, paths: list[Path]) -> list[list[dict]]:
    """What the real parser reads in each file, in UTC (Demarche's days are UTC days)."""
    env = dict(os.environ, NODE_PATH=str(readers / "node_modules"), TZ="UTC")
    run = subprocess.run(
        ["node", str(MW_DATES), *map(str, paths)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(line) for line in run.stdout.splitlines()]


def instant(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _zoned(p: Point) -> bool:
    return p.zulu or p.offset_min is not None


def expected(when: When) -> tuple[float, float]:
    """Demarche's instants as Markwhen can say them: a time is the instant it names (a
    point in time has no length in Markwhen), a date ends where the next begins, an open
    range is its known end alone (Markwhen has `now` only), and a local time, where no end
    has a zone, is to the minute (Markwhen's local times have no seconds)."""
    start, end = when.start, when.end
    if not (when.is_range and start and end):
        p = start or end
        lo = _to_minute(p, zoned_range=False)
        return lo, lo if p.hour is not None else p.hi
    zoned = _zoned(start) or _zoned(end)
    hi = end.hi if end.hour is None else _to_minute(end, zoned)
    return _to_minute(start, zoned), hi


def _to_minute(p: Point, zoned_range: bool) -> float:
    local = p.hour is not None and not _zoned(p) and not zoned_range
    return p.lo - (p.second or 0) if local else p.lo


def test_every_kind_of_date_reads_in_markwhen_as_in_demarche(readers, tmp_path):
    made = [p for seed in range(SEEDS) for p in projects(seed)]
    paths = []
    for n, project in enumerate(made):
        paths.append(tmp_path / f"p{n}.mw")
        paths[-1].write_text(markwhen.dumps(project), encoding="utf-8")
    counted = 0
    for project, path, theirs in zip(made, paths, read(readers, paths), strict=True):
        records = [*project.events, *project.phases]
        counted += len(records)
        want = {r.title: r for r in records}  # (the parser's title leaves out tags: #phase)
        got = {t["title"]: (instant(t["from"]), instant(t["to"])) for t in theirs}
        assert got == {t: expected(r.when) for t, r in want.items()}, path.read_text()
        assert len(theirs) == len(records), path.read_text()
        # Demarche's own import gives back each exact date.
        back = import_files([str(path)])[0]
        assert sorted(r.when.text for r in [*back.events, *back.phases]) == sorted(
            r.when.text for r in records
        )
    assert counted == SEEDS * len(KINDS) * (len(KINDS) + 3)  # every pair of kinds, and more
