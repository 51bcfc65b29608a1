"""Filter changes at scale: the columns a filter reads, made once per project version, and
the mask each change computes from them.

python -m tests.bench.filters --events 100000 [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from app.records.filter import EventColumns, Filter, demand_mask, event_mask
from app.records.when import parse
from tests.bench.generate import generate

CHANGES = {
    "actors": Filter(actors=("actor-1", "actor-2", "actor-3")),
    "type_class": Filter(types=("material cooperation", "reject")),
    "tag": Filter(tags=("generated",)),
    "words": Filter(text="number 12 talks"),
    "dates": Filter(start=parse("2022-06-01").lo, end=parse("2022-09-01").lo),
    "credibility": Filter(min_credibility=2),
    "everything": Filter(
        actors=("actor-1",), types=("release",), text="talks", start=parse("2022-06-01").lo
    ),
}


def median_ms(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def run(n: int) -> dict:
    project = generate(n)
    columns_ms = median_ms(lambda: EventColumns(project), runs=3)
    columns = EventColumns(project)
    out = {"events": n, "columns_ms": columns_ms}
    for name, f in CHANGES.items():
        out[f"mask_{name}_ms"] = median_ms(
            lambda f=f: (event_mask(project, f, columns), demand_mask(project, f, columns))
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m tests.bench.filters")
    p.add_argument("--events", type=int, default=100_000)
    p.add_argument("--json", metavar="OUT")
    args = p.parse_args()
    text = json.dumps(run(args.events), indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
