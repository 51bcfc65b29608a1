"""A comparison exported from the editor (the Compared panel's Export…, or File ▸ Export…'s
"Export the Comparison Instead…") is the picture `demarche compare` writes for the same files
and day 0, in each format; it is written on a thread, behind a progress dialog whose Cancel
leaves the old file as it was."""

from __future__ import annotations

import threading

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from app.cli.main import main
from app.exporters.images import ChartExporter
from app.fileformat import projectfile
from app.records.model import Actor, Event, Project
from app.records.when import parse
from tests.widgets.test_comparedock import pick
from widgets import comparedock
from widgets.compareexport import FORMATS, CompareExportDialog


@pytest.fixture
def compared(window, saved, tmp_path, monkeypatch):
    """The window with `saved` open and a grain deal compared, aligned on the release of
    two women and the deal signed (picked from the lists, as a person does)."""
    other = Project(
        title="Grain deal",
        actors=[Actor(id="ru", name="Russia"), Actor(id="ua", name="Ukraine")],
        events=[
            Event(id="signed", actor="ru", title="Deal signed", when=parse("2022-07-22")),
            Event(id="quit", actor="ru", title="Russia quits", when=parse("2023-07-17")),
        ],
    )
    path = tmp_path / "grain.yaml"
    projectfile.save(other, path)
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    answers = iter(["release", "signed"])
    monkeypatch.setattr(comparedock, "choose", lambda *a, **k: pick(a, next(answers)))
    window.actions_["compare"].trigger()
    (dock,) = window.findChildren(comparedock.ComparedDock)
    return window, dock.widget(), path


def when_shown(act) -> None:
    """`act(dialog)` on the comparison's export dialog once it is shown (it is modal)."""

    def look() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, CompareExportDialog):
            act(dialog)
        else:
            QtCore.QTimer.singleShot(10, look)

    QtCore.QTimer.singleShot(10, look)


def export_from_panel(view, out, monkeypatch, choose=lambda dialog: None) -> None:
    """Export… clicked in the Compared panel, then Save: returns once the dialog closed."""
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def save(dialog: CompareExportDialog) -> None:
        dialog.format.setCurrentText(next(k for k, v in FORMATS.items() if v == out.suffix))
        choose(dialog)
        dialog.save()

    when_shown(save)
    view.export_button.click()


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".html"])
def test_the_panels_export_is_what_compare_writes(compared, saved, tmp_path, monkeypatch, suffix):
    window, view, other = compared
    ours, theirs = tmp_path / f"editor{suffix}", tmp_path / f"cli{suffix}"
    export_from_panel(view, ours, monkeypatch)
    assert (
        main(
            ["compare", str(saved), str(other), "--align", "release", "signed"]
            + [
                "-o",
                str(theirs),
            ]
        )
        == 0
    )
    if suffix == ".png":  # the same pixels (the encoder's bytes may differ)
        a, b = QtGui.QImage(str(ours)), QtGui.QImage(str(theirs))
        assert not a.isNull() and a == b
    elif suffix == ".pdf":  # the same drawing; the file's date and id differ
        assert ours.read_bytes()[:5] == b"%PDF-"
        assert _pdf_drawing(ours) == _pdf_drawing(theirs)
    else:  # the same text, titles and days included
        text = ours.read_text()
        assert text == theirs.read_text()
        assert "<title>Talks and Grain deal</title>" in text and "day 0: Deal signed" in text
    assert window.statusBar().currentMessage().endswith(str(ours))


def _pdf_drawing(path) -> bytes:
    """A PDF's bytes without the lines that say when it was made and which file it is
    (its dates and ids, also in its XMP metadata)."""
    return b"\n".join(
        line
        for line in path.read_bytes().split(b"\n")
        if not any(said in line for said in (b"Date", b"/ID", b"uuid:"))
    )


