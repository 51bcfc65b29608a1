"""Counts agree in number: one helper says them all (app/records/plural.py)."""

from __future__ import annotations

import re

from app.records.plural import counted
from tests.test_structure import modules


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "actor") == "1 actor"
    assert [counted(n, "event") for n in (0, 2, 1200)] == ["0 events", "2 events", "1,200 events"]
    assert counted(1, "event has", "events have") == "1 event has"
    assert counted(3, "event has", "events have") == "3 events have"


# An s added by hand after a count: `'s' if n > 1`, `"s" * (n > 1)`, `item(s)`.
HAND_MADE = re.compile(r"""['"]s['"] (if|\*)|\b(item|demand|row|event|actor|lane)\(s\)""")


def test_no_module_makes_its_own_plurals():
    found = {
        name: [m.group(0) for m in HAND_MADE.finditer(path.read_text())]
        for name, path in modules().items()
        if name not in ("app.records.plural", "app.context.summary")  # it names, not counts
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
