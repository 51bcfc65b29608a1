"""Reading any YAML text into plain data (dict, list, str, int, ...), with locations.

libyaml's event stream (PyYAML's C parser) is turned into data the same way PyYAML's
SafeLoader would, but anchors, aliases, tags and duplicate keys are refused, nesting is
bounded, and the line and column of each value and key are recorded for messages.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import yaml

Path = tuple  # ("events", 3, "actor")

try:  # libyaml is in every PyYAML wheel; the pure-Python parser is the slow fallback
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


@dataclass
class Located:
    """Plain data plus the 1-based (line, column) of each value and each mapping key."""

    data: object
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    problems: list[tuple[Path, str, tuple[int, int]]] = field(default_factory=list)


_constructor = yaml.constructor.SafeConstructor()
_resolver = yaml.resolver.Resolver()


def _scalar(event: yaml.ScalarEvent, line: int, col: int) -> object:
    """The value PyYAML's SafeLoader would construct for this scalar. A plain value that
    looks like a date or time but is none (0000-01-01, 23:59:60) stays text, so that the
    field's own check reports it, with the others."""
    tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:merge":
        raise YamlProblem("merge keys (<<) are not allowed; write the keys out", line, col)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        if tag == "tag:yaml.org,2002:timestamp":
            return event.value
        raise YamlProblem(f"cannot read value '{event.value}'", line, col) from None


def _at(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


# YAML also breaks lines at NEL, LS, PS and a lone CR, where editors do not.
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")


def _line_finder(text: str):
    """(line, column) of a mark as an editor counts them: by \\n alone."""
    if not _OTHER_BREAKS.search(text):
        return _at
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(mark) -> tuple[int, int]:
        line = bisect.bisect_right(starts, mark.index) - 1
        return (line + 1, mark.index - starts[line] + 1)

    return at


def read_located(text: str, max_depth: int = 32) -> Located:
    """Parse with locations. Raises YamlProblem for text that is not YAML or is refused whole."""
    out = Located(None)
    _at = _line_finder(text)  # noqa: N806 - shadows the plain one for this text
    # Each frame: [container, path, pending_key (mappings only), key_mark]
    stack: list[list] = []
    documents = 0

    def put(value: object, mark) -> None:
        if not stack:
            out.data = value
            out.values[()] = _at(mark)
            return
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            here = path + (len(container),)
            container.append(value)
            out.values[here] = _at(mark)
            return
        if frame[2] is _NO_KEY:  # this value is a key
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                raise YamlProblem("a mapping key must be plain text", *_at(mark))
            key = value if isinstance(value, str) else str(value)
            if key in container:
                first = out.keys.get(path + (key,), ("?", "?"))
                out.problems.append(
                    (path + (key,), f"duplicate key '{key}' (first at line {first[0]})", _at(mark))
                )
            frame[2], frame[3] = key, mark
            return
        key = frame[2]
        container[key] = value
        out.values[path + (key,)] = _at(mark)
        out.keys[path + (key,)] = _at(frame[3])
        frame[2] = _NO_KEY

    def child_path() -> Path:
        if not stack:
            return ()
        frame = stack[-1]
        if isinstance(frame[0], list):
            return frame[1] + (len(frame[0]),)
        return frame[1] + (frame[2],)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        "a project file holds one YAML document, not several",
                        *_at(event.start_mark),
                    )
                continue
            if kind is yaml.AliasEvent:
                raise YamlProblem(
                    f"aliases (*{event.anchor}) are not allowed; write the value out",
                    *_at(event.start_mark),
                )
            if getattr(event, "anchor", None):
                raise YamlProblem(
                    f"anchors (&{event.anchor}) are not allowed", *_at(event.start_mark)
                )
            tag = getattr(event, "tag", None)
            if tag is not None and kind is not yaml.ScalarEvent and not event.implicit:
                raise YamlProblem(f"tags ({tag}) are not allowed", *_at(event.start_mark))
            if kind is yaml.ScalarEvent:
                if tag is not None and not any(event.implicit):
                    raise YamlProblem(f"tags ({tag}) are not allowed", *_at(event.start_mark))
                value = _scalar(event, *_at(event.start_mark))
                put(value, event.start_mark)
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if len(stack) >= max_depth:
                    raise YamlProblem(
                        f"nested more than {max_depth} levels deep", *_at(event.start_mark)
                    )
                container: object = {} if kind is yaml.MappingStartEvent else []
                path = child_path()
                put(container, event.start_mark)
                stack.append([container, path, _NO_KEY, None])
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
    except yaml.MarkedYAMLError as exc:
        message, mark = _said(exc)
        raise YamlProblem(message, *(_at(mark) if mark else (None, None))) from None
    except yaml.YAMLError as exc:  # e.g. ReaderError: a character YAML does not allow
        mark = getattr(exc, "position", None)
        raise YamlProblem(str(exc).splitlines()[0] if str(exc) else "not valid YAML") from None
    return out


# What libyaml was reading, in a person's words, when the file ended under it.
_UNENDED = {"a quoted scalar": "a quoted text"}


def _said(exc: yaml.MarkedYAMLError) -> tuple[str, object]:
    """The message and the place of a YAML error. Where the file ends inside something (a
    quote never closed), the place is where that begins: the end says nothing."""
    if exc.context_mark is not None and exc.problem and "end of stream" in exc.problem:
        what = (exc.context or "").removeprefix("while scanning ").removeprefix("while parsing ")
        what = _UNENDED.get(what, what or "something")
        end = exc.problem_mark.line + 1 if exc.problem_mark else None
        return f"{what} begins here and never ends (the file ends at line {end})", exc.context_mark
    message = " ".join(x for x in (exc.context, exc.problem) if x) or "not valid YAML"
    begun, found = exc.context_mark, exc.problem_mark
    if begun is not None and found is not None and begun.line != found.line:
        message += f" (begun at line {begun.line + 1}, column {begun.column + 1})"
    return message, found or begun


_NO_KEY = object()
