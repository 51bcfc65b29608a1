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
        Actor(f"actor-{i}", f"Actor {i}", f"#{rng.randrange(0x1000000):06x}", "state")
        for i in range(n_actors)
    ]
    sources = [
        Source(
            f"src-{i}",
            f"Report {i}",
            "Newswire",
            f"https://example.org/{i}",
            parse(_day(rng).isoformat()),
            "B",
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
                f"ev-{i}",
                actors[rng.randrange(n_actors)].id,
                f"Event number {i} about talks",
                parse(when),
                (actors[rng.randrange(n_actors)].id,) if i % 3 == 0 else (),
                rng.choice(["consult", "release", "demand", "reject"]),
                "",
                (Cite(f"src-{rng.randrange(20)}", rng.randrange(1, 7)),),
                ("generated",),
            )
        )
    demands = []
    for i in range(n_events // 5):
        d = _day(rng)
        status = rng.choice(STATUSES)
        a, b = rng.sample(actors, 2)
        demands.append(
            Demand(
                f"dm-{i}",
                a.id,
                b.id,
                f"Demand number {i}",
                parse(d.isoformat()),
                status,
                (actors[rng.randrange(n_actors)].id,) if i % 2 else (),
                "an offer" if i % 4 == 0 else "",
                parse((d + timedelta(days=rng.randrange(1, 30))).isoformat())
                if status != "open"
                else None,
            )
        )
    phases = [
        Phase("phase-1", "First phase", parse("2022-03-01/2022-06-30")),
        Phase("phase-2", "Second phase", parse("2023-01-01/2023-04-30")),
    ]
    return Project("Generated benchmark project", "", sources, actors, phases, events, demands)
