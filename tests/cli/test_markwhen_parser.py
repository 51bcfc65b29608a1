"""Markwhen read as its own parser (@markwhen/parser 1.2) reads it: many generated
documents go through the real parser (tests/cli/mw_dates.cjs) and through Demarche's
import, and each event must land in the same nested lanes on the same dates. Skipped,
saying why, when node or the parser is not installed (`npm ci` in the interop checks)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import import_files
from tests.examples import THOROUGH, scaled
from tests.interop import checks_dir

HERE = Path(__file__).parent


def parser_checks() -> Path:
    """The real readers, copied and installed where the tests may write (tests/interop.py),
    or DEMARCHE_CHECKS; skips, saying why, without node or the parser. Asked when the test
    runs, not at collection, where every pytest-xdist worker would install them."""
    checks = Path(os.environ.get("DEMARCHE_CHECKS") or checks_dir() or "no-readers")
    if shutil.which("node") is None or not (checks / "node_modules/@markwhen/parser").exists():
        pytest.skip(
            f"node or @markwhen/parser is not installed (npm ci in {checks}, or set DEMARCHE_CHECKS)"
        )
    return checks


names = st.sampled_from(["Talks", "Qatar", "Hamas", "United States", "CIA", "Egypt"])
days = st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2030, 12, 28).date())
units = st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"])
# Zones as Markwhen files name them: IANA names (with and without summer time), offsets in
# hours (YAML reads `+5` as a number) and UTC.
zones = st.sampled_from(
    ["America/New_York", "Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "+5", "-3", "+05:30", "UTC"]
)
# Hours from 4: the summer-time changes (01:00-03:00) are left out, where luxon and Python
# may pick the other side of a clock time that happens twice.
hours = st.integers(4, 23)


# The strategies below are made once, and a document's entries are drawn by plain
# functions: a strategy made anew at each draw (`st.sampled_from` of the entry's own
# words, `date_parts(n, ids)` as a composite of its own) cost hypothesis its properties
# worked out again, about half the drawing time. A pick among words made in the draw is
# its index, as `st.sampled_from` draws it; the same choices, as often, shrinking alike.
_RECURRING_UNITS = ["day", "days", "week", "weeks", "month", "months", "year"]
_recurring_units = st.sampled_from(_RECURRING_UNITS)
_every = st.sampled_from(["", "2 ", "3 "])
_times = st.integers(1, 8)
_any_day = st.dates(min_value=datetime(1990, 1, 1).date())
_KINDS = ["day", "month", "year", "range", "casual", "duration", "after", "time", "zulu"]
# The parser's other forms (markwhengrammar.py): ranges of years, months and slash dates
# with `-` (spaced or not) or `to`, month names, slash dates and times after dates, ISO
# weeks, a time alone, era years, and relative dates from an entry's start or end.
_KINDS += ["years", "months", "slashes", "slash", "named", "clock", "week", "alone", "era"]
_KINDS += ["relative"]
_kinds = st.sampled_from(_KINDS)
_separators = st.sampled_from(["-", " - ", " to "])
_RELATIVE_UNITS = ["days", "weeks", "months", "hours", "weekdays", "business days", "d", "w", "h"]
_relative_units = st.sampled_from(_RELATIVE_UNITS)
_lengths = st.integers(0, 4000)
_RANGES = {"years", "months", "slashes", "named", "week", "era"}
_amounts = st.integers(1, 12)
_minutes = st.sampled_from(["00", "15", "45"])
_quarter = st.integers(0, 3)  # one time in four
_LAST_DAY = datetime(2031, 1, 1).date()
# Entries as the parser also reads them: indented, and without a space after the colon.
_layouts = st.sampled_from([("  ", " "), ("\t", " "), ("", ""), ("  ", "")])


@functools.cache
def _one_of(n: int) -> st.SearchStrategy[int]:
    return st.integers(0, n - 1)


def recurrence(draw) -> str:
    """What follows the date: `every 2 weeks for 6 times` and the other forms rrule.js's
    text grammar reads (and one it refuses: `every other day`)."""
    unit = draw(_recurring_units)
    every = draw(_every)
    heads = [f"every {every}{unit}", "every monday", "every weekday", "every other day"]
    head = heads[draw(_one_of(len(heads)))]
    n = draw(_times)
    ends = [f" for {n} times", f" x{n}", f" for {n} weeks", " until ", ""]
    end = ends[draw(_one_of(len(ends)))]
    if end == " until ":
        end += draw(_any_day).isoformat()
    return f" {head}{end}"


def _pick(draw, choices: list[str]) -> str:
    return choices[draw(_one_of(len(choices)))]


def _later(draw, d):
    """A day from `d` to about ten years later, within 2030 (a range's end)."""
    return min(d + timedelta(days=draw(_lengths)), _LAST_DAY - timedelta(days=1))


def _time_of_day(draw) -> str:
    """`16:45`, `4pm` or `4:45pm` (no hour alone: after a slash date the parser looks for
    its text in the date, and `1/2/2023 2` loses the date)."""
    h, m = draw(hours), draw(_minutes)
    half = f"{(h - 1) % 12 + 1}"
    noon = "am" if h < 12 else "pm"
    return _pick(draw, [f"{h}:{m}", f"{half}{noon}", f"{half}:{m}{noon}"])


def _named(draw, d, day: bool = True) -> str:
    """A month's name (short or long) with the year, and the day before it or after."""
    month = d.strftime(_pick(draw, ["%b", "%B"]))
    if not day:
        return f"{month} {d.year}"
    return _pick(
        draw,
        [f"{month} {d.day} {d.year}", f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}"],
    )


def _slash(d, padded: bool, day: bool = True) -> str:
    month = f"{d.month:02d}" if padded else f"{d.month}"
    return f"{month}/{d.day}/{d.year}" if day else f"{month}/{d.year}"


def _week(draw, d) -> str:
    year, week, weekday = d.isocalendar()
    return _pick(
        draw, [f"{year}-W{week:02d}", f"{year}-W{week:02d}-{weekday}", f"{year}W{week:02d}"]
    )


def parser_form(draw, kind: str, d, n: int, ids: list[str]) -> str:
    """A date part of one of the parser's forms beyond EDTF days, months and years."""
    e, sep = (_later(draw, d), draw(_separators)) if kind in _RANGES else (d, "")
    if kind == "years":
        return f"{d.year}{sep}{e.year}"
    if kind == "months":
        if draw(st.booleans()):
            return f"{_named(draw, d, day=False)}{sep}{_named(draw, e, day=False)}"
        return f"{_slash(d, draw(st.booleans()), day=False)}{sep}{_slash(e, False, day=False)}"
    if kind == "slashes":
        return f"{_slash(d, draw(st.booleans()))}{sep}{_slash(e, draw(st.booleans()))}"
    if kind == "slash":
        return _slash(d, draw(st.booleans()), day=draw(st.booleans()))
    if kind == "named":
        return _named(draw, d) + (f" - {_named(draw, e)}" if draw(_quarter) == 0 else "")
    if kind == "clock":
        dated = [_named(draw, d), _slash(d, False), _slash(d, False) + ",", d.isoformat()]
        return f"{_pick(draw, dated)} {_time_of_day(draw)}"
    if kind == "week":
        return _week(draw, d) + (f"/{_week(draw, e)}" if draw(_quarter) == 0 else "")
    if kind == "alone" and n:  # a time on the day the entry before ends
        return _time_of_day(draw)
    if kind == "era":
        return _pick(draw, [f"{d.year}–{e.year}", f"{d.year} AD", f"{d.year} CE"])
    if kind == "relative" and n:
        head = _pick(draw, ["after", "before", "by"])
        ref = f" !{_pick(draw, ids)}{_pick(draw, ['', '.start', '.end'])}" if ids else ""
        return f"{head}{ref} {draw(_amounts)} {draw(_relative_units)}"
    return d.isoformat()


def date_part(draw, n: int, ids: list[str]) -> str:
    kind = draw(_kinds)
    d = draw(days)
    if kind in _KINDS[9:]:
        out = parser_form(draw, kind, d, n, ids)
        return out + (recurrence(draw) if draw(_quarter) == 0 and kind != "era" else "")
    if kind == "duration" and n:
        return f"{draw(_amounts)} {draw(units)}"
    if kind == "after" and ids:
        return f"after !{ids[draw(_one_of(len(ids)))]} {draw(_amounts)} {draw(units)}"
    if kind == "month":
        out = d.strftime("%Y-%m")
    elif kind == "year":
        out = d.strftime("%Y")
    elif kind == "range":  # the end as a number of days after the start
        e = d + timedelta(days=draw(_one_of((_LAST_DAY - d).days + 1)))
        out = f"{d.isoformat()}/{e.isoformat()}"
    elif kind == "casual":
        out = f"{d.strftime('%b')} {d.day} {d.year}"
    elif kind == "time":
        out = f"{d.isoformat()} {draw(hours)}:{draw(_minutes)}"
    elif kind == "zulu":
        out = f"{d.isoformat()}T{draw(hours):02d}:30:00Z"
    else:
        out = d.isoformat()
    return out + (recurrence(draw) if draw(_quarter) == 0 else "")


@st.composite
def documents(draw) -> str:
    lines, ids, depth = [], [], 0
    if draw(st.booleans()):
        lines += ["---", f"timezone: {draw(zones)}", "---"]
    for n in range(draw(_amounts)):
        if draw(_quarter) == 0:
            depth = 1 + draw(_one_of(min(depth + 1, 3)))
            lines.append(f"{'#' * depth} {draw(names)}")
            if draw(_quarter) == 0:  # a section's zone, for what it holds
                lines.append(f"timezone: {draw(zones)}")
        indent, gap = draw(_layouts) if draw(_quarter) == 0 else ("", " ")
        date, title, props = date_part(draw, n, ids), f"Entry {n}", []
        if draw(st.booleans()):
            ids.append(f"e{n}")
            if draw(_quarter) == 0:  # on the entry's line, taken out of its title
                title = f"Entry !e{n} {n}"
            else:
                props.append(f"id: e{n}")
        lines.append(f"{indent}{date}:{gap}{title}")
        if draw(_quarter) == 0:
            props.append(f"timezone: {draw(zones)}")
        if len(props) == 2 and draw(st.booleans()):  # either order, as st.permutations
            props.reverse()
        lines += props
    return "\n".join(lines) + "\n"


class RealParser:
    """The real parser in one node process for the module, told each file's name on its
    input and answering a line a file (a process per call spent 0.4 s starting node)."""

    def __init__(self, checks: Path, folder: Path):
        # The parser reads a file without a zone in the machine's zone; Demarche in UTC.
        env = dict(os.environ, NODE_PATH=str(checks / "node_modules"), TZ="UTC")
        self.err = folder / "node.err"
        with open(self.err, "wb") as err:
            self.process = subprocess.Popen(
                ["node", str(HERE / "mw_dates.cjs"), "-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env=env,
            )

    def __call__(self, paths: list[Path]) -> list[list[dict]]:
        watchdog = threading.Timer(300, self.process.kill)  # as the old per-call timeout
        watchdog.start()
        try:
            self.process.stdin.write("".join(f"{p}\n" for p in paths))
            self.process.stdin.flush()
            lines = [self.process.stdout.readline() for _ in paths]
        finally:
            watchdog.cancel()
        assert all(lines), f"node stopped: {self.err.read_text(errors='replace')[-3000:]}"
        return [json.loads(line) for line in lines]

    def stop(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def real_parser(tmp_path_factory):
    parser = RealParser(parser_checks(), tmp_path_factory.mktemp("node"))
    yield parser
    parser.stop()


def instant(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC).timestamp()


def expected(event: dict) -> dict:
    """The parser's event as Demarche should read it: midnight to midnight in the event's
    zone is those calendar days (Demarche's days have no zone), anything else the
    instants. A point in time (to = from) covers its minute or second in Demarche."""
    a, b = (datetime.fromisoformat(event[k].replace("Z", "+00:00")) for k in ("from", "to"))
    # The parser leaves the colon in an era entry's title (`1999–2001: x` is ": x").
    title = event["title"].removeprefix(":").strip()
    if a.time() == b.time() == datetime.min.time() and b > a:
        lo, hi = (
            t.replace(tzinfo=UTC).timestamp()
            for t in (a.replace(tzinfo=None), b.replace(tzinfo=None))
        )
    else:
        lo, hi = instant(event["from"]), instant(event["to"])
    return {"lanes": event["lanes"], "title": title, "from": lo, "to": hi}


def end(event, theirs: dict) -> float:
    """Demarche's end, held to the parser's: a point in time (to = from) covers its minute
    or second in Demarche, and so does a range's end written as a time (`A/2023-05-01
    10:00` ends at 10:01, as Demarche's export writes it back)."""
    when, last = event.when, event.when.end
    if theirs["to"] == theirs["from"] and when.hi - when.lo in (1, 60):
        return theirs["to"]
    if when.is_range and last is not None and last.hour is not None and when.hi != theirs["to"]:
        return last.lo
    return when.hi


# CI runs a few examples (each is 20 documents); HYPOTHESIS_PROFILE=thorough the profile's many.
EXAMPLES = settings.default.max_examples if THOROUGH else scaled(8)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(st.lists(documents(), min_size=20, max_size=20))
def test_generated_documents_read_as_the_real_parser_reads_them(
    tmp_path_factory, real_parser, docs
):
    folder = tmp_path_factory.mktemp("mw")
    paths = []
    for n, doc in enumerate(docs):
        paths.append(folder / f"d{n}.mw")
        paths[-1].write_text(doc)
    for path, theirs in zip(paths, real_parser(paths), strict=True):
        project = import_files([str(path)])[0]
        lanes = {a.id: a for a in project.actors}

        def lane_names(actor_id: str, lanes: dict = lanes) -> list[str]:
            out = []
            while actor_id in lanes:
                out.insert(0, lanes[actor_id].name)
                actor_id = lanes[actor_id].parent
            return [] if out == ["Ungrouped"] else out

        want = [expected(t) for t in theirs]
        ours = []
        for e, t in zip(project.events, want, strict=False):
            ours.append(
                {"lanes": lane_names(e.actor), "title": e.title, "from": e.when.lo, "to": end(e, t)}
            )
        if len(project.events) != len(want):
            ours.append(f"{len(project.events)} events")
        assert ours == want, path.read_text()


# Lines on which the parser's own patterns backtrack for the square of their length (a
# range's `-` against a relative date's `-1 d`, a slash date against an ISO week): read
# within a window of the line, they cost its length.
HOSTILE = {
    "heading": "# a" + " " * 100_000 + "b",
    "spaces": " " * 100_000 + "x",
    "date-then-spaces": "2023" + " " * 100_000 + "x",
    "colons": "a:" * 50_000,
    "amounts": "1d" * 50_000 + ": x",
    "negative-amounts": "-1 d" * 25_000 + ": x",
    "slashes-and-weeks": "1/W-" * 25_000 + ": x",
    "months": "Jan 1 " * 20_000 + ": x",
    "recurrence": "2023 every" + " " * 100_000 + "x:",
    "indented-ids": " " * 50_000 + "!a" * 25_000 + ": x",
}


@pytest.mark.parametrize("line", HOSTILE.values(), ids=HOSTILE.keys())
def test_long_lines_do_not_make_the_reader_backtrack(tmp_path, line):
    path = tmp_path / "long.mw"
    path.write_text(f"# Talks\n2023-01-01: First\n{line}\n" * 3)
    start = time.process_time()
    import_files([str(path)])
    assert time.process_time() - start < 5  # quadratic, this was minutes
