"""The importers' registry: detection by content, messages that name the formats that came
close, every list of formats made from the registry, and the files an import must not
destroy or hang on."""

from __future__ import annotations

import json
import os
import threading
import zipfile

import pytest

from app.cli.main import main
from app.importers import IMPORTERS, ImportFailed, import_files, registry


def write(tmp_path, name, content) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


PLOVER = [
    {
        "id": "p1",
        "date": "2023-11-12",
        "event": "DEMAND",
        "actor": [{"actorText": "Hamas"}],
        "recipient": [{"actorText": "Israel"}],
        "eventText": "Stop the drones",
    }
]


def test_content_decides_where_the_suffix_does_not(tmp_path):
    path = write(tmp_path, "records.txt", json.dumps(PLOVER))
    project, [(_, kind, _)] = import_files([path])
    assert kind == "plover" and project.demands[0].text == "Stop the drones"
    mw = write(tmp_path, "notes.txt", "# Egypt\n1978-09-05: Sadat arrives\n1978-09-17: Accords\n")
    assert import_files([mw])[1][0][1] == "markwhen"


def test_when_nothing_matches_the_formats_that_came_close_are_named(tmp_path, capsys):
    path = write(tmp_path, "x.json", "[1, 2, 3]")
    assert main(["import", path, "-o", str(tmp_path / "o.yaml")]) == 1
    err = capsys.readouterr().err
    assert "JSON that is neither TimelineJS" in err
    path = write(tmp_path, "x.bin", "a,b\n1,2\n")
    with pytest.raises(ImportFailed, match="it could be csv.*give --format csv"):
        import_files([path])


