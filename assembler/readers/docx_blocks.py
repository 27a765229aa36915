"""Word body XML (paragraphs, tables, content controls) to the common block model.

Works on the raw WordprocessingML so that tracked changes, content controls
and numbering are seen as Word sees them, which python-docx's high-level
objects hide. Tracked changes are read as accepted: w:ins kept, w:del dropped.

Nothing is dropped without a trace: wrappers (w:dir, w:bdo, w:customXml,
w:smartTag, w:sdt), text boxes, ruby base text and equations are read in
place, and so are table rows and cells (a repeating section, Word's 'add row'
form table, wraps rows in a w:sdt); a link typed as a HYPERLINK field is a link
as w:hyperlink is; an Insert > Symbol character (w:sym) is its character
(readers/symbol_fonts.py); footnotes and endnotes become the notes of the
section that refers to them; hidden text (w:vanish) is never read into the
content but remembered, so the reader can report it, as it reports linked
pictures.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from assembler.readers.docx_charts import CHART_REF, CHARTEX, chart_lines, chart_title
from assembler.readers.docx_diagrams import DIAGRAM_IDS, diagram_lines
from assembler.readers.docx_forms import form_field_text
from assembler.readers.docx_objects import R_HREF, R_ID, object_kind, object_part, vml_alt, vml_pictures
from assembler.readers.docx_package import WordPackage, qn
from assembler.readers.subheadings import promote_subheadings
from assembler.readers.symbol_fonts import font_text, sym_character
from assembler.schema import Block, Heading, Image, ListBlock, ListItem, NoteItem, Notes, Paragraph, Quote, Run, Table

W_P, W_TBL, W_SDT, W_R = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:r")
ENLARGED = 1.25  # text this much larger than the body's, on a line of its own, is how some people type a heading
W_TR, W_TC = qn("w:tr"), qn("w:tc")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"  # not in python-docx's namespace map
MC_ALTERNATE, MC_CHOICE = _MC + "AlternateContent", _MC + "Choice"
M_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
M_MATH, M_MATH_PARA, M_T = M_NS + "oMath", M_NS + "oMathPara", M_NS + "t"
MC_FALLBACK = _MC + "Fallback"
W_CUSTOM_XML, W_TXBX = qn("w:customXml"), qn("w:txbxContent")
NOTE_REFERENCES = {qn("w:footnoteReference"): "footnote", qn("w:endnoteReference"): "endnote"}
_SKIPPED_CONTAINERS = {qn("w:del"), qn("w:moveFrom"), qn("w:pPr"), qn("w:rPr"), qn("w:proofErr"), qn("w:bookmarkStart"), qn("w:bookmarkEnd")}
_INLINE_CONTAINERS = {qn("w:ins"), qn("w:moveTo"), qn("w:smartTag"), qn("w:customXml"), qn("w:sdtContent"),
                      qn("w:dir"), qn("w:bdo")}  # w:dir and w:bdo only set the text's direction
_TRACKED = (qn("w:ins"), qn("w:del"), qn("w:moveFrom"), qn("w:moveTo"))
_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp", "image/tiff": ".tif"}
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.I)


@dataclass
class ParaInfo:
    """One w:p, read: its runs and what its style says it is."""

    runs: list[Run]
    images: list[Image]
    style: str
    heading_level: int | None     # Heading 1-6 or Title (0)
    list_level: int | None        # ilvl when the paragraph is in a list
    ordered: bool
    quote: bool
    boxed: list[str] = field(default_factory=list)  # paragraphs typed in text boxes anchored here
    underlined: bool = False      # every visible character underlined: a sub-heading to some (readers/subheadings.py)
    enlarged: bool = False        # every visible character typed a quarter larger than the body text, or more

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs).strip()

    @property
    def bold_only(self) -> bool:
        """A line typed in bold on its own: a heading to people who do not use heading styles."""
        visible = [r for r in self.runs if r.text.strip() and r.note is None]
        return bool(visible) and all(r.bold for r in visible) and len(self.text) <= 120

    @property
    def emphasised_line(self) -> bool:
        """A line typed in bold, underlined or larger on its own: how people who do not use heading styles mark one."""
        return self.bold_only or ((self.underlined or self.enlarged) and 0 < len(self.text) <= 120)


@dataclass
class NoteSink:
    """The footnotes and endnotes one section refers to, numbered from 1 in the order the text refers to them."""

    items: list[NoteItem] = field(default_factory=list)
    _numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    def number(self, key: tuple[str, str], read) -> int:
        """The note's number in this section; `read()` gives its runs the first time it is referred to."""
        if key not in self._numbers:
            self._numbers[key] = len(self.items) + 1  # before reading: a note that refers to itself cannot loop
            self.items.append(NoteItem(runs=[]))
            self.items[self._numbers[key] - 1] = NoteItem(runs=read())
        return self._numbers[key]

    def keys(self) -> list[tuple[str, str]]:
        return list(self._numbers)


NO_DESCRIPTION = "Image without a description"


