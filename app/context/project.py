"""A project's `context:` section read: each dataset's file found beside the project, its
summary from the cache or DuckDB, and what could not be read said in words (a missing file is
a warning, not an error: the project still opens and the strip says "missing")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.chart.context import STRIP_COLORS, ContextLayer
from app.context.datasets import Dataset, DatasetError
from app.context.strips import Strips
from app.context.summary import Summary, cached_summary
from app.fileformat import parsecache
from app.records.model import ColumnRole, ContextData, Project


def cache_dir() -> Path | None:
    """The cache folder the parse cache uses (DEMARCHE_CACHE_DIR; "" turns caching off)."""
    folder = parsecache.cache_dir()
    return Path(folder) if folder else None


def dataset_of(record: ContextData) -> Dataset:
    return Dataset(
        id=record.id,
        path=record.path,
        kind=record.kind,
        title=record.title,
        columns={c.role: c.columns for c in record.columns},
        lanes=_lanes(record),
        countries=record.countries,
        types=record.types,
        start=_day(record.from_.lo) if record.from_ and record.from_.lo is not None else None,
        end=_day(record.to.hi - 1) if record.to and record.to.hi is not None else None,
    )


def _lanes(record: ContextData) -> dict[str, tuple[str, ...]]:
    """Lane -> names; a lane named twice under `match:` takes the names of both."""
    lanes: dict[str, tuple[str, ...]] = {}
    for m in record.match:
        lanes[m.actor] = lanes.get(m.actor, ()) + m.names
    return lanes


def _day(seconds: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC).date().isoformat()


def data_path(record: ContextData, project_path: str | os.PathLike | None) -> Path:
    path = Path(os.path.expanduser(record.path))
    if not path.is_absolute() and project_path is not None:
        path = Path(os.path.dirname(os.path.abspath(project_path))) / path
    return path


@dataclass
class Loaded:
    record: ContextData
    path: Path
    summary: Summary | None = None
    problem: str = ""  # why there is no summary: "missing", or the reader's words
    gone: bool = False  # the file is not where the project says: moved, renamed or deleted

    @property
    def missing(self) -> bool:
        return self.summary is None


def load(
    project: Project, project_path, cache: Path | None = None, step=None, **kwargs
) -> list[Loaded]:
    """Every dataset of the project, summarised (from the cache when it can be).
    `step(done, total)` is called before each dataset and after the last: the editor's
    reading says which it is at there, and stops there once Stop interrupted DuckDB
    (whose interrupt is otherwise said as the dataset's problem)."""
    out = []
    for k, record in enumerate(project.context):
        if step is not None:
            step(k, len(project.context))
        path = data_path(record, project_path)
        loaded = Loaded(record, path)
        if not path.exists():
            loaded.problem = f"missing: {path} (moved or deleted?)"
            loaded.gone = True
        else:
            try:
                loaded.summary = cached_summary(
                    dataset_of(record), path, cache or cache_dir(), **kwargs
                )
            except DatasetError as e:
                loaded.problem = str(e)
        out.append(loaded)
    if step is not None:
        step(len(out), len(out))
    return out


def layers(
    project: Project, project_path, cache: Path | None = None, first: int = 0
) -> list[ContextLayer]:
    """What the chart draws of the project's datasets: a strip layer for each, "missing"
    for one that cannot be read (the problem is in `Loaded.problem`). Their colours start
    at the `first` (a compared project's after the datasets of the one it is compared with:
    with one legend, both first datasets were plum)."""
    loaded = load(project, project_path, cache)
    return [layer_of(x, k) for k, x in enumerate(loaded, start=first)]


def compared_layers(projects: list[Project], paths: list) -> list[list[ContextLayer]]:
    """`layers` of projects drawn on one axis, the colours running on from one to the next."""
    out, first = [], 0
    for project, path in zip(projects, paths, strict=True):
        out.append(layers(project, path, first=first))
        first += len(project.context)
    return out


def layer_of(loaded: Loaded, place: int) -> ContextLayer:
    """The strips of the project's dataset at `place` (which gives its colour)."""
    color = STRIP_COLORS[place % len(STRIP_COLORS)]
    if loaded.summary is None:  # it cannot be read: a hatched strip under its lanes
        lanes = (*(m.actor for m in loaded.record.match), "")
        counts = np.zeros((len(lanes), 0), np.int32)
        empty = Summary(0, lanes, counts, np.zeros((len(lanes), 0), np.float32), 0, 0)
        return ContextLayer(loaded.record.title, Strips(empty), color, missing=True)
    return ContextLayer(loaded.record.title, Strips(loaded.summary), color)


def column_roles(columns: dict[str, tuple[str, ...]]) -> tuple[ColumnRole, ...]:
    return tuple(ColumnRole(role=r, columns=tuple(c)) for r, c in columns.items() if c)
