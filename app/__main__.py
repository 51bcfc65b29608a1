"""`python -m app`: the command line alone (validate, info, export). The editor starts
with `demarche` or `python -m widgets`."""

from __future__ import annotations

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
