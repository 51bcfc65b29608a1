"""A deterministic generated project for benchmarks: N events, 50 actors, N/5 demands."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.records.model import STATUSES, Actor, Cite, Demand, Event, Phase, Project, Source
from app.records.when import parse

START = date(2022, 1, 1)
SPAN_DAYS = 730


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange(SPAN_DAYS))


def generate(n_events: int, n_actors: int = 50, seed: int = 1) -> Project:
    rng = random.Random(seed)
    actors = [
        Actor(
            id=f"actor-{i}",
            name=f"Actor {i}",
            color=f"#{rng.randrange(0x1000000):06x}",
            kind="state",
        )
        for i in range(n_actors)
    ]
    sources = [
        Source(
            id=f"src-{i}",
            title=f"Report {i}",
            publisher="Newswire",
            url=f"https://example.org/{i}",
            published=parse(_day(rng).isoformat()),
            reliability="B",
        )
        for i in range(20)
    ]
    events = []
    for i in range(n_events):
        d = _day(rng)
        if i % 5 == 0:  # a fifth of them are ranges
            when = f"{d.isoformat()}/{(d + timedelta(days=rng.randrange(1, 20))).isoformat()}"
        else:
            when = d.isoformat() + rng.choice(["", "", "", "~"])
        events.append(
            Event(
                id=f"ev-{i}",
                actor=actors[rng.randrange(n_actors)].id,
                title=f"Event number {i} about talks",
                when=parse(when),
                with_=(actors[rng.randrange(n_actors)].id,) if i % 3 == 0 else (),
                type=rng.choice(["consult", "release", "demand", "reject"]),
                text="",
                cites=(Cite(source=f"src-{rng.randrange(20)}", credibility=rng.randrange(1, 7)),),
                tags=("generated",),
            )
        )
    demands = []
    for i in range(n_events // 5):
        d = _day(rng)
        status = rng.choice(STATUSES)
        a, b = rng.sample(actors, 2)
        demands.append(
            Demand(
                id=f"dm-{i}",
                from_=a.id,
                to=b.id,
                text=f"Demand number {i}",
                raised=parse(d.isoformat()),
                status=status,
                via=(actors[rng.randrange(n_actors)].id,) if i % 2 else (),
                offer="an offer" if i % 4 == 0 else "",
                resolved=parse((d + timedelta(days=rng.randrange(1, 30))).isoformat())
                if status != "open"
                else None,
            )
        )
    phases = [
        Phase(id="phase-1", title="First phase", when=parse("2022-03-01/2022-06-30")),
        Phase(id="phase-2", title="Second phase", when=parse("2023-01-01/2023-04-30")),
    ]
    return Project("Generated benchmark project", "", sources, actors, phases, events, demands)
