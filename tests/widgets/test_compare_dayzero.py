"""Day 0 of a comparison typed in the real dialog, as a person types it: a date in any form
the date fields take, never replaced by an event whose date it begins."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from app.records.when import parse


def compared(window) -> list[QtWidgets.QDockWidget]:
    return [
        d
        for d in window.findChildren(QtWidgets.QDockWidget)
        if d.objectName().startswith("dock-compare")
    ]


def type_answers(qtbot, answers: list[str | None]) -> list[str]:
    """Answer each day-0 dialog as it opens: type the text over what it offers and click
    OK (None: Cancel). The labels of the dialogs answered are returned."""
    labels: list[str] = []
    todo = list(answers)
    seen: set[int] = set()
    ticks = [0]

    def answer() -> None:
        ticks[0] += 1
        shown = [
            w
            for w in QtWidgets.QApplication.topLevelWidgets()
            if isinstance(w, QtWidgets.QInputDialog) and w.isVisible()
        ]
        dialog = shown[0] if shown else None
        if dialog is not None and id(dialog) not in seen:
            seen.add(id(dialog))
            labels.append(dialog.labelText())
            typed = todo.pop(0)
            if typed is None:
                dialog.reject()
            else:
                line = dialog.findChild(QtWidgets.QComboBox).lineEdit()
                line.selectAll()
                QTest.keyClicks(line, typed)
                buttons = dialog.findChild(QtWidgets.QDialogButtonBox)
                buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).click()
        if todo and ticks[0] < 200:  # a dialog not asked for lets the test go on
            QtCore.QTimer.singleShot(20, answer)

    QtCore.QTimer.singleShot(20, answer)
    return labels


def test_a_typed_month_is_day_0_not_the_event_whose_date_it_begins(
    window, saved, monkeypatch, qtbot
):
    """The dialog completed '2023-11' as it was typed into the first event of November
    (Talks in Doha, 9 November), and Return aligned on that event, not on 1 November."""
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    type_answers(qtbot, ["release", "2023-11"])
    window.actions_["compare"].trigger()
    (dock,) = compared(window)
    assert dock.widget().offset == parse("2023-11").lo - parse("2023-10-20").lo


def test_day_0_may_be_typed_as_the_date_fields_take_dates(window, saved, monkeypatch, qtbot):
    """'1 Nov 2023' was refused ('is not a date'), though every date field takes it."""
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    type_answers(qtbot, ["20 Oct 2023", "1 Nov 2023"])
    window.actions_["compare"].trigger()
    assert not said
    (dock,) = compared(window)
    assert dock.widget().offset == parse("2023-11-01").lo - parse("2023-10-20").lo


def test_a_day_0_it_cannot_read_is_asked_again_not_the_whole_comparison(
    window, saved, monkeypatch, qtbot
):
    """A typing slip ended the comparison: the file and the first day 0 were to be chosen
    all over again."""
    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    said = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a: said.append(a[2]))
    labels = type_answers(qtbot, ["release", "1 Nvo 2023", "1 Nov 2023"])
    window.actions_["compare"].trigger()
    assert len(said) == 1 and "'1 Nvo 2023'" in said[0]
    assert labels[1] == labels[2]  # the same question again, for the compared project
    (dock,) = compared(window)
    assert dock.widget().offset == parse("2023-11-01").lo - parse("2023-10-20").lo


def test_asking_day_0_in_a_big_project_makes_no_record_of_its_events(
    window, tmp_path, monkeypatch, qtbot
):
    """The list of events to align on was made from a record of every event, sorted, and
    put in the dialog's box one item at a time: at 100,000 events the window froze for four
    seconds before the question, and once more for the compared project's."""
    from app.fileformat import projectfile
    from app.records.recordstore import RecordStore
    from tests.bench.generate import generate
    from widgets import comparedock

    path = tmp_path / "big.yaml"
    projectfile.save(generate(3_000, n_actors=5), path)
    window.open_path(str(path))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    made = []
    original = RecordStore.original
    asking = []

    def counted(self, row):
        if asking:
            made.append(row)
        return original(self, row)

    real_ask = comparedock.ask_day_zero

    def ask(window, project):
        asking.append(True)
        try:
            return real_ask(window, project)
        finally:
            asking.clear()

    first = window.doc.project.events[0].id

    def answer(*args, **kwargs):  # typed, at once: no frame drawn meanwhile is counted
        return first, True

    monkeypatch.setattr(RecordStore, "original", counted)
    monkeypatch.setattr(comparedock, "ask_day_zero", ask)
    monkeypatch.setattr(comparedock, "choose", answer, raising=False)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", answer)
    window.actions_["compare"].trigger()
    (dock,) = compared(window)
    assert dock.widget().offset == 0
    assert len(made) <= 4, f"{len(made)} records made to ask day 0"


def _compare_a_big_file_slowly(window, saved, monkeypatch, chosen: list) -> tuple:
    """Compare With on `saved` as if it were big, its reading held until the event given
    back is set (at most 5 s); the list given back gets "read" once it is read, `chosen`
    each day-0 question asked."""
    import threading

    from app.fileformat import projectfile
    from widgets import comparedock, filecommands

    window.open_path(str(saved))
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(saved), ""))
    monkeypatch.setattr(filecommands, "BIG_FILE_BYTES", 0)  # as if the file were big
    release, order = threading.Event(), []
    real_load = projectfile.load

    def slow_load(path, *args, **kwargs):
        release.wait(5)  # until the test lets it go
        order.append("read")
        return real_load(path, *args, **kwargs)

    monkeypatch.setattr(projectfile, "load", slow_load)
    monkeypatch.setattr(
        comparedock, "choose", lambda *a, **k: chosen.append(a) or ("release", True)
    )
    window.actions_["compare"].trigger()
    return release, order


def test_a_big_file_to_compare_is_read_while_the_window_answers(window, saved, monkeypatch, qtbot):
    """The compared project was read on the GUI thread, however big (1.2 s of frozen
    window for 100,000 events; Open reads such a file on a thread, with Cancel)."""
    release, order = _compare_a_big_file_slowly(window, saved, monkeypatch, [])
    order.append("answered")  # the action came back while the file was read
    release.set()
    qtbot.waitUntil(lambda: bool(compared(window)), timeout=10_000)
    assert order == ["answered", "read"]


def test_cancel_while_a_big_file_to_compare_is_read_compares_nothing(
    window, saved, monkeypatch, qtbot
):
    """Cancel in the reading's progress dialog drops the file read: no day 0 is asked,
    nothing is compared."""
    from widgets.progressrun import ProgressRun

    asked: list = []
    release, _ = _compare_a_big_file_slowly(window, saved, monkeypatch, asked)
    [run] = [r for r in window.findChildren(ProgressRun) if r.running]
    run.cancel()
    release.set()
    qtbot.waitUntil(lambda: not run.running, timeout=10_000)
    qtbot.wait(50)  # any answer queued meanwhile
    assert asked == [] and not compared(window)