def test_every_list_of_formats_comes_from_the_registry(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    help_ = capsys.readouterr().out
    for imp in IMPORTERS.values():
        assert f"  {imp.name} " in help_ and imp.title in help_
        assert f"| `{imp.name}` | {imp.title} |" in registry.markdown_table()
        assert f"{imp.title} (" in registry.file_filter()
    assert "{" + ",".join(IMPORTERS) + "}" in help_  # --format's choices
    from widgets import importdialog

    assert importdialog.FILTER == registry.file_filter()


def test_import_refuses_a_read_only_target_and_its_own_source(tmp_path, capsys):
    src = write(tmp_path, "a.csv", "actor,title,when\nHamas,Talks,2023-11-25\n")
    out = tmp_path / "out.yaml"
    out.write_text("kept\n")
    out.chmod(0o444)
    assert main(["import", src, "-o", str(out)]) == 3
    assert "read-only (--force replaces it)" in capsys.readouterr().err
    assert out.read_text() == "kept\n"
    assert main(["import", src, "-o", str(out), "--force"]) == 0
    assert "Talks" in out.read_text()
    before = open(src).read()
    assert main(["import", src, "-o", src]) == 3
    assert "is the file being imported" in capsys.readouterr().err
    assert open(src).read() == before


def test_a_cell_over_128_kb_skips_its_row_only(tmp_path):
    big = "x" * (200 * 1024)
    path = write(
        tmp_path,
        "a.csv",
        f"actor,title,when\nA,One,2023-01-01\nA,{big},2023-01-02\nA,Three,2023-01-03\n",
    )
    project, [(_, _, report)] = import_files([path])
    assert [e.title for e in project.events] == ["One", "Three"]
    assert report.skipped == [f"{path}:3: a cell of 200 KB (the limit is 128 KB)"]


def test_the_windows_1252_fallback_refuses_nul_too(tmp_path):
    path = write(tmp_path, "a.csv", b"actor,title,when\nA,Caf\xe9,2023\nA,\x00,2023\n")
    with pytest.raises(ImportFailed, match="line 3: binary data"):
        import_files([path])


def workbook(tmp_path, name="w.xlsx", cell="A1", rows=(("actor", "title", "when"),)) -> str:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    wb.active[cell] = wb.active[cell].value or "x"
    path = str(tmp_path / name)
    wb.save(path)
    return path


def test_a_workbook_reaching_far_cells_is_refused_before_it_is_read(tmp_path):
    path = workbook(tmp_path, cell="XFD1048576")
    assert os.path.getsize(path) < 6000
    with pytest.raises(ImportFailed, match="reaches row 1,048,576 and column 16,384"):
        import_files([path])


def test_a_workbook_inflating_past_the_limit_is_refused_from_its_zip_directory(tmp_path):
    path = str(tmp_path / "bomb.xlsx")
    # Written a MiB at a time at the fastest level (at the default level it took 2.6 s).
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/sharedStrings.xml", "w") as f:
            f.write(b"<sst>")
            for _ in range(300):
                f.write(b" " * 2**20)
            f.write(b"</sst>")
    assert os.path.getsize(path) < 2 * 2**20
    with pytest.raises(ImportFailed, match="unzips to 300 MiB"):
        import_files([path])


def test_a_fifo_named_as_a_workbook_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    done = []
    worker = threading.Thread(target=lambda: done.append(_failure(str(fifo))), daemon=True)
    worker.start()
    worker.join(10)
    assert done and "named pipe" in done[0]
    for fmt in ("xlsx", "acled", None):
        assert "not a regular file" in _failure("/dev/stdin", fmt)


def _failure(path: str, fmt=None) -> str:
    try:
        import_files([path], fmt)
    except ImportFailed as exc:
        return str(exc)
    return ""


def test_a_reader_that_aborts_the_process_gives_an_error_message(tmp_path, monkeypatch):
    from app.importers import workbook as wb

    path = workbook(tmp_path, rows=[("actor", "title", "when"), ("A", "T", "2023")])
    assert import_files([path])[0].events[0].title == "T"  # read in the child, as it is
    real = wb.read_isolated
    monkeypatch.setattr(
        wb, "read_isolated", lambda p, progress=None: real(p, progress, "tests.cli.readers:abort")
    )
    with pytest.raises(ImportFailed, match=r"the workbook reader stopped \(SIGABRT\)"):
        import_files([path])


TIMELINE_OLD = """<?xml version="1.0" encoding="utf-8"?>
<timeline>
  <version>0.9.0</version>
  <categories>
    <category><name>Talks</name><color>999,999,999</color><parent>Mediators</parent></category>
    <category><name>Mediators</name><color>10,20,30</color><parent>Talks</parent></category>
    <category><name>Quiet</name><color>1,2,3</color></category>
  </categories>
  <events>
    <event><start>2009-11-4 22:52:0</start><end>2009-11-4 22:52:0</end><text>Met</text>
      <fuzzy>False</fuzzy><locked>False</locked><ends_today>False</ends_today>
      <category>Talks</category></event>
  </events>
  <view><hidden_categories><name>Quiet</name></hidden_categories></view>
</timeline>
"""


def test_old_timeline_files_loops_of_parents_and_colours_out_of_range(tmp_path):
    from app.fileformat import projectfile
    from app.importers import canonical_text

    project, [(_, _, report)] = import_files([write(tmp_path, "old.timeline", TIMELINE_OLD)])
    assert [e.when.text for e in project.events] == ["2009-11-04T22:52"]  # unpadded, read
    lanes = {a.name: a for a in project.actors}
    assert lanes["Talks"].color == "#ffffff" and lanes["Quiet"].hidden
    text = "\n".join(report.lines("timeline"))
    assert "parents make a loop" in text and "brought into range" in text
    projectfile.loads(canonical_text(project))  # a valid project


def test_lanes_nested_deeper_than_a_project_allows_are_kept_at_the_limit(tmp_path):
    from app.fileformat import projectfile
    from app.importers import canonical_text

    mw = (
        "".join(f"{'#' * 6} L{n}\n" for n in range(1))
        + "".join(f"group G{n}\n" for n in range(150))
        + "2023-01-01: deep\n"
    )
    project, [(_, _, report)] = import_files([write(tmp_path, "deep.mw", mw)])
    assert "nested more than 100 deep" in "\n".join(report.lines("markwhen"))
    projectfile.loads(canonical_text(project))


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        ('{"events": [], "n": ' + "9" * 5000 + "}", "not readable as JSON"),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_gives_a_message_not_a_traceback(tmp_path, content, message):
    for fmt in (None, "timelinejs", "plover"):
        with pytest.raises(ImportFailed, match=message):
            import_files([write(tmp_path, "x.json", content)], fmt)


def test_timelinejs_fields_of_unexpected_types(tmp_path):
    slides = [
        {"start_date": {"year": 2023}, "text": {"headline": "A"}, "group": ["x"], "unique_id": 7},
        {"start_date": [2023], "text": {"headline": "B"}},
        {"start_date": {"year": "20x3"}, "text": {"headline": "C"}},
        {"start_date": {"year": 2023}, "text": {"headline": 5}, "media": {"url": 12}},
    ]
    data = {"events": slides, "eras": ["2023", {"start_date": 1}]}
    project, [(_, _, report)] = import_files([write(tmp_path, "t.json", json.dumps(data))])
    assert [(e.id, e.title, e.text) for e in project.events] == [
        ("event-7", "A", ""),
        ("event-5", "5", "12"),
    ]
    text = "\n".join(report.lines("timelinejs"))
    assert "events[1]: start_date: no date" in text and "is not a number" in text
    assert "eras[0]: an era is an object" in text and "group is list" in text


def test_a_timelinejs_sheets_html_is_made_plain(tmp_path):
    sheet = (
        "Year,Month,Day,Headline,Text,Group\n"
        '2023,11,24,Truce,"<blockquote>We will not leave</blockquote><cite>A spokesman</cite>'
        '<p>Then <b>more</b> &amp; more</p>",<i>Hamas</i>\n'
    )
    project, _ = import_files([write(tmp_path, "sheet.csv", sheet)])
    assert project.events[0].text == "We will not leave\nA spokesman\nThen more & more"
    assert [a.name for a in project.actors] == ["Hamas"]
