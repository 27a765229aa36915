"""Word constructs the reader must read through: rows in a repeating section, Insert > Symbol characters, and
links typed as HYPERLINK fields.

Each return is built here with python-docx and raw WordprocessingML (python-docx has no API for these), with words
of its own, so a test can look for exactly those words in what was read and in `check`'s export.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from assembler.cli import main
from assembler.readers.docx_return import read_docx
from assembler.readers.printable import make_printable, printable_text
from assembler.schema import Paragraph, Table, plain_text
from docx_constructs import NS, TITLE

REPO = Path(__file__).resolve().parent.parent
ABOUT, ACTIVITY, PRIORITIES = ("About our agency and what we do", "2023 activity and what we would like to celebrate",
                               "Planned safeguarding priorities for 2024")
PARENTS_PAGE = "https://www.blueskiesahead.example/parents-guide"
CLINICS = [["Clinic", "Sessions"], ["Rowanquay clinic", "48"], ["Sedgebarrow clinic", "52"], ["Thornwick clinic", "61"],
           ["Ashcombe clinic", "17"]]


# --- building the returns ---------------------------------------------------------------

def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _paragraph(inner: str) -> str:
    return f"<w:p {NS}>{inner}</w:p>"


def _cell(text: str) -> str:
    return f"<w:tc><w:p>{_run(text)}</w:p></w:tc>"


def _row(cells: list[str], wrap_second_cell: bool = False) -> str:
    """A w:tr; its second cell in a cell-level content control when asked (Word's plain text control in a cell)."""
    xml = [_cell(text) for text in cells]
    if wrap_second_cell:
        xml[1] = f"<w:sdt><w:sdtPr/><w:sdtContent>{xml[1]}</w:sdtContent></w:sdt>"
    return f"<w:tr>{''.join(xml)}</w:tr>"


def _repeating_section(rows: list[str]) -> str:
    """Rows as Word's 'add row' form table keeps them: a repeating section holding one item control per row."""
    items = "".join(f"<w:sdt><w:sdtPr/><w:sdtContent>{row}</w:sdtContent></w:sdt>" for row in rows)
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{items}</w:sdtContent></w:sdt>"


def _wrapped_table(rows: list[list[str]]) -> str:
    """The first row plain, the next two in a repeating section, one in custom XML, the last with a wrapped cell:
    every wrapper Word puts around rows and cells, in one table."""
    first, repeated, custom, last = rows[0], rows[1:3], rows[3], rows[4]
    grid = "".join("<w:gridCol/>" for _ in first)
    return (f"<w:tbl {NS}><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{_row(first)}"
            f"{_repeating_section([_row(r) for r in repeated])}"
            f'<w:customXml w:uri="urn:agency" w:element="clinic">{_row(custom)}</w:customXml>'
            f"{_row(last, wrap_second_cell=True)}</w:tbl>")


def _sym(font: str, code: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{code}"/></w:r>'


def _field(instruction: str, result: str) -> str:
    """A complex field: begin, instruction, separate, its result as Word last showed it, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">{result}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _return_docx(path: Path, activity: list[str], key_figures: str | None = None) -> Path:
    """A free-form return (headings as styles): `activity` is raw XML for that section, `key_figures` a table."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    sect_pr = document.element.body[-1]
    document.add_heading(ABOUT, 1)
    document.add_paragraph("Our cadets reached many families across the peninsula.")
    document.add_heading(ACTIVITY, 1)
    for xml in activity:
        sect_pr.addprevious(parse_xml(xml))
    document.add_heading(PRIORITIES, 1)
    document.add_paragraph("Trauma-informed practice across every station.")
    if key_figures is not None:
        document.add_heading("Key figures", 1)
        sect_pr.addprevious(parse_xml(key_figures))
    document.save(path)
    return path


def _read(path: Path, tmp_path: Path):
    """The return as the report gets it: read, then through the firewall."""
    return make_printable(read_docx(path, tmp_path / "img"))


def _activity_paragraph(content, words: str) -> Paragraph:
    return next(b for b in content.sections["activity"] if isinstance(b, Paragraph) and words in plain_text([b]))


# --- rows in wrappers --------------------------------------------------------------------

def test_rows_and_cells_inside_content_controls_and_custom_xml_are_read_in_order(tmp_path):
    path = _return_docx(tmp_path / "rows.docx", [_paragraph(_run("Our clinics this year:")), _wrapped_table(CLINICS)])
    [table] = [b for b in _read(path, tmp_path).sections["activity"] if isinstance(b, Table)]
    assert [*table.header_rows, *table.rows] == CLINICS


def test_key_figures_in_a_repeating_section_are_all_read(tmp_path):
    figures = [["Indicator", "Value", "Unit", "Period"], ["Children seen by school nurses", "5120", "", "2023-24"],
               ["Health checks completed", "733", "", "2023-24"], ["Families given advice", "212", "", "2023-24"],
               ["Drop-in sessions held", "96", "", "2023-24"]]
    path = _return_docx(tmp_path / "figures.docx", [_paragraph(_run("A busy year."))], _wrapped_table(figures))
    indicators = _read(path, tmp_path).indicators
    assert [(i.label, i.value) for i in indicators] == [(row[0], float(row[1])) for row in figures[1:]]


# --- Insert > Symbol -----------------------------------------------------------------------

@pytest.mark.parametrize("font, code, expected", [
    ("Symbol", "F0B3", "≥"), ("Symbol", "B3", "≥"), ("Symbol", "F0A3", "≤"), ("Symbol", "F0B1", "±"),
    ("Symbol", "F0B4", "×"), ("Symbol", "F0B8", "÷"), ("Symbol", "F0AE", "→"), ("Symbol", "F061", "α"),
    ("Wingdings", "F0FC", "✔"), ("Wingdings", "F0FB", "✘"), ("Wingdings 2", "F050", "✔"),
])
def test_a_symbol_inserted_from_a_symbol_font_is_its_character(tmp_path, font, code, expected):
    sentence = _run("Families rated us ") + _sym(font, code) + _run(" 4 out of 5 Symbolwick.")
    path = _return_docx(tmp_path / "sym.docx", [_paragraph(sentence)])
    paragraph = _activity_paragraph(_read(path, tmp_path), "Symbolwick")
    assert plain_text([paragraph]) == f"Families rated us {expected} 4 out of 5 Symbolwick."


def test_symbol_font_signs_typed_as_text_print_as_themselves():
    # Typed in the Symbol or Wingdings font (not inserted), Word keeps them at private-use code points, font unknown.
    assert printable_text("\uf0b3 \uf0a3 \uf0b1 \uf0b4 \uf0b8 \uf0ae \uf0fc \uf0fb") == "≥ ≤ ± × ÷ → ✔ ✘"


def test_a_symbol_from_an_ordinary_font_is_the_character_its_code_names(tmp_path):
    path = _return_docx(tmp_path / "sym.docx", [_paragraph(_run("Caf") + _sym("Calibri", "00E9") + _run(" Symbolwick"))])
    assert plain_text([_activity_paragraph(_read(path, tmp_path), "Symbolwick")]) == "Café Symbolwick"


# --- HYPERLINK fields ----------------------------------------------------------------------

def test_a_hyperlink_field_is_a_link_with_its_address(tmp_path):
    sentence = _run("Our guide for parents is on ") + _field(f'HYPERLINK "{PARENTS_PAGE}" \\o "Parents"', "our parents page") + _run(".")
    path = _return_docx(tmp_path / "field.docx", [_paragraph(sentence)])
    runs = _activity_paragraph(_read(path, tmp_path), "parents page").runs
    assert [(r.text, r.link) for r in runs] == [("Our guide for parents is on ", None), ("our parents page", PARENTS_PAGE), (".", None)]


def test_a_simple_hyperlink_field_is_a_link_with_its_address(tmp_path):
    simple = f'<w:fldSimple w:instr=" HYPERLINK &quot;{PARENTS_PAGE}&quot; ">{_run("our parents page")}</w:fldSimple>'
    path = _return_docx(tmp_path / "simple.docx", [_paragraph(_run("See ") + simple)])
    runs = _activity_paragraph(_read(path, tmp_path), "parents page").runs
    assert [(r.text, r.link) for r in runs] == [("See ", None), ("our parents page", PARENTS_PAGE)]


def test_other_fields_keep_their_result_as_plain_text(tmp_path):
    # A page reference inside a HYPERLINK field's result: the link is the outer field's, the number stays as shown.
    nested = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "{PARENTS_PAGE}" </w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("page ") + _field("PAGEREF _Toc1 \\h", "7")
              + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    sentence = _field("DATE \\@ \"d MMMM yyyy\"", "1 April 2024") + _run(" and ") + nested + _run(" after")
    path = _return_docx(tmp_path / "fields.docx", [_paragraph(sentence)])
    runs = _activity_paragraph(_read(path, tmp_path), "April").runs
    assert [(r.text, r.link) for r in runs] == [("1 April 2024 and ", None), ("page 7", PARENTS_PAGE), (" after", None)]


# --- what check reports --------------------------------------------------------------------

@pytest.fixture
def inputs(tmp_path) -> Path:
    """The sample's partnership files and one return holding every construct (and a symbol no table maps)."""
    folder = tmp_path / "inputs"
    shutil.copytree(REPO / "inputs", folder, ignore=shutil.ignore_patterns("returns"))
    (folder / "returns").mkdir()
    config = folder / "report.yaml"  # a partnership that may publish from one return
    config.write_text(config.read_text(encoding="utf-8").replace("\nrules:\n", "\nrules:\n  min_returns: 1\n", 1), encoding="utf-8")
    sentence = (_run("Target met ") + _sym("Wingdings", "F0FC") + _run(" and rated ") + _sym("Symbol", "F0B3")
                + _run(" 4 out of 5; scissors ") + _sym("Wingdings", "F022") + _run(" cut. For the guide ")
                + _field(f'HYPERLINK "{PARENTS_PAGE}"', "click here") + _run("."))
    _return_docx(folder / "returns" / "MFRS WSCP return 2023-24.docx", [_paragraph(sentence), _wrapped_table(CLINICS)])
    return folder


def test_check_exports_the_symbols_rows_and_link_and_reports_what_it_cannot_print(inputs, tmp_path, capsys):
    export = tmp_path / "returns.json"
    main(["check", "--verbose", "--inputs", str(inputs), "--allow-missing", "--json", str(export),
          "--chase-out", str(tmp_path / "out")])
    printed = " ".join(capsys.readouterr().out.split())
    [submission] = json.loads(export.read_text())["submissions"]
    activity = json.dumps(submission["sections"]["activity"], ensure_ascii=False)
    assert "Target met ✔ and rated ≥ 4 out of 5" in activity
    assert all(clinic in activity for clinic, _ in CLINICS)
    assert PARENTS_PAGE in activity
    assert "U+F022" in printed  # the scissors no table maps: left out, and said so
    assert f"the link 'click here' to {PARENTS_PAGE}" in printed  # the link text check sees a field's link


def test_a_symbol_font_code_missing_from_its_own_table_is_never_another_font_s_character():
    """Wingdings has no ≥ at B3 (Symbol does): reported as a character that does not print, not printed as ≥."""
    from assembler.readers.printable import printable_text
    from assembler.readers.symbol_fonts import sym_character

    dropped: list[str] = []
    assert printable_text(f"rated {sym_character('Wingdings', 'F0B3')} 4", dropped) == "rated  4"
    assert dropped and "\u2265" not in dropped[0]
    assert sym_character("Symbol", "F0B3") == "\u2265"
