"""Sub-headings an agency typed as text (issue 21, finding 8): read as headings, printed and tagged as headings.

The returns are generated in code beside the sample partnership's own: a Word return (SEND Local Offer Team)
with a bold, an underlined and a plain sub-heading, and an Excel return (Wirral Public Health) with plain
ones; both also hold what must stay body text (a list typed as short lines, a 'label: value' line, a figure
caption, a lead-in to a list, an italic line, a short line closing a section, a one-line section, table cells).
"""

from __future__ import annotations

import io
import json
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timezone
from pathlib import Path

import docx
import openpyxl
import pytest

from assembler.checks.pdf_accessibility import structure_text
from assembler.cli import main
from assembler.readers.docx_return import read_docx
from assembler.readers.subheadings import promote_subheadings
from assembler.readers.text_blocks import section_text_blocks
from assembler.readers.xlsx_return import read_xlsx
from assembler.schema import Heading, ListBlock, Paragraph, Run, Table, plain_text

from conftest import SAMPLE_INPUTS

ON_TIME = datetime(2024, 4, 20, 10, 0, tzinfo=timezone.utc).timestamp()
SECTIONS = ("About our agency and what we do", "2023 activity and what we would like to celebrate",
            "Planned safeguarding priorities for 2024")


def _long(topic: str) -> str:
    return (f"{topic} brought families, schools and health teams together every week this year, and parents "
            f"told us the support arrived sooner than before.")


# --- Word: (kind, text) paragraphs per section; kind: plain, bold, underline, italic, list, table ------------

WORD_SECTIONS = [
    [("bold", "Short breaks review"), ("plain", _long("The short breaks review")),
     ("underline", "Working alongside schools"), ("plain", _long("Working alongside schools")),
     ("plain", "Parent carer forum"), ("plain", _long("The parent carer forum")),
     ("plain", "Transition clinics"), ("list", _long("Each transition clinic")), ("list", "Two clinics a month.")],
    [("plain", "Knife crime sessions"), ("plain", "Mentoring scheme"), ("plain", "Parenting groups"),
     ("plain", _long("All three programmes")),
     ("bold", "Summer trips"), ("bold", "Holiday sports"), ("plain", _long("Both holiday offers")),
     ("plain", "Lead officer: Sam Jones"), ("plain", _long("The lead officer")),
     ("plain", "Figure 2 Referrals by month"), ("plain", _long("The referral chart")),
     ("plain", "Our partners include"), ("list", "Wirral schools and colleges."), ("list", "The parent carer forum."),
     ("italic", "Children first always"), ("plain", _long("Putting children first")),
     ("table", "Tribunal support"), ("plain", _long("Tribunal support")),
     ("bold", "Volunteers make it work")],
    [("plain", "Keep every plan under review")],
]
WORD_HEADINGS = ["Short breaks review", "Working alongside schools", "Parent carer forum", "Transition clinics"]
WORD_BODY = ["Knife crime sessions", "Mentoring scheme", "Parenting groups", "Summer trips", "Holiday sports",
             "Lead officer: Sam Jones", "Figure 2 Referrals by month", "Our partners include", "Children first always",
             "Volunteers make it work", "Keep every plan under review"]


