"""Nothing an agency wrote in a Word return is dropped without a word; nothing it hid is published.

The returns are generated in code (tests/docx_constructs.py): footnotes and
endnotes, wrappers (w:dir, w:bdo, w:smartTag, w:sdt, block-level w:customXml),
equations, ruby, text boxes in the body and in table cells, hidden text (direct
and through a character style), comments, headers and footers, an embedded
HTML part and a linked picture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from assembler.checks.nothing_lost import docx_text, pdf_text, words
from assembler.readers.docx_blocks import t_text
from assembler.readers.docx_package import PARSER
from assembler.readers.docx_return import read_docx
from assembler.schema import Notes, Paragraph, Run, plain_text
from tests.conftest import build_with_return_replaced
from docx_constructs import (
    CHUNK,
    COMMENT,
    FOOTER,
    HEADER,
    HIDDEN,
    HIDDEN_BY_PARAGRAPH_STYLE,
    HIDDEN_BY_STYLE,
    KEPT,
    LINKED_ALT,
    RUBY_TEXT,
    constructs_docx,
    two_column_with_footnote,
)

NOT_PRINTED = {"hidden": HIDDEN, "hidden by style": HIDDEN_BY_STYLE, "hidden by paragraph style": HIDDEN_BY_PARAGRAPH_STYLE, "ruby text": RUBY_TEXT, "comment": COMMENT,
               "header": HEADER, "footer": FOOTER, "linked picture's alt": LINKED_ALT}


def _contains(haystack: str, needle: str) -> bool:
    """The words of `needle` side by side in `haystack` (as the nothing-lost check compares words)."""
    wanted, stream = words(needle), words(haystack)
    return any(stream[i:i + len(wanted)] == wanted for i in range(len(stream) - len(wanted) + 1))


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    folder = tmp_path_factory.mktemp("constructs")
    return read_docx(constructs_docx(folder / "return.docx"), folder / "img")


def _all_text(content) -> str:
    return "\n".join([plain_text(b) for b in content.sections.values()] + [plain_text(c.blocks) for c in content.case_studies])


def test_wrapped_boxed_equation_and_ruby_text_is_read_in_place(read):
    text = _all_text(read)
    for name in ("dir", "bdo", "smart tag", "inline control", "block custom xml", "equation", "ruby", "body text box", "cell text box",
                 "modern cell text box"):
        assert _contains(text, KEPT[name]), name
    activity = plain_text(read.sections["activity"])
    assert activity.index("The sum: area=width") < activity.index(KEPT["ruby"]) < activity.index(KEPT["body text box"])
    [table] = [b for b in read.sections["activity"] if b.kind == "table"]
    assert KEPT["cell text box"] in table.rows[0][1]  # in its cell, not after the table
    assert table.rows[1][1] == "More cell words\n" + KEPT["modern cell text box"]  # once: the VML fallback repeats it


def test_footnotes_and_endnotes_are_notes_of_their_section_numbered_from_one(read):
    about, activity = read.sections["about"], read.sections["activity"]
    assert isinstance(about[-1], Notes) and isinstance(activity[-1], Notes)
    assert [plain_text([Paragraph(runs=i.runs)]) for i in about[-1].items] == [KEPT["footnote"], KEPT["endnote"]]
    assert [plain_text([Paragraph(runs=i.runs)]) for i in activity[-1].items] == [KEPT["activity footnote"]]
    marks = [(r.text, r.note) for r in about[0].runs if r.note]
    assert marks == [("[1]", 1), ("[2]", 2)]
    assert plain_text(about[:1]) == "Our cadets reached many families[1] across the peninsula[2]."
    assert [(r.text, r.note) for r in activity[0].runs if r.note] == [("[1]", 1)]
    [study] = read.case_studies
    assert isinstance(study.blocks[-1], Notes) and plain_text(study.blocks[-1:]) == KEPT["case footnote"]
    assert not any(isinstance(b, Notes) for b in read.sections["priorities"])  # no note there, no empty list


def test_hidden_text_is_never_read_and_is_reported(read):
    text = _all_text(read)
    for name in ("hidden", "hidden by style", "hidden by paragraph style"):
        assert not _contains(text, NOT_PRINTED[name]), name
    assert "Visible before the hidden words." in text and "Visible after them." in text and "Visible words around" in text
    [note] = [n for n in read.notes if n.field == "hidden text"]
    hidden_words = len(HIDDEN.split()) + len(HIDDEN_BY_STYLE.split()) + len(HIDDEN_BY_PARAGRAPH_STYLE.split())
    assert note.message.startswith(f"3 passages of hidden text ({hidden_words} words) were not published")
    assert not {"zebedee", "philomena", "quenby"} & set(words(note.message + note.fix))  # the report names no hidden word
    assert "untick 'Hidden'" in note.fix


def test_comments_headers_footers_embedded_parts_and_linked_pictures_are_reported_with_their_words(read):
    text = _all_text(read)
    for name in ("comment", "header", "footer", "linked picture's alt", "ruby text"):
        assert not _contains(text, NOT_PRINTED[name]), name
    by_field = {n.field: n.message for n in read.notes}
    assert by_field["comments"] == f"1 comment ({len(COMMENT.split())} words) was not read: it is the agency's notes, not the return"
    assert by_field["headers and footers"].startswith(
        f"the text of the page headers and footers ({len(HEADER.split()) + len(FOOTER.split())} words) was not read")
    assert by_field["embedded parts"].startswith("1 part pasted in as an embedded document (HTML, 8 words) was not read")
    assert "mackerel" in CHUNK and "mackerel" not in text
    assert by_field["pictures"].startswith(f"1 picture linked to a file outside the return (5 words of description: '{LINKED_ALT}')")


def test_a_footnote_in_a_two_column_table_belongs_to_the_section_of_its_row(tmp_path):
    content = read_docx(two_column_with_footnote(tmp_path / "t.docx"), tmp_path / "img")
    about = content.sections["about"]
    assert plain_text(about[-1:]) == KEPT["two column footnote"] and isinstance(about[-1], Notes)
    assert "Walnut grove visits[1]" in plain_text(about)
    assert not any(isinstance(b, Notes) for b in content.sections["activity"])
    assert not [n for n in content.notes if n.field == "notes"]


def test_text_after_an_unresolved_entity_reference_is_kept():
    xml = (b'<!DOCTYPE w:t [<!ENTITY agency "Wirral">]>'
           b'<w:t xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">Before &agency; after the entity</w:t>')
    assert t_text(etree.fromstring(xml, PARSER)) == "Before  after the entity"


def test_a_note_referred_to_before_the_first_section_is_reported_not_dropped(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx_constructs import NS, _add_part, _note_ref, _notes_part, _p, _r

    document = docx.Document()
    document.add_paragraph("Merseyside Fire and Rescue Service", style="Title")
    document.element.body[-1].addprevious(parse_xml(_p(_r("Written for the board") + _note_ref("footnote", 1))))
    document.add_heading("About our agency and what we do", 1)
    document.add_paragraph("We keep children safe.")
    _add_part(document, "/word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
              "footnotes", _notes_part("footnote", {1: "A note on the title"}))
    document.save(tmp_path / "t.docx")
    content = read_docx(tmp_path / "t.docx", tmp_path / "img")
    [note] = [n for n in content.notes if n.field == "notes"]
    assert note.message == "1 footnote or endnote outside the report's three sections was not used"


# --- end to end: the sample partnership with MFRS's return replaced by the constructs ----------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_with_return_replaced(tmp_path_factory.mktemp("partnership"), "MFRS WSCP return 2023-24.docx",
                                      constructs_docx, "report")


@pytest.mark.parametrize("output", ["docx", "pdf"])
def test_the_report_prints_every_construct_and_the_notes_and_nothing_hidden(built, output):
    out, _ = built
    path = out / f"annual-report.{output}"
    text = docx_text(path) if output == "docx" else pdf_text(path)
    for name, kept in KEPT.items():
        if name != "two column footnote":
            assert _contains(text, kept), (output, name)
    assert _contains(text, "Our cadets reached many families [1] across the peninsula [2]")
    if output == "pdf":
        assert _contains(text, "Notes 1 " + KEPT["footnote"] + " 2 " + KEPT["endnote"])
    else:  # Word numbers the list itself: the numbers are not in the text
        assert _contains(text, "Notes " + KEPT["footnote"] + " " + KEPT["endnote"])
    for name, words_ in NOT_PRINTED.items():
        assert not _contains(text, words_), (output, name)
    assert not {"zebedee", "philomena", "quenby", "mackerel", "periwinkle"} & set(words(text))


def test_the_word_report_raises_the_marks_and_lists_the_notes(built):
    import docx

    out, _ = built
    document = docx.Document(str(out / "annual-report.docx"))
    paragraphs = document.paragraphs
    cadets = next(p for p in paragraphs if p.text.startswith("Our cadets reached"))
    assert [r.text for r in cadets.runs if r.font.superscript] == ["[1]", "[2]"]
    footnote = next(p for p in paragraphs if p.text == KEPT["footnote"])
    assert footnote._p.pPr.numPr is not None and paragraphs[paragraphs.index(footnote) - 1].text == "Notes"


def test_the_pdf_tags_the_notes_as_a_list(built):
    from assembler.checks.docx_accessibility import check_docx
    from assembler.checks.pdf_accessibility import check_pdf, structure_text

    out, _ = built
    assert check_pdf(out / "annual-report.pdf") == [] and check_docx(out / "annual-report.docx") == []
    tagged = structure_text(out / "annual-report.pdf")
    texts = [(role, " ".join(text.split())) for role, text in tagged]
    at = next(i for i, (role, text) in enumerate(texts) if KEPT["footnote"] in text)
    assert texts[at][0] in ("LBody", "P") and any(role == "Lbl" and text == "1." for role, text in texts[at - 3:at])


def test_check_reports_what_was_not_read_for_the_return(built):
    _, data = built
    [mfrs] = [s for s in data["submissions"] if s["agency_id"] == "mfrs"]
    problems = {p["field"]: p for p in mfrs["problems"]}
    for field in ("hidden text", "comments", "headers and footers", "embedded parts", "pictures"):
        assert problems[field]["severity"] == "warning" and problems[field]["file"].endswith("MFRS WSCP return 2023-24.docx"), field
    assert problems["comments"]["message"].startswith("1 comment (8 words) was not read")
    assert mfrs["sections"]["about"]["blocks"][-1]["kind"] == "notes"


def test_a_picture_in_a_text_box_is_kept_with_its_alt_text(tmp_path):
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx_constructs import NS, _p, _r
    from test_readers_builders import png_bytes

    document = docx.Document()
    document.add_paragraph("Merseyside Fire and Rescue Service", style="Title")
    document.add_heading("About our agency and what we do", 1)
    document.add_picture(io.BytesIO(png_bytes()))
    picture = document.paragraphs[-1]._p
    next(picture.iter(qn("wp:docPr"))).set("descr", "Cadets at the open day")
    picture.getparent().remove(picture)
    anchor = parse_xml(_p(_r("Our cadets.") + '<w:r><w:pict><v:shape><v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict></w:r>'))
    next(anchor.iter(qn("w:txbxContent"))).append(picture)
    document.element.body[-1].addprevious(anchor)
    document.save(tmp_path / "t.docx")
    about = read_docx(tmp_path / "t.docx", tmp_path / "img").sections["about"]
    assert [b.kind for b in about] == ["paragraph", "image"] and about[1].alt == "Cadets at the open day"
    assert Path(about[1].path).is_file()


def test_a_title_typed_in_a_text_box_still_names_the_agency(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx_constructs import _p, _text_box

    document = docx.Document()
    document.element.body[-1].addprevious(parse_xml(_p(_text_box("Merseyside Fire and Rescue Service"))))
    document.add_heading("About our agency and what we do", 1)
    document.add_paragraph("We keep children safe.")
    document.save(tmp_path / "t.docx")
    content = read_docx(tmp_path / "t.docx", tmp_path / "img")
    assert content.agency_name == "Merseyside Fire and Rescue Service"
    assert plain_text(content.sections["about"]) == "We keep children safe."


def test_a_note_with_the_agencys_own_mark_is_numbered_like_the_others(tmp_path):
    import docx
    from docx.oxml import parse_xml
    from docx_constructs import _add_part, _notes_part, _p, _r

    document = docx.Document()
    document.add_paragraph("Merseyside Fire and Rescue Service", style="Title")
    document.add_heading("About our agency and what we do", 1)
    starred = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="1"/><w:t>*</w:t></w:r>'
    document.element.body[-1].addprevious(parse_xml(_p(_r("Star note") + starred + _r(" after."))))
    _add_part(document, "/word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
              "footnotes", _notes_part("footnote", {1: "The starred note"}))
    document.save(tmp_path / "t.docx")
    about = read_docx(tmp_path / "t.docx", tmp_path / "img").sections["about"]
    assert plain_text(about) == "Star note[1] after.\nThe starred note"
