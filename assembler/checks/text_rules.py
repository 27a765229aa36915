"""The checks of the outputs' text that `assembler check` also asks of every return (build_rules.py).

Kept apart from docx_accessibility (python-docx) and pdf_accessibility (pikepdf) so that asking them costs
no import of either: `check` reads no DOCX or PDF of its own, and the two imports were a tenth of its time.
One definition, used by the build's checks of its outputs and by `check` alike.
"""

from __future__ import annotations

import re

# The replacement character, the private use area (glyphs with no Unicode meaning) and control characters.
NOT_REAL_TEXT = re.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")

UNCLEAR_LINK_TEXT = {"click here", "here", "click", "link", "this link", "read more", "more", "this", "go",
                     "this page", "click this link", "find out more"}


def link_text_problem(text: str) -> str | None:
    """What is wrong with a link's text for a screen-reader user, or None. `assembler check` asks the same of
    every link in a return, so a return that would fail here is reported before the build.

    A web address as the text ('https://www.nspcc.org.uk/keeping-children-safe/') passes: it says where the
    link goes, and WCAG 2.4.4 does not forbid it."""
    text = " ".join(text.split())
    if not text:
        return "has no text"
    if text.lower().rstrip(".!:") in UNCLEAR_LINK_TEXT:
        return "the text does not say where it goes"
    return None
