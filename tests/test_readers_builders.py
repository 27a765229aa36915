"""Builders for return files, written the way agencies really produce them (python-docx, openpyxl, e-mail).

Shared by the reader, intake, check and chase tests; the one test here checks the builders themselves.
"""

from __future__ import annotations

import copy
import io
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
import docx.table
import openpyxl
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image as PILImage

ABOUT = "We keep children safe across Wirral with our partners."
ACTIVITY = "In 2023 we trained 468 officers and opened two family hubs."
PRIORITIES = "Improve the voice of the child in every record."


def png_bytes(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def free_form_docx(path: Path, *, title: str = "Merseyside Fire and Rescue Service", layout: str = "headings",
                   headings: tuple[str, str, str] = ("About our agency & what we do",
                                                     "2023 Activity and What We Would Like to Celebrate",
                                                     "Our safeguarding priorities for 2024"),
                   texts: tuple[str, str, str] = (ABOUT, ACTIVITY, PRIORITIES), modified: datetime | None = datetime(2024, 4, 22, 10, 15),
                   image_alt: str | None = None) -> Path:
    """A return typed into a blank Word document, with headings as styles, bold lines or a two-column table."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    if layout == "table":
        table = document.add_table(rows=0, cols=2)
        for heading, text in zip(headings, texts):
            cells = table.add_row().cells
            cells[0].text = heading
            cells[1].text = text
            cells[1].add_paragraph("A bullet in a cell", style="List Bullet")
    else:
        for heading, text in zip(headings, texts):
            if layout == "headings":
                document.add_heading(heading, level=1)
            else:
                document.add_paragraph().add_run(heading).bold = True
            document.add_paragraph(text)
    if image_alt is not None:
        stream = io.BytesIO(png_bytes())
        document.add_picture(stream)
        doc_pr = next(document.element.body.iter(qn("wp:docPr")))
        doc_pr.set("descr", image_alt)
    if modified:
        document.core_properties.modified = modified
    document.save(path)
    return path


def fill_word_template(template: Path, target: Path, values: dict[str, list[str] | str], indicators: list[list[str]] = ()) -> Path:
    """Type into the template's content controls as Word does: the placeholder goes, the text comes in."""
    document = docx.Document(str(template))
    body = document.element.body
    for sdt in list(body.iter(qn("w:sdt"))):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val"))
        if tag not in values:
            continue
        placeholder = sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}")
        if placeholder is not None:
            placeholder.getparent().remove(placeholder)
        content = sdt.find(qn("w:sdtContent"))
        value = values[tag]
        block = any(child.tag == qn("w:p") for child in content)
        for child in list(content):
            content.remove(child)
        if block:
            for line in ([value] if isinstance(value, str) else value):
                style = None
                if line.startswith("- "):
                    line, style = line[2:], "ListBullet"
                p_pr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
                content.append(parse_xml(f"<w:p {nsdecls('w')}>{p_pr}<w:r><w:t xml:space='preserve'>{_xml(line)}</w:t></w:r></w:p>"))
        else:
            content.append(parse_xml(f"<w:r {nsdecls('w')}><w:t xml:space='preserve'>{_xml(str(value))}</w:t></w:r>"))
    if indicators:
        # The indicators table sits inside a content control, where document.tables does not look.
        tables = [docx.table.Table(tbl, document._body) for tbl in body.iter(qn("w:tbl"))]
        table = next(t for t in tables if t.rows[0].cells[0].text.strip() == "Indicator")
        for row_values, row in zip(indicators, table.rows[1:]):
            for cell, text in zip(row.cells, row_values):
                cell.text = text
    document.core_properties.modified = datetime(2024, 4, 20, 9, 0)
    document.save(target)
    return target


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def eml_with(path: Path, attachments: list[tuple[str, bytes]], *, sender: str = "Dave <youth.engagement@merseyfire.example>",
             date: datetime = datetime.fromisoformat("2024-04-22T10:15:00+01:00"), subject: str = "Our WSCP return",
             body: str = "Please find our return attached.") -> Path:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "wscp@wirral.example"
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(message))
    return path


