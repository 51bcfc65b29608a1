from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.records.when import DAY, MONTH, YEAR, WhenError, from_yaml_value, parse
from tests.app.strategies import whens


def utc(*args) -> float:
    return datetime(*args, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    "text, lo, hi, precision",
    [
        ("2023", utc(2023, 1, 1), utc(2024, 1, 1), YEAR),
        ("2023-11", utc(2023, 11, 1), utc(2023, 12, 1), MONTH),
        ("2024-02", utc(2024, 2, 1), utc(2024, 3, 1), MONTH),
        ("2023-11-22", utc(2023, 11, 22), utc(2023, 11, 23), DAY),
    ],
)
def test_precision_spans_the_unit(text, lo, hi, precision):
    w = parse(text)
    assert (w.lo, w.hi, w.start.precision, w.is_range) == (lo, hi, precision, False)


def test_time_keeps_its_offset():
    w = parse("2023-11-22T01:00+02:00")
    assert w.lo == utc(2023, 11, 21, 23, 0)
    assert w.text == "2023-11-22T01:00+02:00"
    assert w.describe() == "22 November 2023, 01:00 UTC+02:00"


def test_qualifiers_and_reading():
    assert parse("2023-11-22~").describe() == "approximately 22 November 2023"
    assert parse("2023-11?").describe() == "perhaps November 2023"
    w = parse("2023-11%")
    assert w.approximate and w.uncertain


def test_intervals_and_open_ends():
    w = parse("2023-10-27/2023-11-24")
    assert w.is_range and w.lo == utc(2023, 10, 27) and w.hi == utc(2023, 11, 25)
    open_end = parse("2023-10-07/..")
    assert open_end.hi is None and open_end.lo == utc(2023, 10, 7)
    assert parse("../2023-10").lo is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("2023-02-29", "has no day 29"),
        ("2023-13", "month 13"),
        ("2023-11-22T25:00", "no such time"),
        ("2023-11-24/2023-11-01", "end comes before the start"),
        ("22/11/2023", "not a date"),
        ("2023-11-22 ", "no spaces"),
        ("../..", "at least one date"),
        ("0000", "year 0"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text, words):
    with pytest.raises(WhenError, match=words):
        parse(text)


def test_unquoted_yaml_dates_are_the_same_value():
    assert from_yaml_value(date(2023, 11, 22)) == parse("2023-11-22")
    assert from_yaml_value(2023) == parse("2023")
    aware = datetime(2023, 11, 22, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert from_yaml_value(aware).lo == parse("2023-11-22T01:00:00+02:00").lo


def test_shift_keeps_precision_and_qualifiers():
    assert parse("2023-11-22~").shifted(3 * 86400).text == "2023-11-25~"
    assert parse("2023-11?").shifted(40 * 86400).text == "2023-12?"
    assert parse("2023-10-27/2023-11-24").shifted(86400).text == "2023-10-28/2023-11-25"
    assert parse("2023-11-22T01:00+02:00").shifted(3600).text == "2023-11-22T02:00+02:00"
    assert (
        parse("2023-10-27/2023-11-24~").with_edge("end", 2 * 86400).text == "2023-10-27/2023-11-26~"
    )
    with pytest.raises(WhenError):
        parse("2023-10-27/2023-10-28").with_edge("end", -5 * 86400)


# ---- held to the Library of Congress `edtf` package's reading


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
qualifiers = st.sampled_from(["", "~", "?", "%"])
forms = st.sampled_from(["%Y", "%Y-%m", "%Y-%m-%d"])  # made once, not at each draw


@st.composite
def points(draw) -> str:
    d = draw(days)
    form = draw(forms)
    return d.strftime(form) + draw(qualifiers)


def parse_edtf(text: str):
    """edtf's reading. Imported here: every pytest-xdist worker collects this file (edtf
    and pyparsing take about 0.15 s to import), and only one runs it."""
    from edtf import parse_edtf as edtf_reads

    return edtf_reads(text)


def edtf_span(text: str) -> tuple[float, float]:
    e = parse_edtf(text)
    # edtf's upper_strict is the start of the last day covered; ours is the end of it.
    return calendar.timegm(e.lower_strict()), calendar.timegm(e.upper_strict()) + 86400


@given(points())
def test_points_agree_with_edtf(text):
    w = parse(text)
    assert (w.lo, w.hi) == edtf_span(text)


@given(points(), points())
def test_intervals_agree_with_edtf(a, b):
    try:
        ours = parse(f"{a}/{b}")
    except WhenError:
        # We refuse reversed intervals; edtf reads them but puts the end first.
        lo_a, _ = edtf_span(a)
        _, hi_b = edtf_span(b)
        assert hi_b <= lo_a
        return
    assert (ours.lo, ours.hi) == edtf_span(f"{a}/{b}")


@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31))
def test_validity_agrees_with_edtf(y, m, d):
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        parse_edtf(text).lower_strict()
        theirs = True
    except Exception:
        theirs = False
    try:
        parse(text)
        ours = True
    except WhenError:
        ours = False
    assert ours == (d <= calendar.monthrange(y, m)[1])
    if not (m == 2 and d == 29):
        assert ours == theirs
    # edtf 5.0.2 accepts 29 February in every year (1901-02-29 included); we follow the calendar.


@given(whens())
def test_fuzzy_read_off_the_text_agrees_with_the_qualifiers(w):
    assert w.fuzzy == (w.approximate or w.uncertain)
    assert w.shifted(86400).fuzzy == w.fuzzy
