from __future__ import annotations

import dataclasses
import os
import stat

import pytest
import yaml

from app.fileformat import fastread, projectfile
from app.fileformat.projectfile import MAX_PROBLEMS, ProjectFileError, loads

GOOD = """demarche: 1
title: "T"
actors:
  - id: hamas
    name: "Hamas"
  - id: israel
    name: "Israel"
events:
  - id: e1
    actor: hamas
    title: "Release"
    when: "2023-10-20"
"""


def errors_of(text: str, name: str = "f.yaml") -> list[str]:
    with pytest.raises(ProjectFileError) as info:
        projectfile.loads(text, name)
    return [str(d) for d in info.value.diagnostics]


def test_good_file_loads():
    p = projectfile.loads(GOOD)
    assert [a.id for a in p.actors] == ["hamas", "israel"]
    assert p.events[0].when.text == "2023-10-20"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "    actor: hamas\n",
            "    actor: hamass\n",
            "f.yaml:10:12: events[0].actor: unknown actor 'hamass' (did you mean 'hamas'?)",
        ),
        (
            '    when: "2023-10-20"\n',
            '    when: "2023-02-30"\n',
            "f.yaml:12:11: events[0].when: '2023-02-30': February 2023 has no day 30",
        ),
        (
            '    when: "2023-10-20"\n',
            '    when: "2023-10-20/2023-10-01"\n',
            "f.yaml:12:11: events[0].when: '2023-10-20/2023-10-01': the end comes before the start",
        ),
        (
            '    title: "Release"\n',
            "    title: [1, 2]\n",
            "f.yaml:11:12: events[0].title: expected text, found a list",
        ),
        (
            "  - id: israel\n",
            "  - id: hamas\n",
            "f.yaml:6:9: actors[1].id: duplicate id 'hamas' (already used by actors[0])",
        ),
        (
            "demarche: 1\n",
            "demarche: 7\n",
            "f.yaml:1:11: demarche: this file uses format version 7, newer than this program's (1); please update Demarche",
        ),
    ],
)
def test_each_refusal_names_file_line_column_and_field(old, new, expected):
    assert old in GOOD
    assert errors_of(GOOD.replace(old, new)) == [expected]


def test_a_typo_in_a_key_gives_a_hint_and_the_missing_key():
    assert errors_of(GOOD.replace("    title:", "    titel:")) == [
        "f.yaml:9:5: events[0]: missing required key 'title'",
        "f.yaml:11:5: events[0].titel: unknown key 'titel' (did you mean 'title'?)",
    ]


def test_missing_required_key_is_reported_at_its_record():
    text = GOOD.replace('    title: "Release"\n', "")
    assert errors_of(text) == ["f.yaml:9:5: events[0]: missing required key 'title'"]


def test_unknown_status_is_refused():
    text = (
        GOOD
        + 'demands:\n  - id: d\n    from: hamas\n    to: israel\n    text: "x"\n    raised: "2023-11"\n    status: acepted\n'
    )
    assert errors_of(text) == [
        "f.yaml:19:13: demands[0].status: unknown status 'acepted' (did you mean 'accepted'?)"
    ]


def test_all_errors_are_reported_at_once():
    text = (
        GOOD.replace("actor: hamas", "actor: nobody")
        .replace('"2023-10-20"', '"2023-13"')
        .replace("  - id: israel", "  - id: hamas")
    )
    lines = errors_of(text)
    assert len(lines) == 3
    assert [line.split(":")[1] for line in lines] == ["6", "10", "12"]  # sorted by line


