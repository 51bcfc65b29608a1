"""Timeline (thetimelineproj) `.timeline` XML, as every version of the program wrote it
(0.x without padding or `<timetype>`, 1.x, 2.x): categories (nested by `<parent>`) become
lanes with their colours, hidden categories hidden lanes; events keep fuzzy (~) and
ends-today (..) dates; eras become phases; hyperlinks become sources; an event's further
`<categories>` its `with`, its `<labels>` tags (FORMATS.md, section 3). A container
(`[1]Talks`) becomes an event on its category's lane spanning its subevents, and each
subevent (`(1)Round one`) an event on its own category's lane (the container's when it has
none), all tagged with the container's name; a milestone a point event of type
`milestone`. The XML is read with entity expansion and external references refused
(defusedxml): the file is untrusted."""

from __future__ import annotations

import re
from datetime import date, timedelta
from xml.etree.ElementTree import TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from app.importers.base import ImportFailed, ProjectBuilder, when_of
from app.records.model import Cite, Event, Phase
from app.records.when import WhenError


class _Lines(TreeBuilder):
    """The tree, noting the line each `<event>` and `<era>` starts on, in file order
    (`root.iter` gives them in that order): a skipped one is reported by its line."""

    def __init__(self):
        super().__init__()
        self.lines: dict[str, list[int]] = {"event": [], "era": []}
        self.parser = None

    def start(self, tag, attrs):
        if tag in self.lines:
            self.lines[tag].append(self.parser.parser.CurrentLineNumber)
        return super().start(tag, attrs)


