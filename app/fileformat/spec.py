"""The record spec: the file format declared once.

Each record kind (sources, actors, phases, events, demands) lists its fields in the order
they are written, with their type, whether they are required, and what they refer to.
The loader's checks (`projectfile`), the canonical writer and the fast reader
(`canonical`), the JSON Schema (`schema`) and the kinds registry all read it. Adding a
field means adding it here and to its record in `model`.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.records.model import (
    Actor,
    Cite,
    ColumnRole,
    Conflict,
    ContextData,
    Demand,
    Event,
    LaneMatch,
    Phase,
    Source,
    StatusChange,
    View,
)

# Field types. A reference ("ref", "refs") names the kind it points to in `Field.ref`.
ID = "id"  # the record's own id, unique across the project
REF = "ref"  # the id of another record
REFS = "refs"  # a list of ids of other records
TEXT = "text"
NAMES = "names"  # a list of short texts (tags)
WHEN = "when"  # an EDTF date or interval
FLAG = "flag"  # true or false, written only when true
COLOR = "color"  # "#rrggbb"
STATUS = "status"  # one of model.STATUSES
RELIABILITY = "reliability"  # Admiralty code, A..F
CREDIBILITY = "credibility"  # Admiralty code, 1..6
CITES = "cites"  # a list of Cite records
HISTORY = "history"  # a list of StatusChange records
MATCHES = "matches"  # a list of LaneMatch records
COLUMN_ROLES = "column roles"  # a list of ColumnRole records


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # as written in the file
    attr: str  # on the record
    type: str
    required: bool = False
    ref: str = ""  # the kind a reference points to
    always: bool = False  # written even when empty or default
    help: str = ""

    @property
    def written_always(self) -> bool:
        return self.required or self.always


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # the collection: "events"
    singular: str  # "event"
    record: type
    fields: tuple[Field, ...]
    help: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    def field(self, attr: str) -> Field:
        return next(f for f in self.fields if f.attr == attr)


def _id() -> Field:
    return Field("id", "id", ID, required=True)


CITE = Kind(
    "cites",
    "citation",
    Cite,
    (
        Field("source", "source", REF, required=True, ref="sources"),
        Field("credibility", "credibility", CREDIBILITY, help="1 confirmed .. 6 cannot be judged"),
        Field("quote", "quote", TEXT),
    ),
    "A citation of a source",
)

STATUS_CHANGE = Kind(
    "history",
    "status change",
    StatusChange,
    (
        Field("when", "when", WHEN, required=True),
        Field("status", "status", STATUS, required=True),
        Field("note", "note", TEXT),
    ),
    "A dated status change",
)

SOURCES = Kind(
    "sources",
    "source",
    Source,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("publisher", "publisher", TEXT),
        Field("url", "url", TEXT),
        Field("published", "published", WHEN),
        Field(
            "reliability",
            "reliability",
            RELIABILITY,
            help="A completely reliable .. F cannot be judged",
        ),
    ),
    "A source",
)

ACTORS = Kind(
    "actors",
    "actor",
    Actor,
    (
        _id(),
        Field("name", "name", TEXT, required=True),
        Field("color", "color", COLOR),
        Field("kind", "kind", TEXT),
        Field("parent", "parent", REF, ref="actors", help="the actor whose lane this one nests in"),
        Field("hidden", "hidden", FLAG),
        Field("collapsed", "collapsed", FLAG),
    ),
    "An actor: one swimlane",
)

PHASES = Kind(
    "phases",
    "phase",
    Phase,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("when", "when", WHEN, required=True),
        Field("color", "color", COLOR),
    ),
    "A background band",
)

EVENTS = Kind(
    "events",
    "event",
    Event,
    (
        _id(),
        Field("actor", "actor", REF, required=True, ref="actors", help="the lane it sits on"),
        Field("with", "with_", REFS, ref="actors", help="other actors involved"),
        Field("title", "title", TEXT, required=True),
        Field("when", "when", WHEN, required=True),
        Field("type", "type", TEXT),
        Field("text", "text", TEXT),
        Field("cites", "cites", CITES),
        Field("tags", "tags", NAMES),
        Field(
            "label",
            "label",
            TEXT,
            help="shown or hidden: its title always or never on the chart (else where it fits)",
        ),
        Field("responds_to", "responds_to", REFS, ref="events", help="the events it answers"),
    ),
    "Something that happened, on its actor's lane",
)

DEMANDS = Kind(
    "demands",
    "demand",
    Demand,
    (
        _id(),
        Field("from", "from_", REF, required=True, ref="actors"),
        Field("to", "to", REF, required=True, ref="actors"),
        Field("via", "via", REFS, ref="actors", help="mediators"),
        Field("text", "text", TEXT, required=True),
        Field("label", "label", TEXT, help="a few words for the chart (else the text)"),
        Field("offer", "offer", TEXT, help="what is offered in exchange"),
        Field("raised", "raised", WHEN, required=True),
        Field("status", "status", STATUS, always=True),
        Field("resolved", "resolved", WHEN),
        Field("history", "history", HISTORY),
        Field("cites", "cites", CITES),
    ),
    "Who demands what of whom",
)

VIEWS = Kind(
    "views",
    "view",
    View,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("actors", "actors", REFS, ref="actors", help="their lanes, nested ones included"),
        Field("types", "types", NAMES, help="event types or CAMEO classes"),
        Field("tags", "tags", NAMES),
        Field("status", "status", NAMES, help="demands with these statuses"),
        Field("text", "text", TEXT, help="words in the title or text"),
        Field("from", "from_", WHEN),
        Field("to", "to", WHEN),
        Field(
            "min_credibility", "min_credibility", CREDIBILITY, help="sources at least this credible"
        ),
        Field("zoom", "zoom", WHEN, help="the span the view opens at"),
    ),
    "A saved view: what is shown",
)

LANE_MATCH = Kind(
    "match",
    "lane match",
    LaneMatch,
    (
        Field("actor", "actor", REF, required=True, ref="actors"),
        Field("names", "names", NAMES, help="names looked for in the actor columns"),
    ),
    "The names that match a dataset's rows to a lane",
)

COLUMN_ROLE = Kind(
    "columns",
    "column role",
    ColumnRole,
    (
        Field("role", "role", TEXT, required=True),
        Field("columns", "columns", NAMES),
    ),
    "Which columns play a role",
)

CONTEXT = Kind(
    "context",
    "context dataset",
    ContextData,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("path", "path", TEXT, required=True, help="relative to the project file"),
        Field("kind", "kind", TEXT, always=True, help="acled, ucdp-ged or csv"),
        Field("columns", "columns", COLUMN_ROLES, help="for csv: which column is which"),
        Field("match", "match", MATCHES, help="which rows go to which lane"),
        Field("countries", "countries", NAMES),
        Field("types", "types", NAMES),
        Field("from", "from_", WHEN),
        Field("to", "to", WHEN),
    ),
    "Conflict data beside the talks, kept outside the file",
)

# In the order they are read and written: a kind refers only to kinds before it, or to itself.
KINDS: tuple[Kind, ...] = (SOURCES, ACTORS, PHASES, EVENTS, DEMANDS, VIEWS, CONTEXT)
BY_NAME: dict[str, Kind] = {k.name: k for k in KINDS}
KIND_NAMES: tuple[str, ...] = tuple(k.name for k in KINDS)
NESTED: dict[str, Kind] = {
    CITES: CITE,
    HISTORY: STATUS_CHANGE,
    MATCHES: LANE_MATCH,
    COLUMN_ROLES: COLUMN_ROLE,
}

# What a merge could not settle (app/merge.py): written last, until each is resolved.
CONFLICTS = Kind(
    "conflicts",
    "conflict",
    Conflict,
    (
        Field("kind", "kind", TEXT, required=True),
        Field("id", "id", TEXT, always=True),
        Field("field", "field", TEXT, always=True),
        Field("base", "base", TEXT, always=True, help="JSON of the value before either change"),
        Field("ours", "ours", TEXT, always=True, help="JSON of our value, kept meanwhile"),
        Field("theirs", "theirs", TEXT, always=True, help="JSON of their value"),
    ),
    "A difference a merge could not settle",
)

TOP_KEYS = ("demarche", "title", "description", *KIND_NAMES, "conflicts")
TOP_REQUIRED = ("demarche", "title")
ALWAYS_WRITTEN = ("actors", "events")  # written as "name: []" when empty
