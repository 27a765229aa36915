"""Word returns: the generated template (content controls) or a free-form document.

Free-form documents are split into sections at headings, which may be Heading
styles, lines typed in bold, or the left-hand cells of a two-column table.
"""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import timezone
from pathlib import Path

from assembler.problems import Problem
from assembler.readers.base import (
    CONTACT_LINE_WORDS,
    ReturnContent,
    contact_from_lines,
    count_words,
    excerpt,
    period_from_text,
    plural,
    reader_warning,
)
from assembler.readers.docx_blocks import (
    NO_DESCRIPTION,
    W_P,
    W_SDT,
    W_CUSTOM_XML,
    W_TBL,
    BlockBuilder,
    DocxContext,
    NoteSink,
    cell_elements,
    cell_pictures,
    has_tracked_changes,
    hidden_row,
    plain_lines,
    read_paragraph,
    row_cells,
    row_elements,
    table_block,
    table_rows,
    t_text,
)
from assembler.readers.docx_controls import control_children, showing_placeholder, tagged_controls
from assembler.readers.docx_objects import embedded_words
from assembler.readers.docx_package import DOC_RELS, WordPackage, qn
from assembler.readers.headings import HeadingMatch, match_heading, names_figures_only_as_a_topic
from assembler.readers.indicators import indicators_from_rows
from assembler.schema import CaseStudy, Contact, Notes, Paragraph, Run, plain_text
from assembler.template_fields import (
    AGENCY_LABEL,
    CASE_STUDY_COUNT,
    CASE_STUDY_TITLE_LABEL,
    CONTACT_FIELDS,
    FIELD_AGENCY_ID,
    FIELD_AGENCY_NAME,
    FIELD_PERIOD,
    INDICATORS_FIELD,
    INSTRUCTION_OPENINGS,
    REFERENCE_LABEL,
    SECTION_FIELDS,
    SECTION_GUIDANCE,
    WORD_PLACEHOLDER,
    ReturnIdentity,
    case_study_fields,
    is_template_prompt,
    parse_identifier,
)


def read_docx(path: Path, image_dir: Path) -> ReturnContent:
    with WordPackage(path) as package:
        return _read_package(package, image_dir)


def _read_package(package: WordPackage, image_dir: Path) -> ReturnContent:
    ctx = DocxContext(package, image_dir)
    content = ReturnContent(identity=parse_identifier(package.identifier))
    modified = package.modified
    if modified:
        content.modified = modified.replace(tzinfo=timezone.utc) if modified.tzinfo is None else modified
    body = package.body
    _join_drop_caps(body)
    authors = has_tracked_changes(body)
    if authors:
        content.notes.append(reader_warning(
            "tracked_changes", "document",
            f"the document still has tracked changes (by {', '.join(authors)}); it was read as if all changes were accepted",
            "ask the agency to accept or reject all changes (Review > Accept > Accept All Changes) and send the final version",
        ))
    tagged = tagged_controls(body)
    if any(field in tagged for field in SECTION_FIELDS):
        content.is_template = True
        _read_template(tagged, ctx, content)
    elif content.identity is not None and _read_free_form(
            list(body), trial_ctx := DocxContext(package, image_dir),
            trial := ReturnContent(identity=content.identity, modified=content.modified, notes=list(content.notes)),
            template_layout=True):
        # Our template, its boxes gone: LibreOffice keeps the text but not Word's block-level content controls.
        # (Read apart: when it is not, the document is read as before, once, not on top of this reading.)
        ctx, content = trial_ctx, trial
        content.is_template = True
        content.notes.append(Problem(
            code="template_boxes_lost", severity="note", field="document",
            message="the return is the partnership's Word template, but its boxes (content controls) were lost when "
                    "it was saved, most likely by LibreOffice or another program than Word; it was read by its "
                    "headings, leaving out the template's own prompts",
            fix="nothing to do if its sections read right; next year, ask the agency to fill the template in Word, "
                "or to send its text under the three headings"))
    else:
        _read_free_form(list(body), ctx, content)
    content.notes.extend(unread_notes(package, ctx))
    content.header_lines = _header_lines(package)
    return content


