"""The sources line of a chart: read from a project's stores' columns, it names the same
sources in the same order as the records themselves do, edited or not."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from app.exporters.sourceline import cited_sources
from app.records.when import parse
from tests.app.test_demandstore import negotiations
from tests.app.test_demandstore import stored as demands_stored
from tests.app.test_eventstore import stored as events_stored
from tests.app.test_eventstore import talks
from tests.examples import scaled

DAY = 86400.0
START = parse("2023-10-01").lo
spans = st.tuples(st.integers(-400, 400), st.sampled_from([0, 1, 10, 100, 10_000]))
edits = st.lists(st.tuples(st.integers(0, 1000), st.integers(-400, 400)), max_size=4)


def as_lists(project):
    return dataclasses.replace(project, events=list(project.events), demands=list(project.demands))


def edited(records, steps):
    """Records moved to other days with their citations reversed, a store alike."""
    for k, day in steps:
        if len(records):
            r = records[k % len(records)]
            date = "when" if hasattr(r, "when") else "raised"
            when = parse("2023-10-01").shifted(day * DAY)
            records[k % len(records)] = dataclasses.replace(
                r, cites=tuple(reversed(r.cites)), **{date: when}
            )


@settings(deadline=None, max_examples=scaled(40))
@given(events=talks(), demands=negotiations(), span=spans, steps=edits)
def test_the_sources_line_from_columns_is_the_one_from_records(events, demands, span, steps):
    project = dataclasses.replace(events_stored(events), demands=demands_stored(demands).demands)
    edited(project.events, steps)
    edited(project.demands, steps[::-1])
    t0 = START + span[0] * DAY
    t1 = t0 + span[1] * DAY
    assert cited_sources(project, t0, t1) == cited_sources(as_lists(project), t0, t1)
