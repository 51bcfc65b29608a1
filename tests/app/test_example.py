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
    # "At the end of the negotiations": the final talks began about 18 November.
    assert e["netanyahu-refuses-drone-halt"].when.text == "2023-11-18~/2023-11-21"
    # Said of the agreement: after the deal of 21-22 November, before the report of the 23rd.
    assert e["us-official-warns"].when.text == "2023-11-21/2023-11-23"
    assert "pause-start-slips" not in e  # no actor is named for it
    assert e["mcgurk-in-doha"].title.startswith("Brett McGurk")
    assert e["outline-accepted"].when.approximate  # "medium" confidence in the chronology
    assert [p.id for p in load().phases] == ["ground-war", "pause"]
    assert load().phases[1].when.text == "2023-11-24/2023-11-28~"  # four days from 24 Nov


def test_the_re_audit_against_the_article_and_the_chronology():
    p = load()
    e, d = {x.id: x for x in p.events}, {x.id: x for x in p.demands}
    # "immediately after Hamas' attack on Israel, the United States ordered Qatar"
    cell = e["us-asks-qatar-cell"]
    assert cell.when.text == "2023-10-07~" and "orders" in cell.title and cell.type == "demand"
    assert d["form-a-cell"].raised.text == d["mediate-with-qatar"].raised.text == "2023-10-07~"
    # The list of ten and Qatar's proposal come before Biden's 12 November demand for the IDs.
    assert e["hamas-list-of-ten"].when.text == "2023-10-21/2023-11-12?"
    women = d["women-and-children"]
    assert women.raised.text == women.history[0].when.text == "2023-10-21/2023-11-12?"
    assert e["biden-emir-call"].when.text == "2023-11-12"
    # No source gives the day Israel rejected the offer: the window, and a note saying so.
    delay = d["delay-the-incursion"]
    assert delay.resolved.text == e["israel-rejects-delay-offer"].when.text
    assert delay.resolved.lo < delay.resolved.hi - 86400 and "No source" in delay.history[0].note
    # Only Biden's demand is reported as going through the Emir; none through Qatar.
    assert {x.id: x.via for x in p.demands if x.via} == {"identify-the-hostages": ("qatar-emir",)}
    # The chart's tooltip shows the demand's text: it says the rejection is inferred.
    assert "inferred" in d["end-shifa-operations"].text
    # Both sources quoted where they differ: a stop for the whole pause, or 6 hours a day.
    granted = d["halt-drones"].history[-1].note
    assert "during the cessation of hostilities" in granted and "a daily 6-hour halt" in granted
    assert d["halt-drones"].raised.text == "2023-11-18~/2023-11-21"
    npr = {s.id: s for s in p.sources}["npr"]
    assert npr.published.text == "2023-10-20" and "2023-10-20" in npr.url  # the story's own date