def _join_drop_caps(body) -> None:
    """A drop cap (Insert > Drop Cap) is the first letter of a paragraph, which Word keeps in a framed paragraph of
    its own before it: put it back at the start of that paragraph, or 'We ran' is read as 'W' and 'e ran'."""
    for paragraph in list(body.iter(W_P)):
        frame = paragraph.find(f"{qn('w:pPr')}/{qn('w:framePr')}")
        after = paragraph.getnext()
        if frame is None or frame.get(qn("w:dropCap")) in (None, "none") or after is None or after.tag != W_P:
            continue
        position = 1 if after.find(qn("w:pPr")) is not None else 0  # the properties stay first
        for child in [c for c in paragraph if c.tag != qn("w:pPr")]:
            after.insert(position, child)
            position += 1
        paragraph.getparent().remove(paragraph)


HEADER_CLUE_LINES = 3


def _header_lines(package: WordPackage) -> list[str]:
    """The first lines of the page headers, once each: an agency that typed its name only there is still named."""
    lines: list[str] = []
    for part in package.related_parts("header"):
        for paragraph in package.part(part).iter(W_P):
            text = " ".join(_paragraph_text(paragraph).split())
            if text and text not in lines:
                lines.append(text)
    return lines[:HEADER_CLUE_LINES]


# --- what was not read, or not published: said per file, with its words counted --------

def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _part_words(root, unit: str) -> list[str]:
    """The text of each `unit` element (w:comment, w:hdr...) of a part, paragraphs joined by spaces."""
    units = [root] if root.tag == qn(unit) else list(root.iter(qn(unit)))
    return [" ".join(_paragraph_text(p) for p in u.iter(W_P)) for u in units]


def _paragraph_text(paragraph) -> str:
    """A paragraph's text as typed (every w:t), for what is counted or looked at, not printed."""
    return "".join(t_text(t) for t in paragraph.iter(qn("w:t")))


_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.I | re.S)
_CHUNK_KINDS = {"application/xhtml+xml": "HTML", "text/html": "HTML", "message/rfc822": "web page (MHT)",
                "text/plain": "text", "application/rtf": "RTF", "text/rtf": "RTF",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "Word"}


def _chunk_words(package: WordPackage, part: str) -> tuple[str, int | None]:
    """What kind of part an altChunk is, and how many words it holds (None: not counted, e.g. RTF or Word)."""
    kind = _CHUNK_KINDS.get((package.content_type(part) or "").split(";")[0].strip().lower(), "embedded")
    if kind not in ("HTML", "web page (MHT)", "text"):
        return kind, None
    text = package.blob(part).decode("utf-8", errors="replace")
    return kind, len(html.unescape(_TAGS.sub(" ", text)).split())


