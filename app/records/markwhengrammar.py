"""Where a Markwhen entry's date part is, and what each of its ends says, as @markwhen/parser
1.2 finds them (its `lib/regex.js` and `lib/dateRange/`): a line is an entry when one of
its three line grammars matches, tried in the parser's order.

- EDTF: `2023`, `2023-05`, `2023-05-01`, `2023-05-01 10am`, ISO weeks (`2023-W47`,
  `2023-W47-3`), relative dates, `now`; a range is `A/B`.
- Casual: ISO instants (`2023-05-01T10:00:00Z`), `now`, a time alone (`10am`: on the day
  the entry before ends), slash dates (`1/2/2023`, `10/2023`, `1999`, with a time after
  them), relative dates, and month names (`Oct 14 2024 10am`, `14 Oct`, `Dec 2022`); a
  range is `A - B`, `A-B` or `A to B`.
- Eras: `100 AD`, `50 BC - 50 AD`, `1999–2001` (an en dash).

A relative date is `[after|before|by] [!id[.start|.end] | .start|.end] [plus|+] amounts`,
any part of it left out; so `after: x` and even `: x` are entries for the parser.

The patterns are the parser's, read by Python's `re` with the same (backtracking, first
alternative first) semantics; JavaScript's `\\s` (Unicode spaces), ASCII `\\w` and `\\d`
and case-blind letters are kept. A match is tried only within WINDOW characters after
the indentation, so a hostile long line costs its length, not more: a date part, its
recurrence and the colon after them must lie within them (the parser has no such limit).

What a part means in time (the zone, the entry before, the day the parser runs) is
markwhendates.py's: this module only reads the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

WINDOW = 120  # characters a date part, its recurrence and the colon may take

# JavaScript's \s: its Unicode spaces and line breaks.
S = "[\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"
_SPACES = frozenset("\t\n\x0b\x0c\r \xa0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_FULL = "january|february|march|april|may|june|july|august|september|october|november|december"
_ABBR = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
MONTHS = {m: n for names in (_FULL, _ABBR) for n, m in enumerate(names.split("|"), start=1)}
_UNITS = (
    "(?:milliseconds|ms)|(?:seconds|second|secs|sec|s)|(?:minutes|minute|mins|min)"
    f"|(?:hours|hour|h)|(?:(?:week{S}*|work{S}*|business{S}*)?(?:days|day|d))"
    "|(?:weeks|week|w)|(?:months|month)|(?:years|year|y)"
)
_AMOUNT = rf"-?\d+\W*(?:{_UNITS})(?:{S}*,{S}*|{S}*)"
_ISO_WEEK = r"\d{4}-?W\d{2}(?:-?[1-7])?"
_ISO_INSTANT = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2,}(?:\.\d*)?Z"
_ERA = "BCE|BC|AD|CE"
# Word characters no entry starts with: a date part starts with a digit, a month's or
# `now`'s, `after`'s, `before`'s, `by`'s, `plus`'s or `every`'s first letter, or a
# character that is not a word's (`!id`, `.start`, `+`, `-`, `:`); or with nothing, and
# then `to` after a space (`  to 2023: x` is a range from the moment the parser runs).
NEVER = frozenset("cghiklquvwxyzCGHIKLQUVWXYZ_")


def _time(p: str) -> str:
    """A time: `10am`, `10:30pm` (hours 1 to 12 with am or pm), `9`, `09:30`, `23:15`."""
    return (
        rf"(?P<{p}time>(?P<{p}h12>1|2|3|4|5|6|7|8|9|10|11|12)(?P<{p}m12>:\d{{2}})?(?P<{p}ampm>[ap]m)"
        rf"|(?P<{p}h24>[012]?[0-9])(?P<{p}m24>:\d{{2}})?)"
    )


def _relative(p: str) -> str:
    event = rf"(?:\W|^)(?:!(?P<{p}id>\w+)(?:\.(?P<{p}idedge>start|end))?|\.(?P<{p}edge>start|end))"
    return (
        rf"(?P<{p}rel>(?P<{p}dir>by|before|after)?(?:{S}*{event})?(?:plus|\+)?{S}*(?:{_AMOUNT})*)"
    )


def _month(p: str) -> str:
    return f"(?:(?P<{p}full>{_FULL})|(?P<{p}abbr>{_ABBR}))"


def _casual_end(p: str) -> str:
    """An end of a casual range, its alternatives in the parser's order."""
    slash = rf"\d{{1,5}}(?:/\d{{1,5}}(?:/\d{{1,5}}(?:(?:,|{S})+{_time(p + 's')})?)?)?"
    dated = (
        rf"(?:(?P<{p}dfday>[0-3]?[0-9]){S}+{_month(p + 'df')}"
        rf"|{_month(p + 'mf')}{S}+(?P<{p}mfday>[0-3]?[0-9](?!\d)))"
        rf",?(?:{S}+(?P<{p}year>\d{{4}}),?)?(?:{S}+{_time(p + 'c')})?"
    )
    alone = rf"(?P<{p}month>{_month(p + 'mo')}(?:{S}+(?P<{p}myear>\d{{1,4}}))?)"
    return (
        rf"(?P<{p}all>(?P<{p}iso>{_ISO_INSTANT})|(?P<{p}now>now)|{_time(p + 'o')}"
        rf"|(?P<{p}slash>{_ISO_WEEK}|{slash})|{_relative(p)}|{dated}|{alone})"
    )


