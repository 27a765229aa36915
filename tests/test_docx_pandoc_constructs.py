"""Word constructs found by running Pandoc's own Word test documents (jgm/pandoc, test/docx) through the reader.

Each test builds the smallest return holding the construct, with words of its own, and checks that the words are
read into the sections (or reported), never lost, split or published when hidden.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml

from assembler.readers.docx_return import read_docx
from assembler.readers.printable import make_printable
from assembler.schema import plain_text
from docx_constructs import NS, TITLE, _add_part

ABOUT, ACTIVITY, PRIORITIES = ("About our agency and what we do", "2023 activity and what we would like to celebrate",
                               "Planned safeguarding priorities for 2024")


def _r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _p(inner: str, ppr: str = "") -> str:
    return f"<w:p {NS}>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{inner}</w:p>"


def _bold_line(text: str) -> str:
    return _p(_r(text, "<w:b/>"))


def _document(body: list[str], *, title: str | None = TITLE) -> docx.Document:
    """A blank Word document: the title, then `body` (raw paragraphs, or a heading as ('heading', level, text))."""
    document = docx.Document()
    if title:
        document.add_paragraph(title, style="Title")
    sect_pr = document.element.body[-1]
    for item in body:
        if isinstance(item, tuple):
            document.add_heading(item[2], item[1])
        else:
            sect_pr.addprevious(parse_xml(item))
    return document


def _read(document: docx.Document, tmp_path: Path, name: str = "return.docx"):
    """The return as the report gets it: read, then through the firewall."""
    path = tmp_path / name
    document.save(path)
    return make_printable(read_docx(path, tmp_path / "img"))


def _text(content) -> str:
    return "\n".join(plain_text(blocks) for blocks in content.sections.values())


# --- text under a figures heading, in a return with no section heading ------------------------

def test_prose_under_a_figures_heading_is_reported_also_when_no_section_heading_is_found(tmp_path):
    # Pandoc's lists_level_override.docx: a bold 'Goal: ... metrics ...' line is read as the figures heading, and
    # the plans under it are prose there; with no section heading in the document that was dropped unsaid.
    document = _document([
        _p(_r("State of documentation at the Rowanquay clinic")),
        _bold_line("Goal: baseline and ongoing metrics tracking usefulness"),
        _p(_r("Content migration to the new wiki for the outreach workers of Sedgebarrow.")),
    ])
    content = _read(document, tmp_path)
    assert "Sedgebarrow" not in _text(content)
    [note] = [n for n in content.notes if n.code == "prose_under_indicators"]
    assert "1 paragraph(s) of text under the indicators heading were not used" in note.message


# --- drop caps ----------------------------------------------------------------------------------

def _drop_cap(letter: str, kind: str = "drop") -> str:
    """A drop cap as Word makes it (Insert > Drop Cap): the first letter in a paragraph of its own, in a frame."""
    return _p(_r(letter, '<w:sz w:val="112"/>'), f'<w:framePr w:dropCap="{kind}" w:lines="3" w:wrap="around" w:vAnchor="text" w:hAnchor="text"/>')


def test_a_drop_cap_is_the_first_letter_of_the_paragraph_after_it(tmp_path):
    # Pandoc's drop_cap.docx: 'D' in its frame, then 'rop cap.' — read as two paragraphs, the word was split.
    document = _document([("heading", 1, ACTIVITY), _drop_cap("W"), _p(_r("e ran a summer camp at Thornwick.")),
                          _drop_cap("O", "margin"), _p(_r("ur cadets kept the beacon lit."))])
    content = _read(document, tmp_path)
    assert plain_text(content.sections["activity"]) == "We ran a summer camp at Thornwick.\nOur cadets kept the beacon lit."


# --- SmartArt ------------------------------------------------------------------------------------

DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"


def _smartart(document: docx.Document, steps: list[str], order: list[int]) -> str:
    """A SmartArt diagram (Insert > SmartArt): the drawing in the paragraph points to a data part holding its
    words; `order` is each step's place in the diagram (Word keeps the points in the order they were made)."""
    points = "".join(
        f'<dgm:pt modelId="{{{i}}}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p>'
        f'</dgm:t></dgm:pt><dgm:pt modelId="{{s{i}}}" type="sibTrans" cxnId="{{c{i}}}"><dgm:prSet/><dgm:spPr/>'
        f'<dgm:t><a:bodyPr/><a:p><a:endParaRPr/></a:p></dgm:t></dgm:pt>' for i, text in enumerate(steps))
    links = "".join(f'<dgm:cxn modelId="{{c{i}}}" srcId="{{doc}}" destId="{{{i}}}" srcOrd="{place}" destOrd="0"/>'
                    for i, place in enumerate(order))
    data = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><dgm:dataModel xmlns:dgm="{DGM}" '
            f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt modelId="{{doc}}" '
            f'type="doc"><dgm:prSet/><dgm:spPr/></dgm:pt>{points}<dgm:pt modelId="{{p}}" type="pres"><dgm:prSet '
            f'presName="Name0"/><dgm:spPr/></dgm:pt></dgm:ptLst><dgm:cxnLst>{links}</dgm:cxnLst></dgm:dataModel>')
    rel = _add_part(document, "/word/diagrams/data1.xml",
                    "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", "diagramData", data.encode())
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="1" name="Diagram 1"/>'
            f'<a:graphic><a:graphicData uri="{DGM}"><dgm:relIds xmlns:dgm="{DGM}" r:dm="{rel}" r:lo="" r:qs="" r:cs=""/>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def test_the_words_of_a_smartart_diagram_are_read_in_the_diagram_s_order(tmp_path):
    # Pandoc's diagram.docx: 'top', 'middle', 'bottom' in a pyramid were nowhere in the report, and nothing said so.
    document = _document([("heading", 1, ACTIVITY), _p(_r("How a referral reaches us:"))])
    diagram = _smartart(document, ["Assessment by the Quenby team", "Referral from a school", "Plan agreed with the family"],
                        order=[1, 0, 2])
    document.element.body[-1].addprevious(parse_xml(_p(diagram)))
    content = _read(document, tmp_path)
    assert plain_text(content.sections["activity"]) == ("How a referral reaches us:\nReferral from a school\n"
                                                        "Assessment by the Quenby team\nPlan agreed with the family")



