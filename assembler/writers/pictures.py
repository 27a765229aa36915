"""The size every writer prints a picture at, from the picture file itself (its pixels and resolution).

One rule for all formats, so the Word and PDF reports print a picture alike; the file is opened
with Pillow here, at writing time, not in the layout-free document.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image as PILImage

from assembler.errors import InputError
from assembler.schema import Image

# Pictures, in every writer. One that says no resolution, or a lower one, prints at PICTURE_DPI: a small
# screenshot stays sharp rather than page-wide and blurred. A picture supports the text: never wider than it,
# never taller than MAX_PICTURE_HEIGHT_MM.
PICTURE_DPI = 150
MAX_PICTURE_DPI = 600
MAX_PICTURE_HEIGHT_MM = 110.0
PRINTABLE_PICTURES = ("PNG", "JPEG", "GIF", "BMP", "TIFF")


def picture_size_mm(block: Image, path: Path, text_width_mm: float) -> tuple[float, float]:
    """(width, height) in millimetres to print the picture at `path` at; an InputError if it cannot be read."""
    try:
        with PILImage.open(path) as picture:
            (pixel_width, pixel_height), dpi, kind = picture.size, picture.info.get("dpi"), picture.format
            picture.verify()  # a file cut short fails here, not later inside a writer (the chapters' pictures)
    except Exception:  # OSError, a decompression bomb, a format Pillow only half knows
        raise InputError(str(path), "the picture cannot be read", "check the file exists and is a PNG or JPEG", field="image", code="picture_unreadable") from None
    if kind not in PRINTABLE_PICTURES:  # a Windows metafile (a chart pasted from Excel): no writer can draw it
        raise InputError(str(path), f"the picture is a {kind} file, which cannot be printed",
                         "save the chart or picture as a PNG and use that file", field="image", code="picture_unprintable")
    # A resolution that is missing, 0, not a number (a TIFF's 0/0) or absurd (pixels a metre stored as an inch)
    # is not the picture's: it prints at PICTURE_DPI.
    dpi = dpi[0] if isinstance(dpi, tuple) and dpi else dpi  # (x, y), or one float from a metafile
    sensible = dpi if isinstance(dpi, (int, float)) and math.isfinite(dpi) and 0 < dpi <= MAX_PICTURE_DPI else 0
    width = block.width_mm or pixel_width / max(sensible, PICTURE_DPI) * 25.4
    width = min(width, text_width_mm)
    height = width * pixel_height / pixel_width
    if height > MAX_PICTURE_HEIGHT_MM:
        width, height = width * MAX_PICTURE_HEIGHT_MM / height, MAX_PICTURE_HEIGHT_MM
    return width, height
