"""Markwhen read as its own parser (@markwhen/parser 1.2) reads it: many generated
documents go through the real parser (tests/cli/mw_dates.cjs) and through Demarche's
import, and each event must land in the same nested lanes on the same dates. Skipped,
saying why, when node or the parser is not installed (`npm ci` in the interop checks)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers import import_files
from tests.interop import checks_dir

HERE = Path(__file__).parent
# The real readers, copied and installed where the tests may write (tests/interop.py).
CHECKS = Path(os.environ.get("DEMARCHE_CHECKS") or checks_dir() or "no-readers")
PARSER = CHECKS / "node_modules" / "@markwhen" / "parser"
needs_parser = pytest.mark.skipif(
    shutil.which("node") is None or not PARSER.exists(),
    reason=f"node or @markwhen/parser is not installed (npm ci in {CHECKS}, or set DEMARCHE_CHECKS)",
)

names = st.sampled_from(["Talks", "Qatar", "Hamas", "United States", "CIA", "Egypt"])
days = st.dates(min_value=datetime(1990, 1, 1).date(), max_value=datetime(2030, 12, 28).date())
units = st.sampled_from(["day", "days", "week", "weeks", "month", "months", "year", "years"])


@st.composite
def date_parts(draw, n: int, ids: list[str]) -> str:
    kind = draw(st.sampled_from(["day", "month", "year", "range", "casual", "duration", "after"]))
    d = draw(days)
    if kind == "duration" and n:
        return f"{draw(st.integers(1, 12))} {draw(units)}"
    if kind == "after" and ids:
        return f"after !{draw(st.sampled_from(ids))} {draw(st.integers(1, 12))} {draw(units)}"
    if kind == "month":
        return d.strftime("%Y-%m")
    if kind == "year":
        return d.strftime("%Y")
    if kind == "range":
        e = draw(st.dates(min_value=d, max_value=datetime(2031, 1, 1).date()))
        return f"{d.isoformat()}/{e.isoformat()}"
    if kind == "casual":
        return f"{d.strftime('%b')} {d.day} {d.year}"
    return d.isoformat()


@st.composite
def documents(draw) -> str:
    lines, ids, depth = [], [], 0
    for n in range(draw(st.integers(1, 12))):
        if draw(st.integers(0, 3)) == 0:
            depth = draw(st.integers(1, min(depth + 1, 3)))
            lines.append(f"{'#' * depth} {draw(names)}")
        lines.append(f"{draw(date_parts(n, ids))}: Entry {n}")
        if draw(st.booleans()):
            ids.append(f"e{n}")
            lines.append(f"id: e{n}")
    return "\n".join(lines) + "\n"


def real_parser(paths: list[Path]) -> list[list[dict]]:
    env = dict(os.environ, NODE_PATH=str(CHECKS / "node_modules"))
    out = subprocess.run(
        ["node", str(HERE / "mw_dates.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines()]


def instant(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(UTC).timestamp()


@needs_parser
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(documents(), min_size=20, max_size=20))
def test_generated_documents_read_as_the_real_parser_reads_them(tmp_path_factory, docs):
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

        ours = [
            {"lanes": lane_names(e.actor), "title": e.title, "from": e.when.lo, "to": e.when.hi}
            for e in project.events
        ]
        expected = [
            {
                "lanes": t["lanes"],
                "title": t["title"],
                "from": instant(t["from"]),
                "to": instant(t["to"]),
            }
            for t in theirs
        ]
        assert ours == expected, path.read_text()


@pytest.mark.parametrize(
    "line",
    ["# a" + " " * 100_000 + "b", " " * 100_000 + "x", "2023" + " " * 100_000 + "x", "a:" * 50_000],
    ids=["heading", "spaces", "date-then-spaces", "colons"],
)
def test_long_lines_do_not_make_the_reader_backtrack(tmp_path, line):
    path = tmp_path / "long.mw"
    path.write_text(f"# Talks\n2023-01-01: First\n{line}\n" * 3)
    start = time.process_time()
    import_files([str(path)])
    assert time.process_time() - start < 5  # quadratic, this was minutes
