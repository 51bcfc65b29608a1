"""The cyclic garbage collector held off while many records are built or a frame is drawn.

Records hold no cycles: reference counting frees them. The collector's full passes over a
heap that grows by a hundred thousand objects only cost time (a third of reading 200,000
hand-written events; 0.23 s a pass at 100,000 imported records, holding the interpreter's
lock so the window froze), and a pass in the middle of a frame costs more than the frame.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Within: no cyclic collection. Nested or on several threads, the first to pause it
    turns it back on."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
