"""Where each contents entry of the Word report falls: its page numbers, for the contents' cached result.

The writer cannot know Word's page breaks, so it takes them from a real layout:

- the PDF's, by default (`pdf_pages`): the report PDF's outline names every
  chapter and section with its page. The DOCX is written to paginate as the PDF
  does under LibreOffice (the same type, spacing, table widths, figure heights
  and keep rules: docx/report_layout.py, writers/table_widths.py; and a page
  break wherever the PDF starts a section on a new page, `pdf_page_starts`, or
  its print rules start a page, `pdf_print_breaks`), so these are the pages
  LibreOffice prints it on; tools/word_pages.py measures the two.
- LibreOffice's, of the DOCX itself (`libreoffice_pages`), when
  ASSEMBLER_WORD_PAGES=libreoffice or no PDF is written beside the DOCX: a copy
  is converted to PDF with each Word bookmark exported as a named destination,
  and each entry's heading bookmark gives its page. It costs a LibreOffice start
  and conversion (about 3 s, the build's longest step when it was the default).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf

from assembler.writers.report_geometry import PAGE_HEIGHT, PRINT_BREAK_PREFIX, TOP_MARGIN

ENVIRONMENT = "ASSEMBLER_WORD_PAGES"  # "libreoffice": number the Word contents from LibreOffice's layout of it
TIMEOUT_SECONDS = 180
# writer_pdf_Export's options as JSON (LibreOffice 7.4+): Word bookmarks become named destinations.
PDF_EXPORT = 'pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def use_libreoffice(pdf_written: bool = True) -> bool:
    """Number the Word contents from LibreOffice's layout: LibreOffice is installed, and asked for
    (ASSEMBLER_WORD_PAGES=libreoffice) or there is no PDF to number from."""
    asked = os.environ.get(ENVIRONMENT, "").strip().lower() == "libreoffice"
    return (asked or not pdf_written) and soffice() is not None


def libreoffice_pdf(docx: Path, out_dir: Path) -> Path:
    """`docx` converted to PDF by LibreOffice (bookmarks as named destinations), in `out_dir`.

    A private LibreOffice profile: a second LibreOffice running with the same one (the officer's own, another
    build) would make this one exit without converting.
    """
    program = soffice()
    if program is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / "lo-profile").resolve().as_uri()
    done = subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", PDF_EXPORT, "--outdir", str(out_dir), str(docx)],
                          capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    pdf = out_dir / f"{docx.stem}.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice did not convert {docx.name} (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    return pdf


def destination_pages(pdf: Path) -> dict[str, int]:
    """Named destination -> page number (from 1). LibreOffice writes '_' in a name as '5F' (its hex code
    without the '#'), so names are given back with '_'."""
    pages: dict[str, int] = {}
    with pikepdf.open(pdf) as document:
        numbers = {page.objgen: index for index, page in enumerate(document.pages, 1)}
        root = document.Root
        named = {}
        if "/Dests" in root:
            named.update({str(k): v for k, v in root.Dests.items()})
        if "/Names" in root and "/Dests" in root.Names:
            named.update({str(k): v for k, v in pikepdf.NameTree(root.Names.Dests).items()})
        for name, target in named.items():
            if isinstance(target, pikepdf.Dictionary):
                target = target.get("/D")
            if isinstance(target, pikepdf.Array) and len(target) and isinstance(target[0], pikepdf.Dictionary):
                page = numbers.get(target[0].objgen)
                if page:
                    pages[re.sub(r"^/?(5F)+", lambda m: "_" * (len(m.group(0).lstrip("/")) // 2), name)] = page
    return pages


def libreoffice_pages(docx: Path, bookmarks: list[str]) -> list[int | None]:
    """The page each bookmark falls on when LibreOffice lays out `docx` (None: not found)."""
    with tempfile.TemporaryDirectory(prefix="word-pages-") as work:
        copy = Path(work) / "report.docx"
        shutil.copyfile(docx, copy)
        pages = destination_pages(libreoffice_pdf(copy, Path(work) / "pdf"))
    return [pages.get(name) for name in bookmarks]


def pdf_pages(pdf: Path, titles: list[str]) -> list[int | None]:
    """The page of each title, in order, from the PDF's outline (bookmarks): each title is matched to the
    next outline entry of that name, so a name used twice keeps its own page."""
    outline = outline_pages(pdf)
    pages: list[int | None] = []
    position = 0
    for title in titles:
        found = next((i for i in range(position, len(outline)) if outline[i][0] == title), None)
        if found is None:
            pages.append(None)
            continue
        pages.append(outline[found][1])
        position = found + 1
    return pages


def outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """(title, page) of every outline entry, in reading order."""
    return [(title, page) for title, page, _ in outline_places(pdf)]


def outline_places(pdf: Path) -> list[tuple[str, int, float]]:
    """(title, page, top of its destination) of every outline entry, in reading order."""
    found: list[tuple[str, int, float]] = []
    with pikepdf.open(pdf) as document:
        numbers = {page.objgen: index for index, page in enumerate(document.pages, 1)}
        with document.open_outline() as outline:
            def walk(items):
                for item in items:
                    destination = item.destination
                    if isinstance(destination, pikepdf.Array) and len(destination):
                        page = numbers.get(destination[0].objgen)
                        top = float(destination[3]) if len(destination) > 3 and destination[1] == "/XYZ" else 0.0
                        if page:
                            found.append((item.title, page, top))
                    walk(item.children)
            walk(outline.root)
    return found


def from_libreoffice(docx: Path, entries: list) -> list[int | None]:
    """A ContentsPages (writers/docx/report.py): each entry's page in LibreOffice's layout of the DOCX.
    LibreOffice failing (a crash, a hang) costs the numbers, not the report: the entries are left without
    one and Word fills them in when it refreshes the field on open."""
    try:
        return libreoffice_pages(docx, [entry.bookmark for entry in entries])
    except (OSError, RuntimeError, subprocess.SubprocessError, pikepdf.PdfError):
        return [None] * len(entries)


def pdf_page_starts(pdf: Path, titles: list[str]) -> list[bool]:
    """Whether each title starts its page in the PDF (a chapter, or a section the PDF moved to a new page):
    its outline destination is above the text frame's top, where only a heading at the top of a page reaches
    (one below a line of text is a line and a heading's space lower). Matched in order as `pdf_pages` does."""
    places = outline_places(pdf)
    starts: list[bool] = []
    position = 0
    for title in titles:
        found = next((i for i in range(position, len(places)) if places[i][0] == title), None)
        if found is None:
            starts.append(False)
            continue
        position = found + 1
        starts.append(places[found][2] > PAGE_HEIGHT - TOP_MARGIN)
    return starts


def from_pdf(pdf: Path):
    """A ContentsPages: each entry's page in the report PDF at `pdf`."""
    def pages(docx: Path, entries: list) -> list[int | None]:
        return pdf_pages(pdf, [entry.text for entry in entries])
    pages.reads_docx = False  # the DOCX need not be written first (writers/docx/report.py)
    return pages


def pdf_print_breaks(pdf: Path) -> set[str]:
    """What the PDF's print rules start a page with (a runt page rebalanced, a short page filled): the names of
    its print-break destinations ('s3' section 3's heading, 'b3.5' its block 5, 'c7' contents entry 7)."""
    return {name.lstrip("/")[len(PRINT_BREAK_PREFIX):] for name in destination_pages(pdf)
            if name.lstrip("/").startswith(PRINT_BREAK_PREFIX)}


def starts_from_pdf(pdf: Path):
    """A PageStarts (writers/docx/report.py): whether each entry starts a page in the report PDF at `pdf`."""
    def starts(entries: list) -> list[bool]:
        return pdf_page_starts(pdf, [entry.text for entry in entries])
    return starts
