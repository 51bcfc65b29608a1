"""Markwhen's recurrences (`2023-06-01 every 2 weeks for 6 times: Talks`) read as its parser
1.2 reads them: the words after the date go to rrule.js's `RRule.parseText` (the grammar
of @markwhen/rrule 2.8 `nlp/parsetext.js`, followed here token by token), and the
occurrences are those rrule.js gives, stepping the first one's UTC clock (as Markwhen's
`expand` does), each as long as the first. Demarche makes one event per occurrence, the
first MAX_REPEATS of them."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from dateutil import rrule

_LAST = datetime.max.replace(tzinfo=UTC)
MAX_REPEATS = 100  # occurrences made of one entry (an endless rule gives this many)

# Token patterns of rrule.js's English grammar (nlp/i18n.js), tried all at once: the
# longest match wins, ties to the first listed.
_TOKENS = [
    ("SKIP", r"[ \r\n\t]+|\.$"),
    ("number", r"[1-9][0-9]*"),
    ("numberAsText", r"(one|two|three)"),
    ("every", r"every"),
    ("day(s)", r"days?"),
    ("weekday(s)", r"(weekdays?|business\s+days?|work\s+days?)"),
    ("week(s)", r"(weeks?|wks?|weekly)"),
    ("hour(s)", r"(hours?|hrs?|hourly)"),
    ("minute(s)", r"(minutes?|mins?)"),
    ("month(s)", r"(months?|monthly)"),
    ("year(s)", r"(years?|yearly|annually)"),
    ("on", r"(on|in)"),
    ("at", r"(at|@)"),
    ("the", r"the"),
    ("first", r"first"),
    ("second", r"second"),
    ("third", r"third"),
    ("nth", r"([1-9][0-9]*)(\.|th|nd|rd|st)"),
    ("last", r"last"),
    ("for", r"(for|x)"),
    ("time(s)", r"times?"),
    ("until", r"((un)?til)|\|"),
    ("monday", r"(mo\.?(n\.?(days?)?)?)"),
    ("tuesday", r"(tu\.?(e\.?(s\.?(days?)?)?)?)"),
    ("wednesday", r"(we\.?(d\.?(n\.?(esdays?)?)?)?)"),
    ("thursday", r"(th\.?(u\.?(r\.?(s\.?(days?)?)?)?)?)"),
    ("friday", r"(fr\.?(i\.?(days?)?)?)"),
    ("saturday", r"(sa\.?(t\.?(urdays?)?)?)"),
    ("sunday", r"(su\.?(n\.?(days?)?)?)"),
    ("january", r"(jan\.?(uary)?)"),
    ("february", r"(feb\.?(ruary)?)"),
    ("march", r"(mar\.?(ch)?)"),
    ("april", r"(apr\.?(il)?)"),
    ("may", r"may"),
    ("june", r"(june?|jun\.)"),
    ("july", r"(july?|jul\.)"),
    ("august", r"(aug(ust)?|aug\.)"),
    ("september", r"(sep(t(ember)?)?|sept\.|sep\.)"),
    ("october", r"(oct(ober)?|oct\.)"),
    ("november", r"(nov(ember)?|nov\.)"),
    ("december", r"(dec(ember)?|dec\.)"),
    ("comma", r"(,\s*|(and|or|&)\s*)+"),
]
_PATTERNS = [(name, re.compile(p, re.I)) for name, p in _TOKENS]
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_FREQ = {
    "day(s)": rrule.DAILY,
    "week(s)": rrule.WEEKLY,
    "hour(s)": rrule.HOURLY,
    "minute(s)": rrule.MINUTELY,
    "month(s)": rrule.MONTHLY,
    "year(s)": rrule.YEARLY,
}
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_ZULU = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?Z")


class RuleError(ValueError):
    """The words are not a recurrence the parser reads (it says "Cannot parse recurrence")."""


@dataclass
class Rule:
    """What `RRule.parseText` makes of the words: rrule's options."""

    text: str
    freq: int = rrule.DAILY
    options: dict = field(default_factory=dict)

    def occurrences(
        self, start: datetime, end: datetime, limit: int = MAX_REPEATS
    ) -> list[tuple[datetime, datetime]]:
        """(start, end) of each occurrence, at most `limit`, as aware UTC datetimes:
        rrule run on the first start's UTC clock, each as long as the first. A rule no
        day can meet (`on feb the 30th`) gives the first date alone: rrule would search
        every day up to the year 9999 for it."""
        length = end - start
        if not _possible(tuple(sorted((k, repr(v)) for k, v in self.options.items()))):
            return [(start, end)]
        first = start.astimezone(UTC).replace(tzinfo=None)
        found = rrule.rrule(self.freq, dtstart=first, cache=False, **self.options)
        out = []
        for at in found:
            if len(out) >= limit:
                break
            at = at.replace(tzinfo=UTC)
            if at > _LAST - length:  # it would end past the year 9999
                break
            out.append((at, at + length))
        return out or [(start, end)]


