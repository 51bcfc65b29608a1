"""Files written by hand or by another tool (any key order, flow or block lists, words and
dates left unquoted) are read by the fast reader of any layout, as PyYAML's located path
reads them; a mistake in one is reported with its file, line and field."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.cli.main import main as demarche
from app.fileformat import projectfile, spec, yamlread
from app.fileformat.anydecode import implicit
from app.fileformat.anyread import read_any
from app.records.model import Project
from tests.app.strategies import plain_texts, projects
from tests.app.test_anyread import pyyaml_reading
from tests.bench.handwritten import hand_written

SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words a person types, none of which PyYAML would read as anything but text.
words = plain_texts.map(lambda t: t + "s" if t and implicit(t) else t)  # "No" becomes "Nos"


def plain_ids(project: Project) -> Project:
    """The project with each id PyYAML would read as something else (`yes`, `0123`), or
    rapidyaml as a number (`1e3`), named anew wherever it is named (the generated ids are
    lower case: no clash with `Id3`)."""
    names: dict[str, str] = {}

    def plain(v: str) -> str:
        if not v or (v[0].isalpha() and implicit(v) is None):
            return v
        return names.setdefault(v, f"Id{len(names)}")

    def renamed(kind: spec.Kind, record):
        changes = {}
        for f in kind.fields:
            v = getattr(record, f.attr)
            if f.type in (spec.ID, spec.REF):
                changes[f.attr] = plain(v)
            elif f.type == spec.REFS:
                changes[f.attr] = tuple(map(plain, v))
            elif f.type in spec.NESTED:
                changes[f.attr] = tuple(renamed(spec.NESTED[f.type], x) for x in v)
        return replace(record, **changes)

    for kind in spec.KINDS:
        setattr(project, kind.name, [renamed(kind, r) for r in getattr(project, kind.name)])
    return project


plain_projects = projects(texts=words).map(plain_ids)

DATE_KEYS = {"when", "raised", "resolved", "published", "from", "to", "zoom"}


def bare_dates(data):
    """Dates as a person leaves them: a day or a year unquoted (PyYAML writes a date and an
    int bare), the rest as PyYAML writes text (plain where that reads back as text)."""
    if isinstance(data, dict):
        return {k: _bare(v) if k in DATE_KEYS else bare_dates(v) for k, v in data.items()}
    if isinstance(data, list):
        return [bare_dates(x) for x in data]
    return data


def _bare(value):
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return date.fromisoformat(value)
    if isinstance(value, str) and re.fullmatch(r"[1-9]\d{3}", value):
        return int(value)
    return value


def shuffled(data, rng: random.Random):
    """Every mapping's keys in another order, as each person writes them."""
    if isinstance(data, dict):
        keys = list(data)
        rng.shuffle(keys)
        return {k: shuffled(data[k], rng) for k in keys}
    if isinstance(data, list):
        return [shuffled(x, rng) for x in data]
    return data


layouts = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, None, True]),
        "indent": st.integers(2, 5),
        "width": st.sampled_from([30, 80, 10_000]),
        "allow_unicode": st.booleans(),
    }
)


@SETTINGS
@given(plain_projects, layouts, st.randoms(use_true_random=False), st.booleans(), st.booleans())
def test_hand_written_layouts_are_read_fast_as_pyyaml_reads_them(
    project, layout, rng, bare, by_bench
):
    canonical = projectfile.dumps(project)
    if by_bench:  # the benchmark's own hand-written layout, made for tags without ", "
        assume(not any(", " in tag for e in project.events for tag in e.tags))
        text = hand_written(canonical)
    else:
        data = yaml.load(canonical, Loader=yaml.CSafeLoader)
        data = shuffled(bare_dates(data) if bare else data, rng)
        text = yaml.safe_dump(data, sort_keys=False, **layout)
    found = read_any(text)
    assert found is not None, text  # the fast reader takes it
    expected = pyyaml_reading(text)
    assert expected is not None
    assert found[0] == expected  # events, demands and every other record, every field
    assert found[0] == project  # and what was written
    # The warnings say the same, at the same lines, either way.
    fast: list = []
    projectfile.loads(text, "p.yaml", fast)
    assert _warnings_by_located_path(text) == [(d.line, d.where, d.message) for d in fast], text


def _warnings_by_located_path(text: str) -> list:
    located = yamlread.read_located(text)
    project, notes = projectfile.build(located.data, [])
    out: list = []
    projectfile._add_warnings(out, notes, "p.yaml", located)
    return [(d.line, d.where, d.message) for d in out]


HAND = """\
demarche: 1
title: Talks
actors:
  - {id: a, name: Side A}
  - id: b
    name: Side B
    hidden: false
sources: [{id: s, title: Wire}]
events:
  - id: e1
    actor: a
    title: First meeting
    when: 2023-11-22
    cites:
      - source: s
        credibility: 2
  - when: 2023-11-24
    title: Second meeting
    id: e2
    actor: b
    with: [a]
demands:
  - {id: d1, from: a, to: b, text: Free them, raised: 2023-11-20, status: open}
"""


