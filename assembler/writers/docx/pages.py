"""The Word report's page furniture, as the PDF's: the cover's colour bands and a running header per chapter.

Running headers: the report's short title on the left (bold, primary colour)
and the chapter's name on the right, as the PDF prints them. Each chapter is a
Word section that starts a new page, with a header of its own holding the
chapter's name or, in a chapter of sections (the agencies), a field naming the
section that starts on the page (writers/docx/running_headers.py). Page
numbers run on through the sections; every section shares the one footer.

Cover: the PDF's primary band across the top, the secondary strip under it
and the primary band along the foot, as pictures of one colour anchored to
the page behind the text of the first page's own header (so they print on
the cover only), marked decorative for screen readers.
"""

from __future__ import annotations

import copy
import io

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.hdrftr import HeaderPart
from docx.shared import Mm
from PIL import Image

from assembler.config import Brand
from assembler.writers.docx import styles as S
from assembler.writers.docx.ooxml import element, insert_in_order, set_property
from assembler.writers.docx.running_headers import running_header_paragraphs
from assembler.writers.report_geometry import COVER_BAND

COVER_BAND_MM = COVER_BAND / 72 * 25.4  # as the PDF's cover
COVER_STRIP_MM = 4.0
FOOT_BAND_MM = 10.0
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def chapter_sections(docx, chapters: list[tuple[object, str]], title: str, first_section_name: str, brand: Brand,
                     by_section: list[bool] | None = None) -> None:
    """Make each chapter a section of its own with its name in the running header.

    `chapters`: (the chapter heading's w:p, its title) in order. The pages before the first chapter (cover,
    contents) keep the body's first section, named `first_section_name` in their header. `by_section`: for
    each chapter, whether its header names the section starting on the page (running_headers.py).
    """
    body = docx.element.body
    last = body.sectPr
    document_part = docx.part
    footer_refs = [copy.deepcopy(ref) for ref in last.findall(qn("w:footerReference")) if ref.get(qn("w:type")) == "default"]
    colour = brand.colours.primary.lstrip("#").upper()

    header_style = docx.styles[S.HEADER].style_id
    follows = [False] + list(by_section or [False] * len(chapters))  # the contents' pages name themselves

    def header(paragraph) -> str:
        part = HeaderPart.new(document_part.package)
        hdr = part.element
        for child in list(hdr):
            hdr.remove(child)
        hdr.append(paragraph)
        return document_part.relate_to(part, RT.HEADER)

    def properties(name: str, template, index: int) -> object:
        sect = copy.deepcopy(template)
        for ref in sect.findall(qn("w:headerReference")) + sect.findall(qn("w:footerReference")):
            if ref.get(qn("w:type")) == "default":
                sect.remove(ref)
        headers = running_header_paragraphs(header_style, title, name, colour, follows[index])
        references = []
        for kind, paragraph in headers.items():
            references.append(element("w:headerReference", type=kind))
            references[-1].set(qn("r:id"), header(paragraph))
        for kind in headers:  # the one footer on every page, the chapter's first included
            for footer in footer_refs:
                references.append(copy.deepcopy(footer))
                references[-1].set(qn("w:type"), kind)
        for position, reference in enumerate(references):
            sect.insert(position, reference)
        if "first" in headers:
            sect.titlePg_val = True  # python-docx's CT_SectPr puts w:titlePg in schema order
        return sect

    first = properties(first_section_name, last, 0)  # cover (its own first-page header) and contents
    following = copy.deepcopy(last)
    for node in following.findall(qn("w:headerReference")) + following.findall(qn("w:footerReference")) + following.findall(qn("w:titlePg")):
        following.remove(node)
    names = [first_section_name] + [name for _, name in chapters]
    ends = [heading.getprevious() for heading, _ in chapters]
    for index, end in enumerate(ends):
        sect = first if index == 0 else properties(names[index], following, index)
        _end_section(end, sect)
        set_property(chapters[index][0].get_or_add_pPr(), "w:pageBreakBefore", val="0")  # the section break is the new page
    if chapters:  # the body's own section properties are the last chapter's
        replacement = properties(names[-1], following, len(names) - 1)
        last.getparent().replace(last, replacement)
    used = set(body.xpath(".//w:headerReference/@r:id | .//w:footerReference/@r:id"))
    for r_id, rel in list(document_part.rels.items()):
        if rel.reltype in (RT.HEADER, RT.FOOTER) and r_id not in used:
            document_part.drop_rel(r_id)  # the template's header, replaced by the sections' own


def _end_section(block, sect) -> None:
    """Section properties at the end of `block`: in its pPr if it is a paragraph, else in a paragraph of its own,
    one point high, after it (a table cannot hold them)."""
    if block.tag == qn("w:p") and not _holds_field(block):
        insert_in_order(block.get_or_add_pPr(), sect)
        return
    p = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:spacing", before="0", after="0", line="20", lineRule="exact"))
    ppr.append(sect)
    rpr = element("w:rPr")
    rpr.append(element("w:sz", val="2"))
    ppr.append(rpr)
    p.append(ppr)
    block.addnext(p)


def _holds_field(paragraph) -> bool:
    """LibreOffice loses the page fields of a section that ends in a paragraph holding a field's end (the
    contents' last entry): such a section ends in a paragraph of its own."""
    return paragraph.find(f".//{qn('w:fldChar')}") is not None


def cover_bands(docx, brand: Brand) -> None:
    """The PDF cover's bands, in a header of the first page only."""
    section = docx.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = docx.styles[S.HEADER]
    ppr = paragraph._p.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
    borders = element("w:pBdr")
    borders.append(element("w:bottom", val="nil"))  # no rule under the (empty) header on the cover
    insert_in_order(ppr, borders)
    c = brand.colours
    page_width, page_height = 210.0, 297.0
    bands = [
        (c.primary, 0.0, COVER_BAND_MM, "Cover band"),
        (c.secondary, COVER_BAND_MM, COVER_STRIP_MM, "Cover strip"),
        (c.primary, page_height - FOOT_BAND_MM, FOOT_BAND_MM, "Cover foot band"),
    ]
    for number, (colour, top, height, name) in enumerate(bands, 1):
        r_id, _ = header.part.get_or_add_image(io.BytesIO(_solid_png(colour)))
        run = element("w:r")
        drawing = element("w:drawing")
        drawing.append(_anchor(r_id, 9000 + number, name, Mm(page_width), Mm(height), Mm(top)))
        run.append(drawing)
        paragraph._p.append(run)


def _solid_png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _anchor(r_id: str, shape_id: int, name: str, width, height, top):
    """A picture anchored to the page at (0, top), behind the text, decorative."""
    return parse_xml(
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{shape_id}" behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{int(top)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(width)}" cy="{int(height)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="{name}" descr="">'
        f'<a:extLst><a:ext uri="{DECORATIVE_URI}">'
        '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
        '</a:ext></a:extLst></wp:docPr>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{shape_id}" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{int(width)}" cy="{int(height)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        '</a:graphicData></a:graphic></wp:anchor>'
    )
