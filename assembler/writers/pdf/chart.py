"""Horizontal bar charts as vector drawings, readable in greyscale print.

Every bar is labelled with its value (and its share where shares make sense),
so a reader never has to match colours to a legend; the brand's chart colours
differ in lightness, and each bar has a thin dark outline so a pale bar still
shows on white paper.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from assembler.document.charts import ChartData
from assembler.config import Brand
from assembler.writers.chart_geometry import BAR_PITCH, chart_height  # noqa: F401 - chart_height: the writers' import
from assembler.writers.pdf.fonts import register_pdf_fonts
from assembler.writers.pdf.styles import colour

BAR_SHARE = 0.68  # of the pitch, the rest is the gap
FONT_SIZE = 8.5
MAX_LABEL_SHARE = 0.38  # of the width, for the category labels
AXIS_GAP = 6.0


def chart_drawing(chart: ChartData, brand: Brand, width: float, height: float) -> Drawing:
    fonts = register_pdf_fonts()
    regular, bold = fonts["regular"], fonts["bold"]
    text_colour = colour(brand.colours.text)
    bar_colours = [colour(c) for c in brand.colours.chart]
    outline = colour(brand.colours.text)

    drawing = Drawing(width, height)
    drawing.initialFontName = regular  # the renderer's default is Helvetica, which is not embedded
    drawing.initialFontSize = FONT_SIZE
    count = len(chart.labels)
    pitch = height / max(count, 1)
    bar_height = min(pitch * BAR_SHARE, 26)
    label_width = min(width * MAX_LABEL_SHARE, max(stringWidth(lbl, regular, FONT_SIZE) for lbl in chart.labels) + AXIS_GAP)
    values_width = max(stringWidth(chart.value_label(v), bold, FONT_SIZE) for v in chart.values) + AXIS_GAP
    bar_x = label_width
    bar_room = max(width - label_width - values_width, width * 0.2)
    top = max(chart.values) if chart.values else 0
    scale = bar_room / top if top > 0 else 0

    for index, (label, value) in enumerate(zip(chart.labels, chart.values)):
        centre = height - pitch * (index + 0.5)
        _draw_label(drawing, label, label_width - AXIS_GAP, centre, regular, text_colour)
        bar_width = max(value, 0) * scale
        fill: Color = bar_colours[index % len(bar_colours)]
        drawing.add(Rect(bar_x, centre - bar_height / 2, bar_width, bar_height, fillColor=fill, strokeColor=outline, strokeWidth=0.4))
        drawing.add(String(bar_x + bar_width + AXIS_GAP / 2, centre - FONT_SIZE * 0.35, chart.value_label(value),
                           fontName=bold, fontSize=FONT_SIZE, fillColor=text_colour))
    drawing.add(Line(bar_x, 0, bar_x, height, strokeColor=text_colour, strokeWidth=0.6))
    return drawing


def _draw_label(drawing: Drawing, label: str, max_width: float, centre: float, font: str, fill: Color) -> None:
    """The category name, right-aligned against the axis; two lines when it is too long for one."""
    lines = _wrap(label, font, max_width)
    leading = FONT_SIZE * 1.15
    first = centre - FONT_SIZE * 0.35 + (len(lines) - 1) * leading / 2
    for n, line in enumerate(lines):
        drawing.add(String(max_width, first - n * leading, line, fontName=font, fontSize=FONT_SIZE, fillColor=fill, textAnchor="end"))


def _wrap(text: str, font: str, width: float) -> list[str]:
    if stringWidth(text, font, FONT_SIZE) <= width:
        return [text]
    words = text.split()
    for cut in range(len(words) - 1, 0, -1):
        first = " ".join(words[:cut])
        if stringWidth(first, font, FONT_SIZE) <= width:
            return [first, " ".join(words[cut:])]
    return [text]
