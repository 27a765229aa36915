"""Nothing lost: every word an agency wrote reaches every output, in order.

Run on every build, on every file of every format (writers.WRITERS reads each
back). The words of each accepted section (and each indicator and case study)
are normalised and matched, in order, against the text extracted from the
report; the one-pagers' sections, bullets and figures likewise against the
summary and each briefing. Page furniture (running headers, page numbers,
repeated table headers) may sit between them; a word that is not found is
reported with its agency and section. A correct output can never fail this
check: an in-order match is found whenever one exists (greedy subsequence).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from assembler.checks.printable_text import is_invisible, is_printable
from assembler.checks.reader_variants import SPELLED_OUT, may_change_right_to_left
from assembler.document import format_indicator
from assembler.document.briefing import BriefingPlan
from assembler.document.summary import SummaryContent
from assembler.schema import SectionKey, Submission, plain_text
from assembler.writers import WRITERS, OutputFormat

# A run of letters or a run of digits: a number glued to a word may come back on its other side when an
# extractor reorders a line with right-to-left text ('Aא 0' is drawn, and read, as 'A0 א').
WORD = re.compile(r"\d+|[^\W\d]+")
SHOWN_MISSING = 8  # words quoted per loss: enough to find the paragraph


@dataclass(frozen=True)
class Expectation:
    agency: str
    section: str
    words: list[str]
    characters: frozenset[str]  # non-ASCII characters that must survive (£, ’, ł, emoji…)
    anchor: tuple[str, ...]     # words that open this part of the document: where the search starts
    unordered: tuple[tuple[int, int], ...] = ()  # words[a:b] of a paragraph with right-to-left text: any order


@dataclass(frozen=True)
class Loss:
    output: str
    agency: str
    section: str
    missing_words: list[str]
    missing_characters: list[str]
    total_words: int

    def __str__(self) -> str:
        parts = []
        if self.missing_words:
            shown = " ".join(self.missing_words[:SHOWN_MISSING]) + (" …" if len(self.missing_words) > SHOWN_MISSING else "")
            parts.append(f"{len(self.missing_words)} of {self.total_words} words missing ({shown})")
        if self.missing_characters:
            parts.append("characters missing: " + " ".join(self.missing_characters))
        return f"{self.output}: {self.agency}, {self.section}: " + "; ".join(parts)


def normalise(text: str) -> str:
    """Text as both sides are compared: what differs only in how it was encoded or drawn is equal.

    NFKC folds ligatures, compatibility and presentation forms (Arabic joining
    forms, mathematical letters) that a PDF extractor may give back; invisible
    characters (joiners, soft hyphens, zero-width spaces, variation selectors)
    draw nothing and may be dropped on the way; a character no bundled font
    has prints as a box and is the return's problem, reported by `check`.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():  # one pass in C, with a table of the few characters that fold (nearly always none)
        table = {ord(char): folded for char in set(text) if not char.isascii() and (folded := _fold(char)) != char}
        if table:
            text = text.translate(table)
    return text.casefold()


@lru_cache(maxsize=None)
def _fold(char: str) -> str:
    if is_invisible(char):
        return ""
    return char if is_printable(char) else ""  # a box, or nothing, in the PDF: PDFium gives no text for it


def words(text: str) -> list[str]:
    """The normalised words of a text, letters and numbers apart; a word with right-to-left letters glued
    to others (Latin beside Hebrew) is cut where the direction changes, as an extractor may give the pieces
    back in another order: each piece is matched as a word of its own."""
    found = WORD.findall(normalise(text))
    if text.isascii() or not _MAYBE_RIGHT_TO_LEFT.search(text):
        return found
    return [piece for word in found for piece in (_DIRECTION_PIECES.findall(word) if _MAYBE_RIGHT_TO_LEFT.search(word) else (word,))]


# Hebrew to Arabic Extended, their presentation forms and the historic right-to-left planes.
_RIGHT_TO_LEFT_RANGES = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff"
_MAYBE_RIGHT_TO_LEFT = re.compile(f"[{_RIGHT_TO_LEFT_RANGES}]")
_DIRECTION_PIECES = re.compile(f"[{_RIGHT_TO_LEFT_RANGES}]+|[^{_RIGHT_TO_LEFT_RANGES}]+")


def _has_right_to_left(text: str) -> bool:
    """Whether the text has a right-to-left letter: one scan in C, as every section is asked."""
    return not text.isascii() and any(
        unicodedata.bidirectional(char) in ("R", "AL") for char in _MAYBE_RIGHT_TO_LEFT.findall(text))


