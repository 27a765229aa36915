"""Draw the two pictures the sample returns paste in, so each looks like what its alt text says (issue 21: a
bare keyhole shape used for both read as an unfilled placeholder): a child's drawing of a lighthouse for
The Lighthouse Centre, and the Domestic Abuse Hub's campaign poster with its phone number.
Deterministic (no dates, fixed shapes). Usage: python3 tools/make_sample_pictures.py; then make_sample_returns.py.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent / "sample_source" / "returns"
FONTS = Path(__file__).resolve().parent.parent / "assembler" / "fonts"
NAVY, WHITE, YELLOW, SEA, RED = (27, 58, 107), (255, 255, 255), (255, 214, 102), (46, 110, 160), (181, 66, 26)


def lighthouse(path: Path) -> None:
    """A child's drawing: a white lighthouse with red stripes on a dark blue night, its beam, the sea and a moon."""
    image = Image.new("RGB", (400, 260), NAVY)
    draw = ImageDraw.Draw(image)
    draw.polygon([(200, 70), (400, 20), (400, 120)], fill=YELLOW)              # the beam
    draw.polygon([(200, 70), (0, 30), (0, 110)], fill=YELLOW)
    draw.ellipse((320, 150, 350, 180), fill=WHITE)                               # the moon
    draw.polygon([(170, 220), (230, 220), (215, 90), (185, 90)], fill=WHITE)     # the tower
    for top in (120, 165):
        draw.polygon([(183 - (top - 90) // 10, top), (217 + (top - 90) // 10, top),
                      (219 + (top - 90) // 10, top + 18), (181 - (top - 90) // 10, top + 18)], fill=RED)
    draw.rectangle((180, 60, 220, 90), fill=YELLOW, outline=WHITE, width=3)     # the lamp room
    draw.polygon([(175, 60), (225, 60), (200, 40)], fill=RED)                    # the roof
    for x in range(0, 400, 40):                                                  # the waves
        draw.arc((x, 215, x + 40, 245), 180, 360, fill=WHITE, width=3)
    draw.rectangle((0, 232, 400, 260), fill=SEA)
    image.save(path, optimize=True)


def poster(path: Path) -> None:
    """The campaign poster: a white figure on navy, the campaign's words and the Hub's phone number."""
    image = Image.new("RGB", (400, 260), NAVY)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONTS / "LiberationSans-Bold.ttf"), 26)
    small = ImageFont.truetype(str(FONTS / "LiberationSans-Bold.ttf"), 20)
    draw.ellipse((45, 40, 105, 100), fill=WHITE)                                 # the figure
    draw.rounded_rectangle((35, 108, 115, 220), radius=24, fill=WHITE)
    draw.text((140, 50), "Domestic abuse:", font=bold, fill=WHITE)
    draw.text((140, 85), "no excuse.", font=bold, fill=YELLOW)
    draw.text((140, 140), "Talk to the Hub", font=small, fill=WHITE)
    draw.text((140, 170), "0151 666 5050", font=bold, fill=WHITE)
    image.save(path, optimize=True)


if __name__ == "__main__":
    lighthouse(HERE / "lighthouse-heroes-artwork.png")
    poster(HERE / "da-hub-no-excuse-poster.png")