@dataclass
class Field:
    """A complex field (w:fldChar begin ... separate ... end) open while a paragraph's runs are read: its instruction,
    and once its result is reached, the link the result is when the instruction is a HYPERLINK."""

    instruction: list[str] = field(default_factory=list)
    in_result: bool = False
    link: str | None = None
    shows: str | None = None   # what a legacy check box or drop-down shows, which has no result text (docx_forms.py)
    result_read: bool = False  # some result text was read: it is what the field shows


_FIELD_WORD = re.compile(r'"((?:[^"\\]|\\.)*)(?:"|$)|(\S+)')  # a quoted argument (\" and \\ escaped) or a bare word
_HYPERLINK_SWITCHES_WITH_ARGUMENT = {"\\l", "\\o", "\\t"}  # \l a bookmark, \o a tooltip, \t a target frame


def hyperlink_target(instruction: str) -> str | None:
    """Where a HYPERLINK field goes ('HYPERLINK "https://x.org/a" \\o "tip"'), also to a bookmark (\\l): None for
    any other field, which keeps its result as plain text."""
    words = [(re.sub(r"\\(.)", r"\1", m.group(1)), True) if m.group(1) is not None else (m.group(2), False)
             for m in _FIELD_WORD.finditer(instruction)]
    if not words or words[0][1] or words[0][0].upper() != "HYPERLINK":
        return None
    address = anchor = None
    position = 1
    while position < len(words):
        word, quoted = words[position]
        if not quoted and word.casefold() in _HYPERLINK_SWITCHES_WITH_ARGUMENT:
            if word.casefold() == "\\l" and position + 1 < len(words):
                anchor = words[position + 1][0]
            position += 2
            continue
        if address is None and (quoted or not word.startswith("\\")):
            address = word
        position += 1
    if address and anchor:
        return f"{address}#{anchor}"
    return address or (f"#{anchor}" if anchor else None)


@dataclass
class DocxContext:
    """The parts of the package the body refers to: relationships, numbering, styles, where images go."""

    package: WordPackage
    image_dir: Path
    written_images: dict[str, Path] = field(default_factory=dict)
    text_boxes: list[str] = field(default_factory=list)  # filled while a paragraph is read, emptied by read_paragraph
    box_images: list[Image] = field(default_factory=list)  # pictures in those text boxes: the paragraph's pictures
    notes: NoteSink | None = None        # the section being read; None: note references are not printed
    unplaced_notes: set[tuple[str, str]] = field(default_factory=set)  # referred to outside any section
    hidden: dict = field(default_factory=dict)            # w:p -> its passages of hidden text
    linked_pictures: dict = field(default_factory=dict)   # a:blip -> alt text of a picture stored outside the file
    pictures_after_tables: int = 0       # pictures from table cells, placed after their table (a cell holds text)
    pictures_not_placed: list[Image] = field(default_factory=list)  # before the first section: reported
    merged_cells: set = field(default_factory=set)  # w:tc merged across columns: printed in the first, reported
    # per chart drawn in Word, by its element (a table is read more than once): (title, 'figures'|'picture'|'none')
    charts: dict = field(default_factory=dict)
    # per embedded object (w:object), by its element: (what it is, its part or None, whether its picture printed)
    embedded_objects: dict = field(default_factory=dict)
    part_relationships: dict | None = None                # while a notes part is read: its own relationships
    paragraph_hidden: bool = False
    _passages: list[str] = field(default_factory=list)
    _underlines: list[bool] = field(default_factory=list)  # per visible run of the paragraph being read: underlined?
    _enlarged: list[bool] = field(default_factory=list)    # and typed larger than the body text (its w:sz)?
    _last_hidden: bool = False
    _fields: list[Field] = field(default_factory=list)  # the complex fields open in the paragraph being read, outermost first
    _hidden_styles: dict[str, bool] = field(default_factory=dict)
    _numbering_formats: dict[tuple[str, str], str] | None = None

    @property
    def relationships(self) -> dict:
        return self.part_relationships if self.part_relationships is not None else self.package.relationships

    def relationship_target(self, rel_id: str) -> str | None:
        """The address of an external link (a hyperlink to a web page)."""
        rel = self.relationships.get(rel_id)
        return rel.target if rel is not None and rel.external else None

    def image(self, rel_id: str, alt: str) -> Image | None:
        rel = self.relationships.get(rel_id)
        if rel is None or rel.external:
            return None
        blob = self.package.blob(rel.target)  # WordPackage has checked that the part is there
        digest = hashlib.sha256(blob).hexdigest()[:16]
        ext = _IMAGE_TYPES.get(self.package.content_type(rel.target), Path(rel.target).suffix or ".bin")
        target = self.image_dir / f"{digest}{ext}"
        if digest not in self.written_images:
            self.image_dir.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            self.written_images[digest] = target
        return Image(path=str(target.resolve()), alt=alt or NO_DESCRIPTION)

    def numbering_format(self, num_id: str, ilvl: str) -> str:
        """'bullet', 'decimal', ...: the w:numFmt of a list level, so we know bullets from numbers."""
        if self._numbering_formats is None:
            self._numbering_formats = _read_numbering(self.package.numbering)
        return self._numbering_formats.get((num_id, ilvl), "bullet")


