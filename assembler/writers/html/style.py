"""The site's one stylesheet, from the one brand definition (assembler/brand.py): colours, type scale.

System fonts only (the brand's family first, then its metric twins): a page loads no font from elsewhere.
Focus is always visible; text reflows down to 320 px; print drops the navigation and prints link targets.
"""

from __future__ import annotations

from assembler.brand import HEADING_SCALE, contrast_ratio
from assembler.config import Brand

NON_TEXT_CONTRAST = 3.0  # WCAG 1.4.11: a bar against the page


def chart_colour(brand: Brand) -> str:
    """The first brand chart colour that stands out from the page, else the primary colour."""
    c = brand.colours
    return next((colour for colour in c.chart if contrast_ratio(colour, c.background) >= NON_TEXT_CONTRAST), c.primary)


def stylesheet(brand: Brand) -> str:
    c = brand.colours
    fonts = ", ".join(dict.fromkeys([f'"{brand.fonts.body}"', "Arial", '"Liberation Sans"', "Helvetica", "sans-serif"]))
    body_px = round(brand.fonts.body_size / 11 * 16, 1)  # the brand's 11 pt body is the browser's 16 px
    headings = "\n".join(f"h{level} {{ font-size: {HEADING_SCALE[level]:.2f}em; }}" for level in range(1, 7))
    return f"""/* Made by the assembler from report.yaml's brand: edit the brand, not this file. */
:root {{
  --primary: {c.primary};
  --secondary: {c.secondary};
  --accent: {c.accent};
  --text: {c.text};
  --background: {c.background};
  --header-text: {c.header_text};
}}
*, *::before, *::after {{ box-sizing: border-box; }}
html {{ font-family: {fonts}; font-size: {body_px}px; line-height: 1.5; color: var(--text); background: var(--background);
  -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
body {{ margin: 0; overflow-wrap: break-word; }}
{headings}
h1, h2 {{ color: var(--primary); line-height: 1.2; margin: 1.2em 0 0.5em; }}
h3, h4, h5, h6 {{ color: var(--secondary); line-height: 1.25; margin: 1.1em 0 0.4em; }}
p, li {{ max-width: 42em; }}
a {{ color: var(--primary); text-decoration: underline; }}
a:hover {{ text-decoration-style: double; }}
:focus-visible {{ outline: 3px solid var(--text); outline-offset: 2px; box-shadow: 0 0 0 5px var(--background); }}
.skip-link {{ position: absolute; left: 0.5rem; top: -10rem; z-index: 10; padding: 0.5rem 1rem; background: var(--background);
  color: var(--primary); font-weight: bold; }}
.skip-link:focus {{ top: 0.5rem; }}
.site-header {{ background: var(--primary); color: var(--header-text); padding: 0.75rem 1rem; }}
.site-header a {{ color: var(--header-text); }}
.site-header :focus-visible {{ outline-color: var(--header-text); box-shadow: none; }}
.site-title {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; font-weight: bold; font-size: 1.15em;
  text-decoration: none; }}
.site-title img {{ background: var(--background); padding: 0.25rem; height: 3rem; width: auto; }}
.site-nav ul {{ list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }}
.site-nav a[aria-current] {{ font-weight: bold; }}
main {{ max-width: 60rem; margin: 0 auto; padding: 0 1rem 2rem; }}
main:focus {{ outline: none; }}
.breadcrumbs {{ max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem 0; }}
.breadcrumbs ol {{ list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; }}
.breadcrumbs li + li::before {{ content: "›"; margin-right: 0.5rem; }}
.lead {{ font-size: 1.1em; }}
.key-figures {{ list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); gap: 1rem; }}
.key-figures li {{ border-top: 4px solid var(--secondary); padding-top: 0.5rem; }}
.key-figures .figure {{ display: block; font-size: 2em; font-weight: bold; color: var(--accent); line-height: 1.1; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
caption {{ text-align: left; font-weight: bold; padding: 0.25rem 0; }}
.table-scroll, .chart-scroll {{ overflow-x: auto; }}
th, td {{ border-bottom: 1px solid var(--secondary); padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }}
thead th {{ background: var(--primary); color: var(--header-text); }}
.number {{ text-align: right; white-space: nowrap; }}
.unbroken {{ white-space: nowrap; }}
blockquote {{ margin: 1rem 0; padding: 0.25rem 1rem; border-left: 4px solid var(--secondary); }}
blockquote footer {{ font-style: italic; }}
figure {{ margin: 1.5rem 0 0.5rem; }}
.chart {{ margin-bottom: 1.5rem; }}
figcaption {{ font-style: italic; margin-top: 0.25rem; }}
img {{ max-width: 100%; height: auto; }}
.chart-svg {{ max-width: 100%; min-width: 34rem; height: auto; color: var(--text); }}
details {{ margin-top: 0.5rem; }}
summary {{ cursor: pointer; color: var(--primary); text-decoration: underline; }}
.pager {{ max-width: 60rem; margin: 0 auto; padding: 1rem; border-top: 1px solid var(--secondary); }}
.pager ul {{ list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; justify-content: space-between; gap: 1rem; }}
.pager .label {{ display: block; font-size: 0.85em; }}
.standalone-note {{ border-left: 4px solid var(--accent); padding: 0.25rem 1rem; }}
.site-footer {{ background: var(--primary); color: var(--header-text); padding: 1rem; margin-top: 2rem; }}
.site-footer a {{ color: var(--header-text); }}
.site-footer :focus-visible {{ outline-color: var(--header-text); box-shadow: none; }}
@media print {{
  html {{ font-size: {brand.fonts.body_size}pt; }}
  .skip-link, .site-nav, .breadcrumbs, .pager, .site-footer nav {{ display: none; }}
  .site-header, .site-footer, thead th {{ background: none; color: var(--text); }}
  .site-header a, .site-footer a {{ color: var(--text); }}
  main {{ max-width: none; padding: 0; }}
  main a[href^="http"]::after {{ content: " (" attr(href) ")"; }}
  h1, h2, h3, h4, h5, h6 {{ break-after: avoid; }}
  table, figure, blockquote {{ break-inside: avoid; }}
}}
"""
