"""Numbers as typed and headings as worded by agencies."""

from __future__ import annotations

import pytest

from assembler.readers.headings import match_heading
from assembler.readers.text_blocks import text_to_blocks
from assembler.readers.values import parse_value
from assembler.schema import ListBlock, Paragraph


@pytest.mark.parametrize("raw, number_format, value, unit", [
    ("91.2%", None, 91.2, "%"),
    ("98.7 %", None, 98.7, "%"),
    (0.912, "0.0%", 91.2, "%"),
    ("1,257", None, 1257, None),
    ("£34,000", None, 34000, "£"),
    ("£1.2m", None, 1_200_000, "£"),
    (372, "General", 372, None),
    ("3", None, 3, None),
    ("approx 300", None, 300, None),
    # Negative sums as finance teams type them: in brackets, or with the minus before the pound sign.
    ("(12)", None, -12, None),
    ("£(1,204)", None, -1204, "£"),
    ("(£1,204.50)", None, -1204.5, "£"),
    ("-£1,204", None, -1204, "£"),
    ("(0)", None, 0, None),
])
def test_numbers_with_units(raw, number_format, value, unit):
    parsed = parse_value(raw, number_format)
    assert (parsed.value, parsed.unit) == (value, unit)


def test_a_negative_sum_prints_with_its_minus_before_the_pound_sign():
    from assembler.document.report import FIGURE, format_indicator
    from assembler.readers.indicators import make_indicator

    printed = [format_indicator(make_indicator("Underspend", raw)) for raw in ("£(1,204)", "-£1,204.50", "£-34,000")]
    assert printed == ["-£1,204", "-£1,204.50", "-£34,000"]  # was '£-1,204', and '-£1,204' was not a number at all
    assert all(FIGURE.match(text) for text in printed)  # set right-aligned with the other figures


@pytest.mark.parametrize("raw", ["TBC", "xx%", "", None, "n/a", "about a third", "(approx 300)", "(n/a)"])
def test_not_a_number(raw):
    assert parse_value(raw).value is None


def test_approximate_is_flagged():
    assert parse_value("approx 300").approximate and not parse_value("300").approximate
    from assembler.readers.indicators import make_indicator

    assert make_indicator("Visits", "250+").after == "+" and not make_indicator("Visits", "250").after
    # The qualifier is kept and the unit from its own column still printed: 'approx 91%', 'c. 250 visits'.
    from assembler.document import format_indicator

    assert format_indicator(make_indicator("Rate", "approx 91", unit="%")) == "approx 91%"
    assert format_indicator(make_indicator("Visits", "c. 250", unit="visits")) == "c. 250 visits"
    assert format_indicator(make_indicator("Small", "<5")) == "<5"


@pytest.mark.parametrize("text, part, exact", [
    ("About our agency and what we do", "about", True),
    ("About our agency & what we do", "about", True),
    ("2023 Activity and What We Would Like to Celebrate", "activity", True),
    ("Planned Safeguarding priorities for 2024", "priorities", True),
    ("Our safeguarding priorities for 2024", "priorities", False),
    ("Key indicators", "indicators", False),
    ("Case study: Beacon", "case_study", False),
    ("Contact details", "contact", False),
])
def test_headings_match_tolerantly(text, part, exact):
    match = match_heading(text)
    assert match is not None and match.part == part and match.exact == exact


@pytest.mark.parametrize("text", ["Merseyside Police", "Fire Cadets", "We ran three programmes this year and many more young people came to each of them than before"])
def test_other_text_is_not_a_section_heading(text):
    match = match_heading(text)
    assert match is None or match.part not in ("about", "activity", "priorities")


def test_cell_text_becomes_paragraphs_and_lists():
    blocks = text_to_blocks("Our offer:\n- Family Hubs\n• Youth Service\n\n1. First\n2. Second\nClosing line.")
    assert isinstance(blocks[0], Paragraph) and blocks[0].runs[0].text == "Our offer:"
    assert isinstance(blocks[1], ListBlock) and not blocks[1].ordered and [i.runs[0].text for i in blocks[1].items] == ["Family Hubs", "Youth Service"]
    assert isinstance(blocks[2], ListBlock) and blocks[2].ordered and len(blocks[2].items) == 2
    assert blocks[3].runs[0].text == "Closing line."
