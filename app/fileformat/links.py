"""Warnings about the links between events (`responds_to`): answers round a loop, and
answers to events that come after them. Notes, not errors: the file is valid."""

from __future__ import annotations


def note_answers_to_later(notes: list, events: list, paths: list, answers: dict) -> None:
    """An event that answers one beginning after it has ended: most likely the link drawn
    the wrong way round (allowed: a date may be approximate)."""
    answered = set().union(*answers.values())
    starts = {e.id: e.when.lo for e in events if e.id in answered}
    for e, p in zip(events, paths, strict=True):
        for k, other in enumerate(e.responds_to):
            start = starts.get(other)
            if start is not None and e.when.hi is not None and start >= e.when.hi:
                notes.append((p + ("responds_to", k), f"answers '{other}', which comes after it"))


def note_loops(notes: list, events: list, paths: list, answers: dict) -> None:
    """Events that answer each other round a loop: allowed (talks go back and forth), but
    said, once per loop, at the event that closes it."""
    where = {e.id: p for e, p in zip(events, paths, strict=True)}
    done: set[str] = set()
    for start in answers:
        trail, on_trail, todo = [], set(), [(start, iter(answers.get(start, ())))]
        trail.append(start)
        on_trail.add(start)
        while todo:
            node, nexts = todo[-1]
            nxt = next(nexts, None)
            if nxt is None:
                todo.pop()
                on_trail.discard(trail.pop())
            elif nxt in on_trail:
                loop = trail[trail.index(nxt) :]
                if not done & set(loop):
                    notes.append(
                        (
                            where[node] + ("responds_to",),
                            "answers round a loop: " + " → ".join([*loop, nxt]),
                        )
                    )
                    done.update(loop)
            elif nxt in answers and nxt not in done:
                trail.append(nxt)
                on_trail.add(nxt)
                todo.append((nxt, iter(answers[nxt])))
        done.add(start)