def test_duplicate_keys_are_refused():
    text = GOOD.replace('    title: "Release"\n', '    title: "Release"\n    title: "Again"\n')
    assert errors_of(text) == [
        "f.yaml:12:5: events[0].title: duplicate key 'title' (first at line 11)"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            'demarche: 1\ntitle: &t "x"\nactors: []\nevents: []\n',
            "f.yaml:2:8: anchors (&t) are not allowed",
        ),
        (
            "demarche: 1\ntitle: *t\nactors: []\nevents: []\n",
            "f.yaml:2:8: aliases (*t) are not allowed; write the value out",
        ),
        (
            'demarche: 1\ntitle: !!python/object:os.system "x"\n',
            "f.yaml:2:8: tags (tag:yaml.org,2002:python/object:os.system) are not allowed",
        ),
        (
            'demarche: 1\ntitle: "x"\nactors: [\n',
            "f.yaml:4:1: while parsing a flow node did not find expected node content",
        ),
        (  # the file ends inside a quote: said where the quote begins
            'demarche: 1\ntitle: "x\nactors:\n  - id: a\n',
            "f.yaml:2:8: a quoted text begins here and never ends (the file ends at line 5)",
        ),
        (
            "demarche: 1\ntitle: x\nactors: [a, b\n",
            "f.yaml:4:1: while parsing a flow sequence did not find expected ',' or ']'"
            " (begun at line 3, column 9)",
        ),
    ],
)
def test_yaml_features_we_refuse(text, expected):
    assert errors_of(text) == [expected]


def test_billion_laughs_is_refused_quickly():
    lines = ['a0: &a0 "lol"'] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)
    ]
    assert (
        "aliases" in errors_of("\n".join(lines) + "\n")[0]
        or "anchors" in errors_of("\n".join(lines) + "\n")[0]
    )


def test_deep_nesting_is_refused():
    text = "demarche: 1\ntitle: " + "[" * 1000 + "]" * 1000 + "\n"
    assert "nested more than" in errors_of(text)[0]


def test_empty_and_non_utf8_files_name_the_file(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    with pytest.raises(ProjectFileError, match=r"empty.yaml: the file is empty"):
        projectfile.load(empty)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b'demarche: 1\ntitle: "caf\xe9"\n')
    with pytest.raises(ProjectFileError, match=r"latin.yaml:2:12: not UTF-8 text: byte 0xe9"):
        projectfile.load(latin)


def test_a_binary_file_is_said_to_be_binary_not_text_in_another_encoding(tmp_path):
    """A program renamed .yaml was called Latin-1 text to save as UTF-8 (a newcomer's
    trial); `import` already said binary."""
    program = tmp_path / "program.yaml"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(9) + b"\x02\x00\x3e\x00\xf7\xff")
    with pytest.raises(ProjectFileError) as caught:
        projectfile.load(program)
    assert str(caught.value) == f"{program}:1:8: binary data (a NUL byte): not a text file"


def test_another_tools_yaml_is_said_once_and_a_project_lacking_its_key_in_full():
    """A list, or a mapping with none of a project's keys (another tool's file), is not a
    project, said once; the rest (six lines for a three-key file) said nothing more. A
    project that only lacks `demarche:` is told everything."""
    foreign = ["f.yaml:1:1: not a Demarche project (it has no 'demarche:' version key)"]
    assert errors_of("- a\n- b\n") == foreign
    assert errors_of("name: my-config\nversion: 3\nitems: [1, 2]\n") == foreign
    assert errors_of('title: "T"\nactors: []\nevets: []\n') == [
        *foreign,
        "f.yaml:1:1: missing required key 'demarche'",
        "f.yaml:3:1: evets: unknown key 'evets' (did you mean 'events'?)",
    ]


def test_a_file_that_is_no_text_is_named(tmp_path):
    png = tmp_path / "chart.yaml"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ProjectFileError, match=r"chart.yaml:1:1: the file is a PNG image, not"):
        projectfile.load(png)


def test_unquoted_dates_read_as_the_same_value():
    p = projectfile.loads(GOOD.replace('"2023-10-20"', "2023-10-20"))
    assert p == projectfile.loads(GOOD)


def test_round_trip_and_canonical_bytes(small_project, tmp_path):
    path = tmp_path / "p.yaml"
    projectfile.save(small_project, path)
    loaded = projectfile.load(path)
    assert loaded == small_project
    first = path.read_bytes()
    projectfile.save(loaded, path)
    assert path.read_bytes() == first


def test_canonical_text_is_what_pyyaml_reads(small_project):
    text = projectfile.dumps(small_project)
    data = yaml.safe_load(text)
    assert data["events"][0]["when"] == "2023-10-20"  # quoted, not a date object
    assert data["demands"][0]["history"][0]["note"] == "under pressure"