@lru_cache(maxsize=256)
def _possible(options: tuple) -> bool:
    """Whether some day meets the rule's month, day-of-month and week-number filters,
    tried on the 28 years from 2000 (every calendar, leap years among them). Only rules
    with a day of the month or a week number can miss every day."""
    opts = {k: eval_list(v) for k, v in options}
    days, weeks = opts.get("bymonthday"), opts.get("byweekno")
    if not days and not weeks:
        return True
    months = opts.get("bymonth")
    day = datetime(2000, 1, 1)
    while day.year < 2028:
        last = calendar.monthrange(day.year, day.month)[1]
        ok = (not months or day.month in months) and (
            not days or day.day in days or day.day - last - 1 in days
        )
        if ok and weeks:
            iso_week = day.isocalendar()[1]
            in_year = date_weeks(day.year)
            ok = iso_week in weeks or iso_week - in_year - 1 in weeks
        if ok:
            return True
        day += timedelta(days=1)
    return False


def eval_list(text: str) -> list:
    """The int lists kept in a rule's options (repr'd to be hashable), back as lists."""
    return [int(x) for x in text.strip("[]").split(",") if x.strip().lstrip("-").isdigit()]


def date_weeks(year: int) -> int:
    return datetime(year, 12, 28).isocalendar()[1]


class _Words:
    """rrule.js's tokenizer: one symbol at a time, spaces skipped."""

    def __init__(self, text: str):
        self.text, self.symbol, self.value = text, None, None
        self.next()

    def next(self) -> bool:
        while True:
            best, name = None, None
            for n, pattern in _PATTERNS:
                m = pattern.match(self.text)
                if m and (best is None or len(m[0]) > len(best[0])):
                    best, name = m, n
            if best is None or not best[0]:
                self.symbol = self.value = None
                self.text = ""
                return False
            self.text = self.text[len(best[0]) :]
            if name != "SKIP":
                self.symbol, self.value = name, best
                return True

    def accept(self, name: str):
        if self.symbol != name:
            return None
        value = self.value
        self.next()
        return value

    def expect(self, name: str) -> None:
        if self.accept(name) is None:
            raise RuleError(f"expected {name} but found {self.symbol}")


def rule_of(words: str) -> Rule:
    """The recurrence `every …` means, or RuleError where the parser gives none."""
    w, opts = _Words(words), {}
    rule = Rule(words.strip(), options=opts)
    w.expect("every")
    n = w.accept("number")
    if n:
        opts["interval"] = int(n[0])
    if w.symbol is None:
        raise RuleError("unexpected end")
    sym = w.symbol
    if sym == "day(s)":
        w.next()
        if w.symbol is not None:
            if w.accept("on") is not None and w.symbol in _MONTHS:
                opts["bymonth"] = [_MONTHS.index(w.symbol) + 1]
                w.next()
            _at(w, opts)
            _for(w, opts)
    elif sym == "weekday(s)":
        rule.freq, opts["byweekday"] = rrule.WEEKLY, list(range(5))
        w.next()
        _at(w, opts)
        _for(w, opts)
    elif sym in _FREQ:
        rule.freq = _FREQ[sym]
        if w.next():
            _on(w, opts)
            if sym == "week(s)":
                _at(w, opts)
            _for(w, opts)
    elif sym in _DAYS:
        rule.freq, opts["byweekday"] = rrule.WEEKLY, [_DAYS.index(sym)]
        if not w.next():
            return rule
        while w.accept("comma") is not None:
            if w.symbol not in _DAYS:
                raise RuleError(f"unexpected {w.symbol}, expected a weekday")
            opts["byweekday"].append(_DAYS.index(w.symbol))
            w.next()
        _at(w, opts)
        _monthdays(w, opts)
        _for(w, opts)
    elif sym in _MONTHS:
        rule.freq, opts["bymonth"] = rrule.YEARLY, [_MONTHS.index(sym) + 1]
        if not w.next():
            return rule
        while w.accept("comma") is not None:
            if w.symbol not in _MONTHS:
                raise RuleError(f"unexpected {w.symbol}, expected a month")
            opts["bymonth"].append(_MONTHS.index(w.symbol) + 1)
            w.next()
        _on(w, opts)
        _for(w, opts)
    else:
        raise RuleError(f"unknown word {sym}")
    for k in ("byweekday", "bymonth"):
        if k in opts:
            opts[k] = list(dict.fromkeys(opts[k]))
    return rule


