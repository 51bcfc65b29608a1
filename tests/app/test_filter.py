"""Filters: what a view shows, by actor (with nested lanes), type or class, tag, status,
credibility, words and dates, checked against a plain reading of each rule."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from app.records.filter import EventColumns, Filter, demand_mask, event_mask
from app.records.model import Actor, Cite, Demand, Event, Project
from app.records.when import parse
from tests.examples import scaled

ACTORS = [
    Actor(id="usa", name="United States"),
    Actor(id="cia", name="CIA", parent="usa"),
    Actor(id="cia-doha", name="CIA station", parent="cia"),
    Actor(id="hamas", name="Hamas"),
    Actor(id="israel", name="Israel"),
]
TYPES = ["release", "statement", "assault", "threaten", "report", "", "custom"]
DATES = [
    "2023-10-07",
    "2023-10-20",
    "2023-11",
    "2023-11-09/2023-11-10~",
    "2023-11-22T01:00+02:00",
    "2023-10-07/..",
]


def event(i: int, actor: str, type_: str, when: str, tags=(), cred=None, title="") -> Event:
    cites = (Cite(source="wsj", credibility=cred),) if cred else ()
    return Event(
        id=f"e{i}",
        actor=actor,
        title=title or f"Event {i}",
        when=parse(when),
        type=type_,
        tags=tuple(tags),
        cites=cites,
    )


def project(events, demands=()) -> Project:
    return Project(actors=list(ACTORS), events=list(events), demands=list(demands))


def shown(p: Project, f: Filter) -> list[str]:
    return [e.id for e, keep in zip(p.events, event_mask(p, f), strict=True) if keep]


def test_a_parent_takes_its_nested_lanes_at_any_depth():
    p = project(
        [
            event(1, "usa", "", "2023-10-07"),
            event(2, "cia-doha", "", "2023-10-07"),
            event(3, "hamas", "", "2023-10-07"),
        ]
    )
    assert shown(p, Filter(actors=("usa",))) == ["e1", "e2"]
    assert shown(p, Filter(actors=("cia",))) == ["e2"]


def test_types_and_cameo_classes():
    p = project([event(i, "hamas", t, "2023-10-07") for i, t in enumerate(TYPES)])
    assert shown(p, Filter(types=("release", "custom"))) == ["e0", "e6"]
    assert shown(p, Filter(types=("material conflict",))) == ["e2"]  # assault
    assert shown(p, Filter(types=("verbal cooperation", "threaten"))) == ["e1", "e3"]


def test_tags_words_dates_and_credibility():
    p = project(
        [
            event(
                1, "hamas", "", "2023-10-20", tags=("hostages",), cred=2, title="Two women released"
            ),
            event(
                2,
                "israel",
                "",
                "2023-11",
                tags=("gaza", "hostages"),
                cred=5,
                title="Ground operation",
            ),
            event(3, "israel", "", "2023-10-07/..", title="War"),
        ]
    )
    assert shown(p, Filter(tags=("gaza",))) == ["e2"]
    assert shown(p, Filter(text="WOMEN released")) == ["e1"]
    assert shown(p, Filter(text="women ground")) == []  # every word, in one event
    nov = Filter(start=parse("2023-11-05").lo, end=parse("2023-11-06").lo)
    assert shown(p, nov) == ["e2", "e3"]  # the month overlaps; the open range runs on
    assert shown(p, Filter(min_credibility=3)) == ["e1"]  # uncited events have no credibility


def test_demands_by_status_party_words_and_span():
    d = [
        Demand(
            id="d1",
            from_="hamas",
            to="israel",
            text="Stop drones",
            raised=parse("2023-11-20"),
            status="accepted",
            resolved=parse("2023-11-21"),
        ),
        Demand(
            id="d2",
            from_="israel",
            to="hamas",
            text="Release all women",
            raised=parse("2023-10-25"),
            status="open",
            via=("cia",),
        ),
    ]
    p = project([], d)

    def ids(f):
        return [x.id for x, keep in zip(d, demand_mask(p, f), strict=True) if keep]

    assert ids(Filter(status=("open",))) == ["d2"]
    assert ids(Filter(actors=("usa",))) == ["d2"]  # a mediator nested in the United States
    assert ids(Filter(text="drones")) == ["d1"]
    assert ids(Filter(start=parse("2023-12-01").lo)) == ["d2"]  # still open in December
    assert Filter().is_empty() and not Filter(min_credibility=0).is_empty()


@settings(max_examples=scaled(60), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([a.id for a in ACTORS]),
            st.sampled_from(TYPES),
            st.sampled_from(DATES),
            st.sets(st.sampled_from(["a", "b", "c"])),
            st.sampled_from([None, 1, 3, 6]),
        ),
        max_size=25,
    ),
    st.sets(st.sampled_from([a.id for a in ACTORS])),
    st.sets(st.sampled_from(["a", "b", "c"])),
    st.sampled_from([None, "2023-10-15", "2023-11-09T12:00Z"]),
)
def test_the_mask_is_each_rule_read_plainly(rows, actors, tags, since):
    p = project([event(i, a, t, w, tags=g, cred=c) for i, (a, t, w, g, c) in enumerate(rows)])
    f = Filter(actors=tuple(actors), tags=tuple(tags), start=parse(since).lo if since else None)
    columns = EventColumns(p)
    nested = {"usa": {"usa", "cia", "cia-doha"}, "cia": {"cia", "cia-doha"}}
    lanes = set().union(*(nested.get(a, {a}) for a in actors)) if actors else None
    for e, keep in zip(p.events, event_mask(p, f, columns), strict=True):
        expected = (
            (lanes is None or e.actor in lanes)
            and (not tags or bool(set(e.tags) & tags))
            and (f.start is None or e.when.hi is None or e.when.hi > f.start)
        )
        assert keep == expected, e


WORDS = st.text(st.sampled_from(["a", "B", "ß", "S", "s", "Σ", "ς", " ", "\n", "é"]), max_size=8)


@settings(max_examples=scaled(60), deadline=None)
@given(st.lists(st.tuples(WORDS, WORDS), max_size=25), WORDS)
def test_words_are_each_found_in_the_title_or_the_text_in_any_case(texts, typed):
    p = project(
        [
            replace(event(i, "usa", "", "2023-10-07", title=title or "-"), text=text)
            for i, (title, text) in enumerate(texts)
        ]
    )
    for e, keep in zip(p.events, event_mask(p, Filter(text=typed)), strict=True):
        within = (e.title.casefold(), e.text.casefold())
        assert keep == all(any(w in x for x in within) for w in typed.casefold().split()), e


def test_a_view_exports_the_demands_it_shows_with_both_their_lanes():
    from app.fileformat import projectfile
    from app.records.filter import shown

    d = Demand(
        id="d2",
        from_="israel",
        to="hamas",
        text="Release all women",
        raised=parse("2023-10-25"),
        via=("cia",),
    )
    p = project([event(1, "israel", "", "2023-10-07")], [d])
    out = shown(p, Filter(actors=("usa",)))  # the United States mediates, through the CIA
    assert [x.id for x in out.demands] == ["d2"]  # as on screen
    assert {a.id for a in out.actors} == {"usa", "cia", "cia-doha", "israel", "hamas"}
    assert out.events == []  # Israel's event is not the United States'
    projectfile.loads(projectfile.dumps(out))  # a whole project, no dangling reference


def test_a_filter_says_why_it_leaves_out_a_whole_kind():
    """A saved view of event types showed no demand, and nothing said why."""
    assert Filter(tags=("hostages",)).leaves_out() == "demands have no type, tag or credibility"
    assert Filter(status=("open",)).leaves_out() == "events have no status"
    assert Filter(status=("open",), tags=("hostages",)).leaves_out() == ""
    assert Filter(actors=("hamas",)).leaves_out() == ""
