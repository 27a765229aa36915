"""Compare the Word report's pagination under LibreOffice with the PDF's, contents entry by contents entry.

    python3 tools/word_pages.py [OUTPUTS]          # default: outputs/ (annual-report.docx and .pdf)
    python3 tools/word_pages.py --json OUTPUTS

LibreOffice converts a copy of the DOCX to PDF; each contents entry's page there is read from its heading's
bookmark (a named destination), and checked against the printed words with pdftotext, page by page. The
PDF's page of the same entry comes from its outline. Every entry whose two pages differ is listed, with the
page counts of both. The build numbers the Word contents from the PDF (writers/docx/page_numbers.py), so
this measures how far that numbering is from what Word-under-LibreOffice prints: 0 entries is the goal.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from lxml import etree  # noqa: E402

from assembler.writers.docx.page_numbers import destination_pages, libreoffice_pdf, outline_pages  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class EntryPages:
    title: str
    bookmark: str
    pdf: int | None  # the report PDF's page
    word: int | None  # LibreOffice's page of the DOCX's heading
    written: str  # the number the DOCX's contents carries


@dataclass(frozen=True)
class Comparison:
    pdf_pages: int
    word_pages: int
    entries: list[EntryPages]

    @property
    def differing(self) -> list[EntryPages]:
        return [e for e in self.entries if e.pdf != e.word]

    @property
    def wrongly_numbered(self) -> list[EntryPages]:
        """Entries whose number in the DOCX's contents is not the page LibreOffice prints the heading on."""
        return [e for e in self.entries if e.written != str(e.word)]


def contents_entries(docx: Path) -> list[tuple[str, str, str]]:
    """(title, bookmark, written page number) of every entry of the DOCX's contents field."""
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    entries = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val", "") not in ("TOC1", "TOC2"):
            continue
        link = p.find(f"{W}hyperlink")
        if link is None:
            continue
        texts = [t.text or "" for t in link.iter(f"{W}t")]
        entries.append((texts[0], link.get(f"{W}anchor"), texts[-1] if len(texts) > 1 else ""))
    return entries


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, by pdftotext (form feeds between pages)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def compare(docx: Path, pdf: Path, word_pdf: Path | None = None) -> Comparison:
    """Each contents entry's page in `pdf` and in LibreOffice's print of `docx` (`word_pdf` if already made)."""
    import pikepdf

    with tempfile.TemporaryDirectory(prefix="word-pages-") as work:
        if word_pdf is None:
            copy = Path(work) / "report.docx"
            copy.write_bytes(Path(docx).read_bytes())
            word_pdf = libreoffice_pdf(copy, Path(work) / "pdf")
        destinations = destination_pages(word_pdf)
        texts = page_texts(word_pdf)
        with pikepdf.open(word_pdf) as word, pikepdf.open(pdf) as native:
            word_count, pdf_count = len(word.pages), len(native.pages)
    outline = [(t, p) for t, p in outline_pages(pdf) if t != "Contents"]
    entries, position = [], 0
    for title, bookmark, written in contents_entries(docx):
        found = next((i for i in range(position, len(outline)) if outline[i][0] == title), None)
        pdf_page = None if found is None else outline[found][1]
        position = position if found is None else found + 1
        word_page = destinations.get(bookmark)
        if word_page is not None and _words(title)[:1] and _words(title)[0] not in _words(texts[word_page - 1]):
            word_page = None  # the bookmark's page does not print the heading: not trusted
        entries.append(EntryPages(title, bookmark, pdf_page, word_page, written))
    return Comparison(pdf_count, word_count, entries)


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text).split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", nargs="?", default=str(REPO / "outputs"), type=Path)
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")
    args = parser.parse_args(argv)
    result = compare(args.outputs / "annual-report.docx", args.outputs / "annual-report.pdf")
    if args.json:
        print(json.dumps({"pdf_pages": result.pdf_pages, "word_pages": result.word_pages,
                          "entries": [asdict(e) for e in result.entries]}, indent=1))
        return 0
    print(f"pages: PDF {result.pdf_pages}, Word under LibreOffice {result.word_pages}")
    for entry in result.differing:
        print(f"  PDF p{entry.pdf} / Word p{entry.word}: {entry.title}")
    print(f"{len(result.differing)} of {len(result.entries)} contents entries differ; "
          f"{len(result.wrongly_numbered)} numbered in the DOCX otherwise than LibreOffice prints them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
