"""Many rectangles or pixmap copies drawn in one QPainter call, straight from numpy arrays.

QPainter's array overloads take a pointer to contiguous Qt structs. QRectF is four doubles
and QPainter.PixmapFragment ten, so a C-contiguous float64 array has their layout and can be
handed over as it is: no Python object per primitive, which used to cost most of a frame.
"""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6 import QtCore, QtGui


def _columns(n: int, *columns) -> np.ndarray:
    out = np.empty((n, len(columns)), dtype=np.float64)
    for i, c in enumerate(columns):
        out[:, i] = c
    return out


def draw_rects(p: QtGui.QPainter, x, y, w, h) -> None:
    """Rectangles (x, y, width, height), each argument an array or a scalar, with the
    painter's current pen and brush."""
    n = int(np.broadcast(x, y, w, h).size)
    if n == 0:
        return
    rects = _columns(n, x, y, w, h)
    p.drawRects(shiboken6.wrapInstance(rects.ctypes.data, QtCore.QRectF), n)


def draw_pixmap_centred(p: QtGui.QPainter, pixmap: QtGui.QPixmap, cx, cy) -> None:
    """Copies of `pixmap` centred on each (cx, cy), at its logical size."""
    n = int(np.broadcast(cx, cy).size)
    if n == 0:
        return
    ratio = pixmap.devicePixelRatio()
    fragments = _columns(
        n,
        cx,
        cy,
        0.0,  # source left
        0.0,  # source top
        pixmap.width(),  # source size, in the pixmap's own pixels
        pixmap.height(),
        1.0 / ratio,  # scale to logical pixels
        1.0 / ratio,
        0.0,  # rotation
        1.0,  # opacity
    )
    p.drawPixmapFragments(
        shiboken6.wrapInstance(fragments.ctypes.data, QtGui.QPainter.PixmapFragment), n, pixmap
    )


def draw_lines(p: QtGui.QPainter, x1, y1, x2, y2) -> None:
    """Lines from (x1, y1) to (x2, y2), each argument an array or a scalar, with the
    painter's current pen."""
    n = int(np.broadcast(x1, y1, x2, y2).size)
    if n == 0:
        return
    lines = _columns(n, x1, y1, x2, y2)
    p.drawLines(shiboken6.wrapInstance(lines.ctypes.data, QtCore.QLineF), n)
