"""Other tools' files into projects: each format's shape, the samples, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from app.fileformat import projectfile
from app.importers import ImportFailed, import_files

FIXTURES = Path(__file__).parents[1] / "fixtures"

ACLED = """event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
ISR1,2023-10-07,2023,1,Political violence,Battles,Armed clash,Hamas Movement,,Rebel group,Military Forces of Israel (2022-),,State forces,12,,376,Middle East,Israel,Southern,,,Sderot,31.5,34.6,1,Times of Israel; Reuters,National-International,Hamas militants attacked Sderot. Clashes followed.,20,,1700000000
ISR2,15 October 2023,2023,2,Strategic developments,Strategic developments,Agreement,Government of Qatar,Government of Egypt,State forces,Hamas Movement,,Rebel group,18,,634,Middle East,Qatar,Doha,,,Doha,25.3,51.5,1,Al Jazeera,International,Talks on hostages took place in Doha.,0,,1700000000
ISR3,2023-11,2023,3,Demonstrations,Protests,Peaceful protest,Protesters (Israel),,Protesters,,,,60,,376,Middle East,Israel,Tel Aviv,,,Tel Aviv,32.1,34.8,1,Haaretz,National,Families of hostages marched.,0,,1700000000
ISR4,2023-02-30,2023,1,Political violence,Battles,Armed clash,Somebody,,,,,,,,,,,,,,,,,,,,Bad date.,0,,1
ISR5,2023-10-08,2023,1
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def test_acled_rows_become_events_on_actor_lanes(tmp_path):
    project, [(_, kind, report)] = import_files([write(tmp_path, "acled.csv", ACLED)])
    assert kind == "acled"
    assert [a.name for a in project.actors][:3] == [
        "Hamas Movement",
        "Military Forces of Israel (2022-)",
        "Government of Qatar",
    ]
    by_id = {e.id: e for e in project.events}
    assert by_id["isr1"].title == "Hamas militants attacked Sderot."
    assert by_id["isr1"].type == "fight" and len(by_id["isr1"].cites) == 2
    assert by_id["isr2"].when.text == "2023-10-15~"  # precision 2: about the day
    assert by_id["isr2"].type == "agree" and len(by_id["isr2"].with_) == 2
    assert by_id["isr3"].when.text == "2023-11"  # precision 3: the month
    assert report.rows == 5 and report.created["events"] == 3
    assert report.skipped == [
        f"{tmp_path / 'acled.csv'}:5: event_date: '2023-02-30': February 2023 has no day 30",
        f"{tmp_path / 'acled.csv'}:6: 4 cells where the header has 31",
    ]
    assert {s.title for s in project.sources} == {
        "Times of Israel",
        "Reuters",
        "Al Jazeera",
        "Haaretz",
    }
    path = tmp_path / "acled.csv"
    assert report.lines("acled")[-2:] == [  # counted, not listed row by row: one screen
        f"  time_precision 2: about the day (~): 1 row ({path}:3)",
        f"  time_precision 3: the month: 1 row ({path}:4)",
    ]


def test_a_spreadsheet_by_its_headers_or_a_map(tmp_path):
    sheet = "Layer Name,Event Name,Start Date,End Date,Event Notes,Start Approximate\n"
    sheet += "Egypt,Sadat arrives,5/9/1978,,At Camp David,no\n"
    sheet += "Israel,Begin arrives,5 Sep 1978,,,yes\n"
    sheet += "USA,Talks,6/9/1978,17/9/1978,Thirteen days,\n"
    sheet += "USA,,1978,,no title,\n"
    project, [(_, kind, report)] = import_files([write(tmp_path, "preceden.csv", sheet)])
    assert kind == "csv" and [e.when.text for e in project.events] == [
        "1978-09-05",
        "1978-09-05~",
        "1978-09-06/1978-09-17",
    ]
    assert report.skipped == [f"{tmp_path / 'preceden.csv'}:5: no title"]
    other = write(tmp_path, "other.csv", "What,Day\nA meeting,2023-01-02\n")
    with pytest.raises(ImportFailed, match="no title and no when or start column"):
        import_files([other])
    project, _ = import_files([other], columns={"title": "What", "when": "Day"})
    assert project.events[0].title == "A meeting"


