"""The file's newer sections: saved views, links between events (`responds_to`) and context
datasets: written canonically, read back alike by the fast and the full reader, and every
mistake a located error."""

from __future__ import annotations

import dataclasses

import pytest

from app.fileformat import fastread, projectfile
from app.fileformat.projectfile import ProjectFileError
from app.records.model import ColumnRole, ContextData, LaneMatch, View
from app.records.when import parse

GOOD = """demarche: 1
title: "T"
actors:
  - id: hamas
    name: "Hamas"
  - id: israel
    name: "Israel"
events:
  - id: strike
    actor: israel
    title: "Strike"
    when: "2023-10-20"
    type: "assault"
  - id: suspension
    actor: hamas
    title: "Talks suspended"
    when: "2023-10-21"
    responds_to: [strike]
views:
  - id: violence
    title: "Violence"
    actors: [israel]
    types: ["material conflict", assault]
    status: [open]
    from: "2023-10-01"
    to: "2023-11-30"
    min_credibility: 3
    zoom: "2023-10-15/2023-11-05"
context:
  - id: acled
    title: "ACLED"
    path: "data/acled.parquet"
    kind: acled
    match:
      - actor: hamas
        names: ["Hamas"]
      - actor: israel
        names: ["Military Forces of Israel", "country:Israel"]
    countries: [Israel, Palestine]
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(ProjectFileError) as info:
        projectfile.loads(text, "f.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_the_sections_load_and_save_canonically_and_the_fast_reader_agrees():
    p = projectfile.loads(GOOD)
    assert p.events[1].responds_to == ("strike",)
    assert p.views == [
        View(
            id="violence",
            title="Violence",
            actors=("israel",),
            types=("material conflict", "assault"),
            status=("open",),
            from_=parse("2023-10-01"),
            to=parse("2023-11-30"),
            min_credibility=3,
            zoom=parse("2023-10-15/2023-11-05"),
        )
    ]
    assert p.context == [
        ContextData(
            id="acled",
            title="ACLED",
            path="data/acled.parquet",
            kind="acled",
            match=(
                LaneMatch(actor="hamas", names=("Hamas",)),
                LaneMatch(actor="israel", names=("Military Forces of Israel", "country:Israel")),
            ),
            countries=("Israel", "Palestine"),
        )
    ]
    text = projectfile.dumps(p)
    assert fastread.read_fast(text) == p  # the fast path reads what it wrote
    assert projectfile.loads(text) == p
    assert projectfile.dumps(projectfile.loads(text)) == text


def test_a_csv_dataset_names_its_columns():
    p = projectfile.loads(GOOD)
    mine = ContextData(
        id="mine",
        title="Mine",
        path="/data/x.csv",
        kind="csv",
        columns=(
            ColumnRole(role="date", columns=("Day",)),
            ColumnRole(role="actors", columns=("Who", "Whom")),
        ),
    )
    p.context.append(mine)
    assert projectfile.loads(projectfile.dumps(p)).context[1] == mine


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "responds_to: [strike]",
            "responds_to: [suspension]",
            "f.yaml:18:19: events[1].responds_to[0]: an event cannot answer itself",
        ),
        (
            "responds_to: [strike]",
            "responds_to: [strik]",
            "events[1].responds_to[0]: unknown event 'strik' (did you mean 'strike'?)",
        ),
        (
            "actors: [israel]",
            "actors: [isreal]",
            "views[0].actors[0]: unknown actor 'isreal' (did you mean 'israel'?)",
        ),
        ("status: [open]", "status: [opened]", "views[0].status[0]: unknown status 'opened'"),
        (
            "min_credibility: 3",
            "min_credibility: 9",
            "views[0].min_credibility: credibility is a whole number from 1",
        ),
        (
            '    zoom: "2023-10-15/2023-11-05"',
            '    zoom: "2023-10-15/2023-11-05"\n    colour: red',
            "f.yaml:29:5: views[0].colour: unknown key 'colour'",
        ),
        ('to: "2023-11-30"', 'to: "2023-09-30"', "views[0].to: the view ends"),
        (
            "kind: acled",
            "kind: acld",
            "context[0].kind: unknown kind 'acld' (did you mean 'acled'?)",
        ),
        (
            "      - actor: hamas",
            "      - actor: hams",
            "context[0].match[0].actor: unknown actor 'hams'",
        ),
        (
            "kind: acled",
            "kind: csv",
            "context[0].columns: a dataset of kind csv names its date column",
        ),
        ('    path: "data/acled.parquet"\n', "", "context[0]: missing required key 'path'"),
    ],
)
def test_each_mistake_is_a_located_error(old, new, expected):
    assert old in GOOD
    errors = errors_of(GOOD.replace(old, new, 1))
    assert any(expected in e for e in errors), errors


def test_a_view_whose_type_no_event_has_any_longer_opens_with_a_warning():
    """The type may have been an event's own, since retyped: the file must still open."""
    warnings = []
    p = projectfile.loads(
        GOOD.replace('types: ["material conflict", assault]', "types: [asault]"), "f.yaml", warnings
    )
    assert p.views[0].types == ("asault",)
    assert any(
        "views[0].types[0]: 'asault' is neither a type of an event nor a CAMEO class"
        " (did you mean 'assault'?)" in str(w)
        for w in warnings
    ), warnings