def _special_characters(text: str) -> frozenset[str]:
    # The set first: a whole report's text has only a few hundred distinct characters to test.
    return frozenset(ch for ch in set(normalise(text)) if ord(ch) > 127 and not ch.isspace())


def expectations(submissions: list[Submission], first_section_title: str) -> list[Expectation]:
    """What each accepted return must contribute to every output, section by section, in document order.

    An agency's part of the document is found by its name followed by the
    first section heading, which only its own section heading can produce.
    """
    found: list[Expectation] = []
    ordered = sorted(submissions, key=lambda s: s.agency_name.casefold())
    for submission in ordered:
        anchor = tuple(words(submission.agency_name + " " + first_section_title))
        for key in SectionKey:
            found.append(_expect(submission.agency_name, key.value, plain_text(submission.section(key)), anchor))
        if submission.indicators:
            text = "\n".join(f"{i.label} {format_indicator(i)}" for i in submission.indicators)
            found.append(_expect(submission.agency_name, "indicators", text, anchor))
    for submission in ordered:
        for study in submission.case_studies:
            title = f"{study.title} ({submission.agency_name})"
            found.append(_expect(submission.agency_name, f"case study '{study.title}'", title + "\n" + plain_text(study.blocks), tuple(words(title))))
    return found


_SPELLED_OUT_AS_SPACE = {ord(char): " " for char in SPELLED_OUT}
_SPELLINGS = sorted({spelling.casefold() for spelling in SPELLED_OUT.values()}, key=len, reverse=True)


def _expect(agency: str, section: str, text: str, anchor: tuple[str, ...]) -> Expectation:
    """A paragraph with right-to-left words may come back from a PDF in another word order: PDF
    extractors guess each line's direction (PDFium reverses a whole line that is mostly Hebrew), so
    its words are matched in any order, after the paragraph before it."""
    if not _has_right_to_left(text):
        return Expectation(agency, section, words(text), _special_characters(text), anchor)
    found: list[str] = []
    unordered = []
    for line in text.split("\n"):
        if _has_right_to_left(line):  # a symbol an extractor spells out there ('®' as 'R') holds no word
            line = line.translate(_SPELLED_OUT_AS_SPACE)
        line_words = words(line)
        if _has_right_to_left(line) and line_words:
            unordered.append((len(found), len(found) + len(line_words)))
        found += line_words
    # A bracket, quote or fraction in right-to-left text may come back as another (mirrored, spelled out).
    kept = "".join(char for char in text if not may_change_right_to_left(char))
    return Expectation(agency, section, found, _special_characters(kept), anchor, tuple(unordered))


@dataclass(frozen=True)
class OutputText:
    """An output's text as find_losses reads it: its normalised words in order, and its non-ASCII characters.

    Made piece by piece and joined, it is the one made from the pieces' text joined by line breaks: nothing in
    normalising (NFKC, folding, case) or finding words reaches across a line break. The web step reads the
    site's pages this way, where they are written, and joins them once the last pages are finished."""

    words: list[str]
    characters: frozenset[str]

    @classmethod
    def of(cls, text: str) -> OutputText:
        return cls(words(text), _special_characters(text))

    @classmethod
    def joined(cls, pieces: list[OutputText]) -> OutputText:
        return cls([word for piece in pieces for word in piece.words], frozenset().union(*(p.characters for p in pieces)))


def find_losses(output_name: str, output_text: str | OutputText, expected: list[Expectation]) -> list[Loss]:
    """Match each section's words in order, inside the part of the output that belongs to its agency."""
    read = output_text if isinstance(output_text, OutputText) else OutputText.of(output_text)
    stream, characters = read.words, read.characters
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(stream):
        positions.setdefault(word, []).append(index)
    anchors = _anchor_positions([e.anchor for e in expected], stream)
    starts = sorted(set(anchors.values()))
    losses = []
    for expectation in expected:
        if expectation.anchor in anchors:
            start = anchors[expectation.anchor]
            following = bisect_right(starts, start)  # the next agency's part ends this one
            end = starts[following] if following < len(starts) else len(stream)
            missing = _unmatched(expectation.words, stream, positions, start, end, expectation.unordered)
        else:  # the heading itself is lost: report it, and look for the words anywhere
            missing = list(expectation.anchor) + _unmatched(expectation.words, stream, positions, 0, len(stream), expectation.unordered)
        missing_chars = sorted(expectation.characters - characters)
        if missing or missing_chars:
            losses.append(Loss(output_name, expectation.agency, expectation.section, missing, missing_chars, len(expectation.words)))
    return losses


