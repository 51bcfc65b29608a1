"""Hypothesis strategies for any project the model can hold."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date, timedelta
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


_nth = {n: st.integers(0, n - 1) for n in range(3, 8)}


@st.composite
def either(draw, *options: st.SearchStrategy):
    """`options[0] | options[1] | ...`, each as often, as `st.one_of` draws them: one_of
    builds a strategy of its own at every draw, which cost more than drawing what it picks."""
    if len(options) == 2:
        return draw(options[1]) if draw(st.booleans()) else draw(options[0])
    return draw(options[draw(_nth[len(options)])])


# Ids that YAML would read as something else unless quoted are included on purpose.
ids = either(
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
# Text a person would type (letters, digits, a little punctuation, ending in a letter),
# or none.
typed = joined(
    st.sampled_from(ascii_letters),
    letters(ascii_letters + digits + " ,.'()-", 0, 20),
    st.sampled_from(ascii_lowercase),
)
plain_texts = either(st.just(""), typed)


# The strategies drawn from inside the composites below are made once: made anew at each
# draw, hypothesis worked out each one's properties again (a third of the drawing time).
# Each choice hypothesis makes costs about 30 µs here, so a point in time is two of them,
# not five: a day as its number from 1900-01-01 (`st.dates` draws year, month and day)
# and its written form with its qualifier as one pick among all their pairs. Every day,
# form and qualifier is still reached, each pair as often as before.
_first_day = date(1900, 1, 1)
_days = st.integers(0, (date(2100, 12, 31) - _first_day).days).map(
    lambda n: _first_day + timedelta(days=n)
)
_shapes = st.sampled_from(
    [
        (form, qualifier)
        for form in ("%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT09:00+02:00")
        for qualifier in ("", "~", "?", "%")
    ]
)
_open_ended = st.integers(0, 5)


@st.composite
def whens(draw):
    def point():
        d = draw(_days)
        form, qualifier = draw(_shapes)
        return d.strftime(form) + qualifier

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
_maybe_whens = either(st.none(), _whens)
_maybe_colors = either(st.just(""), colors)
_reliabilities = st.sampled_from(["", "A", "F"])
_kinds = st.sampled_from(["event", "event", "demand", "phase"])
_statuses = st.sampled_from(STATUSES)
_credibilities = either(st.none(), st.integers(1, 6))
_history_lengths = st.integers(0, 2)
_all_ids = st.lists(ids, min_size=2, max_size=14, unique=True)


@functools.cache
def _one_of(n: int) -> st.SearchStrategy[int]:
    """The index of one of n things, as `st.sampled_from` draws it (made once per n)."""
    return st.integers(0, n - 1)


@functools.cache
def _up_to_two_of(n: int) -> st.SearchStrategy[list[int]]:
    """The indexes of up to two different things of n, as `st.lists(st.sampled_from(...),
    max_size=2, unique=True)` draws them (made once per n)."""
    return st.lists(_one_of(n), max_size=2, unique=True)


@functools.cache
def _up_to_two(texts: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(texts, max_size=2)


@functools.cache
def _cites(n_sources: int, texts: st.SearchStrategy[str]) -> st.SearchStrategy[list]:
    """Up to two citations: (source's index, credibility, quote)."""
    return st.lists(st.tuples(_one_of(n_sources), _credibilities, texts), max_size=2)


# The strategies drawn below for a project's own ids (its actors, sources, events) are the
# indexes of those ids, made once for each count: strategies made anew at every draw
# (`st.sampled_from(actor_ids)`) cost hypothesis their properties worked out again, about
# a fifth of the drawing time. The same ids are drawn as often, and shrink alike.
@st.composite
def projects(draw, texts=texts) -> Project:
    all_ids = draw(_all_ids)
    n_sources = draw(_one_of(min(2, len(all_ids) - 1) + 1))
    source_ids, rest = all_ids[:n_sources], all_ids[n_sources:]
    n_actors = 1 + draw(_one_of(max(1, min(4, len(rest) - 1))))
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
        parent = ["", *actor_ids[:n]][draw(_one_of(n + 1))]
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
    actor = _one_of(n_actors)
    some_actors = _up_to_two_of(n_actors)

    def cites() -> tuple[Cite, ...]:
        if not source_ids:
            return ()
        return tuple(
            Cite(source=source_ids[s], credibility=c, quote=q)
            for s, c, q in draw(_cites(n_sources, texts))
        )

    events, demands, phases = [], [], []
    for i in rest:
        kind = draw(_kinds)
        if kind == "event":
            events.append(
                Event(
                    id=i,
                    actor=actor_ids[draw(actor)],
                    title=draw(texts),
                    when=draw(_whens),
                    with_=tuple(actor_ids[k] for k in draw(some_actors)),
                    type=draw(texts),
                    text=draw(texts),
                    cites=cites(),
                    tags=tuple(draw(_up_to_two(texts))),
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
                    from_=actor_ids[draw(actor)],
                    to=actor_ids[draw(actor)],
                    text=draw(texts),
                    raised=raised,
                    status=draw(_statuses),
                    via=tuple(actor_ids[k] for k in draw(some_actors)),
                    offer=draw(texts),
                    resolved=None,
                    history=history,
                    cites=cites(),
                )
            )
        else:
            phases.append(
                Phase(id=i, title=draw(texts), when=draw(_whens), color=draw(_maybe_colors))
            )
    if len(events) > 1:  # links between events (`responds_to`), loops allowed
        event_ids = [e.id for e in events]
        others = _up_to_two_of(len(events) - 1)
        events = [
            replace(
                e,
                responds_to=tuple([i for i in event_ids if i != e.id][k] for k in draw(others)),
            )
            for e in events
        ]
    return Project(draw(texts), draw(texts), sources, actors, phases, events, demands)
