"""Check a written DOCX the way Word's Accessibility Checker does (issue 8, part 4).

    docx_accessibility_problems(path, brand) -> list[AccessibilityProblem]

Each problem names the element (paragraph number and its first words, table
number, picture name) so the person fixing the content can find it. Used by
the DOCX tests and available to `assembler check-outputs`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docx import Document as open_docx
from docx.oxml.ns import qn

from assembler.brand import contrast_problems
from assembler.config import Brand

# Link text that does not say where the link goes (WCAG 2.4.4).
VAGUE_LINK_TEXT = {"here", "click here", "click", "link", "this link", "read more", "more", "this page", "find out more"}
HEADING_STYLE = re.compile(r"Heading (\d)$")


@dataclass(frozen=True)
class AccessibilityProblem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def docx_accessibility_problems(path: Path, brand: Brand | None = None) -> list[AccessibilityProblem]:
    document = open_docx(str(path))
    problems: list[AccessibilityProblem] = []
    problems += _properties(document)
    problems += _headings(document)
    problems += _pictures(document)
    problems += _tables(document)
    problems += _empty_paragraphs(document)
    problems += _links(document)
    if brand is not None:
        problems += [AccessibilityProblem("brand colours (report.yaml)", p) for p in contrast_problems(brand)]
    return problems


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def _properties(document) -> list[AccessibilityProblem]:
    problems = []
    if not (document.core_properties.title or "").strip():
        problems.append(AccessibilityProblem("document properties", "the document has no title"))
    default_lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    if not (document.core_properties.language or "").strip() and default_lang is None:
        problems.append(AccessibilityProblem("document properties", "the document has no language"))
    return problems


def _headings(document) -> list[AccessibilityProblem]:
    problems, previous = [], 0
    for number, paragraph in enumerate(document.paragraphs, start=1):
        match = HEADING_STYLE.match(paragraph.style.name or "")
        if not match:
            continue
        level = int(match.group(1))
        if level > previous + 1:
            problems.append(AccessibilityProblem(
                f"paragraph {number} ('{_snippet(paragraph.text)}')",
                f"heading level {level} follows level {previous}: a level is skipped",
            ))
        if not paragraph.text.strip():
            problems.append(AccessibilityProblem(f"paragraph {number}", "an empty heading"))
        previous = level
    return problems


def _all_parts_xml(document):
    yield "body", document.element.body
    for index, section in enumerate(document.sections, start=1):
        for kind in ("header", "footer", "first_page_header", "first_page_footer"):
            part = getattr(section, kind)
            if not part.is_linked_to_previous:
                yield f"section {index} {kind.replace('_', ' ')}", part._element


def _pictures(document) -> list[AccessibilityProblem]:
    problems = []
    for where, root in _all_parts_xml(document):
        for doc_pr in root.iter(qn("wp:docPr")):
            decorative = any(child.tag.endswith("}decorative") for child in doc_pr.iter())
            if not decorative and not (doc_pr.get("descr") or "").strip():
                problems.append(AccessibilityProblem(f"{where}, picture '{doc_pr.get('name')}'", "the picture has no alt text"))
    return problems


def _tables(document) -> list[AccessibilityProblem]:
    problems = []
    for number, table in enumerate(document.element.body.iter(qn("w:tbl")), start=1):
        rows = table.findall(qn("w:tr"))
        if rows and rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None:
            problems.append(AccessibilityProblem(f"table {number}", "the first row is not marked as a header row"))
        merged = [el for el in table.iter(qn("w:gridSpan"), qn("w:vMerge"), qn("w:hMerge"))
                  if el.tag != qn("w:gridSpan") or el.get(qn("w:val")) not in (None, "1")]
        if merged:
            problems.append(AccessibilityProblem(f"table {number}", "the table has merged cells"))
    return problems


def _empty_paragraphs(document) -> list[AccessibilityProblem]:
    """Paragraphs with nothing in them, used as spacing (table cells may be empty)."""
    problems = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        p = paragraph._p
        if paragraph.text.strip() or p.xpath(".//w:drawing | .//w:fldChar | .//w:br | ./w:pPr/w:sectPr"):
            continue
        problems.append(AccessibilityProblem(f"paragraph {number}", f"an empty paragraph (style {paragraph.style.name}) used for spacing"))
    return problems


def _links(document) -> list[AccessibilityProblem]:
    problems = []
    for link in document.element.body.iter(qn("w:hyperlink")):
        text = "".join(link.xpath(".//w:t/text()")).strip()
        if link.get(qn("w:anchor")) is not None:
            continue  # contents entries: the heading text is the link text
        if not text:
            problems.append(AccessibilityProblem("a link", "the link has no text"))
        elif text.casefold().strip(".:") in VAGUE_LINK_TEXT:
            problems.append(AccessibilityProblem(f"the link '{text}'", "the link text does not say where it goes"))
    return problems