def _edtf_end(p: str) -> str:
    date = (
        rf"(?P<{p}edtf>\d{{4}}(?P<{p}mon>-\d{{2}}(?P<{p}day>-\d{{2}}(?:{S}+{_time(p + 'e')})?)?)?"
        rf"|{_ISO_WEEK})"
    )
    return rf"(?P<{p}all>{date}|{_relative(p)}|(?P<{p}now>now))"


_TAIL = rf"(?P<every>{S}*every[^:]+)?{S}*:"
_FLAGS = re.I | re.ASCII
_EDTF = re.compile(
    rf"(?P<date>{_edtf_end('f_')}(?P<sep>{S}*/{S}*{_edtf_end('t_')})?){_TAIL}", _FLAGS
)
_CASUAL = re.compile(
    rf"(?P<date>{_casual_end('f_')}(?:(?:{S}*-{S}*|{S}+to{S}+){_casual_end('t_')})?){_TAIL}", _FLAGS
)
_BCE = re.compile(
    rf"(?P<date>(?P<fy>\d{{1,5}}){S}?(?P<fe>{_ERA})?(?:{S}?[–-]{S}?(?P<ty>\d{{1,5}}){S}?(?P<te>{_ERA})?)?)"
    rf"(?={S}*:)",
    _FLAGS,
)
_ISO_WEEK_PARTS = re.compile(r"(\d{4})-?W(\d{2})(?:-?([1-7]))?", _FLAGS)


@dataclass(slots=True)
class Relative:
    """`after !talks.start 2 weeks`: the words, and what they refer to."""

    text: str
    before: bool  # `before` or `by`
    ref: str = ""  # an entry's id
    ref_edge: str = ""  # `!id.start` or `!id.end`
    edge: str = ""  # `.start` or `.end` alone: of the entry before


@dataclass(slots=True)
class Part:
    """One end of a date part as the parser reads its text.

    kind: `date` (a year, month, week or day: `unit`), `begin` (a year's start, the end of
    an era range, not rounded up), `clock` (a date and a time), `instant` (an ISO instant
    in UTC), `time` (a time alone), `relative`, `now`, `none` (nothing: the parser dates
    it now), `bad` (the parser cannot read it: `why`).
    In a clock or time, `unit` is hour or minute. `fixed`: the parser holds the date in
    the offset its zone has at that midnight (casual and slash dates), not in the zone."""

    kind: str
    text: str
    ymd: tuple[int, int, int] = (1, 1, 1)
    unit: str = ""
    hm: tuple[int, int] = (0, 0)
    seconds: float = 0.0
    relative: Relative | None = None
    fixed: bool = False
    why: str = ""
    fatal: bool = False  # the parser fails or guesses (stops, or reads it in this year)


@dataclass(slots=True)
class Found:
    """An entry line as the parser splits it."""

    grammar: str  # edtf, casual or era
    date: str  # the date part as written (without the recurrence)
    every: str  # the recurrence's words (`every 2 weeks`), or ""
    rest: str  # the text after the colon
    start: Part
    end: Part | None  # None without one
    end_written: bool  # a separator was written (`2023/`), even before no end


def indent_of(line: str) -> int:
    n = 0
    while n < len(line) and line[n] in _SPACES:
        n += 1
    return n


def entry(line: str) -> Found | None:
    """The entry `line` starts, as the parser reads it, or None if it is none."""
    if ":" not in line:  # as the parser, which skips such lines before its patterns
        return None
    n = indent_of(line)
    if line[n : n + 1] in NEVER:  # no pattern starts with these letters
        return None
    end = min(len(line), n + WINDOW)
    # The parser's `^(\s*)` gives back a space only for `\W!id` to have one; two never
    # matter (a relative date's own spaces take them), so n and n - 1 are all there is.
    for grammar, pattern in (("edtf", _EDTF), ("casual", _CASUAL)):
        for at in (n, n - 1) if n else (0,):
            m = pattern.match(line, at, end)
            if m:
                return _found(grammar, m, line)
    m = _BCE.match(line, n, end)
    if m:
        colon = line.index(":", m.end())
        return Found(
            "era", m["date"], "", line[colon + 1 :].strip(), *_eras(m), end_written=bool(m["ty"])
        )
    return None


