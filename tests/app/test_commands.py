from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.editing import commands as c
from app.editing import conflictedits, edits
from app.editing.document import Document
from app.records.model import Actor, Event, Project, StatusChange
from app.records.when import parse
from tests.app.strategies import projects


def test_add_update_remove_undo(small_project):
    doc = Document(copy.deepcopy(small_project))
    seen = []
    doc.eventsChanged.connect(seen.append)
    new = Event(id="new", actor="israel", title="New event", when=parse("2023-11-01"))
    doc.undo_stack.push(c.AddRecord(doc, "events", new))
    assert doc.get("events", "new") == new and seen == [["new"]]
    doc.undo_stack.push(c.UpdateRecord(doc, "events", replace(new, title="Renamed")))
    assert doc.get("events", "new").title == "Renamed"
    assert doc.undo_stack.undoText() == "Edit event 'New event'"
    doc.undo_stack.push(c.RemoveRecord(doc, "events", "new"))
    assert doc.get("events", "new") is None
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.project == small_project


def test_each_move_of_one_event_is_its_own_step(small_project):
    """A drag pushes one move when it ends: two drags of one event are two undo steps."""
    doc = Document(copy.deepcopy(small_project))
    for days in (1, 2, 3):
        doc.undo_stack.push(c.MoveEvent(doc, "release", parse(f"2023-10-2{days}")))
    doc.undo_stack.push(c.MoveEvent(doc, "release", parse("2023-10-24"), actor="israel"))
    assert doc.undo_stack.count() == 4
    assert doc.undo_stack.undoText() == "Move 'Hamas releases two women'"
    assert doc.get("events", "release").actor == "israel"
    doc.undo_stack.undo()
    assert doc.get("events", "release").when.text == "2023-10-23"
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.project == small_project


def test_typing_in_one_field_merges(small_project):
    doc = Document(copy.deepcopy(small_project))
    e = doc.get("events", "release")
    for title in ("H", "Ha", "Ham"):
        doc.undo_stack.push(c.UpdateRecord(doc, "events", replace(e, title=title), field="title"))
    doc.undo_stack.push(
        c.UpdateRecord(doc, "events", replace(doc.get("events", "release"), type="x"), field="type")
    )
    assert doc.undo_stack.count() == 2


def test_removing_a_used_actor_is_refused(small_project):
    doc = Document(copy.deepcopy(small_project))
    with pytest.raises(c.RefusedEdit, match="still used by"):
        c.remove_actor(doc, "hamas")


def test_removing_an_actor_with_reassignment_is_one_step(small_project):
    doc = Document(copy.deepcopy(small_project))
    doc.undo_stack.push(c.remove_actor(doc, "usa", reassign_to="israel"))
    assert doc.get("actors", "usa") is None
    assert doc.get("events", "release").with_ == ("israel",)
    assert doc.get("demands", "drones").via == ()  # Israel is asked: it mediates no more
    assert doc.get("actors", "cia").parent == "israel"
    doc.undo_stack.undo()
    assert doc.project == small_project


def test_a_lane_handed_to_one_inside_it_never_makes_a_loop():
    west, usa = Actor(id="west", name="West"), Actor(id="usa", name="US", parent="west")
    cia, station = (
        Actor(id="cia", name="CIA", parent="usa"),
        Actor(id="station", name="Station", parent="cia"),
    )
    talks = Event(id="talks", actor="usa", title="Talks", when=parse("2023-11-01"))
    doc = Document(Project(actors=[west, usa, cia, station], events=[talks]))
    doc.undo_stack.push(c.remove_actor(doc, "usa", reassign_to="station"))
    parents = {a.id: a.parent for a in doc.project.actors}
    assert parents == {"west": "", "cia": "west", "station": "cia"}  # CIA up a level


def test_removing_a_cited_source_is_refused(small_project):
    doc = Document(copy.deepcopy(small_project))
    with pytest.raises(c.RefusedEdit, match="still cited"):
        c.RemoveRecord(doc, "sources", "wsj")


def test_reorder_and_status(small_project):
    doc = Document(copy.deepcopy(small_project))
    doc.undo_stack.push(c.ReorderActors(doc, ["israel", "hamas", "usa", "cia"]))
    assert [a.id for a in doc.project.actors] == ["israel", "hamas", "usa", "cia"]
    doc.undo_stack.push(edits.set_status(doc, "drones", "withdrawn", parse("2023-11-25")))
    d = doc.get("demands", "drones")
    assert (d.status, d.resolved.text, d.history[-1].status) == (
        "withdrawn",
        "2023-11-25",
        "withdrawn",
    )
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert doc.project == small_project


