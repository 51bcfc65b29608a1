"""The date forms of Markwhen's parser 1.2 beyond EDTF (markwhengrammar.py), on small files
whose meaning the real parser gives (measured with tests/cli/mw_dates.cjs; the generated
documents of tests/cli/test_markwhen_parser.py check the same against it when node is
here, these run everywhere)."""

from __future__ import annotations

from datetime import datetime

from tests.cli.test_import_markwhen import read


def whens(tmp_path, text: str) -> list[tuple[str, str]]:
    project, report = read(tmp_path, text)
    assert not report.skipped, report.skipped
    return [(e.title, e.when.text) for e in project.events]


def test_ranges_with_a_hyphen_or_to_of_years_months_and_slash_dates(tmp_path):
    assert whens(
        tmp_path,
        """1999-2001: Years
Dec 2022-Feb 2023: Months by name
December 2022 - February 2023: Months by full name
1/2023-3/2023: Months by number
1/1/2023-3/1/2023: Slash dates, month first
8/3/1992 to 8/3/1993: Slash dates with to
""",
    ) == [
        ("Years", "1999/2001"),
        ("Months by name", "2022-12/2023-02"),
        ("Months by full name", "2022-12/2023-02"),
        ("Months by number", "2023-01/2023-03"),
        ("Slash dates, month first", "2023-01-01/2023-03-01"),
        ("Slash dates with to", "1992-08-03/1993-08-03"),
    ]


def test_slash_dates_month_names_iso_weeks_and_times(tmp_path):
    assert whens(
        tmp_path,
        """10/2023: A month
2023-W47: A week
2023-W47-3: A week's Wednesday
2023W47/2023-W48: Two weeks
Oct 14 2024 10am: A day and a time
14 October 2024: Day first
1/2/2023 10:30pm: A slash date and a time
1/2/2023, 16:45: With a comma
2023-05-01 4pm: An EDTF day and a time in the parser's words
""",
    ) == [
        ("A month", "2023-10"),
        ("A week", "2023-11-20/2023-11-26"),
        ("A week's Wednesday", "2023-11-22"),
        ("Two weeks", "2023-11-20/2023-12-03"),
        ("A day and a time", "2024-10-14T10:00"),
        ("Day first", "2024-10-14"),
        ("A slash date and a time", "2023-01-02T22:30"),
        ("With a comma", "2023-01-02T16:45"),
        ("An EDTF day and a time in the parser's words", "2023-05-01T16:00"),
    ]


def test_a_time_keeps_the_offset_its_zone_has_that_day(tmp_path):
    project, _ = read(tmp_path, "---\ntimezone: +5\n---\nOct 14 2024 10am: Call\n")
    assert project.events[0].when.text == "2024-10-14T10:00+05:00"
    assert project.events[0].when.lo == datetime.fromisoformat("2024-10-14T05:00+00:00").timestamp()


def test_eras_and_a_time_alone_as_the_parser_reads_them(tmp_path):
    assert whens(
        tmp_path,
        """100 AD: A year of the era
1999–2001: An en dash (the parser ends it where 2001 starts)
2023-05-01: Talks
10am: A time alone: on the day the entry before ends
""",
    ) == [
        ("A year of the era", "0100"),
        ("An en dash (the parser ends it where 2001 starts)", "1999/2000"),
        ("Talks", "2023-05-01"),
        ("A time alone: on the day the entry before ends", "2023-05-02T10:00Z"),
    ]


def test_the_date_part_ends_where_the_parser_ends_it(tmp_path):
    project, report = read(
        tmp_path,
        """2023-01-01: First
2023-01-01 - 2023-02-01: not an entry to the parser (it reads no ' - ' between EDTF days)
2023-05-01 10:00 - 2023-05-02 11:00: Call
""",
    )
    first, call = project.events
    assert first.text.startswith("2023-01-01 - 2023-02-01: not an entry")
    # The parser takes `2023-05-01 10` for the date and `00 - …` for the title.
    assert (call.title, call.when.text) == ("00 - 2023-05-02 11:00: Call", "2023-05-01T10:00")
    assert report.rows == 2


def test_a_date_the_parser_reads_in_the_year_it_runs_is_skipped_with_its_line(tmp_path):
    project, report = read(
        tmp_path,
        """2023-01-01: Before
May 1 - May 4 2023: No year for the start
5 days: After it
2023-02-30: No such day
: No date
- 2023: A list item, to the parser a range from the moment it runs
2023-05-01 25:00: No such time
1/2/2023 2: A time the parser looks for in the date
""",
    )
    assert [e.title for e in project.events] == ["Before"]
    path = str(tmp_path / "t.mw")
    assert report.skipped == [
        f"{path}:2: 'May 1 - May 4 2023': 'May 1' gives no year "
        "(Markwhen's parser reads it in the year it runs)",
        f"{path}:3: '5 days': the entry on line 2 it counts from was skipped",
        f"{path}:4: '2023-02-30' is not a date (Markwhen's parser dates it at the moment it runs)",
        f"{path}:5: no date (Markwhen's parser dates it at the moment it runs)",
        f"{path}:6: '- 2023': no start date (Markwhen's parser dates it at the moment it runs)",
        f"{path}:7: '2023-05-01 25:00': '25:00' is not a time (Markwhen's parser stops on it)",
        f"{path}:8: '1/2/2023 2' is misread by Markwhen's parser (it looks for the time '2' in "
        "the date)",
    ]


def test_relative_dates_from_an_entrys_start_or_end_and_in_working_days(tmp_path):
    assert whens(
        tmp_path,
        """2023-03-01/2023-03-10: Round
id: r
after !r.start 2 weeks: From its start
by !r 3 days: Before its start
after !r 2 weekdays: Two working days after it (Saturday 11 March)
""",
    )[1:] == [
        ("From its start", "2023-03-01/2023-03-14"),
        ("Before its start", "2023-02-26/2023-02-28"),
        ("Two working days after it (Saturday 11 March)", "2023-03-11/2023-03-14"),
    ]


def test_an_unread_date_format_is_said(tmp_path):
    project, report = read(tmp_path, "---\ndateFormat: d/M/y\n---\n1/5/2023: Month first\n")
    assert project.events[0].when.text == "2023-01-05"
    assert any("dateFormat 'd/M/y'" in x for x in report.approximated)
