"""Python's cyclic collector run from a timer on the GUI thread (pyqtgraph's), except while
records are built or a frame drawn (app/records/collector.py): run where it happened to be
set off, it destroyed Qt objects inside a Qt call holding a lock they needed (a deadlock,
seen once in the test suite) or on a worker thread; run during an import on a worker
thread, its full passes froze the window."""

from __future__ import annotations

from pyqtgraph.util.garbage_collector import GarbageCollector

from app.records import collector


class TimedCollector(GarbageCollector):
    def check(self) -> None:
        if not collector.paused():
            super().check()