def test_a_damaged_smartart_part_leaves_the_rest_of_the_return_read(tmp_path):
    """The diagram's data part was parsed unguarded: a part cut short made the whole return unreadable."""
    document = _document([("heading", 1, ACTIVITY), _p(_r("How a referral reaches us:"))])
    rel = _add_part(document, "/word/diagrams/data1.xml",
                    "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", "diagramData",
                    f'<dgm:dataModel xmlns:dgm="{DGM}"><dgm:ptLst><dgm:pt modelId="1"'.encode())
    diagram = (f'<w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="1" name="Diagram 1"/>'
               f'<a:graphic><a:graphicData uri="{DGM}"><dgm:relIds xmlns:dgm="{DGM}" r:dm="{rel}" r:lo="" r:qs="" '
               'r:cs=""/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    document.element.body[-1].addprevious(parse_xml(_p(diagram)))
    assert plain_text(_read(document, tmp_path).sections["activity"]) == "How a referral reaches us:"

# --- text typed in a symbol font --------------------------------------------------------------

def _in_font(text: str, font: str) -> str:
    return _r(text, f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>')


def test_text_typed_in_a_symbol_font_is_the_characters_the_font_draws(tmp_path):
    # Pandoc's unicode.docx: a run in the Symbol font holding U+F028, which Symbol draws as '('. Typed in the font,
    # a letter is its sign too ('p' in Symbol is π, 'ü' in Wingdings a tick): it was printed as the letter typed,
    # or, at a private-use code, left out with a warning.
    sentence = (_r("Rooms ") + _in_font("\uf028", "Symbol") + _r("most of them") + _in_font(")", "Symbol")
                + _r(" are ") + _in_font("\u00b3", "Symbol") + _r(" 12 m2, area ") + _in_font("p", "Symbol")
                + _r("r2, checked ") + _in_font("\u00fc", "Wingdings") + _r(" by Symbolwick staff."))
    content = _read(_document([("heading", 1, ACTIVITY), _p(sentence)]), tmp_path)
    assert plain_text(content.sections["activity"]) == "Rooms (most of them) are ≥ 12 m2, area πr2, checked ✔ by Symbolwick staff."
    assert not [n for n in content.notes if n.code == "private_symbols"]


def test_a_letter_typed_in_a_symbol_font_without_a_character_is_reported_not_printed_as_the_letter(tmp_path):
    sentence = _r("Our rating: ") + _in_font("Q", "Wingdings") + _r(" from Symbolwick families.")
    content = _read(_document([("heading", 1, ACTIVITY), _p(sentence)]), tmp_path)
    assert plain_text(content.sections["activity"]) == "Our rating:  from Symbolwick families."
    [note] = [n for n in content.notes if n.code == "private_symbols"]
    assert "U+F051" in note.message


# --- a heading naming the part it is already in ---------------------------------------------------

def test_a_sub_heading_naming_its_own_section_is_kept_as_the_section_s_text(tmp_path):
    # Pandoc's 0_level_headers.docx: 'No table of figures entries found.' in bold under 'FIGURES' was read as the
    # figures heading again, and its words went nowhere. So did 'About our volunteers' under 'About us'.
    document = _document([
        ("heading", 1, ABOUT), _p(_r("We help families on the Wirral.")),
        ("heading", 2, "About our volunteers"), _p(_r("Forty volunteers from Quenby help us every week.")),
        ("heading", 1, ACTIVITY), _p(_r("An open day for the town.")),
        _bold_line("Highlights of the Thornwick year"),
        _p(_r("We ran a summer camp for sixty children from the estate with the police and the fire service.")),
        ("heading", 1, "Key figures"), _bold_line("No table of figures entries found."),
    ])
    content = _read(document, tmp_path)
    assert plain_text(content.sections["about"]) == ("We help families on the Wirral.\nAbout our volunteers\n"
                                                     "Forty volunteers from Quenby help us every week.")
    assert "Highlights of the Thornwick year\nWe ran a summer camp" in plain_text(content.sections["activity"])
    [note] = [n for n in content.notes if n.code == "prose_under_indicators"]
    assert note.message.startswith("1 paragraph(s) of text under the indicators heading")


def test_the_template_s_heading_typed_again_and_a_second_case_study_still_start_their_parts(tmp_path):
    document = _document([
        ("heading", 1, ABOUT), _p(_r("We help families on the Wirral.")), ("heading", 1, ABOUT),
        _p(_r("More about our work.")), ("heading", 1, "Case study: the heron family"), _p(_r("A winter of help.")),
        ("heading", 1, "Case study: the Quenby twins"), _p(_r("A summer of help.")),
    ])
    content = _read(document, tmp_path)
    assert plain_text(content.sections["about"]) == "We help families on the Wirral.\nMore about our work."
    assert [study.title for study in content.case_studies] == ["the heron family", "the Quenby twins"]


# --- headings typed larger instead of in a heading style -----------------------------------------

def test_section_headings_typed_larger_than_the_body_split_the_return(tmp_path):
    """Google Docs, Pages or Word with the font size raised instead of a heading style: 'About us' in 16 pt over
    11 pt text was read as text, and the whole return went under 'about' with the no-headings warning."""
    large = '<w:sz w:val="32"/>'
    document = _document([
        _p(_r(ABOUT, large)), _p(_r("We run the Ashgrove family centre.")),
        _p(_r(ACTIVITY, large)), _p(_r("We opened a second hub in Fernley.")),
        _p(_r(PRIORITIES, large)), _p(_r("Reach more fathers.")),
        _p(_r("A word from our chair", large)), _p(_r("Thank you to every volunteer.")),
    ])
    content = _read(document, tmp_path)
    assert plain_text(content.sections["about"]) == "We run the Ashgrove family centre."
    assert plain_text(content.sections["activity"]) == "We opened a second hub in Fernley."
    assert "Reach more fathers." in plain_text(content.sections["priorities"])
    assert "A word from our chair" in plain_text(content.sections["priorities"])  # a larger line naming no section
    assert not [n for n in content.notes if n.code == "no_section_headings"]


def test_section_headings_typed_larger_by_a_character_style_split_the_return(tmp_path):
    """The size came only from the run's own w:sz: headings made larger by a character style of the agency's
    ('Big', 16 pt over 11 pt text) were read as text, and the whole return went under 'about'."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt
    from docx.oxml.ns import qn

    document = _document([
        _p(_r(ABOUT, '<w:rStyle w:val="Big"/>')), _p(_r("We run the Ashgrove family centre.")),
        _p(_r(ACTIVITY, '<w:rStyle w:val="Big"/>')), _p(_r("We opened a second hub in Fernley.")),
        _p(_r(PRIORITIES, '<w:rStyle w:val="Big"/>')), _p(_r("Reach more fathers.")),
    ])
    document.styles["Normal"].font.size = Pt(11)
    big = document.styles.add_style("Big", WD_STYLE_TYPE.CHARACTER)
    big.element.set(qn("w:styleId"), "Big")
    big.font.size = Pt(16)
    content = _read(document, tmp_path)
    assert plain_text(content.sections["about"]) == "We run the Ashgrove family centre."
    assert plain_text(content.sections["activity"]) == "We opened a second hub in Fernley."
    assert plain_text(content.sections["priorities"]) == "Reach more fathers."


# --- a return laid out in a table of one column -------------------------------------------------

def _one_column_table(*cells: str) -> str:
    rows = "".join(f"<w:tr><w:tc>{cell}</w:tc></w:tr>" for cell in cells)
    return f"<w:tbl {NS}><w:tblGrid><w:gridCol w:w='9000'/></w:tblGrid>{rows}</w:tbl>"


def test_a_return_laid_out_in_a_one_column_table_is_split_at_its_headings(tmp_path):
    # The whole return typed inside a box (a table of one column): read as one table under 'about', with a
    # warning that no section heading was found, though the three headings were there in bold.
    hidden_row = _p(_r("Internal: check the Brackenfold figures")).join(("<w:trPr><w:hidden/></w:trPr><w:tc>", "</w:tc>"))
    whole = _one_column_table(
        _bold_line(ABOUT) + _p(_r("We support families across Brackenfold.")),
        _bold_line(ACTIVITY) + _p(_r("We opened two family hubs.")),
        _bold_line(PRIORITIES) + _p(_r("Training for every volunteer.")),
    ).replace("</w:tbl>", f"<w:tr>{hidden_row}</w:tr></w:tbl>")
    content = _read(_document([whole]), tmp_path)
    assert plain_text(content.sections["about"]) == "We support families across Brackenfold."
    assert plain_text(content.sections["activity"]) == "We opened two family hubs."
    assert plain_text(content.sections["priorities"]) == "Training for every volunteer."
    assert not [n for n in content.notes if n.code == "no_section_headings"]
    assert "Internal" not in _text(content)
    [hidden] = [n for n in content.notes if n.code == "hidden_text"]
    assert "1 passage of hidden text (5 words)" in hidden.message