def unread_notes(package: WordPackage, ctx: DocxContext) -> list[Problem]:
    """Notes for what is in the file but not in the report: hidden text, comments, headers and footers,
    embedded parts, linked pictures and notes referred to outside the report's sections."""
    notes: list[Problem] = []
    passages = [text for found in ctx.hidden.values() for text in found]
    if passages:
        notes.append(reader_warning(
            "hidden_text", "hidden text",
            f"{plural(len(passages), 'passage')} of hidden text ({plural(count_words(passages), 'word')}) "
            f"{_were(len(passages))} not published: text formatted as hidden is never printed",
            "if it belongs in the report, ask the agency to unhide it (select the text, Font, untick 'Hidden') and "
            "send the file again; if it is an internal note, nothing needs doing",
        ))
    merged = len(ctx.merged_cells)
    if merged:
        its = "its" if merged == 1 else "their"
        notes.append(reader_warning(
            "merged_cells", "tables",
            f"{plural(merged, 'table cell')} merged across columns {_were(merged)} printed in the "
            f"first of {its} columns, the others left empty: the report's tables have no merged cells",
            "check the table reads right in the report (a total over several columns may read as the first column's); "
            "if not, ask the agency to give it a row or a column of its own",
        ))
    comments = [text for part in package.related_parts("comments") for text in _part_words(package.part(part), "w:comment")]
    if comments:
        notes.append(reader_warning(
            "comments_not_read", "comments",
            f"{plural(len(comments), 'comment')} ({plural(count_words(comments), 'word')}) {_were(len(comments))} "
            f"not read: {'it is' if len(comments) == 1 else 'they are'} the agency's notes, not the return",
            "if a comment belongs in the report, ask the agency to write it into the text of the return",
        ))
    furniture = {kind: [text for part in package.related_parts(kind) for text in _part_words(package.part(part), unit)]
                 for kind, unit in (("header", "w:hdr"), ("footer", "w:ftr"))}
    furniture_words = count_words(furniture["header"] + furniture["footer"])
    if furniture_words:
        kinds = " and ".join(k + "s" for k in ("header", "footer") if count_words(furniture[k]))
        notes.append(reader_warning(
            "headers_footers_not_read", "headers and footers",
            f"the text of the page {kinds} ({plural(furniture_words, 'word')}) was not read: the report prints its own",
            "if they hold something the report needs, ask the agency to put it in the text of the return",
        ))
    chunks = []
    for chunk in package.body.iter(qn("w:altChunk")):
        rel = package.relationships.get(chunk.get(qn("r:id")) or "")
        if rel is not None and not rel.external and rel.type == DOC_RELS + "aFChunk":
            chunks.append(_chunk_words(package, rel.target))
    if chunks:
        counted = [w for _, w in chunks if w is not None]
        kinds = ", ".join(sorted({k for k, _ in chunks}))
        words = f", {plural(sum(counted), 'word')}" if counted else ""
        notes.append(reader_warning(
            "embedded_parts_not_read", "embedded parts",
            f"{plural(len(chunks), 'part')} pasted in as an embedded document ({kinds}{words}) {_were(len(chunks))} not read",
            "ask the agency to paste that text again as plain text (Paste > Keep Text Only) and send the file again",
        ))
    linked = list(ctx.linked_pictures.values())
    if linked:
        described = [alt for alt in linked if alt]
        about = f" ({plural(count_words(described), 'word')} of description: '{excerpt(described[0])}')" if described else ""
        notes.append(reader_warning(
            "linked_pictures", "pictures",
            f"{plural(len(linked), 'picture')} linked to a file outside the return{about} {_were(len(linked))} not "
            "included: the file holds only the link",
            "ask the agency to insert the picture itself (Insert > Pictures > This Device, not 'Link to File') and send the file again",
        ))
    notes += _chart_notes(list(ctx.charts.values()))
    notes += _object_notes(package, list(ctx.embedded_objects.values()))
    if ctx.pictures_after_tables:
        count = ctx.pictures_after_tables
        notes.append(reader_warning(
            "pictures_after_tables", "pictures",
            f"{plural(count, 'picture')} in table cells {_were(count)} placed after {'its' if count == 1 else 'their'} "
            "table: a table in the report holds text only",
            "nothing to do if that reads well; otherwise ask the agency to put the picture outside the table",
        ))
    if ctx.pictures_not_placed:
        count = len(ctx.pictures_not_placed)
        described = next((p.alt for p in ctx.pictures_not_placed if p.alt != NO_DESCRIPTION), None)
        about = f" (the first described as '{excerpt(described)}')" if described else ""
        notes.append(reader_warning(
            "pictures_outside_sections", "pictures",
            f"{plural(count, 'picture')} before the first section heading, or among the figures or contact details"
            f"{about}, {_were(count)} not used",
            "if it belongs in the report, ask the agency to move it under one of the three section headings "
            "(a logo on the title page need not be)",
        ))
    if ctx.unplaced_notes:
        count = len(ctx.unplaced_notes)
        notes.append(reader_warning(
            "notes_outside_sections", "notes",
            f"{plural(count, 'footnote or endnote', 'footnotes or endnotes')} outside the report's three sections "
            f"{_were(count)} not used",
            "move the text that refers to them under one of the section headings if they belong in the report",
        ))
    return notes


# --- the generated template -------------------------------------------------------------

def _control_text(sdt, ctx: DocxContext) -> str:
    if showing_placeholder(sdt):
        return ""
    content = sdt.find(qn("w:sdtContent"))
    if content is None:
        return ""
    if any(c.tag in (W_P, W_TBL) for c in content):
        return plain_lines(list(content), ctx).strip()
    return read_paragraph(content, ctx).text  # inline control: its runs sit directly in sdtContent


