"""ACLED import at scale, on rows shaped like real ones (Yemen): long notes that begin with
their date, many actors (about 2,000 names, associated actors listed with `;`), several
sources a row, every column of the export.

    python -m tests.bench.acled --rows 100000 [--runs 3] [--json OUT]

Each run is `demarche import` in a fresh process; the figures are the medians of wall
time, peak memory (the child's maximum resident set) and processor time, with the
machine's load when they were taken, and the processor time and peak memory of the
helper process an import forks where a core is free (app/importers/acledrows.py)."""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from tests.bench.report import report

# The tree whose `app` the child imports: this bench's own (a worktree's, not the one the
# venv was installed from), whatever folder the bench is started in.
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp"
).split(",")
SUBS = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
    ("Strategic developments", "Agreement"),
    ("Strategic developments", "Arrests"),
]
GOVERNORATES = ["Marib", "Taizz", "Al Hudaydah", "Sanaa", "Aden", "Lahij", "Al Bayda", "Hajjah"]
WORDS = (
    "forces clashed with fighters near positions held by tribesmen after shelling reported "
    "by local sources casualties were unknown the attack targeted a checkpoint on the road "
    "to the district centre while drones were seen overhead and residents fled"
).split()


def rows(n: int, seed: int = 1):
    rng = random.Random(seed)
    actors = [f"Military Forces of Yemen ({y}-) Unit {k}" for y in (2012, 2017) for k in range(400)]
    actors += [f"Ansar Allah Brigade {k}" for k in range(600)]
    actors += [f"{g} Tribal Militia ({k})" for g in GOVERNORATES for k in range(75)]
    sources = [f"Source {k} News" for k in range(300)] + ["Yemen Data Project", "Al Masirah"]
    for i in range(n):
        d = 1 + rng.randrange(365 * 4)
        year, doy = 2019 + d // 366, d % 365
        month, day = 1 + doy // 31 % 12, 1 + doy % 28
        date = f"{year}-{month:02d}-{day:02d}"
        kind, sub = rng.choice(SUBS)
        place = rng.choice(GOVERNORATES)
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60)))
        months = (
            "January February March April May June July August September October November December"
        )
        note = (
            f"On {day} {months.split()[month - 1]} {year}, {words.capitalize()}. "
            f"[size=no report] {' '.join(rng.choice(WORDS) for _ in range(20))}."
        )
        assoc = "; ".join(rng.sample(actors, rng.randint(0, 4)))
        yield [
            f"YEM{i}",
            date,
            str(year),
            rng.choice("1112"),
            "Political violence",
            kind,
            sub,
            rng.choice(actors),
            assoc,
            "State forces",
            rng.choice(actors),
            "; ".join(rng.sample(actors, rng.randint(0, 3))),
            "Rebel group",
            "13",
            "",
            "887",
            "Middle East",
            "Yemen",
            place,
            f"{place} District {i % 20}",
            "",
            f"{place} town {i % 400}",
            "15.35",
            "44.2",
            "1",
            "; ".join(rng.sample(sources, rng.randint(1, 4))),
            "National-International",
            note,
            str(rng.choice([0, 0, 0, 1, 2, 5, 12])),
            "",
            "1700000000",
        ]


def write(path: str, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(rows(n))


def one_run(path: str, out: str) -> tuple[float, float, float, float, float, float]:
    """Seconds, peak MB and processor seconds of one `demarche import`, in a fresh
    process (timed from after its modules are loaded), and the seconds of that whole
    process as the person running it waits for it (the interpreter's start and the
    modules' loading too); the processor seconds and peak MB of the helper process it
    forked, if it did (app/importers/acledrows.py: 0 when none started)."""
    code = (
        "import resource, sys, time\n"
        f"sys.path.insert(0, {ROOT!r})\n"
        "from app.cli.main import main\n"
        f"assert main.__module__ == 'app.cli.main' and sys.modules['app'].__file__.startswith({ROOT!r})\n"
        "use = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])\n"
        "t, cpu = time.perf_counter(), use()\n"
        f"rc = main(['import', {path!r}, '-o', {out!r}, '--force'])\n"
        "t, cpu = time.perf_counter() - t, use() - cpu\n"
        "from tests.bench.peak import peak_mb\n"
        "helper = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(rc, t, peak_mb(), cpu, sum(helper[:2]), helper.ru_maxrss / 1024)\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        cwd=ROOT,
    )
    whole = time.perf_counter() - start
    rc, seconds, mb, cpu, helper_cpu, helper_mb = result.stdout.strip().splitlines()[-1].split()
    assert rc == "0", result.stderr
    return float(seconds), float(mb), float(cpu), whole, float(helper_cpu), float(helper_mb)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", metavar="OUT")
    parser.add_argument("--csv", metavar="CSV", help="import this file (rows() of --rows, kept)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="demarche-acled-")
    try:
        path = args.csv or os.path.join(folder, "acled.csv")
        if not args.csv:
            write(path, args.rows)
        runs = [one_run(path, os.path.join(folder, "out.yaml")) for _ in range(args.runs)]
        csv_mb = round(os.path.getsize(path) / 2**20, 1)
    finally:
        shutil.rmtree(folder)  # 85 MB a run at 100,000 rows
    figures = {
        "rows": args.rows,
        "csv_mb": csv_mb,
        "import_s": round(statistics.median(r[0] for r in runs), 2),
        "peak_mb": round(statistics.median(r[1] for r in runs)),
        # Processor seconds (user and system): what the wall time is on a quiet machine,
        # nearly, when other work shares the processors.
        "cpu_s": round(statistics.median(r[2] for r in runs), 2),
        # The whole process, start-up included (0.3-0.7 s of it loads the modules).
        "process_s": round(statistics.median(r[3] for r in runs), 2),
        # The helper process that parses the rows on the other core, where one was free
        # when the import began (0 where none started): its processor seconds, and its
        # peak resident memory (the pages it shares with the importer counted too).
        "helper_cpu_s": round(statistics.median(r[4] for r in runs), 2),
        "helper_peak_mb": round(statistics.median(r[5] for r in runs)),
        "load": os.getloadavg()[0],
        "runs": runs,
    }
    report(figures, args.json)


if __name__ == "__main__":
    main()
