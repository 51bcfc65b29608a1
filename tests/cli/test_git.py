"""The merge driver and diff with the real git, in a temporary repository."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli.main import main
from app.fileformat import projectfile
from app.records.model import Actor, Event
from app.records.when import parse
from app.team import diff

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=check
    )


@pytest.fixture
def repo(tmp_path, small_project) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "analyst@example.org")
    git(repo, "config", "user.name", "Analyst")
    assert main(["git-setup", str(repo)]) == 0
    assert main(["git-setup", str(repo)]) == 0  # idempotent
    assert (repo / ".gitattributes").read_text().count("merge=demarche") == 1
    projectfile.save(small_project, repo / "talks.yaml")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    return repo


def branches(repo: Path, ours, theirs) -> subprocess.CompletedProcess:
    """Commit `theirs` on a branch and `ours` on main, then merge the branch into main."""
    git(repo, "checkout", "-qb", "theirs")
    projectfile.save(theirs, repo / "talks.yaml")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    projectfile.save(ours, repo / "talks.yaml")
    git(repo, "commit", "-qam", "ours")
    return git(repo, "merge", "theirs", "-m", "merge", check=False)


def merged(repo: Path):
    warnings: list = []
    project = projectfile.load(repo / "talks.yaml", warnings)
    assert not [w for w in warnings if not w.warning]
    return project


def test_two_branches_editing_different_fields_of_one_event(repo, small_project):
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = replace(ours.events[0], title="Freed")
    theirs.events[0] = replace(theirs.events[0], when=parse("2023-10-20~"))
    theirs.events[1] = replace(theirs.events[1], title="Doha")
    assert branches(repo, ours, theirs).returncode == 0
    p = merged(repo)
    assert (p.events[0].title, p.events[0].when.text, p.events[1].title) == (
        "Freed",
        "2023-10-20~",
        "Doha",
    )


def test_adding_at_the_end_of_lists_and_reordering_lanes(repo, small_project):
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events.append(Event(id="ours", actor="hamas", title="Ours", when=parse("2023-11-01")))
    ours.actors = [ours.actors[2], ours.actors[0], ours.actors[1], ours.actors[3]]
    theirs.events.append(
        Event(id="theirs", actor="israel", title="Theirs", when=parse("2023-11-02"))
    )
    theirs.actors.append(Actor(id="egypt", name="Egypt", color="#c4a000"))
    assert branches(repo, ours, theirs).returncode == 0
    p = merged(repo)
    assert [e.id for e in p.events][-2:] == ["ours", "theirs"]
    assert [a.id for a in p.actors] == ["hamas", "usa", "cia", "israel", "egypt"]
    shown = git(repo, "diff", "HEAD~2", "HEAD", "--", "talks.yaml").stdout
    assert '+ event theirs "Theirs" (israel, 2023-11-02)' in shown  # git diff, by meaning


def test_a_conflict_stops_git_and_the_file_still_loads(repo, small_project):
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = replace(ours.events[0], title="Ours")
    theirs.events[0] = replace(theirs.events[0], title="Theirs")
    result = branches(repo, ours, theirs)
    assert result.returncode != 0 and "CONFLICT" in result.stdout
    p = projectfile.load(repo / "talks.yaml")
    assert p.events[0].title == "Ours" and len(p.conflicts) == 1
    assert main(["validate", str(repo / "talks.yaml")]) == 1
    assert main(["export", str(repo / "talks.yaml"), "-o", str(repo / "x.png")]) == 1


def test_plain_git_without_the_driver_conflicts_where_the_driver_does_not(repo, small_project):
    (repo / ".gitattributes").write_text("")
    git(repo, "commit", "-qam", "no driver")
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = replace(ours.events[0], title="Freed")
    theirs.events[0] = replace(theirs.events[0], when=parse("2023-10-20~"))
    result = branches(repo, ours, theirs)
    assert result.returncode != 0  # adjacent lines of one record: a textual conflict
    assert "<<<<<<<" in (repo / "talks.yaml").read_text()


def test_a_version_broken_by_hand_is_merged_as_lines_and_stops_the_merge(
    tmp_path, small_project, capsys
):
    """Their version does not load: their work is still in the result (merged as lines),
    the merge counts as a conflict, and the reason names the file and the side."""
    base, ours, theirs = (tmp_path / n for n in ("base.yaml", "ours.yaml", "theirs.yaml"))
    for path in (base, ours, theirs):
        projectfile.save(small_project, path)
    text = theirs.read_text().replace("events:\n", "events:\n  - id: e\n    actor: nobody\n")
    theirs.write_text(text)
    name = ["--name", "projects/talks.yaml"]
    assert main(["merge", str(base), str(ours), str(theirs), *name]) == 1
    err = capsys.readouterr().err
    assert "theirs is not a valid project" in err
    assert "projects/talks.yaml (theirs):" in err and "unknown actor 'nobody'" in err
    assert ours.read_text() == text  # theirs, as git merge-file makes it
    assert "demarche validate" in err


def test_a_repository_of_its_own_app_package_still_merges_and_diffs_with_demarche(
    repo, small_project
):
    """git runs the driver in the repository's top folder: an `app` package there is never
    imported in Demarche's place."""
    marker = repo / "hijacked"
    (repo / "app").mkdir()
    (repo / "app" / "__init__.py").write_text("")
    (repo / "app" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    git(repo, "add", "app")
    git(repo, "commit", "-qm", "a folder named app")
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = replace(ours.events[0], title="Freed")
    theirs.events[1] = replace(theirs.events[1], title="Doha")
    assert branches(repo, ours, theirs).returncode == 0
    shown = git(repo, "diff", "HEAD~2", "HEAD", "--", "talks.yaml").stdout
    assert '~ event talks: title "Talks in Doha" → "Doha"' in shown
    assert [e.title for e in merged(repo).events] == ["Freed", "Doha"]
    assert not marker.exists()


def test_yaml_files_that_are_not_projects_diff_and_merge_as_lines(repo):
    """A template or a file of several documents (neither loads as YAML one project) is
    shown and merged as git would, whatever else the diff shows."""
    chart = "apiVersion: v1\nkind: ConfigMap\ndata:\n{{- if .Values.debug }}\n  level: debug\n{{- end }}\n  name: a\n"
    (repo / "chart.yaml").write_text(chart)
    (repo / "multi.yaml").write_text("a: 1\n---\nb: 2\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "others")
    git(repo, "checkout", "-qb", "theirs")
    (repo / "chart.yaml").write_text(chart.replace("name: a", "name: theirs"))
    (repo / "multi.yaml").write_text("a: 1\n---\nb: 3\n")
    git(repo, "commit", "-qam", "theirs")
    git(repo, "checkout", "-q", "main")
    (repo / "chart.yaml").write_text(chart.replace("ConfigMap", "Secret"))
    (repo / "multi.yaml").write_text("a: 0\n---\nb: 2\n")
    git(repo, "commit", "-qam", "ours")
    shown = git(repo, "diff", "HEAD~1")
    assert "-kind: ConfigMap\n+kind: Secret" in shown.stdout and "+a: 0" in shown.stdout
    assert git(repo, "merge", "theirs", "-m", "merge", check=False).returncode == 0
    assert (repo / "chart.yaml").read_text() == chart.replace("ConfigMap", "Secret").replace(
        "name: a", "name: theirs"
    )
    assert (repo / "multi.yaml").read_text() == "a: 0\n---\nb: 3\n"


def test_git_diff_shows_a_renamed_project_and_goes_past_a_broken_one(repo, small_project):
    git(repo, "mv", "talks.yaml", "renamed.yaml")
    changed = copy.deepcopy(small_project)
    changed.events[1] = replace(changed.events[1], title="Doha")
    projectfile.save(changed, repo / "renamed.yaml")
    (repo / "a-broken.yaml").write_text("demarche: 1\ntitle: [\n")
    (repo / "z-notes.yaml").write_text("note: kept\n")
    git(repo, "add", ".")
    shown = git(repo, "diff", "--cached", "-M", "HEAD")
    assert shown.returncode == 0, shown.stderr
    assert "demarche diff talks.yaml → renamed.yaml" in shown.stdout
    assert '~ event talks: title "Talks in Doha" → "Doha"' in shown.stdout
    assert "+title: [" in shown.stdout  # the broken one, as lines
    assert "a-broken.yaml: not readable as a project" in shown.stderr
    assert "\nb/a-broken.yaml:3:1: " in shown.stderr  # the new version is the broken one
    assert "+note: kept" in shown.stdout  # and the files after it


def test_an_unresolved_conflict_about_to_be_committed_shows_in_git_diff(repo, small_project):
    ours, theirs = copy.deepcopy(small_project), copy.deepcopy(small_project)
    ours.events[0] = replace(ours.events[0], title="Ours")
    theirs.events[0] = replace(theirs.events[0], title="Theirs")
    branches(repo, ours, theirs)
    git(repo, "add", "talks.yaml")
    shown = git(repo, "diff", "--cached", "HEAD").stdout
    assert '+ conflict events release: title: ours "Ours", theirs "Theirs"' in shown
    merged = projectfile.load(repo / "talks.yaml")
    [change] = json.loads(diff.as_json(diff.changes(small_project, merged)))[-1:]
    assert (change["kind"], change["id"], change["field"]) == ("conflict", "release", "title")


def test_git_setup_from_a_subfolder_and_in_a_linked_worktree(repo, tmp_path):
    (repo / "projects").mkdir()
    assert main(["git-setup", str(repo / "projects")]) == 0
    assert not (repo / "projects" / ".gitattributes").exists()  # the top folder's
    assert (repo / ".gitattributes").read_text().count("merge=demarche") == 1
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    assert main(["git-setup", str(linked)]) == 0
    assert "merge=demarche" in (linked / ".gitattributes").read_text()
    assert main(["git-setup", str(tmp_path / "nowhere")]) == 2


def test_files_that_are_not_projects_merge_line_by_line(tmp_path):
    base, ours, theirs = (tmp_path / n for n in ("base.yaml", "ours.yaml", "theirs.yaml"))
    base.write_text("a: 1\nb: 2\nc: 3\n")
    ours.write_text("a: 10\nb: 2\nc: 3\n")
    theirs.write_text("a: 1\nb: 2\nc: 30\n")
    assert main(["merge", str(base), str(ours), str(theirs)]) == 0
    assert ours.read_text() == "a: 10\nb: 2\nc: 30\n"


def test_git_ignores_the_backups_a_save_keeps(repo, small_project):
    exclude = repo / ".git" / "info" / "exclude"
    assert exclude.read_text().count("*.yaml.bak") == 1  # set up twice, written once
    projectfile.save(small_project, repo / "talks.yaml")  # a second save keeps a .bak
    assert (repo / "talks.yaml.bak").exists()
    assert "talks.yaml.bak" not in git(repo, "status", "--porcelain").stdout
    assert "git" in git(repo, "check-ignore", "-v", "talks.yaml.bak").stdout


@pytest.fixture
def bare(tmp_path) -> Path:
    repo = tmp_path / "bare-repo"
    repo.mkdir()
    git(repo, "init", "-q")
    return repo


def test_git_setup_never_writes_outside_the_repository(bare, tmp_path, capsys):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("mine\n")
    (bare / ".gitattributes").symlink_to(outside)
    assert main(["git-setup", str(bare)]) == 3
    assert "outside the repository" in capsys.readouterr().err
    assert outside.read_text() == "mine\n"


def test_git_setup_with_a_folder_or_latin_1_attributes(bare, capsys):
    (bare / ".gitattributes").mkdir()
    assert main(["git-setup", str(bare)]) == 3
    assert "not a regular file" in capsys.readouterr().err
    (bare / ".gitattributes").rmdir()
    (bare / ".gitattributes").write_bytes(b"# caf\xe9\n*.txt text")
    assert main(["git-setup", str(bare)]) == 0
    assert (bare / ".gitattributes").read_bytes() == (
        b"# caf\xe9\n*.txt text\n*.yaml merge=demarche diff=demarche\n"
    )


def test_the_line_diff_of_files_that_are_not_projects_escapes_control_characters(tmp_path, capsys):
    old, new = tmp_path / "a.yaml", tmp_path / "b.yaml"
    old.write_text("name: plain\n")
    new.write_text("name: \x1b[2J\x1b]0;pwned\x07\n")
    git_args = ["x.yaml", str(old), "0" * 40, "100644", str(new), "0" * 40, "100644"]
    assert main(["diff", *git_args]) == 0  # as git calls the diff driver
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b[2J" in out


def test_git_setup_keeps_the_line_ends_of_a_cr_lf_attributes_file(bare):
    # Saved on Windows (or checked out with autocrlf): an LF line among CR LF ones
    # would show as a changed line ending in every diff of the file.
    (bare / ".gitattributes").write_bytes(b"*.txt text\r\n*.png binary")
    assert main(["git-setup", str(bare)]) == 0
    assert (bare / ".gitattributes").read_bytes() == (
        b"*.txt text\r\n*.png binary\r\n*.yaml merge=demarche diff=demarche\r\n"
    )
    assert main(["git-setup", str(bare)]) == 0  # found again, not added twice
    assert (bare / ".gitattributes").read_bytes().count(b"merge=demarche") == 1
