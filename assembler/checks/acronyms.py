"""Every abbreviation in the report is in its glossary or spelt out where it is first used (issue 21).

A board member meeting 'MAPPA' on page 40 turns to the glossary; if it is not there, nor spelt out the first
time the report uses it ('Multi-Agency Public Protection Arrangements (MAPPA)'), the report has lost them.
`check` and `build` list each abbreviation missing, how often the report uses it and where it is first used,
in document order. The officer adds the missing ones under `glossary:` in report.yaml, which the glossary
chapter prints (content.glossary).

An abbreviation here is a word of two or more capitals (and figures: GCP2), with an optional plural 's'
(ACEs). Not counted: the names of the registered agencies (NSPCC, YMCA Wirral: a name, not an abbreviation),
the few every reader knows (UK, NHS), Roman numerals, words written in capitals in a heading, and words
the report also writes in small letters ('MY Voice': a name in capitals, not an abbreviation).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from assembler.config import ReportConfig
from assembler.problems import Problem
from assembler.schema import Block, Heading, ListBlock, Notes, Paragraph, Quote, Report, SectionKey, Table, section_title

ABBREVIATION = re.compile(r"(?<![\w&-])([A-Z][A-Z0-9&]*(?:-[A-Z][A-Z0-9]*)*[A-Z0-9])(s?)(?![\w&])")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Known to every reader of a British public report: no glossary entry needed.
EVERYONE_KNOWS = frozenset({"UK", "NHS", "BBC", "TV", "OK", "GP", "GPs", "COVID", "PDF", "IT"})
# Short English words an agency may write in capitals in a name ('MY Voice'), never abbreviations in a report.
COMMON_WORDS = frozenset({"MY", "IS", "AT", "IN", "ON", "OF", "TO", "WE", "BE", "NO", "SO", "UP", "GO", "DO", "ME", "HE",
                          "AN", "OR", "AS", "BY", "IF", "THE", "AND", "FOR", "OUR", "YOU", "ALL", "NEW"})
ROMAN = re.compile(r"^[IVXLC]+$")
SHOWN = 12  # abbreviations named in one warning; the rest are counted
GLOSSARY_FIX = ("add each under glossary: in report.yaml (e.g. 'WSCP: Wirral Safeguarding Children Partnership'), "
                "or spell it out where it is first used")


@dataclass(frozen=True)
class Missing:
    abbreviation: str
    uses: int
    first_used: str  # the section of the report: 'Introduction', 'Merseyside Police: About our agency'


def glossary_terms(report: Report, config: ReportConfig) -> set[str]:
    """The abbreviations the glossary chapter's tables define, and those report.yaml adds."""
    terms = set(config.glossary)
    for chapter in report.chapters:
        if chapter.id == config.glossary_chapter:
            for block in chapter.blocks:
                if isinstance(block, Table):
                    terms.update(row[0].split(" ")[0].strip() for row in block.rows if row)
    return {_singular(term) for term in terms if term}


def missing_abbreviations(report: Report, config: ReportConfig) -> list[Missing]:
    """Abbreviations used in the report, not in the glossary and not spelt out at first use, in order of first use."""
    known = glossary_terms(report, config) | EVERYONE_KNOWS | _names(config)
    texts = list(_texts(report, config))
    ordinary = {w for _, text in texts for w in WORD.findall(text) if w.islower()}
    uses: Counter[str] = Counter()
    first: dict[str, str] = {}
    expanded: set[str] = set()
    for where, text in texts:
        for match in ABBREVIATION.finditer(text):
            word = match.group(1)
            # A word the report also writes in small letters ('MY Voice', 'the SAFE system') is a word in capitals.
            if word in known or word in COMMON_WORDS or ROMAN.match(word) or word.casefold() in ordinary or sum(c.isupper() for c in word) < 2:
                continue
            uses[word] += 1
            if word not in first:
                first[word] = where
                if _spelt_out(text, match):
                    expanded.add(word)
    return [Missing(word, uses[word], first[word]) for word in first if word not in expanded]


