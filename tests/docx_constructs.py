"""A Word return built in code with every construct the reader must not drop silently, or must not publish.

Each construct carries words of its own, so a test can look for exactly those
words in what was read, in the DOCX and PDF written, or in `check`'s report.
Raw WordprocessingML is used where python-docx has no API (notes, text boxes,
equations, ruby, linked pictures, embedded HTML).
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W_NS}" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
TITLE = "Merseyside Fire and Rescue Service"

# Words that must be read and printed (each construct its own, unusual enough to be found only there).
KEPT = {
    "footnote": "Figures from the cadet register kept by Beacon wardens",
    "endnote": "Endnote about lantern funding from the Rotary club",
    "activity footnote": "Counted at the harbour open day in August",
    "case footnote": "Names changed to protect the family of the heron",
    "dir": "Directional wrapper words about marigold",
    "bdo": "Override wrapper words about juniper",
    "smart tag": "Smart tag words about quartz",
    "inline control": "Inline control words about saffron",
    "block custom xml": "Block custom markup words about lavender",
    "equation": "area=width",
    "ruby": "Ruby base words about cobalt",
    "body text box": "Body text box words about tangerine",
    "cell text box": "Cell text box words about pelican",
    "modern cell text box": "Modern cell text box about otters",
    "two column footnote": "Footnote inside the table about walnut",
}
# Words that must never be printed.
HIDDEN = "internal note: do not publish the name of the child Zebedee"
HIDDEN_BY_STYLE = "Styled secret about the foster carer Philomena"
HIDDEN_BY_PARAGRAPH_STYLE = "Whole paragraph hidden about the school Quenby"
RUBY_TEXT = "furigana reading periwinkle"
COMMENT = "Check these numbers with Sandra before sending please"
HEADER = "OFFICIAL SENSITIVE draft heading words"
FOOTER = "Prepared by the safeguarding lead"
CHUNK = "<html><body><p>Embedded HTML words about mackerel and the harbour</p><script>var x = 1;</script></body></html>"
LINKED_ALT = "Chart of referrals by month"


def _p(inner: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {NS}>{ppr}{inner}</w:p>"


def _r(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _note_ref(kind: str, note_id: int) -> str:
    style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'


def _notes_part(kind: str, notes: dict[int, str]) -> bytes:
    separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                  f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')
    body = "".join(f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
                   for i, text in notes.items())
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NS}>{separators}{body}</w:{kind}s>'.encode()


def _text_box(text: str) -> str:
    """A VML text box (as Word 2007 and the fallback branch of later versions write it) in a run."""
    return (f'<w:r><w:pict><v:shape style="width:200pt;height:40pt"><v:textbox><w:txbxContent>'
            f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def _modern_text_box(text: str) -> str:
    """A DrawingML text box as Word 2010 and later write it: the shape, and a VML fallback repeating its text."""
    return ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:extent cx="914400" cy="457200"/>'
            '<wp:docPr id="9" name="Text Box 9"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>'
            f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


def _linked_picture(rel_id: str, alt: str) -> str:
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="7" name="Picture 7" descr="{alt}"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="7" name="chart.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="{rel_id}"/>'
            '</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def _add_part(document, name: str, content_type: str, rel_type: str, blob: bytes) -> str:
    part = Part(PackURI(name), content_type, blob, document.part.package)
    return document.part.relate_to(part, RELS + rel_type)


def constructs_docx(path: Path, title: str = TITLE) -> Path:
    """A free-form return (headings as styles) holding each construct under one of its three sections."""
    document = docx.Document()
    hidden_style = document.styles.add_style("Private note", 2)  # a character style that hides its text
    hidden_style.font.hidden = True
    hidden_paragraphs = document.styles.add_style("Internal only", 1)  # a paragraph style that hides its paragraphs
    hidden_paragraphs.font.hidden = True
    document.add_paragraph(title, style="Title")
    body = document.element.body
    sect_pr = body[-1]

    def add(xml: str) -> None:
        sect_pr.addprevious(parse_xml(xml))

    document.add_heading("About our agency and what we do", 1)
    add(_p(_r("Our cadets reached many families") + _note_ref("footnote", 1) + _r(" across the peninsula")
           + _note_ref("endnote", 1) + _r(".")))
    add(_p(_r("Visible before the hidden words. ") + _r(HIDDEN, "<w:vanish/>") + _r(" Visible after them.")))
    document.add_paragraph(HIDDEN_BY_PARAGRAPH_STYLE, style="Internal only")
    add(_p(_r("Visible words around ") + f'<w:r><w:rPr><w:rStyle w:val="{hidden_style.style_id}"/></w:rPr><w:t>{HIDDEN_BY_STYLE}</w:t></w:r>'))
    add(_p(f'<w:dir w:val="rtl">{_r(KEPT["dir"])}</w:dir>{_r(" and ")}<w:bdo w:val="ltr">{_r(KEPT["bdo"])}</w:bdo>'))
    add(_p(f'<w:smartTag w:uri="urn:x" w:element="place">{_r(KEPT["smart tag"])}</w:smartTag>'))
    add(_p(f'<w:sdt><w:sdtPr/><w:sdtContent>{_r(KEPT["inline control"])}</w:sdtContent></w:sdt>'))
    add(f'<w:customXml {NS} w:uri="urn:agency" w:element="block">{_p(_r(KEPT["block custom xml"]))}</w:customXml>')
    rel_comment_para = document.add_paragraph("The comment is on these words.")
    document.add_comment(rel_comment_para.runs, text=COMMENT, author="Sam Agency", initials="SA")

    document.add_heading("2023 activity and what we would like to celebrate", 1)
    add(_p(_r("We held an open day") + _note_ref("footnote", 2) + _r(" for the town.")))
    add(_p(_r("The sum: ") + f'<m:oMath><m:r><m:t>area</m:t></m:r><m:r><m:t>=</m:t></m:r><m:r><m:t>width</m:t></m:r></m:oMath>'))
    add(_p('<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>' + RUBY_TEXT + '</w:t></w:r></w:rt><w:rubyBase>'
           + _r(KEPT["ruby"]) + '</w:rubyBase></w:ruby></w:r>'))
    add(_p(_r("A paragraph that anchors a text box.") + _text_box(KEPT["body text box"])))
    table = document.add_table(rows=3, cols=2)
    for column, heading in enumerate(("Programme", "Reach")):
        table.cell(0, column).paragraphs[0].add_run(heading).bold = True  # a header row, as the reader sees one
    table.cell(1, 0).text = "Beacon"
    table.cell(1, 1)._tc.append(parse_xml(_p(_r("Cell words") + _text_box(KEPT["cell text box"]))))
    table.cell(2, 0).text = "Harbour"
    table.cell(2, 1)._tc.append(parse_xml(_p(_r("More cell words") + _modern_text_box(KEPT["modern cell text box"]))))
    linked = document.part.relate_to("file:///C:/Users/agency/charts/referrals.png", RELS + "image", is_external=True)
    add(_p(_linked_picture(linked, LINKED_ALT)))
    chunk = _add_part(document, "/word/afchunk1.htm", "text/html", "aFChunk", CHUNK.encode())
    add(f'<w:altChunk {NS} r:id="{chunk}"/>')

    document.add_heading("Planned safeguarding priorities for 2024", 1)
    document.add_paragraph("Trauma-informed practice across every station.")
    document.add_heading("Case study: the heron family", 1)
    add(_p(_r("A family we supported through the winter") + _note_ref("footnote", 3) + _r(".")))

    _add_part(document, "/word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
              "footnotes", _notes_part("footnote", {1: KEPT["footnote"], 2: KEPT["activity footnote"], 3: KEPT["case footnote"]}))
    _add_part(document, "/word/endnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
              "endnotes", _notes_part("endnote", {1: KEPT["endnote"]}))
    header = f'<?xml version="1.0" encoding="UTF-8"?><w:hdr {NS}>{_p(_r(HEADER))}</w:hdr>'.encode()
    footer = f'<?xml version="1.0" encoding="UTF-8"?><w:ftr {NS}>{_p(_r(FOOTER))}</w:ftr>'.encode()
    _add_part(document, "/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml", "header", header)
    _add_part(document, "/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml", "footer", footer)
    document.save(path)
    return path


def two_column_with_footnote(path: Path, title: str = TITLE) -> Path:
    """The two-column layout (section names in the left cells) with a footnote in a right cell."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    table = document.add_table(rows=3, cols=2)
    for row, heading in enumerate(("About our agency and what we do", "2023 activity and what we would like to celebrate",
                                   "Planned safeguarding priorities for 2024")):
        table.cell(row, 0).text = heading
        table.cell(row, 1).text = f"Section {row} words."
    cell = table.cell(0, 1)._tc
    cell.append(parse_xml(_p(_r("Walnut grove visits") + _note_ref("footnote", 1))))
    _add_part(document, "/word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
              "footnotes", _notes_part("footnote", {1: KEPT["two column footnote"]}))
    document.save(path)
    return path
