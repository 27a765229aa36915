"""Word content controls (w:sdt) built as raw OOXML.

python-docx has no API for content controls, so these helpers build the
elements with `parse_xml`. Every control carries a `w:tag` (the field name the
readers look for, see `assembler.template_fields`) and a `w:alias` (the label
Word shows on the control's frame). Ids come from a counter so that the same
template is written byte for byte the same every time.
"""

from __future__ import annotations

from itertools import count
from xml.sax.saxutils import quoteattr, escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from assembler.template_fields import WORD_PLACEHOLDER

PLACEHOLDER_STYLE = "PlaceholderText"  # style id of the grey "Placeholder Text" character style

# sdtLocked: the control cannot be deleted; sdtContentLocked: its text cannot be edited.
LOCK_CONTROL = "sdtLocked"
LOCK_CONTENT = "sdtContentLocked"


class ControlIds:
    """Deterministic w:id values, unique within one document."""

    def __init__(self, start: int = 1000):
        self._next = count(start)

    def __call__(self) -> int:
        return next(self._next)


def _run_xml(text: str, style: str | None = None) -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _sdt_pr(tag: str, alias: str, control_id: int, *, kind: str, lock: str | None, placeholder: bool) -> str:
    parts = [f"<w:alias w:val={quoteattr(alias)}/>", f"<w:tag w:val={quoteattr(tag)}/>", f'<w:id w:val="{control_id}"/>']
    if lock:
        parts.append(f'<w:lock w:val="{lock}"/>')
    if placeholder:
        parts.append("<w:showingPlcHdr/>")
    parts.append("<w:text/>" if kind == "text" else "<w:richText/>")
    return "<w:sdtPr>" + "".join(parts) + "</w:sdtPr>"


def inline_text_control(paragraph, tag: str, alias: str, control_id: int, value: str | None = None, lock: str | None = LOCK_CONTROL):
    """Append a plain-text control to `paragraph`: `value` when given, else the placeholder."""
    placeholder = value is None
    content = _run_xml(WORD_PLACEHOLDER, PLACEHOLDER_STYLE) if placeholder else _run_xml(value)
    element = _sdt(_sdt_pr(tag, alias, control_id, kind="text", lock=lock, placeholder=placeholder), content)
    paragraph._p.append(element)
    return element


def block_rich_text_control(anchor_paragraph, tag: str, alias: str, control_id: int):
    """Replace `anchor_paragraph` (an empty paragraph already in the body) with a block-level
    rich-text control holding one placeholder paragraph. Block level so that people can type
    several paragraphs, bullets and tables into it."""
    element = _sdt(_sdt_pr(tag, alias, control_id, kind="rich", lock=LOCK_CONTROL, placeholder=True),
                   f"<w:p>{_run_xml(WORD_PLACEHOLDER, PLACEHOLDER_STYLE)}</w:p>")
    anchor_paragraph._p.addprevious(element)
    anchor_paragraph._p.getparent().remove(anchor_paragraph._p)
    return element


def _sdt(properties: str, content: str):
    """A content control element: its properties (w:sdtPr) and what it holds."""
    return parse_xml(f"<w:sdt {nsdecls('w')}>{properties}<w:sdtContent>{content}</w:sdtContent></w:sdt>")


def wrap_in_block_control(body_element, tag: str, alias: str, control_id: int):
    """Wrap an existing body element (a table) in a block-level control tagged `tag`."""
    xml = (
        f"<w:sdt {nsdecls('w')}>"
        + _sdt_pr(tag, alias, control_id, kind="rich", lock=LOCK_CONTROL, placeholder=False)
        + "<w:sdtContent/></w:sdt>"
    )
    sdt = parse_xml(xml)
    body_element.addprevious(sdt)
    sdt[-1].append(body_element)  # moves the element into w:sdtContent
    return sdt
