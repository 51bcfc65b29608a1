"""Demarche's CSV tables (`demarche export -o OUT.csv --table KIND`) and their import: every
table exported and imported together gives the project again."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.main import main
from app.exporters import csvtables as tables
from app.fileformat import projectfile
from app.importers import import_files
from app.records.model import Actor, Event, Project, View
from app.records.when import parse
from tests.app.strategies import projects

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "projects" / "hostage-talks-2023.yaml"
KINDS = ("sources", "actors", "phases", "events", "demands")
# Any text but NUL, which no spreadsheet holds (the export writes U+FFFD for it).
CSV_TEXTS = st.text(
    st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=30
)


def export_all(project: Project, folder: Path, excel: bool = False) -> list[str]:
    paths = []
    for table in tables.TABLES:
        path = folder / f"{table}.csv"
        path.write_bytes(tables.dumps(project, table, excel).encode("utf-8"))
        paths.append(str(path))
    return paths


def records(project: Project) -> dict:
    """What the tables carry: the records, the saved views, the title and description."""
    return {
        **{kind: getattr(project, kind) for kind in (*KINDS, "views")},
        "title": project.title,
        "description": project.description,
    }


@st.composite
def with_views(draw, project: Project) -> Project:
    """The project with a title, a description and saved views (of its own lanes)."""
    lanes = [a.id for a in project.actors]
    views = [
        View(
            id=f"view-{n}",
            title=draw(CSV_TEXTS.filter(str.strip)),
            actors=tuple(draw(st.lists(st.sampled_from(lanes), unique=True)) if lanes else ()),
            tags=tuple(draw(st.lists(st.sampled_from(["talks", "war"]), unique=True))),
            zoom=draw(st.sampled_from([None, parse("2023-11"), parse("2023-10-07/2023-11-30")])),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    title = draw(CSV_TEXTS.filter(str.strip))  # (an empty title is the file's name)
    return replace(project, title=title, description=draw(CSV_TEXTS), views=views)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(projects(texts=CSV_TEXTS).flatmap(with_views), st.booleans(), st.randoms())
def test_every_table_exported_and_imported_gives_the_project_again(
    tmp_path_factory, project, excel, rnd
):
    folder = tmp_path_factory.mktemp("tables")
    paths = export_all(project, folder, excel)
    rnd.shuffle(paths)  # given in any order
    imported, reports = import_files(paths)
    assert records(imported) == records(project)
    assert all(not report.skipped for _, _, report in reports)


def test_the_bundled_project_round_trips_through_the_command_line(tmp_path, capsys):
    paths = []
    for table in tables.TABLES:
        out = tmp_path / f"talks-{table}.csv"
        assert main(["export", str(BUNDLED), "-o", str(out), "--table", table]) == 0
        paths.append(str(out))
    out = tmp_path / "again.yaml"
    assert main(["import", *paths, "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "csv (Demarche's events table)" in report and "created: 26 events" in report
    again = projectfile.load(out)
    assert records(again) == records(projectfile.load(BUNDLED))
    assert main(["validate", str(out)]) == 0
    assert projectfile.dumps(again) == out.read_text(encoding="utf-8")  # saving changes nothing


def test_the_project_table_alone_gives_a_project_its_title(tmp_path, capsys):
    """It said "no row could be read; nothing written" and exited 1, having read its row."""
    table, out = tmp_path / "talks-project.csv", tmp_path / "titled.yaml"
    assert main(["export", str(BUNDLED), "-o", str(table), "--table", "project"]) == 0
    assert main(["import", str(table), "-o", str(out)]) == 0
    assert "set: the project's title and description" in capsys.readouterr().out
    bundled, titled = projectfile.load(BUNDLED), projectfile.load(out)
    assert (titled.title, titled.description) == (bundled.title, bundled.description)
    assert not titled.events and not titled.actors
    # Into a project titled already, it has nothing to give: said so, nothing written.
    again = tmp_path / "again.yaml"
    assert main(["import", str(table), "--into", str(out), "-o", str(again)]) == 1
    assert "the rows read add nothing; nothing written" in capsys.readouterr().err
    assert not again.exists()
    # An empty cell gives nothing: a row of no title nor description adds nothing either.
    table.write_text("demarche,title,description\n1,,\n", encoding="utf-8")
    assert main(["import", str(table), "-o", str(again)]) == 1
    assert "the rows read add nothing" in capsys.readouterr().err and not again.exists()
    # Into a project with a title and no description, a table whose description is empty.
    table.write_text("demarche,title,description\n1,Talks,\n", encoding="utf-8")
    titled_only = tmp_path / "titled-only.yaml"
    projectfile.save(Project(title="Only a title"), titled_only)
    assert main(["import", str(table), "--into", str(titled_only), "-o", str(again)]) == 1
    assert not again.exists()


def test_the_events_header_is_the_documented_one():
    header = next(csv.reader(io.StringIO(tables.dumps(Project()))))
    assert header == [
        "id", "actor", "actor_path", "with", "title", "start", "end", "edtf", "approximate",
        "uncertain", "type", "text", "sources", "tags", "label", "responds_to",
    ]  # fmt: skip


def test_cells_people_read(qapp):
    project = projectfile.load(BUNDLED)
    rows = list(csv.DictReader(io.StringIO(tables.dumps(project))))
    row = next(r for r in rows if r["id"] == "us-asks-qatar-cell")
    assert row["actor_path"] == "United States"
    assert (row["start"], row["end"], row["edtf"]) == ("2023-10-07", "2023-10-07", "2023-10-07~")
    span = next(r for r in rows if r["id"] == "israel-rejects-delay-offer")
    assert (span["start"], span["end"], span["edtf"]) == (
        "2023-10-20",
        "2023-10-27",
        "2023-10-20/2023-10-27~",
    )
    assert row["approximate"] == "yes" and row["with"] == "qatar\negypt"
    assert row["sources"].startswith('donga-2023-11-24 (2): "the United States ordered Qatar')
    nested = next(r for r in rows if r["actor"] == "burns")
    assert nested["actor_path"] == "United States › CIA › William Burns, CIA Director"
    demands = list(csv.DictReader(io.StringIO(tables.dumps(project, "demands"))))
    assert any(d["history"] and " accepted" in d["history"] for d in demands)


def test_excel_gets_a_bom_its_separator_and_no_formulas(monkeypatch, tmp_path):
    project = Project(
        title="=SUM(A1)",  # (a title Excel would run too)
        actors=[Actor(id="a", name="=cmd|' /C calc'!A0")],
        events=[
            Event(
                id="e",
                actor="a",
                title='=HYPERLINK("http://x")',
                when=parse("2023-11-20"),
                text="'quoted",
            )
        ],
    )
    monkeypatch.setattr(tables, "excel_delimiter", lambda: ";")
    text = tables.dumps(project, "events", excel=True)
    assert text.startswith("\ufeffid;actor;")
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert row["title"] == '\'=HYPERLINK("http://x")' and row["text"] == "''quoted"
    paths = export_all(project, tmp_path, excel=True)
    assert records(import_files(paths)[0]) == records(project)


def test_the_separator_follows_the_locale(monkeypatch):
    import locale

    monkeypatch.setattr(locale, "setlocale", lambda *a: "C")
    monkeypatch.setattr(locale, "localeconv", lambda: {"decimal_point": ","})
    assert tables.excel_delimiter() == ";"
    monkeypatch.setattr(locale, "localeconv", lambda: {"decimal_point": "."})
    assert tables.excel_delimiter() == ","


def test_a_nul_is_written_as_a_replacement_character():
    project = Project(
        actors=[Actor(id="a", name="A")],
        events=[Event(id="e", actor="a", title="x\x00y", when=parse("2023"))],
    )
    assert "x\ufffdy" in tables.dumps(project)


def test_rows_added_by_hand_and_bad_rows(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "id,actor,actor_path,title,start,end,edtf,approximate,uncertain,type,with,tags,text,sources\n"
        ",,Qatar › Emir,Emir meets Burns,2023-11-09,2023-11-10,,yes,,,,,,Reuters\n"
        "bad-date,x,,Bad,,,2023-13-01,,,,,,,\n"
        "bad-cite,x,,Bad cite,,,2023-11-01,,,,,,,src (9)\n"
        "no-date,x,,No date,,,,,,,,,,\n",
        encoding="utf-8",
    )
    project, [(_, kind, report)] = import_files([str(path)])
    assert kind == "csv (Demarche's events table)"
    [event] = project.events
    assert event.id == "emir-meets-burns" and event.when.text == "2023-11-09/2023-11-10~"
    emir = next(a for a in project.actors if a.id == event.actor)
    assert (
        emir.name == "Emir"
        and next(a for a in project.actors if a.id == emir.parent).name == "Qatar"
    )
    assert [s.title for s in project.sources] == ["Reuters"]
    assert report.skipped[0] == f"{path}:3: edtf: '2023-13-01': month 13 does not exist"
    assert report.skipped[1].startswith(f"{path}:4: sources: credibility is a whole number")
    assert report.skipped[2] == f"{path}:5: edtf: is required"
    assert len(report.skipped) == 3


def test_into_a_project_matches_actors_by_name_and_never_duplicates_an_id(tmp_path):
    mine = Project(
        actors=[Actor(id="usa", name="Someone else"), Actor(id="us", name="United States")]
    )
    theirs = Project(
        actors=[Actor(id="usa", name="united  states"), Actor(id="qatar", name="Qatar")],
        events=[
            Event(id="usa", actor="qatar", title="Talks", when=parse("2023-11-09"), with_=("usa",))
        ],
    )
    mine.title, mine.description = "Mine", "My description"
    theirs.title, theirs.description = "Theirs", "Their description"
    merged, reports = import_files(export_all(theirs, tmp_path), into=mine)
    assert (merged.title, merged.description) == ("Mine", "My description")  # its own
    assert [a.id for a in merged.actors] == ["usa", "us", "qatar"]  # United States matched
    [event] = merged.events
    assert event.id == "usa-2" and event.with_ == ("us",) and event.actor == "qatar"
    assert any("id 'usa' was taken" in line for _, _, r in reports for line in r.approximated)


def test_an_event_answering_one_listed_below_it_is_linked_without_a_new_lane(tmp_path):
    sheet = tmp_path / "events.csv"
    sheet.write_text(
        "id,actor,title,edtf,responds_to\n"
        'halt,hamas,Talks halted,2023-10-25,"strike\nnowhere\nhalt"\n'
        "strike,israel,Strike,2023-10-20,\n",
        encoding="utf-8",
    )
    project, reports = import_files([str(sheet)])
    assert sorted(a.id for a in project.actors) == ["hamas", "israel"]  # no lane "strike"
    halt = next(e for e in project.events if e.id == "halt")
    assert halt.responds_to == ("strike",)
    said = " ".join(reports[0][2].approximated)
    assert "no event 'nowhere': left out" in said and "'halt' is the record itself" in said


def test_a_sheet_of_titles_and_descriptions_is_not_taken_for_the_project_table(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("title,description,date\nTalks,In Doha,2023-11-09\n", encoding="utf-8")
    project, [(_, read_as, _)] = import_files([str(sheet)])
    assert "project table" not in str(read_as) and [e.title for e in project.events] == ["Talks"]