def word_return(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("SEND Local Offer Team")
    document.add_paragraph("Annual return 2023-24")
    for heading, paragraphs in zip(SECTIONS, WORD_SECTIONS):
        document.add_heading(heading, level=1)
        for kind, text in paragraphs:
            if kind == "list":
                document.add_paragraph(text, style="List Bullet")
            elif kind == "table":
                table = document.add_table(rows=2, cols=2)
                table.cell(0, 0).text, table.cell(0, 1).text = text, "Families helped"
                table.cell(1, 0).text, table.cell(1, 1).text = "Appeals won this year", "twelve"
            else:
                run = document.add_paragraph().add_run(text)
                run.bold, run.underline, run.italic = kind == "bold", kind == "underline", kind == "italic"
    document.save(path)
    os.utime(path, (ON_TIME, ON_TIME))
    return path


# --- Excel: the same cases typed into cells -------------------------------------------------------------------

EXCEL_SECTIONS = [
    "\n".join(["Health visiting teams", _long("Health visiting"),
               "Named nurse advice line", "• " + _long("The advice line")]),
    "\n".join(["Smoking cessation", "Healthy weight", "Oral health", _long("All three services"),
               "Lead nurse: Claire Devlin", _long("The lead nurse"),
               "Table 3 Calls answered", _long("The calls table"),
               "Our clinics include", "- Birkenhead.", "- Wallasey.",
               _long("Our clinics"), "Closing remarks from the team"]),
    "Keep children safe in clinics",
]
EXCEL_HEADINGS = ["Health visiting teams", "Named nurse advice line"]
EXCEL_BODY = ["Smoking cessation", "Healthy weight", "Oral health", "Lead nurse: Claire Devlin",
              "Table 3 Calls answered", "Our clinics include", "Closing remarks from the team", "Keep children safe in clinics"]


def excel_return(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append(["Agency", "Wirral Public Health"])
    sheet.append(["Period", "2023-24"])
    for heading, text in zip(SECTIONS, EXCEL_SECTIONS):
        sheet.append([heading, text])
    book.save(path)
    os.utime(path, (ON_TIME, ON_TIME))
    return path


def _headings(blocks) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Heading)]


def _paragraphs(blocks) -> list[str]:
    return [plain_text([b]) for b in blocks if isinstance(b, Paragraph)]


# --- the rule, read by each reader ---------------------------------------------------------------------------

def test_the_word_reader_reads_bold_underlined_and_plain_lines_as_sub_headings(tmp_path):
    content = read_docx(word_return(tmp_path / "sendlo.docx"), tmp_path / "img")
    about, activity, priorities = (content.sections[k] for k in ("about", "activity", "priorities"))
    assert _headings(about) == WORD_HEADINGS
    assert all(b.level == 1 for b in about if isinstance(b, Heading))
    assert isinstance(about[1], Paragraph) and plain_text([about[1]]).startswith("The short breaks review")
    assert _headings(activity) == [] and _headings(priorities) == []
    body = _paragraphs(activity) + _paragraphs(priorities)
    assert [line for line in WORD_BODY if line not in body] == []
    table = next(b for b in activity if isinstance(b, Table))
    assert table.rows[0][0] == "Tribunal support"  # a short line in a table cell stays a cell
    assert content.subheadings == [("about", line) for line in WORD_HEADINGS]
    # Nothing lost: every line is there, in order; only the four lines' role changed.
    assert plain_text(about).split("\n") == [text for _, text in WORD_SECTIONS[0]]


def test_the_excel_reader_reads_plain_lines_as_sub_headings_by_the_same_rule(tmp_path):
    content = read_xlsx(excel_return(tmp_path / "public-health.xlsx"), tmp_path / "img")
    about, activity, priorities = (content.sections[k] for k in ("about", "activity", "priorities"))
    assert _headings(about) == EXCEL_HEADINGS
    assert isinstance(about[-1], ListBlock)  # the line before a bulleted paragraph heads it
    assert _headings(activity) == [] and _headings(priorities) == []
    assert [line for line in EXCEL_BODY if line not in _paragraphs(activity) + _paragraphs(priorities)] == []
    assert content.subheadings == [("about", line) for line in EXCEL_HEADINGS]


def test_word_and_excel_agree_on_the_same_lines(tmp_path):
    """The same lines typed as plain Word paragraphs (bullets in List Bullet) read as the Excel cell reads."""
    document = docx.Document()
    document.add_paragraph("Wirral Public Health")
    for heading, text in zip(SECTIONS, EXCEL_SECTIONS):
        document.add_heading(heading, level=1)
        for line in text.split("\n"):
            bullet = re.match(r"^[•-] (.*)$", line)
            document.add_paragraph(bullet[1], style="List Bullet") if bullet else document.add_paragraph(line)
    document.save(tmp_path / "same.docx")
    content = read_docx(tmp_path / "same.docx", tmp_path / "img")
    for key, text in zip(("about", "activity", "priorities"), EXCEL_SECTIONS):
        assert content.sections[key] == section_text_blocks(text)[0], key
    assert content.subheadings == [("about", line) for line in EXCEL_HEADINGS]


