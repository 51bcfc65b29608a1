"""The record spec: the file format declared once, and what every surface needs of a field.

Each record kind (sources, actors, phases, events, demands) lists its fields in the order
they are written, with their type, whether they are required, and what they refer to.
The loader's checks (`projectfile`), the canonical writer and the fast reader
(`canonical`), the JSON Schema (`schema`) and the kinds registry all read it.

A field also says, in the user's words, its label and help, how it is edited (`editor`),
its table column and CSV header, and how a cell's text is read and shown (`parse`,
`show`). The inspector's forms (widgets/inspector.py), the tables (widgets/tables.py),
the CSV tables (app/exporters/csvtables.py), the page's field list (`field_list`) and
what the exports and the page's tooltip say of a record (app/exporters/common.py,
`Sayer`) are built from it. Adding a field means adding it here and to its record in
`model`, in the same place (`tests/app/test_spec.py` holds both orders the same).

The module is long because it is the one place where every kind and field is declared;
split, the declarations would scatter again.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.records import vocabulary
from app.records.datewords import edtf
from app.records.model import (
    CONTEXT_KINDS,
    RELIABILITIES,
    STATUSES,
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
from app.records.when import parse

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


# How a field is edited: the inspector's editor and the table's reading of a cell.
LINE = "text"  # one line of text
NOTES = "notes"  # several lines
DATE = "date"
ONE_ACTOR = "actor"
SOME_ACTORS = "actors"
CHOICE = "choice"  # one of `Field.choices`; with `free`, any text too
STATUS_CHOICE = "status"  # a choice that is a dated change (edits.set_status asks when)
CREDIBILITY_CHOICE = "credibility"
CITATIONS = "citations"
HISTORY_ROWS = "history"
COLOUR = "colour"
YES_NO = "yes/no"
WORDS = "words"  # comma-separated names
IDENTIFIER = "id"
LISTED = (
    "listed"  # rows shown, edited where they are made (a dataset's lanes: File ▸ Add Context Data)
)
_EDITORS = {
    ID: IDENTIFIER,
    REF: ONE_ACTOR,
    REFS: SOME_ACTORS,
    TEXT: LINE,
    NAMES: WORDS,
    WHEN: DATE,
    FLAG: YES_NO,
    COLOR: COLOUR,
    STATUS: STATUS_CHOICE,
    RELIABILITY: CHOICE,
    CREDIBILITY: CREDIBILITY_CHOICE,
    CITES: CITATIONS,
    HISTORY: HISTORY_ROWS,
    MATCHES: LISTED,
    COLUMN_ROLES: LISTED,
}

# (value, label, tip) of each choice
Choices = tuple[tuple[str, str, str], ...]
STATUS_CHOICES: Choices = tuple((s, s, "") for s in STATUSES)
RELIABILITY_CHOICES: Choices = (("", "(not graded)", ""),) + tuple(
    (r, f"{r}: {vocabulary.RELIABILITY_NAMES[r]}", "") for r in RELIABILITIES
)
CREDIBILITY_CHOICES: Choices = (("", "(not graded)", ""),) + tuple(
    (str(n), f"{n} – {meaning}", "") for n, meaning in vocabulary.CREDIBILITY_NAMES.items()
)
EVENT_TYPE_CHOICES: Choices = (("", "", ""),) + tuple(
    (name, name, what + (f" (CAMEO {code})" if code else ""))
    for name, (code, what) in vocabulary.EVENT_TYPES.items()
)


@dataclass(frozen=True, slots=True)
class Field:
    key: str  # as written in the file
    attr: str  # on the record
    type: str
    required: bool = False
    ref: str = ""  # the kind a reference points to
    always: bool = False  # written even when empty or default
    help: str = ""  # what it is, in the user's words (the form's and the table's tooltip)
    label: str = ""  # in the form and the table; the key, capitalised, when not given
    editor: str = ""  # how it is edited; from its type when not given
    choices: Choices = ()  # for a CHOICE: (value, label, tip)
    free: bool = False  # a CHOICE that takes any text too
    column: bool = True  # shown in the tables
    csv: str = ""  # the CSV header; the key when not given
    said: bool = True  # in the exports' text and the page's tooltip (not how it is drawn)

    @property
    def written_always(self) -> bool:
        return self.required or self.always

    @property
    def title(self) -> str:
        return self.label or self.key.capitalize()

    @property
    def edited_by(self) -> str:
        return self.editor or _EDITORS[self.type]

    @property
    def header(self) -> str:
        return self.csv or self.key

    def show(self, value) -> str:
        """The value as one line of text (a table cell); references as ids."""
        if value is None or value is False:
            return ""
        if self.type == WHEN:
            return value.text
        if self.type in (REFS, NAMES):
            return ", ".join(value)
        if self.type in NESTED:
            return str(len(value)) if value else ""
        if value is True:
            return "yes"
        return str(value)

    def parse(self, text: str, month_first: bool = False):
        """A cell's text as the field's value; ValueError (or WhenError) saying why not.
        Dates read the forgiving forms of `datewords`; references are ids (the tables
        read names first)."""
        text = text if self.edited_by == NOTES else text.strip()
        if self.type == WHEN:
            if not text.strip():
                if self.required:
                    raise ValueError("a date is needed here")
                return None
            return parse(edtf(text, month_first))
        if self.type in (REFS, NAMES):
            return tuple(x.strip() for x in text.split(",") if x.strip())
        if self.type == FLAG:
            return text.lower() in ("yes", "true", "1", "y", "x")
        if self.type in (STATUS, RELIABILITY) or (self.choices and not self.free):
            options = [c[0] for c in self.choices]
            text = text.upper() if self.type == RELIABILITY else text
            if text not in options:
                raise ValueError(f"'{text}' is not one of {', '.join(o for o in options if o)}")
        if self.type in NESTED:
            raise ValueError(f"{self.title} is edited in the inspector")
        return text


@dataclass(frozen=True, slots=True)
class Kind:
    name: str  # the collection: "events"
    singular: str  # "event"
    record: type
    fields: tuple[Field, ...]
    help: str = ""
    named_by: str = ""  # the field a record is named after (first in its form)
    listed_by: tuple[str, ...] = ()  # the keys a table shows first (a table sorts by the first)

    def form(self) -> tuple[Field, ...]:
        """The fields in the inspector's order: the one it is named after, the others in
        the spec's order, the id last (few people need it)."""
        first = [f for f in self.fields if f.key == self.named_by]
        rest = [f for f in self.fields if f not in first and f.type != ID]
        return (*first, *rest, *(f for f in self.fields if f.type == ID))

    def columns(self) -> tuple[Field, ...]:
        """The fields a table shows, in its order: `listed_by`, then the form's order."""
        shown = [f for f in self.form() if f.column]
        first = [f for key in self.listed_by for f in shown if f.key == key]
        return (*first, *(f for f in shown if f not in first))

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
        Field("source", "source", REF, required=True, ref="sources", label="Source"),
        Field(
            "credibility",
            "credibility",
            CREDIBILITY,
            help="How far the source bears this out (Admiralty code): 1 confirmed .. 6 cannot be judged",
            choices=CREDIBILITY_CHOICES,
        ),
        Field("quote", "quote", TEXT, help="the words of the source"),
    ),
    "A citation of a source",
    "source",
)

