"""The web page export in the test browser: how long it takes to build and to open, and how
smoothly it pans (the page's frames while its chart scrolls 40 px a frame)."""

from __future__ import annotations

import os
import statistics
import time

from app.exporters.webpage import WebPage
from app.records.model import Project

# Scrolls the chart one step a frame (after zooming in one level, so that there is room to
# scroll) and reports each frame's interval and the time the page's own scroll work took.
PAN = """
const done = arguments[arguments.length - 1];
document.getElementById('zoom-in').click();
const chart = document.getElementById('chart'), gaps = [], work = [];
let last = null, n = 0;
chart.addEventListener('scroll', () => {
  const t = performance.now();
  requestAnimationFrame(() => work.push(performance.now() - t));
}, {passive: true});
function step(now) {
  if (last !== null) gaps.push(now - last);
  last = now;
  chart.scrollLeft += 40;
  chart.scrollTop += 4;
  if (++n < 120) requestAnimationFrame(step); else done({gaps, work});
}
requestAnimationFrame(step);
"""
# From the start of navigation to the second frame after the page's script ran.
OPENED = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
"""


def page_figures(project: Project, folder: str) -> dict:
    path = os.path.join(folder, "bench.html")
    start = time.perf_counter()
    WebPage(project).write(path)
    build_s = time.perf_counter() - start
    # Imported here: the editor's peak is measured in a child that imports tests.bench, and
    # selenium's Chrome stack, loaded with tests.browser, added 9 MB and 0.24 s to it.
    from tests.browser import chromium

    driver = chromium()
    try:
        driver.set_script_timeout(60)
        opened, gaps, work = [], [], []
        for _ in range(3):
            driver.get("file://" + path)
            opened.append(driver.execute_async_script(OPENED))
            pan = driver.execute_async_script(PAN)
            gaps += pan["gaps"]
            work += pan["work"]
    finally:
        driver.quit()
    gaps.sort()
    return {
        "build_s": round(build_s, 3),
        "mb": round(os.path.getsize(path) / 1e6, 2),
        "open_ms": round(statistics.median(opened)),
        "pan_frame_ms": round(statistics.median(gaps), 1),
        "pan_frame_p95_ms": round(gaps[int(len(gaps) * 0.95)], 1),
        "pan_work_ms": round(statistics.median(work), 2),
    }
