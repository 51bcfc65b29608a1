"""Recovery files: the autosaved copy of a modified document, kept in the user's data
folder until a clean save or close, and offered back after a crash."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, replace

from PySide6 import QtCore

from app import projectfile
from app.atomic import write_atomic
from app.model import Project

MARK = "# demarche-recovery: "


def folder() -> str:
    base = QtCore.QStandardPaths.writableLocation(
        QtCore.QStandardPaths.StandardLocation.AppDataLocation
    )
    path = os.path.join(base or os.path.expanduser("~/.local/share/demarche"), "recovery")
    os.makedirs(path, exist_ok=True)
    return path


def path_for(document_path: str | None, session: str) -> str:
    key = document_path or f"untitled-{session}"
    return os.path.join(folder(), hashlib.sha1(key.encode()).hexdigest()[:16] + ".yaml")


def write(project: Project, document_path: str | None, session: str) -> str:
    """Write the recovery copy atomically; return its path."""
    target = path_for(document_path, session)
    header = (
        f"{MARK}original={document_path or ''}\n{MARK}saved={time.strftime('%Y-%m-%d %H:%M:%S')}\n"
    )
    text = header + projectfile.dumps(project)
    write_atomic(target, text.encode("utf-8"))
    return target


def remove(document_path: str | None, session: str) -> None:
    try:
        os.unlink(path_for(document_path, session))
    except FileNotFoundError:
        pass


@dataclass
class Recovered:
    path: str  # the recovery file
    original: str  # the document's own path, or "" for an untitled one
    saved: str  # when it was written
    project: Project


def pending() -> list[Recovered]:
    """Recovery files left by an earlier run, readable ones only."""
    out = []
    for name in sorted(os.listdir(folder())):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(folder(), name)
        try:
            project = projectfile.load(path)
        except projectfile.ProjectFileError:
            continue
        lines = project.preamble.splitlines(keepends=True)
        meta = dict(
            line[len(MARK) :].strip().split("=", 1) for line in lines if line.startswith(MARK)
        )
        preamble = "".join(line for line in lines if not line.startswith(MARK))
        out.append(
            Recovered(
                path,
                meta.get("original", ""),
                meta.get("saved", ""),
                replace(project, preamble=preamble),
            )
        )
    return out