def _read_numbering(numbering) -> dict[tuple[str, str], str]:
    if numbering is None:
        return {}
    abstract: dict[str, dict[str, str]] = {}
    for a in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in a.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            levels[lvl.get(qn("w:ilvl"))] = fmt.get(qn("w:val")) if fmt is not None else "bullet"
        abstract[a.get(qn("w:abstractNumId"))] = levels
    formats = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is None:
            continue
        for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
            formats[(num.get(qn("w:numId")), ilvl)] = fmt
    return formats


def has_tracked_changes(element) -> list[str]:
    """Authors of tracked insertions/deletions under `element` (empty when there are none)."""
    authors = {e.get(qn("w:author")) or "unknown" for tag in _TRACKED for e in element.iter(tag)}
    return sorted(authors)


def _on(element) -> bool:
    if element is None:
        return False
    return element.get(qn("w:val")) not in ("0", "false", "off", "none")


def _style_name(ctx: DocxContext, style_id: str | None, kind: str = "paragraph") -> str:
    if not style_id:
        return "Normal" if kind == "paragraph" else ""
    style = ctx.package.styles.get(style_id)
    if style is None:
        return style_id
    name = style.find(qn("w:name"))
    return name.get(qn("w:val")) if name is not None else style_id


def _style_chain(ctx: DocxContext, style_id: str | None):
    """A style and those it is based on (w:basedOn), nearest first; a loop or a missing style ends the chain."""
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        style = ctx.package.styles.get(style_id)
        if style is None:
            return
        yield style
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None


def _style_num_pr(ctx: DocxContext, style_id: str | None):
    """numPr inherited from a paragraph style (List Bullet, List Number) through its basedOn chain."""
    for style in _style_chain(ctx, style_id):
        num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is not None:
            return num_pr
    return None


def _style_hidden(ctx: DocxContext, style_id: str | None) -> bool:
    """Whether a style (through its basedOn chain) makes its text hidden (w:rPr/w:vanish)."""
    if not style_id:
        return False
    if style_id not in ctx._hidden_styles:
        found = (style.find(f"{qn('w:rPr')}/{qn('w:vanish')}") for style in _style_chain(ctx, style_id))
        vanish = next((v for v in found if v is not None), None)
        ctx._hidden_styles[style_id] = vanish is not None and _on(vanish)
    return ctx._hidden_styles[style_id]


def _style_size(ctx: DocxContext, r_style) -> str:
    """The text size (w:sz, half-points) a run's character style gives it, through its basedOn chain; '' for none."""
    for style in _style_chain(ctx, r_style.get(qn("w:val")) if r_style is not None else None):
        size = style.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        if size is not None:
            return size.get(qn("w:val"), "")
    return ""


def _run_hidden(r_pr, ctx: DocxContext) -> bool:
    """w:vanish on the run, else its character style's, else the paragraph style's."""
    if r_pr is not None:
        vanish = r_pr.find(qn("w:vanish"))
        if vanish is not None:
            return _on(vanish)
        r_style = r_pr.find(qn("w:rStyle"))
        if r_style is not None and _style_hidden(ctx, r_style.get(qn("w:val"))):
            return True
    return ctx.paragraph_hidden


def read_paragraph(p, ctx: DocxContext) -> ParaInfo:
    runs: list[Run] = []
    images: list[Image] = []
    p_pr = p.find(qn("w:pPr"))
    style_id = None
    num_pr = None
    if p_pr is not None:
        style_el = p_pr.find(qn("w:pStyle"))
        style_id = style_el.get(qn("w:val")) if style_el is not None else None
        num_pr = p_pr.find(qn("w:numPr"))
    # A text box or a note read while this paragraph is read is a paragraph of its own: keep ours aside.
    # Fields are followed within a paragraph: one left open (no 'end') cannot make the rest of the document a link.
    outer = (ctx.text_boxes, ctx.box_images, ctx.paragraph_hidden, ctx._passages, ctx._last_hidden, ctx._underlines,
             ctx._enlarged, ctx._fields)
    (ctx.text_boxes, ctx.box_images, ctx.paragraph_hidden, ctx._passages, ctx._last_hidden, ctx._underlines,
     ctx._enlarged, ctx._fields) = ([], [], _style_hidden(ctx, style_id), [], False, [], [], [])
    try:
        _collect_runs(p, ctx, runs, images, link=None)
        boxed, passages, underlines, enlarged = ctx.text_boxes, ctx._passages, ctx._underlines, ctx._enlarged
        images.extend(ctx.box_images)
    finally:
        (ctx.text_boxes, ctx.box_images, ctx.paragraph_hidden, ctx._passages, ctx._last_hidden, ctx._underlines,
         ctx._enlarged, ctx._fields) = outer
    if passages:
        ctx.hidden[p] = passages  # by element: a paragraph read twice is reported once
    style = _style_name(ctx, style_id)
    heading_level = None
    if style.casefold() == "title":
        heading_level = 0
    elif match := _HEADING_STYLE.match(style):
        heading_level = int(match.group(1))
    from_style = num_pr is None
    if from_style:
        num_pr = _style_num_pr(ctx, style_id)
    list_level = None
    ordered = False
    if num_pr is not None:
        num_id_el, ilvl_el = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        num_id = num_id_el.get(qn("w:val")) if num_id_el is not None else None
        if num_id and num_id != "0":
            ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
            list_level = int(ilvl)
            ordered = ctx.numbering_format(num_id, ilvl) not in ("bullet", "none")
            if from_style and ilvl_el is None and style[-1].isdigit():
                list_level = int(style[-1]) - 1  # 'List Bullet 2' nests by style, not by ilvl
    elif style.casefold().startswith("list"):
        list_level = max(0, int(style[-1]) - 1) if style[-1].isdigit() else 0
        ordered = "number" in style.casefold()
    quote = "quote" in style.casefold()
    underlined = bool(underlines) and all(underlines)
    return ParaInfo(_merge_runs(runs), images, style, heading_level, list_level, ordered, quote, boxed, underlined,
                    bool(enlarged) and all(enlarged))