STATUS_CHANGE = Kind(
    "history",
    "status change",
    StatusChange,
    (
        Field("when", "when", WHEN, required=True, help="the day the status changed"),
        Field("status", "status", STATUS, required=True, choices=STATUS_CHOICES),
        Field("note", "note", TEXT, help="what happened, and where it is said"),
    ),
    "A dated status change",
    "when",
)

SOURCES = Kind(
    "sources",
    "source",
    Source,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("publisher", "publisher", TEXT),
        Field("url", "url", TEXT, label="URL"),
        Field("published", "published", WHEN, help="when the source was published"),
        Field(
            "reliability",
            "reliability",
            RELIABILITY,
            help="How reliable the source is (Admiralty code): A completely reliable .. F cannot be judged",
            choices=RELIABILITY_CHOICES,
        ),
    ),
    "A source",
    "title",
)

ACTORS = Kind(
    "actors",
    "actor",
    Actor,
    (
        _id(),
        Field("name", "name", TEXT, required=True),
        Field("color", "color", COLOR, label="Colour", help="its lane's colour"),
        Field("kind", "kind", TEXT, help="a state, person, agency or group"),
        Field(
            "parent",
            "parent",
            REF,
            ref="actors",
            label="Inside",
            help="the actor whose lane this one nests in",
        ),
        Field("hidden", "hidden", FLAG, help="its lane is not shown"),
        Field("collapsed", "collapsed", FLAG, column=False, help="its nested lanes are folded in"),
    ),
    "An actor: one swimlane",
    "name",
)

