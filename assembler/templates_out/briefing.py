"""The blank Word 7-minute briefing an officer can fill in (readers/briefing_docx.py reads it back).

Every field is a content control whose w:tag names it (template_fields), so the
reader finds the fields wherever the officer's typing has moved them. The seven
headings come prefilled with the usual ones and can be overwritten.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from assembler.config import ReportConfig
from assembler.deterministic_zip import normalise_zip
from assembler.template_fields import (
    BRIEFING_FIELD_AUDIENCE,
    BRIEFING_FIELD_DATE,
    BRIEFING_FIELD_TITLE,
    briefing_section_fields,
)
from assembler.templates_out.word_controls import ControlIds, block_rich_text_control, inline_text_control
from assembler.word_templates import plain_document
from assembler.writers.docx.settings import set_core_properties

BRIEFING_TEMPLATE_NAME = "7-minute-briefing.docx"
USUAL_HEADINGS = ("Background", "Why it matters", "Information", "What you should do", "Questions to consider", "Learning", "Further information")
SECTION_PROMPTS = (
    "What happened, or what the briefing is about.",
    "Why practitioners should care: the risk to children.",
    "The facts, research or guidance practitioners need.",
    "What you should do differently from today.",
    "Questions for practitioners to talk through with their team.",
    "What the partnership has learned.",
    "Where to find out more: links, contacts, courses.",
)


def write_briefing_template(path: Path, config: ReportConfig) -> None:
    document = plain_document()
    ids = ControlIds()
    colours = config.brand.colours
    normal = document.styles["Normal"]
    normal.font.name = config.brand.fonts.body
    normal.font.size = Pt(11)
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        style.font.name = config.brand.fonts.heading
        fonts = style.element.rPr.find(qn("w:rFonts"))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):  # theme fonts would win over the brand's
            fonts.attrib.pop(qn(theme), None)
        style.font.color.rgb = RGBColor.from_string(colours.primary.lstrip("#"))
    document.add_heading("7-minute briefing", level=1)
    document.add_paragraph(
        f"Fill in the grey boxes and save the file into the briefings folder of the inputs. The assembler lays the "
        f"briefing out on one page in {config.partnership.short_name}'s style. Keep each part short: about 45 words "
        f"a part prints at full size; much more and the build will say how many words to cut."
    )
    for label, tag in (("Title", BRIEFING_FIELD_TITLE), ("Date", BRIEFING_FIELD_DATE), ("Audience", BRIEFING_FIELD_AUDIENCE)):
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        if tag == BRIEFING_FIELD_DATE:
            _date_control(p, ids())
        else:
            inline_text_control(p, tag, label, ids())
    for number, (heading, prompt) in enumerate(zip(USUAL_HEADINGS, SECTION_PROMPTS), start=1):
        heading_field, text_field = briefing_section_fields(number)
        h = document.add_heading(f"{number}. ", level=2)
        inline_text_control(h, heading_field, f"Heading of part {number}", ids(), value=heading)
        guidance = document.add_paragraph(prompt)
        guidance.runs[0].italic = True
        block_rich_text_control(document.add_paragraph(), text_field, f"Part {number}: {heading}", ids())
    set_core_properties(document, title="7-minute briefing template", author=config.partnership.name, subject="",
                        language=config.partnership.language, when=config.publication_date)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    d = config.publication_date
    normalise_zip(path, (d.year, d.month, d.day, 0, 0, 0))


def _date_control(paragraph, control_id: int) -> None:
    """A Word date picker: the reader takes w:fullDate, so any display format works."""
    xml = (
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val=\"Date\"/><w:tag w:val={quoteattr(BRIEFING_FIELD_DATE)}/>"
        f"<w:id w:val=\"{control_id}\"/><w:lock w:val=\"sdtLocked\"/><w:showingPlcHdr/>"
        "<w:date><w:dateFormat w:val=\"d MMMM yyyy\"/><w:lid w:val=\"en-GB\"/><w:storeMappedDataAs w:val=\"dateTime\"/>"
        "<w:calendar w:val=\"gregorian\"/></w:date></w:sdtPr>"
        f"<w:sdtContent><w:r><w:rPr><w:rStyle w:val=\"PlaceholderText\"/></w:rPr><w:t>Click or tap to enter a date.</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(parse_xml(xml))
