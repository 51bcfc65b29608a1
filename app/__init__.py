"""Demarche's document model, file format, edits and command line: no Qt widgets here."""

import os

# Demarche does no linear algebra, but numpy's OpenBLAS starts a thread per core when it
# loads: about 70 ms of processor time at every start (the git drivers start once a file).
# Set before anything imports numpy; still the user's to choose.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# numpy asks the kernel to back each array of 4 MB or more with huge pages. Where the kernel
# compacts memory to find one on a page fault ("defrag" set to madvise, as on this machine),
# faults stall: the first frame of a million events spent 0.34-0.57 s in the system, against
# 0.07-0.1 s without (numpy issue 31590). Set before numpy loads; still the user's to choose.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