def test_clean_state_follows_the_undo_stack(small_project, tmp_path):
    doc = Document(copy.deepcopy(small_project))
    assert not doc.modified
    doc.undo_stack.push(c.SetTitle(doc, "New"))
    assert doc.modified
    doc.save(str(tmp_path / "x.yaml"))
    assert not doc.modified
    doc.undo_stack.undo()
    assert doc.modified


# ---- any sequence of commands, fully undone, restores the project

operations = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "move", "update", "remove", "reorder", "status", "title", "remove_actor"]
            + ["delete_many", "duplicate", "paste", "shift", "move_lane"]
        ),
        st.integers(0, 1000),
        st.integers(-400, 400),
    ),
    max_size=12,
)


DAY = parse("2024-01-01")  # a status change's day (before some demands were raised)


def apply(doc: Document, op: str, n: int, delta: int) -> None:
    def push(cmd) -> None:  # an edit with nothing to do is None
        if cmd is not None:
            doc.undo_stack.push(cmd)

    p = doc.project
    actors = [a.id for a in p.actors]
    if op == "add":
        doc.undo_stack.push(
            c.AddRecord(
                doc,
                "events",
                Event(
                    id=doc.new_id("ev"),
                    actor=actors[n % len(actors)],
                    title="t",
                    when=parse("2023-01-01"),
                ),
                n % (len(p.events) + 1),
            )
        )
    elif op in ("move", "update", "remove") and p.events:
        e = p.events[n % len(p.events)]
        if op == "move":
            try:
                when = e.when.shifted(delta * 86400.0)
            except ValueError:
                return
            doc.undo_stack.push(c.MoveEvent(doc, e.id, when, actors[n % len(actors)]))
        elif op == "update":
            doc.undo_stack.push(
                c.UpdateRecord(doc, "events", replace(e, title=e.title + "!"), field="title")
            )
        else:
            doc.undo_stack.push(c.RemoveRecord(doc, "events", e.id))
    elif op == "reorder":
        doc.undo_stack.push(
            c.ReorderActors(doc, actors[n % len(actors) :] + actors[: n % len(actors)])
        )
    elif op == "status" and p.demands:
        try:
            cmd = edits.set_status(doc, p.demands[n % len(p.demands)].id, "partial", DAY)
        except c.RefusedEdit as exc:  # a day before the demand was raised: nothing changes
            assert "before raised" in str(exc)
            return
        push(cmd)
    elif op in ("delete_many", "duplicate", "shift") and (p.events or p.demands):
        records = [*p.events, *p.demands]
        ids = {r.id for r in records[n % len(records) :: 1 + abs(delta) % 3]}
        if op == "delete_many":
            push(edits.delete(doc, ids))
        elif op == "duplicate":
            push(edits.duplicate(doc, ids)[0])
        else:
            push(edits.shift_events(doc, ids, delta * 3600.0))
    elif op == "paste" and p.events:
        push(edits.paste_events(doc, p.events[n % len(p.events) :][:3])[0])
    elif op == "move_lane":
        before = actors[(n + delta) % len(actors)] if delta % 4 else None
        push(edits.move_lane(doc, actors[n % len(actors)], before))
    elif op == "title":
        doc.undo_stack.push(c.SetTitle(doc, f"title {n}"))
    elif op == "remove_actor" and len(actors) > 1:
        victim, heir = actors[n % len(actors)], actors[(n + 1) % len(actors)]
        doc.undo_stack.push(c.remove_actor(doc, victim, reassign_to=heir, drop_own=True))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), operations)
def test_any_sequence_of_commands_fully_undone_restores_the_project(project, ops):
    original = copy.deepcopy(project)
    doc = Document(project)
    for op in ops:
        apply(doc, *op)
        assert_citations_known(doc)
    after = copy.deepcopy(doc.project)
    while doc.undo_stack.canUndo():
        doc.undo_stack.undo()
        assert_citations_known(doc)
    assert doc.project == original
    while doc.undo_stack.canRedo():
        doc.undo_stack.redo()
    assert doc.project == after
    assert_citations_known(doc)


def assert_citations_known(doc: Document) -> None:
    """Who cites each source, and how many events stand on each lane, as the document
    keeps them between edits, are a fresh look."""
    for source in doc.project.sources:
        citing = [
            r.id
            for r in (*doc.project.events, *doc.project.demands)
            if any(c.source == source.id for c in r.cites)
        ]
        assert doc.uses.of_source(source.id) == citing
    for actor in doc.project.actors:
        assert doc.uses.events_on(actor.id) == sum(e.actor == actor.id for e in doc.project.events)


