"""The document model: plain records, one per concept of the file format.

Records are frozen: an edit replaces a record with a changed copy (`dataclasses.replace`),
which makes undo a matter of putting the old record back. They are made with keywords
only, and declare their fields in the order of the record spec (app/fileformat/spec.py),
which `tests/app/test_spec.py` holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.records.when import When

FORMAT_VERSION = 1
STATUSES = ("open", "accepted", "rejected", "withdrawn", "partial")
RELIABILITIES = ("A", "B", "C", "D", "E", "F")


@dataclass(slots=True, frozen=True, kw_only=True)
class Source:
    id: str
    title: str
    publisher: str = ""
    url: str = ""
    published: When | None = None
    reliability: str = ""  # Admiralty code: A (completely reliable) .. F (cannot be judged)


# The lane colours given in turn to actors made without one, by the importers and the
# chart (Tango palette: distinct and printable). Here, not in app.chart: no Qt to import.
LANE_COLORS = (
    "#3465a4",
    "#cc0000",
    "#4e9a06",
    "#75507b",
    "#c17d11",
    "#f57900",
    "#06989a",
    "#5c3566",
    "#8f5902",
    "#204a87",
)


@dataclass(slots=True, frozen=True, kw_only=True)
class Actor:
    id: str
    name: str
    color: str = ""
    kind: str = ""
    parent: str = ""
    hidden: bool = False
    collapsed: bool = False


@dataclass(slots=True, frozen=True, kw_only=True)
class Phase:
    id: str
    title: str
    when: When
    color: str = ""

    @property
    def dated(self) -> bool:
        """Whether it has a start or an end, and so a place on the chart."""
        return self.when.lo is not None or self.when.hi is not None


@dataclass(slots=True, frozen=True, kw_only=True)
class Cite:
    source: str
    credibility: int | None = None  # Admiralty code: 1 (confirmed) .. 6 (cannot be judged)
    quote: str = ""


@dataclass(slots=True, frozen=True, kw_only=True)
class Event:
    id: str
    actor: str
    with_: tuple[str, ...] = ()
    title: str
    when: When
    type: str = ""
    text: str = ""
    cites: tuple[Cite, ...] = ()
    tags: tuple[str, ...] = ()
    label: str = ""  # "shown" or "hidden": its title pinned on or off the chart
    responds_to: tuple[str, ...] = ()  # the earlier events this one answers


@dataclass(slots=True, frozen=True, kw_only=True)
class StatusChange:
    when: When
    status: str
    note: str = ""


@dataclass(slots=True, frozen=True, kw_only=True)
class Demand:
    id: str
    from_: str
    to: str
    via: tuple[str, ...] = ()
    text: str
    label: str = ""  # a few words for the chart; the text stands in when empty
    offer: str = ""
    raised: When
    status: str = "open"
    resolved: When | None = None
    history: tuple[StatusChange, ...] = ()
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class View:
    """A saved view: what the chart, tables and exports show (app/records/filter.py), and
    the span it opens at."""

    id: str
    title: str
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()  # event types or CAMEO classes
    tags: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    text: str = ""
    from_: When | None = None
    to: When | None = None
    min_credibility: int | None = None
    zoom: When | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LaneMatch:
    """The names a context dataset's rows are matched to one lane by (`country:NAME`
    matches the country column)."""

    actor: str
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnRole:
    """For a dataset of kind `csv`: which columns play a role (date, actors, ...)."""

    role: str
    columns: tuple[str, ...] = ()


CONTEXT_KINDS = ("acled", "ucdp-ged", "csv")
CONTEXT_ROLES = ("date", "actors", "country", "type", "fatalities")


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextData:
    """Conflict data kept outside the project (app/context), drawn as strips under lanes."""

    id: str
    title: str
    path: str  # relative to the project file, or absolute
    kind: str = "acled"
    columns: tuple[ColumnRole, ...] = ()
    match: tuple[LaneMatch, ...] = ()
    countries: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    from_: When | None = None
    to: When | None = None


@dataclass(slots=True, frozen=True, kw_only=True)
class Conflict:
    """A difference a three-way merge could not settle, kept until a person chooses. The
    values are JSON text of the field as written in each version ("" when absent)."""

    kind: str  # "events", ..., or "project" for the title and description
    id: str  # the record's id ("" for the project)
    field: str  # the key in the file, or "" when the whole record differs
    base: str = ""
    ours: str = ""
    theirs: str = ""


@dataclass(slots=True)
class Project:
    title: str = ""
    description: str = ""
    sources: list[Source] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    context: list[ContextData] = field(default_factory=list)
    preamble: str = ""  # comment lines before the first key, kept as written (e.g. a schema hint)
    conflicts: list[Conflict] = field(default_factory=list)  # left by a merge, until resolved

    def size(self) -> int:
        """Its events and demands: what the work on it grows with (the thresholds of the
        window's threads and waits are counted in them)."""
        return len(self.events) + len(self.demands)

    def actor_ids(self) -> set[str]:
        return {a.id for a in self.actors}

    def all_ids(self) -> set[str]:
        kinds = (
            self.sources,
            self.actors,
            self.phases,
            self.events,
            self.demands,
            self.views,
            self.context,
        )
        # A store (app/records/recordstore.py) gives its ids from its columns: no record made.
        return set().union(*(r.ids() if hasattr(r, "ids") else [x.id for x in r] for r in kinds))