def _found(grammar: str, m: re.Match, line: str) -> Found:
    said = m["date"]
    parts = _READ.get((grammar, said))
    if parts is None:  # the same date part has the same groups: read it once
        read = _edtf_part if grammar == "edtf" else _casual_part
        start = read(m, "f_")
        end = read(m, "t_") if m["t_all"] is not None else None
        written = m["sep"] is not None if grammar == "edtf" else bool(m["t_all"])
        if len(_READ) >= 4096:
            _READ.clear()
        parts = _READ[grammar, said] = (start, end, written)
    every = (m["every"] or "").strip()
    return Found(grammar, said.strip(), every, line[m.end() :].strip(), *parts)


_READ: dict[tuple[str, str], tuple[Part, Part | None, bool]] = {}


def _relative_part(m: re.Match, p: str) -> Part:
    text = m[p + "rel"]
    if not text:  # an empty match: the parser finds it falsy and dates the entry now
        return Part("none", text, fatal=True)
    rel = Relative(
        text,
        (m[p + "dir"] or "").lower() in ("before", "by"),
        m[p + "id"] or "",
        (m[p + "idedge"] or "").lower(),
        (m[p + "edge"] or "").lower(),
    )
    return Part("relative", text.strip(), relative=rel)


def _edtf_part(m: re.Match, p: str) -> Part:
    text = m[p + "edtf"]
    if m[p + "now"]:
        return Part("now", "now")
    if text is None:
        return _relative_part(m, p)
    if m[p + "mon"] is None and not text.isdigit():
        return _week(text)
    y = int(text[:4])
    if m[p + "etime"]:
        clock = _clock(m, p + "e", text)
        if clock.kind == "bad":
            return clock
        mo, d = int(text[5:7]), int(text[8:10])
        return _valid(Part("clock", text, (y, mo, d), clock.unit, clock.hm))
    if m[p + "day"]:
        return _valid(Part("date", text, (y, int(text[5:7]), int(text[8:10])), "day"))
    if m[p + "mon"]:
        return _valid(Part("date", text, (y, int(text[5:7]), 1), "month"))
    return _valid(Part("date", text, (y, 1, 1), "year"))


def _week(text: str, fixed: bool = False) -> Part:
    y, w, d = _ISO_WEEK_PARTS.fullmatch(text).groups()
    try:
        day = date.fromisocalendar(int(y), int(w), int(d or 1))
    except ValueError:
        return Part("bad", text, why=f"is not a date: {y} has no week {int(w)}")
    return Part("date", text, (day.year, day.month, day.day), "day" if d else "week", fixed=fixed)


def _valid(part: Part) -> Part:
    """`part`, or why its date cannot be (the parser dates such an entry now)."""
    y, mo, d = part.ymd
    if not 1 <= mo <= 12 or not 1 <= d <= _month_days(y, mo):
        return Part("bad", part.text, why="is not a date")
    return part


def _month_days(year: int, month: int) -> int:
    """Days in the month, in the proleptic Gregorian calendar luxon keeps (any year)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _clock(m: re.Match, p: str, text: str) -> Part:
    """The time of a `p`-prefixed TIME match, as luxon's `h:mma` or `H:mm` reads it; one it
    refuses makes the parser stop (its `set` throws on the hour NaN)."""
    if m[p + "ampm"]:
        hour, minute, half = int(m[p + "h12"]), m[p + "m12"], m[p + "ampm"].lower()
        hour = hour % 12 + (12 if half == "pm" else 0)
    else:
        hour, minute = int(m[p + "h24"]), m[p + "m24"]
    minutes = int(minute[1:]) if minute else 0
    if hour > 23 or minutes > 59:
        why = "is not a time (Markwhen's parser stops on it)"
        return Part("bad", m[p + "time"], why=why, fatal=True)
    unit = "minute" if minute and minute != ":00" else "hour"
    return Part("time", m[p + "time"], unit=unit, hm=(hour, minutes))


def _casual_part(m: re.Match, p: str) -> Part:
    text = m[p + "all"]
    if m[p + "rel"] is not None:
        return _relative_part(m, p)
    if m[p + "dfday"] or m[p + "mfday"] or m[p + "month"]:
        return _named(m, p, text)
    if m[p + "slash"]:
        return _slash(m, p)
    if m[p + "otime"]:
        return _clock(m, p + "o", text)
    if m[p + "now"]:
        return Part("now", "now")
    return _instant(text)


def _named(m: re.Match, p: str, text: str) -> Part:
    """`Oct 14 2024 10am`, `14 Oct`, `Dec 2022`: month names, the parser's `fromCasualDate`."""
    day = m[p + "dfday"] or m[p + "mfday"]
    year = m[p + "year"] if day else m[p + "myear"]
    if not year:
        why = "gives no year (Markwhen's parser reads it in the year it runs)"
        return Part("bad", text, why=why, fatal=True)
    for q in ("df", "mf", "mo"):
        name = m[p + q + "full"] or m[p + q + "abbr"]
        if name:
            month = MONTHS[name.lower()]
    if not day:
        return Part("date", text, (int(year), month, 1), "month", fixed=True)
    part = _valid(Part("date", text, (int(year), month, int(day)), "day", fixed=True))
    if m[p + "ctime"] and part.kind != "bad":
        clock = _clock(m, p + "c", text)
        if clock.kind == "bad":
            return clock
        return Part("clock", text, part.ymd, clock.unit, clock.hm, fixed=True)
    return part