def test_renaming_an_id_updates_every_reference_in_one_step(small_project):
    doc = Document(copy.deepcopy(small_project))
    doc.undo_stack.push(edits.rename_id(doc, "hamas", "hamas-movement"))
    p = doc.project
    assert doc.get("actors", "hamas-movement") and doc.get("actors", "hamas") is None
    assert p.events[0].actor == "hamas-movement" and p.demands[0].from_ == "hamas-movement"
    doc.undo_stack.push(edits.rename_id(doc, "wsj", "wsj-2023"))
    assert p.events[0].cites[0].source == "wsj-2023"
    doc.undo_stack.push(edits.rename_id(doc, "usa", "us"))
    assert doc.get("actors", "cia").parent == "us" and p.events[0].with_ == ("us",)
    assert p.demands[0].via == ("us",)
    assert doc.undo_stack.count() == 3
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.project == small_project
    with pytest.raises(c.RefusedEdit, match="already used"):
        edits.rename_id(doc, "hamas", "israel")
    with pytest.raises(c.RefusedEdit, match="not a valid id"):
        edits.rename_id(doc, "hamas", "two words")


def test_a_new_record_is_named_after_its_title_and_actors_keep_their_colours(small_project):
    doc = Document(copy.deepcopy(small_project))
    e = edits.add_event_at(doc, "hamas", parse("1978-09-05"))
    doc.undo_stack.push(edits.add(doc, "events", e))
    doc.undo_stack.push(
        c.UpdateRecord(
            doc, "events", replace(doc.get("events", e.id), title="Sadat arrives at Camp David")
        )
    )
    doc.undo_stack.push(edits.name_after_title(doc, e.id))
    assert doc.get("events", "sadat-arrives-at-camp-david")
    assert edits.name_after_title(doc, "sadat-arrives-at-camp-david") is None  # named already
    from app.records.model import Actor

    colours = {a.id: a.color for a in doc.project.actors}
    doc.undo_stack.push(edits.add(doc, "actors", Actor(id="egypt", name="Egypt")))
    doc.undo_stack.push(
        edits.add(doc, "actors", Actor(id="sadat", name="Sadat", parent="egypt"), 5)
    )
    egypt = doc.get("actors", "egypt")
    assert egypt.color and doc.get("actors", "sadat").color == egypt.color
    assert egypt.color.lower() not in {v.lower() for v in colours.values() if v}
    assert all(doc.get("actors", k).color == v for k, v in colours.items())


def test_a_new_records_title_and_the_id_taken_from_it_are_one_step(small_project):
    """Typing a new event's title, then leaving the field, names the event after it: one
    Undo takes back both, as the person did one thing."""
    doc = Document(copy.deepcopy(small_project))
    e = edits.add_event_at(doc, "hamas", parse("1978-09-05"))
    doc.undo_stack.push(edits.add(doc, "events", e))
    steps = doc.undo_stack.count()
    for typed in ("Sadat", "Sadat arrives"):
        doc.undo_stack.push(edits.set_fields(doc, "events", [e.id], "title", typed, typing=True))
    doc.undo_stack.push(edits.name_after_title(doc, e.id))
    assert doc.get("events", "sadat-arrives").title == "Sadat arrives"
    assert doc.undo_stack.count() == steps + 1
    doc.undo_stack.undo()
    assert doc.get("events", e.id) == e and doc.get("events", "sadat-arrives") is None
    doc.undo_stack.redo()
    assert doc.get("events", "sadat-arrives").title == "Sadat arrives"
    assert doc.get("events", e.id) is None
    # the next edit of the title is a step of its own, under the new id
    doc.undo_stack.push(
        edits.set_fields(doc, "events", ["sadat-arrives"], "title", "Sadat lands", typing=True)
    )
    assert doc.undo_stack.count() == steps + 2
    doc.undo_stack.undo()
    assert doc.get("events", "sadat-arrives").title == "Sadat arrives"
    # A new id after typing in another field (its notes) is a step of its own
    other = edits.add_event_at(doc, "hamas", parse("1978-09-06"))
    doc.undo_stack.push(edits.add(doc, "events", other))
    doc.undo_stack.push(edits.set_fields(doc, "events", [other.id], "title", "Begin", typing=True))
    doc.undo_stack.push(edits.set_fields(doc, "events", [other.id], "text", "Notes", typing=True))
    before = doc.undo_stack.count()
    doc.undo_stack.push(edits.name_after_title(doc, other.id))
    assert doc.undo_stack.count() == before + 1 and doc.get("events", "begin").text == "Notes"
    doc.undo_stack.undo()  # the rename alone: the notes stay
    assert doc.get("events", other.id).text == "Notes"


