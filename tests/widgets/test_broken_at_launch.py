"""A broken file named at launch: the message says only what is true then (no project
was open, so none is "untouched"), and its long lines wrap instead of needing sideways
scrolling."""

from __future__ import annotations

from PySide6 import QtWidgets

from widgets import dialogs
from widgets.launch import open_paths


def shown_dialogs(monkeypatch, qtbot) -> list:
    shown = []

    def look(self):
        self.show()
        qtbot.waitExposed(self)
        shown.append(
            (
                self.findChild(QtWidgets.QLabel).text(),
                self.text.horizontalScrollBar().maximum(),
                self.text.toPlainText(),
            )
        )
        self.close()

    monkeypatch.setattr(dialogs.ErrorListDialog, "exec", look)
    return shown


def broken_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        'demarche: 1\ntitle: "A title left open\nactors:\n  - id: a\n'
        "    name: a name long enough to make the line of the problem wider than the dialog " * 3
    )
    return path


def test_a_broken_file_at_launch_says_no_project_was_kept(window, tmp_path, monkeypatch, qtbot):
    shown = shown_dialogs(monkeypatch, qtbot)
    path = broken_file(tmp_path)
    open_paths(window, [str(path)])
    ((intro, _, text),) = shown
    assert f"{path}:" in text
    assert "broken.yaml" in intro and "not opened" in intro
    assert "untouched" not in intro and "already open" not in intro


def test_the_problems_wrap_instead_of_scrolling_sideways(window, tmp_path, monkeypatch, qtbot):
    shown = shown_dialogs(monkeypatch, qtbot)
    long_line = f"{tmp_path}/broken.yaml:5:1: " + "a problem said at length, " * 20
    dialog = dialogs.ErrorListDialog("Cannot open project", "intro", [long_line], window)
    dialog.exec()
    ((_, sideways, _),) = shown
    assert sideways == 0


def test_a_broken_file_names_the_project_that_stays_open(
    window, saved, tmp_path, monkeypatch, qtbot
):
    window.open_path(str(saved))
    shown = shown_dialogs(monkeypatch, qtbot)
    window.open_path(str(broken_file(tmp_path)))
    ((intro, _, _),) = shown
    assert saved.name in intro and "untouched" in intro
