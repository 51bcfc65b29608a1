from __future__ import annotations

import pytest

from app.records.model import Actor, Cite, Demand, Event, Phase, Project, Source, StatusChange
from app.records.when import parse


@pytest.fixture
def small_project() -> Project:
    """Three actors, two events, one demand: built in code, not from the bundled example."""
    return Project(
        title="Talks",
        sources=[
            Source(
                id="wsj",
                title="Inside the talks",
                publisher="WSJ",
                url="",
                published=parse("2023-11-23"),
                reliability="B",
            )
        ],
        actors=[
            Actor(id="usa", name="United States", color="#3465a4", kind="state"),
            Actor(id="cia", name="CIA", color="", kind="agency", parent="usa"),
            Actor(id="hamas", name="Hamas"),
            Actor(id="israel", name="Israel"),
        ],
        phases=[Phase(id="pause", title="Pause", when=parse("2023-11-24/2023-11-27"))],
        events=[
            Event(
                id="release",
                actor="hamas",
                title="Hamas releases two women",
                when=parse("2023-10-20"),
                with_=("usa",),
                type="release",
                cites=(Cite(source="wsj", credibility=2, quote="quote"),),
                tags=("hostages",),
            ),
            Event(
                id="talks", actor="cia", title="Talks in Doha", when=parse("2023-11-09/2023-11-10~")
            ),
        ],
        demands=[
            Demand(
                id="drones",
                from_="hamas",
                to="israel",
                text="Stop drones",
                raised=parse("2023-11-20~"),
                status="accepted",
                via=("usa",),
                offer="a pause",
                resolved=parse("2023-11-21"),
                history=(
                    StatusChange(
                        when=parse("2023-11-21"), status="accepted", note="under pressure"
                    ),
                ),
            ),
        ],
    )
