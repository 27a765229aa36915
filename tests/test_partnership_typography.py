"""The partnership's own text is typeset as the agencies' is (issue 21, findings 5 and 8).

A chapter and a briefing written here, as an officer types them (straight quotes and apostrophes, double
hyphens, three dots, an emoji, a web address and inline code with quotes and hyphens in them, a figure
expression), are built into the report (DOCX, PDF, web edition) and the briefings: the words print with curly
quotes, dashes and an ellipsis; the address, the code and the figure print exactly as typed; `check` warns about
each emoji with its file and line, as it does about an agency's.
"""

from __future__ import annotations

import html
import io
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from assembler.checks.nothing_lost import docx_text, pdf_text
from assembler.cli import main
from assembler.content.markdown import parse_markdown
from assembler.content.workbooks import load_workbooks
from assembler.document.figures import render_figures
from assembler.schema import plain_text

from conftest import SAMPLE_INPUTS

CHAPTER = "typography-check"
FIGURE = '{{ total("funding.income", "Amount") | money }}'
# Line numbers matter: the emoji warning must name line 9.
CHAPTER_TEXT = f"""---
title: 'Children''s "voice" -- in their own words'
---

## Parents' "first" words

Parents said "it's the first place that listened" -- and the young people's group asked for more...

Best day of the year, said one mother \U0001F499 and we agree.

Read it at https://example.org/young-people's--guide or in [the "short" guide](https://example.org/short--guide?a='b').

Type `don't -- "touch"...` in the box.

Our income was {FIGURE} in all.
"""
EMOJI_LINE = 9

TYPESET = {
    "title": "Children\u2019s \u201cvoice\u201d \u2013 in their own words",
    "heading": "Parents\u2019 \u201cfirst\u201d words",
    "words": "Parents said \u201cit\u2019s the first place that listened\u201d \u2013 and the young people\u2019s group asked for more\u2026",
    "link words": "the \u201cshort\u201d guide",
}
AS_TYPED = {
    "address": "https://example.org/young-people's--guide",
    "code": "don't -- \"touch\"...",
}
LINK_ADDRESS = "https://example.org/short--guide?a='b'"
PRINTED_ADDRESS = LINK_ADDRESS.removeprefix("https://")  # beside the link's words in the PDF and the DOCX

# A glossary entry of report.yaml's, with an emoji (its comment's emoji never prints, so is not warned about).
GLOSSARY_TYPED = """  ZZQ: The partnership's "quiet" list -- kept by hand... \U0001F4DA  # a comment \U0001F680"""
GLOSSARY_TYPESET = "ZZQ The partnership\u2019s \u201cquiet\u201d list \u2013 kept by hand\u2026 \U0001F4DA"

BRIEFING_TYPED = "Neglect is the persistent failure to meet a child\u2019s basic"
BRIEFING_CHANGED = 'Neglect is "the persistent failure" -- to meet a child\'s basic \U0001F64F'
BRIEFING_TYPESET = "Neglect is \u201cthe persistent failure\u201d \u2013 to meet a child\u2019s basic \U0001F64F"


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("typography") / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    (inputs / "chapters" / f"{CHAPTER}.md").write_text(CHAPTER_TEXT, encoding="utf-8")
    report = inputs / "report.yaml"
    text = report.read_text(encoding="utf-8").replace("  - introduction\n", f"  - introduction\n  - {CHAPTER}\n", 1)
    assert "\nglossary:\n" in text
    report.write_text(text.replace("\nglossary:\n", "\nglossary:\n" + GLOSSARY_TYPED + "\n", 1), encoding="utf-8")
    briefing = inputs / "briefings" / "neglect-toolkit.yaml"
    text = briefing.read_text(encoding="utf-8")
    assert BRIEFING_TYPED in text
    briefing.write_text(text.replace(BRIEFING_TYPED, BRIEFING_CHANGED, 1), encoding="utf-8")
    return inputs


