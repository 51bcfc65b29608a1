"""`python -m app` and the `demarche` script: the command line, or the editor."""

from __future__ import annotations

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
