"""Markwhen's time zones and recurrences, on small files whose meaning the real parser 1.2
gives (tests/cli/test_markwhen_parser.py checks the same on generated documents when node
is here; these run everywhere)."""

from __future__ import annotations

from datetime import datetime

from app.importers import import_files
from app.importers.markwhenrepeat import MAX_REPEATS


def read(tmp_path, text: str):
    path = tmp_path / "t.mw"
    path.write_text(text)
    project, [(_, kind, report)] = import_files([str(path)])
    assert kind == "markwhen"
    return project, report


def utc(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def test_a_time_is_read_in_the_header_zone_and_an_entry_keeps_its_clock_in_its_own(tmp_path):
    project, _ = read(
        tmp_path,
        """---
timezone: America/New_York
---
2023-05-01 10:00: Call
2023-05-01 10:00: Call from Tokyo
tz: Asia/Tokyo
2023-05-01T10:00:00Z: Written in UTC
2023-05-01: A day stays a day
timezone: +5
5 days: Five days after it
""",
    )
    call, tokyo, zulu, day, after = project.events
    assert call.when.lo == utc("2023-05-01T14:00:00+00:00")  # 10:00 EDT
    assert tokyo.when.lo == utc("2023-05-01T01:00:00+00:00")  # 10:00 JST
    assert zulu.when.lo == utc("2023-05-01T10:00:00+00:00")
    assert day.when.text == "2023-05-01"
    # From the end of the day before in its zone: midnight to midnight, so days again.
    assert after.when.text == "2023-05-02/2023-05-06"


def test_a_duration_after_a_time_counts_from_that_instant(tmp_path):
    project, _ = read(
        tmp_path,
        "---\ntimezone: +5\n---\n2023-05-02 13:30: Meeting\n2 days: Recess\n",
    )
    recess = project.events[1]
    assert (recess.when.lo, recess.when.hi) == (
        utc("2023-05-02T08:30:00+00:00"),
        utc("2023-05-04T08:30:00+00:00"),
    )


def test_hours_over_the_night_the_clocks_go_forward_are_those_hours(tmp_path):
    """As the parser counts them: 3 hours from 23:00 end at 03:00 in summer time, each
    time a recurrence comes back (ended a minute early, 02:59 was read as a time that
    night has not: 01:59 UTC, an hour late); and a weekend that loses an hour to the
    change lasts 23 hours each time."""
    project, _ = read(
        tmp_path,
        """---
timezone: Europe/Paris
---
2004-07-28: Day
id: day
after !day 3 hours every 2 month for 30 times: Night
2009-03-28 12:00 / 2009-03-29 12:00 every week for 2 times: Weekend
""",
    )
    night = next(e for e in project.events if e.when.text.startswith("2009-03-28"))
    assert (night.title, night.when.lo, night.when.hi) == (
        "Night",
        utc("2009-03-28T22:00:00+00:00"),
        utc("2009-03-29T01:00:00+00:00"),
    )
    weekends = [(e.when.lo, e.when.hi) for e in project.events if e.title == "Weekend"]
    assert weekends == [
        (utc("2009-03-28T11:00:00+00:00"), utc("2009-03-29T10:00:00+00:00")),
        (utc("2009-04-04T11:00:00+00:00"), utc("2009-04-05T10:00:00+00:00")),
    ]


def test_a_recurrence_becomes_one_event_per_occurrence(tmp_path):
    project, report = read(
        tmp_path,
        """# Talks
2023-06-01 every 2 weeks for 6 times: Round
id: round
2023-06-01/2023-06-02 every week x3: Two-day session
2023-06-01 every monday for 2 times: Monday call
after !round 1 day: After the first round
""",
    )
    rounds = [e for e in project.events if e.title == "Round"]
    assert [e.when.text for e in rounds] == [
        "2023-06-01",
        "2023-06-15",
        "2023-06-29",
        "2023-07-13",
        "2023-07-27",
        "2023-08-10",
    ]
    assert rounds[0].id == "round" and len({e.id for e in rounds}) == 6
    assert all("Repeats every 2 weeks for 6 times (6 occurrences)" in e.text for e in rounds)
    sessions = [e.when.text for e in project.events if e.title == "Two-day session"]
    assert sessions == ["2023-06-01/2023-06-02", "2023-06-08/2023-06-09", "2023-06-15/2023-06-16"]
    mondays = [e.when.text for e in project.events if e.title == "Monday call"]
    assert mondays == ["2023-06-05", "2023-06-12"]  # 1 June 2023 is a Thursday
    # Relative dates count from the first occurrence, as the parser's do.
    assert project.events[-1].when.text == "2023-06-02"
    assert any("Repeats every 2 weeks" in line for line in report.approximated)


def test_an_endless_recurrence_is_cut_and_says_so(tmp_path):
    project, _ = read(tmp_path, "2023-06-01 every day: Ceasefire check\n")
    assert len(project.events) == MAX_REPEATS
    assert f"the first {MAX_REPEATS} shown" in project.events[0].text


def test_a_recurrence_the_parser_refuses_is_shown_once_and_said(tmp_path):
    # rrule.js's grammar has no `other`: the parser keeps the date and drops the rule.
    project, _ = read(tmp_path, "2023-06-01 every other day x10: Check-in\n")
    [event] = project.events
    assert event.when.text == "2023-06-01" and "does not read 'every other day x10'" in event.text


def test_an_unknown_zone_is_said_and_the_date_kept(tmp_path):
    project, report = read(
        tmp_path, "---\ntimezone: Mars/Olympus\n---\n2023-05-01 10:00: Call\ntz: Nowhere\n"
    )
    [call] = project.events
    assert call.when.text == "2023-05-01T10:00"  # a floating time, as without a zone
    assert any("Mars/Olympus" in x for x in report.approximated)
    assert "time zone 'Nowhere' is not known" in call.text


def test_recurrences_cannot_make_a_file_explode(tmp_path):
    # 200 endless rules would be 20,000 events; the file's budget stops at 10,000 more
    # than the entries, and a rule no day can meet is not searched for until 9999.
    lines = "".join(f"2023-06-01 every day: Check {n}\n" for n in range(200))
    project, _ = read(tmp_path, lines + "2023-01-01 every minute on feb the 30th: Never\n")
    assert len(project.events) == 10_000 + 201
    assert "the file's recurrences made 10,000 more events already" in project.events[-2].text
    assert project.events[-1].when.text == "2023-01-01"


def test_a_sections_zone_holds_for_what_it_holds(tmp_path):
    project, _ = read(
        tmp_path,
        """# Talks
timezone: +5
2023-05-01 10:00: In the section
## Inner
2023-05-01 10:00: In a section inside it
# Other
2023-05-01 10:00: Elsewhere
""",
    )
    inside, inner, elsewhere = project.events
    assert inside.when.lo == inner.when.lo == utc("2023-05-01T05:00:00+00:00")
    assert elsewhere.when.text == "2023-05-01T10:00"  # no zone: floating, as before


def test_the_calendars_ends_give_events_or_say_why_never_a_traceback(tmp_path):
    # The parser ends 9999 at 10000-01-01, past any datetime: the entries stand, a
    # duration after them (or one before year 1) is skipped with its reason.
    project, report = read(
        tmp_path,
        """9999: The last year
9999-12-31: The last day
2 days: After the end
2020-01-01/9999-12-31: To the end
9999-12-31 every day for 3 times: Repeated at the end
0001-01-01: The first day
id: first
before !first 1 month: Before the start
""",
    )
    assert [e.when.text for e in project.events] == [
        "9999",
        "9999-12-31",
        "2020-01-01/9999-12-31",
        "9999-12-31",
        "0001-01-01",
    ]
    assert [s.split(": ", 1)[1] for s in report.skipped] == [
        "'2 days': falls outside the years 1 to 9999 Demarche reads",
        "'before !first 1 month': falls outside the years 1 to 9999 Demarche reads",
    ]


def test_a_zone_that_moves_a_date_past_the_calendar_skips_it_with_a_reason(tmp_path):
    project, report = read(tmp_path, "---\ntimezone: +5\n---\n0001-01-01: First\n9999: Last\n")
    assert [e.when.text for e in project.events] == ["9999"]
    assert report.skipped[0].endswith(
        "'0001-01-01': falls outside the years 1 to 9999 Demarche reads"
    )


def test_indented_entries_and_a_colon_without_a_space_are_entries_as_the_parser_reads(
    tmp_path,
):
    project, report = read(
        tmp_path,
        """# Talks
2023-11-21: Normal
2023-11-22:No space after the colon
  2023-11-23: Indented
\t2023-11-24: Tab-indented
  10 people: came (a description line, as to the parser)
2023-11-25 10:30: A time's colon is not the title's
""",
    )
    assert [(e.title, e.when.text) for e in project.events] == [
        ("Normal", "2023-11-21"),
        ("No space after the colon", "2023-11-22"),
        ("Indented", "2023-11-23"),
        ("Tab-indented", "2023-11-24"),
        ("A time's colon is not the title's", "2023-11-25T10:30"),
    ]
    assert project.events[3].text == "10 people: came (a description line, as to the parser)"
    assert not report.skipped


def test_after_an_entry_to_now_counts_from_now_as_the_parser_does(tmp_path):
    project, _ = read(tmp_path, "2020-01-01/now: Ongoing\nid: a\nafter !a 2 weeks: Later\n")
    later = project.events[1]
    now = datetime.now().timestamp()
    assert abs(later.when.lo - now) < 120  # from a's end, now; not from its start in 2020
    assert abs(later.when.hi - later.when.lo - 14 * 86400) <= 60


def test_compound_durations_are_summed_by_unit_as_the_parser_sums_them(tmp_path):
    project, report = read(
        tmp_path,
        """2023-03-01/2023-03-10: Closed
id: b
after !b 1 month 2 days: Compound
2023-01-31: Pivot
id: p
before !p 1 month, 3 days: Before it
after !p 1 year 1 month 1 week 1 day 2 hours: Long after
""",
    )
    whens = [e.when.text for e in project.events[1:]]
    # The parser (1.2) gives the same: to 13 April, from 28 December, to 9 March 02:00.
    assert whens[0] == "2023-03-11/2023-04-12"
    assert whens[2] == "2022-12-28/2023-01-30"
    assert whens[3] == "2023-02-01T00:00Z/2024-03-09T01:59Z"
    assert not report.skipped


def test_a_header_without_fences_is_read_as_the_parser_reads_it(tmp_path):
    # The parser's README writes `title:` lines with no `---`: every line before the
    # first entry or heading is the header.
    project, _ = read(
        tmp_path,
        "title: Unfenced title\ndescription: d\ntimezone: +5\n\n# Qatar\n2023-11-04 10:00: In Qatar\n",
    )
    assert (project.title, project.description) == ("Unfenced title", "d")
    assert project.events[0].when.lo == utc("2023-11-04T05:00:00+00:00")
    assert [a.name for a in project.actors] == ["Qatar"]


def test_a_group_opened_before_the_first_entry_is_a_lane_not_header(tmp_path):
    for word in ("group", "section"):
        project, _ = read(tmp_path, f"{word} Alpha\n2023-01-01: A\nend{word}\n2023-02-01: B\n")
        lanes = {a.id: a.name for a in project.actors}
        assert [lanes[e.actor] for e in project.events] == ["Alpha", "Ungrouped"], word


def test_an_id_on_an_entrys_line_is_its_id_and_not_part_of_its_title(tmp_path):
    # What @markwhen/parser 1.2 reads (titles as its `firstLine.restTrimmed`, ids as
    # `id`): the first `!word` after a non-word character, taken out with it; an `id:`
    # property wins; `a!b` is text. A later entry counts from the entry so named.
    project, report = read(
        tmp_path,
        """# Talks
2023-10-07: Attack !attack on the border #war
2023-10-20: Talks  open   in Doha !doha1
2023-11-01: Meeting (!m1) with envoy
after !doha1 2 weeks: Follow-up !follow up
2023-11-05: Second !a !b id
2023-11-06: With prop !inline
id: fromprop
2023-11-07: Dash !bad-id here
2023-11-08: Mail a!b@c
""",
    )
    assert [(e.id, e.title) for e in project.events] == [
        ("attack", "Attack on the border"),
        ("doha1", "Talks open in Doha"),
        ("m1", "Meeting ) with envoy"),
        ("follow", "Follow-up up"),
        ("a", "Second !b id"),
        ("fromprop", "With prop"),
        ("bad", "Dash-id here"),
        ("mail-a-b-c", "Mail a!b@c"),
    ]
    follow = project.events[3]
    assert (follow.when.lo, follow.when.hi) == (utc("2023-10-21T00:00Z"), utc("2023-11-04T00:00Z"))
    assert not any("no entry before" in line for line in report.approximated)
