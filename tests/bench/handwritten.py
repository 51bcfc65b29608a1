"""A project written by hand or by another tool, at scale: `demarche validate` of 200,000
events in a layout the canonical reader does not take (dates and words unquoted, lists
in block style), so the reader of any layout reads it.

    python -m tests.bench.handwritten --events 200000 [--runs 3] [--json OUT]

Each run is `demarche validate` in a fresh process; the figures are medians of wall time
and peak memory, with the machine's load."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from app.fileformat import canonical
from tests.bench.generate import generate
from tests.bench.report import report

# Canonical lines made to look hand-written: a quoted value that needs no quotes (a date,
# plain words) is left bare, and a flow list becomes a block list.
_QUOTED = re.compile(r'^( +[a-z_]+: )"([A-Za-z0-9][A-Za-z0-9 ./~?%-]*)"$', re.M)
_FLOW = re.compile(r"^( +)([a-z_]+): \[([^\]\n]*)\]$", re.M)


def hand_written(text: str) -> str:
    text = _QUOTED.sub(lambda m: m[1] + m[2], text)
    return _FLOW.sub(
        lambda m: f"{m[1]}{m[2]}:\n" + "".join(f"{m[1]}  - {x}\n" for x in m[3].split(", "))[:-1],
        text,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.handwritten")
    parser.add_argument("--events", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="demarche-bench-hand-")
    path = os.path.join(folder, "hand.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(hand_written(canonical.dumps(generate(args.events))))
    walls, peaks = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, path],
            env={**os.environ, "DEMARCHE_CACHE_DIR": ""},  # validate never reads it
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - start)
        if done.returncode != 0 or ": ok" not in done.stdout:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return 1
        peaks.append(int(done.stderr.split("peak_kb=")[-1]))
    out = {
        "events": args.events,
        "file_mb": round(os.path.getsize(path) / 2**20, 1),
        "validate_s": round(statistics.median(walls), 2),
        "peak_mb": round(statistics.median(peaks) / 1024),
        "load": round(os.getloadavg()[0], 2),
    }
    report(out, args.json)
    return 0


# `demarche validate FILE`, then the process's peak memory on stderr.
_CHILD = """
import sys
from app.cli.main import main
status = main(["validate", sys.argv[1]])
from tests.bench.peak import peak_mb
print("peak_kb=%d" % (1024 * peak_mb()), file=sys.stderr)
sys.exit(status)
"""

if __name__ == "__main__":
    sys.exit(main())