def _collect_runs(element, ctx: DocxContext, runs: list[Run], images: list[Image], link: str | None) -> None:
    for child in element:
        tag = child.tag
        if tag == W_R:
            _read_run(child, ctx, runs, images, link)
        elif tag == qn("w:hyperlink"):
            rel_id = child.get(qn("r:id"))
            target = ctx.relationship_target(rel_id) if rel_id else None
            anchor = child.get(qn("w:anchor"))
            _collect_runs(child, ctx, runs, images, target or (f"#{anchor}" if anchor else None))
        elif tag == W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None and not showing_placeholder(child):
                _collect_runs(content, ctx, runs, images, link)
        elif tag == qn("w:fldSimple"):
            # A field in one element: its result is read as today, a link when the field is a HYPERLINK.
            _collect_runs(child, ctx, runs, images, hyperlink_target(child.get(qn("w:instr")) or "") or link)
        elif tag in _INLINE_CONTAINERS:
            _collect_runs(child, ctx, runs, images, link)
        elif tag in (M_MATH, M_MATH_PARA):
            # An equation as its linear text: what a reader of the printed report can still follow.
            _add_text(ctx, runs, _math_text(child), False, False, link, hidden=False)
        elif tag == MC_ALTERNATE:
            # Runs wrapped in alternative content: Word's own choice, or the fallback when there is none.
            branch = child.find(MC_CHOICE)
            branch = branch if branch is not None else child.find(MC_FALLBACK)
            if branch is not None:
                _collect_runs(branch, ctx, runs, images, link)
        # w:del, w:moveFrom and properties are dropped: the text reads as with changes accepted.


def _read_run(r, ctx: DocxContext, runs: list[Run], images: list[Image], link: str | None) -> None:
    r_pr = r.find(qn("w:rPr"))
    bold = italic = underline = enlarged = False
    font = None  # the run's own font: a symbol font draws its letters as signs
    if r_pr is not None:
        size = r_pr.find(qn("w:sz"))
        points = size.get(qn("w:val"), "") if size is not None else _style_size(ctx, r_pr.find(qn("w:rStyle")))
        enlarged = points.isdigit() and int(points) >= ENLARGED * ctx.package.body_size
        fonts = r_pr.find(qn("w:rFonts"))
        font = (fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))) if fonts is not None else None
        bold = _on(r_pr.find(qn("w:b"))) if r_pr.find(qn("w:b")) is not None else False
        italic = _on(r_pr.find(qn("w:i"))) if r_pr.find(qn("w:i")) is not None else False
        underline = _on(r_pr.find(qn("w:u")))  # w:u w:val="none" is off; single, double, words... are on
        r_style = r_pr.find(qn("w:rStyle"))
        if r_style is not None:
            name = _style_name(ctx, r_style.get(qn("w:val")), "character").casefold()
            bold = bold or name in ("strong", "bold")
            italic = italic or name in ("emphasis", "italic")
    hidden = _run_hidden(r_pr, ctx)
    text: list[str] = []
    custom_mark = False  # a note reference followed by the agency's own mark ('*'): the mark is ours instead

    def flush() -> None:
        if ctx._fields and ctx._fields[-1].in_result and "".join(text).strip():
            ctx._fields[-1].result_read = True
        if text:
            _add_text(ctx, runs, "".join(text), bold, italic, _field_link(ctx) or link, hidden, (underline, enlarged))
            text.clear()

    for child in r:
        tag = child.tag
        if tag == qn("w:t"):
            if custom_mark:
                custom_mark = False
            else:
                text.append(font_text(font, t_text(child)))
        elif tag in (qn("w:tab"), qn("w:ptab")):
            text.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            text.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            text.append("-")
        elif tag == qn("w:sym"):
            text.append(sym_character(child.get(qn("w:font")), child.get(qn("w:char"))))
        elif tag == qn("w:fldChar"):
            flush()  # the text before it is outside the field (or its instruction)
            text.append(_field_char(ctx, child))
        elif tag == qn("w:instrText"):
            if ctx._fields and not ctx._fields[-1].in_result:
                ctx._fields[-1].instruction.append(t_text(child))
        elif tag in NOTE_REFERENCES:
            flush()
            custom_mark = _on_attr(child.get(qn("w:customMarkFollows")))
            if not hidden:
                _note_reference(NOTE_REFERENCES[tag], child.get(qn("w:id")) or "", ctx, runs)
        elif tag == qn("w:ruby"):
            # The base text is the text; the ruby (pronunciation guide) above it is not repeated.
            flush()
            base = child.find(qn("w:rubyBase"))
            if base is not None:
                _collect_runs(base, ctx, runs, images, link)
        elif hidden:
            continue  # a hidden picture or text box is hidden too
        elif tag == qn("w:drawing"):
            _read_drawing(child, ctx, images)
        elif tag == MC_ALTERNATE:
            # Newer shapes and text boxes: read the modern branch only, the fallback repeats it.
            choice = child.find(MC_CHOICE)
            fallback = child.find(MC_FALLBACK)
            if choice is not None and next(choice.iter(CHARTEX), None) is not None:
                # A newer chart type (Waterfall, Histogram...): no figures Word keeps readably, but its picture.
                before = len(images)
                for drawing in (fallback.iter(qn("w:drawing")) if fallback is not None else []):
                    _read_drawing(drawing, ctx, images)
                ctx.charts[child] = ("", "picture" if len(images) > before else "none")
            elif choice is not None:
                for drawing in choice.iter(qn("w:drawing")):
                    _read_drawing(drawing, ctx, images)
            elif fallback is not None:
                _read_text_boxes(fallback, ctx)
        elif tag == qn("w:pict"):
            _read_vml_pictures(child, ctx, images)
            _read_text_boxes(child, ctx)
        elif tag == qn("w:object"):
            _read_object(child, ctx, images)
    flush()


