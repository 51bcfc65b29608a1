"""An ACLED event's title: the first sentence of its note, without the date the note opens
with (the chart already shows it)."""

from __future__ import annotations

import re

# ACLED's notes begin with the date the chart already shows: "On 6 February 2022, ...",
# "On or around 6 February 2022 (between ...),", "Around 6 February 2022,", "In February 2022,".
_DATE_OPENING = re.compile(
    r"(?:On|In|Around|As of|Between)(?: or (?:around|about))?\s+(?:the night of\s+)?"
    r"(?:\d{1,2}(?:-\d{1,2})?\s+)?[A-Z][a-z]+\s+\d{4}(?:\s*\([^)]{0,80}\))?\s*,?\s+"
)
# The usual opening ("On 6 February 2022, " before a word), matched alike by the pattern
# above and in a third of its time.
_USUAL_OPENING = re.compile(r"On \d{1,2} [A-Z][a-z]+ \d{4}, (?=\S)")


def _sentence_end(text: str, start: int = 1) -> int:
    """Where the first . ! or ? from `start` on is followed by a space or the end; -1 for
    none. str.find, not a pattern: notes run to hundreds of characters and this is read
    on every row."""
    best = -1
    for mark in ".!?":
        at = text.find(mark, start)
        while at >= 0 and (best < 0 or at < best):
            after = text[at + 1 : at + 2]
            if not after or after.isspace():
                best = at
                break
            at = text.find(mark, at + 1)
    return best


def _first_sentence(text: str) -> str:
    """The note's first sentence, without the date it opens with (its first letter then
    made a capital), at most 160 characters. Most notes open as usual and end their first
    sentence at the first full stop, with a space after: that found with fewer steps
    (every row reads this), any other note by `_any_first_sentence`."""
    opening = _USUAL_OPENING.match(text)
    if opening is not None:
        start = opening.end()  # (a character follows: the pattern looks for one)
        first = text[start].upper()
        stop = text.find(".", start + 1)
        # The first full stop, a space after it, and no ! ? or line feed before it.
        if (
            stop > 0
            and text[stop + 1 : stop + 2] == " "
            and len(first) == 1
            and text.find("!", start + 1, stop) < 0
            and text.find("?", start + 1, stop) < 0
            and text.find("\n", start, stop) < 0
        ):
            sentence = (first + text[start + 1 : stop + 1]).strip()
            return sentence if len(sentence) <= 160 else sentence[:159] + "…"
    return _any_first_sentence(text)


def _any_first_sentence(text: str) -> str:
    if not text:
        return ""
    start = 0
    if text[:1] in "OIAB":
        opening = _USUAL_OPENING.match(text) or _DATE_OPENING.match(text)
        if opening and len(text) > opening.end():
            start = opening.end()
    first = text[start].upper() if start else text[:1]
    if len(first) != 1:  # a letter whose capital is two (ß): the text made anew
        text, start, first = first + text[start + 1 :], 0, first[0]
    # Up to the first . ! or ? that ends a word (one character at least before it),
    # within the first line; the whole text when there is none. Read in place: the
    # note itself is not copied.
    end = _sentence_end(text, start + 1)
    if end > 0 and text.find("\n", start, end) < 0:
        sentence = (first + text[start + 1 : end + 1]).strip()
    else:
        sentence = (first + text[start + 1 :]).strip()
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"
