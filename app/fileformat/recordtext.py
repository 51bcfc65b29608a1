"""How the canonical writer (app/fileformat/canonical.py) writes a record: a function
made from the record spec once per kind, whose source is one f-string of the record's
fields, so that writing a record costs what a hand-written writer would."""

from __future__ import annotations

from itertools import chain

from app.fileformat import spec


def record_text(kind: spec.Kind, writers: dict, indent: str = "  ", pieces: bool = True):
    """A function that gives a record's lines in canonical form, each value written by
    `writers` of its field's type (of `(type, "chosen")` for a field of choices, when
    given: its values repeat): as `pieces` that make them with a line feed at their
    end, or as one text without it (a nested record). Its source is made from the spec
    once per kind: one f-string of the fields, those left out when empty as "" (not a
    string a line, then joined). As pieces, a record whose text fields are not all ASCII
    has each of them stand alone: a title with an ellipsis would make the whole record's
    string two bytes a character, slower to make and to encode."""
    env: dict = {"NL": "\n"}
    groups: list[list[str]] = [[]]
    texts: dict[str, str] = {}  # as pieces: the name of each text field's line, its making
    for n, f in enumerate(kind.fields):
        lead = f"{indent}- " if n == 0 else f"\n{indent}  "
        value = f"v{n}" if not f.written_always else f"r.{f.attr}"
        env[f"line{n}"] = f"{lead}{f.key}:" + ("" if f.type in spec.NESTED else " ")
        if f.type in spec.NESTED:  # each item on a line after the key's (none: the key alone)
            nested = spec.NESTED[f.type]
            env[f"nested{n}"] = record_text(nested, writers, indent + "    ", pieces=False)
            # (One item, the most usual, without a join.)
            items = (
                f"nested{n}({value}[0]) if len({value}) == 1 else NL.join(map(nested{n}, {value}))"
            )
            # (Written always, an empty list is the key alone; else a list is never empty.)
            text = (
                f"line{n} + (NL + ({items}) if {value} else '')"
                if f.written_always
                else f"line{n} + NL + ({items})"
            )
            parts = [f"line{n}", "NL", f"({items})"]
        else:
            chosen = writers.get((f.type, "chosen")) if f.choices else None
            env[f"fmt{n}"] = chosen or writers[f.type]
            text = f"line{n} + fmt{n}({value})"
            parts = [f"line{n}", f"fmt{n}({value})"]
        empty = "" if f.written_always else f" if ({value} := r.{f.attr}) else ''"
        if pieces and f.type == spec.TEXT:  # (its line's start is ASCII: not looked at)
            texts[f"t{n}"] = f"    t{n} = fmt{n}({value}){empty}"
            key = f"line{n}" if f.written_always else f"line{n} if {value} else ''"
            groups += [[f"{{{key}}}{{t{n}}}"], []]
        elif f.written_always and f.type not in spec.NESTED:
            groups[-1].append("".join(f"{{{part}}}" for part in parts))
        elif f.written_always:
            groups[-1].append(f"{{({text})}}")
        else:  # each part its own value in the f-string: no string made to be copied again
            first, *rest = parts
            groups[-1].append(f"{{{first}{empty}}}")
            groups[-1] += [f"{{{part} if {value} else ''}}" for part in rest]
    groups = [g for g in groups if g]
    if not pieces:
        exec(f'def text(r):\n    return f"{"".join(groups[0])}"', env)  # noqa: S102
        return env["text"]
    whole = "".join(chain.from_iterable(groups))
    split = ", ".join(f'f"{"".join(g)}"' for g in groups)
    ascii_ = " and ".join(f"{name}.isascii()" for name in texts) or "True"
    source = "\n".join(
        ["def text(r):", *texts.values(), f'    if {ascii_}:\n        return (f"{whole}{{NL}}",)']
        + [f"    return ({split}, NL)"]
    )
    exec(source, env)  # noqa: S102 - source made above from the spec alone
    return env["text"]


def field_texts(kind: spec.Kind, writers: dict, indent: str = "  ") -> dict:
    """What `record_text` writes of each field, by the field's attribute: a function of its
    value giving the field's part of the record's text ("" for a value left out), so that a
    record's text is its fields' parts one after another, and a line feed. For writers that
    make the text of many records a column at a time (an import's events): each distinct
    value written once, by the same leads and writers as the record's own text."""
    out = {}
    for n, f in enumerate(kind.fields):
        lead = f"{indent}- " if n == 0 else f"\n{indent}  "
        line = f"{lead}{f.key}:" + ("" if f.type in spec.NESTED else " ")
        if f.type in spec.NESTED:
            nested = record_text(spec.NESTED[f.type], writers, indent + "    ", pieces=False)

            def write(v, line=line, nested=nested, always=f.written_always):
                if not v:
                    return line if always else ""
                return line + "\n" + "\n".join(map(nested, v))

            write.line, write.item = line, nested  # its key, and one item's lines

        else:
            fmt = (writers.get((f.type, "chosen")) if f.choices else None) or writers[f.type]

            def write(v, line=line, fmt=fmt, always=f.written_always):
                return line + fmt(v) if always or v else ""

        out[f.attr] = write
    return out
