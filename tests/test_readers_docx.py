"""The Word reader: the generated template and free-form documents, with their formatting kept."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assembler.config import load_config
from assembler.readers.docx_return import read_docx
from assembler.schema import Heading, Image, ListBlock, Paragraph, Quote, Table, plain_text
from assembler.templates_out.word import write_word_template
from test_readers_builders import ABOUT, ACTIVITY, PRIORITIES, fill_word_template, free_form_docx

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("layout", ["headings", "bold", "table"])
def test_free_form_layouts_split_into_the_three_sections(tmp_path, layout):
    path = free_form_docx(tmp_path / f"{layout}.docx", layout=layout)
    content = read_docx(path, tmp_path / "img")
    assert plain_text(content.sections["about"]).startswith(ABOUT)
    assert plain_text(content.sections["activity"]).startswith(ACTIVITY)
    assert plain_text(content.sections["priorities"]).startswith(PRIORITIES)
    assert content.activity_year == 2023
    assert content.agency_name == "Merseyside Fire and Rescue Service"
    assert not content.is_template
    if layout == "table":
        about = content.sections["about"]
        assert isinstance(about[-1], ListBlock) and about[-1].items[0].runs[0].text == "A bullet in a cell"


def test_formatting_lists_tables_quotes_and_links_are_kept(tmp_path):
    document = docx.Document()
    document.add_heading("About our agency and what we do", 1)
    p = document.add_paragraph("We are ")
    p.add_run("proud").bold = True
    p.add_run(" and ")
    p.add_run("careful").italic = True
    document.add_paragraph("first", style="List Bullet")
    document.add_paragraph("nested", style="List Bullet 2")
    document.add_paragraph("second", style="List Bullet")
    document.add_paragraph("Babies cry, you can cope", style="Quote")
    link_para = document.add_paragraph("See ")
    rel = link_para.part.relate_to("https://www.wirralsafeguarding.co.uk", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link_para._p.append(parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t>our website</w:t></w:r></w:hyperlink>'))
    document.add_heading("2023 activity and what we would like to celebrate", 1)
    document.add_heading("Fire Cadets", 2)
    document.add_paragraph("step one", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Programme", (0, 1): "Young people", (1, 0): "Beacon", (1, 1): "34"}.items():
        table.cell(r, c).text = text
    document.add_heading("Planned safeguarding priorities for 2024", 1)
    document.add_paragraph("Trauma-informed practice.")
    document.save(tmp_path / "f.docx")

    content = read_docx(tmp_path / "f.docx", tmp_path / "img")
    about = content.sections["about"]
    assert [(r.text, r.bold, r.italic) for r in about[0].runs] == [("We are ", False, False), ("proud", True, False), (" and ", False, False), ("careful", False, True)]
    bullets = about[1]
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert [i.runs[0].text for i in bullets.items] == ["first", "second"]
    assert bullets.items[0].children.items[0].runs[0].text == "nested"
    assert isinstance(about[2], Quote) and about[2].runs[0].text == "Babies cry, you can cope"
    assert isinstance(about[3], Paragraph) and about[3].runs[1].link == "https://www.wirralsafeguarding.co.uk"
    activity = content.sections["activity"]
    assert isinstance(activity[0], Heading) and activity[0].text == "Fire Cadets" and activity[0].level == 1
    assert isinstance(activity[1], ListBlock) and activity[1].ordered
    assert isinstance(activity[2], Table) and activity[2].rows[-1] == ["Beacon", "34"]
    assert plain_text(content.sections["priorities"]) == "Trauma-informed practice."


def test_images_are_written_with_their_alt_text(tmp_path):
    path = free_form_docx(tmp_path / "img.docx", image_alt="Cadets on the drill yard")
    content = read_docx(path, tmp_path / "images")
    image = next(b for b in content.sections["priorities"] if isinstance(b, Image))
    assert image.alt == "Cadets on the drill yard"
    assert Path(image.path).is_absolute() and Path(image.path).read_bytes().startswith(b"\x89PNG")
    assert Path(image.path).parent == (tmp_path / "images").resolve()


def test_tracked_changes_read_as_accepted_with_a_note(tmp_path):
    document = docx.Document()
    document.add_heading("About our agency and what we do", 1)
    document.add_paragraph("Merseyside Police.")
    document.add_heading("2023 activity and what we would like to celebrate", 1)
    p = document.add_paragraph()
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">Trained </w:t></w:r>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="Pennington, Sarah (DCI)" w:date="2024-04-24T17:31:00Z"><w:r><w:delText>412</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="Pennington, Sarah (DCI)" w:date="2024-04-24T17:31:00Z"><w:r><w:t>468</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> officers.</w:t></w:r>'))
    document.add_heading("Planned safeguarding priorities for 2024", 1)
    document.add_paragraph("Child-centred policing.")
    document.save(tmp_path / "t.docx")
    content = read_docx(tmp_path / "t.docx", tmp_path / "img")
    assert plain_text(content.sections["activity"]) == "Trained 468 officers."
    [note] = content.notes
    assert note.code == "tracked_changes" and "Pennington, Sarah (DCI)" in note.message


def test_unrecognised_heading_content_stays_in_the_previous_section(tmp_path):
    document = docx.Document()
    document.add_heading("About our agency and what we do", 1)
    document.add_paragraph("About text.")
    document.add_heading("Our partners", 1)
    document.add_paragraph("Partner text.")
    document.save(tmp_path / "u.docx")
    content = read_docx(tmp_path / "u.docx", tmp_path / "img")
    assert plain_text(content.sections["about"]) == "About text.\nOur partners\nPartner text."


def test_a_document_with_none_of_our_headings_keeps_its_text_and_says_so(tmp_path):
    document = docx.Document()
    document.add_paragraph("Blue Skies Ahead")
    document.add_paragraph("We run youth clubs in Birkenhead.")
    document.save(tmp_path / "n.docx")
    content = read_docx(tmp_path / "n.docx", tmp_path / "img")
    assert plain_text(content.sections["about"]) == "We run youth clubs in Birkenhead."
    assert "none of the headings" in content.notes[0].message


def test_filled_template_round_trip(tmp_path):
    config = load_config(REPO / "inputs" / "report.yaml")
    agency = config.agency("merseyside-police")
    template = write_word_template(tmp_path / "blank.docx", agency, config)
    filled = fill_word_template(template, tmp_path / "anything.docx", {
        "about": [ABOUT, "- Neighbourhood teams", "- The MASH"],
        "activity": ACTIVITY,
        "priorities": PRIORITIES,
        "contact_name": "DCI Sarah Pennington",
        "contact_email": "ppu.wirral@merseyside-police.example",
        "case_study_1_title": "Operation Encompass",
        "case_study_1_text": "A school knew before 9am.",
    }, indicators=[["Officers trained", "468", "", "2023-24", ""], ["Strategy discussions in 24h", "96.5%", "", "2023-24", ""]])
    content = read_docx(filled, tmp_path / "img")
    assert content.is_template and content.identity.agency_id == "merseyside-police" and content.identity.period == "2023-24"
    assert plain_text(content.sections["about"]) == f"{ABOUT}\nNeighbourhood teams\nThe MASH"
    assert isinstance(content.sections["about"][1], ListBlock)
    assert plain_text(content.sections["activity"]) == ACTIVITY
    assert plain_text(content.sections["priorities"]) == PRIORITIES
    assert [(i.label, i.value, i.unit) for i in content.indicators] == [("Officers trained", 468.0, None), ("Strategy discussions in 24h", 96.5, "%")]
    assert content.contact.name == "DCI Sarah Pennington" and content.contact.email == "ppu.wirral@merseyside-police.example"
    assert [(c.title, plain_text(c.blocks)) for c in content.case_studies] == [("Operation Encompass", "A school knew before 9am.")]


def test_blank_template_reads_as_empty(tmp_path):
    config = load_config(REPO / "inputs" / "report.yaml")
    template = write_word_template(tmp_path / "blank.docx", config.agencies[0], config)
    content = read_docx(template, tmp_path / "img")
    assert content.is_template and not any(content.sections.values())
    assert content.indicators == [] and content.case_studies == []


def test_indicators_table_under_its_own_heading_and_prose_there_is_noted(tmp_path):
    document = docx.Document()
    document.add_heading("About our agency and what we do", 1)
    document.add_paragraph("About text.")
    document.add_heading("Key figures", 1)
    document.add_paragraph("These are our figures for the year.")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["Indicator", "Value", "Period"], ["Referrals", "3,908", "2023-24"], ["Within 24 hours", "98.1%", "2023-24"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "k.docx")
    content = read_docx(tmp_path / "k.docx", tmp_path / "img")
    assert [(i.label, i.value, i.unit, i.period) for i in content.indicators] == [
        ("Referrals", 3908, None, "2023-24"), ("Within 24 hours", 98.1, "%", "2023-24")]
    assert plain_text(content.sections["about"]) == "About text."
    [note] = content.notes
    assert note.field == "indicators" and "1 paragraph(s)" in note.message


def test_template_without_its_properties_is_recognised_by_the_locked_id_field(tmp_path):
    config = load_config(REPO / "inputs" / "report.yaml")
    template = write_word_template(tmp_path / "blank.docx", config.agency("yjs"), config)
    filled = fill_word_template(template, tmp_path / "copy.docx", {"about": ABOUT, "activity": ACTIVITY, "priorities": PRIORITIES})
    document = docx.Document(str(filled))
    document.core_properties.identifier = ""
    document.save(filled)
    content = read_docx(filled, tmp_path / "img")
    assert content.identity is not None and (content.identity.agency_id, content.identity.period) == ("yjs", "2023-24")


def test_text_in_a_text_box_is_kept(tmp_path):
    document = docx.Document()
    document.add_heading("About our agency and what we do", 1)
    p = document.add_paragraph("Main text.")
    box = (
        f'<w:r {nsdecls("w", "wp", "a")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="5" name="Text Box 5"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
        '<w:txbxContent><w:p><w:r><w:t>1 in 5 children we met were young carers.</w:t></w:r></w:p></w:txbxContent>'
        '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>1 in 5 children we met were young carers.</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'
    )
    p._p.append(parse_xml(box))
    document.save(tmp_path / "box.docx")
    content = read_docx(tmp_path / "box.docx", tmp_path / "img")
    assert plain_text(content.sections["about"]) == "Main text.\n1 in 5 children we met were young carers."


# --- pictures in table cells and before the first section: kept where they can be, else reported ------------

def _picture_in(paragraph, alt: str, colour: str) -> None:
    import io

    from docx.shared import Mm

    from test_readers_builders import png_bytes

    paragraph.add_run().add_picture(io.BytesIO(png_bytes(colour)), width=Mm(20))
    paragraph._p.xpath(".//wp:docPr")[-1].set("descr", alt)


def _return_with_pictures(path: Path, *, headings: bool = True) -> Path:
    document = docx.Document()
    document.add_paragraph("Merseyside Fire and Rescue Service", style="Title")
    _picture_in(document.add_paragraph(), "The service's logo", "blue")
    texts = {"About our agency & what we do": ABOUT, "2023 Activity and What We Would Like to Celebrate": ACTIVITY,
             "Our safeguarding priorities for 2024": PRIORITIES}
    for number, (heading, text) in enumerate(texts.items()):
        if headings:
            document.add_heading(heading, level=1)
        document.add_paragraph(text)
        if number == 1:
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "Event", "Photo"
            table.cell(1, 0).text = "Open day at Birkenhead fire station"
            _picture_in(table.cell(1, 1).paragraphs[0], "Children trying on helmets at the open day", "green")
            only_picture = document.add_table(rows=1, cols=1)  # a table used only to hold a picture
            _picture_in(only_picture.cell(0, 0).paragraphs[0], "The Beacon course graduates", "red")
    document.save(path)
    return path


def test_pictures_in_table_cells_follow_their_table_and_a_title_page_logo_is_reported(tmp_path):
    content = read_docx(_return_with_pictures(tmp_path / "return.docx"), tmp_path / "images")
    activity = content.sections["activity"]
    kinds = [type(block).__name__ for block in activity]
    assert kinds == ["Paragraph", "Table", "Image", "Image"]
    assert [block.alt for block in activity if isinstance(block, Image)] == [
        "Children trying on helmets at the open day", "The Beacon course graduates"]
    assert all(Path(block.path).is_file() for block in activity if isinstance(block, Image))
    assert activity[1].rows[-1] == ["Open day at Birkenhead fire station", ""]
    assert not [b for key in ("about", "priorities") for b in content.sections[key] if isinstance(b, Image)]
    notes = {note.code: note for note in content.notes}
    assert "2 pictures in table cells were placed after their table" in notes["pictures_after_tables"].message
    unused = notes["pictures_outside_sections"]
    assert "1 picture before the first section heading" in unused.message and "The service's logo" in unused.message
    assert unused.fix and unused.field == "pictures"


def test_without_section_headings_the_pictures_before_them_stay_with_the_text(tmp_path):
    content = read_docx(_return_with_pictures(tmp_path / "return.docx", headings=False), tmp_path / "images")
    about = [b.alt for b in content.sections["about"] if isinstance(b, Image)]
    assert "The service's logo" in about
    assert "pictures_outside_sections" not in {note.code for note in content.notes}


def _typed_return(path, lines, figures=()):
    """A return typed into a blank document: each line a paragraph, or (level, text) a heading; then a table of
    figures (label, value rows), if any."""
    document = docx.Document()
    for line in lines:
        if isinstance(line, tuple):
            document.add_heading(line[1], line[0])
        else:
            document.add_paragraph(line)
    if figures:
        table = document.add_table(rows=0, cols=2)
        for label, value in figures:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    document.save(path)
    return read_docx(path, path.parent / "img")


def test_a_heading_naming_data_as_its_topic_does_not_take_the_section_s_text_to_the_figures(tmp_path):
    """'Our performance data' under the activity (a level deeper) is the activity's sub-heading; a priorities
    heading that ends on 'data' is the priorities'. Both once sent their text to the figures, where it was not used."""
    content = _typed_return(tmp_path / "send.docx", [
        "SEND Local Offer Team",
        (2, "About our agency and what we do"), "We support families of children with special needs.",
        (2, "2023 activity and what we would like to celebrate"), "We answered every enquiry.",
        (3, "Our performance data"), "Response times improved from 20 to 12 days.",
        (2, "Priorities for 2024: improving how we share data"), "A shared record with health visitors.",
        (2, "Key figures")], figures=[("Placements", "212")])
    activity = content.sections["activity"]
    assert "Response times improved from 20 to 12 days." in plain_text(activity)
    assert any(isinstance(b, Heading) and b.text == "Our performance data" for b in activity)
    assert plain_text(content.sections["priorities"]) == "A shared record with health visitors."
    assert [(i.label, i.raw) for i in content.indicators] == [("Placements", "212")]  # a heading of figures still is one


