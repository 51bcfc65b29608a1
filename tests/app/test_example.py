"""The bundled example encodes the source article faithfully."""

from __future__ import annotations

from pathlib import Path

from app.fileformat import projectfile

PATH = Path(__file__).parents[2] / "projects" / "hostage-talks-2023.yaml"


def load():
    warnings = []
    project = projectfile.load(PATH, warnings)
    assert warnings == []
    return project


def test_it_is_canonical():
    assert projectfile.dumps(load()) == PATH.read_text()


def test_every_named_actor_is_a_lane():
    names = {a.id: a for a in load().actors}
    for actor in (
        "usa",
        "biden",
        "cia",
        "burns",
        "israel",
        "netanyahu",
        "mossad",
        "barnea",
        "hamas",
        "qatar",
        "qatar-emir",
        "egypt",
    ):
        assert actor in names
    assert (
        names["cia"].parent == "usa"
        and names["mossad"].parent == "israel"
        and names["burns"].parent == "cia"
    )


def test_every_event_and_demand_cites_a_source():
    p = load()
    assert all(e.cites for e in p.events)
    assert all(d.cites for d in p.demands)
    assert {"wsj-2023-11-23", "donga-2023-11-24"} <= {s.id for s in p.sources}


def test_the_demands_the_article_tells_with_their_outcomes():
    d = {x.id: x for x in load().demands}
    assert d["delay-the-incursion"].status == "rejected" and d["delay-the-incursion"].offer
    assert d["women-and-children"].from_ == "qatar" and "prisoners" in d["women-and-children"].offer
    assert d["end-shifa-operations"].to == "israel"
    assert d["identify-the-hostages"].from_ == "biden"
    drones = d["halt-drones"]
    # Asked: no drones during the pause; granted: a daily six-hour halt.
    assert [h.status for h in drones.history] == ["rejected", "partial"]
    assert drones.status == "partial"
    shifa = d["end-shifa-operations"]
    assert "Inferred" in shifa.history[-1].note  # no source says Israel rejected it


def test_chronology_dates_and_approximations():
    e = {x.id: x for x in load().events}
    assert e["raanan-release"].when.text == "2023-10-20"
    assert e["doha-draft"].when.text == "2023-11-09"
    assert e["truce-begins"].when.text == "2023-11-24"  # 07:00 is the truce's start
    assert e["netanyahu-refuses-drone-halt"].when.text == "2023-11-18/2023-11-21"
    assert e["us-official-warns"].when.text == "../2023-11-23"  # said before the report
    assert "pause-start-slips" not in e  # no actor is named for it
    assert e["mcgurk-in-doha"].title.startswith("Brett McGurk")
    assert e["outline-accepted"].when.approximate  # "medium" confidence in the chronology
    assert [p.id for p in load().phases] == ["ground-war", "pause"]
    assert load().phases[1].when.text == "2023-11-24/2023-11-28~"  # four days from 24 Nov
