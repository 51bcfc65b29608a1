"""The file named in Export's Save: a suffix of a format the dialog offers chooses that
format (a person typing `talks.svg` with PNG chosen got `talks.svg.png`, a PNG); any other
name gets the chosen format's suffix."""

from __future__ import annotations

from PySide6 import QtWidgets

from widgets.exportdialog import ExportDialog


def saved_as(dialog, monkeypatch, path) -> None:
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    dialog.save()
    assert dialog.wait()


def test_the_suffix_typed_chooses_the_format(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    dialog = ExportDialog(window.doc, window.canvas, "light", window)
    assert dialog.wait() and dialog.format_name() == "PNG image"
    out = tmp_path / "out"
    out.mkdir()
    saved_as(dialog, monkeypatch, out / "talks.SVG")
    assert [p.name for p in out.iterdir()] == ["talks.SVG"]
    assert (out / "talks.SVG").read_text().startswith("<?xml")  # a drawing, as named
    assert window.statusBar().currentMessage() == f"Exported SVG drawing to {out}/talks.SVG"


def test_a_name_without_a_format_gets_the_chosen_ones(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    for typed, written in (("chart", "chart.png"), ("notes.txt", "notes.txt.png")):
        dialog = ExportDialog(window.doc, window.canvas, "light", window)
        assert dialog.wait()
        saved_as(dialog, monkeypatch, tmp_path / typed)
        assert (tmp_path / written).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert not (tmp_path / typed).exists()
