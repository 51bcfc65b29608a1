"""The canonical writer's records (one string each, or pieces; app/fileformat/recordtext.py)
held to a writer of a line a field, each value by the writer's own formatting of its
type: the same text for records of every kind, the example project and drawn projects,
so that files written before and after are byte for byte equal."""

from __future__ import annotations

import os
from dataclasses import replace

from hypothesis import given

from app.fileformat import canonical, projectfile, spec
from app.records.model import FORMAT_VERSION, Project
from app.records.when import parse
from tests.app.strategies import projects

EXAMPLE = "../../projects/hostage-talks-2023.yaml"


def line_by_line(project) -> str:
    """The canonical text as the writer made it before it wrote a record as one string:
    a line a field, each field's value by the writer's own formatting of its type."""
    lines = [project.preamble.rstrip("\n")] if project.preamble else []
    lines += [f"demarche: {FORMAT_VERSION}", f"title: {canonical._quote(project.title)}"]
    if project.description:
        lines.append(f"description: {canonical._quote(project.description)}")

    def record(kind: spec.Kind, r, indent: str) -> None:
        for n, f in enumerate(kind.fields):
            lead = f"{indent}- " if n == 0 else f"{indent}  "
            value = getattr(r, f.attr)
            if not f.written_always and not value:
                continue
            if f.type in spec.NESTED:
                lines.append(f"{lead}{f.key}:")
                for item in value:
                    record(spec.NESTED[f.type], item, indent + "    ")
            else:
                lines.append(f"{lead}{f.key}: {canonical._WRITERS[f.type](value)}")

    for kind in (*spec.KINDS, spec.CONFLICTS):
        records = getattr(project, kind.name)
        if not records:
            if kind.name in spec.ALWAYS_WRITTEN:
                lines.append(f"{kind.name}: []")
            continue
        lines.append(f"{kind.name}:")
        for r in records:
            record(kind, r, "  ")
    return "\n".join(lines) + "\n"


SAMPLES = {
    spec.ID: "x-1",
    spec.REF: "yes",
    spec.REFS: ("a", "no", "b c"),
    spec.NAMES: ("one two", "#x"),
    spec.TEXT: 'a "quote"\n\\ and\tmore\x07 é',
    spec.WHEN: parse("2020-01-02~"),
    spec.COLOR: "#a0b1c2",
    spec.FLAG: True,
    spec.STATUS: "open",
    spec.RELIABILITY: "B",
    spec.CREDIBILITY: 3,
}


def filled(kind: spec.Kind, every: bool):
    """A record of `kind` with every field given a value (`every`), or only those it
    must have (the others as the record leaves them)."""
    values = {}
    for f in kind.fields:
        if f.written_always or every:
            values[f.attr] = (
                (filled(spec.NESTED[f.type], every), filled(spec.NESTED[f.type], not every))
                if f.type in spec.NESTED
                else SAMPLES[f.type]
            )
    return kind.record(**values)


def test_records_of_every_kind_are_written_as_line_by_line():
    project = Project("T", "D", preamble="# kept\n")
    for kind in (*spec.KINDS, spec.CONFLICTS):
        getattr(project, kind.name).extend([filled(kind, True), filled(kind, False)])
    assert canonical.dumps(project) == line_by_line(project)
    assert bytes(canonical.dumps_utf8(project)) == line_by_line(project).encode()
    assert canonical.dumps(Project("")) == line_by_line(Project(""))


def test_the_example_project_is_written_as_line_by_line():
    project = projectfile.load(os.path.join(os.path.dirname(__file__), EXAMPLE))
    for kind in spec.KIND_NAMES:  # as records: a store would copy their text as read
        setattr(project, kind, list(getattr(project, kind)))
    assert canonical.dumps(project) == line_by_line(project)


@given(projects())
def test_projects_are_written_as_line_by_line(project):
    assert canonical.dumps(project) == line_by_line(project)
    assert bytes(canonical.dumps_utf8(project)) == line_by_line(project).encode()


def test_many_records_are_written_in_chunks_alike():
    # Text fields of one byte a character, of Latin-1 and of two (a record's text fields
    # are written apart when they are not all ASCII).
    texts = [("plain", "plain too"), ("Long title…", "ascii"), ("ascii", "é"), ("x", "")]
    events = [
        replace(filled(spec.BY_NAME["events"], n % 3 == 0), title=title, text=text)
        for n in range(canonical.CHUNK * 2 + 7)
        for title, text in [texts[n % 4]]
    ]
    project = Project("many", events=[replace(e, id=f"e{n}") for n, e in enumerate(events)])
    assert bytes(canonical.dumps_utf8(project)) == line_by_line(project).encode()
