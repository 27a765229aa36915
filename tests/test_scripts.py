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


def _in_order(wanted: list[str], found: list[str]) -> bool:
    at = iter(found)
    return all(word in at for word in wanted)


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_words_of_every_script_are_in_both_report_files(built: Path, script: str):
    wanted = words(SCRIPTS[script])
    assert wanted, script
    for name, text in (("DOCX", docx_text(built / "annual-report.docx")), ("PDF", pdf_text(built / "annual-report.pdf"))):
        assert _in_order(wanted, words(text)), f"{name} lost words of the {script} text"


@pytest.mark.parametrize("script", [s for s in SCRIPTS if s not in ("arabic", "mixed")])
def test_a_second_pdf_extractor_gives_the_words_back_too(built: Path, script: str):
    """pypdf reads what a lam-alef ligature stands for in the opposite order to PDFium (see shaping.py),
    and moves the space after a right-to-left phrase in left-to-right text before it, gluing the phrase
    to the next word: those two are checked with PDFium (the build's own check) alone."""
    text = "\n".join(page.extract_text() for page in PdfReader(built / "annual-report.pdf").pages)
    assert _in_order(words(SCRIPTS[script]), words(text)), f"pypdf lost words of the {script} text"


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
    inputs = _inputs(tmp_path, {"private": "Our logo \U000F0001 and \uE123 are private characters."})
    main(["check", "--inputs", str(inputs), "--chase-out", str(tmp_path / "chase")])
    printed = " ".join((lambda c: c.out + c.err)(capsys.readouterr()).split())
    assert AGENCY in printed
    line = next(line for line in printed.split(AGENCY) if "no font of the report can print" in line)
    assert "U+F0001" in line and "U+E123" in line
    assert "Activity" in line or "activity" in line
    assert "U+0627" not in printed  # the Arabic and every other script of the same return print


def test_the_build_of_a_return_with_an_unprintable_character_does_not_blame_the_assembler(tmp_path: Path, capsys):
    inputs = _inputs(tmp_path, {"private": "Our logo \U000F0001 is a private character."})
    code = main(["build", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--only", "report"])
    printed = (lambda c: c.out + c.err)(capsys.readouterr())
    assert code == 0, printed
    assert "fault in the assembler" not in printed
    assert "no font of the report can print" in " ".join(printed.split())
