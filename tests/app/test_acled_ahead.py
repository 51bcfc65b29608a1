"""An ACLED file read with a helper process (app/importers/acledrows.py) gives the bytes
and the report the importer gives alone: on generated files with quoted line feeds, CR
LF, bad rows, rows left out (a cell over the limit) and blank ones, missing columns,
ids written quoted (records from there on), in chunks of a few rows. Where the helper
fails midway or cannot start, the importer reads the rest itself, to the same result.
The imports run in a fresh process (tests/app/acled_ahead_check.py): a helper is forked
only from a process of one thread."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import threading

import pytest

from app.importers import acled, ahead
from tests.bench.acled import HEADER
from tests.bench.acled import rows as bench_rows

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _file(path: str, seed: int, n: int = 90) -> str:
    """An ACLED export of n rows, made odd in ways of its own (seeded)."""
    rng = random.Random(seed)
    header = list(HEADER)
    body = [list(r) for r in bench_rows(n, seed=seed)]
    for row in rng.sample(body, n // 6):
        at = rng.randrange(len(HEADER))
        kind = rng.randrange(6)
        if kind == 0:
            row[HEADER.index("notes")] = 'A note\nover two lines, "quoted".\r\nThird, café.'
        elif kind == 1:
            row[HEADER.index("actor1")] = ""  # skipped: no actor1
        elif kind == 2:
            row[HEADER.index("event_date")] = "someday"  # skipped: a bad date
        elif kind == 3:
            del row[at]  # skipped: a cell short
        elif kind == 4:
            row[HEADER.index("event_id_cnty")] = rng.choice(["", " "])
        else:
            row[HEADER.index("notes")] = "x" * (130 * 1024)  # left out by the stream
    if seed >= 8:  # an id written quoted: records from its chunk on
        body[n // 2] = ["On", *next(iter(bench_rows(1, seed=seed)))[1:]]
    if seed % 3 == 0:  # a column that is not read, missing: rows padded
        gone = HEADER.index("fatalities")
        header.pop(gone)
        for row in body:
            if len(row) > gone:
                row.pop(gone)
    ends = "\r\n" if seed % 2 else "\n"
    out = io.StringIO()
    if seed % 4 == 1:
        out.write("sep=,\n")
    writer = csv.writer(out, lineterminator=ends)
    writer.writerow(header)
    for row in body:
        writer.writerow(row)
        if rng.random() < 0.05:
            out.write(rng.choice([ends, "," * 5 + ends]))  # a blank row, left out
    # Text not UTF-8: Windows-1252 (read as such, and said so), UTF-16 with its BOM.
    encoding = {6: "cp1252", 7: "utf-16"}.get(seed, "utf-8")
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(out.getvalue())
    return path


def _check(paths: list[str], *options: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.app.acled_ahead_check", *options, *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, "PYTHONPATH": ROOT},
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("acled-ahead")
    return [_file(str(folder / f"acled{seed}.csv"), seed) for seed in range(12)]


def test_a_file_read_with_a_helper_gives_what_the_importer_alone_gives(files):
    lines = _check(files)
    assert [line["same"] for line in lines] == [True] * len(files)
    assert all(line["single"] for line in lines)
    # The helper gave every chunk of a file (up to the one where an id written quoted
    # made records, from the 9th file on); the importer alone asked none.
    chunks = max(line["given"] for line in lines)
    assert [line["given"] == chunks for line in lines[:8]] == [True] * 8
    assert all(0 < line["given"] < chunks for line in lines[8:])
    assert [line["again"] for line in lines] == [0] * 8 + [1] * 4
    assert sum(line["given_alone"] for line in lines) == 0
    # The files hold what they were made to: skipped rows of every kind, and records.
    report = "\n".join("\n".join(line["alone"]["report"]) for line in lines)
    whys = ("no actor1", "event_date:", "where the header has", "a cell of 130 KB", "Windows-1252")
    for why in whys:
        assert why in report
    assert any("over two lines" in line["alone"]["file"] for line in lines)  # a quoted line feed


def test_a_helper_that_fails_midway_leaves_the_rest_to_the_importer(files):
    for k in (0, 1, 4):
        lines = _check(files[:4], "--fail-after", str(k))
        assert [line["same"] for line in lines] == [True] * 4
        assert {line["given"] for line in lines} == {k}


def test_no_helper_starts_where_another_thread_runs(files):
    lines = _check(files[:2], "--thread")
    assert [(line["same"], line["given"], line["single"]) for line in lines] == [
        (True, 0, False)
    ] * 2


def test_no_helper_starts_for_a_small_file(files):
    (line,) = _check(files[:1], "--small")
    assert os.path.getsize(files[0]) < acled.AHEAD_BYTES
    assert (line["same"], line["given"], line["single"]) == (True, 0, True)


def test_an_unreadable_file_fails_as_it_does_without_a_helper(tmp_path):
    path = _file(str(tmp_path / "cut.csv"), 5, n=40)
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write('YEM9,2020-01-01,"a quote never closed\n' + "more,text\n" * 20)
    (line,) = _check([path])
    assert line["same"] and "never closed" in line["alone"]["error"]


def test_a_core_is_free_while_fewer_tasks_are_ready_than_cores():
    assert ahead.free_core("0.52 0.58 0.59 1/467 5301", 2)  # this one alone
    assert not ahead.free_core("3.80 3.33 2.55 3/467 5301", 2)
    assert ahead.free_core("3.80 3.33 2.55 3/467 5301", 4)
    assert not ahead.free_core("0.52 0.58 0.59 1/467 5301", 1)
    assert not ahead.free_core("not a load", 2)
    assert isinstance(ahead.free_core(), bool)


def test_the_command_line_lets_a_reader_start_a_helper(tmp_path, monkeypatch):
    from app.cli import importing
    from app.cli.main import main

    asked = []
    real = importing.import_files
    monkeypatch.setattr(importing, "import_files", lambda *a, **k: asked.append(k) or real(*a, **k))
    path = _file(str(tmp_path / "a.csv"), 2, n=5)
    assert main(["import", path, "-o", str(tmp_path / "a.yaml")]) == 0
    assert asked == [{"ahead": True}]


def test_a_process_of_threads_is_not_single_threaded():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not ahead.single_threaded()
        assert ahead.start(lambda: iter([b"never"])) is None
    finally:
        stop.set()
        thread.join()


def test_the_golden_files_read_with_a_helper_give_what_they_gave(tmp_path):
    """tests/app/test_acled_golden.py's files (each way a row goes wrong, columns left
    out), read with a helper, give what they give alone (what those tests hold them to)."""
    from tests.app.test_acled_golden import DIGESTS
    from tests.app.test_acled_golden import _file as golden_file

    paths = []
    for at, dropped in enumerate(DIGESTS):
        (tmp_path / str(at)).mkdir()
        paths.append(golden_file(tmp_path / str(at), dropped))
    lines = _check(paths, "--chunk", "50")
    assert [(line["same"], line["given"]) for line in lines] == [(True, 81)] * len(paths)
