"""Dates and times in a TimelineJS sheet, read as TimelineJS reads them (its
src/js/date/DateUtil.js `parseTime`, src/js/date/TLDate.js `parseDate` and
src/js/core/ConfigFactory.js `clean_integer`), so that a row shows in Demarche where it shows
in TimelineJS, and one TimelineJS refuses is skipped with its reason."""

from __future__ import annotations

import re

from app.records.when import WhenError

_PERIOD = re.compile(r"(\s*[AaPp]\.?[Mm]\.?\s*)\Z")
_NO_SEPARATOR = re.compile(r"\s*([0-9]{1,2})([0-9]{2})\s*")
_JS_INT = re.compile(r"\s*([+-]?)(?:0[xX]([0-9a-fA-F]*)|([0-9]+))")
_SHORT = re.compile(r"([+-]?[0-9]+?)(-[0-9]{2})?(-[0-9]{2})?")
# ISO 8601 with a time: TimelineJS means to read it but fails (`cls` is not defined in
# parseDate), so the row would be lost; read here as what it plainly says.
_ISO_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")


def clean_integer(text: str) -> str:
    """A number as TimelineJS takes it from a cell: spaces and commas dropped ("2,023")."""
    return re.sub(r"[\s,]+", "", text)


def _js_int(text: str) -> int | None:
    """JavaScript's parseInt: leading digits after spaces and a sign (`0x` hexadecimal
    ones), else None (NaN)."""
    m = _JS_INT.match(text)
    if not m or m.group(2) == "":
        return None
    value = int(m.group(2), 16) if m.group(2) else int(m.group(3))
    return -value if m.group(1) == "-" else value


def parse_time(text: str) -> dict:
    """A sheet's Time as TimelineJS's parseTime reads it: "7:00:00 PM", "7pm", "1230",
    "19.30"; hour, and minute, second and millisecond when given (None when not; the
    millisecond, as there, 100 times the number after the second's . or ,)."""
    period = ""
    m = _PERIOD.search(text)
    if m:
        period = m.group(0).strip()
        text = text[: text.rfind(period)].strip()
    m = _NO_SEPARATOR.fullmatch(text)
    parts = list(m.groups()) if m else text.split(":")
    if not m and len(parts) == 1:
        parts = text.split(".")
    if len(parts) > 4:
        raise WhenError(f"time {text!r}: misuse of : or . as separator")
    hour, half = _js_int(parts[0]), period[:1].lower()
    if hour is not None and half == "p" and hour != 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour is None or not 0 <= hour <= 23:
        raise WhenError(f"time {text!r}: no hour {parts[0][:20]!r}")
    out = {"hour": hour, "minute": None, "second": None, "millisecond": None}
    if len(parts) > 1:
        out["minute"] = _number(parts[1], "minute", text)
    if len(parts) > 2:
        seconds = re.split(r"[.,]", parts[2]) + parts[3:]  # a fraction after . or ,
        if len(seconds) > 2:
            raise WhenError(f"time {text!r}: a fraction of a second once")
        out["second"] = _number(seconds[0], "second", text)
        if len(seconds) == 2:
            out["millisecond"] = 100 * _number(seconds[1], "fraction of a second", text)
    return out


def _number(part: str, name: str, text: str) -> int:
    value = _js_int(part)
    if value is None:
        raise WhenError(f"time {text!r}: no {name} {part[:20]!r}")
    return value


def parse_v1_date(text: str) -> dict:
    """A v1 sheet's Start Date or End Date as TimelineJS's parseDate reads it: ISO
    `2023-11-22`, a year, else month first (`11/22/2023`, `11/2023`) and a time `14:30`."""
    m = _SHORT.fullmatch(text)
    if m:
        year, month, day = m.groups()
        return {"year": year.lstrip("+"), "month": (month or "")[1:], "day": (day or "")[1:]}
    m = _ISO_TIME.fullmatch(text)
    if m:
        return dict(
            zip(("year", "month", "day", "hour", "minute", "second"), m.groups(""), strict=True)
        )
    parts = {}
    m = re.search(r"[0-9]+/[0-9]+/[0-9]+", text)
    if m:
        parts["month"], parts["day"], parts["year"] = m.group(0).split("/")
        text = text.replace(m.group(0), "", 1).strip()
    m = re.search(r"[0-9]+/[0-9]+", text)
    if m:
        parts["month"], parts["year"] = m.group(0).split("/")
        text = text.replace(m.group(0), "", 1).strip()
    if ":" in text:
        clock = text.split(":")
        parts["hour"], parts["minute"] = clock[0], clock[1]
        if len(clock) > 2 and clock[2]:
            parts["second"], _, fraction = clock[2].partition(".")
            if fraction:
                parts["millisecond"] = fraction  # as TimelineJS's parseDate keeps it
    return parts
