"""`python -m widgets`: the same as `demarche`, the editor or a command."""

from __future__ import annotations

import sys

from widgets.launch import main

if __name__ == "__main__":
    sys.exit(main())
