"""Take the README's pictures of the web edition in the browser the tests use (Debian's Chromium).

    python3 tools/make_web_screenshots.py [--site outputs/web] [--out docs]

Writes docs/web-landing.png (index.html) and docs/web-chapter.png (a chapter page), each the top of the
page at 1000 x 760 px, reduced to a palette of 64 colours so that they stay small in the repository.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
SHOTS = {"web-landing.png": "index.html", "web-chapter.png": "chapter-introduction.html"}
VIEWPORT = {"width": 1000, "height": 760}
COLOURS = 64


def take(site: Path, out: Path) -> list[Path]:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for name, source in SHOTS.items():
                page.goto((site / source).resolve().as_uri())
                picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                picture.quantize(COLOURS).save(out / name, optimize=True)
                written.append(out / name)
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("outputs/web"))
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    for path in take(args.site, args.out):
        print(f"wrote {path} ({path.stat().st_size // 1000} KB)")


if __name__ == "__main__":
    main()