def _read_template(tagged: dict, ctx: DocxContext, content: ReturnContent) -> None:
    if content.identity is None and FIELD_AGENCY_ID in tagged:
        # The document's properties were lost (copied into a new file): the locked id field still says whose it is.
        agency_id = _control_text(tagged[FIELD_AGENCY_ID], ctx)
        period = _control_text(tagged[FIELD_PERIOD], ctx) if FIELD_PERIOD in tagged else ""
        content.identity = parse_identifier(ReturnIdentity(agency_id, period_from_text(period) or "").identifier()) if agency_id else None
    if FIELD_AGENCY_NAME in tagged:
        content.agency_name = _control_text(tagged[FIELD_AGENCY_NAME], ctx) or None
    if FIELD_PERIOD in tagged:
        content.period = period_from_text(_control_text(tagged[FIELD_PERIOD], ctx)) or _control_text(tagged[FIELD_PERIOD], ctx) or None
    for section in SECTION_FIELDS:
        sdt = tagged.get(section)
        if sdt is not None and not showing_placeholder(sdt):
            content.sections[section] = _blocks(control_children(sdt), ctx, content, section)
    contact = {name.removeprefix("contact_"): _control_text(tagged[name], ctx) or None for name in CONTACT_FIELDS if name in tagged}
    if any(contact.values()):
        content.contact = Contact(**contact)
    if INDICATORS_FIELD in tagged:
        table = next(tagged[INDICATORS_FIELD].iter(W_TBL), None)
        if table is not None:
            content.indicators = indicators_from_rows([cells for cells, _ in table_rows(table, ctx)], content.notes)
    for number in range(1, CASE_STUDY_COUNT + 1):
        title_field, text_field = case_study_fields(number)
        title = _control_text(tagged[title_field], ctx) if title_field in tagged else ""
        text_sdt = tagged.get(text_field)
        blocks = _blocks(control_children(text_sdt), ctx, content, f"case study {number}") if text_sdt is not None and not showing_placeholder(text_sdt) else []
        blocks = _without_guidance(blocks)
        if title or blocks:
            content.case_studies.append(CaseStudy(title=title or f"Case study {number}", blocks=blocks))


def _without_guidance(blocks):
    """Case studies are optional: an untouched one still shows the template's prompt, which is not content."""
    prompts = {WORD_PLACEHOLDER.casefold(), *(g.casefold() for g in SECTION_GUIDANCE.values())}
    return [b for b in blocks if plain_text([b]).strip().casefold() not in prompts]


def _blocks(elements: list, ctx: DocxContext, content: ReturnContent, part: str) -> list:
    builder = BlockBuilder()
    outer, ctx.notes = ctx.notes, builder.notes  # notes referred to here are this section's
    try:
        for element in elements:
            _add_element(element, ctx, builder)
    finally:
        ctx.notes = outer
    blocks, subheadings = builder.section_blocks()
    content.subheadings.extend((part, line) for line in subheadings)
    return blocks


def _add_element(element, ctx: DocxContext, builder: BlockBuilder, base_level: int = 0) -> None:
    if element.tag == W_P:
        info = read_paragraph(element, ctx)
        level = info.heading_level - base_level if info.heading_level else None
        builder.add_paragraph(info, heading_level=level)
    elif element.tag == W_TBL:
        with cell_pictures(ctx) as pictures:
            table = table_block(element, ctx)
        if table is not None:
            builder.add_block(table)
        for picture in pictures:
            builder.add_block(picture)
        ctx.pictures_after_tables += len(pictures)
    elif element.tag == W_SDT and not showing_placeholder(element):
        inner = element.find(qn("w:sdtContent"))
        for child in (inner if inner is not None else []):
            _add_element(child, ctx, builder, base_level)
    elif element.tag == W_CUSTOM_XML:
        for child in element:
            _add_element(child, ctx, builder, base_level)


# --- free-form documents -----------------------------------------------------------------

TITLE_LINES = 3  # lines before the first section that may carry the agency's name and the year

