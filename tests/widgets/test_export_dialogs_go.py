"""Export dialogs opened from the window (File ▸ Export…, `exec`) go once closed, with
their runs: none stays alive beside the window, export after export.

PySide6's QDialog.exec() lets go of the parent's hold on the dialog (its glue snippet
"qdialog-exec-remove-parent-relation"), so the dialog is deleted when its last Python
reference goes: as `exec` returns, or, while a preview it cancelled is still being
painted, once that preview has answered. (Counted by `destroyed`, not by the window's
findChildren: converting a live dialog found there made the window hold it again, and it
stayed.)"""

from __future__ import annotations

import gc

from PySide6 import QtCore, QtWidgets

from widgets import exportdialog
from widgets.background import wait_all


def test_export_dialogs_do_not_stay_alive_export_after_export(window, saved, tmp_path, monkeypatch):
    window.open_path(str(saved))
    made, gone = [], []
    real = exportdialog.ExportDialog.__init__

    def counted(self, *args, **kwargs):
        real(self, *args, **kwargs)
        made.append(id(self))
        self.destroyed.connect(lambda *_: gone.append(1))

    monkeypatch.setattr(exportdialog.ExportDialog, "__init__", counted)
    outs = [tmp_path / f"chart{n}.png" for n in range(4)]
    monkeypatch.setattr(
        QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(outs[len(made) - 1]), "")
    )

    def save_when_shown():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, exportdialog.ExportDialog):
            dialog.save()  # as Save does, with the preview still being painted
        else:
            QtCore.QTimer.singleShot(10, save_when_shown)

    for _ in outs:
        QtCore.QTimer.singleShot(10, save_when_shown)
        window.actions_["export"].trigger()  # returns once exported and closed
    assert all(out.read_bytes().startswith(b"\x89PNG") for out in outs)
    assert wait_all()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    gc.collect()
    assert (len(made), len(gone)) == (4, 4)


def test_a_dialog_whose_cancelled_preview_answers_late_goes_then(
    window, saved, tmp_path, monkeypatch
):
    """Save stops the preview being painted; the dialog closes once exported, and goes
    once that preview has answered (its answers held the dialog until then)."""
    import sys
    import threading

    from app.exporters.images import ChartExporter

    window.open_path(str(saved))
    release, painted = threading.Event(), ChartExporter.image

    def preview_held(self, *args, **kwargs):  # the preview's picture, not the export's
        if sys._getframe(1).f_code.co_name == "work":
            release.wait(10)
        return painted(self, *args, **kwargs)

    monkeypatch.setattr(ChartExporter, "image", preview_held)
    out, gone = tmp_path / "chart.png", []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))

    def save_when_shown():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, exportdialog.ExportDialog):
            dialog.destroyed.connect(lambda *_: gone.append(1))
            dialog.save()
        else:
            QtCore.QTimer.singleShot(10, save_when_shown)

    QtCore.QTimer.singleShot(10, save_when_shown)
    window.actions_["export"].trigger()
    assert out.read_bytes().startswith(b"\x89PNG") and gone == []  # the preview still paints
    release.set()
    assert wait_all()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    gc.collect()
    assert gone == [1]
