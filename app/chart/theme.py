"""Light and dark palettes for the chart, with status colours and glyphs that read in
greyscale too (print)."""

from __future__ import annotations

from dataclasses import dataclass

from app.records.model import LANE_COLORS  # (kept here too: the chart's palette)

STATUS_GLYPHS = {"open": "○", "accepted": "✓", "rejected": "✗", "withdrawn": "↶", "partial": "◐"}


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    lane_even: str
    lane_odd: str
    separator: str
    text: str
    muted: str
    selection: str
    phase_alpha: int
    status: dict

    @property
    def dark(self) -> bool:
        return self.name == "dark"

    def status_color(self, status: str) -> str:
        return self.status[status]


LIGHT = Theme(
    "light",
    "#ffffff",
    "#ffffff",
    "#f3f5f8",
    "#d5dae1",
    "#1d232b",
    "#5a6472",
    "#e8590c",
    38,
    {
        "open": "#1c5fb0",
        "accepted": "#2b7a30",
        "rejected": "#c62828",
        "withdrawn": "#6b6b6b",
        "partial": "#c25e00",
    },
)
DARK = Theme(
    "dark",
    "#1c1f24",
    "#1c1f24",
    "#23272e",
    "#3a404a",
    "#e6e9ee",
    "#a3abb6",
    "#ffa94d",
    52,
    {
        "open": "#74a7ea",
        "accepted": "#7bc97f",
        "rejected": "#f07171",
        "withdrawn": "#b0b0b0",
        "partial": "#f5a25d",
    },
)
THEMES = {"light": LIGHT, "dark": DARK}


def actor_color(color: str, lane_index: int) -> str:
    return color or LANE_COLORS[lane_index % len(LANE_COLORS)]
