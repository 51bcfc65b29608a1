"""The cyclic collector held off while records are built: by the timer that runs it in the
editor, and until the last of several pauses under way ends."""

from __future__ import annotations

import gc
import importlib

from app.records.collector import collection_paused
from widgets.collecting import TimedCollector


def test_a_pause_lasts_until_the_last_one_under_way_ends():
    was = gc.isenabled()
    gc.enable()
    try:
        first, second = collection_paused(), collection_paused()  # say, on two threads
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert not gc.isenabled()  # the second is still building records
        second.__exit__(None, None, None)
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


def test_the_editors_timed_collector_waits_while_records_are_built(qapp, monkeypatch):
    was = gc.isenabled()
    collected: list = []
    monkeypatch.setattr(gc, "collect", lambda *generation: collected.append(generation) or 0)
    monkeypatch.setattr(gc, "get_count", lambda: (10**6, 10**6, 10**6))  # all due
    timed = TimedCollector(interval=3600)  # its timer does not fire here: checked by hand
    try:
        with collection_paused():
            timed.check()
        assert collected == []
        timed.check()
        assert collected == [(0,), (1,), (2,)]
    finally:
        timed.timer.stop()
        (gc.enable if was else gc.disable)()


def test_every_data_export_is_written_with_the_collector_held(monkeypatch):
    """As the pictures are (app/exporters/images.py): a pass over a big project's records
    in the middle of a Markwhen export made it half as slow again, for no garbage."""
    from app import exporters
    from app.records.model import Project

    enabled_during: dict[str, bool] = {}
    for suffix, write in exporters.WRITERS.items():
        module = importlib.import_module(exporters.MODULES[suffix])
        real = module.dumps

        def dumps(project, *args, suffix=suffix, real=real, **options):
            enabled_during[suffix] = gc.isenabled()
            return real(project, *args, **options)

        monkeypatch.setattr(module, "dumps", dumps)
        was = gc.isenabled()
        gc.enable()
        try:
            write(Project())
            assert gc.isenabled()  # and given back after
        finally:
            (gc.enable if was else gc.disable)()
    assert enabled_during == dict.fromkeys(exporters.WRITERS, False)


def test_a_merge_and_a_diff_run_with_the_collector_held():
    """Each builds records of whole projects: in a process holding three of 10,000 events,
    the collector's full passes over every record fell in the middle of them."""
    from app.records import collector
    from app.records.model import Project
    from app.team import diff, merge

    held: list[bool] = []

    class Watched(Project):  # notes whether a pause is under way as its events are read
        def __getattribute__(self, name):
            if name == "events":
                held.append(collector.paused())
            return super().__getattribute__(name)

    merge.merge(Watched(), Watched(), Watched())
    diff.changes(Watched(), Watched())
    assert held and all(held)
    assert not collector.paused()