def test_a_type_used_by_an_event_is_known_to_views():
    text = GOOD.replace('type: "assault"', 'type: "drone strike"').replace(
        'types: ["material conflict", assault]', 'types: ["drone strike"]'
    )
    assert projectfile.loads(text).views[0].types == ("drone strike",)


def test_a_loop_of_answers_is_allowed_but_said():
    text = GOOD.replace('    type: "assault"', '    type: "assault"\n    responds_to: [suspension]')
    warnings = []
    p = projectfile.loads(text, "f.yaml", warnings)
    assert p.events[0].responds_to == ("suspension",)
    said = [str(w) for w in warnings if "loop" in str(w)]
    assert (
        len(said) == 1
        and "strike → suspension → strike" in said[0]
        or "suspension → strike → suspension" in said[0]
    ), said


def test_an_answer_to_an_event_that_comes_after_it_is_said():
    """The strike (20 Oct) answering the suspension (21 Oct): a link likely drawn the wrong
    way round. Said at the link, not refused; the suspension answering the strike is not."""
    text = GOOD.replace("    responds_to: [strike]\n", "").replace(
        '    type: "assault"', '    type: "assault"\n    responds_to: [suspension]'
    )
    warnings = []
    p = projectfile.loads(text, "f.yaml", warnings)
    assert p.events[0].responds_to == ("suspension",)
    said = [str(w) for w in warnings if "comes after" in str(w)]
    assert len(said) == 1 and "events[0].responds_to[0]: answers 'suspension'" in said[0]
    warnings = []
    projectfile.loads(GOOD, "f.yaml", warnings)
    assert not [w for w in warnings if "comes after" in str(w)]


def test_records_without_the_new_fields_are_written_as_before():
    p = projectfile.loads(GOOD)
    bare = dataclasses.replace(p, views=[], context=[])
    text = projectfile.dumps(bare)
    assert "views:" not in text and "context:" not in text


def test_views_links_and_context_merge_by_meaning():
    from app.team import diff
    from app.team.merge import merge

    base = projectfile.loads(GOOD)
    ours = projectfile.loads(GOOD)
    theirs = projectfile.loads(GOOD)
    ours.views.append(View(id="ours", title="Ours", tags=("hostages",)))
    theirs.views[0] = dataclasses.replace(theirs.views[0], title="Violence, all of it")
    theirs.events[0] = dataclasses.replace(theirs.events[0], responds_to=())
    ours.events[0] = dataclasses.replace(ours.events[0], title="Air strike")
    ours.events[1] = dataclasses.replace(ours.events[1], responds_to=("strike",))
    merged = merge(base, ours, theirs)
    assert not merged.conflicts
    assert [v.id for v in merged.views] == ["violence", "ours"]
    assert merged.views[0].title == "Violence, all of it"
    assert (merged.events[0].title, merged.events[1].responds_to) == ("Air strike", ("strike",))
    assert projectfile.loads(projectfile.dumps(merged)) == merged
    assert any("view ours" in line for line in diff.as_text(diff.changes(base, ours)).splitlines())