def test_each_approximate_flag_marks_its_own_end(tmp_path):
    """Preceden flags each end; a plain `approximate` column the whole date."""
    sheet = "Layer Name,Event Name,Start Date,Start Approximate,End Date,End Approximate\n"
    for name, first, last in (("s", "yes", "no"), ("e", "no", "yes"), ("b", "yes", "yes")):
        sheet += f"Qatar,{name},2023-10-07,{first},2023-10-20,{last}\n"
    sheet += "Qatar,point,2023-10-07?,yes,,\n"
    project, _ = import_files([write(tmp_path, "preceden.csv", sheet)])
    assert [e.when.text for e in project.events] == [
        "2023-10-07~/2023-10-20",
        "2023-10-07/2023-10-20~",
        "2023-10-07~/2023-10-20~",
        "2023-10-07%",
    ]
    plain = "Title,Start,End,Approximate\nTalks,2023-10-07,2023-10-20,yes\n"
    project, _ = import_files([write(tmp_path, "plain.csv", plain)])
    assert project.events[0].when.text == "2023-10-07~/2023-10-20~"


def test_a_column_name_given_twice_reads_the_first_and_says_so(tmp_path):
    path = write(
        tmp_path, "twice.csv", "title,when,title\nFirst,2023-01-01,Second\nOnly,2023-01-02,\n"
    )
    project, [(_, _, report)] = import_files([path])
    assert [e.title for e in project.events] == ["First", "Only"]
    assert report.approximated == [
        f"{path}:1: 2 columns are called 'title': the first is read as the title"
    ]


def test_timelinejs_json_and_its_sheet_give_the_same_project(tmp_path):
    json_text = """{"title": {"text": {"headline": "Talks", "text": "<p>How it went</p>"}},
      "eras": [{"start_date": {"year": 2023, "month": 11, "day": 24},
                "end_date": {"year": "2023", "month": "11", "day": "28"},
                "text": {"headline": "Pause"}}],
      "events": [
        {"start_date": {"year": "2023", "month": "10", "day": "20"},
         "text": {"headline": "Release", "text": "Two <b>women</b> freed"}, "group": "Hamas"},
        {"start_date": {"year": 2023, "month": 11, "day": "", "display_date": ""},
         "text": {"headline": "Doha talks"}, "group": "Qatar"}]}"""
    sheet = (
        "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
        "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\n"
        ",,,,,,,,,Talks,<p>How it went</p>,,,,,title,,\n"
        "2023,11,24,,2023,11,28,,,Pause,,,,,,era,,\n"
        "2023,10,20,,,,,,,Release,Two <b>women</b> freed,,,,,,Hamas,\n"
        "2023,11,,,,,,,,Doha talks,,,,,,,Qatar,\n"
    )
    a, _ = import_files([write(tmp_path, "t.json", json_text)])
    b, [(_, kind, _)] = import_files([write(tmp_path, "t.csv", sheet)])
    assert kind == "timelinejs (sheet)" and a == b
    assert (a.title, a.description) == ("Talks", "How it went")
    assert [e.when.text for e in a.events] == ["2023-10-20", "2023-11"]
    assert (
        a.events[0].text == "Two women freed" and a.phases[0].when.text == "2023-11-24/2023-11-28"
    )


def test_markwhen_sections_become_nested_lanes(tmp_path):
    mw = """---
title: Camp David
---
# Egypt
1978-09-05: Sadat arrives #arrival
  id: sadat-arrives
  The delegation lands.
section Delegation
1978-09-06: Talks begin
endSection
# USA
1978-09-17: Accords signed
  edtf: "1978-09-17~"
"""
    project, [(_, kind, report)] = import_files([write(tmp_path, "c.mw", mw)])
    assert kind == "markwhen" and project.title == "Camp David"
    actors = {a.name: a for a in project.actors}
    assert actors["Delegation"].parent == actors["Egypt"].id
    sadat = project.events[0]
    assert (sadat.id, sadat.tags, sadat.text) == (
        "sadat-arrives",
        ("arrival",),
        "The delegation lands.",
    )
    assert project.events[1].actor == actors["Delegation"].id
    assert project.events[2].when.text == "1978-09-17~"


