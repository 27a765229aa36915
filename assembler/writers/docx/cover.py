"""The cover, filled by docxtpl from the template's placeholders.

docxtpl earns its place here: the cover (and the running header and footer)
are laid out in the Word template, where a designer can move, restyle or
reword them in Word itself; the writer supplies only the values. Everything
after the cover is generated with python-docx on the document docxtpl returns.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from assembler.writers.docx import styles as S
from assembler.writers.docx.blocks import set_alt_text

LOGO_HEIGHT = Mm(38)  # as the PDF's cover


def long_date(when: date) -> str:
    return f"{when.day} {when:%B %Y}"


def render_cover(template: Path | IO[bytes], *, partnership: str, title: str, period: str, when: date, header_title: str,
                 footer: str, logo: Path | None, logo_alt: str):
    """Render the template's placeholders; return the python-docx Document to continue with."""
    tpl = DocxTemplate(str(template) if isinstance(template, Path) else template)
    has_logo = logo is not None and logo.is_file()
    context = {
        "partnership": partnership,
        "title": title,
        "period": period,
        "date": long_date(when),
        "header_title": header_title,
        "footer": footer,
        "logo": InlineImage(tpl, str(logo), height=LOGO_HEIGHT) if has_logo else "",
    }
    tpl.render(context, autoescape=True)  # names such as 'Fire & Rescue' must stay valid XML
    document = tpl.docx
    _finish_logo(document, has_logo, logo_alt)
    return document


def _finish_logo(document, has_logo: bool, logo_alt: str) -> None:
    """Give the logo its alt text, or drop its paragraph when there is no logo (no empty paragraphs)."""
    logo_style = document.styles[S.COVER_LOGO].style_id
    for p in document.element.body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or style.get(qn("w:val")) != logo_style:
            continue
        if has_logo:
            set_alt_text(p, logo_alt, logo_alt)
        else:
            p.getparent().remove(p)
        return