def test_underlined_section_headings_split_the_sections_as_bold_ones_do(tmp_path):
    """Underline is read: an agency that underlines its section headings is read as one that bolds them, and
    an underlined line inside a case study is a sub-heading under the case study's title."""
    document = docx.Document()
    document.add_paragraph("SEND Local Offer Team")
    for heading, text in [*zip(SECTIONS, (_long("Our team"), _long("The year"), _long("Next year"))),
                          ("Case study: Amir's story", None)]:
        document.add_paragraph().add_run(heading).underline = True
        if text:
            document.add_paragraph(text)
    document.add_paragraph(_long("Amir's family"))
    document.add_paragraph().add_run("What changed for Amir").underline = True
    document.add_paragraph(_long("Amir's school"))
    document.save(tmp_path / "underlined.docx")
    content = read_docx(tmp_path / "underlined.docx", tmp_path / "img")
    assert [plain_text(content.sections[k]) for k in ("about", "activity", "priorities")] == [
        _long("Our team"), _long("The year"), _long("Next year")]
    [study] = content.case_studies
    assert study.title == "Amir's story"
    assert [type(b).__name__ for b in study.blocks] == ["Paragraph", "Heading", "Paragraph"]
    assert study.blocks[1] == Heading(level=1, text="What changed for Amir")
    assert content.subheadings == [("case study 1", "What changed for Amir")]


@pytest.mark.parametrize("lines, headings", [
    (["Training", "Supervision", "Audit", "Escalation"], []),            # a list typed as lines
    (["Training", _long("Training")], ["Training"]),
    (["Training", _long("Training"), "Supervision"], ["Training"]),    # the last line of a section is text
    (["Training"], []),                                                   # a one-line section
    (["Training.", _long("Training")], []),                              # ends as a sentence does
    (["Contact: Jo Bloggs", _long("Training")], []),                     # a label and its value
    (["Figure 1 Training", _long("Training")], []),                      # a caption
    (["Dear colleagues", _long("Training")], []),                        # a greeting
    (["Our training offer includes", _long("Training")], []),              # leads into what follows
    (["2023-24 1,257 calls", _long("Training")], []),                    # mostly figures
    (["training for staff", _long("Training")], []),                     # starts as a sentence's continuation
    (["Training", "Two sessions a week."], []),                          # a plain line needs a real paragraph
    (["What did we learn", _long("Training")], ["What did we learn"]),
    (["What did we learn?", _long("Training")], []),                     # a plain question is a sentence
    ([" ".join(["word"] * 11).capitalize(), _long("Training")], []),     # too long
])
def test_the_rule_on_lines_of_cell_text(lines, headings):
    assert section_text_blocks("\n".join(lines))[1] == headings


def test_a_bold_question_or_a_bold_line_before_a_short_paragraph_is_a_heading_a_partly_bold_line_is_not():
    bold = lambda text: Paragraph(runs=[Run(text=text, bold=True)])
    plain = lambda text: Paragraph(runs=[Run(text=text)])
    assert promote_subheadings([bold("What did we learn?"), plain("Two sessions a week were enough.")])[1] == ["What did we learn?"]
    mixed = Paragraph(runs=[Run(text="Training", bold=True), Run(text=" for staff")])
    assert promote_subheadings([mixed, plain(_long("Training"))])[1] == []
    linked = Paragraph(runs=[Run(text="Our website", link="https://example.org")])
    assert promote_subheadings([linked, plain(_long("Training"))])[1] == []
    underlined = [plain("Working together"), plain("Two sessions a week were enough.")]
    assert promote_subheadings(underlined)[1] == [] and promote_subheadings(underlined, {0})[1] == ["Working together"]
    under_heading = [Heading(level=1, text="Training"), bold("Level 3"), plain(_long("Level 3"))]
    assert promote_subheadings(under_heading)[0][1] == Heading(level=2, text="Level 3")


# --- built: DOCX heading styles, tagged PDF, web headings ------------------------------------------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    import shutil

    inputs = tmp_path_factory.mktemp("subheadings") / "inputs"
    shutil.copytree(SAMPLE_INPUTS, inputs)
    word_return(inputs / "returns" / "SEND Local Offer Team return 2023-24.docx")
    excel_return(inputs / "returns" / "Public Health WSCP return 2023-24.xlsx")
    return inputs


