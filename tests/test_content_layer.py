"""The content layer: figure expressions, chart alt text, Markdown blocks and the order of the document."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from assembler.assemble import load_partnership_content
from assembler.document.charts import chart_data
from assembler.config import load_config
from assembler.document.figures import FigureError, render_figures
from assembler.content.markdown import MissingAltText, parse_markdown
from assembler.document.report import EMPTY_SECTION_TEXT, build_document, format_indicator
from assembler.schema import (
    CaseStudy,
    ChartRef,
    DataTable,
    Heading,
    Indicator,
    ListBlock,
    Paragraph,
    Run,
    SourceFile,
    Submission,
)

from conftest import SAMPLE_INPUTS

INCOME = DataTable(
    id="funding.income", title="Income", columns=["Partner", "Amount"],
    rows=[["Wirral Council", 139936], ["NHS Cheshire and Merseyside ICB", 43510], ["Merseyside Police", 19850], ["Total", 203296]],
)
EXPENDITURE = DataTable(id="funding.expenditure", title="Spend", columns=["Category", "Amount"], rows=[["Staffing", 250000.0], ["Running", 55520.0]])
TABLES = {t.id: t for t in (INCOME, EXPENDITURE)}


# --- figure expressions -------------------------------------------------------------------

def test_lookup_total_share_and_arithmetic_render_with_their_filters():
    text = render_figures(
        'Council {{ lookup("funding.income", "Wirral Council", "Amount") | money }} '
        '({{ share("funding.income", "Wirral Council", "Amount") | pct }}); '
        'spent {{ total("funding.expenditure", "Amount") | money }}, '
        'gap {{ (total("funding.expenditure", "Amount") - total("funding.income", "Amount")) | money }}; '
        '{{ lookup("funding.income", "Merseyside Police", "Amount") | number }} people',
        TABLES,
    )
    # 'Total' rows are the workbook's own sum, not a partner: totals and shares leave them out.
    assert text == "Council £139,936 (69%); spent £305,520, gap £102,224; 19,850 people"
    assert render_figures("{{ (0 - 35673) | money }}", TABLES) == "-£35,673"


@pytest.mark.parametrize("expression, named", [
    ('lookup("funding.income", "Wirral Fire", "Amount")', "Wirral Fire"),
    ('lookup("funding.nothing", "Wirral Council", "Amount")', "funding.nothing"),
    ('total("funding.income", "Pounds")', "Pounds"),
    ("unknown_function(1)", "unknown name"),
    ("1 +", "cannot be read"),
])
def test_an_expression_with_no_value_is_an_error_naming_what_is_missing(expression, named):
    with pytest.raises(FigureError) as error:
        render_figures("Income was {{ " + expression + " }}.", TABLES)
    assert named in str(error.value)


def test_expressions_cannot_reach_python_internals():
    with pytest.raises(FigureError):
        render_figures("{{ total.__globals__ }}", TABLES)


def test_a_chapter_with_a_missing_figure_is_reported_with_its_file(sample_inputs: Path):
    chapter = sample_inputs / "chapters" / "glossary.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\nWe spent {{ lookup("funding.income", "Nobody", "Amount") | money }}.\n', encoding="utf-8")
    config = load_config(sample_inputs / "report.yaml")
    problems = load_partnership_content(sample_inputs, config, []).problems
    assert len(problems) == 1
    assert problems[0].file.endswith("glossary.md") and "Nobody" in problems[0].message


@pytest.mark.parametrize("front_matter, line, words", [
    ("---\ntitle: Glossary\nsummary_bullets: [one, two\n---\n", 3, "expected ',' or ']'"),
    ('---\ntitle: "Glossary\nsummary_heading: Terms\n---\n', 2, "unexpected end of stream"),
    ("---\ntitle: Glossary\nsummary_heading: Terms\x0b used\n---\n", 3, "U+000B"),
    ("---\ntitle: Glossary\n  bad: indent\n---\n", 3, "mapping values are not allowed"),
    ("---\n- just\n- a list\n---\n", 2, "'key: value' lines"),
    ("---\ntitle: Glossary\n", 1, "no closing '---' line"),
])
def test_a_chapter_s_broken_front_matter_is_reported_at_the_file_s_line_in_plain_words(sample_inputs: Path, front_matter, line, words):
    chapter = sample_inputs / "chapters" / "glossary.md"
    body = chapter.read_text(encoding="utf-8").split("---\n", 2)[-1]
    chapter.write_text(front_matter + body, encoding="utf-8")
    config = load_config(sample_inputs / "report.yaml")
    problems = load_partnership_content(sample_inputs, config, []).problems
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file.endswith("glossary.md") and problem.line == line
    assert words in problem.message and "unicode string" not in problem.message


# --- charts ---------------------------------------------------------------------------------

def test_chart_alt_text_says_every_bar_its_share_and_the_total():
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    income = next(c for c in config.charts if c.id == "income-by-partner")
    alt = chart_data(income, {"funding.income": INCOME}).alt_text
    assert alt == (
        "Income by partner, 2023-24: Wirral Council £139,936 (69%), NHS Cheshire and Merseyside ICB £43,510 (21%), "
        "Merseyside Police £19,850 (10%). Total £203,296."
    )


def test_sample_income_chart_matches_the_published_figures():
    content = load_partnership_content(SAMPLE_INPUTS, load_config(SAMPLE_INPUTS / "report.yaml"), [])
    alt = content.charts["income-by-partner"].alt_text
    assert alt.startswith("Income by partner, 2023-24: Wirral Council £139,936 (52%),")
    assert alt.endswith("Total £269,847.")


# --- Markdown -------------------------------------------------------------------------------

def test_markdown_gives_headings_lists_tables_and_chart_references():
    blocks = parse_markdown(
        "## Money\n\nWe **spent** it *well*, see [the plan](https://example.org/plan).\n\n"
        "- ♦ one\n  - nested\n- two\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
        '![chart](chart:income-by-partner "Figure 1: Income")\n'
    )
    kinds = [b.kind for b in blocks]
    assert kinds == ["heading", "paragraph", "list", "table", "chart"]
    assert blocks[1].runs[1] == Run(text="spent", bold=True)
    assert blocks[1].runs[-2].link == "https://example.org/plan"
    bullets = blocks[2]
    assert bullets.items[0].runs[0].text == "one"  # a typed ♦ inside a bullet item is not printed twice
    assert bullets.items[0].children.items[0].runs[0].text == "nested"
    assert blocks[3].header_rows == [["A", "B"]] and blocks[3].rows == [["1", "2"]]
    assert blocks[4] == ChartRef(chart="income-by-partner", caption="Figure 1: Income")


def test_a_picture_without_a_description_is_refused():
    with pytest.raises(MissingAltText):
        parse_markdown("![](photo.png)")


# --- the document's order -------------------------------------------------------------------

def _submission(agency_id: str, name: str, **sections) -> Submission:
    return Submission(
        agency_id=agency_id, agency_name=name, period="2023-24",
        source=SourceFile(path=f"{agency_id}.docx", sha256="0" * 64, format="docx", received=datetime(2024, 4, 1)),
        **sections,
    )


def test_agency_sections_sit_inside_multi_agency_working_alphabetically_then_case_studies():
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    police = _submission("merseyside-police", "Merseyside Police",
                         about=[Heading(level=1, text="Our teams"), Paragraph(runs=[Run(text="We police Wirral.")])],
                         indicators=[Indicator(label="Referrals", value=1257, unit="count"), Indicator(label="Training", value=91.2, unit="%")],
                         case_studies=[CaseStudy(title="Child A", blocks=[Paragraph(runs=[Run(text="Safe now.")])])])
    barnardos = _submission("barnardos", "Barnardo's", activity=[ListBlock(items=[])])
    content = load_partnership_content(SAMPLE_INPUTS, config, [police, barnardos])
    document = build_document(content.report, config, SAMPLE_INPUTS, content.charts)
    ids = [s.id for s in document.sections]
    chapter_ids = [f"chapter-{c}" for c in config.chapters]
    assert [i for i in ids if i.startswith("chapter-")] == chapter_ids
    start = ids.index("chapter-multi-agency-working")
    assert ids[start + 1:start + 5] == ["agency-barnardos", "agency-merseyside-police", "case-studies", "returns-not-received"]
    assert ids[start + 5] == "chapter-big-learn-event"

    police_section = document.sections[start + 2]
    assert police_section.level == 2 and police_section.title == "Merseyside Police"
    headings = [(b.level, b.text) for b in police_section.blocks if isinstance(b, Heading)]
    # The agency's own heading goes under the section heading, never above or beside it.
    assert headings[:2] == [(3, "About our agency and what we do"), (4, "Our teams")]
    assert (3, "Planned safeguarding priorities for 2024") in headings and (3, "Key indicators (Merseyside Police)") in headings
    empty = [b for b in police_section.blocks if isinstance(b, Paragraph) and b.runs[0].text == EMPTY_SECTION_TEXT]
    assert len(empty) == 2  # activity and priorities were left blank, and say so in print
    table = police_section.blocks[-1]
    assert table.header_rows == [["Indicator", "Value"]] and table.rows == [["Referrals", "1,257"], ["Training", "91.2%"]]


@pytest.mark.parametrize("indicator, printed", [
    (Indicator(label="x", value=34000, unit="£"), "£34,000"),
    (Indicator(label="x", value=0.5, unit="£"), "£0.50"),
    (Indicator(label="x", value=91.2, unit="%"), "91.2%"),
    (Indicator(label="x", value=100, unit="%"), "100%"),
    (Indicator(label="x", value=3, unit="visits"), "3 visits"),
    (Indicator(label="x", value=None, raw="about a third"), "about a third"),
    (Indicator(label="x", value=None, raw="=B4+B5"), "not available"),
    (Indicator(label="x", value=250, raw="250+", after="+"), "250+"),
    (Indicator(label="x", value=300, raw="approx 300", before="approx "), "approx 300"),
    (Indicator(label="x", value=34000, unit="£", raw="approx 34000", before="approx "), "approx £34,000"),
    (Indicator(label="x", value=5, raw="<5", before="<"), "<5"),
])
def test_indicators_print_as_a_reader_expects(indicator, printed):
    assert format_indicator(indicator) == printed