PHASES = Kind(
    "phases",
    "phase",
    Phase,
    (
        _id(),
        Field("title", "title", TEXT, required=True),
        Field("when", "when", WHEN, required=True, csv="edtf"),
        Field("color", "color", COLOR, label="Colour"),
    ),
    "A background band",
    "title",
    ("when", "title"),
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
        Field("when", "when", WHEN, required=True, csv="edtf"),
        Field(
            "type",
            "type",
            TEXT,
            editor=CHOICE,
            choices=EVENT_TYPE_CHOICES,
            free=True,
            help="what kind of event (CAMEO and PLOVER's words, or your own)",
        ),
        Field("text", "text", TEXT, label="Notes", editor=NOTES, column=False),
        Field("cites", "cites", CITES, label="Sources", csv="sources"),
        Field("tags", "tags", NAMES, help="comma, separated"),
        Field(
            "label",
            "label",
            TEXT,
            editor=CHOICE,
            choices=(
                ("", "where there is room", ""),
                ("shown", "always", ""),
                ("hidden", "never", ""),
            ),
            label="Title on chart",
            column=False,
            said=False,
            help="its title always or never on the chart (else where it fits); exports list it",
        ),
        Field(
            "responds_to",
            "responds_to",
            REFS,
            ref="events",
            editor=WORDS,
            label="Answers",
            column=False,
            help="the ids of the earlier events it answers (or Alt+drag from one mark to it)",
        ),
    ),
    "Something that happened, on its actor's lane",
    "title",
    ("when", "title"),
)

DEMANDS = Kind(
    "demands",
    "demand",
    Demand,
    (
        _id(),
        Field("from", "from_", REF, required=True, ref="actors", help="who demands"),
        Field("to", "to", REF, required=True, ref="actors", help="of whom"),
        Field("via", "via", REFS, ref="actors", help="mediators"),
        Field("text", "text", TEXT, required=True, label="Demand"),
        Field(
            "label",
            "label",
            TEXT,
            said=False,  # the exports' headline, the chart's words: not said again
            help="a few words for the chart (else the text)",
        ),
        Field("offer", "offer", TEXT, help="what is offered in exchange"),
        Field("raised", "raised", WHEN, required=True, help="when it was first made"),
        Field("status", "status", STATUS, always=True, choices=STATUS_CHOICES),
        Field("resolved", "resolved", WHEN, help="when it was settled (its last status change)"),
        Field("history", "history", HISTORY, column=False, help="each dated status change"),
        Field("cites", "cites", CITES, label="Sources", csv="sources"),
    ),
    "Who demands what of whom",
    "text",
    ("raised", "from", "to"),
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
    named_by="title",
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
        Field(
            "kind",
            "kind",
            TEXT,
            always=True,
            editor=CHOICE,
            choices=tuple((k, k, "") for k in CONTEXT_KINDS),
            help="acled, ucdp-ged or csv (with its columns named)",
        ),
        Field("columns", "columns", COLUMN_ROLES, help="for csv: which column is which"),
        Field("match", "match", MATCHES, help="which rows go to which lane"),
        Field("countries", "countries", NAMES),
        Field("types", "types", NAMES),
        Field("from", "from_", WHEN),
        Field("to", "to", WHEN),
    ),
    "Conflict data beside the talks, kept outside the file",
    named_by="title",
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


def field_list(kind_name: str) -> list[dict]:
    """What a surface outside Python (the web page's script) needs of each field of a kind,
    as plain data: key, label, help, editor and whether it is required, in form order."""
    return [
        {
            "key": f.key,
            "label": f.title,
            "help": f.help,
            "editor": f.edited_by,
            "required": f.required,
        }
        for f in BY_NAME[kind_name].form()
    ]


TOP_KEYS = ("demarche", "title", "description", *KIND_NAMES, "conflicts")
TOP_REQUIRED = ("demarche", "title")
ALWAYS_WRITTEN = ("actors", "events")  # written as "name: []" when empty
