"""Make templates/docx/report.docx, the Word template of the annual report, and plain.docx.

    python3 tools/make_docx_template.py [--config inputs/report.yaml] [--out templates/docx/report.docx]

(--out moves only report.docx; plain.docx is always written to templates/docx/.)

The template holds structure: the styles (Title, Heading 1-6, List Bullet/Number
1-3 with real numbering definitions, Caption, Quote, TOC, a branded table
style), an A4 page with margins, the running header and the footer with
"Page X of Y" fields, and a cover whose `{{ partnership }}`, `{{ title }}`,
`{{ period }}`, `{{ date }}` and `{{ logo }}` placeholders docxtpl fills at
build time. The brand is applied from report.yaml (here for a template that
looks right when opened, and again by the writer on every build, so a brand
change needs no new template). The output is byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402

from assembler.config import load_config  # noqa: E402
from assembler.deterministic_zip import normalise_zip  # noqa: E402
from assembler.word_templates import (  # noqa: E402
    PLAIN_TEMPLATE,
    REPORT_TEMPLATE,
    drop_unused_parts,
    drop_unused_table_styles,
    slim_default_document,
)
from assembler.writers.docx import styles as S  # noqa: E402
from assembler.writers.docx.numbering import define_numbering  # noqa: E402
from assembler.writers.docx.ooxml import field_runs, tab_run, text_run  # noqa: E402
from assembler.writers.docx.settings import set_core_properties, set_theme_language, update_fields_on_open  # noqa: E402

DEFAULT_CONFIG = REPO / "inputs" / "report.yaml"
TEMPLATE_DATE = date(2024, 1, 1)

# The cover, top to bottom: (style, docxtpl placeholder). docxtpl needs each
# placeholder inside one run, which is why they are written as whole runs here.
COVER = (
    (S.COVER_LOGO, "{{ logo }}"),
    (S.COVER_PARTNERSHIP, "{{ partnership }}"),
    (S.TITLE, "{{ title }}"),
    (S.SUBTITLE, "{{ period }}"),
    (S.COVER_DATE, "Published {{ date }}"),
)


def make_template(config_path: Path, out: Path) -> Path:
    config = load_config(config_path)
    document = Document()
    drop_unused_parts(document)
    _page_setup(document)
    S.ensure_styles(document)
    drop_unused_table_styles(document, KEPT_TABLE_STYLES)
    define_numbering(document, config.brand.fonts.body)
    S.apply_brand(document, config.brand, config.partnership.language)
    _cover(document)
    _header_footer(document)
    update_fields_on_open(document)
    set_theme_language(document, config.partnership.language)
    set_core_properties(document, title="Annual report template", author=config.partnership.name,
                        subject="Template for the annual report", language=config.partnership.language,
                        when=TEMPLATE_DATE)
    return _save(document, out)


def make_plain_template(out: Path = PLAIN_TEMPLATE) -> Path:
    """What the one-pagers and the agencies' blank Word returns start from: python-docx's default template
    without the parts none of them uses. Their writers set the page, fonts, colours and language from
    report.yaml each time, so this template holds no brand."""
    document = slim_default_document()
    set_core_properties(document, title="Plain template", author="assembler", subject="", language="en-GB",
                        when=TEMPLATE_DATE)
    return _save(document, out)


def _save(document, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    normalise_zip(out, date_time=(TEMPLATE_DATE.year, TEMPLATE_DATE.month, TEMPLATE_DATE.day, 0, 0, 0))
    return out


KEPT_TABLE_STYLES = {"Normal Table", "Table Grid", S.TABLE_STYLE}


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = S.PAGE_WIDTH, S.PAGE_HEIGHT
    section.left_margin = section.right_margin = S.MARGIN
    section.top_margin = section.bottom_margin = S.MARGIN
    section.header_distance = section.footer_distance = S.MARGIN // 2
    section.different_first_page_header_footer = True  # the cover has no header or footer


def _cover(document) -> None:
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    for style, placeholder in COVER:
        document.add_paragraph(placeholder, style=style)


def _header_footer(document) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.style = document.styles[S.HEADER]
    header.add_run("{{ header_title }}")
    footer = section.footer.paragraphs[0]
    footer.style = document.styles[S.FOOTER]
    p = footer._p
    for run in [text_run("{{ footer }}"), tab_run(), text_run("Page "), *field_runs("PAGE", "1"),
                text_run(" of "), *field_runs("NUMPAGES", "1")]:
        p.append(run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--out", type=Path, default=REPORT_TEMPLATE)
    args = parser.parse_args(argv)
    print(make_template(args.config, args.out))
    print(make_plain_template())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