def test_a_status_change_is_dated_by_the_caller_never_today(small_project):
    doc = Document(copy.deepcopy(small_project))
    with pytest.raises(TypeError):
        edits.set_status(doc, "drones", "withdrawn")  # the date is required
    with pytest.raises(ValueError, match="needs its date"):
        edits.set_field(doc, "demands", "drones", "status", "withdrawn")
    assert not hasattr(edits, "today")


def test_the_likely_date_of_a_status_change(small_project):
    doc = Document(copy.deepcopy(small_project))
    # no event of hamas, israel or usa after it was raised: the day it was raised
    assert edits.likely_status_date(doc, "drones").text == "2023-11-20~"
    # the pointer's day wins
    assert edits.likely_status_date(doc, "drones", parse("2023-12-03").lo + 3600).text == (
        "2023-12-03"
    )
    for event in (
        Event(id="a", actor="israel", title="A", when=parse("2023-11-22/2023-11-24")),
        Event(id="b", actor="cia", title="B", when=parse("2023-11-29")),  # not a party
        Event(id="c", actor="cia", title="C", when=parse("2023-11-19"), with_=("hamas",)),
    ):
        doc.undo_stack.push(edits.add(doc, "events", event))
    # the last event of its parties after it was raised, at its end
    assert edits.likely_status_date(doc, "drones").text == "2023-11-24"


def test_a_status_or_history_dated_before_the_demand_was_raised_is_refused(small_project):
    """Resolved before raised makes a file that does not open: the edit is refused, and
    the pointer's day before it was raised is not proposed."""
    doc = Document(copy.deepcopy(small_project))
    status = doc.get("demands", "drones").status
    before = parse("2023-11-01")
    with pytest.raises(c.RefusedEdit, match="before raised"):
        edits.set_status(doc, "drones", "rejected", before)
    change = StatusChange(when=before, status="withdrawn")
    with pytest.raises(c.RefusedEdit, match="before raised"):
        edits.set_history(doc, "drones", (change,))
    assert doc.get("demands", "drones").status == status
    assert edits.likely_status_date(doc, "drones", before.lo + 3600).text == "2023-11-20~"


def test_taking_their_status_in_a_conflict_is_a_dated_change(small_project):
    from app.records.model import Conflict

    doc = Document(copy.deepcopy(small_project))
    doc.undo_stack.push(
        c.SetConflicts(
            doc,
            [
                Conflict(
                    kind="demands",
                    id="drones",
                    field="status",
                    ours='"accepted"',
                    theirs='"rejected"',
                )
            ],
            "conflict",
        )
    )
    assert conflictedits.conflict_status_date(doc, 0) == (True, None)  # the person is asked
    with pytest.raises(ValueError, match="needs the date"):
        conflictedits.resolve_conflict(doc, 0, "theirs")
    doc.undo_stack.push(conflictedits.resolve_conflict(doc, 0, "theirs", parse("2023-11-26")))
    d = doc.get("demands", "drones")
    assert (d.status, d.resolved.text, d.history[-1].when.text) == (
        "rejected",
        "2023-11-26",
        "2023-11-26",
    )
    assert not doc.project.conflicts


def test_an_actor_cannot_be_put_inside_itself_or_its_own_nested_lane(tmp_path):
    """The file would not open again ("nested inside itself"), so the edit is refused."""
    from app.fileformat import projectfile

    doc = Document(
        Project(
            actors=[
                Actor(id="a", name="A"),
                Actor(id="b", name="B", parent="a"),
                Actor(id="x", name="X"),
            ]
        )
    )
    for parent in ("a", "b"):
        with pytest.raises(c.RefusedEdit, match="inside itself"):
            edits.set_field(doc, "actors", "a", "parent", parent)
    doc.undo_stack.push(edits.set_field(doc, "actors", "a", "parent", "x"))
    projectfile.save(doc.project, str(tmp_path / "t.yaml"))
    assert projectfile.load(str(tmp_path / "t.yaml")).actors[0].parent == "x"


def test_a_field_edit_that_would_make_the_file_fail_to_open_is_refused():
    """What the file's own checks refuse (a view ending before it starts, a demand resolved
    before it was raised) is refused as an edit, with the same words."""
    from app.records.model import Demand, View

    doc = Document(
        Project(
            actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
            demands=[Demand(id="d", from_="a", to="b", text="T", raised=parse("2023-10-10"))],
            views=[View(id="v", title="V", from_=parse("2023-10-10"))],
        )
    )
    with pytest.raises(c.RefusedEdit, match="the view ends"):
        edits.set_field(doc, "views", "v", "to", parse("2023-10-01"))
    with pytest.raises(c.RefusedEdit, match="comes before raised"):
        edits.set_field(doc, "demands", "d", "resolved", parse("2023-10-01"))
    assert edits.set_field(doc, "views", "v", "to", parse("2023-10-20")) is not None


