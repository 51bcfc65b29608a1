"""Records described in words for people: tooltips (rich text) and clipboard lines."""

from __future__ import annotations

from html import escape

from app.chart.theme import STATUS_GLYPHS
from app.editing.document import Document


def _names(doc: Document, ids) -> str:
    return ", ".join(doc.get("actors", a).name if doc.get("actors", a) else a for a in ids)


def _sources(doc: Document, cites) -> str:
    out = []
    for ct in cites:
        s = doc.get("sources", ct.source)
        out.append(
            (s.title if s else ct.source) + (f" ({s.publisher})" if s and s.publisher else "")
        )
    return "; ".join(out)


def tooltip(doc: Document, record_id: str) -> str:
    """Title, date as written and in words, actor, type and sources, as rich text."""
    kind = doc.kind_of(record_id)
    lines = []
    if kind == "events":
        e = doc.get("events", record_id)
        lines = [
            f"<b>{escape(e.title)}</b>",
            f"{escape(e.when.text)} — {escape(e.when.describe())}",
            f"Actor: {escape(_names(doc, [e.actor]))}",
        ]
        if e.with_:
            lines.append(f"With: {escape(_names(doc, e.with_))}")
        if e.type:
            lines.append(f"Type: {escape(e.type)}")
        if e.cites:
            lines.append(f"Sources: {escape(_sources(doc, e.cites))}")
    elif kind == "demands":
        d = doc.get("demands", record_id)
        via = f" via {escape(_names(doc, d.via))}" if d.via else ""
        lines = [
            f"<b>{STATUS_GLYPHS[d.status]} {escape(d.text)}</b>",
            f"{escape(_names(doc, [d.from_]))} → {escape(_names(doc, [d.to]))}{via}",
            f"Raised {escape(d.raised.text)} — {escape(d.raised.describe())}",
            f"Status: {d.status}" + (f", {escape(d.resolved.text)}" if d.resolved else ""),
        ]
        if d.offer:
            lines.append(f"Offer: {escape(d.offer)}")
        if d.cites:
            lines.append(f"Sources: {escape(_sources(doc, d.cites))}")
    return "<br>".join(lines)


def as_text(doc: Document, record_id: str) -> str:
    """One tab-separated line, for the clipboard."""
    kind = doc.kind_of(record_id)
    if kind == "events":
        e = doc.get("events", record_id)
        return f"{e.when.text}\t{_names(doc, [e.actor])}\t{e.title}"
    if kind == "demands":
        d = doc.get("demands", record_id)
        return f"{d.raised.text}\t{d.from_} → {d.to}\t{d.text}\t{d.status}"
    return record_id