def test_the_samples(tmp_path):
    project, reports = import_files(
        [str(FIXTURES / "timelinejs-eras.json"), str(FIXTURES / "markwhen-nested-sections.mw")]
    )
    assert [r.created["events"] for _, _, r in reports] == [20, 4]
    assert len(project.phases) == 3 and project.title == "Eras Test"
    names = {a.id: a for a in project.actors}
    assert names["sub-subsection-a1a"].parent == "subsection-a1"


def test_an_import_validates_and_saving_again_changes_nothing(tmp_path):
    out = tmp_path / "out.yaml"
    assert main(["import", write(tmp_path, "acled.csv", ACLED), "-o", str(out)]) == 0
    assert main(["validate", str(out)]) == 0
    text = out.read_text()
    projectfile.save(projectfile.load(out), out)
    assert out.read_text() == text


def test_the_report_counts_one_of_a_kind_in_the_singular(tmp_path, capsys):
    """ "1 actors" was printed: every count agrees in number (app/records/plural.py)."""
    sheet = write(
        tmp_path, "s.csv", "actor,title,when\nHamas,Talks,2023-11-25\nHamas,X,2023-02-30\n"
    )
    assert main(["import", sheet, "-o", str(tmp_path / "out.yaml")]) == 0
    out = capsys.readouterr().out
    assert "created: 1 actor, 1 event\n" in out and "skipped 1 row:" in out, out
    assert "actors" not in out and "events" not in out


def test_into_an_existing_project_matches_actors_by_name(tmp_path, small_project):
    into = tmp_path / "talks.yaml"
    projectfile.save(small_project, into)
    sheet = write(tmp_path, "s.csv", "actor,title,when\n  hamas ,Another release,2023-11-25\n")
    out = tmp_path / "out.yaml"
    assert main(["import", sheet, "--into", str(into), "-o", str(out)]) == 0
    p = projectfile.load(out)
    assert len(p.actors) == 4 and p.events[-1].actor == "hamas"


def test_into_a_project_a_lane_the_file_nests_elsewhere_is_the_projects_own(
    tmp_path, small_project
):
    """A Timeline file keeping Israel in a category "Parties" made a second Israel lane in
    the project; a lane the file nests where the project nests it too is the project's;
    one nested in another of the project's lanes than its own is a lane of its own."""

    def category(name: str, parent: str = "") -> str:
        inside = f"<parent>{parent}</parent>" if parent else ""
        return f"<category><name>{name}</name><color>1,2,3</color>{inside}</category>"

    def event(title: str, lane: str) -> str:
        return (
            f"<event><start>2023-11-22 00:00:00</start><end>2023-11-22 00:00:00</end>"
            f"<text>{title}</text><fuzzy>False</fuzzy><category>{lane}</category></event>"
        )

    lanes = [
        ("Parties", ""),
        ("Israel", "Parties"),
        ("United States", ""),
        ("CIA", "United States"),
    ]
    timeline = (
        "<timeline><version>2.4.0</version><categories>"
        + "".join(category(*c) for c in [*lanes, ("Hamas", "Israel")])
        + "</categories><events>"
        + "".join(event(t, lane) for t, lane in [("Cabinet", "Israel"), ("Call", "CIA")])
        + event("Reply", "Hamas")
        + "</events></timeline>"
    )
    into = tmp_path / "talks.yaml"
    projectfile.save(small_project, into)
    out = tmp_path / "out.yaml"
    assert (
        main(
            ["import", write(tmp_path, "t.timeline", timeline), "--into", str(into), "-o", str(out)]
        )
        == 0
    )
    p = projectfile.load(out)
    on = {e.title: e.actor for e in p.events}
    assert on["Cabinet"] == "israel" and on["Call"] == "cia"
    assert [a.name for a in p.actors].count("Israel") == 1
    hamas = {a.id: a for a in p.actors if a.name == "Hamas"}  # the file's, inside Israel
    assert len(hamas) == 2 and on["Reply"] != "hamas" and hamas[on["Reply"]].parent == "israel"
    assert "Parties" not in {a.name for a in p.actors}  # made for Israel alone: left empty