@pytest.fixture(scope="module")
def built(inputs: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("typography-out")
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        code = main(["build", "--inputs", str(inputs), "--out", str(out), "--only", "report", "--only", "briefings",
                     "--only", "web"])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def checked(inputs: Path, tmp_path_factory) -> str:
    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(printed):
        main(["check", "--inputs", str(inputs), "--chase-out", str(tmp_path_factory.mktemp("typography-chase"))])
    return printed.getvalue()


def _figure(inputs: Path) -> str:
    tables, _ = load_workbooks(inputs)
    return render_figures(FIGURE, tables)


def _web_text(out: Path) -> str:
    page = next(path for path in sorted((out / "web").glob("*.html")) if "young-people" in path.read_text(encoding="utf-8"))
    source = page.read_text(encoding="utf-8")
    return source, html.unescape(re.sub(r"<[^>]+>", " ", source))


def _report_texts(out: Path) -> dict[str, str]:
    source, web = _web_text(out)
    return {"PDF": pdf_text(out / "annual-report.pdf"), "DOCX": docx_text(out / "annual-report.docx"), "HTML": web}


def test_the_chapter_prints_typeset_words_and_keeps_addresses_code_and_figures_as_typed(built: Path, inputs: Path):
    figure = _figure(inputs)
    assert re.fullmatch(r"£[\d,]+", figure)
    for output, text in _report_texts(built).items():
        text = _one_line(text)
        for what, typeset in TYPESET.items():
            assert typeset in text, f"{output}: the {what} is not typeset"
        for what, typed in AS_TYPED.items():
            assert typed in text, f"{output}: the {what} is not as typed"
        assert f"Our income was {figure} in all." in text, output
        assert "\U0001F499" in text, f"{output}: the emoji is lost"
        # Nothing of the chapter's words is left straight (the address and the code are the only straight quotes).
        if output != "HTML":  # print carries the link's address (the print rules); the web edition links it
            assert f"({PRINTED_ADDRESS})" in text, f"{output}: the link's address is not as typed"
        words = text.replace(AS_TYPED["address"], "").replace(AS_TYPED["code"], "").replace(PRINTED_ADDRESS, "")
        chapter = words[words.index(TYPESET["heading"]):words.index("in the box")]
        assert "'" not in chapter and '"' not in chapter and " -- " not in chapter, output


def test_report_yaml_s_glossary_entry_prints_typeset(built: Path):
    page = next(path for path in sorted((built / "web").glob("*.html")) if "ZZQ" in path.read_text(encoding="utf-8"))
    web = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    for output, text in (("PDF", pdf_text(built / "annual-report.pdf")), ("DOCX", docx_text(built / "annual-report.docx")),
                         ("HTML", web)):
        assert GLOSSARY_TYPESET in _one_line(text), f"{output}: report.yaml's glossary entry is not typeset"


def test_the_web_edition_keeps_the_link_address_as_typed(built: Path):
    source, _ = _web_text(built)
    hrefs = [html.unescape(href) for href in re.findall(r'href="([^"]*)"', source)]
    assert LINK_ADDRESS in hrefs


def test_the_briefing_prints_typeset_words_and_its_emoji_in_both_files(built: Path):
    for path in (built / "briefings" / "neglect-toolkit.pdf", built / "briefings" / "neglect-toolkit.docx"):
        text = _one_line(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
        assert BRIEFING_TYPESET in text, path.name


def test_the_briefing_pdf_draws_the_emoji_and_curly_quotes_with_fonts_that_have_them(built: Path):
    """Liberation Sans has the curly quotes and the dash; the emoji is set in the bundled Symbola."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(str(built / "briefings" / "neglect-toolkit.pdf")).pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Symbola" in font for font in fonts), fonts
    assert any("Liberation" in font for font in fonts), fonts


def test_check_warns_about_each_emoji_with_its_file_and_line(checked: str, inputs: Path):
    text = _one_line(checked)
    chapter = f"{CHAPTER}.md, line {EMOJI_LINE}: the text has emoji (\U0001F499): they print in the PDF, but Word may print them as empty boxes"
    assert chapter in text
    briefing_line = next(number for number, line in enumerate(
        (SAMPLE_INPUTS / "briefings" / "neglect-toolkit.yaml").read_text(encoding="utf-8").splitlines(), start=1)
        if BRIEFING_TYPED in line)
    assert f"neglect-toolkit.yaml, line {briefing_line}: the text has emoji (\U0001F64F)" in text
    glossary_line = next(number for number, line in enumerate(
        (inputs / "report.yaml").read_text(encoding="utf-8").splitlines(), start=1) if line.startswith("  ZZQ:"))
    assert f"report.yaml, line {glossary_line}: the text has emoji (\U0001F4DA)" in text
    assert "\U0001F680" not in text  # the comment's
    # The sample's own emoji (big-learn-event.md) is reported as well.
    assert re.search(r"big-learn-event\.md, line \d+: the text has emoji \(\U0001F499\)", text)


def test_emoji_in_report_yaml_are_found_but_not_in_its_comments(tmp_path: Path):
    from assembler.content.emoji_warnings import partnership_emoji_warnings

    (tmp_path / "report.yaml").write_text(
        "# a comment \U0001F600 never prints\nglossary:\n  WSCP: 'Partnership' \U0001F44D  # and \U0001F680\n"
        "summary:\n  title: Barnardo's year # \U0001F680\n", encoding="utf-8")
    warnings = partnership_emoji_warnings(tmp_path, [])
    assert [(w.line, w.message.split("(")[1].split(")")[0]) for w in warnings] == [(3, "\U0001F44D")]
    assert all(w.severity == "warning" and w.file.endswith("report.yaml") for w in warnings)


def test_markdown_typesets_words_only_and_can_be_left_as_typed():
    text = 'It\'s "here" -- see `a\'s "b"` and <https://x.org/a\'b--c> and {{ x("y") }}...'
    typeset = plain_text(parse_markdown(text))
    assert typeset == "It\u2019s \u201chere\u201d \u2013 see a's \"b\" and https://x.org/a'b--c and {{ x(\"y\") }}\u2026"
    assert plain_text(parse_markdown(text, typeset=False)) == text.replace("`", "").replace("<", "").replace(">", "")


def test_the_registry_name_prints_typeset_and_the_return_still_matches_it(built: Path):
    """report.yaml spells it Barnardo's and the return is matched on that spelling (readers/agency_match.py);
    the heading, the contents and the running header print Barnardo’s."""
    import docx

    styled = {(p.style.name, p.text) for p in docx.Document(built / "annual-report.docx").paragraphs}
    assert ("Section Heading", "Barnardo\u2019s") in styled  # the agency's heading
    assert any(style == "TOC 2" and text.startswith("Barnardo\u2019s\t") for style, text in styled)  # its contents entry
    assert not any("Barnardo's" in text for _, text in styled)
    page = (built / "web" / "agency-barnardos.html").read_text(encoding="utf-8")  # the section of the matched return
    assert "Barnardo\u2019s" in html.unescape(page) and "Barnardo's" not in html.unescape(page)
    pdf = pdf_text(built / "annual-report.pdf")
    assert pdf.count("Barnardo\u2019s") >= 3 and "Barnardo's" not in pdf  # contents, heading, running header


def test_a_word_briefing_is_typeset_and_its_emoji_named_by_its_box(tmp_path: Path, config):
    """The 7-minute briefing filled in Word is the partnership's text too: typeset as read, printed typeset in
    both files, and an emoji in part 2 warned about with the file and the part (a Word file has no lines)."""
    import docx

    from assembler.config.model import Limits
    from assembler.content.emoji_warnings import word_briefing_emoji_warnings
    from assembler.document.briefing import plan_briefing
    from assembler.readers.briefing_docx import read_briefing_docx
    from assembler.template_fields import briefing_section_fields
    from assembler.writers.one_pagers import write_briefing
    from test_onepage_template import _controls, _filled_template, _fill, _run

    path = _filled_template(tmp_path, config)
    document = docx.Document(str(path))
    heading_field, text_field = briefing_section_fields(2)
    _fill(_controls(document)[heading_field], _run("Why it's \"urgent\""))
    _fill(_controls(document)[text_field], f"<w:p>{_run(BRIEFING_CHANGED + ' as the midwife said...')}</w:p>")
    document.save(str(path))

    briefing = read_briefing_docx(path, Limits())
    assert briefing.sections[1].heading == "Why it\u2019s \u201curgent\u201d"
    assert plain_text(briefing.sections[1].blocks) == BRIEFING_TYPESET + " as the midwife said\u2026"
    docx_path, pdf_path = write_briefing(plan_briefing(briefing, config, SAMPLE_INPUTS, {}), tmp_path / "out")
    for output in (pdf_text(pdf_path), docx_text(docx_path)):
        assert BRIEFING_TYPESET in _one_line(output) and "Why it\u2019s \u201curgent\u201d" in output
    [warning] = word_briefing_emoji_warnings([briefing])
    assert (warning.file, warning.field, warning.line) == (str(path), "sections.2", None)
    assert "(\U0001F64F)" in warning.message and warning.severity == "warning"


def test_report_yaml_s_summary_words_are_typeset(config):
    from assembler.assemble import load_partnership_content
    from assembler.document.summary import summary_content

    config.summary.title = 'The year\'s "highlights" -- in short'
    config.summary.key_figures[0].label = "children's services visits..."
    report = load_partnership_content(SAMPLE_INPUTS, config, []).report
    summary = summary_content(report, config, SAMPLE_INPUTS)
    assert summary.title == "The year\u2019s \u201chighlights\u201d \u2013 in short"
    assert summary.figures[0].label == "children\u2019s services visits\u2026"
    assert config.partnership.website in summary.full_report  # the address as typed
