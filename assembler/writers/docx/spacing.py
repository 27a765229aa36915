"""The gaps between the Word report's paragraphs, as the PDF leaves them.

Between two paragraphs both the PDF (reportlab's frame) and LibreOffice leave the larger of the first's
space after and the second's space before, so the styles' numbers carry over. Three places differ:

- below a list the PDF leaves a half-line gap and then the next paragraph's whole space before; the list's
  last item carries the gap as its space after (report_layout.space_after_lists), and the next paragraph's
  space before is written as the sum;
- below a table the PDF leaves its space after, or more; a table in a DOCX has none, so the next
  paragraph's space before is at least that;
- above a section's heading, and above the contents' first entry, the PDF leaves the whole of both (the
  zero-size marker opening the section or the contents in its structure tree sits between them, and
  reportlab's frame overlaps spaces only of neighbours), so the space before is written as the sum;
- at the top of a page both drop the space before, except that LibreOffice keeps it after a page break:
  a paragraph that starts a page by its own page break is given none.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from assembler.writers.docx.ooxml import element, insert_in_order

W_P, W_TBL = qn("w:p"), qn("w:tbl")


class StyleSpacing:
    """A paragraph's space before and after and its page break, in twips, through its style's chain."""

    def __init__(self, styles_element) -> None:
        self.styles = {}
        self.default = None
        for style in styles_element.findall(qn("w:style")):
            if style.get(qn("w:type")) != "paragraph":
                continue
            style_id = style.get(qn("w:styleId"))
            based = style.find(qn("w:basedOn"))
            self.styles[style_id] = (style.find(qn("w:pPr")), based.get(qn("w:val")) if based is not None else None)
            if style.get(qn("w:default")) in ("1", "true"):
                self.default = style_id

    def _chain(self, paragraph):
        ppr = paragraph.find(qn("w:pPr"))
        yield ppr
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style.get(qn("w:val")) if style is not None else self.default
        seen = set()
        while style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            ppr, style_id = self.styles[style_id]
            yield ppr

    def value(self, paragraph, attribute: str) -> int:
        for ppr in self._chain(paragraph):
            spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
            if spacing is not None and spacing.get(qn(f"w:{attribute}")) is not None:
                return int(spacing.get(qn(f"w:{attribute}")))
        return 0

    def page_break_before(self, paragraph) -> bool:
        for ppr in self._chain(paragraph):
            node = ppr.find(qn("w:pageBreakBefore")) if ppr is not None else None
            if node is not None:
                return node.get(qn("w:val"), "1") not in ("0", "false")
        return False


def match_pdf_spacing(body, styles_element, table_after: int, section_headings=()) -> None:
    """Each body paragraph's space before made the PDF's gap (see the module's note); `table_after`: the
    space below a table, in twips; `section_headings`: the w:p of each section's heading."""
    spacing = StyleSpacing(styles_element)
    sections = set(section_headings)  # lxml elements: hashed by identity
    previous = None
    for child in body:
        if child.tag not in (W_P, W_TBL):
            continue
        if child.tag == W_P:
            before = spacing.value(child, "before")
            if spacing.page_break_before(child):
                if before:
                    _set_before(child, 0)
            elif previous is not None and child in sections:
                above = table_after if previous.tag == W_TBL else spacing.value(previous, "after")
                _set_before(child, before + above)
            elif previous is not None and previous.tag == W_TBL:
                if before < table_after:
                    _set_before(child, table_after)
            elif previous is not None and before and _in_list(previous) and not _in_list(child):
                _set_before(child, before + spacing.value(previous, "after"))
        previous = child


def _in_list(paragraph) -> bool:
    ppr = paragraph.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:numPr")) is not None


def _set_before(paragraph, twips: int) -> None:
    ppr = paragraph.get_or_add_pPr()
    node = ppr.find(qn("w:spacing"))
    if node is None:
        node = insert_in_order(ppr, element("w:spacing"))
    node.set(qn("w:before"), str(twips))
