"""Workbooks (xlsx, xlsm, ods, xls) read with python-calamine, which can abort the whole
process (SIGABRT, no Python exception) on a hostile file: a 1.6 KB workbook whose one
cell sits at XFD1048576 asked for 512 GB. So sizes are checked from the zip directory and
the sheet's cell references before anything is read, and the reading itself runs in a
child process under a memory limit, where an abort becomes an error message.

    python -m app.importers.workbook MODULE:FUNCTION PATH   (the child's side)
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import zipfile

from app.importers.base import MAX_IMPORT_BYTES, ImportFailed, Table, peek

MAX_INFLATED = 512 * 2**20  # the whole workbook, unzipped
MAX_CELLS = 10_000_000  # rows × columns from A1 to the last cell (100,000 rows of 100)
CHILD_MEMORY = 3 * 2**30  # the child's address space
READER = "app.importers.workbook:sheet_rows"
_CELL_REF = re.compile(
    rb'<(?:\w+:)?(?:c|dimension)\s[^>]*?\br(?:ef)?="(?:[A-Z]+\d+:)?([A-Z]{1,3})(\d{1,7})"'
)


def check(path: str) -> None:
    """ImportFailed when the workbook is larger than may be read: a special file, over
    the size limit, inflating past MAX_INFLATED, or cells past MAX_CELLS."""
    peek(path, 1)  # a regular file, not a FIFO or /dev/stdin
    size = os.path.getsize(path)
    if size > MAX_IMPORT_BYTES:
        raise ImportFailed(f"the workbook is {size / 2**20:.0f} MiB: the limit is 256 MiB")
    if not zipfile.is_zipfile(path):
        return  # .xls (OLE): bounded by its size and the child's memory
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
            total = sum(m.file_size for m in members)
            for m in members:
                if m.file_size > MAX_IMPORT_BYTES or total > MAX_INFLATED:
                    raise ImportFailed(
                        f"the workbook unzips to {total / 2**20:,.0f} MiB ({m.filename}: "
                        f"{m.file_size / 2**20:,.0f} MiB): the limit is "
                        f"{MAX_INFLATED // 2**20} MiB, {MAX_IMPORT_BYTES // 2**20} MiB a part"
                    )
            sheets = sorted(
                (m for m in members if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", m.filename)),
                key=lambda m: int(re.sub(r"\D", "", m.filename)),
            )
            if sheets:
                _check_cells(z, sheets[0])
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportFailed(f"not a readable workbook: {exc}") from None


def _check_cells(z: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The furthest row and column any cell (or the sheet's dimension) names: calamine
    makes room for every cell from A1 to there."""
    rows = cols = 0
    read = 0
    tail = b""
    with z.open(member) as stream:
        while chunk := stream.read(1 << 20):
            read += len(chunk)
            if read > member.file_size:  # the directory lied about the size
                raise ImportFailed(f"{member.filename} inflates past the size its zip gives")
            data = tail + chunk
            for m in _CELL_REF.finditer(data):
                rows = max(rows, int(m[2]))
                cols = max(cols, _column(m[1]))
            tail = data[-256:]
            if rows * cols > MAX_CELLS:
                raise ImportFailed(
                    f"the sheet reaches row {rows:,} and column {cols:,}: "
                    f"more than the {MAX_CELLS:,} cells a workbook may hold here"
                )


def _column(letters: bytes) -> int:
    n = 0
    for c in letters:
        n = n * 26 + c - 64
    return n


def read_isolated(path: str, progress=None, reader: str = READER) -> Table:
    """The first sheet's rows, read in a child process; ImportFailed when the reader fails
    or dies. `progress(0)` is called while waiting and may raise to stop the child."""
    check(path)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen(
        [sys.executable, "-m", "app.importers.workbook", reader, os.path.abspath(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        while True:
            try:
                out, err = child.communicate(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                if progress is not None:
                    progress(0)  # may raise ImportCancelled: the child is killed below
    except BaseException:
        child.kill()
        child.wait()
        raise
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        raise ImportFailed(
            f"the workbook reader stopped ({name}) on this file: it could not be read "
            "(save the sheet as CSV and import that)"
        )
    try:
        result = pickle.loads(out)
    except Exception:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ImportFailed(f"the workbook reader failed: {last[0]}") from None
    if isinstance(result, str):
        raise ImportFailed(result)
    header, rows, *shifts = result  # (and the rows' shifts, from sheet_rows)
    return Table(header, rows, row_shifts=shifts[0] if shifts else [])


def sheet_rows(path: str) -> tuple[list[str], list[list[str]], list[tuple[int, int]]]:
    """The first sheet of an XLSX or ODS workbook: its header and rows as text cells, and
    where its rows stand in the sheet (Table.row_shifts). Read by python-calamine: it read
    50,000 rows of 31 columns in 1.5 s where openpyxl took 25 s, here."""
    import datetime as dt

    from python_calamine import CalamineError, CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        rows = sheet.to_python()  # from the first row with a cell on
    except (CalamineError, ValueError, OSError) as exc:
        raise ImportFailed(f"not a readable workbook: {exc}") from None

    def text(value) -> str:
        if isinstance(value, dt.datetime):
            return (
                value.isoformat(timespec="minutes")
                if value.time() != dt.time()
                else value.date().isoformat()
            )
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    table = [[text(v) for v in row] for row in rows]
    kept = [i for i, r in enumerate(table) if any(r)]
    if not kept:
        raise ImportFailed("the sheet is empty")
    # Rows numbered as read (the header 1), as the sheet numbers them (Table.row_shifts).
    first = (sheet.start or (0, 0))[0]
    shifts = [(n, first + i - n + 1) for n, i in enumerate(kept, start=1)]
    shifts = [s for k, s in enumerate(shifts) if s[1] and (k == 0 or s[1] != shifts[k - 1][1])]
    return table[kept[0]], [table[i] for i in kept[1:]], shifts


def _child(target: str, path: str) -> None:
    import importlib
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    module, _, name = target.partition(":")
    try:
        result = getattr(importlib.import_module(module), name)(path)
    except ImportFailed as exc:
        result = str(exc)
    except MemoryError:
        result = "the workbook needs more memory than a workbook may take here"
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
