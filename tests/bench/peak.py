"""The peak memory of opening a project in the editor, alone in a process of its own: what
a user's editor holds to open the file and show it, without the bench's own generated
project and exports (the bench's `rss_mb` is the peak of its whole run).

    python -m tests.bench.peak FILE CACHE_DIR     prints {"open_s", "shown_s", "peak_mb"}

CACHE_DIR is the parse cache's folder ("" turns it off: a cold open).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time


def peak_mb() -> float:
    """This process's peak resident memory, in MB: the kernel's high-water mark of its own
    memory (ru_maxrss also counts the parent's pages a forked child shared before it ran
    Python anew: a child of a 330 MB bench read 330 MB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_of_open(path: str, cache_dir: str) -> dict:
    """Run this module on `path` in a child process with that cache folder."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.peak", path, cache_dir],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


def main(path: str, cache_dir: str) -> None:
    start = time.perf_counter()
    from PySide6 import QtWidgets

    from app.editing.document import Document
    from app.fileformat import projectfile
    from tests.bench.__main__ import canvas_for

    os.environ["DEMARCHE_CACHE_DIR"] = cache_dir  # after the bench's import chose its own
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    begun = time.perf_counter()
    project = projectfile.load(path)
    opened = time.perf_counter()
    canvas = canvas_for(Document(project))
    canvas.plot.viewport().repaint()
    shown = time.perf_counter()
    canvas.close()
    del app
    print(
        json.dumps(
            {
                "open_s": round(opened - begun, 3),
                "shown_s": round(shown - opened, 3),
                "imports_s": round(begun - start, 3),
                "peak_mb": round(peak_mb()),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
