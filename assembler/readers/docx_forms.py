"""Word 97-2003 form fields (Developer > Legacy Tools), still common in councils' templates: what each one shows.

A text form field (FORMTEXT) shows what was typed as the field's result, read as any field's result is. A check
box (FORMCHECKBOX) and a drop-down (FORMDROPDOWN) have no result text: Word draws the box, or the chosen entry,
from the field's w:ffData, so the reader takes them from there, or a ticked box and a chosen answer are lost.
"""

from __future__ import annotations

from assembler.readers.docx_package import qn

CHECKED, UNCHECKED = "☒", "☐"  # as Word shows a content control's check box (MS Gothic's ballot boxes)


def _number(element, default: int = 0) -> int:
    try:
        return int(element.get(qn("w:val"))) if element is not None else default
    except (TypeError, ValueError):
        return default


def _on(element) -> bool:
    return element is not None and element.get(qn("w:val")) not in ("0", "false", "off")


def form_field_text(ff_data) -> str | None:
    """What a legacy check box or drop-down shows (☒ or ☐; the chosen entry), None for a text field or no form
    field: their result runs are read as they are."""
    if ff_data is None:
        return None
    box = ff_data.find(qn("w:checkBox"))
    if box is not None:
        checked = box.find(qn("w:checked"))  # the box as ticked; without it, as it starts (w:default)
        return CHECKED if (_on(checked) if checked is not None else _on(box.find(qn("w:default")))) else UNCHECKED
    choices = ff_data.find(qn("w:ddList"))
    if choices is not None:
        entries = [entry.get(qn("w:val")) or "" for entry in choices.findall(qn("w:listEntry"))]
        chosen = choices.find(qn("w:result"))
        index = _number(chosen if chosen is not None else choices.find(qn("w:default")))
        return entries[index] if 0 <= index < len(entries) else ""
    return None
