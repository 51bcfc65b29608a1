"""How many examples a property test tries, by the profile tests/conftest.py loads:
`make test` tries 20 a test, CI (.ci/run) 50, and HYPOTHESIS_PROFILE=thorough 500. A test
that names its own count names it for CI (`scaled`), and `make test` tries as many in
proportion; one that asks for hundreds (`examples`) tries a quarter of them in CI, all of
them under the thorough profile."""

from __future__ import annotations

import os

from hypothesis import settings

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
CI = 50  # examples a test, in CI


def scaled(n: int) -> int:
    """n examples in CI and under the thorough profile, in proportion in `make test`."""
    return n if THOROUGH else max(min(n, 10), n * settings.default.max_examples // CI)


def examples(n: int) -> int:
    return n if THOROUGH else scaled(max(CI, n // 4))
