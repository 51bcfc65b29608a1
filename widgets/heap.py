"""The cyclic collector and big projects: what a big project's canvas holds is kept out of
the collector's passes while it is shown, and handed back to it when the canvas goes."""

from __future__ import annotations

import gc
from functools import partial

from PySide6 import QtCore

from app.records import collector

SETTLE_FROM = 5000  # events and demands
RETRY_MS = 200  # a release put off while records are built or a frame drawn

_settled: set[int] = set()  # the canvases showing a big project, by id (not held)


def settle(owner: QtCore.QObject, project) -> None:
    """After a big project is loaded, move what exists to the collector's permanent
    generation: the records live as long as the document, and rescanning them on every
    collection made frames at 10,000 events a third slower. Freed records still go by
    reference counting. Not for small projects (every new window has one): they gain
    nothing measurable, and a full collection cost 56 ms in a fresh editor here, while
    freezing keeps whatever cyclic garbage exists at that moment for good. Only the young
    generations are collected first: a full collection looked at every record and took
    0.12-0.24 s of the first frame at 1,000,000 events and 200,000 demands, for no
    garbage found; cyclic garbage already in the oldest generation is kept, until
    `release`: once `owner` (the canvas showing it) is deleted, or shows a small one."""
    key = id(owner)
    if project.size() < SETTLE_FROM:
        if key in _settled:  # it showed a big project: that one may be let go now
            _settled.discard(key)
            _release_soon()
        return
    if key not in _settled:
        _settled.add(key)
        # The slot keeps the owner's id, not the owner: a reference to it would keep it.
        owner.destroyed.connect(partial(_gone, key))
    gc.collect(1)
    gc.freeze()


def _gone(key: int, *_) -> None:
    _settled.discard(key)
    _release_soon()


def _release_soon(ms: int = 0) -> None:
    # Not while Qt is deleting the window: the collector once deadlocked inside a Qt call.
    QtCore.QTimer.singleShot(ms, release)


def release() -> None:
    """A big project's canvas is gone: everything frozen goes back to the collector, whose
    full pass frees that canvas's window, document and records (they hold one another, so
    only the collector can); what is left is frozen again while a big project is shown.
    Without this, each closed window of a 10,000-event project kept about 20 MB for good.
    Put off while a pause is under way (a file read on a worker: app/records/collector.py),
    whose records a full pass would walk with the window waiting."""
    if collector.paused():
        _release_soon(RETRY_MS)
        return
    gc.unfreeze()
    gc.collect()
    if _settled:
        gc.freeze()
