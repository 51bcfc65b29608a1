"""`demarche install-desktop`: the desktop entry and icon under $XDG_DATA_HOME. (The
installed program's own entry is checked in tests/test_install.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import desktop
from app.cli.main import main
from app.fileformat import resources

ROOT = Path(__file__).parents[2]
ICON = Path("icons/hicolor/scalable/apps/demarche.svg")


def exec_words(value: str) -> list[str]:
    """An Exec value split as the Desktop Entry Specification reads it: the string's own
    escapes first, then double-quoted arguments with \\ before " ` $ and \\, then %% as %."""
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t"}.get(m[1], m[1]), value)
    words = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', value)
    return [(re.sub(r"\\(.)", r"\1", q) if q else w).replace("%%", "%") for q, w in words]


def entry_keys(path: Path) -> dict[str, str]:
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


def test_writes_the_entry_and_icon_naming_this_program(data_home, tmp_path, monkeypatch, capsys):
    script = tmp_path / "my apps" / 'odd "$name`\\ 100%' / "demarche"
    monkeypatch.setattr(desktop, "program", lambda: script)
    assert main(["install-desktop"]) == 0
    keys = entry_keys(data_home / "applications" / "demarche.desktop")
    assert exec_words(keys["Exec"]) == [str(script), "%f"]
    assert keys["TryExec"].replace("\\\\", "\\") == str(script)  # a string, not arguments
    assert (keys["Name"], keys["Icon"], keys["Type"]) == ("Demarche", "demarche", "Application")
    assert (data_home / ICON).read_bytes() == (ROOT / "resources" / "demarche.svg").read_bytes()
    out = capsys.readouterr().out
    assert f"wrote {data_home / ICON}" in out


def test_a_plain_path_is_written_as_it_is(data_home, monkeypatch):
    monkeypatch.setattr(desktop, "program", lambda: Path("/opt/demarche/bin/demarche"))
    assert main(["install-desktop"]) == 0
    keys = entry_keys(data_home / "applications" / "demarche.desktop")
    assert keys["Exec"] == "/opt/demarche/bin/demarche %f"


def test_remove_takes_both_away_and_running_twice_is_the_same(data_home, monkeypatch):
    monkeypatch.setattr(desktop, "program", lambda: Path("/usr/bin/demarche"))
    assert main(["install-desktop"]) == 0
    first = (data_home / "applications" / "demarche.desktop").read_bytes()
    assert main(["install-desktop"]) == 0
    assert (data_home / "applications" / "demarche.desktop").read_bytes() == first
    assert main(["install-desktop", "--remove"]) == 0
    assert not (data_home / "applications" / "demarche.desktop").exists()
    assert not (data_home / ICON).exists()


def test_a_relative_xdg_data_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(desktop, "program", lambda: Path("/usr/bin/demarche"))
    assert main(["install-desktop"]) == 0
    assert (tmp_path / ".local" / "share" / ICON).is_file()


def test_without_an_installed_program_it_says_how_to_install(data_home, monkeypatch, capsys):
    monkeypatch.setattr(desktop, "program", lambda: None)
    assert main(["install-desktop"]) == 1
    assert "pipx install ." in capsys.readouterr().err
    assert not data_home.exists()


def test_the_resources_are_found_in_the_source_tree():
    assert resources.folder() == ROOT / "resources"
    assert resources.path("page/page.js").is_file()
