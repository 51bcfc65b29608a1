"""The published JSON Schema agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from app.fileformat import projectfile, schema, spec
from app.fileformat.projectfile import ProjectFileError
from app.records.model import STATUSES
from tests.app.strategies import projects

SCHEMA = json.loads((Path(__file__).parents[2] / "resources" / "demarche.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def record_schema(section: str) -> dict:
    return SCHEMA["properties"][section]["items"]


@pytest.mark.parametrize("kind", spec.KINDS, ids=lambda k: k.name)
def test_the_schema_lists_the_loaders_keys(kind):
    section = kind.name
    assert set(record_schema(section)["properties"]) == set(kind.keys)
    assert record_schema(section)["additionalProperties"] is False


def test_the_committed_schema_is_generated_from_the_spec():
    committed = (Path(__file__).parents[2] / "resources" / "demarche.schema.json").read_text()
    assert committed == schema.text(), "run `make schema` after changing app/spec.py"


def test_the_spec_covers_every_field_of_every_record():
    import dataclasses

    for kind in (*spec.KINDS, *spec.NESTED.values()):
        attrs = {d.name for d in dataclasses.fields(kind.record)}
        assert attrs == {f.attr for f in kind.fields}, kind.name


def test_top_level_and_statuses():
    assert set(SCHEMA["properties"]) == set(spec.TOP_KEYS)
    assert SCHEMA["$defs"]["status"]["enum"] == list(STATUSES)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_every_file_we_write_satisfies_the_schema(project):
    VALIDATOR.validate(yaml.safe_load(projectfile.dumps(project)))


def test_the_bundled_example_satisfies_the_schema():
    path = Path(__file__).parents[2] / "projects" / "hostage-talks-2023.yaml"
    VALIDATOR.validate(yaml.safe_load(path.read_text()))


@pytest.mark.parametrize(
    "change",
    [
        ("actor: hamas", "actr: hamas"),
        ('"2023-10-20"', '"20 Oct 2023"'),
        ("status: open", "status: maybe"),
        ('name: "Hamas"', "name: [1]"),
        ("demarche: 1", "demarche: 2"),
    ],
)
def test_both_refuse_the_same_mistakes(change):
    text = """demarche: 1
title: "T"
actors:
  - id: hamas
    name: "Hamas"
events:
  - id: e1
    actor: hamas
    title: "Release"
    when: "2023-10-20"
demands:
  - id: d1
    from: hamas
    to: hamas
    text: "x"
    raised: "2023-10-20"
    status: open
"""
    VALIDATOR.validate(yaml.safe_load(text))
    projectfile.loads(text)
    bad = text.replace(*change)
    assert not VALIDATOR.is_valid(yaml.safe_load(bad))
    with pytest.raises(ProjectFileError):
        projectfile.loads(bad)
