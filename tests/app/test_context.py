"""Context data: rows summarised per lane and day by DuckDB, cached, and cut into strips."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.chart.context import SURGE_WORDS
from app.cli.main import main
from app.context import summary as summary_module
from app.context.datasets import Dataset, DatasetError
from app.context.strips import Strips
from app.context.summary import cached_summary, summarise

HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "country",
    "event_type",
    "fatalities",
]
ROWS = [
    [
        "1",
        "2023-10-07",
        "2023",
        "Hamas Movement",
        "Military Forces of Israel (2022-)",
        "",
        "",
        "Israel",
        "Battles",
        "10",
    ],
    [
        "2",
        "8 October 2023",
        "2023",
        "Military Forces of Israel (2022-)",
        "Civilians (Palestine)",
        "",
        "",
        "Palestine",
        "Explosions/Remote violence",
        "3",
    ],
    ["3", "2023-10-08", "2023", "Rioters (Lebanon)", "", "", "", "Lebanon", "Riots", ""],
    ["4", "not a date", "2023", "Hamas Movement", "", "", "", "Palestine", "Battles", "1"],
    [
        "5",
        "2022-01-03",
        "2022",
        "Protesters (Israel)",
        "",
        "HAMAS supporters",
        "",
        "Israel",
        "Protests",
        "0",
    ],
]
LANES = {
    "hamas": ("Hamas",),
    "israel": ("Military Forces of Israel",),
    "lebanon": ("country:Lebanon",),
}


def write_csv(path: Path, rows=ROWS, header=HEADER) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def day(iso: str) -> int:
    return int(np.datetime64(iso, "D").astype(np.int64))


def totals(s) -> dict[str, tuple[int, float]]:
    return {
        lane: (int(s.counts[i].sum()), float(s.fatalities[i].sum()))
        for i, lane in enumerate(s.lanes)
    }


def test_rows_match_lanes_by_actor_names_in_any_case_and_by_country(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    s = summarise(Dataset(id="a", path=str(data), lanes=LANES), data)
    assert s.rows == 5 and s.undated == 1
    # Row 1 names Hamas and Israel: it counts on both; row 5 names "HAMAS supporters".
    assert totals(s) == {"hamas": (2, 10.0), "israel": (2, 13.0), "lebanon": (1, 0.0), "": (0, 0.0)}
    assert s.first_day == day("2022-01-03")
    assert s.counts[0, day("2023-10-07") - s.first_day] == 1
    assert s.counts[1, day("2023-10-08") - s.first_day] == 1  # "8 October 2023"


def test_a_name_matches_whole_words_outside_parentheses(tmp_path):
    # ACLED names unnamed groups by where they are: "Protesters (Israel)" is not the state.
    data = write_csv(tmp_path / "acled.csv")
    lanes = {
        "state": ("Israel",),
        "palestine": ("Palestine",),
        "protests": ("Protesters (Israel)",),
    }
    s = summarise(Dataset(id="a", path=str(data), lanes=lanes), data)
    # Rows 1 and 2 name the "Military Forces of Israel (2022-)": Israel as a word outside the
    # parentheses; row 5's "Protesters (Israel)" only through the name that has them.
    assert totals(s) == {
        "state": (2, 13.0),
        "palestine": (0, 0.0),  # "Civilians (Palestine)" only
        "protests": (1, 0.0),
        "": (1, 0.0),
    }
    hama = summarise(Dataset(id="a", path=str(data), lanes={"h": ("Hama",)}), data)
    assert totals(hama)["h"] == (0, 0.0)  # not a word of "Hamas Movement"


def test_rows_that_match_no_lane_are_counted_apart(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    s = summarise(Dataset(id="a", path=str(data), lanes={"hamas": ("Hamas",)}), data)
    assert totals(s)[""] == (2, 3.0)  # rows 2 and 3 (row 4 has no date)


def test_filters_keep_countries_types_and_a_span(tmp_path):
    data = write_csv(tmp_path / "acled.csv.gz")
    base = dict(id="a", path=str(data), lanes=LANES)
    assert summarise(Dataset(**base, countries=("Israel",)), data).rows == 2
    assert summarise(Dataset(**base, types=("Battles",)), data).rows == 2
    spanned = summarise(Dataset(**base, start="2023-01-01", end="2023-10-07"), data)
    assert spanned.rows == 2 and spanned.undated == 1  # undated rows are said, not dropped silently


def test_ucdp_and_a_mapped_csv_read_their_own_columns(tmp_path):
    ged = write_csv(
        tmp_path / "ged.csv",
        rows=[["1", "2023-10-07", "Government of Israel", "Hamas", "Israel", "1", "42"]],
        header=["id", "date_start", "side_a", "side_b", "country", "type_of_violence", "best"],
    )
    s = summarise(Dataset(id="g", path=str(ged), kind="ucdp-ged", lanes={"hamas": ("Hamas",)}), ged)
    assert totals(s)["hamas"] == (1, 42.0)
    mine = write_csv(
        tmp_path / "mine.csv", rows=[["07/10/2023", "Hamas", "5"]], header=["Day", "Who", "Dead"]
    )
    cols = {"date": ("Day",), "actors": ("Who",), "fatalities": ("Dead",)}
    s = summarise(
        Dataset(id="m", path=str(mine), kind="csv", columns=cols, lanes={"h": ("hamas",)}), mine
    )
    assert totals(s)["h"] == (1, 5.0) and s.first_day == day("2023-10-07")


def test_a_file_of_another_kind_says_which_columns_it_lacks(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    with pytest.raises(
        DatasetError, match=r"acled.csv: not ucdp-ged data: it lacks the columns date_start, side_a"
    ):
        summarise(Dataset(id="a", path=str(data), kind="ucdp-ged", lanes=LANES), data)
    with pytest.raises(DatasetError, match="missing"):
        summarise(Dataset(id="a", path="gone.csv"), tmp_path / "gone.csv")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    with pytest.raises(DatasetError, match="broken.parquet"):
        summarise(Dataset(id="a", path=str(broken)), broken)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """`demarche context ARGS`, run in this process (a process each cost a second or two of
    start-up; tests/cli runs the installed command itself)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["context", *args])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_parquet_and_a_folder_partitioned_by_year_give_the_same_summary(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    one = run_cli("convert", str(data), "-o", str(tmp_path / "acled.parquet"))
    assert one.returncode == 0 and "5 rows" in one.stdout, one.stderr
    folder = run_cli("convert", str(data), "-o", str(tmp_path / "by-year"), "--by-year")
    assert folder.returncode == 0, folder.stderr
    assert sorted(p.parent.name for p in (tmp_path / "by-year").rglob("*.parquet")) == [
        "year=2022",
        "year=2023",
    ]
    dataset = Dataset(id="a", path="x", lanes=LANES)
    expected = summarise(dataset, data)
    for path in (tmp_path / "acled.parquet", tmp_path / "by-year"):
        got = summarise(dataset, path)
        assert (got.first_day, got.rows, got.undated) == (expected.first_day, 5, 1)
        assert np.array_equal(got.counts, expected.counts)
        assert np.array_equal(got.fatalities, expected.fatalities)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".demarche-")]  # no leftovers


