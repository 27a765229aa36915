"""What a worksheet carries beside its cells (comments, threaded comments, text boxes, pictures, charts, links on
cells) is not read, and each is reported on the return: none was said before. Every workbook is made here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image

from assembler.readers.xlsx_return import read_xlsx
from assembler.schema import plain_text
from test_readers_builders import ABOUT, png_bytes, rows_workbook

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
TEXT_BOX = (
    '<xdr:twoCellAnchor xmlns:xdr="' + XDR + '" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
    '<xdr:to><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>6</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
    '<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="3" name="TextBox 2"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
    '<xdr:spPr/><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Our new duty line opens in May:</a:t></a:r></a:p>'
    '<a:p><a:r><a:t>please print its number.</a:t></a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>'
)
THREADED = (
    '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
    '<threadedComment ref="B2" dT="2024-04-20T10:00:00.00" personId="{1}" id="{A}"><text>Is this figure final?</text></threadedComment>'
    '<threadedComment ref="B2" dT="2024-04-21T10:00:00.00" personId="{2}" id="{B}" parentId="{A}"><text>Yes, signed off by the board.</text></threadedComment>'
    '</ThreadedComments>'
)
THREADED_REL = ('<Relationship Id="rIdT1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
                'Target="../threadedComments/threadedComment1.xml"/>')


def _rewrite(path: Path, change) -> Path:
    """The workbook with some of its parts changed: change(parts) edits the {name: bytes} dict."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _workbook(tmp_path: Path) -> openpyxl.Workbook:
    path = rows_workbook(tmp_path / "own.xlsx", [["Agency", "Wirral Youth Service"], ["About our agency and what we do", ABOUT]],
                         [["Indicator", "Value"], ["Referrals", 12], ["Seen within 24 hours", 10]])
    return openpyxl.load_workbook(path)


def _notes(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    content = read_xlsx(path, tmp_path / "img")
    assert plain_text(content.sections["about"]) == ABOUT  # the cells are read as before
    found: dict[str, list[str]] = {}
    for note in content.notes:
        found.setdefault(note.code, []).append(note.message)
    return found


def test_notes_and_threaded_comments_on_cells_are_reported_like_word_comments(tmp_path):
    book = _workbook(tmp_path)
    book["Return"]["B2"].comment = Comment("[Threaded comment] Your version of Excel allows you to read this "
                                           "threaded comment. Comment: Is this figure final?", "Jo")
    book["Indicators"]["B3"].comment = Comment("Provisional until the audit", "Sam")
    path = tmp_path / "own.xlsx"
    book.save(path)

    def thread(parts):
        parts["xl/threadedComments/threadedComment1.xml"] = THREADED.encode()
        rels = "xl/worksheets/_rels/sheet1.xml.rels"
        parts[rels] = parts[rels].replace(b"</Relationships>", THREADED_REL.encode() + b"</Relationships>")

    # The threaded comment and its reply are two comments; Excel's note for older versions beside them is not a third.
    assert _notes(_rewrite(path, thread), tmp_path)["comments_not_read"] == [
        "3 comments (14 words) on the workbook's cells were not read: they are the agency's notes, not the return"]


def test_a_text_box_a_picture_and_a_chart_on_a_sheet_are_reported_with_the_text_box_s_words(tmp_path):
    book = _workbook(tmp_path)
    book["Return"].add_image(Image(io.BytesIO(png_bytes())), "D5")
    figures = book["Indicators"]
    chart = BarChart()
    chart.add_data(Reference(figures, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    figures.add_chart(chart, "E2")
    path = tmp_path / "own.xlsx"
    book.save(path)

    def add_text_box(parts):
        drawing = next(name for name in parts if name.startswith("xl/drawings/drawing") and b"<pic>" in parts[name]
                       or name.startswith("xl/drawings/drawing") and b":pic>" in parts[name])
        parts[drawing] = parts[drawing].replace(b"</wsDr>", TEXT_BOX.encode() + b"</wsDr>")

    notes = _notes(_rewrite(path, add_text_box), tmp_path)["drawings_not_read"]
    assert notes == [
        "1 text box or shape(s) with words (11 words, starting 'Our new duty line opens in May: please …') and "
        "1 picture on the sheet 'Return' were not read: only the text typed in a sheet's cells is read",
        "1 chart on the sheet 'Indicators' was not read: only the text typed in a sheet's cells is read"]


def test_a_link_on_a_cell_keeps_its_words_and_its_address_is_reported_unless_the_words_are_the_address(tmp_path):
    book = _workbook(tmp_path)
    sheet = book["Return"]
    sheet["B2"].hyperlink = "https://wirral.example/youth/annual-review"
    sheet.append(["Contact e-mail", "youth@wirral.example"])
    sheet["B3"].hyperlink = "mailto:youth@wirral.example"
    sheet["A2"].hyperlink = "#Indicators!A1"  # a link to a cell of the workbook loses nothing
    book.save(tmp_path / "own.xlsx")

    assert _notes(tmp_path / "own.xlsx", tmp_path)["link_address_not_read"] == [
        "1 cell on the sheet 'Return' links to an address the report does not print, only the cell's words: "
        "B2 'We keep children safe across …' (https://wirral.example/youth/annual-review)"]


def test_a_plain_workbook_has_none_of_these_notes(tmp_path):
    book = _workbook(tmp_path)
    book.save(tmp_path / "own.xlsx")
    assert not {"comments_not_read", "drawings_not_read", "link_address_not_read"} & set(_notes(tmp_path / "own.xlsx", tmp_path))


def test_a_damaged_comments_part_is_reported_not_a_crash_nor_silence(tmp_path):
    book = _workbook(tmp_path)
    book["Return"]["B2"].comment = Comment("Check with the board", "Jo")
    book.save(tmp_path / "own.xlsx")

    def damage(parts):
        name = next(name for name in parts if name.startswith("xl/comments"))
        parts[name] = parts[name][:-40]

    [note] = _notes(_rewrite(tmp_path / "own.xlsx", damage), tmp_path)["drawings_not_read"]
    assert note.startswith("1 damaged part (xl/comments/comment1.xml) on the sheet 'Return' was not read")
