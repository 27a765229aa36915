"""Pictures from the returns, made printable: decoded and written again as PNG or JPEG, their pixel count bounded.

Part of the firewall (readers/printable.py): a writer is never handed a picture
it could fail on. A Windows metafile (EMF/WMF: what Word keeps of a chart
pasted from Excel) is drawn by LibreOffice where it is installed, else left out
with the fix to paste the chart as a PNG.
"""

from __future__ import annotations

import hashlib
import io
import math
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

MAX_PICTURE_PIXELS = 40_000_000  # a 7,000 x 5,700 photograph; more is a mistake or a decompression bomb
PICTURE_FIX = "ask the agency to paste the chart or picture as a picture (PNG or JPEG) and send the return again"
METAFILE_FIX = "ask the agency to paste the chart as a picture (PNG): in Word, Paste Special > Picture (PNG)"
CONVERT_SECONDS = 30         # one metafile drawn by LibreOffice
CONVERT_BUDGET_SECONDS = 90  # all of them in one run: past this, metafiles are left out with the fix


def is_metafile(head: bytes) -> bool:
    """A Windows metafile: EMF (' EMF' at byte 40), placeable WMF, or plain WMF."""
    return (head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF") or head[:4] == b"\xd7\xcd\xc6\x9a" \
        or head[:6] in (b"\x01\x00\x09\x00\x00\x03", b"\x02\x00\x09\x00\x00\x03")


class PictureMaker:
    """Pictures decoded and written again beside the original: PNG (or JPEG for a photograph), with no more than
    MAX_PICTURE_PIXELS pixels. Results are remembered, so a picture used twice is made once."""

    def __init__(self, convert_budget: float = CONVERT_BUDGET_SECONDS):
        self._made: dict[Path, Path | tuple[str, str]] = {}
        self.converted: set[Path] = set()  # pictures drawn from a metafile: worth a look in the built report
        self._budget = convert_budget

    def printable(self, path: Path) -> Path | tuple[str, str]:
        """The printable picture's path, or (why it cannot be printed, the fix)."""
        if path not in self._made:
            try:
                self._made[path] = self._make(path)
            except Exception as error:  # whatever the decoder says, it is this picture's problem
                self._made[path] = (f"it cannot be read as a picture ({type(error).__name__})", PICTURE_FIX)
        return self._made[path]

    def _make(self, path: Path) -> Path | tuple[str, str]:
        with open(path, "rb") as handle:
            head = handle.read(64)
        if is_metafile(head):
            started = time.monotonic()
            converted = convert_metafile(path, seconds=min(CONVERT_SECONDS, self._budget)) if self._budget > 1 else None
            self._budget -= time.monotonic() - started
            if converted is None:
                return ("it is a Windows metafile (EMF/WMF), as Word keeps a chart pasted from Excel, and "
                        "it could not be converted (LibreOffice is not installed, could not read it, or took too long)",
                        METAFILE_FIX)
            made = _reencode(converted)
            if isinstance(made, Path):
                self.converted.add(made)
            return made
        return _reencode(path)


def _reencode(path: Path) -> Path | tuple[str, str]:
    import warnings

    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            picture = PILImage.open(path)
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            return (f"it is larger than the {MAX_PICTURE_PIXELS // 1_000_000} million pixels a picture may have", PICTURE_FIX)
        except Exception as error:
            return (f"it cannot be read as a picture ({type(error).__name__})", PICTURE_FIX)
        with picture:
            width, height = picture.size
            if width * height > MAX_PICTURE_PIXELS or not width or not height:
                return (f"it is {width:,} by {height:,} pixels, more than the {MAX_PICTURE_PIXELS // 1_000_000} million "
                        "a picture may have", "ask the agency to send a smaller copy of the picture (PNG or JPEG)")
            if picture.format not in ("PNG", "JPEG", "GIF", "BMP", "TIFF"):
                return (f"it is a {picture.format or 'unknown'} picture, not a PNG or JPEG", PICTURE_FIX)
            try:
                picture.seek(0)
                picture.load()
            except Exception as error:
                detail = "it is damaged or cut short" if isinstance(error, OSError) else type(error).__name__
                return (f"it cannot be read as a picture ({detail})", PICTURE_FIX)
            dpi = _sensible_dpi(picture.info.get("dpi"))
            photo = picture.format == "JPEG"
            image = _printable_mode(picture, photo)
            buffer = io.BytesIO()
            options = {"dpi": (dpi, dpi)} if dpi else {}
            if photo:
                image.save(buffer, "JPEG", quality=92, **options)
            else:
                image.save(buffer, "PNG", **options)
    data = buffer.getvalue()
    target = path.parent / f"{hashlib.sha256(data).hexdigest()[:16]}{'.jpg' if photo else '.png'}"
    if not target.exists():
        target.write_bytes(data)
    return target.resolve()


def _sensible_dpi(dpi) -> float | None:
    """The picture's resolution when it says one that makes sense (a TIFF may say 0/0, a metafile a float)."""
    if isinstance(dpi, tuple) and dpi:
        dpi = dpi[0]
    try:
        dpi = float(dpi)
    except (TypeError, ValueError):
        return None
    return dpi if math.isfinite(dpi) and 1 <= dpi <= 2400 else None


def _printable_mode(picture, photo: bool):
    if photo:
        return picture if picture.mode in ("RGB", "L") else picture.convert("RGB")
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    if has_alpha:
        return picture if picture.mode == "RGBA" else picture.convert("RGBA")
    if picture.mode in ("RGB", "L", "P", "1"):
        return picture if picture.mode in ("RGB", "L", "P") else picture.convert("L")
    return picture.convert("RGB")


# A metafile is drawn by LibreOffice Writer (the part of LibreOffice that is always installed with it; Draw, which
# would convert it directly, often is not): placed alone on a page of its own size in a flat OpenDocument text,
# printed to PDF, and the page rendered with PDFium (already used to read the report's text).
METAFILE_DPI = 150
_FLAT_DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:page-layout style:name="page"><style:page-layout-properties fo:page-width="{page_width:.2f}mm"
 fo:page-height="{page_height:.2f}mm" fo:margin-top="0mm" fo:margin-bottom="0mm" fo:margin-left="0mm" fo:margin-right="0mm"/>
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="page"/></office:master-styles>
<office:body><office:text><text:p><draw:frame svg:width="{width:.2f}mm" svg:height="{height:.2f}mm" text:anchor-type="as-char">
<draw:image><office:binary-data>{data}</office:binary-data></draw:image></draw:frame></text:p></office:text></office:body>
</office:document>"""


def convert_metafile(path: Path, seconds: float = CONVERT_SECONDS) -> Path | None:
    """A PNG of the metafile, drawn by LibreOffice when it is installed and can read it; None otherwise."""
    import base64

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    width, height = _metafile_size_mm(path)
    with tempfile.TemporaryDirectory(prefix="assembler-metafile-") as work:
        work_path = Path(work)
        source = work_path / "picture.fodt"
        source.write_text(_FLAT_DOCUMENT.format(
            page_width=width + 2, page_height=height + 10, width=width, height=height,
            data=base64.b64encode(path.read_bytes()).decode("ascii")), encoding="utf-8")
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{work_path / 'profile'}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(work_path), str(source)],
                           capture_output=True, timeout=seconds, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        printed = work_path / "picture.pdf"
        if not printed.is_file():
            return None
        return _render_first_page(printed, width, height, path.with_suffix(".converted.png"))


def _metafile_size_mm(path: Path) -> tuple[float, float]:
    """The metafile's own size in millimetres (its frame), within a page; 150 x 100 mm when it says none."""
    from PIL import Image as PILImage

    try:
        with PILImage.open(path) as picture:
            dpi = _sensible_dpi(picture.info.get("dpi")) or 96
            width, height = (side / dpi * 25.4 for side in picture.size)
    except Exception:
        width = height = 0
    if not (5 <= width <= 400 and 5 <= height <= 400):
        return 150.0, 100.0
    scale = min(1.0, 170 / width, 240 / height)  # no larger than a page's text area
    return width * scale, height * scale


def _render_first_page(pdf: Path, width_mm: float, height_mm: float, target: Path) -> Path | None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        if len(document) < 1:
            return None
        image = document[0].render(scale=METAFILE_DPI / 72).to_pil()
    finally:
        document.close()
    box = (0, 0, min(image.width, round(width_mm / 25.4 * METAFILE_DPI)), min(image.height, round(height_mm / 25.4 * METAFILE_DPI)))
    image.crop(box).save(target, "PNG", dpi=(METAFILE_DPI, METAFILE_DPI))
    return target
