"""Timeline (thetimelineproj) files as each version of the program wrote them. The layouts
follow the program's own writer at the version named in each test
(shutaozhenzhen/thetimelineproj: `timelinelib/db/backends/xmlfile.py` before 1.0,
`timelinelib/dataexport/timelinexml.py` after); the contents are ours."""

from __future__ import annotations

import pytest

from app.importers import import_files
from app.records.when import WhenError


def read(tmp_path, text: str):
    path = tmp_path / "t.timeline"
    path.write_text(text, encoding="utf-8")
    project, [(_, kind, report)] = import_files([str(path)])
    assert kind == "timeline"
    return project, report


# 0.10.0: no <timetype>, no eras, times unpadded (`"%s-%s-%s %s:%s:%s"`), categories
# nested by <parent>, hidden categories under <view>.
V0_10 = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>0.10.0</version>
  <categories>
    <category>
      <name>Egypt</name>
      <color>255,153,153</color>
    </category>
    <category>
      <name>Delegation</name>
      <color>153,153,255</color>
      <parent>Egypt</parent>
    </category>
    <category>
      <name>Press</name>
      <color>200,200,200</color>
    </category>
  </categories>
  <events>
    <event>
      <start>1978-9-5 22:52:0</start>
      <end>1978-9-5 22:52:0</end>
      <text>Sadat arrives</text>
      <category>Delegation</category>
      <description>At Camp David</description>
    </event>
    <event>
      <start>1978-9-6 0:0:0</start>
      <end>1978-9-17 0:0:0</end>
      <text>Talks</text>
      <category>Press</category>
    </event>
  </events>
  <view>
    <displayed_period>
      <start>1978-8-1 0:0:0</start>
      <end>1978-10-1 0:0:0</end>
    </displayed_period>
    <hidden_categories>
      <name>Press</name>
    </hidden_categories>
  </view>
</timeline>
"""


def test_a_file_from_before_1_0(tmp_path):
    project, _ = read(tmp_path, V0_10)
    actors = {a.name: a for a in project.actors}
    assert actors["Delegation"].parent == actors["Egypt"].id
    assert actors["Press"].hidden and not actors["Egypt"].hidden
    arrives, talks = project.events
    assert arrives.when.text == "1978-09-05T22:52" and arrives.text == "At Camp David"
    # Its end, 17 Sep 00:00, is Timeline's first instant after it: the 16th is its last day.
    assert talks.when.text == "1978-09-06/1978-09-16"


# 1.4.0: containers `[cid]Name ` and subevents `(cid)Name ` with the trailing space the
# writer added until 1.5.0, subevents written after every other event; an ordinary event
# whose text begins with `(` written with a leading space.
V1_4 = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>1.4.0</version>
  <timetype>gregoriantime</timetype>
  <categories>
    <category>
      <name>United States</name>
      <color>52,101,164</color>
      <font_color>0,0,0</font_color>
    </category>
    <category>
      <name>Qatar</name>
      <color>114,159,207</color>
      <font_color>0,0,0</font_color>
    </category>
  </categories>
  <events>
    <event>
      <start>2023-11-01 00:00:00</start>
      <end>2023-11-10 00:00:00</end>
      <text>[1]Doha round </text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>Qatar</category>
    </event>
    <event>
      <start>2023-11-20 00:00:00</start>
      <end>2023-11-20 00:00:00</end>
      <text> (draft) truce text</text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>United States</category>
    </event>
    <event>
      <start>2023-11-02 00:00:00</start>
      <end>2023-11-03 00:00:00</end>
      <text>(1)Burns meets al-Thani </text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>United States</category>
    </event>
    <event>
      <start>2023-11-09 00:00:00</start>
      <end>2023-11-14 00:00:00</end>
      <text>(1)Second session </text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
    </event>
  </events>
  <view>
    <hidden_categories>
    </hidden_categories>
  </view>
</timeline>
"""


def test_containers_and_their_subevents_from_1_4(tmp_path):
    project, _ = read(tmp_path, V1_4)
    lanes = {a.id: a.name for a in project.actors}
    by_title = {e.title: e for e in project.events}
    assert set(by_title) == {
        "Doha round",
        "(draft) truce text",
        "Burns meets al-Thani",
        "Second session",
    }
    round_ = by_title["Doha round"]
    # The container stays on its category's lane and spans its subevents (the second one
    # ends after the container's written end, as Timeline redraws it).
    assert lanes[round_.actor] == "Qatar" and round_.when.text == "2023-11-01/2023-11-13"
    burns, second = by_title["Burns meets al-Thani"], by_title["Second session"]
    assert lanes[burns.actor] == "United States"  # its own category
    assert lanes[second.actor] == "Qatar"  # none of its own: the container's
    assert round_.tags == burns.tags == second.tags == ("Doha round",)
    assert by_title["(draft) truce text"].tags == ()


