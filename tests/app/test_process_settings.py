"""What importing `app` sets for the process before numpy loads (app/__init__.py), and
that the user's own setting wins."""

from __future__ import annotations

import os
import subprocess
import sys

_ASK = (
    "import app, numpy, os;"
    "print(numpy._core.multiarray._get_madvise_hugepage(), os.environ['OPENBLAS_NUM_THREADS'])"
)


def _answer(**env: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_NUM_THREADS")
    }
    done = subprocess.run(
        [sys.executable, "-c", _ASK],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_numpy_asks_for_no_huge_pages_and_openblas_starts_one_thread():
    assert _answer() == "False 1"


def test_the_users_own_settings_are_kept():
    assert _answer(NUMPY_MADVISE_HUGEPAGE="1", OPENBLAS_NUM_THREADS="2") == "True 2"