def _field_char(ctx: DocxContext, fld_char) -> str:
    """Follow a complex field: its result (after 'separate') is read as text, as a link when it is a HYPERLINK.
    Gives the text a legacy check box or drop-down shows at its end, where it has no result text of its own."""
    kind = fld_char.get(qn("w:fldCharType"))
    if kind == "begin":
        ctx._fields.append(Field(shows=form_field_text(fld_char.find(qn("w:ffData")))))
    elif kind == "separate" and ctx._fields:
        current = ctx._fields[-1]
        current.in_result = True
        current.link = hyperlink_target("".join(current.instruction).strip())
    elif kind == "end" and ctx._fields:
        ended = ctx._fields.pop()
        if ended.shows and not ended.result_read:
            return ended.shows
    return ""


def _field_link(ctx: DocxContext) -> str | None:
    """The link of the innermost HYPERLINK field whose result is being read."""
    for open_field in reversed(ctx._fields):
        if open_field.in_result and open_field.link:
            return open_field.link
    return None


def _on_attr(value: str | None) -> bool:
    return value not in (None, "0", "false", "off")


def t_text(t) -> str:
    """A w:t's text, also the text after an entity reference left unresolved (the reference itself is dropped)."""
    return (t.text or "") + "".join(child.tail or "" for child in t)


def _math_text(element) -> str:
    return "".join(t_text(t) for t in element.iter(M_T))


def _add_text(ctx: DocxContext, runs: list[Run], text: str, bold: bool, italic: bool, link: str | None, hidden: bool,
              marks: tuple[bool, bool] = (False, False)) -> None:
    """`marks`: whether the text is underlined, and typed larger than the body (what sets a line apart as a heading)."""
    if not hidden:
        runs.append(Run(text=text, bold=bold, italic=italic, link=link))
        if text.strip():
            ctx._last_hidden = False
            ctx._underlines.append(marks[0])
            ctx._enlarged.append(marks[1])
        return
    if ctx._last_hidden and ctx._passages:  # hidden runs side by side are one passage
        ctx._passages[-1] += text
    elif text.strip():
        ctx._passages.append(text)
        ctx._last_hidden = True


def _note_reference(kind: str, note_id: str, ctx: DocxContext, runs: list[Run]) -> None:
    """A footnote or endnote reference: the note joins the section's notes, the mark its number there."""
    notes = ctx.package.footnotes if kind == "footnote" else ctx.package.endnotes
    note = notes.get(note_id)
    if note is None:
        return  # a reference to a note that is not there (or to Word's separator): nothing to print
    if ctx.notes is None:
        ctx.unplaced_notes.add((kind, note_id))
        return
    number = ctx.notes.number((kind, note_id), lambda: _note_runs(note, kind, ctx))
    runs.append(Run(text=f"[{number}]", note=number))