# 1.11.0: milestones flagged by <milestone>True</milestone>, their text still carrying
# the "Milestone:" prefix the editor added (removed in 1.12.0); start and end equal.
# 1.12.0 and later: the text is the label alone.
def milestone_file(version: str, text: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>{version}</version>
  <timetype>gregoriantime</timetype>
  <eras>
  </eras>
  <categories>
  </categories>
  <events>
    <event>
      <start>2023-11-24 07:00:00</start>
      <end>2023-11-24 07:00:00</end>
      <text>{text}</text>
      <progress>0</progress>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <description>Truce begins</description>
      <default_color>255,255,128</default_color>
      <milestone>True</milestone>
    </event>
  </events>
  <view>
    <displayed_period>
      <start>2023-11-01 00:00:00</start>
      <end>2023-12-01 00:00:00</end>
    </displayed_period>
    <hidden_categories>
    </hidden_categories>
  </view>
  <now>2023-11-24 12:00:00</now>
</timeline>
"""


def test_milestones_of_1_11_and_later(tmp_path):
    for version, text in (("1.11.0", "Milestone:T"), ("1.12.0", "T")):
        project, _ = read(tmp_path, milestone_file(version, text))
        [m] = project.events
        assert (m.title, m.type, m.when.text) == ("T", "milestone", "2023-11-24T07:00"), version
        assert m.text == "Truce begins"


# 2.2.0: eras with <ends_today> (1.12.0), an event's further categories in <categories>
# (2.0.0), <labels> (2.2.0), progress colours on categories.
V2_2 = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>2.2.0</version>
  <timetype>gregoriantime</timetype>
  <eras>
    <era>
      <name>Truce</name>
      <start>2023-11-24 07:00:00</start>
      <end>2023-12-01 07:00:00</end>
      <color>200,255,200</color>
      <ends_today>False</ends_today>
    </era>
    <era>
      <name>War resumes</name>
      <start>2023-12-01 07:00:00</start>
      <end>2024-01-01 00:00:00</end>
      <color>255,200,200</color>
      <ends_today>True</ends_today>
    </era>
  </eras>
  <categories>
    <category>
      <name>Hamas</name>
      <color>0,128,0</color>
      <progress_color>255,153,153</progress_color>
      <done_color>255,153,153</done_color>
      <font_color>0,0,0</font_color>
    </category>
    <category>
      <name>Israel</name>
      <color>0,0,255</color>
      <progress_color>255,153,153</progress_color>
      <done_color>255,153,153</done_color>
      <font_color>0,0,0</font_color>
    </category>
  </categories>
  <events>
    <event>
      <start>2023-11-25 00:00:00</start>
      <end>2023-11-25 00:00:00</end>
      <text>Second exchange</text>
      <progress>0</progress>
      <fuzzy>True</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>Hamas</category>
      <categories>
        <category>Israel</category>
      </categories>
      <labels>hostages,exchange</labels>
      <default_color>200,200,200</default_color>
    </event>
  </events>
  <view>
    <displayed_period>
      <start>2023-11-01 00:00:00</start>
      <end>2023-12-31 00:00:00</end>
    </displayed_period>
    <hidden_categories>
      <name>Israel</name>
    </hidden_categories>
  </view>
  <now>2023-12-02 00:00:00</now>
</timeline>
"""


def test_eras_further_categories_and_labels_from_2_2(tmp_path):
    project, _ = read(tmp_path, V2_2)
    truce, resumes = project.phases
    assert truce.when.text == "2023-11-24T07:00/2023-12-01T07:00" and truce.color == "#c8ffc8"
    assert resumes.when.text == "2023-12-01T07:00/.."
    actors = {a.name: a for a in project.actors}
    [e] = project.events
    assert e.actor == actors["Hamas"].id and e.with_ == (actors["Israel"].id,)
    assert e.when.text == "2023-11-25~" and e.tags == ("hostages", "exchange")
    assert actors["Israel"].hidden


# 1.x wrote years before Christ with a minus (`-500-3-1 0:0:0`). Demarche's dates hold
# years 1 to 9999 (app/records/when.py: Python's calendar): such an event, era or
# container is skipped and reported by its line and why; the rest of the file is read.
V1_BC = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>1.4.0</version>
  <timetype>gregoriantime</timetype>
  <eras>
    <era>
      <name>Classical Athens</name>
      <start>-500-1-1 0:0:0</start>
      <end>-300-1-1 0:0:0</end>
      <color>200,200,255</color>
    </era>
    <era>
      <name>Talks</name>
      <start>2023-11-01 00:00:00</start>
      <end>2023-11-22 00:00:00</end>
      <color>200,255,200</color>
    </era>
  </eras>
  <categories>
    <category>
      <name>Athens</name>
      <color>255,153,153</color>
      <font_color>0,0,0</font_color>
    </category>
  </categories>
  <events>
    <event>
      <start>-500-3-1 0:0:0</start>
      <end>-500-3-1 0:0:0</end>
      <text>Reforms of Cleisthenes</text>
      <fuzzy>True</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>Athens</category>
    </event>
    <event>
      <start>2023-11-09 00:00:00</start>
      <end>2023-11-09 00:00:00</end>
      <text>Burns in Doha</text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
      <category>Athens</category>
    </event>
    <event>
      <start>-1-12-25 0:0:0</start>
      <end>1-1-6 0:0:0</end>
      <text>[2]Across the era </text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
    </event>
    <event>
      <start>0-6-1 0:0:0</start>
      <end>0-6-1 0:0:0</end>
      <text>In year zero</text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
    </event>
    <event>
      <start>1-1-2 0:0:0</start>
      <end>1-1-3 0:0:0</end>
      <text>(2)Inside it </text>
      <fuzzy>False</fuzzy>
      <locked>False</locked>
      <ends_today>False</ends_today>
    </event>
  </events>
  <view>
    <displayed_period>
      <start>-600-1-1 0:0:0</start>
      <end>2024-1-1 0:0:0</end>
    </displayed_period>
    <hidden_categories>
    </hidden_categories>
  </view>
</timeline>
"""


def test_years_before_christ_are_skipped_by_line_and_the_rest_is_read(tmp_path, capsys):
    from app.cli.main import main

    project, report = read(tmp_path, V1_BC)
    assert [e.title for e in project.events] == ["Burns in Doha", "Inside it"]
    assert [p.title for p in project.phases] == ["Talks"]
    assert project.events[1].when.text == "0001-01-02"  # year 1 is held (to the 3rd's 00:00)
    lines = V1_BC.splitlines()
    skipped = {int(s.split(":")[1]): s for s in report.skipped}
    for title, year in (
        ("Classical Athens", -500),
        ("Reforms of Cleisthenes", -500),
        ("Across the era", -1),
        ("In year zero", 0),
    ):
        # the line of the <event> or <era> tag that holds the title
        line = next(n for n, text in enumerate(lines, 1) if title in text)
        while lines[line - 1].strip() not in ("<event>", "<era>"):
            line -= 1
        assert line in skipped, (title, line, report.skipped)
        assert f"'{title}'" in skipped[line] and f"year {year} is before year 1" in skipped[line]
    assert len(report.skipped) == 4
    # the subevent lost its container: said, with where the container was
    [said] = report.approximated
    assert "its container [2] was skipped (line" in said
    # the command line: an import, its skipped rows listed, never a traceback
    path = tmp_path / "t.timeline"
    assert main(["import", str(path), "-o", str(tmp_path / "out.yaml")]) == 0
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"{path}:{min(skipped)}: era 'Classical Athens': year -500" in out.out + out.err


def test_an_end_at_midnight_is_the_first_instant_after_the_event(tmp_path):
    """Timeline keeps instants: a day drawn from the 15th's 00:00 to the 16th's is one day,
    and a period ticked on a one-day event ends at the next midnight. Read as a last day,
    such an end added a day to every period (and to an iCalendar day gone through it)."""
    from app.importers.timelinexml import _when

    def read(start: str, end: str, fuzzy: bool = False) -> str:
        return _when(start, end, fuzzy, None).text

    assert read("2023-11-15 00:00:00", "2023-11-16 00:00:00", fuzzy=True) == "2023-11-15~"
    assert read("2023-11-15 00:00:00", "2023-11-18 00:00:00") == "2023-11-15/2023-11-17"
    assert read("2023-11-15 09:00:00", "2023-11-16 00:00:00") == "2023-11-15T09:00/2023-11-15"
    assert read("2023-11-15 00:00:00", "2023-11-15 00:00:00") == "2023-11-15"  # a point
    assert read("2023-11-15 00:00:00", "2023-11-16 12:00:00") == "2023-11-15/2023-11-16T12:00"
    assert read("2024-03-01 00:00:00", "2024-03-01 00:00:00") == "2024-03-01"
    assert read("2024-02-28 00:00:00", "2024-03-01 00:00:00") == "2024-02-28/2024-02-29"
    # The end of a period to the last day a date holds (it was refused: "after year 9999")
    assert read("9999-12-01 00:00:00", "10000-01-01 00:00:00") == "9999-12-01/9999-12-31"
    with pytest.raises(WhenError, match="after year 9999"):
        read("10000-01-01 00:00:00", "10000-01-01 00:00:00")  # a start there is not a date
