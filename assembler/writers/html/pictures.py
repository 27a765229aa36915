"""Pictures copied into the site under a name from their content: the same picture is one file, and a
rebuild gives the same names (deterministic bytes). Formats a browser may not show are saved as PNG."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from assembler.errors import InputError
from assembler.schema import Image

FOLDER = "images"
BROWSER_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif"}


class Pictures:
    def __init__(self, inputs: Path, site: Path):
        self.inputs = inputs
        self.site = site
        self.written: dict[str, tuple[str, int, int]] = {}  # source path -> (site path, width, height)

    def place(self, block: Image) -> tuple[str, int, int]:
        path = Path(block.path) if Path(block.path).is_absolute() else self.inputs / block.path
        return self.place_file(path)

    def place_file(self, path: Path) -> tuple[str, int, int]:
        """(path relative to the site's root, width, height in pixels)."""
        key = str(path)
        if key not in self.written:
            self.written[key] = self._copy(path)
        return self.written[key]

    def _copy(self, path: Path) -> tuple[str, int, int]:
        from PIL import Image as PILImage

        try:
            data = path.read_bytes()
            with PILImage.open(io.BytesIO(data)) as picture:
                picture.load()
                width, height, kind = picture.width, picture.height, picture.format
                if kind not in BROWSER_FORMATS:
                    buffer = io.BytesIO()
                    picture.convert("RGBA").save(buffer, "PNG")
                    data, kind = buffer.getvalue(), "PNG"
        except Exception:  # a file cut short, or not a picture: the other writers stop on it the same way
            raise InputError(str(path), "the picture cannot be read", "check the file exists and is a PNG or JPEG",
                             field="image", code="picture_unreadable") from None
        name = f"{FOLDER}/{hashlib.sha256(data).hexdigest()[:16]}{BROWSER_FORMATS[kind]}"
        target = self.site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return name, width, height

    @property
    def files(self) -> list[Path]:
        return sorted({self.site / name for name, _, _ in self.written.values()})