def _note_runs(note, kind: str, ctx: DocxContext) -> list[Run]:
    """A note's paragraphs as one run of text each, joined by spaces (a note prints as one numbered item)."""
    outer, ctx.part_relationships = ctx.part_relationships, ctx.package.relationships_of(ctx.package.notes_part(kind + "s") or "")
    try:
        pieces: list[list[Run]] = []
        for element in _block_children(list(note)):
            if element.tag == W_P:
                info = read_paragraph(element, ctx)
                pieces.append(_strip_runs(info.runs))
                pieces.extend([Run(text=line)] for line in info.boxed)
            elif element.tag == W_TBL:
                pieces.extend([Run(text=" | ".join(cells))] for cells, _ in table_rows(element, ctx))
    finally:
        ctx.part_relationships = outer
    joined: list[Run] = []
    for piece in (p for p in pieces if p):
        if joined:
            joined.append(Run(text=" "))
        joined.extend(piece)
    return _merge_runs(joined)


def showing_placeholder(sdt) -> bool:
    """True while a content control still shows its prompt ('Click or tap here to enter text.'): nobody has typed
    into it, and Word treats it as empty, so the prompt is never read as the agency's words."""
    return sdt.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}") is not None


def _block_children(elements):
    """Paragraphs and tables, also those inside block-level content controls and custom XML."""
    for element in elements:
        if element.tag in (W_P, W_TBL):
            yield element
        elif element.tag == W_SDT and not showing_placeholder(element):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_children(content)
        elif element.tag == W_CUSTOM_XML:
            yield from _block_children(element)


def _read_drawing(drawing, ctx: DocxContext, images: list[Image]) -> None:
    image = _drawing_image(drawing, ctx)
    if image:
        images.append(image)
    _read_text_boxes(drawing, ctx)
    _read_diagram(drawing, ctx)
    _read_chart(drawing, ctx)


def _read_vml_pictures(element, ctx: DocxContext, images: list[Image]) -> None:
    """VML pictures (w:pict/v:shape/v:imagedata, as Word keeps them in a document converted from .doc): printed
    with their alt text, as a DrawingML picture is; one linked to a file outside the return is reported."""
    for data in vml_pictures(element):
        alt = vml_alt(data)
        rel_id = data.get(R_ID)
        rel = ctx.relationships.get(rel_id or "")
        if rel is not None and not rel.external:
            image = ctx.image(rel_id, alt)
            if image:
                images.append(image)
        elif (rel is not None and rel.external) or data.get(R_HREF):
            ctx.linked_pictures[data] = alt


def _read_object(obj, ctx: DocxContext, images: list[Image]) -> None:
    """An embedded object (an Excel worksheet, a PDF, an old equation) shows in Word as its picture: print that,
    and keep the object, so that the return is told its own words were not read (docx_return.unread_notes)."""
    before = len(images)
    _read_vml_pictures(obj, ctx, images)
    for drawing in obj.iter(qn("w:drawing")):  # newer Word keeps the object's picture as a drawing
        _read_drawing(drawing, ctx, images)
    rel = ctx.relationships.get(object_part(obj) or "")
    part = rel.target if rel is not None and not rel.external else None
    ctx.embedded_objects[obj] = (object_kind(obj), part, len(images) > before)


def _read_chart(drawing, ctx: DocxContext) -> None:
    """A chart drawn in Word keeps its figures in a chart part of its own: read them as lines after the paragraph
    that holds it (readers/docx_charts.py), and note the chart, rather than lose them."""
    ref = next(drawing.iter(CHART_REF), None)
    if ref is None:
        return
    rel = ctx.relationships.get(ref.get(qn("r:id")) or "")
    try:
        if rel is None or rel.external:
            raise KeyError(ref.get(qn("r:id")))
        chart = ctx.package.part(rel.target)
    except (KeyError, etree.XMLSyntaxError):  # a chart named but not in the file, or damaged: reported
        ctx.charts[ref] = ("", "none")
        return
    lines = chart_lines(chart)
    ctx.text_boxes.extend(lines)
    ctx.charts[ref] = (chart_title(chart), "figures" if lines else "none")


def _read_diagram(drawing, ctx: DocxContext) -> None:
    """A SmartArt diagram keeps its words in a part of its own (its data model), not in the drawing: read them as
    a text box's lines, after the paragraph that holds it, rather than lose them."""
    ids = next(drawing.iter(DIAGRAM_IDS), None)
    rel = ctx.relationships.get(ids.get(qn("r:dm")) or "") if ids is not None else None
    if rel is None or rel.external:
        return
    try:
        model = ctx.package.part(rel.target)
    except (KeyError, etree.XMLSyntaxError):  # named, but not in the package, or damaged: no words to read
        return
    ctx.text_boxes.extend(diagram_lines(model))


def _read_text_boxes(element, ctx: DocxContext) -> None:
    """Text typed in a text box is content too: keep its paragraphs (and tables) rather than lose them.

    Only the outermost boxes are read here: a box inside a box is read with the paragraph that holds it.
    """
    for box in element.iter(W_TXBX):
        if _inside(box, element):
            continue
        text = plain_lines(list(box), ctx)
        ctx.text_boxes.extend(line for line in text.split("\n") if line.strip())


def _inside(box, element) -> bool:
    """Whether `box` sits in another text box below `element`."""
    for ancestor in box.iterancestors():
        if ancestor is element:
            return False
        if ancestor.tag == W_TXBX:
            return True
    return False