def rows_workbook(path: Path, rows: list[list[object]], indicator_rows: list[list[object]] | None = None,
                  formats: dict[str, str] | None = None, modified: datetime | None = datetime(2024, 4, 24, 14, 48)) -> Path:
    """An agency's own workbook: label/value rows on the first sheet, indicators on a second."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in rows:
        sheet.append(row)
    if indicator_rows is not None:
        indicators = book.create_sheet("Indicators")
        for row in indicator_rows:
            indicators.append(row)
        for coordinate, number_format in (formats or {}).items():
            indicators[coordinate].number_format = number_format
    if modified:
        book.properties.modified = modified
    book.save(path)
    return path


def test_builders_make_files_that_open(tmp_path):
    path = free_form_docx(tmp_path / "a.docx", image_alt="Cadets on the drill yard")
    assert docx.Document(str(path)).paragraphs[0].text == "Merseyside Fire and Rescue Service"
    assert copy.copy(png_bytes()).startswith(b"\x89PNG")


def fill_excel_template(template: Path, target: Path, values: dict[str, str], indicators: list[list[object]] = (),
                        formats: dict[int, str] | None = None) -> Path:
    """Type into the template's named cells and indicator rows, as a person in Excel would."""
    from assembler.template_fields import SHEET_INDICATORS

    book = openpyxl.load_workbook(template)
    cells = {name: list(d.destinations)[0] for name, d in book.defined_names.items()}
    for name, value in values.items():
        sheet, cell = cells[name]
        book[sheet][cell.replace("$", "")] = value
    sheet = book[SHEET_INDICATORS]
    for row_index, row in enumerate(indicators, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row_index, column, value)
        if formats and row_index - 2 in formats:
            sheet.cell(row_index, 2).number_format = formats[row_index - 2]
    book.save(target)
    return target


def signed_message(attachments: list[tuple[str, bytes]], *, sender: str = "Dave <youth.engagement@merseyfire.example>",
                   subject: str = "Our WSCP return", body: str = "Please find our return attached.") -> EmailMessage:
    """An e-mail signed with S/MIME as NHSmail or a police force sends it (RFC 1847 multipart/signed): what was
    signed (the text and the return) first, the signature (smime.p7s) after it."""
    signed = EmailMessage()
    signed.set_content(body)
    for name, data in attachments:
        signed.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "wscp@wirral.example", subject
    message["Date"] = format_datetime(datetime.fromisoformat("2024-04-22T10:15:00+01:00"))
    message.make_mixed()
    message.set_type("multipart/signed")
    message.set_param("protocol", "application/pkcs7-signature")
    message.set_param("micalg", "sha-256")
    signature = EmailMessage()
    signature.set_content(b"0\x82\x01\x00 not a real signature", maintype="application", subtype="pkcs7-signature",
                          filename="smime.p7s")
    message.attach(_as_part(signed))
    message.attach(_as_part(signature))
    return message


def encrypted_message(*, sender: str = "Dave <youth.engagement@merseyfire.example>",
                      subject: str = "Our WSCP return") -> EmailMessage:
    """An e-mail encrypted with S/MIME: all of it, text and attachments, in one enveloped-data part."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "wscp@wirral.example", subject
    message["Date"] = format_datetime(datetime.fromisoformat("2024-04-22T10:15:00+01:00"))
    message.set_content(b"0\x80 enveloped data", maintype="application", subtype="pkcs7-mime",
                        params={"smime-type": "enveloped-data", "name": "smime.p7m"}, filename="smime.p7m")
    return message


def _as_part(message: EmailMessage) -> EmailMessage:
    """A message's content as a body part (its own headers, not an e-mail's)."""
    for header in ("MIME-Version",):
        del message[header]
    return message
