"""Pixels of a QImage as numpy arrays, for tests that compare two pictures: a Python loop
over `QImage.pixel` took about a second a comparison of a canvas's picture."""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui


def pixels(image: QtGui.QImage) -> np.ndarray:
    """Red, green and blue of each pixel, rows first (height x width x 3), as int16 so
    that differences between two pictures may be negative."""
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return (
        raw[:, : image.width() * 4]
        .reshape(image.height(), image.width(), 4)[..., :3]
        .astype(np.int16)
    )


def changed(a: QtGui.QImage, b: QtGui.QImage) -> list[tuple[int, int]]:
    """The (x, y) of each pixel that differs between two pictures of one size."""
    ys, xs = np.nonzero((pixels(a) != pixels(b)).any(axis=2))
    return list(zip(xs.tolist(), ys.tolist(), strict=True))