def test_into_a_project_with_a_name_twice_a_nested_lane_is_found_by_its_place(
    tmp_path, small_project
):
    """Two "Cabinet" lanes (Israel's and Hamas's): the file's Israel/Cabinet is Israel's."""
    from app.records.model import Actor

    small_project.actors += [
        Actor(id="israel-cabinet", name="Cabinet", parent="israel"),
        Actor(id="hamas-cabinet", name="Cabinet", parent="hamas"),
    ]
    into = tmp_path / "talks.yaml"
    projectfile.save(small_project, into)
    timeline = (
        "<timeline><version>2.4.0</version><categories>"
        "<category><name>Israel</name><color>1,2,3</color></category>"
        "<category><name>Cabinet</name><color>1,2,3</color><parent>Israel</parent></category>"
        "</categories><events><event><start>2023-11-22 00:00:00</start>"
        "<end>2023-11-22 00:00:00</end><text>Vote</text><fuzzy>False</fuzzy>"
        "<category>Cabinet</category></event></events></timeline>"
    )
    out = tmp_path / "out.yaml"
    sheet = write(tmp_path, "t.timeline", timeline)
    assert main(["import", sheet, "--into", str(into), "-o", str(out)]) == 0
    p = projectfile.load(out)
    assert p.events[-1].actor == "israel-cabinet" and len(p.actors) == len(small_project.actors)


def test_a_ucdp_file_imported_is_said_to_be_context_data(tmp_path, capsys):
    header = "id,date_start,date_end,side_a,side_b,country,type_of_violence,best\n"
    ged = write(tmp_path, "ged.csv", header + "1,2023-10-07,2023-10-07,Israel,Hamas,Israel,1,4\n")
    assert main(["import", ged, "-o", str(tmp_path / "out.yaml")]) != 0
    err = capsys.readouterr().err
    assert "columns are UCDP GED's, conflict data that Demarche draws under the lanes" in err
    acled = write(tmp_path, "a.csv", "event_date,actor1,notes\n2023-10-07,Hamas,x\n")
    assert main(["import", acled, "--format", "csv", "-o", str(tmp_path / "a.yaml")]) != 0
    assert "columns are an ACLED export's (--format acled)" in capsys.readouterr().err


