"""Sub-headings an agency typed as text, read as headings: the one rule both the Word and the Excel reader use.

Agencies who do not use Word's heading styles type a sub-heading inside a section as a short line on its
own: in bold, underlined, or plain, followed by the text it heads. Printed as body text, such a line reads
as a stray sentence and is missing from the PDF's structure and the web page's outline. The rule is
conservative, because a list of short lines typed one per line must stay a list, and a lead-in ('Our
priorities are') must stay a sentence. A line is a sub-heading only when all of these hold:

- it is a paragraph of its own (not a list item, a table cell, a quote, a link or a note mark), one line,
  at most MAX_WORDS words and MAX_CHARACTERS characters, starting with a capital letter or a digit;
- it is wholly bold or wholly underlined (emphasised), or wholly plain;
- it does not end as a sentence does (. , ; : ! …; a plain line not with ? either), nor with a word that
  leads into more ('and', 'of', 'include'), and is no 'label: value' line, no figure or table caption,
  no greeting or sign-off, and not mostly numbers;
- the line before it is not another short line (several short lines in a row are a list, not headings);
- body text follows it: a list, or a paragraph that is not itself a short line and is longer than the
  heading (after a plain line, a paragraph of at least MIN_BODY_WORDS words). So the last paragraph of a
  section, or a section of one line, is never a heading, and there is never more than one heading per
  block of text.

The words are kept, only their role changes: the line becomes a Heading one level below the heading
above it in the same block list (level 1 when there is none), which the document model places under the
section's own heading (H4 in the report, h3 on an agency's web page).
"""

from __future__ import annotations

import re
from typing import Literal

from assembler.schema import Block, Heading, ListBlock, Paragraph, Quote, block_runs, runs_text

MAX_WORDS = 10
MAX_CHARACTERS = 80
MIN_BODY_WORDS = 12  # what follows a plain line must be a real paragraph, not an address or a second short line
NOTE_CODE = "subheadings_read"
QUOTED_IN_NOTE = 6

Shape = Literal["emphasised", "plain"]

_SENTENCE_END = ".,;:!…"
_CLOSERS = "\"')]}’”»"
_LIST_MARKER = re.compile(r"^\s*(?:[-•*–—·▪◦o]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|[ivx]{1,4}[.)]\s)", re.I)
_LABEL_VALUE = re.compile(r":\s*\S")
_CAPTION = re.compile(r"^(?:figure|fig\.?|table|chart|graph|diagram|image|picture|photo|source|note|notes)\b", re.I)
_GREETING = re.compile(
    r"^(?:dear|hi|hello|good (?:morning|afternoon|evening)|(?:kind|best|warm) (?:regards|wishes)|regards|"
    r"many thanks|thanks|thank you|yours|cheers)\b", re.I)
_LEADS_ON = frozenset(
    "a an the and or but nor of to for with by in on at as from into than that which who whose whom "
    "is are was were be been will would can could should may might must has have had do does did "
    "include includes including such our their its this these those".split())


def promote_subheadings(blocks: list[Block], underlined: frozenset[int] | set[int] = frozenset()) -> tuple[list[Block], list[str]]:
    """`blocks` with each line the rule recognises as a sub-heading turned into a Heading, and those lines.

    `underlined`: the positions in `blocks` of paragraphs wholly underlined (the block model keeps no
    underline, so the Word reader says which they were)."""
    out: list[Block] = []
    promoted: list[str] = []
    above = 0  # level of the nearest heading above, in this block list
    for index, block in enumerate(blocks):
        if isinstance(block, Heading):
            above = block.level
        elif _is_subheading(blocks, index, underlined):
            text = runs_text(block.runs).strip()
            out.append(Heading(level=min(6, above + 1), text=text))
            promoted.append(text)
            continue
        out.append(block)
    return out, promoted


def _is_subheading(blocks: list[Block], index: int, underlined) -> bool:
    block = blocks[index]
    shape = line_shape(block, index in underlined)
    if shape is None or index + 1 >= len(blocks):
        return False
    if index > 0 and _short_line(blocks[index - 1]):
        return False  # the second of several short lines: a list typed as lines
    return _body_follows(blocks[index + 1], len(runs_text(block.runs).split()), shape)


def line_shape(block: Block, underlined: bool = False) -> Shape | None:
    """Whether `block`, on its own, looks like a sub-heading: 'emphasised' (wholly bold or underlined),
    'plain' (no formatting at all), or None."""
    if not isinstance(block, Paragraph):
        return None
    runs = [run for run in block.runs if run.text.strip()]
    if not runs or any(run.link or run.note for run in runs):
        return None
    text = runs_text(block.runs).strip()
    if not _heading_like(text):
        return None
    if underlined or all(run.bold for run in runs):
        return None if _ends_sentence(text, allow_question=True) else "emphasised"
    if any(run.bold or run.italic for run in runs):
        return None  # partly emphasised: a sentence with a stressed word
    return None if _ends_sentence(text, allow_question=False) else "plain"


def _heading_like(text: str) -> bool:
    words = text.split()
    if not words or len(words) > MAX_WORDS or len(text) > MAX_CHARACTERS or "\n" in text:
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    if _LIST_MARKER.match(text) or _LABEL_VALUE.search(text) or _CAPTION.match(text) or _GREETING.match(text):
        return False
    if sum(any(c.isdigit() for c in word) for word in words) * 2 > len(words):
        return False  # mostly figures: a value, a date, a phone number
    last = re.sub(r"[^\w'’-]", "", words[-1]).casefold()
    return last not in _LEADS_ON


def _ends_sentence(text: str, allow_question: bool) -> bool:
    end = text.rstrip(_CLOSERS + " ")[-1:]
    return bool(end) and (end in _SENTENCE_END or (end == "?" and not allow_question))


def _short_line(block: Block) -> bool:
    """A paragraph of a few words that does not end as a sentence: a heading or an item of a list typed as lines."""
    if not isinstance(block, (Paragraph, Quote)):
        return False
    text = runs_text(block.runs).strip()
    return 0 < len(text.split()) <= MAX_WORDS and not _ends_sentence(text, allow_question=False)


def _body_follows(block: Block, heading_words: int, shape: Shape) -> bool:
    if isinstance(block, ListBlock):
        words = len(" ".join(run.text for run in block_runs(block)).split())
        return shape == "emphasised" or words >= MIN_BODY_WORDS
    if not isinstance(block, (Paragraph, Quote)) or _short_line(block):
        return False
    words = len(runs_text(block.runs).split())
    return words > heading_words and (shape == "emphasised" or words >= MIN_BODY_WORDS)



def describe_subheadings(found: list[tuple[str, str]]) -> str:
    """For `check`'s note on a return: which lines were read as sub-headings, by part ('activity', 'case study 1')."""
    by_part: dict[str, list[str]] = {}
    for part, line in found:
        by_part.setdefault(part, []).append(line)
    quoted, shown = [], 0
    for part, lines in by_part.items():
        kept = lines[: max(0, QUOTED_IN_NOTE - shown)]
        shown += len(kept)
        if kept:
            quoted.append(f"{part}: " + ", ".join(f"'{line}'" for line in kept) + (" …" if len(kept) < len(lines) else ""))
    count = len(found)
    lines = "1 line" if count == 1 else f"{count} lines"
    return f"{lines} typed as sub-headings {'was' if count == 1 else 'were'} read as headings ({'; '.join(quoted)})"
