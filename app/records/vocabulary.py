"""Words the editor offers: suggested event types (the CAMEO top-level codes and the PLOVER
categories, in plain words) and the Admiralty grades of sources and citations.

CAMEO is the political event coding used by ICEWS and GDELT; PLOVER is its successor.
The editor offers these; `validate` warns, without failing, on a type outside them.
"""

from __future__ import annotations

# type: (CAMEO code, description)
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "statement": ("01", "public statement"),
    "appeal": ("02", "appeal or request"),
    "intent": ("03", "express intent to cooperate"),
    "consult": ("04", "consult, meet, call"),
    "mediate": ("045", "mediate"),
    "negotiate": ("046", "negotiate"),
    "cooperate": ("05", "diplomatic cooperation"),
    "agree": ("057", "sign or accept an agreement"),
    "aid": ("07", "provide aid"),
    "concede": ("08", "yield or concede"),
    "release": ("0841", "release persons"),
    "truce": ("0871", "declare truce or ceasefire"),
    "investigate": ("09", "investigate"),
    "demand": ("10", "demand"),
    "disapprove": ("11", "disapprove or accuse"),
    "reject": ("12", "reject"),
    "threaten": ("13", "threaten"),
    "protest": ("14", "protest"),
    "mobilize": ("15", "exhibit force posture"),
    "reduce-relations": ("16", "reduce relations, halt talks"),
    "coerce": ("17", "coerce"),
    "assault": ("18", "assault"),
    "fight": ("19", "fight, military operation"),
    "mass-violence": ("20", "mass violence"),
    "report": ("", "publication or report"),
}

# CAMEO's quad classes, from the first two digits of the code. The chart draws each with its
# own mark shape, so the legend can say what kind of event a mark is.
QUAD_CLASSES = (
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)


def quad_class(event_type: str) -> int | None:
    """The index in QUAD_CLASSES of a type's class, or None for other and unknown types."""
    code = EVENT_TYPES.get(event_type, ("", ""))[0]
    if not code:
        return None
    root = int(code[:2])
    return 0 if root <= 4 else 1 if root <= 8 else 2 if root <= 13 else 3


# Admiralty code for how far a source's claim is borne out
CREDIBILITY_NAMES = {
    1: "confirmed",
    2: "probably true",
    3: "possibly true",
    4: "doubtfully true",
    5: "improbable",
    6: "cannot be judged",
}


# Admiralty code for how reliable a source is
RELIABILITY_NAMES = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "cannot be judged",
}
