"""What the picture export dialogs share (File ▸ Export… for the chart, and the Compared
panel's Export… for a comparison): a preview painted on a thread, a newer one stopping the
one still painted, and Save: a file named, then written on a thread behind a progress
dialog with Cancel (widgets/progressrun.py), which leaves the old file as it was.

A dialog says which formats it writes (`FORMATS`, offered in its `format` list), what to
paint and write, each as work for a thread made from a snapshot of its choices
(`preview_work`, `export_work`: ExportError for a choice that cannot be painted), which file
to offer (`suggested_path`) and what to keep once exported (`remember`)."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from app.exporters.options import ExportError
from widgets.background import Task, wait_until
from widgets.progressrun import ProgressRun


class PreviewedExport(QtWidgets.QDialog):
    FORMATS: dict[str, str] = {}  # a format's name in the `format` list: its file suffix

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.title_ = title
        self.preview = Preview()
        self.preview.setMinimumSize(520, 300)
        self.preview.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.problem = QtWidgets.QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.timer = QtCore.QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(self.update_preview)
        self.preview.grown.connect(self.timer.start)  # painted again, sharper (no lambda: it
        # would hold the dialog, which must go once closed)
        self.previewing: ProgressRun | None = None  # the preview being painted
        self.exporting: ProgressRun | None = None
        self.preview_stopped = False  # by an export, which the dialog outlived

    def arrange(self, form: QtWidgets.QLayout) -> None:
        """The choices on the left; the preview, what is wrong and Save on the right."""
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Save
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        right = QtWidgets.QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.problem)
        right.addWidget(buttons)
        row = QtWidgets.QHBoxLayout(self)
        row.addLayout(form)
        row.addLayout(right, 1)

    # ------------------------------------------------------------ what a dialog says

    def format_name(self) -> str:
        return self.format.currentText()

    def suffix(self) -> str:
        return self.FORMATS[self.format_name()]

    def _named_format(self, path: str) -> str:
        """The suffix the file is written with: one the person typed of a format offered
        chooses that format (`talks.svg` with PNG chosen wrote `talks.svg.png`)."""
        typed = os.path.splitext(path)[1].lower()
        for name, suffix in self.FORMATS.items():
            if suffix == typed:
                self.format.setCurrentText(name)
                return suffix
        return self.suffix()

    def preview_work(self, size: QtCore.QSize) -> Callable[[Task], QtGui.QImage]:
        raise NotImplementedError

    def export_work(self, path: str) -> Callable[[Task], None]:
        raise NotImplementedError

    def suggested_path(self) -> str:
        raise NotImplementedError

    def remember(self) -> None:
        """What was typed, offered again next time."""

    # ------------------------------------------------------------ the runs

    def update_preview(self) -> None:
        """The preview painted again on a thread; a preview still being painted stops, and
        so does one asked for (the dialog's first was painted twice, once by its timer)."""
        self.timer.stop()
        try:
            work = self.preview_work(self.preview.room())
        except ExportError as exc:
            self.problem.setText(f"⚠ {exc}")
            return
        self.problem.clear()
        if self.previewing is not None:
            self.previewing.cancel()
        if self.preview.pixmap().isNull():  # the first: a big project's takes seconds
            self.preview.setText("Painting the preview…")

        def done(image: QtGui.QImage) -> None:
            if run is self.previewing:  # the latest asked for: an earlier one stays unseen
                self.previewing = None
                self.preview.setPixmap(QtGui.QPixmap.fromImage(image))

        def failed(exc: BaseException) -> None:
            if run is self.previewing:
                self.previewing = None
                self.problem.setText(f"⚠ {exc}")
                if self.preview.pixmap().isNull():
                    self.preview.clear()

        run = self.previewing = ProgressRun(self, "", "", work, done, failed, dialog=False)

    def done(self, result: int) -> None:
        if self.previewing is not None:  # closed: no use painting on
            self.previewing.cancel()
        super().done(result)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Until the preview and the export have answered, and no preview is still to be
        painted (for scripts and tests)."""
        return wait_until(
            lambda: (
                not self.timer.isActive()
                and not any(r.running for r in (self.previewing, self.exporting) if r)
            ),
            timeout_ms,
        )

    def save(self) -> None:
        suffix = self.suffix()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.title_, self.suggested_path(), f"{self.format_name()} (*{suffix})"
        )
        if not path:
            return
        if not path.lower().endswith(self._named_format(path)):
            path += suffix
        try:
            work = self.export_work(path)
        except ExportError as exc:
            self.not_exported(path, exc)
            return
        if self.previewing is not None:  # the dialog closes once exported: it would only slow it
            self.previewing.cancel()
            self.previewing, self.preview_stopped = None, True
        self.exporting = ProgressRun(
            self,
            self.title_,
            f"Exporting {os.path.basename(path)}…",
            work,
            lambda _: self.exported(path),
            lambda exc: self.not_exported(path, exc),
            self.cancelled,
        )

    def exported(self, path: str) -> None:
        self.exporting = None
        window = self.parentWidget()
        if isinstance(window, QtWidgets.QMainWindow):  # the dialog closes: say where it went
            window.statusBar().showMessage(f"Exported {self.format_name()} to {path}", 10_000)
        self.remember()
        self.accept()

    def not_exported(self, path: str, exc: BaseException) -> None:
        self.exporting = None
        self.preview_again()
        if not isinstance(exc, (ExportError, OSError)):
            raise exc  # a defect, not a reason to give: the usual error report
        QtWidgets.QMessageBox.critical(
            self,
            "Not exported",
            f"Could not export {path}:\n\n{getattr(exc, 'strerror', None) or exc}",
        )

    def preview_again(self) -> None:
        """The dialog stays open: its preview, had the export stopped it."""
        if self.preview_stopped:
            self.preview_stopped = False
            self.update_preview()

    def cancelled(self) -> None:
        self.exporting = None
        self.preview_again()
        self.problem.setText("Export cancelled: nothing was written.")


class Preview(QtWidgets.QLabel):
    """The picture whole, scaled to the frame as it is when drawn. A QLabel shows its
    pixmap at the size it was painted for, centred: the first preview was painted for
    640 x 480 (the label's size before the dialog was laid out) and cut on both sides in
    a frame 520 px wide, and so was any preview after the dialog was made narrower."""

    grown = QtCore.Signal()  # more room than the picture has pixels: worth painting again

    def room(self) -> QtCore.QSize:
        """The picture's size to paint, in device pixels (sharp on a high-DPI screen)."""
        return self.contentsRect().size() * self.devicePixelRatioF()

    def sizeHint(self) -> QtCore.QSize:
        return self.minimumSize()  # not the picture's: the dialog keeps its size

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.minimumSize()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        pixmap = self.pixmap()
        if pixmap.isNull():
            super().paintEvent(event)  # the text, "Painting the preview…"
            return
        p = QtGui.QPainter(self)
        self.drawFrame(p)
        frame = self.contentsRect()
        target = QtCore.QRect(QtCore.QPoint(0, 0), pixmap.size().scaled(frame.size(), KEEP))
        target.moveCenter(frame.center())
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
        p.drawPixmap(target, pixmap)
        p.end()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        pixmap, room = self.pixmap(), self.room()
        if not pixmap.isNull() and pixmap.size().scaled(room, KEEP).width() > pixmap.width() * 1.1:
            self.grown.emit()


KEEP = QtCore.Qt.AspectRatioMode.KeepAspectRatio


def fitted(image: QtGui.QImage, size: QtCore.QSize) -> QtGui.QImage:
    """A picture scaled to the preview, whole."""
    return image.scaled(
        size,
        QtCore.Qt.AspectRatioMode.KeepAspectRatio,
        QtCore.Qt.TransformationMode.SmoothTransformation,
    )
