"""The blank Word 7-minute briefing an officer can fill in, and the reader that takes it back.

Every field is a content control whose w:tag names it (below), so the reader
finds the fields wherever the officer's typing has moved them. The seven
headings come prefilled with the usual ones and can be overwritten.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor
from pydantic import ValidationError

from assembler.config import ReportConfig
from assembler.deterministic_zip import normalise_zip
from assembler.errors import InputError
from assembler.readers.docx_blocks import W_P, W_SDT, W_TBL, BlockBuilder, DocxContext, read_paragraph, table_block
from assembler.readers.docx_package import WordPackage
from assembler.schema import Briefing, BriefingSection
from assembler.schema.report import BRIEFING_SECTION_COUNT
from assembler.template_fields import WORD_PLACEHOLDER
from assembler.templates_out.word_controls import ControlIds, block_rich_text_control, inline_text_control
from assembler.word_templates import plain_document
from assembler.writers.docx.settings import set_core_properties

FIELD_TITLE = "briefing_title"
FIELD_DATE = "briefing_date"
FIELD_AUDIENCE = "briefing_audience"
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
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y", "%d.%m.%Y", "%B %Y")


def section_fields(number: int) -> tuple[str, str]:
    """Heading and text field names of section `number` (1-7)."""
    return f"section_{number}_heading", f"section_{number}_text"


# --- the blank template ------------------------------------------------------------------

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
    for label, tag in (("Title", FIELD_TITLE), ("Date", FIELD_DATE), ("Audience", FIELD_AUDIENCE)):
        p = document.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        if tag == FIELD_DATE:
            _date_control(p, ids())
        else:
            inline_text_control(p, tag, label, ids())
    for number, (heading, prompt) in enumerate(zip(USUAL_HEADINGS, SECTION_PROMPTS), start=1):
        heading_field, text_field = section_fields(number)
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
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val=\"Date\"/><w:tag w:val={quoteattr(FIELD_DATE)}/>"
        f"<w:id w:val=\"{control_id}\"/><w:lock w:val=\"sdtLocked\"/><w:showingPlcHdr/>"
        "<w:date><w:dateFormat w:val=\"d MMMM yyyy\"/><w:lid w:val=\"en-GB\"/><w:storeMappedDataAs w:val=\"dateTime\"/>"
        "<w:calendar w:val=\"gregorian\"/></w:date></w:sdtPr>"
        f"<w:sdtContent><w:r><w:rPr><w:rStyle w:val=\"PlaceholderText\"/></w:rPr><w:t>Click or tap to enter a date.</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(parse_xml(xml))


# --- reading a filled template ----------------------------------------------------------

def read_briefing_docx(path: Path) -> Briefing:
    """A Briefing from a filled template; InputError naming the field and the fix otherwise."""
    name = str(path)
    try:
        package = WordPackage(path)
    except Exception as exc:  # not a Word file, or damaged: the officer can only re-save it
        raise InputError(name, f"the file cannot be opened as a Word document ({type(exc).__name__})", "save it again from Word as .docx") from None
    with package:
        return _read_briefing(package, name, path)


def _read_briefing(package: WordPackage, name: str, path: Path) -> Briefing:
    controls = _tagged_controls(package.body)
    if FIELD_TITLE not in controls:
        raise InputError(name, "this is not the 7-minute briefing template (it has no Title box)",
                         "start from 7-minute-briefing.docx written by 'assembler templates'")
    ctx = DocxContext(package, Path(tempfile.gettempdir()) / "assembler-briefing-images")
    title = _text(controls.get(FIELD_TITLE), ctx)
    audience = _text(controls.get(FIELD_AUDIENCE), ctx)
    for value, label, field in ((title, "title", FIELD_TITLE), (audience, "audience", FIELD_AUDIENCE)):
        if not value:
            raise InputError(name, f"the {label} is not filled in", f"type the {label} in its box", field=label)
    when = _date(controls.get(FIELD_DATE), ctx, name)
    sections = []
    for number in range(1, BRIEFING_SECTION_COUNT + 1):
        heading_field, text_field = section_fields(number)
        heading = _text(controls.get(heading_field), ctx)
        blocks = _blocks(controls.get(text_field), ctx)
        if not heading or not blocks:
            raise InputError(name, f"part {number} has no {'heading' if not heading else 'text'}",
                             f"fill in part {number}: every one of the seven parts needs a heading and some text",
                             field=f"sections.{number}")
        sections.append(BriefingSection(heading=heading, blocks=blocks))
    try:
        return Briefing(slug=_slug(path.stem), title=title, date=when, audience=audience, sections=sections, source=name)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(name, first["msg"].removeprefix("Value error, "), "correct it and build again",
                         field=".".join(str(p) for p in first["loc"])) from None


def _tagged_controls(body) -> dict[str, object]:
    found: dict[str, object] = {}
    for sdt in body.iter(W_SDT):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        value = tag.get(qn("w:val")) if tag is not None else None
        if value and value not in found:
            found[value] = sdt
    return found


def _placeholder(sdt) -> bool:
    return sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}") is not None


def _text(sdt, ctx: DocxContext) -> str:
    if sdt is None or _placeholder(sdt):
        return ""
    content = sdt.find(qn("w:sdtContent"))
    text = read_paragraph(content, ctx).text if content is not None else ""
    return "" if text.casefold() == WORD_PLACEHOLDER.casefold() else text.strip()


def _blocks(sdt, ctx: DocxContext) -> list:
    if sdt is None or _placeholder(sdt):
        return []
    builder = BlockBuilder()
    content = sdt.find(qn("w:sdtContent"))
    for element in content if content is not None else []:
        if element.tag == W_P:
            info = read_paragraph(element, ctx)
            if info.text.casefold() != WORD_PLACEHOLDER.casefold():
                builder.add_paragraph(info, heading_level=info.heading_level)
        elif element.tag == W_TBL and (table := table_block(element, ctx)) is not None:
            builder.add_block(table)
    return builder.blocks


def _date(sdt, ctx: DocxContext, name: str) -> date:
    picked = sdt.find(f"{qn('w:sdtPr')}/{qn('w:date')}") if sdt is not None else None
    full = picked.get(qn("w:fullDate")) if picked is not None else None
    if full:
        return date.fromisoformat(full[:10])
    text = _text(sdt, ctx)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text), fmt).date()
        except ValueError:
            continue
    raise InputError(name, f"the date {text!r} cannot be read" if text else "the date is not filled in",
                     "pick the date from the calendar in the Date box, or type it as 1 May 2024", field="date")


def _slug(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.casefold()).strip("-") or "briefing"


load_briefing_docx = read_briefing_docx
