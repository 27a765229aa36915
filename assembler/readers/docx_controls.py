"""Word content controls (w:sdt) as the generated templates use them: found by their tag.

A control is a template's field: the agency return and the 7-minute briefing
template both name each field by its w:tag, so their readers find the fields
wherever the typing around them has moved them.
"""

from __future__ import annotations

from assembler.readers.docx_blocks import W_SDT, showing_placeholder  # noqa: F401 (also the template reader's)
from assembler.readers.docx_package import qn


def tagged_controls(body) -> dict[str, object]:
    """Content controls by tag; the first one wins when a tag is repeated."""
    found: dict[str, object] = {}
    for sdt in body.iter(W_SDT):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        value = tag.get(qn("w:val")) if tag is not None else None
        if value and value not in found:
            found[value] = sdt
    return found


def control_children(sdt) -> list:
    """What the control holds: paragraphs and tables for a block control, runs for an inline one."""
    content = sdt.find(qn("w:sdtContent"))
    return list(content) if content is not None else []
