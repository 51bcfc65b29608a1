"""Dates as people type them become the EDTF the file keeps."""

from __future__ import annotations

import pytest

from app.records.datewords import edtf
from app.records.when import WhenError


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("1978-9-28", "1978-09-28"),
        ("28 Sep 1978", "1978-09-28"),
        ("28 September 1978", "1978-09-28"),
        ("Sep 28, 1978", "1978-09-28"),
        ("28/09/1978", "1978-09-28"),
        ("28.09.1978", "1978-09-28"),
        ("Sept 1978", "1978-09"),
        ("c. 1978", "1978~"),
        ("about 28 Sep 1978", "1978-09-28~"),
        ("1 Oct 2023 to 3 Oct 2023", "2023-10-01/2023-10-03"),
        ("2023-10-07/..", "2023-10-07/.."),
        ("2023-11-22T01:00+02:00", "2023-11-22T01:00+02:00"),
        ("  2023-11 ", "2023-11"),
    ],
)
def test_common_forms(typed, stored):
    assert edtf(typed) == stored


def test_month_first_is_a_setting():
    assert edtf("03/04/2023") == "2023-04-03"
    assert edtf("03/04/2023", month_first=True) == "2023-03-04"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2023-02-30", "February 2023 has no day 30"),
        ("30 Feb 2023", "'30 Feb 2023': February 2023 has no day 30"),
        ("Smarch 2020", "'Smarch' is not the name of a month"),
        ("next tuesday", "is not a date Demarche can read"),
        ("", "a date is needed here"),
    ],
)
def test_what_cannot_be_read_says_why(typed, message):
    with pytest.raises(WhenError, match=message):
        edtf(typed)


def test_a_numeric_date_that_reads_only_the_other_way_says_so():
    """ "month 21 does not exist" did not point to the setting that reads 11/21/2023."""
    with pytest.raises(WhenError, match=r"read with the month first, it is 21 November 2023"):
        edtf("11/21/2023")
    with pytest.raises(WhenError, match=r"read with the day first, it is 21 November 2023"):
        edtf("21/11/2023", month_first=True)
    with pytest.raises(WhenError) as no_way:
        edtf("13/13/2023")
    assert "first" not in str(no_way.value)  # no reading either way: nothing to propose
