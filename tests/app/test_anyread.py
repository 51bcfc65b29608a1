"""A project in any YAML layout is read by rapidyaml as PyYAML reads it: the same project,
or the fast reader steps aside (None) and the full path decides."""

from __future__ import annotations

import re
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.fileformat import projectfile
from app.fileformat.anyread import read_any
from app.fileformat.build import build
from app.fileformat.yamlread import YamlProblem, read_located
from tests.app.strategies import plain_texts, projects
from tests.examples import examples

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATE_KEYS = {"when", "raised", "resolved", "published"}


def pyyaml_reading(text: str):
    """The project the full path builds, or None where it finds any problem."""
    try:
        located = read_located(text)
    except YamlProblem:
        return None
    problems: list = []
    project, _ = build(located.data, problems)
    if problems or located.problems:
        return None
    project.preamble = projectfile.LEADING_COMMENTS.match(text).group()
    return project


def unquoted_dates(data):
    """Plain dates where a person would leave them unquoted: PyYAML then writes them bare."""
    if isinstance(data, dict):
        return {
            k: date.fromisoformat(v)
            if k in DATE_KEYS and isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v)
            else unquoted_dates(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [unquoted_dates(x) for x in data]
    return data


layouts = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, None, True]),
        "indent": st.integers(2, 6),
        "width": st.sampled_from([40, 80, 10_000]),
        "sort_keys": st.booleans(),
        "allow_unicode": st.booleans(),
        "explicit_start": st.just(False),
    }
)


# Mostly text a person would type, so that most examples take the fast reader (any text
# at all is the business of the next test and of the round-trip tests).
@SETTINGS
@given(projects(texts=plain_texts) | projects(), layouts, st.booleans())
def test_any_layout_reads_as_pyyaml_reads_it(project, layout, bare_dates):
    data = yaml.load(projectfile.dumps(project), Loader=yaml.CSafeLoader)
    if bare_dates:
        data = unquoted_dates(data)
    text = yaml.safe_dump(data, **layout)
    found = read_any(text)
    if found is not None:
        assert found[0] == pyyaml_reading(text)


# Scalars YAML 1.1 (PyYAML) and YAML 1.2 (rapidyaml) may read differently when plain.
TRICKY = [
    "yes", "No", "on", "~", "null", "Null", "", "0x1F", "0o17", "07", "1e3", "1_000", "-.5",
    ".inf", "1:20", "2023", "2023-11-22", "2023-11-22 01:00", "2023-11-22T01:00:00Z",
    "2023-1-5", "2023-02-30", "3", "3.0", "true", "=", "2023-11", "2023-11-22~", "a: b",
]  # fmt: skip
FIELDS = ["title", "when", "type", "actor", "tags", "credibility"]


@settings(max_examples=examples(300), deadline=None)
@given(
    st.sampled_from(FIELDS),
    st.sampled_from(TRICKY),
    st.sampled_from(["{v}", '"{v}"', "'{v}'", "[{v}]", "['{v}']"]),
)
def test_plain_scalars_are_read_as_pyyaml_reads_them_or_left_to_it(field, value, form):
    written = form.format(v=value)
    lines = {
        "title": "'Talks'",
        "when": "2023-11-22",
        "actor": "a",
        "credibility": None,
        "tags": None,
        "type": None,
    }
    lines[field] = written
    cite = "\n    cites: [{source: s, credibility: " + str(lines["credibility"]) + "}]"
    text = (
        "demarche: 1\ntitle: T\nsources:\n- id: s\n  title: S\nactors:\n- {id: a, name: A}\n"
        f"events:\n  - id: e\n    actor: {lines['actor']}\n    title: {lines['title']}\n"
        f"    when: {lines['when']}"
        + (f"\n    type: {lines['type']}" if lines["type"] is not None else "")
        + (f"\n    tags: {lines['tags']}" if lines["tags"] is not None else "")
        + (cite if lines["credibility"] is not None else "")
        + "\n"
    )
    found = read_any(text)
    if found is not None:
        assert found[0] == pyyaml_reading(text)


HAND_WRITTEN = """\
# Talks, written by hand
demarche: 1
title: Talks
actors:
    -   id: a
        name: Side A   # a comment
    - {id: b, name: 'Side B'}
sources: [{id: s, title: Wire, published: 2023-10-01}]
events:
    -   id: e1
        actor: a
        with: [b]
        title: First meeting
        when: 2023-11-22
        cites: [{source: s, credibility: 2}]
        tags: [talks, 'first']
    -   id: e2
        actor: b
        with: [b]
        title: >-
            A folded
            title
        when: 2023-11-20/2023-11-24
"""


def test_a_hand_written_file_is_read_fast_with_located_warnings(tmp_path):
    found = read_any(HAND_WRITTEN)
    assert found is not None
    assert found[0] == pyyaml_reading(HAND_WRITTEN)
    assert found[0].events[1].title == "A folded title"
    path = tmp_path / "talks.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    warnings: list = []
    projectfile.load(path, warnings)
    assert [str(w) for w in warnings] == [
        f"{path}:19:15: warning: events[1].with: 'b' is the event's own actor"
    ]


def test_a_hand_written_file_with_a_problem_is_reported_with_its_place(tmp_path):
    path = tmp_path / "talks.yaml"
    path.write_text(HAND_WRITTEN.replace("actor: b\n", "actor: c\n"), encoding="utf-8")
    try:
        projectfile.load(path)
    except projectfile.ProjectFileError as exc:
        assert str(exc).startswith(f"{path}:18:16: events[1].actor: unknown actor 'c'")
    else:
        raise AssertionError("an unknown actor was accepted")


def test_anchors_and_duplicate_keys_are_left_to_the_full_path():
    assert read_any(HAND_WRITTEN.replace("name: Side A", "name: &n Side A")) is None
    assert read_any(HAND_WRITTEN.replace("title: Talks", "title: Talks\ntitle: Again")) is None