class _FreeFormReader:
    """Walks the body once; a recognised heading switches where the following content goes."""

    def __init__(self, ctx: DocxContext, content: ReturnContent, template_layout: bool = False):
        self.ctx = ctx
        self.content = content
        # Our template without its boxes: its prompts, its labels and its placeholders are not the agency's text.
        self.template_layout = template_layout
        self.prompt_expected = template_layout  # the template's guidance comes first, under the title or a heading
        self.template_agency: str | None = None
        self.template_lines = 0  # the template's own lines met: none, and it is an agency's own document after all
        self.case_titled = False
        self.part: str | None = None
        self.section_level = 1
        self.builders = {key: BlockBuilder() for key in content.sections}
        self.preamble: list[str] = []
        self.preamble_notes = NoteSink()  # used if the whole text ends up under 'about', else reported
        self.preamble_pictures: list = []  # likewise
        self.case_builder: BlockBuilder | None = None
        self.case_title = ""
        self.other_lines: list[str] = []   # contact lines
        self.indicator_rows: list[list[str]] = []
        self.ignored: list[str] = []
        self.ignored_prose: list[str] = []

    def element(self, element) -> None:
        self.ctx.notes = self.note_sink()
        if element.tag == W_SDT:
            inner = element.find(qn("w:sdtContent")) if not showing_placeholder(element) else None
            for child in (inner if inner is not None else []):
                self.element(child)
        elif element.tag == W_CUSTOM_XML:
            for child in element:
                self.element(child)
        elif element.tag == W_TBL:
            self.table(element)
        elif element.tag == W_P:
            self.paragraph(read_paragraph(element, self.ctx))

    @property
    def in_template(self) -> bool:
        """Reading our template without its boxes: its identifier, and its own lines before the first heading."""
        return self.template_layout and self.template_lines > 0

    def paragraph(self, info) -> None:
        if self.template_layout and (self.part is None or self.in_template):
            info = self._without_template_text(info)
            if info is None:
                return
        text = info.text
        is_heading = info.heading_level is not None or (info.emphasised_line and info.list_level is None)
        match = match_heading(text) if is_heading else None
        if match and self._subheading_of_the_section(match, text, info.heading_level):
            match = None
        elif match and self._plans_by_their_year(match, text):
            match = HeadingMatch("priorities", False, match.year)
        if match and self._names_the_part_it_is_in(match):
            match = None
        if match:
            self.switch(match, text, info.heading_level)
            for line in info.boxed:  # a text box anchored to the heading: the section's first text
                self.target().add_block(Paragraph(runs=[Run(text=line)]))
            return
        if self.part is None:
            if text or info.heading_level is not None:
                self.preamble.append(text)
            self.preamble.extend(info.boxed)  # a title page typed in text boxes is the title still
            self.preamble_pictures.extend(info.images)  # a logo on a title page, most often
            return
        level = None
        if info.heading_level is not None:
            level = max(1, info.heading_level - self.section_level)
        lines = [line for line in [text, *info.boxed] if line]
        if self.part == "indicators":
            # Prose under an indicators heading is not a figure and not a section: say so rather than drop it.
            self.ignored_prose.extend(lines)
        self.target().add_paragraph(info, heading_level=level)
        if self.part == "contact":
            self.other_lines.extend(line for text in lines for line in text.splitlines())

    def _without_template_text(self, info):
        """The paragraph as the agency wrote it in our template, or None when it is the template's own: the guidance
        under the title or a heading, an empty field's placeholder, the reference line and the instructions. The
        agency's name and a case study's title are taken from their labelled lines."""
        if WORD_PLACEHOLDER in info.text:
            info = dataclasses.replace(info, runs=[r.model_copy(update={"text": r.text.replace(WORD_PLACEHOLDER, "")})
                                                   for r in info.runs])
        text = info.text
        if not text:
            return None if not info.images and not info.boxed else info
        expected, self.prompt_expected = self.prompt_expected, False
        if info.heading_level is not None:
            return info
        if expected and is_template_prompt(text):
            return None
        if self.part is None and text.startswith((REFERENCE_LABEL.strip(), *INSTRUCTION_OPENINGS)):
            self.template_lines += 1
            return None
        if self.part is None and text.startswith(AGENCY_LABEL.strip()):
            self.template_agency = text.removeprefix(AGENCY_LABEL.strip()).strip() or None
            self.template_lines += 1
            return None
        if (self.part == "case_study" and self.case_builder is not None and not self.case_builder.blocks
                and text.startswith(CASE_STUDY_TITLE_LABEL.strip())):
            title = text.removeprefix(CASE_STUDY_TITLE_LABEL.strip()).strip()
            if title:
                self.case_title, self.case_titled = title, True
            return None
        return info

    def _subheading_of_the_section(self, match: HeadingMatch, text: str, style_level: int | None) -> bool:
        """A heading styled deeper than the section's, naming figures only as a topic ("Our performance data"
        under the activity): the section's own sub-heading, and what follows it is still the section's."""
        return (match.part == "indicators" and self.part in self.builders and style_level is not None
                and style_level > self.section_level and names_figures_only_as_a_topic(text))

    def _names_the_part_it_is_in(self, match: HeadingMatch) -> bool:
        """'About our volunteers' under 'About us', 'Highlights' in the activity: a sub-heading naming the part it is
        in is that part's text (under the figures heading, reported as such), not its heading again, which dropped
        its words. The template's own heading typed again is one still, and each case study starts another."""
        return match.part == self.part and match.part != "case_study" and not match.exact

    def _plans_by_their_year(self, match: HeadingMatch, text: str) -> bool:
        """'Improving our safeguarding performance in 2024-25' after the 2023 activity, with no priorities yet:
        a year after the activity's names the plans, and 'performance' only their topic, not the figures."""
        activity_year = self.content.activity_year
        return (match.part == "indicators" and match.year is not None and activity_year is not None
                and match.year > activity_year and names_figures_only_as_a_topic(text)
                and not self.builders["priorities"].blocks)

    def switch(self, match: HeadingMatch, text: str, style_level: int | None) -> None:
        self.finish_case_study()
        self.part = match.part
        self.prompt_expected = self.template_layout
        if style_level:
            self.section_level = style_level
        if match.part == "activity" and match.year:
            self.content.activity_year = match.year
        if match.part == "case_study":
            title = text.split(":", 1)[1].strip() if ":" in text else ""
            self.case_title = title or f"Case study {len(self.content.case_studies) + 1}"
            self.case_builder = BlockBuilder()

    def note_sink(self):
        """Where notes referred to now go: the section's (or case study's); None outside them."""
        if self.part == "case_study" and self.case_builder is not None:
            return self.case_builder.notes
        if self.part is None:
            return self.preamble_notes
        return self.builders[self.part].notes if self.part in self.builders else None

    def target(self) -> BlockBuilder:
        if self.part == "case_study" and self.case_builder is not None:
            return self.case_builder
        if self.part in self.builders:
            return self.builders[self.part]
        return BlockBuilder()  # indicators/contact prose: kept out of the sections (indicators prose is noted)

    def table(self, tbl) -> None:
        with cell_pictures(self.ctx) as pictures:
            placed = self.table_text(tbl)
        if not pictures:
            return
        if placed and self.part is not None and (self.part in self.builders or self.part == "case_study"):
            for picture in pictures:
                self.target().add_block(picture)
            self.ctx.pictures_after_tables += len(pictures)
        elif self.part is None:  # before the first section: as the title page's other pictures
            self.preamble_pictures.extend(pictures)
        else:  # among the figures or the contact details: no place for a picture
            self.ctx.pictures_not_placed.extend(pictures)

    def table_text(self, tbl) -> bool:
        """Read a table; whether it went into a section (else into the title lines, the figures or the contact)."""
        if self.two_column_sections(tbl) or self.one_column_layout(tbl):
            return True
        rows = table_rows(tbl, self.ctx)  # after: a two-column table's notes belong to the sections in it
        cells = [r for r, _ in rows]
        if self.part == "indicators" or _looks_like_indicators(cells):
            self.indicator_rows.extend(cells)
            return False
        if self.part is None:
            self.preamble.extend(" | ".join(r) for r in cells)
            return False
        block = table_block(tbl, self.ctx)
        if block is not None:
            self.target().add_block(block)
        return True

    def one_column_layout(self, tbl) -> bool:
        """A return laid out in a table of one column (a box around each part, or the whole return in one cell),
        with our headings in its cells: read what the cells hold as the body, so its headings split the sections,
        not as one table put under 'about'. A hidden row stays hidden."""
        rows = [list(row_cells(tr)) for tr in row_elements(tbl)]
        if not rows or any(len(cells) != 1 for cells in rows):
            return False
        lines = (" ".join(_paragraph_text(p).split()) for cells in rows for p in cells[0].iter(W_P))
        if not any(m and m.part in self.builders for m in (match_heading(line) for line in lines if 0 < len(line) <= 120)):
            return False
        for tr in row_elements(tbl):
            if hidden_row(tr, self.ctx):
                continue
            for tc in row_cells(tr):
                for element in cell_elements(tc):
                    self.element(element)
        return True

    def two_column_sections(self, tbl) -> bool:
        """A table whose left cells are our headings: each right cell is that section's content."""
        pairs = []
        for tr in row_elements(tbl):
            tcs = list(row_cells(tr))
            if len(tcs) != 2:
                continue
            label = plain_lines(cell_elements(tcs[0]), self.ctx)
            pairs.append((match_heading(label), label, tcs[1]))
        if not any(m and m.part in self.builders for m, _, _ in pairs):
            return False
        for match, label, tc in pairs:
            if match is None:
                if self.part is None:
                    self.preamble.append(f"{label}: {plain_lines(cell_elements(tc), self.ctx)}")
                    continue
                self.ignored.append(label)
                self.content.labels.append((label, plain_lines(cell_elements(tc), self.ctx)))  # may name the agency
                continue
            self.switch(match, label, None)
            if match.part == "indicators":
                inner = next(tc.iter(W_TBL), None)
                if inner is not None:
                    self.indicator_rows.extend(r for r, _ in table_rows(inner, self.ctx))
                continue
            if match.part == "contact":
                self.other_lines.extend(plain_lines(cell_elements(tc), self.ctx).splitlines())
                continue
            for element in cell_elements(tc):
                self.element(element)
        self.finish_case_study()
        return True

    def finish_case_study(self) -> None:
        # In our template, 'Case studies (optional)' and each case study left blank are headings with nothing under
        # them: a case study is one the agency gave a title or a text, as the template's boxes are read.
        wanted = (self.case_builder.blocks or self.case_titled) if self.in_template and self.case_builder else self.case_title
        self.case_titled = False
        if self.case_builder is not None and (self.case_builder.blocks or wanted):
            self.content.case_studies.append(CaseStudy(title=self.case_title, blocks=self.section_blocks(self.case_builder, f"case study {len(self.content.case_studies) + 1}")))
        self.case_builder = None

    def section_blocks(self, builder: BlockBuilder, part: str) -> list:
        blocks, subheadings = builder.section_blocks()
        self.content.subheadings.extend((part, line) for line in subheadings)
        return blocks

    def finish(self) -> None:
        self.finish_case_study()
        for key, builder in self.builders.items():
            self.content.sections[key] = self.section_blocks(builder, key)
        if self.indicator_rows:
            self.content.indicators = indicators_from_rows(self.indicator_rows, self.content.notes)
        if self.other_lines:
            self.content.contact = contact_from_lines(self.other_lines)
        prose = [line for line in self.other_lines if len(line.split()) > CONTACT_LINE_WORDS]
        if prose:  # a name, a role, an address are short: a sentence here is text the report would lose
            self.content.notes.append(reader_warning(
                "prose_under_contact", "contact",
                f"{len(prose)} paragraph(s) after the contact details heading were not used (they start '{excerpt(prose[0])}')",
                "move that text into '2023 activity and what we would like to celebrate' if it belongs in the report",
            ))
        self.content.title_text = "\n".join(self.preamble)
        # Only the title lines name the return's year; later text may well mention last year.
        self.content.period = period_from_text("\n".join(self.preamble[:TITLE_LINES]))
        if self.in_template:
            self.content.agency_name = self.template_agency  # the title is the template's, not a name typed
        elif self.preamble:
            name = self.preamble[0]
            if self.preamble_notes.items:  # a note's mark on the title is not part of the agency's name
                name = re.sub(r"\[\d+\]", "", name).strip()
            self.content.agency_name = name[:200]
        leftover = [line for line in self.preamble[1:] if line.strip()]
        # With no section found, the title lines are put under 'about' (_read_free_form): not text left out.
        # What was read as figures or as a table row is left out all the same, and said below.
        words = sum(len(line.split()) for line in leftover)
        if words > 40 and any(blocks for blocks in self.content.sections.values()):
            self.content.notes.append(reader_warning(
                "text_before_sections", "document",
                f"{words} words before the first section heading were not used (they start '{excerpt(leftover[0])}')",
                "move that text under 'About our agency and what we do' if it belongs in the report",
            ))
        if self.ignored_prose:
            self.content.notes.append(reader_warning(
                "prose_under_indicators", "indicators",
                f"{len(self.ignored_prose)} paragraph(s) of text under the indicators heading were not used; only the table of figures is read",
                "move that text into '2023 activity and what we would like to celebrate' if it belongs in the report",
            ))
        for label in self.ignored:
            self.content.notes.append(reader_warning(
                "unknown_table_row", label, f"the table row '{label}' is not one of the report's sections and was not used",
                "put its content under one of the three section headings if it belongs in the report",
            ))


