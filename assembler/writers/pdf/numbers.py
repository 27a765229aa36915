"""Page numbers that are known only when the layout is finished, printed in one layout pass.

The contents' page numbers and the "of Y" in each footer are drawn as named
PDF forms (XObjects) where they belong, and the forms are defined just before
the file is saved, when every section's page and the page count are known.
Laying the report out twice to learn them took half of the PDF writer's time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfgen.canvas import Canvas

# A form's box: right-aligned text ends at x = 0 on its baseline.
FORM_BOX = dict(lowerx=-200, lowery=-6, upperx=2, uppery=24)


@dataclass
class PageNumbers:
    section_pages: dict[str, int] = field(default_factory=dict)
    total_pages: int = 0
    _contents_forms: dict[str, tuple] = field(default_factory=dict)  # form name -> (section key, font, size, colour)
    _footer_forms: dict[str, tuple] = field(default_factory=dict)    # form name -> (page, font, size, colour)

    def contents_form(self, key: str, style) -> str:
        name = f"contents-{key}"
        self._contents_forms[name] = (key, style.fontName, style.fontSize, style.textColor)
        return name

    def footer_form(self, page: int, font: str, size: float, colour) -> str:
        name = f"page-{page}"
        self._footer_forms[name] = (page, font, size, colour)
        return name

    def define_forms(self, canvas: Canvas) -> None:
        """Fill in every form used: call after the last page, before the canvas is saved."""
        for name, (key, font, size, colour) in sorted(self._contents_forms.items()):
            _right_aligned_form(canvas, name, str(self.section_pages.get(key, "")), font, size, colour)
        for name, (page, font, size, colour) in sorted(self._footer_forms.items()):
            _right_aligned_form(canvas, name, f"Page {page} of {self.total_pages}", font, size, colour)


def _right_aligned_form(canvas: Canvas, name: str, text: str, font: str, size: float, colour) -> None:
    canvas.beginForm(name, **FORM_BOX)
    canvas.setFont(font, size)
    canvas.setFillColor(colour)
    canvas.drawRightString(0, 0, text)
    canvas.endForm()
