"""Two negotiations on one axis: `demarche compare A B --align A_REF B_REF -o OUT`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.chart.axis import day_label
from app.cli.main import main
from app.exporters.compare import Comparison, day_zero
from app.exporters.options import ExportError, ExportOptions
from app.fileformat import projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse

DAY = 86400.0


def talks(title: str, *events: tuple[str, str]) -> Project:
    return Project(
        title=title,
        actors=[Actor(id="a", name="Side A"), Actor(id="b", name="Side B")],
        events=[Event(id=i, actor="a", title=f"Event {i}", when=parse(w)) for i, w in events],
    )


def test_the_axis_counts_days_right_across_a_leap_day(qapp):
    leap = talks("Leap year", ("start", "2024-02-28"), ("after", "2024-03-01"))
    plain = talks("Plain year", ("start", "2023-02-28"), ("after", "2023-03-01"))
    c = Comparison([leap, plain], ["start", "start"], ExportOptions(width=1200))
    assert c.x_of(0, leap.events[0].when.lo) == pytest.approx(c.x_of(1, plain.events[0].when.lo))
    block = c.blocks[0]
    vp = block.exporter.viewport(block.page)
    ticks = dict((label, t) for t, label in block.exporter.ticks(vp.t0, vp.t1, vp.right - vp.left))
    # 29 February lies between: 1 March is day +2 in 2024 and day +1 in 2023.
    assert c.x_of(0, leap.events[1].when.lo) == pytest.approx(c.x_of(0, ticks["day +2"]))
    assert c.x_of(1, plain.events[1].when.lo) == pytest.approx(c.x_of(0, ticks["day +1"]))


def test_day_zero_is_the_day_as_written_whatever_the_zone():
    p = talks("Zones", ("late", "2023-11-22T01:00+02:00"), ("month", "2023-11~"))
    assert day_zero(p, "late")[0] == parse("2023-11-22").lo  # 23:00 UTC on the 21st
    assert day_zero(p, "month")[0] == parse("2023-11-01").lo
    assert day_zero(p, "2022-02-24") == (parse("2022-02-24").lo, "")
    with pytest.raises(ExportError, match="neither an event"):
        day_zero(p, "no-such-event")
    assert [day_label(d) for d in (-12, 0, 40)] == ["day \u221212", "day 0", "day +40"]


@pytest.fixture
def two_files(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    projectfile.save(talks("Grain deal 2022", ("signed", "2022-07-22"), ("quit", "2023-07-17")), a)
    projectfile.save(
        talks("Hostage talks 2023", ("attack", "2023-10-07"), ("pause", "2023-11-24")), b
    )
    return a, b


def test_compare_writes_each_format_with_both_titles(two_files, tmp_path, qapp):
    a, b = two_files
    for suffix in ("png", "svg", "pdf", "html"):
        out = tmp_path / f"cmp.{suffix}"
        assert main(["compare", str(a), str(b), "--align", "signed", "attack", "-o", str(out)]) == 0
        assert out.stat().st_size > 1000
    texts = [
        "".join(e.itertext())
        for e in ET.parse(tmp_path / "cmp.svg").iter("{http://www.w3.org/2000/svg}text")
    ]
    assert "Grain deal 2022" in texts and "Hostage talks 2023" in texts
    assert "day 0" in texts and any(t.startswith("day +") for t in texts)
    page = (tmp_path / "cmp.html").read_text()
    assert "<svg" in page and "default-src 'none'" in page and "<script" not in page


@pytest.mark.parametrize("transparent", [False, True])
def test_the_gap_between_blocks_is_the_backdrop_or_nothing(transparent, qapp):
    """Opaque: the page is the theme's background everywhere, as a single chart's is, and
    the PNG is written without an alpha channel; transparent: the gap is clear."""
    from PySide6 import QtGui

    from app.chart.theme import DARK
    from app.exporters.compare import GAP

    a = talks("Grain deal 2022", ("signed", "2022-07-22"), ("quit", "2023-07-17"))
    b = talks("Hostage talks 2023", ("attack", "2023-10-07"), ("pause", "2023-11-24"))
    options = ExportOptions(width=900, theme="dark", transparent=transparent)
    c = Comparison([a, b], ["signed", "attack"], options)
    image = QtGui.QImage.fromData(c.png_bytes())
    assert image.hasAlphaChannel() == transparent
    gap_y = int(c.blocks[1].top - GAP / 2)
    gap = {image.pixelColor(x, gap_y).name(QtGui.QColor.NameFormat.HexArgb) for x in range(900)}
    assert gap == ({"#00000000"} if transparent else {"#ff" + DARK.background.lstrip("#").lower()})


def test_the_charts_stand_one_under_the_other_and_their_lists_below_both(qapp):
    """The first chart's key, numbered lists and sources stood between the two charts,
    300 px apart: their days could not be compared by eye. Each project's lists come after
    both charts, under its title."""
    from PySide6 import QtGui

    from app.exporters.compare import GAP
    from app.exporters.images import lists_top

    a = talks("Grain deal 2022", *[(f"g{k}", f"2022-07-{10 + k:02d}") for k in range(12)])
    b = talks("Hostage talks 2023", ("attack", "2023-10-07"), ("pause", "2023-11-24"))
    c = Comparison([a, b], ["g0", "attack"], ExportOptions(width=700))
    first, second = c.blocks
    assert second.top == lists_top(first.page) + GAP  # chart under chart
    assert first.lists_at > second.top + lists_top(second.page)  # the lists after both
    assert second.lists_at > first.lists_at
    painted = []
    image = QtGui.QImage(int(c.width), int(c.height), QtGui.QImage.Format.Format_ARGB32)
    p = QtGui.QPainter(image)
    real = p.drawText
    p.drawText = lambda *a: painted.append(a[-1]) or real(*a)  # noqa: ARG005
    c.paint(p)
    p.end()
    assert {"Grain deal 2022", "Hostage talks 2023"} <= set(painted)  # whose lists


def test_compare_says_what_is_wrong(two_files, tmp_path, capsys, qapp):
    a, b = two_files
    out = str(tmp_path / "x.png")
    assert main(["compare", str(a), str(b), "--align", "signed", "nope", "-o", out]) == 2
    assert (
        "'nope' is neither an event of 'Hostage talks 2023' nor a date" in capsys.readouterr().err
    )
    assert (
        main(["compare", str(a), str(tmp_path / "missing.yaml"), "--align", "x", "y", "-o", out])
        == 1
    )
    assert (
        main(
            [
                "compare",
                str(a),
                str(b),
                "--align",
                "signed",
                "attack",
                "-o",
                str(tmp_path / "x.gif"),
            ]
        )
        == 2
    )


def test_each_block_draws_its_own_context_strips(two_files, tmp_path, monkeypatch, qapp):
    from tests.app.test_context import write_csv

    monkeypatch.setenv("DEMARCHE_CACHE_DIR", str(tmp_path / "cache"))
    a, b = two_files
    write_csv(
        tmp_path / "acled.csv",
        rows=[["1", "2022-07-22", "2022", "Side A", "", "", "", "X", "Battles", "3"]],
    )
    a.write_text(
        a.read_text()
        + 'context:\n  - id: acled\n    title: "ACLED"\n    path: "acled.csv"\n    kind: acled\n    match:\n      - actor: a\n        names: ["Side A"]\n'
    )
    out = tmp_path / "cmp.svg"
    assert main(["compare", str(a), str(b), "--align", "signed", "attack", "-o", str(out)]) == 0
    assert "Context:" in out.read_text()  # the legend explains the strips the first block has


def test_an_align_given_as_words_of_a_title_names_the_event_to_use(tmp_path, capsys):
    """A journalist types what they see, the title; the error says which id it is."""
    p = Project(
        title="Talks",
        actors=[Actor(id="a", name="Side A")],
        events=[
            Event(
                id="hamas-attack", actor="a", title="Hamas attacks Israel", when=parse("2023-10-07")
            ),
            Event(id="truce", actor="a", title="Truce begins", when=parse("2023-11-24")),
        ],
    )
    with pytest.raises(ExportError) as e:
        day_zero(p, "hamas attacks")
    assert "did you mean 'hamas-attack' (Hamas attacks Israel)?" in str(e.value)
    with pytest.raises(ExportError) as e:
        day_zero(p, "hamas-attak")  # a typo of its id
    assert "did you mean 'hamas-attack' (Hamas attacks Israel)?" in str(e.value)
    with pytest.raises(ExportError) as e:
        day_zero(p, "nothing like it")
    assert "did you mean" not in str(e.value)


def test_a_comparisons_progress_runs_once_and_a_cancel_at_the_last_look_writes_nothing(
    qapp, two_files, tmp_path
):
    """The editor's progress bar runs once over both blocks; a cancel seen at the last step,
    before the file is touched, leaves the old file."""
    projects = [projectfile.load(p) for p in two_files]
    steps = []
    options = ExportOptions(width=1200, progress=lambda done, total: steps.append(done / total))
    out = tmp_path / "both.png"
    Comparison(projects, ["signed", "attack"], options).write(str(out))
    assert steps == sorted(steps) and steps[-1] == 1.0 and 0.4 < steps[len(steps) // 2] < 0.6

    class Cancelled(Exception):
        pass

    def cancelled_at_the_end(done: int, total: int) -> None:
        if done == total:
            raise Cancelled

    out.write_bytes(b"old")
    with pytest.raises(Cancelled):
        Comparison(
            projects, ["signed", "attack"], ExportOptions(progress=cancelled_at_the_end)
        ).write(str(out))
    assert out.read_bytes() == b"old"
