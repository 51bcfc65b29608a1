"""Demarche's document model, file format, edits and command line: no Qt widgets here."""

import os

# Demarche does no linear algebra, but numpy's OpenBLAS starts a thread per core when it
# loads: about 70 ms of processor time at every start (the git drivers start once a file).
# Set before anything imports numpy; still the user's to choose.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
