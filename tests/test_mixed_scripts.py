"""One paragraph mixing scripts and directions (issue 16): Latin, Hebrew, Arabic, Devanagari, Chinese, Japanese kana
and emoji side by side, sometimes with no space between them, print in both report files, and the build's own
nothing-lost check finds every word in the PDF's extracted text (PDFium's) and in the DOCX."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembler.checks.nothing_lost import _expect, _unmatched, docx_text, find_losses, pdf_text, words
from assembler.cli import main

from conftest import SAMPLE_INPUTS

AGENCY = "SEND Local Offer Team"  # in the registry, and sent nothing in the sample
HEADINGS = ("About our agency & what we do", "2023 Activity and What We Would Like to Celebrate",
            "Our safeguarding priorities for 2024")
MIXED = {
    "found by the fuzz": "0丑000び0ؾ ט",
    "cjk before hebrew": "Our 丑 שלום team and びび عمل together.",
    "emoji in hebrew": "We heard 😀 שלום 😀😀 עולם 🙂 from the families.",
    "glued directions": "The שלוםabc team and abcעולם group met 12ילדים and مرحبا١٢٣ friends.",
    "every script": "Staff हमारी टीम met 我们的团队 and すべて with مرحبا بكم and הצוות שלנו 👍 daily.",
    "hebrew first": "שלום world 丑 and 😀 עולם again.",
    # PDFium mirrors brackets and quotes in right-to-left text, and spells some symbols out ('®' as 'R')
    "symbols in hebrew": "שלום ®0 (כן) «לא» ½ ‘x’ ⓫ עולם ≤ 3.",
}


def _return(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(AGENCY, style="Title")
    document.add_heading(HEADINGS[0], level=1)
    for text in MIXED.values():
        document.add_paragraph(text)
    document.add_heading(HEADINGS[1], level=1)
    document.add_paragraph("We met every family twice.")
    document.add_heading(HEADINGS[2], level=1)
    document.add_paragraph("Keep every child safe.")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("mixed")
    inputs = tmp / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    _return(inputs / "returns" / "SEND Local Offer Team return.docx")
    out = tmp / "out"
    # Exit 0: the build's nothing-lost check (and the rest) found nothing wrong with either file.
    assert main(["build", "--inputs", str(inputs), "--out", str(out), "--only", "report"]) == 0
    return out


def _missing(typed: str, output: str) -> list[str]:
    """The build's own rule (nothing_lost): words in order, a paragraph with right-to-left words in any order."""
    expected = _expect("agency", "section", typed, ())
    stream = words(output)
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(stream):
        positions.setdefault(word, []).append(index)
    return _unmatched(expected.words, stream, positions, 0, len(stream), expected.unordered)


@pytest.mark.parametrize("name", MIXED)
def test_every_word_of_a_mixed_paragraph_is_in_both_report_files(built: Path, name: str):
    typed = MIXED[name]
    for output, text in (("PDF", pdf_text(built / "annual-report.pdf")), ("DOCX", docx_text(built / "annual-report.docx"))):
        assert _missing(typed, text) == [], f"{output} lost words of {name!r}"


def test_the_docx_keeps_each_mixed_paragraph_as_typed(built: Path):
    paragraphs = [p.text for p in docx.Document(built / "annual-report.docx").paragraphs]
    for typed in MIXED.values():
        assert typed in paragraphs


def test_emoji_between_hebrew_words_come_out_of_the_pdf(built: Path):
    """PDFium reads a right-to-left stretch backwards, an emoji's two UTF-16 halves included."""
    text = pdf_text(built / "annual-report.pdf")
    assert "😀" in text and "🙂" in text and "👍" in text
    assert not any(0xD800 <= ord(char) <= 0xDFFF for char in text)
    assert text.count("😀") >= 3


def test_a_space_after_a_chinese_character_stays_a_space(built: Path):
    """The CJK fallback font has no space glyph: a space drawn in it is lost and glues the words together."""
    text = pdf_text(built / "annual-report.pdf")
    assert "丑 שלום" in text or "שלום 丑" in text
    assert "丑שלום" not in text and "שלום丑" not in text


def test_surrogate_halves_swapped_by_the_extractor_are_put_back():
    from assembler.checks.pdf_text import _whole_characters

    assert _whole_characters("a \ude00\ud83d b") == "a 😀 b"
    # two emoji read backwards: the middle halves look like a pair the right way round, but are not
    assert _whole_characters("\ude00\ud83d\ude00\ud83d") == "😀😀"
    assert _whole_characters("😀 \ude42\ud83d x") == "😀 🙂 x"
    assert _whole_characters("plain 😀 text") == "plain 😀 text"
    assert _whole_characters("lone \ud83d half") == "lone  half"


def test_words_are_cut_where_directions_meet_and_numbers_stand_apart():
    assert words("abcשלום def") == ["abc", "שלום", "def"]
    assert words("ص١٢٣ب 12ילדים ab12ש") == ["ص", "١٢٣", "ب", "12", "ילדים", "ab", "12", "ש"]
    assert words("latin x123 only") == ["latin", "x", "123", "only"]  # the same cut in every text, both sides