def _parse(text: str):
    """(root, lines) with entities and external references refused, as defusedxml's
    `fromstring` does."""
    builder = _Lines()
    parser = DefusedXMLParser(target=builder, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    parser.feed(text)
    return parser.close(), builder.lines


def read(text: str, b: ProjectBuilder) -> None:
    try:
        root, lines = _parse(text)
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
            categories[name] = (c.findtext("parent") or "").strip(), _color(c.findtext("color"), b)
    # <view><hidden_categories><name>…</name>…</hidden_categories></view>
    hidden = {
        (n.text or "").strip() for h in root.iter("hidden_categories") for n in h.iter("name")
    }
    ids: dict[str, str] = {}

    def lane(name: str) -> str:
        """The lane of a category, made with its parents first (a loop of parents is
        cut where it closes: that category goes to the top level)."""
        chain, at = [], name
        while at and at not in ids and at not in chain:
            chain.append(at)
            at = categories.get(at, ("", ""))[0]
        if at in chain:
            b.approximated("", f"category '{at}': its parents make a loop: at the top level")
            at = ""
        parent = ids.get(at, "") if at else ""
        for category in reversed(chain):
            color = categories.get(category, ("", ""))[1]
            parent = ids[category] = b.actor(category, parent=parent, color=color)
        return ids[name]

    for name in categories:
        lane(name)
    if hidden & set(ids):
        from dataclasses import replace

        hide = {ids[name] for name in hidden if name in ids}
        b.project.actors[:] = [
            replace(a, hidden=True) if a.id in hide else a for a in b.project.actors
        ]
    for era, line in zip(root.iter("era"), lines["era"], strict=True):
        title = (era.findtext("name") or "Era").strip()
        try:
            when = _when(
                era.findtext("start"), era.findtext("end"), False, era.findtext("ends_today")
            )
        except WhenError as exc:
            b.skip(line, f"era {title[:40]!r}: {exc}")
            continue
        b.add(
            "phases",
            Phase(
                id=b.new_id(title, "phase"),
                title=title,
                when=when,
                color=_color(era.findtext("color"), b),
            ),
        )
    _events(root, lines["event"], b, lane)


def _events(root, lines: list[int], b: ProjectBuilder, lane) -> None:
    """Each `<event>`, as the program's reader sorts them (dataimport/timelinexml.py):
    `[cid]Name` a container, `(cid)Name` one of its subevents, `<milestone>True` a
    milestone, anything else an event (whose text the writer gave a leading space when
    it began with `(` or `[`). Every event is read before any record is made, so that a
    container spans its subevents wherever they stand in the file."""
    read, containers, skipped = [], {}, {}
    for e, line in zip(root.iter("event"), lines, strict=True):
        b.report.rows += 1
        raw = e.findtext("text") or ""
        kind, cid, title = _kind(raw)
        milestone = e.findtext("milestone") == "True"
        if milestone and kind == "event":  # 1.11 wrote "Milestone:" before the label
            kind, title = "milestone", title.removeprefix("Milestone:").strip()
        try:
            when = _when(
                e.findtext("start"),
                e.findtext("start") if kind == "milestone" else e.findtext("end"),
                e.findtext("fuzzy") == "True",
                e.findtext("ends_today") if kind != "milestone" else None,
            )
        except WhenError as exc:
            b.skip(line, f"event {title[:40]!r}: {exc}")
            if kind == "container":
                skipped.setdefault(cid, line)
            continue
        record = {"e": e, "kind": kind, "cid": cid, "title": title, "when": when, "subs": []}
        record["line"] = line
        if kind == "container":
            containers.setdefault(cid, record)
        read.append(record)
    for r in read:
        if r["kind"] == "subevent" and r["cid"] in containers:
            containers[r["cid"]]["subs"].append(r)
        elif r["kind"] == "subevent" and r["cid"] in skipped:
            line = skipped[r["cid"]]
            b.approximated(r["line"], f"its container [{r['cid']}] was skipped (line {line})")
        elif r["kind"] == "subevent":
            b.approximated(r["line"], f"its container [{r['cid']}] is not in the file")
    for r in read:
        _event(r, containers.get(r["cid"]) if r["kind"] == "subevent" else None, b, lane)


def _kind(raw: str) -> tuple[str, str, str]:
    """(kind, container id, title) of an event's text as written."""
    if raw[:1] in ("[", "(") and ("]" if raw[0] == "[" else ")") in raw:
        close = "]" if raw[0] == "[" else ")"
        cid, _, rest = raw[1:].partition(close)
        return ("container" if close == "]" else "subevent"), cid.strip(), rest.strip()
    if raw[:2] in (" (", " ["):  # the space the writer added
        raw = raw[1:]
    return "event", "", raw.strip()


def _event(r: dict, container: dict | None, b: ProjectBuilder, lane) -> None:
    e, kind, title, when = r["e"], r["kind"], r["title"], r["when"]
    category = (e.findtext("category") or "").strip()
    if not category and container is not None:  # shown inside its container's box
        category = (container["e"].findtext("category") or "").strip()
    actor = lane(category) if category else b.actor("Ungrouped")
    tags: tuple[str, ...] = ()
    if kind == "container":
        # Timeline draws a container around its subevents: it spans them all.
        spans = [when, *(s["when"] for s in r["subs"])]
        los = [w.lo for w in spans if w.lo is not None]
        his = [w.hi for w in spans if w.hi is not None]
        known = when.lo is not None and when.hi is not None
        if known and los and his and (min(los) < when.lo or max(his) > when.hi):
            first = min(spans, key=lambda w: w.lo if w.lo is not None else float("inf"))
            last = max(spans, key=lambda w: w.hi if w.hi is not None else float("-inf"))
            start = first.start or first.end
            end = last.end or last.start
            when = when_of(f"{start.text()}/{end.text()}")
        tags = (title or "container",)
    elif container is not None:
        tags = (container["title"] or "container",)
    more = [
        c.text.strip()
        for cs in e.findall("categories")
        for c in cs.findall("category")
        if (c.text or "").strip() and c.text.strip() != category
    ]
    labels = [x.strip() for x in (e.findtext("labels") or "").split(",") if x.strip()]
    cites = tuple(
        Cite(source=b.source(url.strip(), url.strip()))
        for url in (e.findtext("hyperlink") or "").split(";")
        if url.strip()
    )
    b.event(
        Event(
            id=b.new_id(title or "event", "event"),
            actor=actor,
            title=title or "Event",
            when=when,
            with_=tuple(dict.fromkeys(a for a in map(lane, more) if a != actor)),
            type="milestone" if kind == "milestone" else "",
            text=(e.findtext("description") or "").strip(),
            cites=cites,
            tags=tuple(dict.fromkeys((*tags, *labels))),
        )
    )


# The year may be negative: Timeline 1.x writes years before Christ so (`-500-3-1 0:0:0`).
_STAMP = re.compile(
    r"\s*(-?\d{1,9})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?\s*"
)


AFTER_9999 = (10000, 1, 1, 0, 0, 0)  # the end of a period that lasts to 31 Dec 9999


def _when(start: str | None, end: str | None, fuzzy: bool, ends_today: str | None):
    """Timeline writes `YYYY-MM-DD HH:MM:SS` (before 1.0 without padding: `2009-11-4
    22:52:0`): a day when the time is midnight. Its end is an instant, the first not in
    the event: a midnight end closes the day before (15 Nov 00:00 to 16 Nov 00:00 is one
    day, as Timeline draws it; read as a last day, it was two)."""

    def stamp(text: str | None, an_end: bool = False) -> tuple[int, ...]:
        m = _STAMP.fullmatch(text or "")
        if m is None:
            raise WhenError(f"'{(text or '')[:40]}' is not a Timeline date (YYYY-MM-DD HH:MM:SS)")
        y, mo, d, h, mi, sec = found = tuple(int(x) if x else 0 for x in m.groups())
        if not 1 <= y <= 9999 and not (an_end and found == AFTER_9999):  # datetime's years
            when = "before year 1" if y < 1 else "after year 9999"
            raise WhenError(f"year {y} is {when}: Demarche's dates hold years 1 to 9999")
        return y, mo, d, h, mi, sec

    def written(y: int, mo: int, d: int, h: int, mi: int, _sec: int = 0) -> str:
        out = f"{y:04d}-{mo:02d}-{d:02d}" + (f"T{h:02d}:{mi:02d}" if h or mi else "")
        return when_of(out).text + ("~" if fuzzy else "")

    first = stamp(start)
    a = written(*first)
    if ends_today == "True":
        return when_of(f"{a}/..")
    last = stamp(end or start, an_end=True)
    if last == AFTER_9999:  # the instant after 31 Dec 9999 closes that day (Timeline's end)
        b = written(9999, 12, 31, 0, 0)
    else:
        b = written(*last)  # (said wrong, if it is no date, before the day before is sought)
        if last > first and last[3:] == (0, 0, 0):
            day = date(*last[:3]) - timedelta(days=1)
            b = written(day.year, day.month, day.day, 0, 0)
    return when_of(a if a == b else f"{a}/{b}")


def _color(text: str | None, b: ProjectBuilder) -> str:
    """`r,g,b` as #rrggbb; a channel out of 0–255 is brought into it, and said."""
    try:
        channels = [int(x) for x in (text or "").split(",")]
    except ValueError:
        return ""
    if len(channels) != 3:
        return ""
    fixed = [min(255, max(0, c)) for c in channels]
    if fixed != channels:
        b.approximated_row("", f"colours out of 0–255 ({text.strip()[:40]}): brought into range")
    return "#{:02x}{:02x}{:02x}".format(*fixed)
