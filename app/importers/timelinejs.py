"""TimelineJS: its JSON and its Google-Sheets template (as CSV) give the same project:
groups become lanes, date parts keep their precision, eras become phases, the title slide
names the project (FORMATS.md, section 1)."""

from __future__ import annotations

import html
import re

from app.exporters.timelinejs import GROUP_SEPARATOR
from app.importers import tljsdates
from app.importers.base import ImportFailed, ProjectBuilder, key, load_json, text_of
from app.records.model import Event, Phase
from app.records.when import WhenError, parse

SHEET_COLUMNS = {"year", "headline"}
# TimelineJS's first template: its dates in two columns, the group as Tag.
V1_SHEET_COLUMNS = {"start date", "headline", "text", "media", "tag"}
PARTS = ("year", "month", "day", "hour", "minute", "second")


def looks_like_sheet(header: list[str]) -> bool:
    columns = {key(h) for h in header}
    return SHEET_COLUMNS <= columns or V1_SHEET_COLUMNS <= columns


def read_json(text: str, b: ProjectBuilder) -> None:
    """Fields are taken as the types TimelineJS gives them; another type (a number where
    text is expected, as sheet-to-JSON tools write; a list where a date is) is read as
    text where it can be, else that slide is skipped with its place."""
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ImportFailed("not a TimelineJS file: no 'events' list")
    if data.get("scale") == "cosmological":
        raise ImportFailed("a cosmological timeline: Demarche's years run from 1 to 9999")
    title = data.get("title")
    if isinstance(title, dict):
        headline, text = _text(title.get("text"))
        b.project.title = b.project.title or headline
        b.project.description = b.project.description or text
    eras = data.get("eras") or []
    for n, era in enumerate(eras if isinstance(eras, list) else [eras]):
        if not isinstance(era, dict):
            b.skip(f"eras[{n}]", f"an era is an object, not {type(era).__name__}")
            continue
        headline, exact = _text(era.get("text"))[0], text_of(era.get("edtf"))
        _era(b, f"eras[{n}]", era.get("start_date"), era.get("end_date"), headline, exact)
    for n, slide in enumerate(data["events"]):
        b.report.rows += 1
        if not isinstance(slide, dict):
            b.skip(f"events[{n}]", "not a slide")
            continue
        headline, text = _text(slide.get("text"))
        media = slide.get("media")
        start = slide.get("start_date")
        display = text_of(slide.get("display_date")) or (
            text_of(start.get("display_date")) if isinstance(start, dict) else ""
        )
        group = slide.get("group")
        if group is not None and not text_of(group):
            b.approximated(f"events[{n}]", f"group is {type(group).__name__}, not text: Ungrouped")
        _slide(
            b,
            f"events[{n}]",
            start,
            slide.get("end_date"),
            headline,
            text,
            text_of(group).strip(),
            display,
            text_of(media.get("url")) if isinstance(media, dict) else "",
            text_of(slide.get("unique_id")),
            text_of(slide.get("edtf")),
        )


