"""Debian's chromium, driven through its chromium-driver (both installed by `make deps`),
for the tests and the benchmark that load the web page export."""

from __future__ import annotations

import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def chromium(logs: bool = False) -> webdriver.Chrome:
    """A headless 1400 x 900 window; with `logs`, the console and the network are recorded.
    FileNotFoundError when the browser or its driver is missing."""
    for needed in (CHROMIUM, DRIVER):
        if not os.path.exists(needed):
            raise FileNotFoundError(f"{needed}: run `make deps` (as root) for chromium")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(arg)
    if logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=options)
