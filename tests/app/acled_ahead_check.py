"""Run in a fresh process by tests/app/test_acled_ahead.py: a helper process is forked
only from a process of one thread, which pytest's may not be (a window's tests leave
Qt's threads). Imports each file given with a helper (app/importers/acledrows.py) and
without, in chunks of a few rows, and prints one JSON line a file: both results (the
project file and the report, or the error), and how many chunks the helper gave.

    python -m tests.app.acled_ahead_check [--fail-after K] [--thread] FILE..."""

from __future__ import annotations

import argparse
import json
import threading

from app.importers import ImportFailed, acled, acledrows, ahead, import_files, write_canonical

GIVEN = [0]  # the chunks the helpers gave
AGAIN = [0]  # the chunks of the helper's read again here (an id written quoted in them)


def _counted(next_step):
    def counting(self):
        step = next_step(self)
        GIVEN[0] += step is not None
        return step

    return counting


def _failing_after(k: int, messages):
    """The helper's `_messages`, failing after its k-th (in the helper's process)."""

    def failing(*args):
        for done, message in enumerate(messages(*args)):
            if done == k:
                raise RuntimeError("the helper fails here")
            yield message

    return failing


def _import(path: str, with_helper: bool) -> dict:
    try:
        project, reports = import_files([path], ahead=with_helper)
    except ImportFailed as exc:
        return {"error": str(exc)}
    out = bytearray()
    write_canonical(project, out.extend)
    return {"file": out.decode("utf-8"), "report": reports[0][2].lines(reports[0][1])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--chunk", type=int, default=7)
    parser.add_argument("--fail-after", type=int, default=None)
    parser.add_argument("--thread", action="store_true", help="another thread runs meanwhile")
    parser.add_argument("--small", action="store_true", help="AHEAD_BYTES as it is")
    args = parser.parse_args()
    acled.CHUNK = args.chunk
    if not args.small:
        acled.AHEAD_BYTES = 0
    ahead.free_core = lambda: True  # (a test runs on a busy machine)
    # Both kinds of chunks, whatever the speeds: two in three with their texts written.
    acledrows.writes_texts = lambda waited, given: given % 3 != 0
    acledrows.Helper.next = _counted(acledrows.Helper.next)
    again = acledrows.OwnRows.again
    acledrows.OwnRows.again = lambda own: AGAIN.__setitem__(0, AGAIN[0] + 1) or again(own)
    if args.fail_after is not None:
        acledrows._messages = _failing_after(args.fail_after, acledrows._messages)
    stop = threading.Event()
    if args.thread:
        threading.Thread(target=stop.wait, daemon=True).start()
    for path in args.files:
        GIVEN[0] = AGAIN[0] = 0
        alone = _import(path, False)
        given_alone, GIVEN[0] = GIVEN[0], 0
        helped = _import(path, True)
        line = {"path": path, "same": helped == alone, "given": GIVEN[0], "again": AGAIN[0]}
        line.update(given_alone=given_alone, alone=alone, single=ahead.single_threaded())
        print(json.dumps(line), flush=True)
    stop.set()


if __name__ == "__main__":
    main()