def _looks_like_indicators(rows: list[list[str]]) -> bool:
    if not rows:
        return False
    header = [c.strip().casefold() for c in rows[0]]
    return bool(header) and "indicator" in header[0] and any("value" in h for h in header[1:])


def _read_free_form(elements: list, ctx: DocxContext, content: ReturnContent, template_layout: bool = False) -> bool:
    """Read a document by its headings; whether it was our template without its boxes (`template_layout`: it
    carries the template's identifier, so look for the template's own lines)."""
    reader = _FreeFormReader(ctx, content, template_layout)
    for element in elements:
        reader.element(element)
    reader.finish()
    if any(content.sections.values()):  # notes and pictures before the first section: reported, not printed
        ctx.unplaced_notes.update(reader.preamble_notes.keys())
        ctx.pictures_not_placed[:0] = reader.preamble_pictures
    if not any(content.sections.values()) and (reader.preamble or reader.preamble_pictures) and not reader.in_template:
        # No heading we know: keep the text rather than drop it, and say so. (Our template has its headings.)
        content.sections["about"] = [Paragraph(runs=[Run(text=line)]) for line in reader.preamble[1:] if line.strip()]
        content.sections["about"] += reader.preamble_pictures
        if reader.preamble_notes.items:
            content.sections["about"].append(Notes(items=reader.preamble_notes.items))
        content.notes.append(reader_warning(
            "no_section_headings", "document",
            "none of the headings 'About our agency and what we do', '<year> activity and what we would like to celebrate' or "
            "'Planned safeguarding priorities for <year>' was found; all the text was put under 'about'",
            "ask the agency to use the template, or to put its text under the three headings",
        ))
    return reader.in_template


