"""Charts as PNG for Word: horizontal bars drawn with Pillow in the brand colours.

reportlab's PNG renderer needs pycairo, which is not available, so the bars
are drawn directly. Every bar carries its label and value ('£139,936 (52%)'),
so the chart reads in greyscale print without a colour key; each bar also has
a dark outline so the lightest brand colour stays visible. The bundled fonts
are used for text and nothing time-dependent goes into the file, so the same
chart gives the same bytes.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from assembler.brand import FONT_DIR, PDF_FONT_FILES, hex_to_rgb
from assembler.document.charts import ChartData
from assembler.config import Brand

DEFAULT_DPI = 300
MAX_LABEL_LINES = 2
TEXT_SHARE = 0.02  # the text's height as a share of the chart's width: 9 pt across the report's column


@lru_cache(maxsize=16)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / PDF_FONT_FILES["bold" if bold else "regular"]), size)


def chart_height_px(chart: ChartData, width_px: int, text_share: float = TEXT_SHARE) -> int:
    """A height that gives each bar room for a two-line label: used by writers that size the picture."""
    row = round(width_px * 0.055 * text_share / TEXT_SHARE)
    return row * len(chart.values) + round(width_px * 0.06)


def chart_png(chart: ChartData, brand: Brand, width_px: int, height_px: int, dpi: int = DEFAULT_DPI,
              text_share: float = TEXT_SHARE) -> bytes:
    """A narrow chart (a one-pager's box) takes a larger `text_share`, so its words print as large as the report's."""
    colours = brand.colours
    image = Image.new("RGB", (width_px, height_px), hex_to_rgb(colours.background))
    draw = ImageDraw.Draw(image)
    text_rgb = hex_to_rgb(colours.text)
    font_px = max(10, round(width_px * text_share))
    font, bold = _font(False, font_px), _font(True, font_px)
    pad = round(font_px * 0.6)
    top, bottom = pad, pad

    label_width = min(round(width_px * 0.36), max(draw.textlength(label, font=font) for label in chart.labels) + pad)
    values_text = [chart.value_label(v) for v in chart.values]
    value_width = max(draw.textlength(t, font=bold) for t in values_text) + pad
    bar_left = round(label_width + pad)
    bar_span = max(1, width_px - bar_left - value_width - pad)
    biggest = max(max(chart.values), 0) or 1
    row = (height_px - top - bottom) / len(chart.values)
    thickness = row * 0.62
    outline = max(1, round(font_px / 16))

    for index, (label, value, text) in enumerate(zip(chart.labels, chart.values, values_text)):
        centre = top + row * (index + 0.5)
        _draw_label(draw, label, font, text_rgb, right=label_width, centre=centre, max_width=label_width - pad)
        length = max(value, 0) / biggest * bar_span
        box = (bar_left, round(centre - thickness / 2), round(bar_left + max(length, outline)), round(centre + thickness / 2))
        fill = hex_to_rgb(colours.chart[index % len(colours.chart)])
        draw.rectangle(box, fill=fill, outline=text_rgb, width=outline)
        draw.text((box[2] + pad // 2, centre), text, font=bold, fill=text_rgb, anchor="lm")
    # The baseline the bars grow from.
    draw.line([(bar_left, top), (bar_left, height_px - bottom)], fill=text_rgb, width=outline * 2)

    buffer = io.BytesIO()
    # zlib level 3, not Pillow's 6: half the encoding time for files about a tenth larger (flat colours pack well).
    image.save(buffer, "PNG", dpi=(dpi, dpi), optimize=False, compress_level=3)
    return buffer.getvalue()


def _draw_label(draw: ImageDraw.ImageDraw, label: str, font, colour, *, right: float, centre: float, max_width: float) -> None:
    """Right-aligned beside its bar, wrapped onto at most two lines."""
    lines = _wrap(draw, label, font, max_width)
    height = font.size * 1.15
    first = centre - height * (len(lines) - 1) / 2
    for n, line in enumerate(lines):
        draw.text((right, first + n * height), line, font=font, fill=colour, anchor="rm")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: float) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if current and draw.textlength(trial, font=font) > max_width:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[: MAX_LABEL_LINES - 1] + [" ".join(lines[MAX_LABEL_LINES - 1:])]
    return lines