@pytest.fixture(scope="module")
def built(inputs: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("subheadings-out")
    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(printed):
        code = main(["build", "--inputs", str(inputs), "--out", str(out), "--only", "report", "--only", "web"])
    assert code == 0, printed.getvalue()
    return out


def _docx_styles(path: Path) -> dict[str, str]:
    return {p.text: p.style.name for p in docx.Document(str(path)).paragraphs if p.text.strip()}


def test_the_word_report_gives_the_lines_a_heading_style_and_leaves_the_rest_body_text(built):
    styles = _docx_styles(built / "annual-report.docx")
    for line in WORD_HEADINGS + EXCEL_HEADINGS + ["In the Zone", "Safeguarding walkabouts"]:  # and the sample's
        assert styles[line] == "Heading 4", line
    for line in WORD_BODY + EXCEL_BODY:
        assert not styles[line].startswith("Heading"), (line, styles[line])


def test_the_pdf_tags_the_lines_h4_before_the_text_they_head(built):
    structure = structure_text(built / "annual-report.pdf")
    h4 = [text for role, text in structure if role == "H4"]
    for line in WORD_HEADINGS + EXCEL_HEADINGS + ["Operation Inclusion", "Assurance data"]:
        assert line in h4, line
    for line in WORD_BODY + EXCEL_BODY:
        assert line not in h4 and not any(role.startswith("H") and text == line for role, text in structure), line
    order = [text for _, text in structure]
    at = order.index("Short breaks review")
    assert order[at - 1] == "About our agency and what we do" and order[at + 1].startswith("The short breaks review")
    assert [role for role, text in structure if text == "About our agency and what we do"][-1] == "H3"


def test_the_web_pages_give_the_lines_the_level_under_the_section(built):
    def headings(page: str) -> list[tuple[int, str]]:
        html = (built / "web" / page).read_text(encoding="utf-8")
        return [(int(level), text) for level, text in re.findall(r"<h(\d)[^>]*>([^<]*)</h\1>", html)]

    sendlo = headings("agency-sendlo.html")
    assert sendlo[:2] == [(1, "SEND Local Offer Team"), (2, "About our agency and what we do")]
    assert sendlo[2:6] == [(3, line) for line in WORD_HEADINGS]
    assert [text for level, text in sendlo if level >= 3] == WORD_HEADINGS
    public_health = headings("agency-public-health.html")
    assert [text for level, text in public_health if level == 3] == EXCEL_HEADINGS
    html = (built / "web" / "agency-sendlo.html").read_text(encoding="utf-8")
    for line in ["Knife crime sessions", "Keep every plan under review"]:
        assert f"<p dir=\"auto\">{line}</p>" in html, line
    assert "<p dir=\"auto\"><strong>Summer trips</strong></p>" in html
    assert "<p dir=\"auto\"><em>Children first always</em></p>" in html


def test_check_notes_per_agency_which_lines_it_read_as_sub_headings(inputs, tmp_path):
    printed = io.StringIO()
    with redirect_stdout(printed), redirect_stderr(io.StringIO()):
        main(["check", "--inputs", str(inputs), "--json", "-", "--chase-out", str(tmp_path)])
    check = json.loads(printed.getvalue())
    notes = {n["agency_id"]: n for n in check["notes"] if n["code"] == "subheadings_read"}
    assert set(notes) == {"sendlo", "public-health", "yjs", "wchc"}
    assert all(n["severity"] == "note" and n["fix"] == "" for n in notes.values())
    assert notes["sendlo"]["file"].endswith("SEND Local Offer Team return 2023-24.docx")
    assert notes["sendlo"]["message"] == ("4 lines typed as sub-headings were read as headings (about: 'Short breaks review', "
                                         "'Working alongside schools', 'Parent carer forum', 'Transition clinics')")
    assert notes["public-health"]["message"].startswith("2 lines typed as sub-headings were read as headings (about: ")
    # Not a problem: nothing on the returns' own lists, nothing to chase.
    for submission in check["submissions"]:
        assert not [p for p in submission["problems"] if p["code"] == "subheadings_read"]