OBJECT_FIX = ("if the words or figures in it belong in the report, ask the agency to paste them into the return as "
              "text or a table (copy the cells in Excel; paste a document's text with Paste > Keep Text Only; type an "
              "equation again with Insert > Equation) and send the file again")


def _object_notes(package: WordPackage, objects: list[tuple[str, str | None, bool]]) -> list[Problem]:
    """Embedded objects (OLE: an Excel worksheet, a PDF, an old equation): the report prints the picture Word shows
    of each, never what is inside it, so say which, with the words counted where the object is an Office file."""
    notes = []
    for pictured, code, how in ((True, "embedded_objects_as_pictures", "printed as the picture Word shows of "),
                                (False, "embedded_objects_not_read", "not read: the report cannot print ")):
        found = [(kind, part) for kind, part, shown in objects if shown == pictured]
        if not found:
            continue
        described = []
        for kind, part in found:
            words = embedded_words(package.blob(part)) if part and package.has_part(part) else None
            described.append(f"{kind}, {plural(words, 'word')}" if words else kind)
        them = "it" if len(found) == 1 else "them"
        notes.append(reader_warning(
            code, "embedded objects",
            f"{plural(len(found), 'embedded object')} ({'; '.join(described)}) {_were(len(found))} {how}{them}"
            f"{', not the words in ' + them if pictured else ''}", OBJECT_FIX))
    return notes