def _slash(m: re.Match, p: str) -> Part:
    """`1/2/2023`, `10/2023`, `1999`, with a time: luxon's `M/d/y`, `M/y`, then `y`."""
    text = m[p + "slash"]
    if "w" in text.lower():  # an ISO week: no slash format reads it
        return Part(
            "bad", text, why="is an ISO week, which the parser reads alone or in a range with '/'"
        )
    time = m[p + "stime"]
    date = text
    if time:
        # The parser cuts the date at the first place the time's text appears in it.
        at = text.index(time)
        if at != m.start(p + "stime") - m.start(p + "slash"):
            why = f"is misread by Markwhen's parser (it looks for the time '{time}' in the date)"
            return Part("bad", text, why=why, fatal=True)
        date = text[:at].strip().replace(",", "")
    numbers = [int(x) for x in date.split("/")] if re.fullmatch(r"\d+(/\d+)*", date) else []
    fields = [len(x) for x in date.split("/")]
    if len(numbers) == 3 and fields[0] <= 2 and fields[1] <= 2 and fields[2] <= 6:
        part = _valid(Part("date", text, (numbers[2], numbers[0], numbers[1]), "day", fixed=True))
    elif len(numbers) == 2 and fields[0] <= 2 and fields[1] <= 6:
        part = _valid(Part("date", text, (numbers[1], numbers[0], 1), "month", fixed=True))
    elif len(numbers) == 1 and fields[0] <= 6:
        part = Part("date", text, (numbers[0], 1, 1), "year", fixed=True)
    else:
        part = Part("bad", text, why="is not a date Markwhen's parser reads")
    if part.kind == "bad" or not time:
        return part
    clock = _clock(m, p + "s", text)
    if clock.kind == "bad":
        return clock
    return Part("clock", text, part.ymd, clock.unit, clock.hm, fixed=True)


def _instant(text: str) -> Part:
    """`2023-05-01T10:00:00Z` (seconds may have more digits: luxon refuses them)."""
    y, mo, d, h, mi = (int(x) for x in (text[:4], text[5:7], text[8:10], text[11:13], text[14:16]))
    rest = text[17:-1]
    whole, _, frac = rest.partition(".")
    if len(whole) != 2 or h > 23 or mi > 59 or int(whole) > 59:
        return Part("bad", text, why="is not a time")
    part = _valid(Part("instant", text, (y, mo, d), "instant", (h, mi), int(whole)))
    if frac and part.kind == "instant":  # luxon keeps milliseconds
        return Part(
            "instant",
            text,
            part.ymd,
            "instant",
            (h, mi),
            int(whole) + int(frac[:3].ljust(3, "0")) / 1000,
        )
    return part


def _eras(m: re.Match) -> tuple[Part, Part | None]:
    """`100 AD`, `50 BC - 50 AD`: a year (before 1 AD for BC and BCE, the parser's year
    -(n - 1)), in the zone; the end of a range is its year's start, not rounded up."""
    first_era = m["fe"] or m["te"] or ""

    def year(digits: str, era: str, kind: str) -> Part:
        n = int(digits)
        if era.upper() in ("BC", "BCE"):
            n = -(n - 1)
        written = f"{digits} {era}".strip()
        return Part(kind, written, (n, 1, 1), "year")

    start = year(m["fy"], first_era, "date")
    end = year(m["ty"], m["te"] or "", "begin") if m["ty"] else None
    return start, end
