from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.fileformat import projectfile

EXAMPLE = Path(__file__).parents[2] / "projects" / "hostage-talks-2023.yaml"


@pytest.fixture
def project_file(tmp_path, request):
    small = request.getfixturevalue("small_project")
    path = tmp_path / "talks.yaml"
    projectfile.save(small, path)
    return path


def test_validate_ok_and_invalid(project_file, tmp_path, capsys):
    assert main(["validate", str(project_file)]) == 0
    assert capsys.readouterr().out == f"{project_file}: ok\n"
    bad = tmp_path / "bad.yaml"
    bad.write_text(project_file.read_text().replace("actor: hamas", "actor: hamass"))
    assert main(["validate", str(project_file), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:" in out and "unknown actor 'hamass' (did you mean 'hamas'?)" in out


def test_validate_warns_but_passes_on_unknown_type(project_file, capsys):
    project_file.write_text(project_file.read_text().replace('type: "release"', 'type: "parley"'))
    assert main(["validate", str(project_file)]) == 0
    assert (
        "warning: events[0].type: 'parley' is not in the suggested vocabulary"
        in capsys.readouterr().out
    )


def test_missing_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    assert "nope.yaml: cannot read: No such file or directory" in capsys.readouterr().out


def test_info(project_file, capsys):
    assert main(["info", str(project_file)]) == 0
    out = capsys.readouterr().out
    assert "events:   2" in out and "demands:  1 (0 open)" in out
    assert "span:     2023-10-20 to 2023-11-21" in out
    assert "actor without events: israel (Israel)" in out


def test_info_lists_each_open_demand(tmp_path, capsys, small_project):
    from dataclasses import replace

    opened = [replace(d, status="open", resolved=None, history=()) for d in small_project.demands]
    path = tmp_path / "open.yaml"
    projectfile.save(replace(small_project, demands=opened), path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    d = opened[0]
    assert f"demands:  {len(opened)} ({len(opened)} open)" in out
    assert f"  open demand: {d.id}: {d.from_} -> {d.to}: {d.text}" in out


def test_export_yaml_is_canonical(project_file, tmp_path):
    out = tmp_path / "copy.yaml"
    assert main(["export", str(project_file), "-o", str(out)]) == 0
    assert out.read_text() == project_file.read_text()


def test_export_unknown_format_and_unwritable(project_file, tmp_path, capsys):
    assert main(["export", str(project_file), "-o", str(tmp_path / "x.docx")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["export", str(project_file), "-o", str(tmp_path / "no" / "such" / "x.yaml")]) == 3
    assert "cannot write" in capsys.readouterr().err


def test_help_everywhere_and_usage_errors():
    for args in (["--help"], ["validate", "--help"], ["info", "--help"], ["export", "--help"]):
        with pytest.raises(SystemExit) as info:
            main(args)
        assert info.value.code == 0
    with pytest.raises(SystemExit) as info:
        main(["--bogus"])
    assert info.value.code == 2


def test_bundled_example_validates_through_the_installed_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(EXAMPLE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{EXAMPLE}: ok"


def test_a_closed_pipe_ends_quietly(project_file, tmp_path):
    many = [str(project_file)] * 2000
    reader = subprocess.Popen(
        [sys.executable, "-m", "app", "validate", *many],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 141 and "Traceback" not in err and "Broken" not in err


def test_export_refuses_a_read_only_target_unless_forced(project_file, tmp_path, capsys):
    out = tmp_path / "ro.yaml"
    out.write_text("keep me")
    out.chmod(0o444)
    assert main(["export", str(project_file), "-o", str(out)]) == 3
    assert "read-only (--force replaces it)" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["export", str(project_file), "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("demarche: 1")


def test_a_mistyped_command_is_answered_on_the_terminal(capsys):
    from widgets.launch import main as launch

    assert launch(["imprt", "x.csv"]) == 2
    assert "unknown command 'imprt'" in capsys.readouterr().err


def test_a_file_given_to_the_commands_alone_says_where_the_editor_is(tmp_path, capsys):
    """`python -m app FILE` (a newcomer, after reading its help) said only "unknown
    command"."""
    (tmp_path / "talks.yaml").write_text("")
    assert main([str(tmp_path / "talks.yaml")]) == 2
    assert "demarche FILE, or python -m widgets FILE" in capsys.readouterr().err


def test_export_calendar_and_markwhen(project_file, tmp_path):
    project = projectfile.load(project_file)
    ics, mw = tmp_path / "talks.ics", tmp_path / "talks.mw"
    assert main(["export", str(project_file), "-o", str(ics)]) == 0
    assert main(["export", str(project_file), "-o", str(mw)]) == 0
    assert ics.read_text().count("BEGIN:VEVENT") == len(project.events)
    entry_lines = [line for line in mw.read_text().splitlines() if line[:4].isdigit()]
    dated_phases = [p for p in project.phases if p.dated]
    assert len(entry_lines) == len(project.events) + len(project.demands) + len(dated_phases)
    ics.chmod(0o444)
    assert main(["export", str(project_file), "-o", str(ics)]) == 3
    assert main(["export", str(project_file), "-o", str(ics), "--force"]) == 0


def test_a_file_rapidyaml_cannot_parse_gets_one_message_with_its_line(tmp_path):
    """rapidyaml's C++ prints its own parse error to stderr; the user reads Demarche's,
    with the file, line and column, and nothing of the library's after it."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: Talks\nevents: [\n  - a\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(broken)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        f"{broken}:3:3: while parsing a flow node did not find expected node content"
    ]
    assert result.stderr == ""


def test_info_lists_a_few_open_demands_and_says_how_many_more(tmp_path, capsys):
    from tests.bench.generate import generate

    project = generate(2000)
    opened = [d for d in project.demands if d.status == "open"]
    assert len(opened) > 25
    path = tmp_path / "many.yaml"
    projectfile.save(project, path)
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("  open demand: ") == 20
    assert f"… and {len(opened) - 20:,} more open demands (--all lists every one)" in out
    assert main(["info", "--all", str(path)]) == 0
    assert capsys.readouterr().out.count("  open demand: ") == len(opened)
