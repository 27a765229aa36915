"""VML pictures and embedded (OLE) objects in a Word return: printed as the pictures Word shows, with what is in an
object reported, never dropped without a word."""

from __future__ import annotations

import io

from docx.oxml import parse_xml
from PIL import Image as PILImage

from assembler.excel_library import openpyxl
from assembler.schema import Image
from docx_constructs import NS, _add_part
from test_docx_pandoc_constructs import ABOUT, ACTIVITY, PRIORITIES, _document, _p, _r, _read, _text

O_NS = 'xmlns:o="urn:schemas-microsoft-com:office:office"'
OLE_CONTENT = "application/vnd.openxmlformats-officedocument.oleObject"


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (6, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def _workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _object(prog_id: str, object_id: str, picture_id: str | None) -> str:
    """An OLE object as Word writes it: the picture it shows (v:imagedata), and the object's own part."""
    picture = f'<v:imagedata r:id="{picture_id}" o:title=""/>' if picture_id else ""
    return (f'<w:r><w:object w:dxaOrig="2000" w:dyaOrig="1000"><v:shape id="_x0000_i1025" type="#_x0000_t75" '
            f'style="width:100pt;height:50pt">{picture}</v:shape><o:OLEObject Type="Embed" ProgID="{prog_id}" '
            f'ShapeID="_x0000_i1025" DrawAspect="Content" ObjectID="_1" r:id="{object_id}"/></w:object></w:r>')


def _with_o(paragraph: str) -> str:
    return paragraph.replace("<w:p ", f"<w:p {O_NS} ", 1)


def _return(document, *paragraphs: str):
    sect_pr = document.element.body[-1]
    document.add_heading(ABOUT, 1)
    for paragraph in paragraphs:
        sect_pr.addprevious(parse_xml(_with_o(paragraph)))
    document.add_heading(ACTIVITY, 1)
    document.add_paragraph("We ran the clubs.")
    document.add_heading(PRIORITIES, 1)
    document.add_paragraph("Training for all staff.")
    return document


def _pictures(content) -> list[Image]:
    return [block for blocks in content.sections.values() for block in blocks if isinstance(block, Image)]


def test_a_vml_picture_is_printed_with_its_alt_text(tmp_path):
    # A document converted from .doc keeps its pictures as VML (w:pict/v:shape/v:imagedata): dropped unsaid.
    document = _document([])
    picture = _add_part(document, "/word/media/image7.png", "image/png", "image", _png())
    shape = (f'<w:r><w:pict><v:shape id="s1" type="#_x0000_t75" style="width:60pt;height:40pt" '
             f'alt="Map of the Wyrebank estate"><v:imagedata r:id="{picture}" o:title="map"/></v:shape></w:pict></w:r>')
    content = _read(_return(document, _p(_r("Where we work.") + shape)), tmp_path)
    assert [p.alt for p in _pictures(content)] == ["Map of the Wyrebank estate"]


def test_an_embedded_worksheet_prints_its_picture_and_its_words_are_reported(tmp_path):
    document = _document([])
    picture = _add_part(document, "/word/media/image8.png", "image/png", "image", _png())
    sheet = _add_part(document, "/word/embeddings/Microsoft_Excel_Worksheet.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "package",
                      _workbook(("Referrals", 1204), ("Seen within a day", "91%")))
    equation = _add_part(document, "/word/embeddings/oleObject1.bin", OLE_CONTENT, "oleObject", b"\xd0\xcf\x11\xe0 old")
    content = _read(_return(document, _p(_r("Our referrals, from Hallowfield.") + _object("Excel.Sheet.12", sheet, picture)),
                            _p(_object("Equation.3", equation, None))), tmp_path)
    assert "Our referrals, from Hallowfield." in _text(content)
    assert len(_pictures(content)) == 1
    [printed] = [n for n in content.notes if n.code == "embedded_objects_as_pictures"]
    assert printed.message == ("1 embedded object (Excel worksheet, 7 words) was printed as the picture Word shows "
                               "of it, not the words in it")
    [lost] = [n for n in content.notes if n.code == "embedded_objects_not_read"]
    assert lost.message == "1 embedded object (equation (Equation Editor 3.0)) was not read: the report cannot print it"