CHART_FIX = ("nothing to do if the figures say what the chart shows; if the drawing matters, ask the agency to paste "
             "the chart as a picture (Paste Special > Picture (PNG)) beside its figures and send the file again")


def _chart_notes(charts: list[tuple[str, str]]) -> list[Problem]:
    """Charts drawn in Word: the report prints their figures (or Word's own picture of a newer chart type), never
    the agency's drawing; one it can do neither with is reported as not read."""
    notes = []
    named = lambda titles: "".join(f" ('{excerpt(t)}')" for t in titles[:1] if t)  # noqa: E731
    as_figures = [title for title, how in charts if how == "figures"]
    if as_figures:
        notes.append(reader_warning(
            "chart_printed_as_figures", "charts",
            f"{plural(len(as_figures), 'chart')}{named(as_figures)} made in Word {_were(len(as_figures))} printed "
            f"as {'its' if len(as_figures) == 1 else 'their'} figures, a line per category: the report cannot draw "
            "the agency's own chart", CHART_FIX))
    lost = [title for title, how in charts if how == "none"]
    if lost:
        notes.append(reader_warning(
            "chart_not_read", "charts",
            f"{plural(len(lost), 'chart')}{named(lost)} made in Word {_were(len(lost))} not read: "
            f"{'it holds' if len(lost) == 1 else 'they hold'} no figures or picture the report can print",
            "ask the agency to paste the chart as a picture (Paste Special > Picture (PNG)) and to give its "
            "figures in the text, and send the file again"))
    return notes

