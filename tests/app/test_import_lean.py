"""What keeps a big import (100,000 ACLED rows: tests/bench/acled.py) within its time,
each held to what it replaced: no module loaded that the import does not need (Qt took
0.25 s of the run for a palette)."""

from __future__ import annotations

import csv
import subprocess
import sys

from tests.bench.acled import HEADER, rows


def test_an_import_from_the_command_line_loads_no_qt(tmp_path):
    path = tmp_path / "acled.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows(50)])
    code = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"assert main(['import', {str(path)!r}, '-o', {str(tmp_path / 'out.yaml')!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'app.chart'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert "\nactors:\n  - id: " in (tmp_path / "out.yaml").read_text()  # lanes made, coloured
