"""DuckDB's summary held to a plain Python reading of the same rows, on many generated
files: dates in the forms the kinds write (and some that are no date), actor cells in any
case, country matches, fatalities missing or not numbers. And the special files a person may
name by mistake."""

from __future__ import annotations

import csv
import gzip
import os
from collections import Counter, defaultdict
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.context.datasets import Dataset, DatasetError
from app.context.summary import NO_LANE, check_whole, summarise
from tests.app.strategies import either
from tests.examples import THOROUGH, scaled

HEADER = [
    "event_date",
    "actor1",
    "actor2",
    "assoc_actor_1",
    "assoc_actor_2",
    "country",
    "fatalities",
]
ACTORS = [
    "Hamas Movement",
    "HAMAS",
    "Military Forces of Israel (2022-)",
    "Protesters (Israel)",
    "Civilians (Palestine)",
    "Hezbollah",
    "",
    "Rioters; Looters",
    "Israeli Settlers",  # not Israel: a longer word
    "Hamas-affiliated militia",  # Hamas: a hyphen ends the word
    "Hamass",
    "Militia (Pro-Hamas)",  # in parentheses: not Hamas
    "Police (Israël) Israël",
    "Hamas(Gaza)Israel",
    "Israel (unclosed Hamas",
    "Militia_Hamas",
]
COUNTRIES = ["Israel", "Palestine", "Lebanon", ""]
LANES = {
    "hamas": ("Hamas",),
    "army": ("military forces of israel",),
    "lebanon": ("country:Lebanon",),
    "israel": ("Israel", "country:Israel"),
    "israël": ("Israël",),
    "protesters": ("Protesters (Israel)",),  # parentheses named: looked for in the whole text
}
FORMATS = ["%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%d-%m-%Y"]

days = st.dates(date(2021, 1, 1), date(2024, 12, 31))
when = either(
    st.tuples(days, st.sampled_from(FORMATS)).map(lambda d: d[0].strftime(d[1])),
    st.sampled_from(["", "not a date", "2023-02-30"]),
)
rows = st.lists(
    st.tuples(
        when,
        *(st.sampled_from(ACTORS) for _ in range(4)),
        st.sampled_from(COUNTRIES),
        st.sampled_from(["", "0", "3", "12", "unknown"]),
    ),
    min_size=1,
    max_size=40,
)


def day_of(text: str) -> int | None:
    for fmt in FORMATS:
        try:
            return (datetime.strptime(text, fmt).date() - date(1970, 1, 1)).days
        except ValueError:
            continue
    return None


def without_parentheses(text: str) -> str:
    """Each "(" up to the next ")", or to the end when there is none, made one space."""
    out = ""
    while (start := text.find("(")) >= 0:
        end = text.find(")", start)
        if end < 0:
            return out + text[:start] + " "
        out, text = out + text[:start] + " ", text[end + 1 :]
    return out + text


def has_word(text: str, word: str) -> bool:
    """`word` in `text` with no letter, digit or underscore either side."""
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(word)] if at + len(word) < len(text) else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return True
        at = text.find(word, at + 1)
    return False


def lanes_of(row) -> list[str]:
    who = " | ".join(row[1:5]).lower()
    out = []
    for lane, names in LANES.items():
        for name in names:
            if name.startswith("country:"):
                hit = row[5] == name.removeprefix("country:")
            else:
                text = who if "(" in name or ")" in name else without_parentheses(who)
                hit = has_word(text, name.lower())
            if hit:
                out.append(lane)
                break
    return out or [NO_LANE]


# Each example opens DuckDB (about 0.1 s): CI tries 20, HYPOTHESIS_PROFILE=thorough the
# profile's many.
EXAMPLES = settings.default.max_examples if THOROUGH else scaled(20)


@settings(max_examples=EXAMPLES, deadline=None)
@given(rows)
def test_the_summary_is_the_rows_counted_plainly(tmp_path_factory, table):
    path = tmp_path_factory.mktemp("ctx") / "acled.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HEADER, *table])
    s = summarise(Dataset(id="a", path=str(path), lanes=LANES), path)
    counts, deaths = Counter(), defaultdict(float)
    undated = 0
    for row in table:
        d = day_of(row[0])
        if d is None:
            undated += 1
            continue
        fat = float(row[6]) if row[6].isdigit() else 0.0
        for lane in lanes_of(row):
            counts[lane, d] += 1
            deaths[lane, d] += fat
    assert (s.rows, s.undated) == (len(table), undated)
    got = Counter()
    got_deaths = defaultdict(float)
    for i, lane in enumerate(s.lanes):
        for k in s.counts[i].nonzero()[0]:
            got[lane, s.first_day + int(k)] = int(s.counts[i, k])
            got_deaths[lane, s.first_day + int(k)] = float(s.fatalities[i, k])
    assert got == counts
    assert got_deaths == {k: v for k, v in deaths.items() if k in counts}


def test_a_fifo_or_a_device_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    with pytest.raises(DatasetError, match="not a regular file"):
        summarise(Dataset(id="a", path=str(fifo)), fifo)


def test_a_truncated_gzip_is_a_message_naming_the_file(tmp_path):
    whole = tmp_path / "whole.csv.gz"
    with gzip.open(whole, "wt") as f:
        f.write(
            "event_date,actor1\n"
            + "".join(f"2023-10-{1 + i % 28:02d},Hamas {i}\n" for i in range(50000))
        )
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(DatasetError, match="cut.csv.gz: the gzip file is cut short"):
        summarise(Dataset(id="a", path=str(cut), lanes={"h": ("Hamas",)}), cut)


def test_an_interrupt_stops_the_check_of_a_gzip_file_before_duckdb(tmp_path):
    """Stop pressed while a big .csv.gz is checked (read whole, before DuckDB connects)
    stops the check at its next chunk: the check is told to `on_connect` first, as the
    connection is after it."""
    path = tmp_path / "big.csv.gz"
    rows = "".join(f"2023-10-{1 + i % 28:02d},Hamas {i * 7919 % 100003}\n" for i in range(400_000))
    with gzip.open(path, "wt", compresslevel=1) as f:
        f.write("event_date,actor1\n" + rows)
    assert path.stat().st_size > 2 << 20  # chunks of 1 MB: several
    asked: list[int] = []

    def stop_at_once(told) -> None:
        told.interrupt()  # pressed while the check reads
        asked.append(1)

    dataset = Dataset(id="a", path=str(path), lanes={"h": ("Hamas",)})
    with pytest.raises(DatasetError, match="big.csv.gz: interrupted"):
        summarise(dataset, path, on_connect=stop_at_once)
    assert asked == [1]  # DuckDB was never connected
    reads = []

    def stopped() -> bool:
        reads.append(1)
        return len(reads) == 2

    with pytest.raises(DatasetError, match="interrupted"):
        check_whole(path, stopped=stopped)
    assert len(reads) == 2  # at its second chunk, not after the file
    check_whole(path)  # not stopped: the file is whole
