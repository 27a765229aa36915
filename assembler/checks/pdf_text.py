"""A PDF's text, page by page, as a reader's copy-and-paste would give it.

PDFium reads a 60-page report in about 0.1 s, ten times faster than a
pure-Python extractor; the nothing-lost and accessibility checks share it,
so the build reads each PDF's text once.
"""

from __future__ import annotations

from pathlib import Path


def pdf_page_texts(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()