def test_a_word_of_two_directions_given_back_in_visual_order_is_not_a_loss():
    typed = "Agency about\nThe שלוםabc team.\nAfter."
    expected = [_expect("Agency", "about", typed, ("agency", "about"))]
    visual = "Agency about\nThe abc שלום team.\nAfter."  # what a left-to-right reading of the drawn line gives
    assert find_losses("x.pdf", visual, expected) == []
    assert find_losses("x.pdf", visual.replace("abc", ""), expected)[0].missing_words == ["abc"]


# -- the PDF writer alone: lines drawn in visual order, spaces in a font that has them -----------------------------

@lru_cache(maxsize=1)
def _styles():
    from assembler.config import load_config
    from assembler.writers.pdf.styles import make_styles

    config = load_config(SAMPLE_INPUTS / "report.yaml")
    return make_styles(config.brand, config.brand.fonts.body_size)


def _drawn(text: str, width: float = 400) -> list[tuple[str, str]]:
    """(font, text) of each piece drawn on the paragraph's first line, left to right."""
    from assembler.writers.pdf.bidi import _visual_lines
    from assembler.writers.pdf.markup import paragraph, text_markup

    para = paragraph(text_markup(text, _styles()), _styles().body)
    para.wrap(width, 1000)
    line = _visual_lines(para.blPara, para.base_direction).lines[0]
    return [(frag.fontName, frag.text) for frag in line.words]


def test_spaces_are_drawn_in_the_brand_font():
    brand = _styles().fonts.regular
    for font, text in _drawn("丑 שלום 丑 abc び 😀 ט"):
        if text.strip() == "":
            assert font == brand, (font, text)
        assert " " not in text or font in (brand, "Brand-Hebrew", "Brand-Arabic", "Brand-Devanagari"), (font, text)


def test_a_word_of_two_directions_is_drawn_in_bidirectional_order():
    from assembler.writers.pdf.fonts import pdf_font_for
    from assembler.writers.pdf.shaping import shape_word

    assert pdf_font_for("ש") == "Brand-Hebrew"  # registers the font with reportlab too
    hebrew = shape_word("שלום", "Brand-Hebrew")[0]
    # A left-to-right paragraph: Latin then the Hebrew word, as typed.
    assert "".join(text for _, text in _drawn("Team abcשלום def")) == f"Team abc{hebrew} def"
    # A paragraph that opens in Hebrew reads from the right: the Hebrew word rightmost, the Latin to its left.
    assert "".join(text for _, text in _drawn("שלוםabc def")) == f"abc def{hebrew}"
    # A number after Hebrew letters stands with them, to their left; one after Latin letters stays with those.
    children = shape_word("ילדים", "Brand-Hebrew")[0]
    assert "".join(text for _, text in _drawn("met ילדים12 today")) == f"met 12{children} today"
    assert "".join(text for _, text in _drawn("met 12ילדים today")) == f"met 12{children} today"
    assert "".join(text for _, text in _drawn("met ab12ילדים today")) == f"met ab12{children} today"


def test_brackets_inside_right_to_left_text_are_drawn_mirrored():
    """'(כן)' read from the right opens with '(' on the right: drawn left to right, that glyph is ')'."""
    from assembler.writers.pdf.shaping import shape_word

    yes = shape_word("כן", "Brand-Hebrew")[0]
    line = "".join(text for _, text in _drawn("שלום (כן) «טוב»"))
    assert f"({yes})" in line and f"«{shape_word('טוב', 'Brand-Hebrew')[0]}»" in line
    assert "".join(text for _, text in _drawn("abc (כן) def")) == f"abc ({yes}) def"  # between two directions: the paragraph's


# -- odd-but-valid paragraphs, generated: written as a PDF, read back by PDFium, nothing lost ---------------------

SCRIPTS = [(0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x5D0, 0x5EA), (0x621, 0x64A), (0x905, 0x939), (0x4E00, 0x4FFF),
           (0x3041, 0x3096), (0x1F600, 0x1F64F)]
LETTERS = st.one_of(*[st.characters(min_codepoint=low, max_codepoint=high, exclude_categories=("Cn", "Mn", "Mc"))
                      for low, high in SCRIPTS])
WORDS = st.text(LETTERS, min_size=1, max_size=8)
# Two paragraphs of one character each come back from PDFium as one word ('A', 'A' as 'AA'), whatever the script:
# its line-break guess scales with the width of the line's text. Not what this test is about.
PARAGRAPHS = st.lists(WORDS, min_size=1, max_size=12).map(" ".join).filter(lambda text: len(text) > 1)


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(PARAGRAPHS, min_size=1, max_size=3))
def test_any_mixture_of_scripts_comes_back_out_of_the_pdf(texts, tmp_path_factory):
    from reportlab.platypus import SimpleDocTemplate

    from assembler.checks.pdf_text import pdf_page_texts
    from assembler.writers.pdf.markup import paragraph, text_markup

    path = tmp_path_factory.mktemp("mixture") / "mixed.pdf"
    styles = _styles()
    SimpleDocTemplate(str(path), initialFontName=styles.fonts.regular, invariant=1).build(
        [paragraph(text_markup(text, styles), styles.body) for text in texts])
    output = "\n".join(pdf_page_texts(path))
    for text in texts:
        assert _missing(text, output) == [], (text, output)