def test_importing_the_same_rows_again_says_they_are_already_there(tmp_path, capsys):
    """The same sheet imported twice gave every event twice, without a word: now it is said
    (and done: an event may happen twice), counted by lane name, title and date."""
    sheet = write(
        tmp_path,
        "s.csv",
        "actor,title,when\nHamas,Talks,2023-11-25\nQatar,Call,2023-11\nhamas ,Talks,2023-11-26\n",
    )
    other = write(tmp_path, "o.csv", "actor,title,when\nHamas,Talks,2023-11-27\n")
    once, twice = tmp_path / "once.yaml", tmp_path / "twice.yaml"
    assert main(["import", sheet, "-o", str(once)]) == 0
    assert main(["import", other, "--into", str(once), "-o", str(tmp_path / "x.yaml")]) == 0
    assert "warning" not in capsys.readouterr().err  # another date: not the same event
    assert main(["import", sheet, "--into", str(once), "-o", str(twice)]) == 0
    err = capsys.readouterr().err
    assert f"warning: 3 of these events are already in {once}" in err, err
    assert len(projectfile.load(twice).events) == 6


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.csv", "", "the file is empty"),
        ("x.xlsx", b"PK\x03\x04", "not a readable workbook"),
        ("x.json", "{not json", "line 1, column 2: not JSON"),
        ("x.json", '{"title": 1}', "neither TimelineJS (no 'events') nor PLOVER"),
        ("x.bin", "a,b\n1,2\n", "cannot tell the format"),
        ("x.csv", b"title,when\n\x00\x01,2023\n", "binary data"),
    ],
)
def test_files_that_cannot_be_imported_say_why(tmp_path, capsys, name, content, message):
    path = write(tmp_path, name, content)
    assert main(["import", path, "-o", str(tmp_path / "out.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{path}: " in err and message in err
    assert not (tmp_path / "out.yaml").exists()


def test_encodings_are_read_or_said(tmp_path):
    text = "title,when,actor\nCafé talks,2023-01-02,Qatar\n"
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        project, [(_, _, report)] = import_files(
            [write(tmp_path, f"{encoding}.csv", text.encode(encoding))]
        )
        assert project.events[0].title == "Café talks", encoding
        assert ("Windows-1252" in " ".join(report.approximated)) == (encoding == "cp1252")


def test_a_workbook_reads_as_its_csv_would(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in ACLED.strip().splitlines()[:4]:
        sheet.append(row.split(","))
    sheet.append(
        ["ISR9", __import__("datetime").date(2023, 12, 1), 2023, 1, "", "", "Arrests", "Police"]
    )
    path = tmp_path / "acled.xlsx"
    book.save(path)
    project, [(_, kind, report)] = import_files([str(path)])
    assert kind == "acled (a workbook)" and report.created["events"] == 4  # a sheet pads short rows
    assert {e.id: e.when.text for e in project.events}["isr9"] == "2023-12-01"  # a date cell


def test_icews_pairs_from_one_sentence_become_one_event(tmp_path):
    header = (
        "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
        "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\t"
        "Publisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude"
    )
    rows = [
        "1\t2023-11-09\tCIA\t\tUSA\tMediate\t045\t5\tQatar\t\tQatar\t77\t2\tReuters\t\t\t\t\t\t",
        "2\t2023-11-09\tQatar\t\tQatar\tMediate\t045\t5\tCIA\t\tUSA\t77\t2\tReuters\t\t\t\t\t\t",
        "3\t2023-11-10\tHamas\t\t\tRelease persons\t0841\t7\tIsrael\t\t\t78\t1\tAFP\t\t\t\t\t\t",
    ]
    project, [(_, kind, _)] = import_files(
        [write(tmp_path, "icews.tab", "\n".join([header, *rows]))]
    )
    assert kind == "icews" and len(project.events) == 2
    first = project.events[0]
    assert first.type == "mediate" and len(first.with_) == 1
    assert project.events[1].type == "release"


def test_gdelt_rows(tmp_path):
    cells = [""] * 61
    cells[0], cells[1], cells[6], cells[16], cells[26] = (
        "1001",
        "20231122",
        "QATAR",
        "HAMAS",
        "0871",
    )
    cells[60] = "https://example.org/news"
    project, [(_, kind, _)] = import_files([write(tmp_path, "gdelt.csv", "\t".join(cells) + "\n")])
    assert kind == "gdelt"
    e = project.events[0]
    assert (e.type, e.when.text, project.sources[0].url) == (
        "truce",
        "2023-11-22",
        "https://example.org/news",
    )


def test_plover_requests_become_demands_and_replies_are_offered(tmp_path):
    records = [
        {
            "id": "p1",
            "date": "2023-11-12",
            "event": "REQUEST",
            "actor": [{"actorText": "United States"}],
            "recipient": [{"actorText": "Hamas"}],
            "eventText": "Identify the hostages",
        },
        {
            "id": "p2",
            "date": "2023-11-15",
            "event": "AGREE",
            "actor": [{"actorText": "Hamas"}],
            "recipient": [{"actorText": "United States"}],
            "eventText": "Hamas gives the names",
        },
    ]
    import json

    path = write(tmp_path, "plover.json", json.dumps(records))
    project, [(_, kind, report)] = import_files([path])
    assert kind == "plover"
    [d] = project.demands
    assert (d.text, d.status) == ("Identify the hostages", "open")  # never applied silently
    assert "AGREE may settle demand" in report.approximated[0]
    project, _ = import_files([path], link_outcomes=True)
    d = project.demands[0]
    assert (d.status, d.resolved.text, d.history[0].status) == (
        "accepted",
        "2023-11-15",
        "accepted",
    )


TIMELINE = """<?xml version="1.0" encoding="utf-8"?>
<timeline><version>2.4.0</version><timetype>gregoriantime</timetype>
<eras><era><name>Talks</name><start>2023-11-01 00:00:00</start><end>2023-11-22 00:00:00</end>
<color>200,200,255</color></era></eras>
<categories>
<category><name>United States</name><color>52,101,164</color></category>
<category><name>CIA</name><color>114,159,207</color><parent>United States</parent></category>
</categories>
<events>
<event><start>2023-11-09 00:00:00</start><end>2023-11-09 00:00:00</end><text>Burns in Doha</text>
<fuzzy>True</fuzzy><category>CIA</category><hyperlink>https://a.example;https://b.example</hyperlink></event>
<event><start>2023-11-24 07:00:00</start><end>2023-11-24 07:00:00</end><text>Truce</text>
<ends_today>True</ends_today><category>United States</category></event>
</events></timeline>"""


def test_timeline_files(tmp_path):
    project, [(_, kind, _)] = import_files([write(tmp_path, "t.timeline", TIMELINE)])
    assert kind == "timeline"
    actors = {a.name: a for a in project.actors}
    assert actors["CIA"].parent == actors["United States"].id and actors["CIA"].color == "#729fcf"
    burns, truce = project.events
    assert burns.when.text == "2023-11-09~" and len(burns.cites) == 2
    assert truce.when.text == "2023-11-24T07:00/.."
    assert project.phases[0].when.text == "2023-11-01/2023-11-21"  # to the 22nd's 00:00


def test_xml_bombs_and_external_entities_are_refused(tmp_path, capsys):
    bomb = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><timeline>&b;</timeline>'
    external = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><timeline>&x;</timeline>'
    for name, text in (("bomb.timeline", bomb), ("external.timeline", external)):
        path = write(tmp_path, name, text)
        assert main(["import", path, "-o", str(tmp_path / "out.yaml")]) == 1
        assert "refused" in capsys.readouterr().err


def test_special_and_huge_files_are_refused_without_reading_them(tmp_path, capsys):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as f:
        f.truncate(300 * 2**20)  # sparse: refused by its size
    for path, message in ((fifo, "named pipe"), (zero, "character device"), (huge, "too large")):
        assert main(["import", str(path), "-o", str(tmp_path / "out.yaml")]) == 1
        assert message in capsys.readouterr().err, path


def test_an_import_too_large_to_open_again_is_refused(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.yaml"
    monkeypatch.setattr(projectfile, "MAX_FILE_BYTES", 1500)  # a 200 MB file's answer, small
    assert main(["import", write(tmp_path, "acled.csv", ACLED), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "(3 events), more than the 0 MiB a project file may be" in err
    assert "nothing written" in err and not out.exists()


def test_acled_titles_do_not_repeat_the_date(tmp_path):
    notes = (
        "On 6 February 2022, Houthi forces shelled positions in Marib. More followed.",
        "On or around 6 February 2022 (between 1-6 February), gunmen killed a man.",
        "In February 2022, AQAP militants attacked a checkpoint.",
    )
    header, row = ACLED.split("\n")[:2]
    old = "Hamas militants attacked Sderot. Clashes followed."
    rows = [row.replace(old, f'"{n}"') for n in notes]
    rows = [r.replace("ISR1", f"YEM{n}") for n, r in enumerate(rows)]
    project, _ = import_files([write(tmp_path, "acled.csv", "\n".join([header, *rows]) + "\n")])
    assert [e.title for e in project.events] == [
        "Houthi forces shelled positions in Marib.",
        "Gunmen killed a man.",
        "AQAP militants attacked a checkpoint.",
    ]
    assert project.events[0].text.startswith("On 6 February 2022, Houthi")  # the note whole


def test_json_cut_in_the_middle_of_a_character_imports_into_a_project_that_opens(tmp_path):
    source = tmp_path / "cut.json"
    source.write_text(
        '{"events":[{"start_date":{"year":"2023"},"text":{"headline":"Talks \\ud83d"}}]}'
    )
    out = tmp_path / "out.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert main(["validate", str(out)]) == 0
    assert projectfile.load(out).events[0].title == "Talks \ufffd"
    project, _ = import_files([str(source)])  # as read, before any save: whole characters
    assert project.events[0].title == "Talks \ufffd"


def test_a_row_left_out_is_told_by_the_row_the_file_or_sheet_shows(tmp_path, capsys):
    """Blank lines and rows above the table are not read, yet still count: a message
    names the row a person finds the cell at."""
    import openpyxl

    csv = tmp_path / "blank.csv"
    csv.write_text("title,when,actor\n\nFirst,2023-11-22,Qatar\n\n\nBad,2023-02-30,Qatar\n")
    assert main(["import", str(csv), "-o", str(tmp_path / "a.yaml")]) == 0
    assert f"{csv}:6: '2023-02-30'" in capsys.readouterr().out
    book = openpyxl.Workbook()
    sheet = book.active
    for row, cells in ((3, ("title", "when", "actor")), (4, ("A", "2023-01-01", "X"))):
        for col, value in enumerate(cells, start=2):
            sheet.cell(row, col, value)
    for col, value in enumerate(("B", "2023-02-30", "X"), start=2):
        sheet.cell(7, col, value)
    xlsx = tmp_path / "blank.xlsx"
    book.save(xlsx)
    assert main(["import", str(xlsx), "-o", str(tmp_path / "b.yaml")]) == 0
    assert f"{xlsx}:7: '2023-02-30'" in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-be-bom", "cp1252"])
@pytest.mark.parametrize("d", [",", "\t"])
def test_lines_ended_by_carriage_returns_alone_are_lines(tmp_path, encoding, d):
    """Excel for the Mac's "CSV (Macintosh)" ends lines with CR alone; so may a UTF-16
    file (it was not read at all: its format untold, then "new-line character seen in
    unquoted field"). Ċ and č are 0x0A and 0x0D and another byte in UTF-16."""
    text = f'title{d}when{d}actor{d}text\rAĊ{d}2023-01-01{d}X{d}"two\rlines"\rB{d}2023-01-02{d}X{d}ok\r'
    if encoding == "cp1252":
        text = text.replace("Ċ", "é")
    data = (
        b"\xfe\xff" + text.encode("utf-16-be")
        if encoding == "utf-16-be-bom"
        else text.encode(encoding)
    )
    path = tmp_path / ("mac.csv" if d == "," else "mac.tsv")
    path.write_bytes(data)
    project, [(_, _, report)] = import_files([str(path)])
    first = "Aé" if encoding == "cp1252" else "AĊ"
    assert [(e.title, e.text) for e in project.events] == [(first, "two\nlines"), ("B", "ok")]
    assert not report.skipped


def test_utf16_lines_ended_by_line_feeds_keep_their_carriage_returns_in_cells(tmp_path):
    """A byte 0x0D (half of č) is no carriage return: the lines are cut at line feeds."""
    text = 'title,when,actor,text\nč,2023-01-01,X,"a\rb"\n'
    path = tmp_path / "u16.csv"
    path.write_bytes(text.encode("utf-16"))
    project, _ = import_files([str(path)])
    assert [(e.title, e.text) for e in project.events] == [("č", "a\rb")]


def test_excels_line_naming_its_delimiter_is_read_as_that(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\r\ntitle;when;actor\r\nA, then B;2023-01-01;X\r\nC;2023-02-30;X\r\n")
    project, [(_, kind, report)] = import_files([str(path)])
    assert kind == "csv" and [e.title for e in project.events] == ["A, then B"]
    assert report.skipped == [f"{path}:4: '2023-02-30': February 2023 has no day 30"]
