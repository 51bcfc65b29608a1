"""Demarche as a user installs it (`pipx install .`, `pip install .`): the wheel built from
this tree, installed into a fresh environment, its `demarche` run from another folder.

The wheel is built offline (no build isolation: setuptools comes from the test extras).
The fresh environment takes Demarche's dependencies from the test environment through a
.pth line rather than downloading PySide6 again; Demarche itself comes only from the wheel
(checked: `app` and `widgets` are imported from the fresh environment). Skipped, with the
reason shown, only when the build tools are missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import warnings
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from app.fileformat import projectfile

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).parents[1]
# What a build reads: a file missing here that the build needs fails the test.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "app", "widgets", "resources")
NOT_INSTALLED = ("screenshots",)  # resources/ that only the README shows


def missing_build_tools() -> str | None:
    try:
        version = metadata.version("setuptools")
    except metadata.PackageNotFoundError:
        return "setuptools is not installed"
    if int(version.split(".")[0]) < 77:
        return f"setuptools {version} is too old to build Demarche (77 or newer)"
    try:
        metadata.version("pip")
    except metadata.PackageNotFoundError:
        return "pip is not installed"
    return None


def run(args: list, cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    environment.update(QT_QPA_PLATFORM="offscreen", **env)
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    reason = missing_build_tools()
    if reason:
        reason += ": the wheel is not tested (pip install -e '.[test]' installs the tools)"
        warnings.warn(reason, stacklevel=1)  # in the warnings summary, not only a count
        pytest.skip(reason)
    # Built from a copy, so that no build/ folder left in the tree can add stale files.
    source = tmp_path_factory.mktemp("source")
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=junk)
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    result = run([*build, "--no-index", "-w", out, source], cwd=out)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("demarche-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The fresh environment's bin/ folder, with `demarche` installed from the wheel."""
    env = tmp_path_factory.mktemp("env")
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps"]
    result = run([*install, "--no-index", wheel], cwd=env)
    assert result.returncode == 0, result.stderr[-3000:]
    # The dependencies, from the test environment (after the install: pip would otherwise
    # see this tree's editable install there and call Demarche installed already).
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env)
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site.stdout.strip(), "test-dependencies.pth").write_text("\n".join(sorted(deps)) + "\n")
    return env / "bin"


def test_the_wheel_holds_every_package_and_resource(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for package in ("app", "widgets"):
        for folder in [ROOT / package, *(ROOT / package).rglob("*")]:
            if folder.is_dir() and any(folder.glob("*.py")):
                init = folder.relative_to(ROOT) / "__init__.py"
                assert init.as_posix() in names, f"{folder.relative_to(ROOT)} is not installed"
    for file in (ROOT / "resources").rglob("*"):
        relative = file.relative_to(ROOT / "resources")
        if file.is_file() and relative.parts[0] not in NOT_INSTALLED:
            assert f"app/_resources/{relative.as_posix()}" in names
    top = {n.split("/")[0] for n in names if not n.startswith("demarche-")}
    assert top == {"app", "widgets"}  # another top-level name is a deliberate decision


def test_the_installed_program_runs_from_another_folder(installed, tmp_path, small_project):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    projectfile.save(small_project, elsewhere / "talks.yaml")
    demarche = installed / "demarche"

    code = "import app, widgets, app.fileformat.resources as r; print(app.__file__, widgets.__file__, r.folder())"
    where = run([installed / "python", "-c", code], elsewhere)
    paths = where.stdout.split()
    assert len(paths) == 3, where.stderr
    assert all(p.startswith(str(installed.parent)) for p in paths), paths  # not this tree

    help_ = run([demarche, "--help"], elsewhere)
    assert help_.returncode == 0, help_.stderr
    assert "install-desktop" in help_.stdout

    check = run([demarche, "validate", "talks.yaml"], elsewhere)
    assert (check.returncode, check.stdout.strip()) == (0, "talks.yaml: ok"), check.stderr

    page = run([demarche, "export", "talks.yaml", "-o", "x.html"], elsewhere)
    assert page.returncode == 0, page.stderr
    html = (elsewhere / "x.html").read_text("utf-8")
    script = (ROOT / "resources" / "page" / "page.js").read_text("utf-8")
    assert script.strip().splitlines()[-1] in html  # the page's own script, from the wheel
    assert "Hamas releases two women" in html

    picture = run([demarche, "export", "talks.yaml", "-o", "x.png"], elsewhere)
    assert picture.returncode == 0, picture.stderr
    assert (elsewhere / "x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_installed_program_adds_itself_to_the_desktop_menu(installed, tmp_path):
    data = tmp_path / "data"
    result = run([installed / "demarche", "install-desktop"], tmp_path, XDG_DATA_HOME=str(data))
    assert result.returncode == 0, result.stderr
    entry = (data / "applications" / "demarche.desktop").read_text("utf-8")
    assert f"\nExec={installed / 'demarche'} %f\n" in entry
    icon = data / "icons" / "hicolor" / "scalable" / "apps" / "demarche.svg"
    assert icon.read_bytes() == (ROOT / "resources" / "demarche.svg").read_bytes()
