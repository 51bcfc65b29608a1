"""`demarche export FILE -o OUT --view ID`: every format holds only what the view shows."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest

from app.cli.main import main
from app.fileformat import projectfile
from tests.app.test_views_links_context import GOOD

VIEWED = GOOD.replace(
    "views:\n",
    """views:
  - id: hamas-only
    title: "Hamas"
    actors: [hamas]
""",
)


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "talks.yaml"
    path.write_text(VIEWED.replace('path: "data/acled.parquet"', 'path: "acled.csv"'))
    return path


def test_every_format_holds_only_what_the_view_shows(project_file, tmp_path, qapp):
    outs = {s: tmp_path / f"out.{s}" for s in ("yaml", "json", "csv", "mw", "ics", "svg", "html")}
    for out in outs.values():
        assert main(["export", str(project_file), "-o", str(out), "--view", "hamas-only"]) == 0, out
    shown = projectfile.load(outs["yaml"])
    assert [a.id for a in shown.actors] == ["hamas"]
    assert [e.id for e in shown.events] == ["suspension"]
    assert shown.events[0].responds_to == ()  # its strike is not shown: no dangling link
    assert [e["unique_id"] for e in json.loads(outs["json"].read_text())["events"]] == [
        "suspension"
    ]
    assert [r["id"] for r in csv.DictReader(outs["csv"].open())] == ["suspension"]
    assert "Talks suspended" in outs["mw"].read_text() and "Strike" not in outs["mw"].read_text()
    assert (
        "UID:suspension" in outs["ics"].read_text() and "UID:strike" not in outs["ics"].read_text()
    )
    texts = [
        "".join(t.itertext())
        for t in ET.parse(outs["svg"]).iter("{http://www.w3.org/2000/svg}text")
    ]
    assert "Hamas" in texts and "Israel" not in texts
    page = outs["html"].read_text()
    assert "Talks suspended" in page and '"Strike"' not in page


def test_a_view_filters_by_type_and_opens_at_its_zoom(project_file, tmp_path, monkeypatch, qapp):
    text = project_file.read_text().replace("    min_credibility: 3\n", "")
    project_file.write_text(text)
    out = tmp_path / "violence.yaml"
    assert main(["export", str(project_file), "-o", str(out), "--view", "violence"]) == 0
    assert [e.id for e in projectfile.load(out).events] == ["strike"]  # Israel's, an assault
    from app.exporters.images import ChartExporter
    from app.records.when import parse

    spans = []
    monkeypatch.setattr(
        ChartExporter, "write", lambda self, path, **k: spans.append(self.time_range())
    )
    assert (
        main(["export", str(project_file), "-o", str(tmp_path / "v.png"), "--view", "violence"])
        == 0
    )
    assert spans == [(parse("2023-10-15").lo, parse("2023-11-05").hi)]
    assert (
        main(
            [
                "export",
                str(project_file),
                "-o",
                str(tmp_path / "v.png"),
                "--view",
                "violence",
                "--from",
                "2023-10-01",
            ]
        )
        == 0
    )
    assert spans[1][0] == parse("2023-10-01").lo  # a span given on the command line wins


def test_an_unknown_view_is_said_with_a_hint(project_file, tmp_path, capsys):
    assert (
        main(["export", str(project_file), "-o", str(tmp_path / "x.png"), "--view", "hamas-onl"])
        == 2
    )
    assert "--view: no view 'hamas-onl' (did you mean 'hamas-only'?)" in capsys.readouterr().err
