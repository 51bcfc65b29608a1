"""How every bench gives its figures: as JSON on stdout, and in the file --json names."""

from __future__ import annotations

import json
from pathlib import Path


def report(figures: dict, out: str | None) -> None:
    text = json.dumps(figures, indent=2)
    print(text)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