def read_sheet(table, b: ProjectBuilder) -> None:
    """A v3 sheet (Year, Month, Day, Time…) or a v1 sheet (Start Date, End Date, Tag), each
    date read as TimelineJS reads it (tljsdates)."""
    header, rows = table
    col = {key(h): i for i, h in enumerate(header)}
    v1 = "start date" in col or "end date" in col  # as TimelineJS tells them apart

    def cell(row, name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    def parts(row, prefix: str) -> dict:
        if v1:
            written = cell(row, f"{prefix or 'start '}date")
            return tljsdates.parse_v1_date(written) if written else {}
        out = {n: tljsdates.clean_integer(cell(row, prefix + n)) for n in ("year", "month", "day")}
        time = cell(row, f"{prefix}time")
        return {**out, **tljsdates.parse_time(time)} if time else out

    titled = False
    for n, row in enumerate(rows, start=2):
        kind = cell(row, "type")  # TimelineJS: `title` and `era` as written, case and all
        headline, text = _plain(cell(row, "headline")), _plain(cell(row, "text"))
        if kind == "title" and not titled:  # a second title slide is an event there
            titled = True
            b.project.title = b.project.title or headline
            b.project.description = b.project.description or text
            continue
        try:
            start, end = parts(row, ""), parts(row, "end ")
        except WhenError as exc:
            b.report.rows += kind != "era"
            b.skip(n, str(exc))
            continue
        if kind == "era":
            _era(b, n, start, end, headline)
            continue
        b.report.rows += 1
        _slide(
            b,
            n,
            start,
            end,
            headline,
            text,
            cell(row, "group") or cell(row, "tag"),
            cell(row, "display date"),
            cell(row, "media"),
            "",
        )


def edtf_of(date) -> str:
    """A TimelineJS date (parts as numbers or strings, "" for missing) as EDTF: the
    precision is the last part given."""
    if not isinstance(date, dict):
        raise WhenError("no date")
    values = []
    for part in PARTS:
        value = text_of(date.get(part, "")).strip()
        if not value:
            break
        if not re.fullmatch(r"-?\d{1,5}", value):
            raise WhenError(f"{part} {value[:20]!r} is not a number")
        values.append(int(value))
    if not values:
        raise WhenError("no year")
    if values[0] < 1:
        raise WhenError(f"year {values[0]}: Demarche's years run from 1 to 9999")
    text = f"{values[0]:04d}" + "".join(f"-{v:02d}" for v in values[1:3])
    if len(values) > 3:
        text += f"T{values[3]:02d}:{values[4] if len(values) > 4 else 0:02d}"
    if len(values) > 5:
        text += f":{values[5]:02d}"
    return text


def _fraction(b, where, *dates) -> None:
    """A date's fraction of a second (its `millisecond`), which Demarche's dates cannot
    keep: said, as an approximation."""
    for date in dates:
        ms = text_of(date.get("millisecond", "")).strip() if isinstance(date, dict) else ""
        if ms.strip("0"):
            b.approximated(
                where,
                "a fraction of a second: read to the second (Demarche's dates keep whole seconds)",
            )
            return


def _slide(b, where, start, end, headline, text, group, display, media, unique, exact="") -> None:
    try:
        a = edtf_of(start)
        when = parse(a if not _has(end) or edtf_of(end) == a else f"{a}/{edtf_of(end)}")
    except (WhenError, ValueError) as exc:
        b.skip(where, f"start_date: {exc}")
        return
    if exact:  # the exact date Demarche wrote beside TimelineJS's parts
        try:
            when, display = parse(exact), ""
        except WhenError as exc:
            b.approximated(where, f"edtf: {exc}: the date parts are read")
            exact = ""
    title = headline or _first_words(text)
    if not title:
        b.skip(where, "no headline or text")
        return
    if not exact:
        _fraction(b, where, start, end)
    notes = [text, f"Shown as: {display}" if display else "", media]
    b.event(
        Event(
            id=b.new_id(unique or title, "event"),
            actor=_lane(b, group),
            title=title,
            when=when,
            text="\n".join(x for x in notes if x),
        )
    )


def _lane(b: ProjectBuilder, group: str) -> str:
    """The lane of a group: its HTML made plain, and a path of names (`United States ›
    CIA`, as Demarche writes nested lanes) made nested lanes."""
    lane = ""
    for name in _plain(group).split(GROUP_SEPARATOR.strip()) if group else ["Ungrouped"]:
        if name.strip():
            lane = b.actor(name.strip(), parent=lane)
    return lane or b.actor("Ungrouped")


def _era(b, where, start, end, headline, exact="") -> None:
    when = None
    if exact:  # the phase Demarche wrote (its era ends where the phase's last day ends)
        try:
            when = parse(exact)
        except WhenError as exc:
            b.approximated(where, f"edtf: {exc}: the date parts are read")
    if when is None:
        try:
            when = parse(f"{edtf_of(start)}/{edtf_of(end)}")
        except (WhenError, ValueError) as exc:
            b.skip(where, f"era: {exc}")
            return
        _fraction(b, where, start, end)
    b.add(
        "phases", Phase(id=b.new_id(headline or "era", "phase"), title=headline or "Era", when=when)
    )


def _has(date) -> bool:
    return isinstance(date, dict) and date.get("year") not in ("", None)


def _text(value) -> tuple[str, str]:
    if not isinstance(value, dict):
        return "", ""
    return _plain(text_of(value.get("headline"))), _plain(text_of(value.get("text")))


def _plain(markup: str) -> str:
    """HTML made plain: tags dropped, paragraphs and breaks as new lines, entities read."""
    # Block elements end a line (a sheet's `<blockquote>…</blockquote><cite>…</cite>`
    # reads as the quote, then its author, not the two glued together).
    text = re.sub(
        r"(?i)<br\s*/?>|</?(?:p|div|li|ul|ol|blockquote|cite|h[1-6]|tr)(?:\s[^>]{0,200})?>",
        "\n",
        str(markup),
    )
    text = html.unescape(re.sub(r"<[^<>]{0,2000}>", "", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:10]) + ("…" if len(words) > 10 else "")
