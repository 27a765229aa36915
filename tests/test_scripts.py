"""Any text an agency can type prints: a return written in every script builds, and its words come back
out of both report files; a character no bundled font has is a `check` problem naming agency and section."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from assembler.checks.nothing_lost import docx_text, pdf_text, words
from assembler.cli import main

from conftest import SAMPLE_INPUTS

AGENCY = "SEND Local Offer Team"  # in the registry, and sent nothing in the sample
SCRIPTS = {
    "welsh": "Mae'r tîm yn gweithio gyda phlant: ŵ ŷ Ŵ Ŷ ẁ ẃ ẅ ỳ, Siân a Gwenllïan, Łucja, Zoë, São Tomé.",
    "greek": "Η ομάδα μας προστατεύει τα παιδιά σε κάθε γειτονιά.",
    "cyrillic": "Наша команда защищает детей в каждом районе.",
    "arabic": "يعمل فريقنا مع الأطفال والعائلات في كل حي من أحياء المدينة.",
    "hebrew": "הצוות שלנו עובד עם ילדים ומשפחות בכל שכונה.",
    "devanagari": "हमारी टीम हर मोहल्ले में बच्चों और परिवारों के साथ काम करती है।",
    "chinese": "我们的团队在每个社区与儿童和家庭合作。",
    "japanese": "私たちのチームは、すべての地域で子どもと家族を支えています。",
    "emoji": "Families told us 👍🏽 and 👨‍👩‍👧 and ❤️ and 🙂 in their feedback.",
    "invisible": "Co\u00adoperation with zero\u200bwidth spaces and joiners stays whole.",
    "mathematical": "Our target is 𝐀𝐜𝐭𝐢𝐨𝐧 on 𝑒𝑣𝑒𝑟𝑦 referral.",
    "mixed": "The Arabic word مرحبا بكم means welcome, and the Hebrew שלום means peace.",
}
HEADINGS = ("About our agency & what we do", "2023 Activity and What We Would Like to Celebrate",
            "Our safeguarding priorities for 2024")


def _return(path: Path, paragraphs: dict[str, list[str]]) -> Path:
    document = docx.Document()
    document.add_paragraph(AGENCY, style="Title")
    for heading, texts in paragraphs.items():
        document.add_heading(heading, level=1)
        for text in texts:
            document.add_paragraph(text)
    document.save(path)
    return path


def _inputs(tmp: Path, extra: dict[str, str] | None = None) -> Path:
    inputs = tmp / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    about = list(SCRIPTS.values())[:6]
    activity = list(SCRIPTS.values())[6:] + list((extra or {}).values())
    _return(inputs / "returns" / "SEND Local Offer Team return.docx",
            {HEADINGS[0]: about, HEADINGS[1]: activity, HEADINGS[2]: ["Keep every child safe."]})
    return inputs


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("scripts")
    out = tmp / "out"
    assert main(["build", "--inputs", str(_inputs(tmp)), "--out", str(out), "--only", "report"]) == 0
    return out


def _all_found(typed: str, output: str) -> bool:
    """The build's own rule (nothing_lost): in order, a paragraph with right-to-left words in any order."""
    from assembler.checks.nothing_lost import _expect, _unmatched

    expected = _expect("agency", "section", typed, ())
    stream = words(output)
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(stream):
        positions.setdefault(word, []).append(index)
    return _unmatched(expected.words, stream, positions, 0, len(stream), expected.unordered) == []


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_words_of_every_script_are_in_both_report_files(built: Path, script: str):
    assert words(SCRIPTS[script]), script
    for name, text in (("DOCX", docx_text(built / "annual-report.docx")), ("PDF", pdf_text(built / "annual-report.pdf"))):
        assert _all_found(SCRIPTS[script], text), f"{name} lost words of the {script} text"


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_second_pdf_extractor_gives_the_words_back_too(built: Path, script: str):
    text = "\n".join(page.extract_text() for page in PdfReader(built / "annual-report.pdf").pages)
    assert _all_found(SCRIPTS[script], text), f"pypdf lost words of the {script} text"


