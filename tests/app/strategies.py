"""Hypothesis strategies for any project the model can hold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from string import ascii_letters, ascii_lowercase, ascii_uppercase, digits

from hypothesis import strategies as st

from app.records.model import (
    STATUSES,
    Actor,
    Cite,
    Demand,
    Event,
    Phase,
    Project,
    Source,
    StatusChange,
)
from app.records.when import parse


def joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text made of parts drawn in turn: what a regular expression would say, drawn about
    ten times faster than `st.from_regex` (which cost most of the suite's property tests)."""
    return st.tuples(*parts).map("".join)


def letters(alphabet: str, min_size: int = 0, max_size: int = 8) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=min_size, max_size=max_size)


# Ids that YAML would read as something else unless quoted are included on purpose.
ids = st.one_of(
    joined(st.sampled_from(ascii_lowercase), letters(ascii_lowercase + digits + "-")),
    st.sampled_from(["yes", "No", "null", "true", "0123", "1e3", "1.5", "2023-11-22", "on", "y"]),
)
texts = st.text(max_size=30)
colors = st.integers(0, 0xFFFFFF).map("#{:06x}".format)
# Words as a person types them: a capital, then up to three lower-case words.
words = joined(
    st.sampled_from(ascii_uppercase),
    letters(ascii_lowercase, 1, 7),
    st.lists(letters(ascii_lowercase, 1, 7), max_size=2).map(
        lambda ws: "".join(" " + w for w in ws)
    ),
)
# Text a person would type (letters, digits, a little punctuation, ending in a letter).
plain_texts = st.just("") | joined(
    st.sampled_from(ascii_letters),
    letters(ascii_letters + digits + " ,.'()-", 0, 20),
    st.sampled_from(ascii_lowercase),
)


# The strategies drawn from inside the composites below are made once: made anew at each
# draw, hypothesis worked out each one's properties again (a third of the drawing time).
_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
_forms = st.sampled_from(["%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT%H:00+02:00"])
_qualifiers = st.sampled_from(["", "~", "?", "%"])
_open_ended = st.integers(0, 5)


@st.composite
def whens(draw):
    def point():
        d = draw(_days)
        return d.strftime(draw(_forms)).replace("%H", "09") + draw(_qualifiers)

    a = point()
    if draw(st.booleans()):
        return parse(a)
    b = point()
    when_a, when_b = parse(a), parse(b)
    if when_b.lo < when_a.lo:
        a, b, when_a, when_b = b, a, when_b, when_a
    if when_b.hi <= when_a.lo:
        return when_a
    return parse(f"{a}/{b}") if draw(_open_ended) else parse(f"{a}/..")


_whens = whens()
_maybe_whens = st.none() | _whens
_maybe_colors = st.just("") | colors
_reliabilities = st.sampled_from(["", "A", "F"])
_kinds = st.sampled_from(["event", "event", "demand", "phase"])
_statuses = st.sampled_from(STATUSES)
_credibilities = st.none() | st.integers(1, 6)
_history_lengths = st.integers(0, 2)


@st.composite
def projects(draw, texts=texts) -> Project:
    all_ids = draw(st.lists(ids, min_size=2, max_size=14, unique=True))
    n_sources = draw(st.integers(0, min(2, len(all_ids) - 1)))
    source_ids, rest = all_ids[:n_sources], all_ids[n_sources:]
    n_actors = draw(st.integers(1, max(1, min(4, len(rest) - 1))))
    actor_ids, rest = rest[:n_actors], rest[n_actors:]
    sources = [
        Source(
            id=i,
            title=draw(texts),
            publisher=draw(texts),
            url=draw(texts),
            published=draw(_maybe_whens),
            reliability=draw(_reliabilities),
        )
        for i in source_ids
    ]
    actors = []
    for n, i in enumerate(actor_ids):
        parent = draw(st.sampled_from(["", *actor_ids[:n]]))
        actors.append(
            Actor(
                id=i,
                name=draw(texts),
                color=draw(_maybe_colors),
                kind=draw(texts),
                parent=parent,
                hidden=draw(st.booleans()),
                collapsed=draw(st.booleans()),
            )
        )
    actor_st = st.sampled_from(actor_ids)
    cites = (
        st.lists(
            st.builds(
                Cite,
                source=st.sampled_from(source_ids),
                credibility=_credibilities,
                quote=texts,
            ),
            max_size=2,
        ).map(tuple)
        if source_ids
        else st.just(())
    )
    events, demands, phases = [], [], []
    for i in rest:
        kind = draw(_kinds)
        if kind == "event":
            events.append(
                Event(
                    id=i,
                    actor=draw(actor_st),
                    title=draw(texts),
                    when=draw(_whens),
                    with_=tuple(draw(st.lists(actor_st, max_size=2, unique=True))),
                    type=draw(texts),
                    text=draw(texts),
                    cites=draw(cites),
                    tags=tuple(draw(st.lists(texts, max_size=2))),
                )
            )
        elif kind == "demand":
            raised = draw(_whens)
            history = tuple(
                StatusChange(when=draw(_whens), status=draw(_statuses), note=draw(texts))
                for _ in range(draw(_history_lengths))
            )
            demands.append(
                Demand(
                    id=i,
                    from_=draw(actor_st),
                    to=draw(actor_st),
                    text=draw(texts),
                    raised=raised,
                    status=draw(_statuses),
                    via=tuple(draw(st.lists(actor_st, max_size=2, unique=True))),
                    offer=draw(texts),
                    resolved=None,
                    history=history,
                    cites=draw(cites),
                )
            )
        else:
            phases.append(
                Phase(id=i, title=draw(texts), when=draw(_whens), color=draw(_maybe_colors))
            )
    if len(events) > 1:  # links between events (`responds_to`), loops allowed
        event_ids = [e.id for e in events]
        events = [
            replace(
                e,
                responds_to=tuple(
                    draw(
                        st.lists(
                            st.sampled_from([i for i in event_ids if i != e.id]),
                            max_size=2,
                            unique=True,
                        )
                    )
                ),
            )
            for e in events
        ]
    return Project(draw(texts), draw(texts), sources, actors, phases, events, demands)