def _anchor_positions(anchors: list[tuple[str, ...]], stream: list[str]) -> dict[tuple[str, ...], int]:
    """Where each anchor first occurs, searching onwards from the previous one (document order)."""
    found: dict[tuple[str, ...], int] = {}
    cursor = 0
    for anchor in dict.fromkeys(anchors):
        at = _find_run(stream, anchor, cursor)
        if at is not None:
            found[anchor] = cursor = at
    return found


def _find_run(stream: list[str], run: tuple[str, ...], start: int) -> int | None:
    if not run:
        return None
    first, size = run[0], len(run)
    for index in range(start, len(stream) - size + 1):
        if stream[index] == first and tuple(stream[index:index + size]) == run:
            return index
    return None


def _unmatched(wanted: list[str], stream: list[str], positions: dict[str, list[int]], start: int, end: int,
               unordered: tuple[tuple[int, int], ...] = ()) -> list[str]:
    """Words of `wanted` with no in-order match in stream[start:end]; on a miss the position stays put.

    The words of an `unordered` range match anywhere after the words before them; the words after
    them are then looked for after the last one found."""
    missing = []
    cursor = start - 1
    groups = dict(unordered)
    index = 0
    while index < len(wanted):
        if index in groups:
            cursor = _match_any_order(wanted[index:groups[index]], positions, cursor, end, missing)
            index = groups[index]
            continue
        word = wanted[index]
        index += 1
        if cursor + 1 < end and stream[cursor + 1] == word:  # most words follow the one before: no search
            cursor += 1
            continue
        indexes = positions.get(word, ())
        at = bisect_right(indexes, cursor)
        if at < len(indexes) and indexes[at] < end:
            cursor = indexes[at]
        else:
            missing.append(word)
    return missing


def _match_any_order(group: list[str], positions: dict[str, list[int]], cursor: int, end: int, missing: list[str]) -> int:
    """An extractor may glue a symbol it spelled out ('®' as 'R') to a word beside it, in a right-to-left
    stretch: a word not found by itself is looked for with such a spelling before or after it."""
    furthest = cursor
    used: dict[str, int] = {}  # a word typed twice must be found twice
    for word in group:
        indexes = positions.get(word, ())
        if bisect_right(indexes, cursor) + used.get(word, 0) >= len(indexes):
            indexes = sorted([*indexes, *[i for spelled in _with_spellings(word) for i in positions.get(spelled, ())]])
        at = bisect_right(indexes, cursor) + used.get(word, 0)
        if at < len(indexes) and indexes[at] < end:
            used[word] = used.get(word, 0) + 1
            furthest = max(furthest, indexes[at])
        else:
            missing.append(word)
    return furthest


def _with_spellings(word: str) -> list[str]:
    return [form for spelling in _SPELLINGS for form in (spelling + word, word + spelling)]


def briefing_expectations(plan: BriefingPlan) -> list[Expectation]:
    """Each of a briefing's seven sections, heading and text, in order: each box is read whole."""
    where = f"briefing '{plan.title}'"
    return [_expect(where, f"section {number} '{section.heading}'", section.heading + "\n" + plain_text(section.blocks), ())
            for number, section in enumerate(plan.sections, start=1)]


def summary_expectations(content: SummaryContent) -> list[Expectation]:
    """Every block of bullets, key figure and tile of the summary (tiles and figures one by one: they are
    set side by side, so the text read back may interleave them)."""
    found = [_expect("summary", f"block '{block.heading}'", "\n".join([block.heading, *block.bullets]), ())
             for block in content.blocks]
    found += [_expect("summary", "key figures", f"{figure.value} {figure.label}", ()) for figure in content.figures]
    found += [_expect("summary", "case studies and resources", name, ()) for name in content.case_studies + content.resources]
    return found + [_expect("summary", "where to read the full report", content.full_report, ())]


def output_text(path: Path) -> str:
    """The text of an output file, read back by its format's writer (by its suffix)."""
    return "\n".join(writer_for(path).read_text(path))


def writer_for(path: Path) -> OutputFormat:
    for writer in WRITERS.values():
        if path.suffix.lower() == writer.suffix:
            return writer
    raise ValueError(f"{path.name}: no writer makes '{path.suffix}' files (formats: {', '.join(WRITERS)})")


# The tests' names for the two formats' text.
docx_text = pdf_text = output_text


def check_outputs(expected: list[Expectation], paths: list[Path]) -> list[Loss]:
    """What each file, whatever its format, lost of the words expected in it."""
    return [loss for path in paths for loss in find_losses(path.name, output_text(path), expected)]