def _validate(tmp_path, text: str, capsys) -> tuple[int, list[str], str]:
    path = tmp_path / "talks.yaml"
    path.write_text(text, encoding="utf-8")
    status = demarche(["validate", str(path)])
    return status, capsys.readouterr().out.splitlines(), str(path)


def test_a_valid_hand_written_file_validates_without_the_located_path(
    tmp_path, capsys, monkeypatch
):
    def refused(text):
        raise AssertionError("the located path was taken")

    monkeypatch.setattr(projectfile, "read_located", refused)
    status, out, path = _validate(tmp_path, HAND, capsys)
    assert (status, out) == (0, [f"{path}: ok"])


@pytest.mark.parametrize(
    "old, new, line, col, said",
    [
        # A wrong type: words where a number is wanted, and a list where text is.
        (
            "credibility: 2",
            "credibility: high",
            16,
            22,
            "events[0].cites[0].credibility: credibility is a whole number from 1",
        ),
        ("hidden: false", "hidden: maybe", 7, 13, "actors[1].hidden: expected true or false"),
        ("title: Second meeting", "title: [Second, meeting]", 18, 12, "events[1].title: expected text"),
        # An actor no one declared, in a flow list and as a demand's party.
        ("with: [a]", "with: [a, c]", 21, 15, "events[1].with[1]: unknown actor 'c'"),
        ("to: b,", "to: z,", 23, 27, "demands[0].to: unknown actor 'z'"),
        # A day that does not exist, unquoted.
        ("when: 2023-11-24", "when: 2023-02-30", 17, 11, "events[1].when: '2023-02-30': February 2023 has no day 30"),
        # A key written twice in one event.
        ("    id: e2\n", "    id: e2\n    title: Again\n", 20, 5, "events[1].title: duplicate key 'title' (first at line 18)"),
    ],
)  # fmt: skip
def test_a_mistake_in_a_hand_written_file_names_its_line_and_field(
    tmp_path, capsys, old, new, line, col, said
):
    assert old in HAND
    status, out, path = _validate(tmp_path, HAND.replace(old, new, 1), capsys)
    assert status != 0
    assert out[0].startswith(f"{path}:{line}:{col}: {said}"), out


@pytest.mark.parametrize(
    "old, new, said",
    [
        # `no` is false to PyYAML, text to rapidyaml (a type of false is a mistake)
        (
            "title: First meeting",
            "title: First meeting\n    type: no",
            r":13:11: events\[0\].type: expected text, found true/false",
        ),
        # JSON keeps the last of two equal keys: the fast reader counts the tree's nodes
        (
            "credibility: 2\n",
            "credibility: 2\n        credibility: 3\n",
            r":17:9: events\[0\]\.cites\[0\]\.credibility: duplicate key",
        ),
    ],
    ids=["tricky-plain-value", "key-twice-in-a-citation"],
)
def test_what_the_fast_reader_cannot_vouch_for_is_left_to_the_located_path(old, new, said):
    text = HAND.replace(old, new, 1)
    assert read_any(text) is None  # the fast reader steps aside
    with pytest.raises(projectfile.ProjectFileError, match=said):
        projectfile.loads(text, "p.yaml")


EVERY_KIND = """\
demarche: 1
title: T
actors: [{id: a, name: A}, {id: b, name: B, parent: a, hidden: true}]
events:
- {id: e, actor: a, title: x, when: 2023-11-22T10:00+02:00, responds_to: []}
- {id: f, actor: b, title: y, when: 2023, responds_to: [e], label: shown}
demands:
- id: d
  from: a
  to: b
  text: free
  raised: 2023-11-01
  status: accepted
  resolved: 2023-11-05
  history:
  - {when: 2023-11-02, status: open, note: asked}
  - {when: 2023-11-05, status: accepted}
views:
- {id: v, title: V, actors: [a], status: [open], from: 2023-01, to: 2023-12, min_credibility: 3}
context:
- id: c
  title: ACLED
  path: data.csv
  kind: csv
  columns: [{role: date, columns: [event_date]}]
  match: [{actor: a, names: [Side A]}]
  countries: [Qatar]
  from: 2023
"""


def test_every_kind_written_by_hand_is_read_fast_as_pyyaml_reads_it():
    # The kinds and nested records the generated projects leave out: views, context
    # datasets with their columns and lanes, a demand's history; a bare year, a time.
    found = read_any(EVERY_KIND)
    assert found is not None
    assert found[0] == pyyaml_reading(EVERY_KIND)
    assert found[0].context[0].match[0].names == ("Side A",)
    assert found[0].demands[0].history[1].status == "accepted"
    assert found[0].events[1].when.text == "2023"