def test_a_priorities_heading_worded_as_performance_in_the_plan_year_is_the_priorities(tmp_path):
    content = _typed_return(tmp_path / "youth.docx", [
        (2, "About our agency and what we do"), "We run the borough's youth service.",
        (2, "2023 activity and what we would like to celebrate"), "We opened two youth hubs.",
        (2, "Improving our safeguarding performance in 2024-25"), "Train every youth worker in contextual safeguarding.",
        (2, "Our performance data")],  # no year after the activity's: the figures, as before
        figures=[("Young people reached", "1,240")])
    assert plain_text(content.sections["priorities"]) == "Train every youth worker in contextual safeguarding."
    assert [(i.label, i.raw) for i in content.indicators] == [("Young people reached", "1,240")]


def test_a_paragraph_after_the_contact_details_is_reported_not_lost_without_a_word(tmp_path):
    content = _typed_return(tmp_path / "council.docx", [
        "Wirral Council Children's Social Care",
        (2, "About our agency and what we do"), "We are the council's children's services.",
        (2, "Contact details"), "Name: Sam Lee", "Email: sam.lee@wirral.example",
        "We would also like to thank our foster carers, whose 212 placements this year kept children in Wirral."])
    assert content.contact.name == "Sam Lee" and content.contact.email == "sam.lee@wirral.example"
    assert content.contact.role is None  # the sentence is not the contact's role
    warning = next(n for n in content.notes if n.code == "prose_under_contact")
    assert "1 paragraph(s) after the contact details heading were not used" in warning.message
    assert "We would also like to thank our foster carers" in warning.message


def test_a_cell_merged_across_columns_keeps_the_cells_after_it_under_their_headings_and_is_reported(tmp_path):
    document = docx.Document()
    document.add_heading("2023 activity and what we would like to celebrate", 1)
    table = document.add_table(rows=2, cols=4)
    for column, text in enumerate(["Programme", "Q1", "Q2", "Q3"]):
        table.cell(0, column).text = text
    table.cell(1, 0).text = "Combined training"
    merged = table.cell(1, 1).merge(table.cell(1, 2))
    merged.text = "30"
    table.cell(1, 3).text = "12"
    document.save(tmp_path / "merged.docx")

    content = read_docx(tmp_path / "merged.docx", tmp_path / "img")
    [read] = [b for b in content.sections["activity"] if isinstance(b, Table)]
    assert read.rows[-1] == ["Combined training", "30", "", "12"]  # Q3's 12 still under Q3
    [warning] = [n for n in content.notes if n.code == "merged_cells"]
    assert warning.message.startswith("1 table cell merged across columns was printed in the first of its columns")
