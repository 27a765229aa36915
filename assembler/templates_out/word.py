"""The blank Word return sent to an agency.

Every field the agency fills in is a content control (w:sdt) whose `w:tag` is the
field name from `assembler.template_fields`:

- `agency_id`, `period`: plain-text controls, filled in and locked (sdtContentLocked);
- `agency_name`: plain-text control, filled in;
- `about`, `activity`, `priorities`: block-level rich-text controls under the section
  headings, showing WORD_PLACEHOLDER until the agency types;
- `contact_*` and `case_study_N_title`: plain-text controls inside a labelled paragraph;
- `case_study_N_text`: block-level rich-text controls;
- indicators: ONE block-level control tagged INDICATORS_FIELD that wraps the whole
  table (header row INDICATOR_COLUMNS, then INDICATOR_ROWS blank rows). The cells have
  no controls of their own, so agencies can add rows with Tab as in any Word table.

The core property `identifier` carries ReturnIdentity(agency, period).identifier(), so a
return is recognised however it is renamed.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

from assembler.config import Agency, ReportConfig
from assembler.deterministic_zip import normalise_zip
from assembler.templates_out.common import (
    CONTACT_LABELS,
    case_study_labels,
    instructions,
    section_guidance,
    section_heading,
    template_properties,
    template_title,
    zip_date_time,
)
from assembler.templates_out.word_controls import (
    LOCK_CONTENT,
    ControlIds,
    block_rich_text_control,
    inline_text_control,
    wrap_in_block_control,
)
from assembler.template_fields import (
    AGENCY_LABEL,
    CASE_STUDIES_GUIDANCE,
    CASE_STUDY_COUNT,
    CASE_STUDY_TITLE_LABEL,
    CONTACT_FIELDS,
    FIELD_AGENCY_ID,
    FIELD_AGENCY_NAME,
    FIELD_PERIOD,
    INDICATOR_COLUMNS,
    INDICATOR_ROWS,
    INDICATORS_FIELD,
    INDICATORS_GUIDANCE,
    REFERENCE_LABEL,
    SECTION_FIELDS,
    case_study_fields,
)
from assembler.word_templates import plain_document

GUIDANCE_GREY = RGBColor(0x59, 0x59, 0x59)


def write_word_template(path: Path, agency: Agency, config: ReportConfig) -> Path:
    """Write the blank Word return for `agency` to `path` (deterministic bytes)."""
    document = plain_document()
    ids = ControlIds()
    _set_styles(document, config)
    _set_properties(document, agency, config)

    document.add_paragraph(template_title(agency, config), style="Title")
    _add_reference_line(document, agency, config, ids)
    _add_labelled_control(document, AGENCY_LABEL, FIELD_AGENCY_NAME, "Agency name", ids, value=agency.name)
    for line in instructions(agency, config, "docx"):
        _add_guidance(document, line)

    for key in SECTION_FIELDS:
        heading = section_heading(key, config)
        document.add_heading(heading, level=2)
        _add_guidance(document, section_guidance(key, config))
        block_rich_text_control(document.add_paragraph(), key, heading, ids())

    document.add_heading("Indicators (optional)", level=2)
    _add_guidance(document, INDICATORS_GUIDANCE)
    _add_indicator_table(document, config, ids)

    document.add_heading("Case studies (optional)", level=2)
    _add_guidance(document, CASE_STUDIES_GUIDANCE)
    for number in range(1, CASE_STUDY_COUNT + 1):
        title_field, text_field = case_study_fields(number)
        title_label, text_label = case_study_labels(number)
        document.add_heading(f"Case study {number}", level=3)
        _add_labelled_control(document, CASE_STUDY_TITLE_LABEL, title_field, title_label, ids)
        block_rich_text_control(document.add_paragraph(), text_field, text_label, ids())

    document.add_heading("Who to contact about this return", level=2)
    for field in CONTACT_FIELDS:
        _add_labelled_control(document, f"{CONTACT_LABELS[field]}: ", field, CONTACT_LABELS[field], ids)

    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    normalise_zip(path, date_time=zip_date_time(config))
    path.chmod(0o644)  # normalise_zip leaves a private temp file's mode; templates are meant to be shared
    return path


def _set_styles(document, config: ReportConfig) -> None:
    fonts = config.brand.fonts
    normal = document.styles["Normal"]
    normal.font.name = fonts.body
    normal.font.size = Pt(fonts.body_size)
    primary = RGBColor.from_string(config.brand.colours.primary.lstrip("#"))
    for name in ("Title", "Heading 2", "Heading 3"):
        style = document.styles[name]
        style.font.name = fonts.heading
        style.font.color.rgb = primary
    # Spell-check in the partnership's language, not the default template's en-US.
    defaults_rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults_rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f'<w:lang {nsdecls("w")}/>')
        defaults_rpr.append(lang)
    lang.set(qn("w:val"), config.partnership.language)
    placeholder = document.styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def _set_properties(document, agency: Agency, config: ReportConfig) -> None:
    shared, props = template_properties(agency, config), document.core_properties
    props.identifier, props.title, props.subject = shared.identifier, shared.title, shared.subject
    props.language, props.keywords = shared.language, shared.keywords
    props.author = props.last_modified_by = shared.who
    props.comments = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = shared.when


def _add_guidance(document, text: str):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.italic = True
    run.font.color.rgb = GUIDANCE_GREY
    return paragraph


def _add_labelled_control(document, label: str, tag: str, alias: str, ids: ControlIds, value: str | None = None):
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    inline_text_control(paragraph, tag, alias, ids(), value=value)
    return paragraph


def _add_reference_line(document, agency: Agency, config: ReportConfig, ids: ControlIds) -> None:
    """Agency id and period, small and grey: the reader's second way to recognise the return."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run(REFERENCE_LABEL)
    run.font.size = Pt(8)
    run.font.color.rgb = GUIDANCE_GREY
    inline_text_control(paragraph, FIELD_AGENCY_ID, "Agency id", ids(), value=agency.id, lock=LOCK_CONTENT)
    paragraph.add_run(" / ").font.size = Pt(8)
    inline_text_control(paragraph, FIELD_PERIOD, "Period", ids(), value=config.period, lock=LOCK_CONTENT)


def _add_indicator_table(document, config: ReportConfig, ids: ControlIds) -> None:
    table = document.add_table(rows=1 + INDICATOR_ROWS, cols=len(INDICATOR_COLUMNS))
    table.style = "Table Grid"
    fill = config.brand.colours.primary.lstrip("#")
    text_colour = RGBColor.from_string(config.brand.colours.header_text.lstrip("#"))
    header = table.rows[0]
    # Repeat the header row on each page, as accessible tables should.
    header._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for cell, column in zip(header.cells, INDICATOR_COLUMNS):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column)
        run.bold = True
        run.font.color.rgb = text_colour
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>'))
    wrap_in_block_control(table._tbl, INDICATORS_FIELD, "Indicators", ids())
    # Word needs a paragraph between a table and the next heading to let people type after it.
    document.add_paragraph()


def word_control_tags(path: Path) -> list[str]:
    """The tags of every content control in a Word file, in document order (for tests and readers' checks)."""
    document = Document(str(path))
    return [tag.get(qn("w:val")) for tag in document.element.body.iter(qn("w:tag"))]
