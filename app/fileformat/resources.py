"""Where the files of resources/ are (the page's script and style, the schema, the icon,
the desktop entry), whether Demarche runs from its source tree or installed.

The source tree keeps them in the top-level resources/ folder; the wheel installs that
folder inside the `app` package as `app/_resources/` (setup.py maps it), since a
top-level `resources` in site-packages would collide with any other program's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "resources"


def folder() -> Path:
    """The folder holding resources/'s files: the installed copy, else the source tree's."""
    installed = resources.files("app").joinpath("_resources")
    if installed.is_dir():
        return Path(str(installed))  # a folder on disk: pip never installs zipped packages
    return SOURCE


def path(name: str) -> Path:
    """The resource `name`, e.g. "page/page.js" or "demarche.svg"."""
    return folder() / name