def test_a_lane_deleted_on_one_side_stays_while_a_dataset_matches_it():
    from app.team.merge import merge

    base = projectfile.loads(GOOD)
    ours = projectfile.loads(GOOD)
    hamas = LaneMatch(actor="hamas", names=("Hamas", "Qassam Brigades"))
    ours.context[0] = dataclasses.replace(
        ours.context[0], match=(hamas, *ours.context[0].match[1:])
    )
    theirs = projectfile.loads(GOOD.replace("    responds_to: [strike]\n", ""))
    # They delete Hamas's lane, its event and its match; ours adds a name to that match.
    theirs.actors = [a for a in theirs.actors if a.id != "hamas"]
    theirs.events = [e for e in theirs.events if e.actor != "hamas"]
    theirs.context[0] = dataclasses.replace(theirs.context[0], match=theirs.context[0].match[1:])
    merged = merge(base, ours, theirs)
    assert "hamas" in {a.id for a in merged.actors}  # kept, and said
    assert any(c.id == "hamas" for c in merged.conflicts)
    projectfile.loads(projectfile.dumps(merged))  # a file that still loads


def test_deleting_what_a_link_view_or_dataset_points_at_lets_go_of_it_in_one_step():
    from app.editing import edits
    from app.editing.document import Document

    doc = Document(
        projectfile.loads(
            GOOD.replace("    responds_to: [strike]\n", "    responds_to: [strike]\n    with: []\n")
        )
    )
    doc.undo_stack.push(edits.delete(doc, ["strike"]))
    assert doc.get("events", "suspension").responds_to == ()
    projectfile.loads(projectfile.dumps(doc.project))  # still a valid file
    doc.undo_stack.undo()
    assert doc.get("events", "suspension").responds_to == ("strike",)
    # Israel's lane: its event goes first (in use), then the actor itself.
    doc.undo_stack.push(edits.delete(doc, ["strike"]))
    doc.undo_stack.push(edits.remove_actor(doc, "israel"))
    assert doc.get("views", "violence") is None  # its only actor went: the view too
    assert [m.actor for m in doc.get("context", "acled").match] == ["hamas"]
    projectfile.loads(projectfile.dumps(doc.project))
    doc.undo_stack.undo()
    assert doc.get("views", "violence").actors == ("israel",)
    assert [m.actor for m in doc.get("context", "acled").match] == ["hamas", "israel"]
    doc.undo_stack.push(edits.delete(doc, ["violence", "acled"]))  # views and datasets too
    assert doc.project.views == [] and doc.project.context == []


def test_the_document_announces_changes_to_every_kind_of_the_spec():
    from app.editing.document import Document
    from app.fileformat import spec

    assert all(hasattr(Document, f"{kind}Changed") for kind in spec.KIND_NAMES)


def test_a_link_typed_by_hand_must_name_another_event():
    from app.editing import edits
    from app.editing.document import Document

    doc = Document(projectfile.loads(GOOD))
    with pytest.raises(edits.RefusedEdit, match="no event 'strik'"):
        edits.set_field(doc, "events", "suspension", "responds_to", ("strik",))
    with pytest.raises(edits.RefusedEdit, match="cannot answer itself"):
        edits.set_field(doc, "events", "suspension", "responds_to", ("suspension",))
    with pytest.raises(edits.RefusedEdit, match="no actor 'nobody'"):
        edits.set_field(doc, "views", "violence", "actors", ("nobody",))
    doc.undo_stack.push(edits.set_field(doc, "events", "strike", "responds_to", ("suspension",)))
    assert doc.get("events", "strike").responds_to == ("suspension",)  # a loop: allowed


def test_a_view_whose_only_actor_goes_goes_too_rather_than_showing_everything():
    from app.editing import edits
    from app.editing.document import Document

    doc = Document(projectfile.loads(GOOD))
    doc.undo_stack.push(edits.delete(doc, ["strike"]))
    doc.undo_stack.push(edits.remove_actor(doc, "israel"))  # the view "violence" named only Israel
    assert doc.project.views == []
    doc.undo_stack.undo()
    assert [v.actors for v in doc.project.views] == [("israel",)]