def test_the_choices_are_the_command_lines(compared, saved, tmp_path, monkeypatch):
    """Width, theme and legend, as --width, --theme and --no-legend draw them; and the open
    project as edited in the editor, not as it was saved."""
    window, view, other = compared
    ours, theirs = tmp_path / "editor.svg", tmp_path / "cli.svg"

    monkeypatch.setattr(window, "theme_name", "dark")  # the window's theme

    def choose(dialog: CompareExportDialog) -> None:
        dialog.width_px.setValue(1200)
        dialog.theme.setCurrentText("Current")
        dialog.legend.setChecked(False)

    export_from_panel(view, ours, monkeypatch, choose)
    args = ["--width", "1200", "--theme", "dark", "--no-legend", "-o", str(theirs)]
    assert main(["compare", str(saved), str(other), "--align", "release", "signed", *args]) == 0
    assert ours.read_text() == theirs.read_text()


def test_an_edit_in_the_editor_is_in_the_export(compared, tmp_path, monkeypatch):
    from app.editing import edits

    window, view, _ = compared
    doc = window.doc
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "title", "Two women freed"))
    out = tmp_path / "edited.svg"
    export_from_panel(view, out, monkeypatch)
    assert "Two women freed" in out.read_text() and "Deal signed" in out.read_text()


def test_cancel_stops_the_export_on_its_thread_and_leaves_the_old_file(
    compared, tmp_path, monkeypatch, qtbot
):
    window, view, _ = compared
    out = tmp_path / "out.png"
    out.write_bytes(b"the old picture")
    threads, release = [], threading.Event()
    real = ChartExporter.paint_part

    def slow(self, p, page, part):  # the export's painting, held until Cancel is clicked
        threads.append(threading.current_thread())
        if part == "backdrop" and not release.is_set():
            release.wait(30)
        return real(self, p, page, part)

    dialogs = []

    def save(dialog: CompareExportDialog) -> None:
        assert dialog.wait()  # the first preview
        dialog.timer.stop()
        monkeypatch.setattr(ChartExporter, "paint_part", slow)
        dialog.save()
        dialogs.append(dialog)
        run = dialog.exporting
        qtbot.waitUntil(lambda: run.dialog is not None and run.dialog.isVisible(), timeout=10_000)
        cancel = run.dialog.findChild(QtWidgets.QPushButton)
        assert cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, QtCore.Qt.MouseButton.LeftButton)
        release.set()
        assert run.wait()
        assert "cancelled" in dialog.problem.text()
        assert dialog.wait()
        dialog.reject()

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    when_shown(save)
    view.export_button.click()
    assert dialogs and out.read_bytes() == b"the old picture"
    assert [p.name for p in out.parent.iterdir() if p.suffix == ".tmp"] == []
    assert threads and threading.main_thread() not in threads


def test_file_export_offers_the_comparison_while_one_is_shown(compared, tmp_path, monkeypatch):
    window, view, other = compared
    out = tmp_path / "both.svg"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    seen = []

    def instead() -> None:
        from widgets.exportdialog import ExportDialog

        dialog = QtWidgets.QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QtCore.QTimer.singleShot(10, instead)
            return
        (button,) = [
            b for b in dialog.findChildren(QtWidgets.QPushButton) if "Comparison" in b.text()
        ]
        seen.append(button.text())
        button.click()

    def save(dialog: CompareExportDialog) -> None:
        dialog.format.setCurrentText("SVG drawing")
        dialog.save()

    QtCore.QTimer.singleShot(10, instead)
    when_shown(save)
    window.actions_["export"].trigger()
    QtCore.QCoreApplication.processEvents()  # the comparison's dialog opens once File's closed
    assert seen == ["Export the Comparison Instead…"]
    assert "Grain deal" in out.read_text()


def test_file_export_offers_no_comparison_when_none_is_shown(window, saved):
    from widgets.exportdialog import ExportDialog

    window.open_path(str(saved))
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    assert dialog.wait()
    assert not [b for b in dialog.findChildren(QtWidgets.QPushButton) if "Comparison" in b.text()]
    dialog.reject()
