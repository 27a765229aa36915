"""The sample partnership's own writing: every chapter and briefing loads cleanly and reads like a real report.

These tests read the shipped inputs/ folder directly, so a chapter that gains a
placeholder, an unknown figure or a broken chart reference fails here first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from assembler.config import load_config
from assembler.content.briefings import load_briefings
from assembler.content.chapters import load_chapters
from assembler.content.workbooks import load_workbooks
from assembler.schema import Briefing, Chapter, ChartRef, Heading, ListBlock, Quote, Table, plain_text
from assembler.template_fields import PLACEHOLDER_PATTERNS

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "inputs"

# Chapters that give the one-page summary a block, and the heading each gives it.
SUMMARY_CHAPTERS = {
    "introduction": "Introduction",
    "journey-of-the-child": "Journey of the Child",
    "key-activity": "Systemic Practice",
    "learning-from-case-reviews": "Case Reviews and Auditing",
    "big-learn-event": "Training and the Big Learn",
    "business-plan": "Priorities",
}

# Figures the published report quotes; the sample must produce them from its workbooks.
SEED_FIGURES = {
    "introduction": ["£269,847", "£139,936", "52%", "£305,520", "£35,673", "43,000"],
    "journey-of-the-child": ["372", "2,819", "777", "24,310"],
    "big-learn-event": ["956", "60", "493", "312"],
}

# A 7-minute briefing fills one A4 page in seven boxes: these bounds keep it there.
BRIEFING_SECTION_WORDS = (40, 80)
BRIEFING_TOTAL_WORDS = (380, 480)


@lru_cache(maxsize=1)
def _config():
    return load_config(INPUTS / "report.yaml")


@lru_cache(maxsize=1)
def _loaded() -> tuple[dict[str, Chapter], list]:
    tables, table_problems = load_workbooks(INPUTS)
    chapters, problems = load_chapters(INPUTS, _config().chapters, tables)
    return {c.id: c for c in chapters}, table_problems + problems


@lru_cache(maxsize=1)
def _briefings() -> tuple[list[Briefing], list]:
    return load_briefings(INPUTS)


def _chapter(chapter_id: str) -> Chapter:
    return _loaded()[0][chapter_id]


def _all_text(chapter: Chapter) -> str:
    return "\n".join([chapter.title, plain_text(chapter.blocks), *chapter.summary_bullets, chapter.summary_heading or ""])


def _words(text: str) -> int:
    return len(re.findall(r"[\w£%'’-]+", text))


def _walk_lists(block: ListBlock, depth: int = 1):
    for item in block.items:
        yield depth, item
        if item.children:
            yield from _walk_lists(item.children, depth + 1)


CHAPTER_IDS = [
    "introduction", "independent-scrutiny", "journey-of-the-child", "learning-from-case-reviews", "key-activity",
    "multi-agency-working", "big-learn-event", "progress-against-priorities", "business-plan", "glossary", "contact-us",
]


def test_report_yaml_lists_the_eleven_chapters_in_print_order():
    assert _config().chapters == CHAPTER_IDS


def test_every_chapter_loads_without_problems():
    chapters, problems = _loaded()
    assert [str(p) for p in problems] == []
    assert list(chapters) == CHAPTER_IDS


@pytest.mark.parametrize("chapter_id", CHAPTER_IDS)
def test_chapter_has_a_title_and_a_real_body(chapter_id):
    chapter = _chapter(chapter_id)
    assert chapter.title and chapter.title != chapter_id
    words = _words(plain_text(chapter.blocks))
    # The agency chapter is a short introduction: the build adds one section per return after it; the back page
    # (contacts, other formats) is short too.
    low, high = (80, 400) if chapter_id in ("multi-agency-working", "contact-us") else (300, 1400)
    assert low <= words <= high, f"{chapter_id}: {words} words"


@pytest.mark.parametrize("chapter_id", CHAPTER_IDS)
def test_no_placeholder_or_unrendered_expression(chapter_id):
    text = _all_text(_chapter(chapter_id))
    for pattern in PLACEHOLDER_PATTERNS:
        assert not pattern.search(text), f"{chapter_id}: placeholder {pattern.pattern!r}"
    assert "{{" not in text and "}}" not in text and "{%" not in text


@pytest.mark.parametrize("chapter_id", CHAPTER_IDS)
def test_headings_start_at_level_two_and_skip_none(chapter_id):
    # The build prints the chapter title as level 1, so the body's own headings start at 2.
    levels = [b.level for b in _chapter(chapter_id).blocks if isinstance(b, Heading)]
    assert levels, f"{chapter_id} has no sub-headings"
    assert levels[0] == 2 and min(levels) == 2
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"{chapter_id}: heading level jumps from {before} to {after}"


@pytest.mark.parametrize("chapter_id", CHAPTER_IDS)
def test_every_table_has_a_header_row_and_full_rows(chapter_id):
    for table in (b for b in _chapter(chapter_id).blocks if isinstance(b, Table)):
        assert len(table.header_rows) == 1 and all(table.header_rows[0])
        width = len(table.header_rows[0])
        assert table.rows and all(len(row) == width and all(cell.strip() for cell in row) for row in table.rows)


def test_chart_references_are_all_defined_in_report_yaml():
    defined = {chart.id for chart in _config().charts}
    used = [b.chart for c in _loaded()[0].values() for b in c.blocks if isinstance(b, ChartRef)]
    assert "training-by-sector" in used
    assert set(used) <= defined
    assert all(b.caption for c in _loaded()[0].values() for b in c.blocks if isinstance(b, ChartRef))


@pytest.mark.parametrize("chapter_id,heading", SUMMARY_CHAPTERS.items())
def test_summary_chapters_give_three_to_five_short_bullets(chapter_id, heading):
    chapter = _chapter(chapter_id)
    assert chapter.summary_heading and heading.casefold() in chapter.summary_heading.casefold()
    assert 3 <= len(chapter.summary_bullets) <= 5
    for bullet in chapter.summary_bullets:
        assert 8 <= _words(bullet) <= 45, bullet


def test_only_summary_chapters_feed_the_one_page_summary():
    others = [c.id for c in _loaded()[0].values() if c.id not in SUMMARY_CHAPTERS]
    assert all(not _chapter(i).summary_bullets and not _chapter(i).summary_heading for i in others)


@pytest.mark.parametrize("chapter_id,figures", SEED_FIGURES.items())
def test_published_figures_come_out_of_the_workbooks(chapter_id, figures):
    text = _all_text(_chapter(chapter_id))
    for figure in figures:
        # Whole numbers only: "956" must not be found inside "1,956" or "9,560".
        assert re.search(rf"(?<![\d£])(?<!\d[,.]){re.escape(figure)}(?!\d|[,.]\d)", text), f"{figure} missing from {chapter_id}"


def test_summary_key_figures_are_present():
    bullets = "\n".join(b for c in SUMMARY_CHAPTERS for b in _chapter(c).summary_bullets)
    for figure in ("43,000", "372", "956"):
        assert figure in bullets


def test_training_share_matches_the_published_half_from_the_local_authority():
    assert "50%" in plain_text(_chapter("big-learn-event").blocks)


def test_the_sample_uses_every_kind_of_block_somewhere():
    blocks = [b for c in _loaded()[0].values() for b in c.blocks]
    kinds = {b.kind for b in blocks}
    assert {"heading", "paragraph", "list", "table", "quote", "chart"} <= kinds
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert any(b.ordered for b in lists)
    assert any(depth == 2 for b in lists for depth, _ in _walk_lists(b)), "no nested list"
    assert any(run.link for b in blocks if hasattr(b, "runs") for run in b.runs), "no link in a paragraph or quote"
    assert sum(isinstance(b, Table) for b in blocks) >= 6
    assert any(isinstance(b, Quote) and b.attribution for b in blocks)


def test_the_sample_carries_text_that_tests_fonts():
    text = "\n".join(_all_text(c) for c in _loaded()[0].values())
    for name in ("Łucja", "Siân", "Gruffydd", "Zofia Wójcik"):
        assert name in text
    assert "♦" not in text and "stood out \u2013 each" in text  # a typed diamond is a dash (issue 21), not a glyph test
    emoji = [ch for ch in text if ord(ch) >= 0x1F300]
    assert len(emoji) == 1, f"one emoji expected, found {emoji}"


def test_glossary_is_a_table_of_about_twenty_five_terms():
    tables = [b for b in _chapter("glossary").blocks if isinstance(b, Table)]
    terms = [row[0] for table in tables for row in table.rows]
    assert 22 <= len(terms) <= 40
    assert len(set(terms)) == len(terms)
    assert {"CSPR", "MASH", "JTAI"} <= {t.split(" ")[0] for t in terms}


def test_multi_agency_chapter_is_a_short_introduction():
    chapter = _chapter("multi-agency-working")
    assert _words(plain_text(chapter.blocks)) <= 400
    assert not any(isinstance(b, (Table, ChartRef)) for b in chapter.blocks)


def test_data_workbooks_match_their_text_sources():
    """inputs/data/*.xlsx are generated: a source edited without regenerating would print stale figures."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sample_data", REPO / "tools" / "make_sample_data.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    tables, problems = load_workbooks(INPUTS)
    assert problems == []
    sources = sorted(tool.SOURCE_DIR.glob("*.yaml"))
    assert {s.stem for s in sources} == {p.stem for p in (INPUTS / "data").glob("*.xlsx")}
    for source in sources:
        for sheet in tool.load_source(source):
            table = tables[f"{source.stem}.{sheet['name']}".lower()]
            assert table.columns == [str(c) for c in sheet["columns"]], table.id
            expected = [[row[0]] + [float(v) for v in row[1:]] for row in sheet["rows"]]
            assert table.rows == expected, f"{table.id} is stale: run python3 tools/make_sample_data.py"


# ----------------------------------------------------------------------------- briefings

def test_three_briefings_load_without_problems():
    briefings, problems = _briefings()
    assert [str(p) for p in problems] == []
    assert len(briefings) == 3
    assert len({b.title for b in briefings}) == 3


@pytest.mark.parametrize("index", range(3))
def test_briefing_fits_one_page_in_seven_boxes(index):
    briefing = sorted(_briefings()[0], key=lambda b: b.slug)[index]
    assert len(briefing.sections) == 7
    counts = [_words(plain_text(s.blocks)) for s in briefing.sections]
    low, high = BRIEFING_SECTION_WORDS
    assert all(low <= n <= high for n in counts), f"{briefing.slug}: section words {counts}"
    low, high = BRIEFING_TOTAL_WORDS
    assert low <= sum(counts) <= high, f"{briefing.slug}: {sum(counts)} words"
    text = briefing.title + "\n" + "\n".join(s.heading + "\n" + plain_text(s.blocks) for s in briefing.sections)
    for pattern in PLACEHOLDER_PATTERNS:
        assert not pattern.search(text), f"{briefing.slug}: placeholder {pattern.pattern!r}"
    assert "{{" not in text


def test_briefings_use_the_usual_headings_with_one_variation():
    briefings = _briefings()[0]
    usual = ["Background", "Why it matters", "Information", "What you should do", "Questions to consider", "Learning", "Further information"]
    headings = [[s.heading for s in b.sections] for b in briefings]
    assert sum(h == usual for h in headings) == 2
    assert all(h[0] == "Background" and h[-1] == "Further information" for h in headings)
    assert all(b.date.isoformat().startswith(("2023", "2024")) and b.audience for b in briefings)


def test_partnership_content_loads_without_problems_before_any_returns():
    from assembler.assemble import load_partnership_content

    content = load_partnership_content(INPUTS, _config(), submissions=[])
    assert [str(p) for p in content.problems] == []
    assert [c.id for c in content.report.chapters] == CHAPTER_IDS
    assert set(content.charts) == {chart.id for chart in _config().charts}
    assert len(content.report.briefings) == 3


def test_the_sample_carries_what_real_reports_carry_and_no_placeholder_looking_content():
    """Issue 21, finding 10: the first thing a new partnership sees reads like a real report."""
    import hashlib
    import zipfile

    text = " ".join("\n".join(_all_text(c) for c in _loaded()[0].values()).split())
    assert "Children Act 2004" in text and "Children and Social Work Act 2017" in text          # the legal basis
    assert "Wirral Council, the NHS Cheshire and Merseyside Integrated Care Board (ICB) and Merseyside Police" in text
    assert "Wirral ranks 77 of the 317 local authority districts" in text                        # a deprivation rank
    assert "Strengths" in text and "Areas for improvement" in text                               # the inspection, listed
    assert "Child H" in text                                                                      # the briefing's review
    assert re.search(r"About \d+ were children in need", text) and not re.search(r"About \d+\.\d+ were", text)
    contact = " ".join(_all_text(_chapter("contact-us")).split())
    assert "another format" in contact and "wscp@wirral.example" in contact and "0151" in contact
    pictures = {}
    for name in ("Lighthouse Centre return.docx", "DA Hub WSCP return.docx"):
        with zipfile.ZipFile(REPO / "inputs" / "returns" / name) as package:
            media = [n for n in package.namelist() if n.startswith("word/media/")]
            pictures[name] = hashlib.sha256(package.read(media[0])).hexdigest()
    assert len(set(pictures.values())) == 2  # two pictures, not one placeholder-like shape pasted twice
