"""How many examples a property test that asks for many tries: a quarter of them in
`make test` (at least the suite profile's 50; the suite must run in a minute here), all
of them under HYPOTHESIS_PROFILE=thorough (tests/conftest.py)."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"


def examples(n: int) -> int:
    return n if THOROUGH else max(50, n // 4)