def test_the_summary_command_counts_rows_per_lane(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    out = run_cli(
        "summary", str(data), "--lane", "hamas=Hamas", "--lane", "lebanon=country:Lebanon"
    )
    assert out.returncode == 0, out.stderr
    assert "5 rows, 1 without a readable date" in out.stdout
    assert "hamas: 2 rows" in out.stdout and "lebanon: 1 row\n" in out.stdout
    bad = run_cli("summary", str(data), "--kind", "ucdp-ged", "--lane", "h=Hamas")
    assert bad.returncode == 1 and "lacks the columns" in bad.stderr


def test_the_summary_command_finds_the_kind_from_the_columns(tmp_path):
    """A UCDP GED file needed --kind ucdp-ged ("not acled data" without it); a table of
    neither kind is said to need its columns named."""
    ged = write_csv(
        tmp_path / "ged.csv",
        rows=[["1", "2023-10-07", "Government of Israel", "Hamas", "Israel", "1", "42"]],
        header=["id", "date_start", "side_a", "side_b", "country", "type_of_violence", "best"],
    )
    out = run_cli("summary", str(ged), "--lane", "hamas=Hamas")
    assert out.returncode == 0 and "hamas: 1 row" in out.stdout, out.stderr
    mine = write_csv(tmp_path / "mine.csv", rows=[["07/10/2023", "Hamas"]], header=["Day", "Who"])
    out = run_cli("summary", str(mine), "--lane", "hamas=Hamas")
    assert out.returncode == 1
    assert "not those of ACLED export or UCDP GED (Day, Who)" in out.stderr
    assert "--kind csv --column date=" in out.stderr


def test_a_second_open_reads_the_cache_and_a_bad_cache_is_rebuilt(tmp_path, monkeypatch, capsys):
    data = write_csv(tmp_path / "acled.csv")
    dataset = Dataset(id="a", path=str(data), lanes=LANES)
    first = cached_summary(dataset, data, tmp_path / "cache")
    (file,) = (tmp_path / "cache" / "context").glob("*.npz")

    def no_duckdb(*args, **kwargs):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(summary_module, "summarise", no_duckdb)
    again = cached_summary(dataset, data, tmp_path / "cache")
    assert np.array_equal(again.counts, first.counts) and again.rows == first.rows
    monkeypatch.undo()
    file.write_bytes(file.read_bytes()[:40])  # truncated
    rebuilt = cached_summary(dataset, data, tmp_path / "cache")
    assert np.array_equal(rebuilt.counts, first.counts)
    assert "rebuilding the context cache" in capsys.readouterr().err
    # Another query, or changed data, is another key: never the old answer.
    other = cached_summary(
        Dataset(id="a", path=str(data), lanes={"hamas": ("Hamas",)}), data, tmp_path / "cache"
    )
    assert other.lanes == ("hamas", "")
    write_csv(data, rows=ROWS[:2])
    assert cached_summary(dataset, data, tmp_path / "cache").rows == 2


def test_strips_sum_any_bucket_and_flag_weeks_above_the_baseline():
    from app.context.summary import Summary

    weeks = [4, 4, 4, 4, 5, 6, 4, 4, 4, 4, 0, 9]  # per week, starting on a Monday
    counts = np.repeat(np.array(weeks, np.int32) // 1, 1)
    per_day = np.zeros(7 * len(weeks), np.int32)
    per_day[::7] = counts  # all of a week's events on its Monday
    monday = day("2023-01-02")
    s = Summary(
        monday,
        ("x", ""),
        np.vstack([per_day, per_day * 0]),
        np.vstack([per_day * 2.0, per_day * 0.0]),
        int(per_day.sum()),
        0,
    )
    strips = Strips(s)
    starts, events, deaths = strips.buckets(0, monday, monday + 7 * len(weeks) - 1, 7)
    assert list(events) == weeks and list(deaths) == [2.0 * w for w in weeks]
    _, months, _ = strips.buckets(0, monday - 400, monday + 1000, 30)
    assert months.sum() == sum(weeks)  # buckets past the data's ends are empty, not wrong
    # 5 > 1.25 * 4 is false (exactly 25 %); 6 > 1.25 * 4.25; 9 > 1.25 * 3.
    assert [int(d - monday) // 7 for d in strips.surges(0)] == [5, 11]


PROJECT = """demarche: 1
title: "Talks"
actors:
  - id: hamas
    name: "Hamas"
  - id: israel
    name: "Israel"
events: []
context:
  - id: acled
    title: "ACLED"
    path: "acled.csv"
    kind: acled
    match:
      - actor: hamas
        names: ["Hamas"]
      - actor: israel
        names: ["Military Forces of Israel"]
  - id: ged
    title: "UCDP GED"
    path: "ged/ged.csv"
    kind: ucdp-ged
"""


def test_info_reports_each_dataset_and_a_missing_one_is_a_warning(tmp_path, monkeypatch, capsys):
    from app.cli.main import main

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    project = tmp_path / "talks.yaml"
    project.write_text(PROJECT)
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "context:  ACLED (acled.csv): 5 rows, 1 without a readable date; per lane: hamas 2; israel 2; no lane 1"
        in out
    )
    assert (
        "context:  UCDP GED (ged/ged.csv): missing: " in out
        and "ged.csv (moved or deleted?)" in out
    )
    assert list((tmp_path / "cache" / "context").glob("*.npz"))  # the summary was kept
    assert main(["validate", str(project)]) == 0  # a missing dataset does not make it invalid


def test_exports_draw_the_strips_and_a_missing_dataset_as_missing(tmp_path, monkeypatch, qapp):
    from PySide6 import QtGui

    from app.chart.layout import LANE_PADDING
    from app.chart.metrics import strip_room
    from app.cli.main import main

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv", rows=[r[:1] + ["2023-10-07"] + r[2:] for r in ROWS[:1]] * 50)
    project = tmp_path / "talks.yaml"
    project.write_text(
        PROJECT.replace(
            "events: []",
            'events:\n  - id: e\n    actor: hamas\n    title: "T"\n    when: "2023-10-01/2023-10-14"',
        )
    )
    bare = tmp_path / "bare.yaml"
    bare.write_text(project.read_text().split("context:")[0])
    for name in ("talks", "bare"):
        assert (
            main(
                [
                    "export",
                    str(tmp_path / f"{name}.yaml"),
                    "-o",
                    str(tmp_path / f"{name}.png"),
                    "--no-legend",
                ]
            )
            == 0
        )
    with_strips, without = (
        QtGui.QImage(str(tmp_path / "talks.png")),
        QtGui.QImage(str(tmp_path / "bare.png")),
    )
    # Hamas's and Israel's lanes each grew by a strip's band, under their rows.
    room = strip_room(1, LANE_PADDING)
    assert (with_strips.width(), with_strips.height()) == (
        without.width(),
        without.height() + 2 * room,
    )

    def plum(image) -> int:
        return sum(
            c.blue() > c.green() + 8 and c.red() > c.green() + 8
            for x in range(0, image.width(), 4)
            for y in range(0, image.height(), 2)
            for c in [QtGui.QColor(image.pixel(x, y))]
        )

    assert plum(without) == 0 and plum(with_strips) > 20  # the strips under Hamas and Israel


def test_the_legend_explains_the_strips_only_when_there_are_some(tmp_path, monkeypatch, qapp):
    import xml.etree.ElementTree as ET

    from app.cli.main import main

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    project = tmp_path / "talks.yaml"
    project.write_text(
        PROJECT.replace(
            "events: []",
            'events:\n  - id: e\n    actor: hamas\n    title: "T"\n    when: "2023-10-07"',
        )
    )
    bare = tmp_path / "bare.yaml"
    bare.write_text(project.read_text().split("context:")[0])
    texts = {}
    for name in ("talks", "bare"):
        out = tmp_path / f"{name}.svg"
        assert main(["export", str(tmp_path / f"{name}.yaml"), "-o", str(out)]) == 0
        texts[name] = " ".join(
            "".join(t.itertext()) for t in ET.parse(out).iter("{http://www.w3.org/2000/svg}text")
        )
    assert SURGE_WORDS in texts["talks"]
    assert "Context:" not in texts["bare"]


def test_info_names_the_lanes_a_dataset_never_matches_apart(tmp_path, monkeypatch, capsys):
    """With a lane per actor, most match no row: 'usa 0; biden 0; cia 0; …' buried the two
    lanes that count. Those are listed first, the empty ones after, as such."""
    from app.cli.main import main

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    write_csv(tmp_path / "acled.csv")
    project = tmp_path / "talks.yaml"
    text = PROJECT.replace(
        "events: []",
        '  - id: qatar\n    name: "Qatar"\n  - id: egypt\n    name: "Egypt"\nevents: []',
    ).replace(
        '        names: ["Military Forces of Israel"]\n',
        '        names: ["Military Forces of Israel"]\n'
        '      - actor: qatar\n        names: ["Qatar"]\n'
        '      - actor: egypt\n        names: ["Egypt"]\n',
    )
    project.write_text(text)
    assert main(["info", str(project)]) == 0
    out = capsys.readouterr().out
    assert "per lane: hamas 2; israel 2; no lane 1; no rows for 2 lanes (qatar, egypt)" in out, out


def test_a_malformed_lane_or_column_is_wrong_usage_written_as_the_help_writes_it(tmp_path):
    data = write_csv(tmp_path / "acled.csv")
    lane = run_cli("summary", str(data), "--lane", "hamas")
    assert lane.returncode == 2, lane.stderr  # exit codes: 2 is wrong usage
    assert "--lane 'hamas': write it as ID=NAME[,NAME…]" in lane.stderr
    column = run_cli("summary", str(data), "--kind", "csv", "--column", "date")
    assert column.returncode == 2
    assert "--column 'date': write it as ROLE=COLUMN" in column.stderr


def test_a_name_in_another_script_matches_the_cell_in_any_case(tmp_path):
    # DuckDB lowers the cells a character at a time (a capital sigma is always "σ", "İ" is
    # "i"); Python's own lower writes a final "ς" and makes "İ" two characters.
    data = tmp_path / "acled.csv"
    with open(data, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event_date", "actor1", "actor2", "fatalities"])
        w.writerow(["2023-10-07", "ΟΔΥΣΣΕΑΣ", "", "0"])
        w.writerow(["2023-10-08", "Οδυσσεας", "", "0"])
        w.writerow(["2023-10-09", "İSTANBUL police", "", "0"])
    lanes = {"title": ("Οδυσσεας",), "caps": ("ΟΔΥΣΣΕΑΣ",), "city": ("İstanbul",)}
    s = summarise(Dataset(id="a", path=str(data), lanes=lanes), data)
    assert totals(s) == {"title": (2, 0.0), "caps": (2, 0.0), "city": (1, 0.0), "": (0, 0.0)}


def test_a_file_or_folder_named_like_a_glob_is_read_as_itself(tmp_path):
    # DuckDB reads a path as a glob: "a*[1].csv" would name another file, or none.
    folder = tmp_path / "data [2023]?"
    folder.mkdir()
    data = write_csv(folder / "acled*[1].csv")
    (folder / "acled-x1.csv").write_text("not,this\n1,2\n")  # what the glob would also match
    dataset = Dataset(id="a", path="x", lanes=LANES)
    assert summarise(dataset, data).rows == 5
    run_cli("convert", str(data), "-o", str(folder / "by year"), "--by-year")
    assert summarise(dataset, folder / "by year").rows == 5