def _nth(w: _Words) -> int:
    sym = w.symbol
    if sym == "last":
        w.next()
        return -1
    if sym == "first":
        w.next()
        return 1
    if sym in ("second", "third"):
        w.next()
        v = 2 if sym == "second" else 3
        return -v if w.accept("last") is not None else v
    if sym == "nth":
        v = int(w.value[1])
        if v > 366:
            raise RuleError(f"nth out of range: {v}")
        w.next()
        return -v if w.accept("last") is not None else v
    return 0


def _on(w: _Words, opts: dict) -> None:
    on, the = w.accept("on"), w.accept("the")
    if on is None and the is None:
        return
    if w.accept("every") is not None:
        if w.accept("day(s)") is not None:
            opts["byweekday"] = list(range(7))
        return
    while True:
        nth = _nth(w)
        sym = w.symbol
        if nth:
            if sym in _DAYS:
                w.next()
                opts.setdefault("byweekday", []).append(rrule.weekdays[_DAYS.index(sym)](nth))
            else:
                opts.setdefault("bymonthday", []).append(nth)
                w.accept("day(s)")
        elif sym in _DAYS:
            w.next()
            opts.setdefault("byweekday", []).append(_DAYS.index(sym))
        elif sym == "weekday(s)":
            w.next()
            opts.setdefault("byweekday", list(range(5)))
        elif sym == "week(s)":
            w.next()
            opts["byweekno"] = _numbers(w, "a week number")
        elif sym in _MONTHS:
            w.next()
            opts.setdefault("bymonth", []).append(_MONTHS.index(sym) + 1)
        else:
            return
        if not any(w.accept(x) is not None for x in ("comma", "the", "on")):
            return


def _numbers(w: _Words, what: str) -> list[int]:
    """A number, then more after commas ("at 9, 17")."""
    numbers = []
    while True:
        n = w.accept("number")
        if n is None:
            raise RuleError(f"unexpected {w.symbol}, expected {what}")
        numbers.append(int(n[0]))
        if w.accept("comma") is None:
            return numbers


def _at(w: _Words, opts: dict) -> None:
    if w.accept("at") is None:
        return
    while True:
        opts["byhour"] = _numbers(w, "an hour")
        if w.accept("comma") is None and w.accept("at") is None:
            return


def _monthdays(w: _Words, opts: dict) -> None:
    w.accept("on")
    w.accept("the")
    nth = _nth(w)
    if not nth:
        return
    opts["bymonthday"] = [nth]
    w.next()
    while w.accept("comma") is not None:
        nth = _nth(w)
        if not nth:
            raise RuleError(f"unexpected {w.symbol}, expected a day of the month")
        opts["bymonthday"].append(nth)
        w.next()


def _for(w: _Words, opts: dict) -> None:
    if w.symbol == "until":
        opts["until"] = _until(w.text.strip())
    elif w.accept("for") is not None:
        if w.symbol != "number":
            raise RuleError(f"unexpected {w.symbol}, expected a number")
        opts["count"] = int(w.value[0])
        w.next()


def _until(text: str) -> datetime:
    """JavaScript's Date.parse of the words after `until`, for the forms whose meaning does
    not hang on the reader's machine: an ISO day (UTC midnight) or an ISO time in UTC."""
    day = _ISO_DAY.fullmatch(text)
    zulu = _ISO_ZULU.fullmatch(text)
    try:
        if day:
            return datetime(*map(int, day.groups()))
        if zulu:
            parts = [int(x or 0) for x in zulu.groups()]
            return datetime(*parts)
    except ValueError:
        pass
    raise RuleError(f"until '{text}': Demarche reads ISO days (2024-05-01) or UTC times here")