def _drawing_image(drawing, ctx: DocxContext) -> Image | None:
    doc_pr = next(drawing.iter(qn("wp:docPr")), None)
    alt = ""
    if doc_pr is not None:
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
    blip = next(drawing.iter(qn("a:blip")), None)
    if blip is not None and not blip.get(qn("r:embed")) and blip.get(qn("r:link")):
        ctx.linked_pictures[blip] = alt  # stored outside the file: nothing to print, but say so
        return None
    if blip is None or not blip.get(qn("r:embed")):
        return None
    return ctx.image(blip.get(qn("r:embed")), alt)


def _merge_runs(runs: list[Run]) -> list[Run]:
    """Word splits text into many runs with the same formatting; join neighbours that look alike."""
    merged: list[Run] = []
    for run in runs:
        if (merged and merged[-1].note is None and run.note is None
                and (merged[-1].bold, merged[-1].italic, merged[-1].link) == (run.bold, run.italic, run.link)):
            merged[-1] = merged[-1].model_copy(update={"text": merged[-1].text + run.text})
        else:
            merged.append(run)
    return merged


def table_rows(tbl, ctx: DocxContext) -> list[tuple[list[str], bool]]:
    """Each row's cell texts and whether Word repeats it as a header row. A hidden row (w:trPr/w:hidden) is
    hidden text: never read, its words reported with the document's other hidden text."""
    return [(cells, header) for _, cells, header in _read_rows(tbl, ctx)]


def _read_rows(tbl, ctx: DocxContext) -> list[tuple[object, list[str], bool]]:
    """table_rows, each with its w:tr."""
    rows = []
    for tr in row_elements(tbl):
        tr_pr = tr.find(qn("w:trPr"))
        header = tr_pr is not None and _on(tr_pr.find(qn("w:tblHeader")))
        if hidden_row(tr, ctx):
            continue
        # Cells a row leaves out before its first (w:gridBefore): empty, so that its cells stay under their headings.
        cells: list[str] = [""] * _grid_before(tr_pr)
        for tc in row_cells(tr):
            cells.append(cell_text(tc, ctx))
            span = _grid_span(tc)
            if span > 1:  # the columns it covers stay empty, so the cells after it stay under their own headings
                cells.extend([""] * (span - 1))
                ctx.merged_cells.add(tc)  # a table may be read twice (is it the figures?): each cell counted once
        rows.append((tr, cells, header))
    return rows


def hidden_row(tr, ctx: DocxContext) -> bool:
    """Whether a table row is hidden (w:trPr/w:hidden): its words are then remembered as hidden text, reported
    and never read."""
    tr_pr = tr.find(qn("w:trPr"))
    if tr_pr is None or not _on(tr_pr.find(qn("w:hidden"))):
        return False
    # Its pictures and charts are hidden with it: not placed after the table, nor said to be printed.
    outer, ctx.box_images, charts = ctx.box_images, [], dict(ctx.charts)
    try:
        words = " ".join(cell_text(tc, ctx) for tc in row_cells(tr)).split()
    finally:
        ctx.box_images, ctx.charts = outer, charts
    if words:
        ctx.hidden[tr] = [" ".join(words)]  # by element: a table read twice reports the row once
    return True


MAX_SPAN = 63  # Word's widest table


def _grid_before(tr_pr) -> int:
    """The grid columns a row leaves out before its first cell (w:gridBefore; 0 when none)."""
    return _grid_columns(tr_pr.find(qn("w:gridBefore")) if tr_pr is not None else None, 0)


def _grid_span(tc) -> int:
    """The grid columns a cell covers (w:gridSpan; 1 when none)."""
    return _grid_columns(tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}"), 1)


def _grid_columns(element, least: int) -> int:
    """A count of grid columns as Word gives it (w:val), within Word's widest table; `least` when there is none,
    or it is not a number."""
    try:
        return max(least, min(MAX_SPAN, int(element.get(qn("w:val"))))) if element is not None else least
    except (TypeError, ValueError):
        return least


def row_elements(tbl):
    """A table's w:tr, in document order, also those inside row-level content controls and custom XML, however
    deep: a form's 'add row' table (a repeating section) keeps its rows in w:sdt/w:sdtContent."""
    yield from _wrapped(tbl, W_TR)


def row_cells(tr):
    """A row's w:tc, in document order, also those inside cell-level content controls, custom XML and tracked
    insertions."""
    yield from _wrapped(tr, W_TC)


