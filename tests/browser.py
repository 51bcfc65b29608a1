"""Debian's chromium, driven through its chromium-driver (both installed by `make deps`),
for the tests and the benchmark that load the web page export."""

from __future__ import annotations

import os
import shutil
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


class Chromium(webdriver.Chrome):
    """The browser in a profile folder of our own. chromium-driver kills a browser whose
    profile it made itself (SIGKILL), which left the browser's lock folder behind in the
    temporary folder (/dev/shm here) at each run. Given a profile, it asks the browser to
    close and waits for it, and the profile goes with `quit`."""

    def __init__(self, options: Options) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="demarche-chromium-")
        options.add_argument(f"--user-data-dir={self.profile.name}")
        try:
            super().__init__(service=Service(DRIVER), options=options)
        except BaseException:
            self.profile.cleanup()
            raise

    def quit(self) -> None:
        try:
            super().quit()
        finally:
            self.profile.cleanup()


def chromium(logs: bool = False) -> Chromium:
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
    return Chromium(options)
