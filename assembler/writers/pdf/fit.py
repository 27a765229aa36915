"""The one-page rule: measure the laid-out page, step the type down, or say how much to cut.

Every one-pager (the summary, each 7-minute briefing) is laid out by a function
that takes a body size and returns a measured layout. Nothing is guessed from
word counts: the layout wraps every paragraph at its real width with the real
font and reports how far past the page it runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from assembler.errors import InputError

MIN_BODY_SIZE = 8.0  # the readable floor for body text on a printed page
SIZE_STEP = 0.5
LARGEST_START = 11.0  # one-pagers never set body text larger than this, whatever the brand says


class Measured(Protocol):
    body_size: float
    overflow: float  # points past the space available; <= 0 means it fits
    leading: float  # body line height, to turn overflow into lines
    words_per_line: float  # measured over the page's body text
    longest: tuple[str, int]  # (section name, its words)
    lines_over: int  # body lines to cut, summed over the boxes or columns that must shrink


L = TypeVar("L", bound=Measured)


@dataclass(frozen=True)
class OverBy:
    lines: int
    words: int


def over_by(layout: Measured) -> OverBy:
    """How much to cut, in body lines and (roughly) words."""
    lines = max(1, layout.lines_over)
    return OverBy(lines=lines, words=max(1, math.ceil(lines * layout.words_per_line)))


def sizes_to_try(brand_size: float) -> list[float]:
    """From the brand's body size (capped, rounded down to the step) down to the floor."""
    start = min(brand_size, LARGEST_START)
    start = math.floor(start / SIZE_STEP) * SIZE_STEP
    count = int(round((start - MIN_BODY_SIZE) / SIZE_STEP))
    return [start - i * SIZE_STEP for i in range(count + 1)] or [MIN_BODY_SIZE]


def fit_to_page(layout_at: Callable[[float], L], brand_size: float, source: str, what: str) -> L:
    """The largest body size at which the page fits; InputError naming the cut when none does."""
    layout = None
    for size in sizes_to_try(brand_size):
        layout = layout_at(size)
        if layout.overflow <= 0:
            return layout
    assert layout is not None
    over = over_by(layout)
    name, words = layout.longest
    raise InputError(
        source,
        f"the {what} does not fit on one page even at the smallest type ({MIN_BODY_SIZE:g} pt): "
        f"it is over by about {over.lines} line{'s' if over.lines != 1 else ''} (about {over.words} words); "
        f"the longest section is {name} ({words} words)",
        f"cut about {over.words} words, starting with {name}",
        code="does_not_fit",
    )
