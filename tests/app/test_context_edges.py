"""Context data at its edges: the cache turned off, convert into a missing folder, a lane
named twice."""

from __future__ import annotations

from tests.app.test_context import PROJECT, write_csv


def test_with_the_cache_turned_off_a_project_still_reads_its_data(tmp_path, monkeypatch, capsys):
    """DEMARCHE_CACHE_DIR="" turns the cache off: the summary is computed, not kept."""
    from app.cli.main import main

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", "")
    write_csv(tmp_path / "acled.csv")
    project = tmp_path / "talks.yaml"
    project.write_text(PROJECT)
    assert main(["info", str(project)]) == 0
    assert "context:  ACLED (acled.csv): 5 rows" in capsys.readouterr().out
    assert not list(tmp_path.rglob("*.npz"))


def test_convert_into_a_missing_folder_says_so_without_a_traceback(tmp_path, capsys):
    from app.cli.main import main

    data = write_csv(tmp_path / "acled.csv")
    assert main(["context", "convert", str(data), "-o", str(tmp_path / "no" / "a.parquet")]) == 3
    err = capsys.readouterr().err
    assert "cannot write" in err and "a.parquet" in err


def test_two_match_entries_for_one_lane_both_count(tmp_path, monkeypatch, capsys):
    """A lane named twice under `match:` takes the names of both, not only the last."""
    from app.cli.main import main

    write_csv(tmp_path / "acled.csv")
    project = tmp_path / "talks.yaml"
    project.write_text(
        PROJECT.replace(
            '      - actor: israel\n        names: ["Military Forces of Israel"]',
            '      - actor: israel\n        names: ["Military Forces of Israel"]\n'
            '      - actor: israel\n        names: ["Protesters (Israel)"]',
        )
    )
    assert main(["info", str(project)]) == 0
    assert "per lane: hamas 2; israel 3; no lane 1" in capsys.readouterr().out
