"""This tree's benchmark against another revision's, in one sitting:

    python -m tests.bench.compare --against c3b23e9 [--events 10000] [--pairs 3] [--json OUT]

Runs `python -m tests.bench --events N` here and in the other revision (checked out in a
temporary git worktree, removed after), in turns: here then there, there then here, and
so on, so that a machine speeding up or slowing down over the minutes falls on both alike.
For each figure both trees report, prints the medians of each tree and the median of the
ratios of each pair's runs (this tree ÷ the other; under 1 is faster or smaller here)."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

# Figures of other people's code, measured beside ours as yardsticks: printed apart. PyYAML's
# C loader reads the same bytes in each tree; what its time varies with is the process it
# runs in (its collector walks what the process holds: 70% of its time here, 2.6 s to 0.8).
REFERENCES = ("yaml_parse_s",)

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def figures(result: dict, prefix: str = "") -> dict[str, float]:
    """The numbers of a bench's JSON by their dotted names (`frame_ms.365d`)."""
    out: dict[str, float] = {}
    for name, value in result.items():
        if isinstance(value, dict):
            out.update(figures(value, f"{prefix}{name}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and name != "events":
            out[prefix + name.lstrip(".")] = float(value)  # data_export_s.ics
    return out


def bench(tree: str, events: int, out: str) -> dict[str, float]:
    """One `python -m tests.bench` in a process of its own, importing `tree`'s modules."""
    env = {**os.environ, "PYTHONPATH": tree, "QT_QPA_PLATFORM": "offscreen"}
    args = [sys.executable, "-m", "tests.bench", "--events", str(events), "--json", out]
    done = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"the bench in {tree} failed:\n{done.stderr[-4000:]}")
    with open(out, encoding="utf-8") as f:
        return figures(json.load(f))


def imported_from(tree: str) -> str:
    """Where `app` comes from in a process started as `bench` starts one."""
    env = {**os.environ, "PYTHONPATH": tree}
    code = "import app, os; print(os.path.dirname(os.path.dirname(app.__file__)))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=tree, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def compare(here: list[dict], there: list[dict]) -> dict[str, dict]:
    """Each figure in both: the medians, and the median of the pairs' ratios."""
    table = {}
    for name in here[0]:
        pairs = [(a[name], b[name]) for a, b in zip(here, there, strict=True) if name in b]
        if len(pairs) < len(here):
            continue  # a figure the other tree does not measure
        ratios = [a / b for a, b in pairs if b]
        table[name] = {
            "here": statistics.median(a for a, _ in pairs),
            "there": statistics.median(b for _, b in pairs),
            "ratio": statistics.median(ratios) if ratios else None,
            "ratios": ratios,
        }
    return table


def print_rows(table: dict[str, dict], names: list[str], width: int) -> None:
    for name in names:
        row = table[name]
        each = " ".join(f"{r:.2f}" for r in row["ratios"])
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "  -"
        print(f"{name:<{width}}  {row['here']:>10.4g}  {row['there']:>10.4g}  {ratio:>5}  ({each})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.compare", description=__doc__)
    parser.add_argument("--against", required=True, metavar="REV", help="a git revision")
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--json", metavar="OUT")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="demarche-compare-") as folder:
        there_tree = os.path.join(folder, "tree")
        subprocess.run(
            ["git", "-C", HERE, "worktree", "add", "--detach", there_tree, args.against],
            check=True,
            capture_output=True,
        )
        try:
            for tree in (HERE, there_tree):
                found = imported_from(tree)
                if os.path.realpath(found) != os.path.realpath(tree):
                    sys.exit(f"the bench in {tree} would import app from {found}")
            here, there = [], []
            for pair in range(args.pairs):
                turns = [(HERE, here), (there_tree, there)]
                for tree, runs in turns if pair % 2 == 0 else turns[::-1]:
                    out = os.path.join(folder, f"{len(here) + len(there)}.json")
                    runs.append(bench(tree, args.events, out))
                    print(
                        f"pair {pair + 1}: {'here' if tree == HERE else args.against}",
                        file=sys.stderr,
                    )
        finally:
            subprocess.run(["git", "-C", HERE, "worktree", "remove", "--force", there_tree])
    table = compare(here, there)
    width = max(map(len, table))
    print(f"{'figure':<{width}}  {'here':>10}  {args.against:>10}  ratio  (each pair)")
    ours = [name for name in table if name not in REFERENCES]
    references = [name for name in REFERENCES if name in table]
    print_rows(table, ours, width)
    if references:
        print("yardsticks (other people's code, beside ours):")
        print_rows(table, references, width)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {"against": args.against, "events": args.events, "figures": table}, f, indent=1
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
