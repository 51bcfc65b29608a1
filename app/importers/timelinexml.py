"""Timeline (thetimelineproj) `.timeline` XML: categories (nested by `<parent>`) become
lanes with their colours, events keep fuzzy (~) and ends-today (..) dates, eras become
phases, hyperlinks become sources (FORMATS.md, section 3). The XML is read with entity
expansion and external references refused (defusedxml): the file is untrusted."""

from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from app.importers.base import ImportFailed, ProjectBuilder, when_of
from app.records.model import Cite, Event, Phase
from app.records.when import WhenError


def read(text: str, b: ProjectBuilder) -> None:
    try:
        root = fromstring(text)
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        raise ImportFailed(f"line {line}, column {col}: not XML: {exc}") from None
    except DefusedXmlException as exc:
        raise ImportFailed(
            f"refused: {type(exc).__name__} (entities and external references are not read)"
        ) from None
    if root.tag != "timeline":
        raise ImportFailed(f"not a Timeline file: the root is <{root.tag}>, not <timeline>")
    if (root.findtext("timetype") or "gregoriantime") != "gregoriantime":
        raise ImportFailed("only Gregorian timelines can be read (this one counts numbers)")
    categories = {}
    for c in root.iter("category"):
        name = (c.findtext("name") or "").strip()
        if name and c.find("name") is not None:
            categories[name] = (c.findtext("parent") or "").strip(), _color(c.findtext("color"))
    ids = {}

    def lane(name: str) -> str:
        if name not in ids:
            parent, color = categories.get(name, ("", ""))
            ids[name] = b.actor(
                name, parent=lane(parent) if parent and parent != name else "", color=color
            )
        return ids[name]

    for name in categories:
        lane(name)
    for n, era in enumerate(root.iter("era"), start=1):
        try:
            when = _when(
                era.findtext("start"), era.findtext("end"), False, era.findtext("ends_today")
            )
        except WhenError as exc:
            b.skip(f"era {n}", str(exc))
            continue
        title = (era.findtext("name") or "Era").strip()
        b.add(
            "phases",
            Phase(
                id=b.new_id(title, "phase"),
                title=title,
                when=when,
                color=_color(era.findtext("color")),
            ),
        )
    for n, e in enumerate(root.iter("event"), start=1):
        b.report.rows += 1
        title = (e.findtext("text") or "").strip()
        if title.startswith("[") and "]" in title:  # a container: its name only
            title = title.split("]", 1)[1].strip()
        elif title.startswith("(") and ")" in title:  # a subevent
            title = title.split(")", 1)[1].strip()
        try:
            when = _when(
                e.findtext("start"),
                e.findtext("end"),
                e.findtext("fuzzy") == "True",
                e.findtext("ends_today"),
            )
        except WhenError as exc:
            b.skip(f"event {n}", str(exc))
            continue
        category = (e.findtext("category") or "").strip()
        cites = tuple(
            Cite(source=b.source(url.strip(), url.strip()))
            for url in (e.findtext("hyperlink") or "").split(";")
            if url.strip()
        )
        b.event(
            Event(
                id=b.new_id(title or "event", "event"),
                actor=lane(category) if category else b.actor("Ungrouped"),
                title=title or "Event",
                when=when,
                text=(e.findtext("description") or "").strip(),
                cites=cites,
            )
        )


def _when(start: str | None, end: str | None, fuzzy: bool, ends_today: str | None):
    """Timeline writes `YYYY-MM-DD HH:MM:SS`: a day when the time is midnight."""

    def one(text: str | None) -> str:
        text = (text or "").strip()
        day, _, time = text.partition(" ")
        out = day if time in ("", "00:00:00") else f"{day}T{time[:5]}"
        return when_of(out).text + ("~" if fuzzy else "")

    a = one(start)
    if ends_today == "True":
        return when_of(f"{a}/..")
    b = one(end or start)
    return when_of(a if a == b else f"{a}/{b}")


def _color(text: str | None) -> str:
    try:
        r, g, b = (int(x) for x in (text or "").split(","))
    except ValueError:
        return ""
    return f"#{r:02x}{g:02x}{b:02x}"
