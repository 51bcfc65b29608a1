from __future__ import annotations

import os

import pytest

# The parse cache stays off in tests (they must not write in the user's cache folder);
# tests of the cache turn it on in a folder of their own.
os.environ["DEMARCHE_CACHE_DIR"] = ""

from app.records.model import Actor, Cite, Demand, Event, Phase, Project, Source, StatusChange
from app.records.when import parse


@pytest.fixture
def small_project() -> Project:
    """Three actors, two events, one demand: built in code, not from the bundled example."""
    return Project(
        title="Talks",
        sources=[Source("wsj", "Inside the talks", "WSJ", "", parse("2023-11-23"), "B")],
        actors=[
            Actor("usa", "United States", "#3465a4", "state"),
            Actor("cia", "CIA", "", "agency", parent="usa"),
            Actor("hamas", "Hamas"),
            Actor("israel", "Israel"),
        ],
        phases=[Phase("pause", "Pause", parse("2023-11-24/2023-11-27"))],
        events=[
            Event(
                "release",
                "hamas",
                "Hamas releases two women",
                parse("2023-10-20"),
                ("usa",),
                "release",
                cites=(Cite("wsj", 2, "quote"),),
                tags=("hostages",),
            ),
            Event("talks", "cia", "Talks in Doha", parse("2023-11-09/2023-11-10~")),
        ],
        demands=[
            Demand(
                "drones",
                "hamas",
                "israel",
                "Stop drones",
                parse("2023-11-20~"),
                "accepted",
                ("usa",),
                "a pause",
                parse("2023-11-21"),
                (StatusChange(parse("2023-11-21"), "accepted", "under pressure"),),
            ),
        ],
    )
