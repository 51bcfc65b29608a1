"""File ▸ Compare With…: another project under the open one, read-only, aligned on an event of
each, following the open chart's zoom and pan."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.fileformat import projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.widgets.test_canvas import double_click, drag


def pick(args, event_id: str) -> tuple[str, bool]:
    """Choose, in QInputDialog.getItem's list, the entry of `event_id`, as a person reading
    dates and titles would; the list must name no event by its id alone."""
    items = args[3]
    (entry,) = [i for i in items if i.endswith(f"[{event_id}]")]
    assert entry.startswith("20") and len(entry) > len(event_id) + 15  # a date and a title
    return entry, True


def test_the_compared_project_follows_the_open_chart_and_cannot_be_edited(
    window, saved, tmp_path, monkeypatch, qtbot
):
    other = Project(
        title="Grain deal",
        actors=[Actor(id="ru", name="Russia"), Actor(id="ua", name="Ukraine")],
        events=[Event(id="signed", actor="ru", title="Deal signed", when=parse("2022-07-22"))],
    )
    path = tmp_path / "grain.yaml"
    projectfile.save(other, path)
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter(["release", "signed"])  # picked from the lists, shown by date and title
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda *a, **k: pick(a, next(answers)))
    window.actions_["compare"].trigger()
    (dock,) = [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare")
    ]
    view = dock.widget()
    offset = parse("2022-07-22").lo - parse("2023-10-20").lo
    assert view.offset == offset
    window.canvas.set_time_range(parse("2023-10-10").lo, parse("2023-10-30").lo)
    qtbot.waitUntil(lambda: abs(view.canvas.view.t0 - (parse("2023-10-10").lo + offset)) < 3600)
    # The same seconds per pixel, so a day falls at one x in both, whatever their widths.
    main_spp, other_spp = window.canvas.view.seconds_per_pixel, view.canvas.view.seconds_per_pixel
    assert abs(other_spp - main_spp) < main_spp * 0.02
    # A drag or a double-click on the compared chart changes nothing of it.
    vp = view.canvas.plot.viewport()
    drag(view.canvas, QtCore.QPoint(300, 40), QtCore.QPoint(500, 40), widget=vp)
    double_click(vp, QtCore.QPoint(300, 40))
    assert view.canvas.doc.undo_stack.count() == 0
    assert view.canvas.doc.project.events == other.events


def test_an_unknown_event_to_align_on_is_said(window, saved, tmp_path, monkeypatch):
    path = tmp_path / "other.yaml"
    projectfile.save(Project(title="Other", actors=[Actor(id="a", name="A")]), path)
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter([("release", True), ("nothing-here", True)])  # typed, not picked
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda *a, **k: next(answers))
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    window.actions_["compare"].trigger()
    assert "'nothing-here' is neither an event of 'Other' nor a date" in said[0]
    assert not [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare")
    ]


def test_the_caption_shows_titles_as_written_not_as_markup(window, saved, tmp_path):
    from widgets.comparedock import show_comparison

    other = Project(
        title="Talks <i>in</i> Doha & Cairo",
        actors=[Actor(id="a", name="A")],
        events=[Event(id="e", actor="a", title="<b>Deal</b>", when=parse("2022-07-22"))],
    )
    window.open_path(str(saved))
    view = show_comparison(window, other, str(tmp_path / "o.yaml"), "release", "e")
    label = view.findChild(QtWidgets.QLabel)
    doc = QtGui.QTextDocument()
    doc.setHtml(label.text())
    shown = doc.toPlainText()
    assert "Talks <i>in</i> Doha & Cairo (read-only)" in shown
    assert "<b>Deal</b> falls on" in shown