def test_the_pdf_embeds_a_font_for_each_script(built: Path):
    fonts = set()
    for page in PdfReader(built / "annual-report.pdf").pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    names = " ".join(sorted(fonts))
    for family in ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "DroidSans", "DejaVuSans", "Symbola"):
        assert family in names, f"{family} not embedded: {names}"


def test_right_to_left_text_is_marked_right_to_left_in_the_docx(built: Path):
    document = docx.Document(built / "annual-report.docx")
    arabic = next(p for p in document.paragraphs if "يعمل فريقنا" in p.text)
    assert arabic._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
    run_xml = "".join(r._r.xml for r in arabic.runs)
    assert "<w:rtl/>" in run_xml and "<w:cs/>" in run_xml and 'w:bidi="ar-SA"' in run_xml
    chinese = next(p for p in document.paragraphs if "我们的团队" in p.text)
    assert 'w:eastAsia="Microsoft YaHei"' in "".join(r._r.xml for r in chinese.runs)
    welsh = next(p for p in document.paragraphs if "Siân" in p.text)
    assert all(r._r.rPr is None or r._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rtl") is None for r in welsh.runs)


@pytest.mark.poppler
def test_a_page_with_every_script_renders(built: Path, tmp_path: Path):
    """Renders the page (look at it: real glyphs, not boxes); here only that poppler draws it without complaint."""
    pages = [i for i, page in enumerate(PdfReader(built / "annual-report.pdf").pages, start=1) if "يعمل" in (page.extract_text() or "") or "Наша команда" in (page.extract_text() or "")]
    assert pages
    result = subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(pages[0]), "-l", str(pages[0]), str(built / "annual-report.pdf"), str(tmp_path / "page")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    assert list(tmp_path.glob("page*.png"))


def test_a_character_no_bundled_font_has_is_a_check_problem_naming_agency_and_section(tmp_path: Path, capsys):
    inputs = _inputs(tmp_path, {"private": "Our logo \U000F0001 and \uE123 are private characters; \uC548\uB155 is Korean."})
    main(["check", "--verbose", "--inputs", str(inputs), "--chase-out", str(tmp_path / "chase")])
    printed = " ".join((lambda c: c.out + c.err)(capsys.readouterr()).split())
    assert AGENCY in printed
    # Korean: no bundled font has it, and check says so, naming the section.
    line = next(line for line in printed.split(AGENCY) if "no font of the report can print" in line)
    assert "U+C548" in line and ("Activity" in line or "activity" in line)
    # A private symbol-font character: the firewall leaves it out and says which.
    line = next(line for line in printed.split(AGENCY) if "private symbol font" in line)
    assert "U+F0001" in line and "U+E123" in line and "activity" in line
    assert "U+0627" not in printed  # the Arabic and every other script of the same return print


def test_the_build_of_a_return_with_an_unprintable_character_does_not_blame_the_assembler(tmp_path: Path, capsys):
    inputs = _inputs(tmp_path, {"private": "Our greeting \uC548\uB155 is Korean, which no bundled font has."})
    code = main(["build", "--verbose", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--only", "report"])
    printed = (lambda c: c.out + c.err)(capsys.readouterr())
    assert code == 0, printed
    assert "fault in the assembler" not in printed
    assert "no font of the report can print" in " ".join(printed.split())


def test_a_second_build_in_a_fresh_process_writes_the_same_bytes(built: Path, tmp_path: Path):
    """Shaped glyphs are drawn through private codes allocated as words are first met; they never reach
    the PDF, so a process that shaped other words before writes the same file."""
    import os
    import sys

    inputs = built.parent / "inputs"
    out = tmp_path / "again"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    subprocess.run([sys.executable, "-m", "assembler", "build", "--inputs", str(inputs), "--out", str(out), "--only", "report"],
                   check=True, capture_output=True, env=env, timeout=300)
    assert (out / "annual-report.pdf").read_bytes() == (built / "annual-report.pdf").read_bytes()
    assert (out / "annual-report.docx").read_bytes() == (built / "annual-report.docx").read_bytes()


def test_words_are_drawn_in_visual_order_on_each_line():
    from assembler.writers.pdf.bidi import visual_order

    assert visual_order(["L", "R", "R", "L"], "L") == [0, 2, 1, 3]     # an Arabic phrase inside English
    assert visual_order(["R", "R", "L", "L"], "R") == [2, 3, 1, 0]     # English inside Arabic
    assert visual_order(["R", None, "R"], "L") == [2, 1, 0]           # a number between Arabic words is Arabic
    assert visual_order(["L", None, "R"], "L") == [0, 1, 2]           # ...and between two directions, the paragraph's


def test_shaped_glyphs_stand_for_the_letters_typed():
    from assembler.writers.pdf.fonts import pdf_font_for
    from assembler.writers.pdf.shaping import TEXTS, shape_word

    for word in ("बच्चों", "الأطفال", "क्षेत्र"):
        font = pdf_font_for(word[0])
        drawn, rtl = shape_word(word, font)
        texts = [TEXTS.get(ord(c), c) for c in drawn]
        assert not rtl or all(len(t) == 1 for t in texts)  # right to left, one letter a glyph: readers agree on those
        read = "".join(reversed(texts)) if rtl else "".join(texts)  # as a PDF reader reads it back
        assert read.replace("\u200d", "") == word


def test_numbers_in_arabic_read_left_to_right():
    from assembler.writers.pdf.fonts import pdf_font_for
    from assembler.writers.pdf.shaping import shape_word

    font = pdf_font_for("ب")
    assert shape_word("١٢٣", font)[0] == "١٢٣"
    drawn, rtl = shape_word("ص١٢٣ب", font)  # letter, number, letter: drawn from the right, the number as written
    assert rtl and drawn[1:4] == "١٢٣" and drawn[0] != "ص"


def test_normalised_words_ignore_how_text_was_encoded_or_drawn():
    assert words("\ufefb\ufe8e") == words("لا ا".replace(" ", ""))  # presentation forms fold to letters
    assert words("𝐀𝐜𝐭𝐢𝐨𝐧") == ["action"]
    assert words("co\u00adoperation") == words("cooperation") == words("co\u200doperation")


def test_a_paragraph_with_right_to_left_words_may_come_back_in_another_word_order():
    """PDFium reverses the whole of a line that is mostly Hebrew, English words included."""
    from assembler.checks.nothing_lost import Expectation, _expect, find_losses

    text = "Before it.\nWe work with הצוות שלנו עובד עם ילדים every day.\nAfter it."
    expected = [_expect("Agency", "about", text, ("agency", "about"))]
    reversed_line = "Agency about\nBefore it.\n.day every ילדים עם עובד שלנו הצוות with work We\nAfter it."
    assert find_losses("x.pdf", reversed_line, expected) == []
    assert find_losses("x.pdf", reversed_line.replace("ילדים", ""), expected)[0].missing_words == ["ילדים"]
    assert find_losses("x.pdf", reversed_line.replace("After", ""), expected)[0].missing_words == ["after"]
    assert isinstance(expected[0], Expectation) and expected[0].unordered == ((2, 12),)


def test_the_coverage_table_is_what_the_bundled_fonts_draw():
    """check reads the table; the writers read the fonts: they must agree (rerun tools/make_fonts.py)."""
    from fontTools.ttLib import TTFont

    from assembler.brand import FONT_DIR
    from assembler.checks.printable_text import is_printable

    fonts = ["LiberationSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf", "NotoSansDevanagari-Regular.ttf",
             "DejaVuSans.ttf", "DroidSansFallback-CJK.ttf", "Symbola.ttf"]
    drawn = set().union(*(TTFont(str(FONT_DIR / name), lazy=True).getBestCmap() for name in fonts))
    for code in (0x41, 0x175, 0x3B1, 0x436, 0x627, 0x5D0, 0x915, 0x4E2D, 0x3042, 0x1F642, 0x1D400):
        assert code in drawn and is_printable(chr(code)), hex(code)
    assert not is_printable("\ue123") and not is_printable("\U000f0001")
    from assembler.checks.font_coverage import RANGES
    assert {c for start, end in RANGES for c in range(start, end + 1)} == drawn
