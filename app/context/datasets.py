"""What a context dataset is: where its rows are, which columns say what, and how rows match
lanes. The kinds name the columns of the datasets analysts download."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.records.model import CONTEXT_ROLES

# The columns each kind is read through: a date, the actor columns a lane's names are looked
# for in, the country, the event type and the fatalities. ACLED: its codebook's export; UCDP
# GED: its codebook (deaths as `best`, the event's first day).
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "acled": {
        "date": ("event_date",),
        "actors": ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"),
        "country": ("country",),
        "type": ("event_type",),
        "fatalities": ("fatalities",),
    },
    "ucdp-ged": {
        "date": ("date_start",),
        "actors": ("side_a", "side_b"),
        "country": ("country",),
        "type": ("type_of_violence",),
        "fatalities": ("best",),
    },
}
KIND_TITLES = {"acled": "ACLED export", "ucdp-ged": "UCDP GED"}  # as people call them
ROLES = CONTEXT_ROLES
REQUIRED_ROLES = ("date",)


def guess_kind(columns: list[str]) -> str:
    """The kind whose date and actor columns the data has, else `csv`."""
    have = set(columns)
    for kind, roles in KINDS.items():
        if set(roles["date"]) <= have and roles["actors"][0] in have:
            return kind
    return "csv"


class DatasetError(ValueError):
    """A dataset that cannot be read as its kind says, in words for the person."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Dataset:
    """One entry of a project's `context:` section."""

    id: str
    path: str  # relative to the project file, or absolute; a file or a folder of Parquet
    kind: str = "acled"
    title: str = ""
    # For kind `csv`: role -> column names (`actors` may name several).
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Lane id -> the names a row's actor columns are searched for (any case, as whole words,
    # leaving out what is in parentheses unless the name has some; summary._lane_test);
    # `country:NAME` matches the country column instead.
    lanes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    countries: tuple[str, ...] = ()  # keep only rows of these countries
    types: tuple[str, ...] = ()  # keep only rows of these event types
    start: str | None = None  # ISO days: keep rows on or after / on or before
    end: str | None = None

    def column_roles(self) -> dict[str, tuple[str, ...]]:
        if self.kind == "csv":
            missing = [r for r in REQUIRED_ROLES if not self.columns.get(r)]
            if missing:
                raise DatasetError(f"a csv dataset names its {', '.join(missing)} column")
            return {r: tuple(self.columns.get(r, ())) for r in ROLES}
        if self.kind not in KINDS:
            known = ", ".join([*KINDS, "csv"])
            raise DatasetError(f"unknown kind '{self.kind}' (known: {known})")
        return {**KINDS[self.kind], **{r: tuple(c) for r, c in self.columns.items()}}
