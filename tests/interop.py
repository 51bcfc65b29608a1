"""The real readers of the formats Demarche writes (../shared/interop/checks: TimelineJS,
Markwhen's parser, ical.js, EDTF), installed where the tests may write. The shared folder is
read-only in CI, so it is copied and `npm ci` run in the copy, once per version of its lock
file; later runs find the copy ready."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "interop" / "checks"


def checks_dir() -> Path | None:
    """A folder holding the readers and their node_modules, or None without node or the
    shared folder (then the tests that need them skip and say why)."""
    if not SHARED.is_dir() or not shutil.which("node") or not shutil.which("npm"):
        return None
    if (SHARED / "node_modules").is_dir():
        return SHARED
    lock = hashlib.sha256((SHARED / "package-lock.json").read_bytes()).hexdigest()[:16]
    home = Path(os.environ.get("DEMARCHE_READERS_DIR", Path.home() / ".cache" / "demarche-readers"))
    target = home / lock
    if (target / "node_modules" / ".package-lock.json").exists():
        return target
    home.mkdir(parents=True, exist_ok=True)
    # One install at a time: a second pytest-xdist worker waits for the first's copy
    # rather than running npm ci beside it (about 10 s and 6 s of CPU each).
    with open(home / f".{lock}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if (target / "node_modules" / ".package-lock.json").exists():
            return target
        return _install(lock, target)


def _install(lock: str, target: Path) -> Path:
    home = target.parent
    work = home / f".{lock}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(SHARED, work, ignore=shutil.ignore_patterns("node_modules"))
    # No install scripts: nothing is fetched but the locked packages themselves.
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
        cwd=work,
        check=True,
        timeout=900,
        capture_output=True,
    )
    try:
        os.replace(work, target)
    except OSError:  # another run got there first: use its copy
        shutil.rmtree(work, ignore_errors=True)
    return target


@pytest.fixture(scope="session")
def readers() -> Path:
    found = checks_dir()
    if found is None:
        pytest.skip("node, npm or ../shared/interop/checks is missing: the real readers cannot run")
    return found
