"""The JSON Schema of the file format, generated from the record spec.

    python -m app.fileformat.schema > resources/demarche.schema.json     (also: make schema)

Editors that read `# yaml-language-server: $schema=…` use it to complete and check files
by hand. A test fails when the committed file differs from what this generates.
"""

from __future__ import annotations

import json
import sys

from app.fileformat import spec
from app.fileformat.build import ID_PATTERN
from app.records.model import FORMAT_VERSION, RELIABILITIES, STATUSES

_DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?[~?%]?"
WHEN_PATTERN = rf"^(?:{_DATE}(?:/(?:{_DATE}|\.\.))?|\.\./{_DATE})$"

_DEFS = {
    "id": {"type": "string", "pattern": f"^{ID_PATTERN.pattern}$"},
    "when": {
        "type": "string",
        "pattern": WHEN_PATTERN,
        "description": "EDTF subset: 2023, 2023-11, 2023-11-22, 2023-11-22T01:00+02:00, "
        "suffix ~ ? or %, intervals A/B with .. for an open end",
        "examples": ["2023-11-22", "2023-11~", "2023-10-27/2023-11-24", "2023-10-07/.."],
    },
    "color": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
    "status": {"enum": list(STATUSES)},
}

_TYPES = {
    spec.ID: {"$ref": "#/$defs/id"},
    spec.REF: {"$ref": "#/$defs/id"},
    spec.REFS: {"type": "array", "items": {"$ref": "#/$defs/id"}},
    spec.NAMES: {"type": "array", "items": {"type": "string"}},
    spec.TEXT: {"type": "string"},
    spec.WHEN: {"$ref": "#/$defs/when"},
    spec.COLOR: {"$ref": "#/$defs/color"},
    spec.FLAG: {"type": "boolean"},
    spec.STATUS: {"$ref": "#/$defs/status"},
    spec.RELIABILITY: {"enum": list(RELIABILITIES)},
    spec.CREDIBILITY: {"type": "integer", "minimum": 1, "maximum": 6},
}


def _field(f: spec.Field) -> dict:
    if f.type in spec.NESTED:
        out = {"type": "array", "items": _record(spec.NESTED[f.type])}
    else:
        out = dict(_TYPES[f.type])
    if f.help:
        out["description"] = f.help
    return out


def _record(kind: spec.Kind) -> dict:
    return {
        "type": "object",
        "description": kind.help,
        "additionalProperties": False,
        "required": list(kind.required),
        "properties": {f.key: _field(f) for f in kind.fields},
    }


def generate() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://demarche.invalid/schema/demarche-{FORMAT_VERSION}.json",
        "title": "Demarche project",
        "description": "A negotiation timeline: actors (lanes), events, demands, phases and sources.",
        "$defs": _DEFS,
        "type": "object",
        "additionalProperties": False,
        "required": list(spec.TOP_REQUIRED),
        "properties": {
            "demarche": {"const": FORMAT_VERSION, "description": "format version"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            **{
                k.name: {"type": "array", "items": _record(k)}
                for k in (*spec.KINDS, spec.CONFLICTS)
            },
        },
    }


def text() -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(text())
