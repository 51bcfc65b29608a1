"""A lane header dropped on a drop line: the lane goes where the line was drawn, its
parent included, so the screen, the file and undo agree. An actor deleted with its
items moved: no record made to name itself."""

from __future__ import annotations

import pytest

from app.chart.actorlanes import visible_actors
from app.editing import edits
from app.editing.document import Document
from app.records.model import Actor, Project


def nested() -> Document:
    a = [
        ("usa", ""),
        ("biden", "usa"),
        ("cia", "usa"),
        ("burns", "cia"),
        ("qatar", ""),
        ("egypt", ""),
        ("israel", ""),
    ]
    return Document(Project(actors=[Actor(id=i, name=i.title(), parent=p) for i, p in a]))


def shown(doc: Document) -> list[str]:
    return [a.id for a, *_ in visible_actors(doc.project)]


def drop(doc: Document, actor_id: str, above_of: str | None) -> None:
    lanes = shown(doc)
    at = len(lanes) if above_of is None else lanes.index(above_of)
    doc.undo_stack.push(edits.drop_lane(doc, actor_id, lanes, at))


def test_dropped_outside_its_parent_it_leaves_it_for_the_lines_place_in_one_step():
    doc = nested()
    before = shown(doc)
    drop(doc, "burns", "israel")  # the line between Egypt and Israel
    assert shown(doc) == ["usa", "biden", "cia", "qatar", "egypt", "burns", "israel"]
    assert doc.get("actors", "burns").parent == ""
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert shown(doc) == before and doc.get("actors", "burns").parent == "cia"


def test_below_the_last_lane_it_goes_to_the_top_level_last():
    doc = nested()
    drop(doc, "biden", None)
    assert shown(doc)[-1] == "biden" and doc.get("actors", "biden").parent == ""


def test_at_the_end_of_its_parents_block_it_stays_inside_it():
    doc = nested()
    drop(doc, "biden", "qatar")  # the line under Burns, the last of United States' block
    assert shown(doc)[:4] == ["usa", "cia", "burns", "biden"]
    assert doc.get("actors", "biden").parent == "usa"
    doc.undo_stack.undo()
    assert edits.drop_lane(doc, "burns", shown(doc), shown(doc).index("qatar")) is None


def test_a_top_level_lane_dropped_among_nested_ones_joins_them():
    doc = nested()
    drop(doc, "egypt", "cia")  # between Biden and CIA, inside United States
    assert shown(doc)[:4] == ["usa", "biden", "egypt", "cia"]
    assert doc.get("actors", "egypt").parent == "usa"


def test_a_drop_on_its_own_place_changes_nothing():
    doc = nested()
    for at in ("cia", "burns", "qatar"):
        assert edits.drop_lane(doc, "cia", shown(doc), shown(doc).index(at)) is None


def test_a_deleted_actors_items_moved_never_name_their_own_record():
    """Egypt deleted, its items moved to the United States: the US → Egypt demand is
    refused by name (or deleted when asked); the mediator and an event's `with` let go."""
    from app.records.model import Demand, Event
    from app.records.when import parse

    doc = nested()
    day = parse("2023-11-01")
    p = doc.project
    p.demands = [
        Demand(id="d1", from_="usa", to="egypt", text="Open Rafah", raised=day),
        Demand(id="d2", from_="qatar", to="usa", text="Talk", raised=day, via=("egypt",)),
    ]
    p.events = [Event(id="e1", actor="usa", title="Call", when=day, with_=("egypt",))]
    assert [d.id for d in edits.demands_of_itself(doc, "egypt", "usa")] == ["d1"]
    with pytest.raises(edits.RefusedEdit, match=r"of 'usa' on itself \(d1\)"):
        edits.remove_actor(doc, "egypt", "usa")
    doc.undo_stack.push(edits.remove_actor(doc, "egypt", "usa", drop_own=True))
    assert doc.get("demands", "d1") is None and doc.get("demands", "d2").via == ()
    assert doc.get("events", "e1").with_ == ()
    doc.undo_stack.undo()
    assert doc.get("demands", "d1").to == "egypt" and doc.get("demands", "d2").via == ("egypt",)


# ----------------------------------------------------------- what an actor may nest in


def refused(doc: Document, actor_id: str, parent: str) -> bool:
    try:
        edits.set_field(doc, "actors", actor_id, "parent", parent)
    except edits.RefusedEdit:
        return True
    return False


def test_an_actor_may_nest_in_any_lane_but_itself_and_its_own_nested_lanes():
    doc = nested()
    assert edits.possible_parents(doc, ["usa"]) == ["qatar", "egypt", "israel"]
    assert edits.possible_parents(doc, ["cia"]) == ["usa", "biden", "qatar", "egypt", "israel"]
    assert edits.possible_parents(doc, ["cia", "qatar"]) == ["usa", "biden", "egypt", "israel"]
    for a in doc.project.actors:  # what is offered is what the edit takes
        offered = edits.possible_parents(doc, [a.id])
        assert offered == [p.id for p in doc.project.actors if not refused(doc, a.id, p.id)]


def test_no_lane_is_offered_that_would_nest_its_lanes_too_deep():
    """A chain MAX_NESTING deep: a lane with one nested lane fits one level less deep."""
    from app.fileformat.build import MAX_NESTING

    chain = [Actor(id=f"c{i}", name=f"C{i}", parent=f"c{i - 1}" if i else "") for i in range(101)]
    pair = [Actor(id="a", name="A"), Actor(id="b", name="B", parent="a")]
    doc = Document(Project(actors=chain + pair))
    assert MAX_NESTING == 100 and edits.possible_parents(doc, ["b"])[-2:] == ["c99", "a"]
    assert edits.possible_parents(doc, ["a"])[-1] == "c98"
    for actor_id in ("a", "b", "c50"):
        offered = set(edits.possible_parents(doc, [actor_id]))
        assert {p.id for p in doc.project.actors if not refused(doc, actor_id, p.id)} == offered
