"""A context dataset summarised by DuckDB: events and fatalities per lane per day, for rows of
any number (CSV, CSV.gz, Parquet, or a folder of Parquet partitioned by year). The summary is a
dense day grid per lane, small enough to keep (a decade of 50 lanes is about 1.5 MB), and cached
beside nothing: in the cache folder, keyed by the file's size, time, the hash of its head and the
query, so a second open reads a few arrays instead of the rows."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sys
import threading
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from app.context.datasets import Dataset, DatasetError
from app.fileformat.atomic import write_atomic

CACHE_VERSION = 3  # 2: lanes match whole words, outside parentheses; 3: lowered as DuckDB does
HEAD_BYTES = 1 << 20  # what is hashed of each file: enough to tell two exports apart
NO_LANE = ""  # the lane of rows that match no lane
# DuckDB is told to stay within this and spill the rest to disk, so a dataset larger than
# memory is summarised by the same query.
MEMORY_LIMIT = os.environ.get("DEMARCHE_DUCKDB_MEMORY", "1GB")
THREADS = os.cpu_count() or 2  # DuckDB's threads for a query (the tests' workers take one)

# Dates as the kinds write them: ISO (ACLED's API, UCDP), "30 June 2022" (older ACLED
# exports), day-first with dashes or slashes.
DAY_FORMATS = ("%d %B %Y", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")


@dataclass(frozen=True, slots=True)
class Summary:
    first_day: int  # days since 1970-01-01 of the grid's first column
    lanes: tuple[str, ...]  # lane ids, then NO_LANE
    counts: np.ndarray  # int32 [lane, day]: rows of the lane on the day
    fatalities: np.ndarray  # float32 [lane, day]
    rows: int  # rows read after the dataset's filters
    undated: int  # of those, rows whose date could not be read (left out)

    def lane_rows(self) -> dict[str, int]:
        return {lane: int(self.counts[i].sum()) for i, lane in enumerate(self.lanes)}


def source_sql(path: Path, typed: bool = False) -> str:
    """The DuckDB table expression that reads `path`, by its suffix (or folder). A CSV's
    cells are read as text unless `typed` (the summary reads each column its own way)."""
    quoted = _path_literal(str(path))
    if path.is_dir():
        glob = _path_literal(str(path), "/**/*.parquet")
        return f"read_parquet({glob}, hive_partitioning = true, union_by_name = true)"
    if path.exists() and not path.is_file():  # a FIFO or a device: DuckDB would wait on it
        raise DatasetError(f"{path}: not a regular file")
    name = path.name.lower()
    if name.endswith(".parquet"):
        return f"read_parquet({quoted})"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".txt", ".tsv.gz")):
        return f"read_csv({quoted}, header = true, all_varchar = {str(not typed).lower()})"
    raise DatasetError(f"{path}: not a CSV, CSV.gz or Parquet file (by its name)")


def _path_literal(path: str, pattern: str = "") -> str:
    """A path as a DuckDB string naming that file only (then `pattern`, a glob below it):
    DuckDB reads a path as a glob, so its `*`, `?` and `[` each go in a class of one."""
    escaped = re.sub(r"([*?\[])", r"[\1]", path) + pattern
    return "'" + escaped.replace("'", "''") + "'"


def check_whole(
    path: Path, chunk: int = 1 << 20, stopped: Callable[[], bool] | None = None
) -> None:
    """A gzip file must end where its stream ends: DuckDB reads a truncated one as far as it
    goes and says nothing, so its rows would be silently fewer. Decompressed here once (on
    the reading thread; the summary is cached after); `stopped()` is asked between chunks."""
    if path.is_dir() or not path.name.lower().endswith(".gz"):
        return
    d = zlib.decompressobj(wbits=47)  # gzip or zlib headers
    with open(path, "rb") as f:
        while block := f.read(chunk):
            if stopped is not None and stopped():
                raise DatasetError(f"{path}: interrupted")
            while block:
                try:
                    d.decompress(block, chunk)
                except zlib.error as e:
                    raise DatasetError(f"{path}: not a whole gzip file ({e})") from None
                block = d.unconsumed_tail
                if d.eof and d.unused_data:  # one member ended: the next begins
                    block, d = d.unused_data + block, zlib.decompressobj(wbits=47)
    if not d.eof:
        raise DatasetError(f"{path}: the gzip file is cut short (truncated?)")


class _Check:
    """Told to `on_connect` before the connection, as a connection is: its `interrupt`
    stops the check of a gzip file (which reads the whole file) at its next chunk."""

    interrupted = False

    def interrupt(self) -> None:
        self.interrupted = True

    def __call__(self) -> bool:
        return self.interrupted


def checked_connection(path: Path, on_connect=None, temp_dir: Path | None = None):
    """A connection for reading `path`, once a gzip file is known whole; `on_connect` is
    told the check, then the connection, so that another thread may interrupt either."""
    check = _Check()
    if on_connect:
        on_connect(check)
    check_whole(path, stopped=check)
    con = Guarded(connect(temp_dir))
    if on_connect:
        on_connect(con)
    return con


class Guarded:
    """A DuckDB connection whose `interrupt`, called from another thread, never runs while
    or after it closes (a Stop is said again every CANCEL_AGAIN_MS of widgets/background.py
    until the reading's thread ends: the last one could meet the close, in native code)."""

    def __init__(self, con):
        self._con, self._lock, self._open = con, threading.Lock(), True

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def interrupt(self) -> None:
        with self._lock:
            if self._open:
                self._con.interrupt()

    def close(self) -> None:
        with self._lock:
            self._open = False  # (an interrupt under way holds the lock: it ends first)
        self._con.close()


def connect(temp_dir: Path | None = None):
    import duckdb  # only here: the rest of the program does not need it

    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": THREADS})
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # it would write to the terminal
    if temp_dir is not None:
        temp_dir.mkdir(parents=True, exist_ok=True)
        con.execute("SET temp_directory = ?", [str(temp_dir)])
    return con


def _ident(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _text(column: str) -> str:
    return f"CAST({_ident(column)} AS VARCHAR)"


def _day_sql(column: str) -> str:
    text = _text(column)
    tries = [f"TRY_CAST(LEFT({text}, 10) AS DATE)"]
    tries += [f"CAST(TRY_STRPTIME({text}, '{f}') AS DATE)" for f in DAY_FORMATS]
    return f"date_diff('day', DATE '1970-01-01', COALESCE({', '.join(tries)}))"


def columns_of(con, source: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]


def check_columns(dataset: Dataset, present: list[str], where: str) -> dict[str, tuple[str, ...]]:
    """The role -> columns that the data has; an error naming the columns it lacks."""
    roles = dataset.column_roles()
    have = set(present)
    needed = list(roles["date"])
    if dataset.lanes and not any(c in have for c in roles["actors"]):
        needed += roles["actors"][:1]
    if dataset.countries or any(
        n.startswith("country:") for ns in dataset.lanes.values() for n in ns
    ):
        needed += roles["country"][:1]
    if dataset.types:
        needed += roles["type"][:1]
    lacking = [c for c in needed if c not in have]
    if lacking:
        raise DatasetError(
            f"{where}: not {dataset.kind} data: it lacks the column"
            f"{'s' if len(lacking) > 1 else ''} {', '.join(lacking)}"
            f" (it has {', '.join(present[:12])}{', …' if len(present) > 12 else ''})"
        )
    return {role: tuple(c for c in cols if c in have) for role, cols in roles.items()}


BITS = 62  # lanes per mask column: each row's lanes as the bits of a BIGINT


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A lane's name matches whole words of the actor columns, leaving out what is in parentheses:
# ACLED writes where an unnamed group is in them ("Protesters (Israel)", "Civilians
# (Palestine)"), which is not the state of Israel. Text from a "(" to the next ")" (or to the
# end, if none) is left out, as a space; a name that itself has parentheses is looked for in
# the whole text, so such a group can still be given a lane on purpose.
EDGE = r"[^\pL\pN_]"  # not a letter or digit of any script, nor "_": where a word ends
# What may come before a name outside parentheses: anything but an open "(", or whole
# parenthesised parts (one RE2 pass, no text rewritten: rewriting each row cost 4 s in 2M).
OUTSIDE = r"^(?:[^(]|\([^)]*\))*?(?:^|[^\pL\pN_(]|\([^)]*\))"


def _lower(text: str) -> str:
    """`text` lowered as DuckDB lowers the cells: a character at a time ("İ" is "i", not
    Python's two characters), with a final "ς" as "σ" (DuckDB makes every capital sigma "σ",
    Python a final one "ς"; the cells are folded the same way when a name has a sigma)."""
    return "".join(c.lower()[0] for c in text).replace("ς", "σ")


def _escaped(name: str) -> str:
    """A name as RE2 text: each character that is not a letter or a digit written as its code
    point, so that a name is never read as a pattern."""
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in name)


def _lane_test(names: tuple[str, ...]) -> str:
    tests = []
    bare, whole = [], []  # names looked for outside parentheses, and in the whole text
    for name in names:
        if name.startswith("country:"):
            tests.append(f"__country = {_literal(name.removeprefix('country:').strip())}")
        elif name.strip():
            (whole if "(" in name or ")" in name else bare).append(_lower(name.strip()))
    for group, before in ((bare, OUTSIDE), (whole, f"(?:^|{EDGE})")):
        if not group:
            continue
        # A cheap `contains` first, so most rows never meet the pattern: a name's longest
        # run without spaces is in the text wherever the name is.
        pieces = " OR ".join(f"contains(__who, {_literal(max(n.split(), key=len))})" for n in group)
        pattern = f"{before}(?:{'|'.join(map(_escaped, group))})(?:{EDGE}|$)"
        tests.append(
            f"(CASE WHEN {pieces} THEN regexp_matches(__who, {_literal(pattern)}) ELSE FALSE END)"
        )
    return " OR ".join(tests) or "FALSE"


def summary_sql(dataset: Dataset, source: str, roles: dict[str, tuple[str, ...]]) -> str:
    """One pass over the rows, grouped by day and by the set of lanes a row matches (as
    bits), so that no row is joined or numbered: the groups are days x distinct lane sets."""
    day = _day_sql(roles["date"][0])
    actors = roles["actors"]
    who = f"lower(concat_ws(' | ', {', '.join(map(_text, actors))}))" if actors else "''"
    if any("σ" in _lower(n) for ns in dataset.lanes.values() for n in ns):
        who = f"replace({who}, 'ς', 'σ')"  # as _lower folds the names (only then: it costs)
    country = _text(roles["country"][0]) if roles["country"] else "NULL"
    kind = _text(roles["type"][0]) if roles["type"] else "NULL"
    fatalities = roles["fatalities"]
    fat = f"COALESCE(TRY_CAST({_text(fatalities[0])} AS DOUBLE), 0)" if fatalities else "0"
    names = list(dataset.lanes.values())
    masks = []
    for chunk in range(0, max(len(names), 1), BITS):
        bits = [
            f"CASE WHEN {_lane_test(lane)} THEN {1 << i} ELSE 0 END"
            for i, lane in enumerate(names[chunk : chunk + BITS])
        ]
        masks.append(f"CAST({' + '.join(bits) or '0'} AS BIGINT)")
    rows = ["TRUE"]
    if dataset.countries:
        rows.append(f"{country} IN ({', '.join(map(_literal, dataset.countries))})")
    if dataset.types:
        rows.append(f"{kind} IN ({', '.join(map(_literal, dataset.types))})")
    days = ["TRUE"]
    epoch = "DATE '1970-01-01'"
    if dataset.start:
        days.append(f"__day >= date_diff('day', {epoch}, DATE {_literal(dataset.start)})")
    if dataset.end:
        days.append(f"__day <= date_diff('day', {epoch}, DATE {_literal(dataset.end)})")
    mask_names = [f"mask{i}" for i in range(len(masks))]
    return f"""
        SELECT __day AS day, {", ".join(mask_names)}, count(*) AS n, sum(__fat) AS f
        FROM (
            SELECT __day, __fat, {", ".join(f"{m} AS {n}" for m, n in zip(masks, mask_names, strict=True))}
            FROM (
                SELECT {day} AS __day, {fat} AS __fat, {who} AS __who, {country} AS __country
                FROM {source} WHERE {" AND ".join(rows)}
            ) WHERE __day IS NULL OR ({" AND ".join(days)})
        )
        GROUP BY ALL
    """


def summarise(
    dataset: Dataset, path: Path, temp_dir: Path | None = None, on_connect: Callable | None = None
) -> Summary:
    """Read every row of `path` once, in DuckDB, and return its day grid per lane.
    `on_connect(con)` is told the connection, so that another thread may interrupt it."""
    if not path.exists():
        raise DatasetError(f"{path}: missing (moved or deleted?)")
    source = source_sql(path)
    con = checked_connection(path, on_connect, temp_dir)
    try:
        roles = check_columns(dataset, columns_of(con, source), str(path))
        groups = con.execute(summary_sql(dataset, source, roles)).fetchnumpy()
    except DatasetError:
        raise
    except Exception as e:  # DuckDB's own errors: a broken file, a type it cannot read
        raise DatasetError(f"{path}: {str(e).splitlines()[0]}") from e
    finally:
        con.close()
    return _grid(dataset, groups)


def _grid(dataset: Dataset, groups: dict) -> Summary:
    """The day grid per lane from the groups of (day, lane bits): each group adds to every
    lane whose bit it has, and to NO_LANE when it has none."""
    lanes = (*dataset.lanes, NO_LANE)
    n = np.asarray(groups["n"], np.int64)
    f = np.nan_to_num(np.asarray(groups["f"], np.float64))
    dated = ~np.ma.getmaskarray(groups["day"])
    day = np.ma.getdata(groups["day"]).astype(np.int64)
    rows, undated = int(n.sum()), int(n[~dated].sum())
    n, f, day = n[dated], f[dated], day[dated]
    first = int(day.min()) if len(day) else 0
    width = int(day.max()) - first + 1 if len(day) else 0
    counts = np.zeros((len(lanes), width), np.int32)
    fatalities = np.zeros((len(lanes), width), np.float32)
    matched = np.zeros(len(day), bool)
    for lane in range(len(lanes) - 1):
        bits = np.ma.getdata(groups[f"mask{lane // BITS}"]).astype(np.int64)[dated]
        hit = (bits >> (lane % BITS)) & 1 == 1
        matched |= hit
        np.add.at(counts[lane], day[hit] - first, n[hit])
        np.add.at(fatalities[lane], day[hit] - first, f[hit])
    np.add.at(counts[-1], day[~matched] - first, n[~matched])
    np.add.at(fatalities[-1], day[~matched] - first, f[~matched])
    return Summary(first, lanes, counts, fatalities, rows, undated)


# The cache: a summary is a pure function of the data's bytes and the dataset's query.


def data_signature(path: Path) -> list:
    """Size, time and the hash of the head of each file the dataset reads."""
    files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
    out = []
    for f in files:
        st = f.stat()
        with open(f, "rb") as fh:
            head = hashlib.blake2b(fh.read(HEAD_BYTES), digest_size=16).hexdigest()
        out.append(
            [
                str(f.relative_to(path)) if path.is_dir() else f.name,
                st.st_size,
                st.st_mtime_ns,
                head,
            ]
        )
    return out


def cache_key(dataset: Dataset, path: Path) -> str:
    query = {k: v for k, v in asdict(dataset).items() if k not in ("id", "title", "path")}
    order = list(dataset.lanes)  # the summary's rows follow it; the sorted JSON would not
    text = json.dumps(
        [CACHE_VERSION, query, order, data_signature(path)], sort_keys=True, default=list
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cached_summary(dataset: Dataset, path: Path, cache_dir: Path | None, **kwargs) -> Summary:
    """The summary from the cache when it holds this data and query, else computed and kept.
    A cache file that cannot be read is said on stderr and rebuilt, never trusted. With no
    cache folder (caching turned off) it is computed each time."""
    if not path.exists():
        raise DatasetError(f"{path}: missing (moved or deleted?)")
    if cache_dir is None:
        return summarise(dataset, path, **kwargs)
    key = cache_key(dataset, path)
    file = cache_dir / "context" / f"{key}.npz"
    if file.exists():
        try:
            return _read_cache(file, dataset)
        except Exception as e:
            print(f"demarche: rebuilding the context cache {file}: {e}", file=sys.stderr)
    summary = summarise(dataset, path, temp_dir=cache_dir / "duckdb-spill", **kwargs)
    try:
        _write_cache(file, summary)
    except OSError as e:
        print(f"demarche: cannot keep the context cache {file}: {e}", file=sys.stderr)
    return summary


def _write_cache(file: Path, s: Summary) -> None:
    buf = io.BytesIO()
    np.savez(
        buf,
        first_day=s.first_day,
        lanes=np.array(s.lanes, dtype=str),
        counts=s.counts,
        fatalities=s.fatalities,
        rows=s.rows,
        undated=s.undated,
    )
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(file, buf.getvalue())


def _read_cache(file: Path, dataset: Dataset) -> Summary:
    if file.is_symlink() or not file.is_file():
        raise ValueError("not a regular file")
    with np.load(file, allow_pickle=False) as z:
        lanes = tuple(str(x) for x in z["lanes"])
        counts, fatalities = z["counts"], z["fatalities"]
        if (
            lanes != (*dataset.lanes, NO_LANE)
            or counts.shape != fatalities.shape
            or counts.shape[0] != len(lanes)
        ):
            raise ValueError("it holds another query")
        return Summary(
            int(z["first_day"]),
            lanes,
            counts.astype(np.int32),
            fatalities.astype(np.float32),
            int(z["rows"]),
            int(z["undated"]),
        )
