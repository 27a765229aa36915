"""Which part of a return a heading starts, however the agency worded it.

Agencies retype the template's headings ("About our agency & what we do",
"2023 Activity and What We Would Like to Celebrate", "Our safeguarding
priorities for 2024"), so matching is by key words, not by exact text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assembler.schema import SectionKey, section_title

Part = Literal["about", "activity", "priorities", "indicators", "case_study", "contact"]

MAX_HEADING_WORDS = 14  # longer than this is a sentence, not a heading

# A case study and the contact details are named by the first of these to match; among the others, the one
# whose words come first in the heading ("Priorities for 2024: improving how we share data" is the priorities,
# "Key figures for our priorities" the figures), the earlier rule on a tie.
_RULES: tuple[tuple[Part, re.Pattern[str]], ...] = (
    ("case_study", re.compile(r"\bcase stud(y|ies)\b|\bstory\b|\bstories\b")),
    ("indicators", re.compile(r"\b(key )?(indicators?|figures|performance|measures|statistics|data|numbers|metrics)\b")),
    ("contact", re.compile(r"^(contact|contact details|completed by|who to contact|return completed by)\b")),
    ("priorities", re.compile(r"\bpriorit(y|ies)\b|\blooking ahead\b|\bplans? for\b|\bnext year\b|\bfuture plans\b")),
    ("activity", re.compile(r"\bactivit(y|ies)\b|\bcelebrat\w*\b|\bachievements?\b|\bhighlights?\b|\bwhat we did\b|\byear in review\b|\bprogress\b")),
    ("about", re.compile(r"\babout\b|\bwho we are\b|\bwhat we do\b|\bour (agency|organisation|organization|service)\b|\bintroduction\b|\boverview\b")),
)

_FIRST_MATCH_WINS = ("case_study", "contact")
# Words that name the figures only as a topic: a sub-heading such as "Our performance data" inside a section
# is part of that section (readers/docx_return.py asks `names_figures_only_as_a_topic`).
_TOPIC_WORDS = re.compile(r"\b(performance|data|numbers)\b")
_FIGURES_WORDS = re.compile(r"\b(key )?(indicators?|figures|measures|statistics|metrics)\b")

_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True)
class HeadingMatch:
    part: Part
    exact: bool          # worded as in the template (ignoring case, '&' and the year)
    year: int | None     # a year named in the heading, e.g. 2023 in '2023 activity...'


def normalise(text: str) -> str:
    text = text.casefold().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _without_year(clean: str) -> str:
    return re.sub(r"\s+", " ", _YEAR.sub("", clean)).strip()


# The template's own headings (schema.section_title), normalised and without their years.
_CANONICAL = {key.value: _without_year(normalise(section_title(key, 2000, 2001))) for key in SectionKey}


def match_heading(text: str) -> HeadingMatch | None:
    """The part of a return that `text` is the heading of, or None when it is not one of ours."""
    clean = normalise(text)
    if not clean or len(clean.split()) > MAX_HEADING_WORDS:
        return None
    part = _part_named(clean)
    if part is None:
        return None
    exact = part in _CANONICAL and _without_year(clean) == _CANONICAL[part]
    year = _YEAR.search(clean)
    return HeadingMatch(part, exact, int(year.group(1)) if year else None)


def _part_named(clean: str) -> Part | None:
    found: list[tuple[int, int, Part]] = []
    for order, (part, pattern) in enumerate(_RULES):
        match = pattern.search(clean)
        if match and part in _FIRST_MATCH_WINS:
            return part
        if match:
            found.append((match.start(), order, part))
    return min(found)[2] if found else None


def names_figures_only_as_a_topic(text: str) -> bool:
    """An indicators heading worded only with 'performance', 'data' or 'numbers' ("Our performance data"): under
    a section's heading, at a deeper level, it heads part of that section, not the return's figures."""
    clean = normalise(text)
    return bool(_TOPIC_WORDS.search(clean)) and not _FIGURES_WORDS.search(clean)
