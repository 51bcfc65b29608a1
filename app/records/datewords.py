"""Dates as people type them, read into the EDTF the file keeps.

    edtf("28 Sep 1978")          -> "1978-09-28"
    edtf("Sep 28, 1978")         -> "1978-09-28"
    edtf("28/09/1978")           -> "1978-09-28"   (day first; month_first=True for 09/28/1978)
    edtf("1978-9-28")            -> "1978-09-28"
    edtf("Sept 1978")            -> "1978-09"
    edtf("c. 1978")              -> "1978~"
    edtf("about 28 Sep 1978")    -> "1978-09-28~"
    edtf("1 Oct 2023 to 3 Oct 2023") -> "2023-10-01/2023-10-03"

Anything EDTF already is passes through. The result is checked by `when.parse`, so an
impossible date (30 February) is refused with the same message as in a file.
"""

from __future__ import annotations

import re

from app.records.when import WhenError, parse

MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_APPROX = re.compile(r"^(?:c\.|ca\.|circa|about|around|approx\.?|approximately|~)\s*", re.I)
_RANGE = re.compile(r"\s+(?:to|until|–|—|-)\s+|\s*/\s*", re.I)
_MONTH = r"([A-Za-z]+)\.?"
_FORMS = (
    # 28 Sep 1978, 28 September 1978
    (re.compile(rf"^(\d{{1,2}})\s+{_MONTH},?\s+(\d{{1,4}})$"), lambda m: (m[3], m[2], m[1])),
    # Sep 28, 1978; September 28 1978
    (re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{1,4}})$"), lambda m: (m[3], m[1], m[2])),
    # Sep 1978, September 1978
    (re.compile(rf"^{_MONTH},?\s+(\d{{1,4}})$"), lambda m: (m[2], m[1], None)),
    # 1978-9-28, 1978-9
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$"), lambda m: (m[1], m[2], m[3])),
)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def edtf(text: str, month_first: bool = False) -> str:
    """The EDTF for a typed date or interval; raises WhenError saying what is wrong."""
    text = " ".join(text.split())
    if not text:
        raise WhenError("a date is needed here")
    try:
        return parse(text).text
    except WhenError as exc:
        as_edtf = exc  # the best message for text that is nearly EDTF (2023-02-30)
    try:
        out = _one(text, month_first)
    except WhenError as exc:
        parts = _RANGE.split(text)
        if len(parts) != 2 or not all(parts):
            raise (as_edtf if re.match(r"\d{4}-", text) else exc) from None
        out = "/".join(p if p == ".." else _one(p, month_first) for p in parts)
    try:
        return parse(out).text
    except WhenError as exc:
        said = str(exc).replace(f"'{out}'", f"'{text}'")
        raise WhenError(said + _read_the_other_way(text, month_first)) from None


def _read_the_other_way(text: str, month_first: bool) -> str:
    """Where 11/21/2023 is no date day first but is month first (or the reverse), says
    so: "month 21 does not exist" alone did not point to the setting that reads it."""
    m = _NUMERIC.match(text)
    if m is None:
        return ""
    try:
        when = parse(_compose(m[3], m[2] if month_first else m[1], m[1] if month_first else m[2]))
    except WhenError:
        return ""
    order = "day" if month_first else "month"
    return f" (read with the {order} first, it is {when.describe()})"


def _one(text: str, month_first: bool) -> str:
    approx = ""
    if _APPROX.match(text):
        text, approx = _APPROX.sub("", text, count=1), "~"
    try:
        return parse(text).text + approx
    except WhenError:
        pass
    m = _NUMERIC.match(text)
    if m:
        day, month = (m[2], m[1]) if month_first else (m[1], m[2])
        return _compose(m[3], month, day) + approx
    for pattern, pick in _FORMS:
        m = pattern.match(text)
        if m:
            year, month, day = pick(m)
            return _compose(year, month, day) + approx
    raise WhenError(
        f"'{text}' is not a date Demarche can read (e.g. 2023-11-22, 22 Nov 2023, Nov 2023, c. 2023)"
    )


def _compose(year: str, month: str, day: str | None) -> str:
    if not month.isdigit():
        number = MONTHS.get(month.lower().rstrip("."))
        if number is None:
            raise WhenError(f"'{month}' is not the name of a month")
        month = str(number)
    out = f"{int(year):04d}-{int(month):02d}"
    return out + (f"-{int(day):02d}" if day else "")