def abbreviation_warning(missing: list[Missing], report_yaml: str) -> Problem | None:
    """One warning listing what is missing: printed by check and build, never stopping either."""
    if not missing:
        return None
    listed = "; ".join(f"{m.abbreviation} ({m.uses} use{'s' if m.uses != 1 else ''}, first in {m.first_used})"
                       for m in missing[:SHOWN])
    more = f"; and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
    return Problem(code="undefined_abbreviation", severity="warning", file=report_yaml, field="glossary",
                   message=f"{len(missing)} abbreviation{'s are' if len(missing) != 1 else ' is'} used in the report but "
                   f"neither in the glossary nor spelt out at first use: {listed}{more}", fix=GLOSSARY_FIX)


def _singular(term: str) -> str:
    return term[:-1] if len(term) > 2 and term.endswith("s") and term[:-1].isupper() else term


def _names(config: ReportConfig) -> set[str]:
    """Capitalised words of the registered agencies' names and aliases, and of the partnership's: names, not
    abbreviations (the partnership's short name is one, and is in the glossary like any other)."""
    names = [config.partnership.name] + [a.name for a in config.agencies] + [alias for a in config.agencies for alias in a.aliases]
    return {m.group(1) for name in names for m in ABBREVIATION.finditer(name)}


def _spelt_out(text: str, match: re.Match) -> bool:
    """'Multi-Agency Public Protection Arrangements (MAPPA)' or 'MAPPA (Multi-Agency Public …)': the words
    beside it in brackets, or before it in brackets, begin with its letters in order ('Protecting Vulnerable
    People (PPU)' does not spell out PPU)."""
    letters = [c for c in match.group(1).casefold() if c.isalpha()]
    before = text[:match.start()].rstrip()
    after = text[match.end():].lstrip()
    if before.endswith("(") and after.startswith(")"):
        return _initials_spell(WORD.findall(before[:-1])[-(len(letters) + 4):], letters)
    if after.startswith("("):
        return _initials_spell(WORD.findall(after[1:].split(")", 1)[0]), letters)
    return False


def _initials_spell(words: list[str], letters: list[str]) -> bool:
    """Whether the first letters of the last words spell the abbreviation (small words such as 'and' or 'of'
    may be left out of it): the abbreviation's letters are, in order, the initials of some of the words."""
    initials = [w[0].casefold() for w in words]
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def _texts(report: Report, config: ReportConfig) -> Iterator[tuple[str, str]]:
    """(where, text) of everything the report prints, in print order; the glossary chapter itself is not a use."""
    for chapter in report.chapters:
        if chapter.id == config.glossary_chapter:
            continue
        yield from ((chapter.title, text) for text in _block_texts(chapter.blocks))
        if chapter.id == config.agency_chapter:
            for submission in report.submissions:
                for key in SectionKey:
                    blocks = submission.section(key)
                    where = f"{submission.agency_name}: {section_title(key, config.activity_year, config.plan_year)}"
                    yield from ((where, text) for text in _block_texts(blocks))
                for indicator in submission.indicators:
                    yield f"{submission.agency_name}: key indicators", " ".join(filter(None, (indicator.label, indicator.note)))
                for study in submission.case_studies:
                    where = f"{submission.agency_name}: case study '{study.title}'"
                    yield where, study.title
                    yield from ((where, text) for text in _block_texts(study.blocks))


def _block_texts(blocks: list[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading):
            if not block.text.isupper():  # a heading in capitals is shouting, not abbreviating
                yield block.text
        elif isinstance(block, (Paragraph, Quote)):
            yield "".join(run.text for run in block.runs)
            if isinstance(block, Quote) and block.attribution:
                yield block.attribution
        elif isinstance(block, ListBlock):
            yield from _list_texts(block)
        elif isinstance(block, Table):
            yield from (cell for row in block.header_rows + block.rows for cell in row)
            if block.caption:
                yield block.caption
        elif isinstance(block, Notes):
            yield from ("".join(run.text for run in item.runs) for item in block.items)


def _list_texts(block: ListBlock) -> Iterator[str]:
    for item in block.items:
        yield "".join(run.text for run in item.runs)
        if item.children:
            yield from _list_texts(item.children)