def test_save_keeps_a_backup_and_is_atomic(small_project, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("old contents\n")
    projectfile.save(small_project, path)
    assert (tmp_path / "p.yaml.bak").read_text() == "old contents\n"
    assert sorted(os.listdir(tmp_path)) == ["p.yaml", "p.yaml.bak"]  # no temporary left


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_failed_save_leaves_the_old_file(
    small_project, tmp_path
):  # pragma: no cover - CI runs as root
    path = tmp_path / "p.yaml"
    path.write_text("old\n")
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OSError):
            projectfile.save(small_project, path)
        assert path.read_text() == "old\n"
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_failed_save_mid_write_leaves_the_old_file(small_project, tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text("old\n")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        projectfile.save(small_project, path)
    assert path.read_text() == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["p.yaml"]


def test_fast_reader_declines_what_it_is_not_sure_of(small_project):
    text = projectfile.dumps(small_project)
    assert fastread.read_fast(text) == small_project
    for change in [
        ("actor: hamas", "actor: nobody"),
        ('title: "Talks"', "title: yes"),
        ("\n", "\r\n"),
        ("  - id: cia", '  - id: "cia"'),
        ("status: accepted", "status: maybe"),
    ]:
        assert fastread.read_fast(text.replace(*change, 1)) is None, change


def test_type_outside_the_vocabulary_is_a_warning(tmp_path):
    warnings = []
    projectfile.loads(
        GOOD.replace('    when: "2023-10-20"\n', '    when: "2023-10-20"\n    type: "relase"\n'),
        "f.yaml",
        warnings,
    )
    assert [str(w) for w in warnings] == [
        "f.yaml:13:11: warning: events[0].type: 'relase' is not in the suggested vocabulary (did you mean 'release'?)"
    ]


def test_warnings_are_located_alike_by_the_fast_and_the_full_reader(small_project):
    small_project.events[0] = dataclasses.replace(
        small_project.events[0], with_=("hamas", "usa"), type="parley"
    )
    text = projectfile.dumps(small_project)
    fast: list = []
    projectfile.loads(text, "f.yaml", fast)
    full: list = []
    projectfile.loads(
        text + "# a comment: not canonical, so the full reader reads it\n", "f.yaml", full
    )
    assert [str(w) for w in fast] == [str(w) for w in full]
    assert len(fast) == 2 and all(w.line for w in fast)


def test_null_and_empty_ids_are_refused_where_they_stand():
    text = """demarche: 1
title: "T"
actors:
  - id: ""
    name: "A"
  - id: null
    name: "B"
events:
  - id: e
    actor: null
    title: "E"
    when: "2023-01-01"
"""
    assert errors_of(text) == [
        "f.yaml:4:9: actors[0].id: an id cannot be empty",
        "f.yaml:6:9: actors[1].id: an id cannot be empty",
        "f.yaml:10:12: events[0].actor: an id cannot be empty",
    ]


def test_a_crlf_file_is_saved_with_one_kind_of_line_ending(tmp_path, small_project):
    path = tmp_path / "crlf.yaml"
    text = "# made on Windows\n" + projectfile.dumps(small_project)
    path.write_bytes(text.replace("\n", "\r\n").encode())
    projectfile.save(projectfile.load(path), path)
    raw = path.read_bytes()  # the file's own, CR LF (tests/app/test_line_ends.py)
    assert raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")


def test_a_mistake_repeated_thousands_of_times_lists_the_first_and_counts_the_rest():
    events = "".join(
        f'  - id: e{i}\n    actor: nobody{i}\n    title: "E"\n    when: "2023-01-01"\n'
        for i in range(MAX_PROBLEMS + 50)
    )
    text = 'demarche: 1\ntitle: "T"\nactors:\n  - id: a\n    name: "A"\nevents:\n' + events
    with pytest.raises(ProjectFileError) as caught:
        loads(text, "many.yaml")
    listed = caught.value.diagnostics
    assert len(listed) == MAX_PROBLEMS + 1
    assert all("nobody" in d.message or "unknown" in d.message for d in listed[:-1])
    assert listed[0].line == 8 and listed[-1].line is None
    assert (
        str(listed[-1]) == f"many.yaml: and 50 more problems (the first {MAX_PROBLEMS} are listed)"
    )