def _wrapped(parent, tag: str):
    """The children of `parent` with `tag`, looking through the wrappers Word puts around rows and cells."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _wrapped(content, tag)
        elif child.tag in (W_CUSTOM_XML, qn("w:ins")):
            yield from _wrapped(child, tag)


def cell_elements(tc) -> list:
    return [child for child in tc if child.tag in (W_P, W_TBL, W_SDT, W_CUSTOM_XML)]


def cell_text(tc, ctx: DocxContext) -> str:
    return plain_lines(cell_elements(tc), ctx)


def plain_lines(elements, ctx: DocxContext) -> str:
    lines = []
    for element in elements:
        if element.tag == W_P:
            info = read_paragraph(element, ctx)
            lines.append(info.text)
            ctx.box_images.extend(info.images)  # kept when these lines are a text box's (the anchor shows them)
            lines.extend(info.boxed)  # a text box (also in a table cell) reads after the line that holds it
        elif element.tag == W_SDT:
            content = element.find(qn("w:sdtContent"))
            if content is not None and not showing_placeholder(element):
                lines.append(plain_lines(list(content), ctx))
        elif element.tag == W_CUSTOM_XML:
            lines.append(plain_lines(list(element), ctx))
        elif element.tag == W_TBL:
            lines.extend(" | ".join(cells) for cells, _ in table_rows(element, ctx))
    return "\n".join(line for line in lines if line.strip())


@contextmanager
def cell_pictures(ctx: DocxContext):
    """The pictures in the table cells read inside this block, once each: a table in the report holds text only,
    so the reader places them (after the table) instead of dropping them."""
    outer, ctx.box_images = ctx.box_images, []
    found: list[Image] = []
    try:
        yield found
    finally:
        seen = set()
        for image in ctx.box_images:  # a table's rows may be read twice (its header's boldness): once each
            if (image.path, image.alt) not in seen:
                seen.add((image.path, image.alt))
                found.append(image)
        ctx.box_images = outer


def table_block(tbl, ctx: DocxContext) -> Table | None:
    rows = [(tr, cells, header) for tr, cells, header in _read_rows(tbl, ctx) if any(c.strip() for c in cells)]
    if not rows:
        return None
    header_rows = [cells for _, cells, header in rows if header]
    body = [(tr, cells) for tr, cells, header in rows if not header]
    # No row marked as the header: a first row all in bold is one. The first row read, not a hidden one above it.
    if not header_rows and len(body) > 1 and _all_bold(body[0][0], ctx):
        header_rows, body = [body[0][1]], body[1:]
    return Table(header_rows=header_rows, rows=[cells for _, cells in body])


def _all_bold(tr, ctx: DocxContext) -> bool:
    runs = [r for p in tr.iter(W_P) for r in read_paragraph(p, ctx).runs if r.text.strip() and r.note is None]
    return bool(runs) and all(r.bold for r in runs)


class BlockBuilder:
    """Collects paragraphs and tables into blocks, folding list paragraphs into nested lists."""

    def __init__(self) -> None:
        self._blocks: list[Block] = []
        self._list_stack: list[tuple[ListBlock, int]] = []
        self._underlined: set[int] = set()  # positions in _blocks of wholly underlined paragraphs
        self.notes = NoteSink()  # what the section's text refers to: printed at its end

    @property
    def blocks(self) -> list[Block]:
        """The section's blocks, then its notes."""
        return self._blocks + ([Notes(items=self.notes.items)] if self.notes.items else [])

    def section_blocks(self) -> tuple[list[Block], list[str]]:
        """An agency's section (or case study): its blocks with the lines typed as sub-headings read as
        headings (readers/subheadings.py), then its notes; and the lines read so."""
        blocks, promoted = promote_subheadings(self._blocks, self._underlined)
        return blocks + ([Notes(items=self.notes.items)] if self.notes.items else []), promoted

    def add_paragraph(self, info: ParaInfo, heading_level: int | None = None) -> None:
        if heading_level is not None and info.text:
            self._end_list()
            self._blocks.append(Heading(level=max(1, min(6, heading_level)), text=info.text))
        elif info.list_level is not None and info.text:
            self._add_list_item(info)
        elif info.text:
            self._end_list()
            runs = _strip_runs(info.runs)
            if info.underlined and not info.quote:
                self._underlined.add(len(self._blocks))
            self._blocks.append(Quote(runs=runs) if info.quote else Paragraph(runs=runs))
        for image in info.images:
            self._end_list()
            self._blocks.append(image)
        for text in info.boxed:
            self._end_list()
            self._blocks.append(Paragraph(runs=[Run(text=text)]))

    def add_block(self, block: Block) -> None:
        self._end_list()
        self._blocks.append(block)

    def _add_list_item(self, info: ParaInfo) -> None:
        level = info.list_level or 0
        item = ListItem(runs=_strip_runs(info.runs))
        while self._list_stack and self._list_stack[-1][1] > level:
            self._list_stack.pop()
        if not self._list_stack:
            top = ListBlock(ordered=info.ordered, items=[item])
            self._blocks.append(top)
            self._list_stack.append((top, level))
            return
        current, current_level = self._list_stack[-1]
        if level > current_level and current.items:
            child = ListBlock(ordered=info.ordered, items=[item])
            current.items[-1].children = child
            self._list_stack.append((child, level))
        else:
            current.items.append(item)

    def _end_list(self) -> None:
        self._list_stack.clear()


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Leading/trailing spaces of the paragraph removed, empty runs dropped."""
    runs = [r for r in runs if r.text]
    if runs:
        runs[0] = runs[0].model_copy(update={"text": runs[0].text.lstrip()})
        runs[-1] = runs[-1].model_copy(update={"text": runs[-1].text.rstrip()})
    return [r for r in runs if r.text]
