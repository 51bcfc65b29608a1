"""`demarche install-desktop`: Demarche in a Linux desktop's application menu, with its
icon: the desktop entry and the icon written under $XDG_DATA_HOME (~/.local/share), as
the freedesktop.org specifications ask for a program installed by one user (pipx, pip).

demarche install-desktop            writes applications/demarche.desktop and the icon
demarche install-desktop --remove   takes them away again
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from app.fileformat import resources
from app.fileformat.textfile import printable

EXIT_OK, EXIT_NOT_INSTALLED, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3
ENTRY = Path("applications") / "demarche.desktop"
ICON = Path("icons") / "hicolor" / "scalable" / "apps" / "demarche.svg"
# Characters that make an Exec argument need quoting (Desktop Entry Specification).
_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


def add_parser(sub) -> None:
    d = sub.add_parser(
        "install-desktop",
        help="put Demarche in the desktop's application menu, with its icon (Linux)",
        description="Write a desktop entry and the icon under $XDG_DATA_HOME (by default "
        "~/.local/share), so that the desktop's menu starts the demarche program this "
        "command belongs to, and files can be opened with it. Running it again rewrites them.",
    )
    d.add_argument("--remove", action="store_true", help="remove the entry and the icon")


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or not absolute (as the spec says)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local" / "share"


def program() -> Path | None:
    """The `demarche` script installed beside this Python (a pipx or pip environment), else
    the one on PATH."""
    beside = Path(sys.executable).parent / "demarche"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside.absolute()
    found = shutil.which("demarche")
    return Path(found).absolute() if found else None


def exec_argument(path: str) -> str:
    """`path` as one argument of an Exec key: quoted and escaped where the spec asks."""
    path = path.replace("%", "%%")
    if _RESERVED.search(path):
        path = '"' + re.sub(r'(["`$\\])', r"\\\1", path) + '"'
    return path.replace("\\", "\\\\")  # a string value's own escape, read before the quoting


def entry_text(script: Path) -> str:
    """The bundled desktop entry with Exec and TryExec naming `script`."""
    lines = []
    for line in resources.path("demarche.desktop").read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            # TryExec is a plain string (only \\ escaped); Exec is quoted as arguments are.
            lines.append("TryExec=" + str(script).replace("\\", "\\\\"))
            line = f"Exec={exec_argument(str(script))} %f"
        elif line.startswith("TryExec="):
            continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def cmd_install_desktop(args) -> int:
    if sys.platform in ("win32", "darwin"):
        print("demarche install-desktop: for Linux desktops (freedesktop.org)", file=sys.stderr)
        return EXIT_USAGE
    home = data_home()
    if args.remove:
        for name in (ENTRY, ICON):
            (home / name).unlink(missing_ok=True)
            print(f"removed {printable(str(home / name))}")
        return EXIT_OK
    script = program()
    if script is None:
        print(
            "demarche install-desktop: no installed 'demarche' program was found (beside "
            f"{printable(sys.executable)} or on PATH); install Demarche first, e.g. "
            "pipx install .",
            file=sys.stderr,
        )
        return EXIT_NOT_INSTALLED
    try:
        for name, data in (
            (ENTRY, entry_text(script).encode("utf-8")),
            (ICON, resources.path("demarche.svg").read_bytes()),
        ):
            (home / name).parent.mkdir(parents=True, exist_ok=True)
            (home / name).write_bytes(data)
            print(f"wrote {printable(str(home / name))}")
    except OSError as exc:
        print(f"demarche install-desktop: {exc.strerror or exc}: {exc.filename}", file=sys.stderr)
        return EXIT_WRITE
    # The menu sees a new entry by itself; "Open with" for YAML files needs the MIME cache.
    tool = shutil.which("update-desktop-database")
    if tool:
        subprocess.run([tool, str(home / ENTRY.parent)], capture_output=True, check=False)
    return EXIT_OK


COMMANDS = {"install-desktop": cmd_install_desktop}