def test_an_import_adds_what_the_project_lacks_after_the_last_as_one_step(small_project):
    doc = Document(copy.deepcopy(small_project))
    merged = copy.deepcopy(small_project)
    merged.actors.append(Actor(id="egypt", name="Egypt"))
    merged.events[:0] = [Event(id="cairo", actor="egypt", title="Cairo", when=parse("2023-11-26"))]
    merged.events.append(Event(id="later", actor="hamas", title="Later", when=parse("2023-11-28")))
    cmd = edits.add_imported(doc, merged)
    assert cmd.text() == "Import 3 records"
    doc.undo_stack.push(cmd)
    assert [a.id for a in doc.project.actors][-1] == "egypt"
    old = [e.id for e in small_project.events]
    assert [e.id for e in doc.project.events] == [*old, "cairo", "later"]  # the files' order
    assert edits.add_imported(doc, merged) is None  # nothing left to add
    doc.undo_stack.undo()
    assert doc.project == small_project


def test_a_snapshot_keeps_the_project_as_it_was_when_taken(small_project):
    doc = Document(copy.deepcopy(small_project))
    snapshot = doc.snapshot()
    doc.undo_stack.push(edits.set_field(doc, "events", "release", "title", "Edited"))
    doc.undo_stack.push(edits.delete(doc, ["talks"]))
    doc.undo_stack.push(edits.move_lanes(doc, ["israel"], "usa"))
    assert snapshot == small_project  # what an export on another thread still sees
    assert doc.project != small_project


@pytest.mark.parametrize(
    ("start", "end"),
    [("../2023-11-20", "2023-12-01"), ("2023-11-20", "2023-12-01/.."), ("../2023-11-20", "")],
)
def test_a_context_filters_open_ended_days_are_taken_or_refused_in_words(start, end):
    from app.records.model import ContextData

    doc = Document(Project(context=[ContextData(id="acled", title="ACLED", path="a.csv")]))
    try:
        command = edits.set_context_filters(doc, "acled", (), (), start, end)
    except edits.RefusedEdit:
        return  # said in words: the dialog shows it
    doc.undo_stack.push(command)
    record = doc.get("context", "acled")
    assert (record.from_.text, record.to.text if record.to else "") == (start, end)


def test_of_two_events_on_one_day_the_second_chosen_answers_the_first(small_project):
    """The two were ordered by id, whichever way the user dragged or chose them."""
    for first, second in (("a-day", "z-day"), ("z-day", "a-day")):
        doc = Document(copy.deepcopy(small_project))
        for event_id in (first, second):
            same_day = Event(id=event_id, actor="hamas", title=event_id, when=parse("2023-11-01"))
            doc.undo_stack.push(edits.add(doc, "events", same_day))
        assert edits.link_words(doc, first, second) == f"Link '{second}' as an answer to '{first}'"
        doc.undo_stack.push(edits.toggle_link(doc, first, second))
        assert doc.get("events", second).responds_to == (first,)
        assert doc.get("events", first).responds_to == ()
        doc.undo_stack.push(edits.toggle_link(doc, second, first))  # either way round: unlinked
        assert doc.get("events", second).responds_to == ()


def test_a_step_of_many_edits_tells_each_kind_once_with_every_record(small_project):
    """A command of many edits (a field set on 2,000 events) told each apart, and each
    view worked out each alone: 12 s. Told once, at its end, the views see the end."""
    from app.editing import edits

    doc = Document(copy.deepcopy(small_project))
    told = []
    doc.eventsChanged.connect(lambda ids: told.append(("events", ids, doc.get("events", ids[0]))))
    doc.demandsChanged.connect(lambda ids: told.append(("demands", ids, None)))
    every = [e.id for e in doc.project.events]
    doc.undo_stack.push(edits.set_fields(doc, "events", every, "type", "consult"))
    assert [(kind, sorted(ids)) for kind, ids, _ in told] == [("events", sorted(every))]
    assert told[0][2].type == "consult"  # told when every record is changed
    told.clear()
    doc.undo_stack.undo()
    assert [(kind, sorted(ids)) for kind, ids, _ in told] == [("events", sorted(every))]
    assert doc.project == small_project
