"""The contents page: one linked line per chapter and agency, with a dotted leader and the page number.

Each line draws its title first and its page number after, so text extraction
and screen readers meet "Introduction … 3", never the number first.

The number is a PDF form that is filled in once the whole report has been laid
out (see numbers.py): one layout pass instead of two.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as PdfParagraph

LEADER_GAP = 6.0  # between the title and the first dot, and the last dot and the number
LEADER = " ."
NUMBER_ROOM = "8888"  # the widest page number the leader leaves room for


class ContentsEntry(PdfParagraph):
    """A contents line: the title (a link to its section), dots, and its page number at the right margin."""

    def __init__(self, markup: str, style, key: str, numbers):
        super().__init__(f'<a href="#{key}">{markup}</a>', style)
        self.key = key
        self.numbers = numbers  # PageNumbers: the number is a form, filled in after layout

    def draw(self) -> None:
        super().draw()
        style, canvas = self.style, self.canv
        right = self.width
        number_width = stringWidth(NUMBER_ROOM, style.fontName, style.fontSize)
        lines = self.blPara.lines
        last = lines[-1]
        extra = last.extraSpace if hasattr(last, "extraSpace") else last[0]
        indent = style.firstLineIndent if len(lines) == 1 else 0
        text_end = style.leftIndent + indent + (self.width - style.leftIndent - indent - style.rightIndent) - extra
        baseline = self.height - style.fontSize - (len(lines) - 1) * style.leading
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        room = right - number_width - LEADER_GAP - (text_end + LEADER_GAP)
        dots = int(max(room, 0) // stringWidth(LEADER, style.fontName, style.fontSize))
        if dots:
            canvas.drawRightString(right - number_width - LEADER_GAP, baseline, LEADER * dots)
        canvas.translate(right, baseline)
        canvas.doForm(self.numbers.contents_form(self.key, style))
        canvas.restoreState()
