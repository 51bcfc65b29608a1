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


# Shapes a call draws at most: a call holds the GIL until it returns, and 20,000 demand
# lines drawn in one by an export on its thread held the window for 0.4 s (2.8 s for as
# many lines 2,000 px long). Between calls the window's thread takes its turn.
PART = 256


def _in_parts(draw, a: np.ndarray, kind, *more) -> None:
    """`draw(pointer to n Qt structs, n, *more)` over `a`'s rows, PART at a time."""
    for start in range(0, len(a), PART):
        part = a[start : start + PART]
        draw(shiboken6.wrapInstance(_address(part), kind), len(part), *more)


def _address(a: np.ndarray) -> int:
    """Where the array's data starts: read from its array interface, where `a.ctypes`
    imports ctypes through PySide's import hook at every call (3.2 µs against 1.3 µs here)."""
    return a.__array_interface__["data"][0]


def draw_rects(p: QtGui.QPainter, x, y, w, h) -> None:
    """Rectangles (x, y, width, height), each argument an array or a scalar, with the
    painter's current pen and brush."""
    n = int(np.broadcast(x, y, w, h).size)
    if n == 0:
        return
    _in_parts(p.drawRects, _columns(n, x, y, w, h), QtCore.QRectF)


def draw_fragments(
    p: QtGui.QPainter, pixmap: QtGui.QPixmap, cx, cy, left, top, width, height
) -> None:
    """Pieces of `pixmap` (left, top, width, height, in the pixmap's own pixels) centred on
    each (cx, cy), at their logical size: one call for many pictures kept in one atlas."""
    n = int(np.broadcast(cx, cy, left, top, width, height).size)
    if n == 0:
        return
    scale = 1.0 / pixmap.devicePixelRatio()  # to logical pixels
    fragments = _columns(n, cx, cy, left, top, width, height, scale, scale, 0.0, 1.0)
    _in_parts(p.drawPixmapFragments, fragments, QtGui.QPainter.PixmapFragment, pixmap)


def draw_lines(p: QtGui.QPainter, x1, y1, x2, y2) -> None:
    """Lines from (x1, y1) to (x2, y2), each argument an array or a scalar, with the
    painter's current pen."""
    n = int(np.broadcast(x1, y1, x2, y2).size)
    if n == 0:
        return
    _in_parts(p.drawLines, _columns(n, x1, y1, x2, y2), QtCore.QLineF)


def distinct_places(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct rows of columns of px (x, y, ...), rounded to whole pixels, in no
    particular order: where thousands of opaque shapes of one colour pile up on a few
    columns of pixels, each place is drawn once. At most three columns (in an int64)."""
    assert 1 <= len(columns) <= 3
    bits, half = 21, 1 << 20  # px within a million either way
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for c in columns:
        c = np.clip(np.rint(c), -half, half - 1).astype(np.int64)
        key = (key << bits) + (c + half)
    key = np.sort(key)
    if len(key) > 1:
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    last = len(columns) - 1
    return tuple(
        ((key >> (bits * (last - j))) & ((1 << bits) - 1)) - half for j in range(len(columns))
    )
