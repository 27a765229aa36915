"""The web edition: the annual report, its summary and the 7-minute briefings as a static site.

Reads only the document model (the same Document the DOCX and PDF writers lay out), the summary's content
plan and the briefings: no writer knows where they came from. Pages, flat in one folder:

- index.html: the one-page summary as the landing page, then the contents, the briefings and the downloads;
- one page per chapter (chapter-<id>.html), with previous/next chapter links;
- one page per agency's report (agency-<id>.html) and one for the case studies: thirty agencies on one page
  would be a very long page on a phone, and an agency can link its own page; the chapter's page lists them;
- a chapter marked stand-alone also gets a page that reads on its own (standalone-<id>.html);
- one page per briefing (briefing-<slug>.html);
- the PDF and DOCX editions under downloads/, with their sizes in the links.

The build writes it in two steps: `write_web_pages` beside the other writers (every page; the landing and
briefing pages with a mark where their download links go), then `finish_web_site` once the files to download
are written, which copies them and puts the links, with the sizes, in place of the marks.
`write_web_site` does both.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from assembler.document import Document, Section
from assembler.document.summary import SummaryContent
from assembler.schema import Briefing
from assembler.writers.html.blocks import BlockWriter, attr, text
from assembler.writers.html.page import STYLESHEET, Frame, Link, Page, render
from assembler.writers.html.pictures import Pictures
from assembler.writers.html.style import chart_colour, stylesheet

SITE_DIR = "web"
DOWNLOADS_DIR = "downloads"
INDEX = "index.html"
AGENCY_LIST_TITLE = "The agencies' reports"
# Where a page's download links go until the files' sizes are known. Every text on a page is escaped, so no
# agency's words can make this comment; nor does it carry an id, so the pages' link checks read the same ids.
DOWNLOADS_MARK = "<!-- download links -->"


@dataclass(frozen=True)
class Download:
    source: Path  # the file as the build wrote it
    name: str     # its path under downloads/, e.g. 'annual-report.pdf' or 'briefings/neglect.pdf'
    label: str    # what it is, e.g. 'The annual report'


@dataclass
class WebEdition:
    document: Document
    summary: SummaryContent | None
    briefings: list[Briefing]
    standalone: frozenset[str] = frozenset()  # ids of the chapter sections that also read on their own
    downloads: list[Download] = field(default_factory=list)


@dataclass(frozen=True)
class PendingPage:
    """A page written with DOWNLOADS_MARK where its download links go."""

    name: str
    html: str
    briefing: str | None = None  # the briefing's slug; None for the landing page, which offers the report's files


@dataclass
class SitePages:
    """The site as `write_web_pages` left it: every file written, and the pages still to be given their links."""

    folder: Path
    written: list[Path]
    pending: list[PendingPage]


@dataclass
class _Chapter:
    section: Section
    children: list[Section]

    @property
    def page(self) -> str:
        return _page(self.section)


def _safe(name: str) -> str:
    """A page's file name from an id or a briefing's file name: 'Child H review' -> 'Child-H-review', so
    that every link is a plain relative URL (a space, '#' or '?' would break it)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "page"


def _page(section: Section) -> str:
    return f"{_safe(section.id)}.html"


def write_web_site(edition: WebEdition, folder: Path) -> list[Path]:
    """Write the site into `folder` (made if missing); return every file written, sorted."""
    return finish_web_site(write_web_pages(edition, folder), edition.downloads)


def write_web_pages(edition: WebEdition, folder: Path) -> SitePages:
    """Every page, the stylesheet and the pictures, without the files to download (`edition.downloads` is not
    read): the landing and briefing pages hold DOWNLOADS_MARK where their links go, until `finish_web_site`."""
    folder.mkdir(parents=True, exist_ok=True)
    document = edition.document
    pictures = Pictures(document.inputs, folder)
    logo = pictures.place_file(document.logo) if document.logo and document.logo.is_file() else None
    chapters = _chapters(document.sections)
    navigation = [Link(INDEX, "Summary"), Link(f"{INDEX}#contents", "Contents")]
    navigation += [Link(c.page, "Glossary") for c in chapters if c.section.title.strip().casefold() == "glossary"]
    if edition.briefings:
        navigation.append(Link(f"{INDEX}#briefings", "Briefings"))
    navigation.append(Link(f"{INDEX}#downloads", "Downloads"))
    frame = Frame(site_title=document.full_title, language=document.language, logo=logo,
                  logo_alt=document.brand.logo_alt, footer=document.brand.footer, navigation=navigation)
    writer = lambda: BlockWriter(document.charts, pictures, chart_colour(document.brand))  # noqa: E731 (one per page)

    pages = [_index(edition, chapters)]
    for index, chapter in enumerate(chapters):
        pages += _chapter_pages(edition, chapters, index, writer)
    briefing_pages = {}
    for index, briefing in enumerate(edition.briefings):
        briefing_pages[len(pages)] = briefing.slug
        pages.append(_briefing_page(edition.briefings, index, writer()))

    css = folder / STYLESHEET
    css.write_text(stylesheet(document.brand), encoding="utf-8", newline="\n")
    written = [css]
    pending = []
    for number, page in enumerate(pages):
        path = folder / page.name
        html = render(page, frame)
        # Written now as well, marks and all: the other pages' link checks read these pages' ids.
        path.write_text(html, encoding="utf-8", newline="\n")
        written.append(path)
        if number == 0 or number in briefing_pages:
            pending.append(PendingPage(page.name, html, briefing_pages.get(number)))
    return SitePages(folder, sorted(set(written) | set(pictures.files)), pending)


def finish_web_site(pages: SitePages, downloads: list[Download]) -> list[Path]:
    """Copy the files to download into the site and write the landing and briefing pages' links to them, each
    with its size; return every file of the site, sorted."""
    copied = _copy_downloads(downloads, pages.folder)
    for page in pages.pending:
        if page.html.count(DOWNLOADS_MARK) != 1:
            raise ValueError(f"{page.name}: expected one place for the download links")
        links = _briefing_downloads(page.briefing, copied) if page.briefing is not None else _report_downloads(downloads, copied)
        # A briefing with no file to offer has no list, nor the line it would be on.
        html = page.html.replace(DOWNLOADS_MARK, links) if links else page.html.replace("\n" + DOWNLOADS_MARK, "")
        (pages.folder / page.name).write_text(html, encoding="utf-8", newline="\n")
    return sorted(set(pages.written) | set(copied.values()))


def page_order(edition: WebEdition) -> list[str]:
    """The pages in reading order: the order nothing-lost reads the site in."""
    chapters = _chapters(edition.document.sections)
    names = [INDEX]
    for chapter in chapters:
        names.append(chapter.page)
        names += [_page(s) for s in chapter.children if s.kind in ("agency", "case-studies")]
        if chapter.section.id in edition.standalone:
            names.append(_standalone_name(chapter.section))
    return names + [_briefing_name(b) for b in edition.briefings]


def _chapters(sections: list[Section]) -> list[_Chapter]:
    chapters: list[_Chapter] = []
    for section in sections:
        if section.level == 1 or not chapters:
            chapters.append(_Chapter(section, []))
        else:
            chapters[-1].children.append(section)
    return chapters


def _standalone_name(section: Section) -> str:
    return f"standalone-{_safe(section.id.removeprefix('chapter-'))}.html"


def _briefing_name(briefing: Briefing) -> str:
    return f"briefing-{_safe(briefing.slug)}.html"


# --- the landing page ------------------------------------------------------------------------------------

def _index(edition: WebEdition, chapters: list[_Chapter]) -> Page:
    document, summary = edition.document, edition.summary
    parts = [f"<p class=\"lead\">The {text(document.title.lower())} of the {text(document.partnership)} for "
             f"{text(document.period)}, in summary. Every chapter is listed under "
             f"<a href=\"#contents\">Contents</a>.</p>"]
    if summary:
        if summary.figures:
            figures = "\n".join(f"<li><span class=\"figure\">{text(f.value)}</span> {text(f.label)}</li>" for f in summary.figures)
            parts.append(f"<h2>Key figures</h2>\n<ul class=\"key-figures\">\n{figures}\n</ul>")
        for block in summary.blocks:
            bullets = "\n".join(f"<li dir=\"auto\">{text(b)}</li>" for b in block.bullets)
            parts.append(f"<h2 dir=\"auto\">{text(block.heading)}</h2>\n<ul>\n{bullets}\n</ul>")
        if summary.case_studies or summary.resources:
            parts.append("<h2>Case studies and resources in the report</h2>")
            for title, names in (("Case studies", summary.case_studies), ("Resources", summary.resources)):
                if names:
                    items = "\n".join(f"<li dir=\"auto\">{text(n)}</li>" for n in names)
                    parts.append(f"<h3>{title}</h3>\n<ul>\n{items}\n</ul>")
    contents = []
    for chapter in chapters:
        agencies = [s for s in chapter.children if s.kind in ("agency", "case-studies")]
        inner = ""
        if agencies:
            inner = "\n<ul>\n" + "\n".join(f"<li><a href=\"{_page(s)}\">{text(s.title)}</a></li>" for s in agencies) + "\n</ul>"
        contents.append(f"<li><a href=\"{chapter.page}\">{text(chapter.section.title)}</a>{inner}</li>")
    parts.append("<h2 id=\"contents\">Contents</h2>\n<ol>\n" + "\n".join(contents) + "\n</ol>")
    if edition.briefings:
        items = "\n".join(f"<li><a href=\"{_briefing_name(b)}\">{text(b.title)}</a> ({text(b.audience)})</li>"
                          for b in edition.briefings)
        parts.append(f"<h2 id=\"briefings\">7-minute briefings</h2>\n<ul>\n{items}\n</ul>")
    parts.append("<h2 id=\"downloads\">Download the report</h2>")
    parts.append(DOWNLOADS_MARK)  # _report_downloads, once the files are written
    return Page(name=INDEX, title=document.full_title, main="\n".join(parts), current=INDEX)


def _report_downloads(downloads: list[Download], copied: dict[str, Path]) -> str:
    report_files = [d for d in downloads if d.name in copied and "/" not in d.name]
    if report_files:
        return "<ul>\n" + "\n".join(_download_item(d, copied) for d in report_files) + "\n</ul>"
    return "<p>The printable editions were not made with this edition of the site.</p>"


def _briefing_downloads(slug: str, copied: dict[str, Path]) -> str:
    files = [name for name in (f"briefings/{slug}.pdf", f"briefings/{slug}.docx") if name in copied]
    if not files:
        return ""
    return "<ul>\n" + "\n".join(_download_item(Download(copied[n], n, "This briefing"), copied) for n in files) + "\n</ul>"


def _copy_downloads(downloads: list[Download], folder: Path) -> dict[str, Path]:
    copied = {}
    for download in downloads:
        if download.source.is_file():
            target = folder / DOWNLOADS_DIR / download.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(download.source, target)
            copied[download.name] = target
    return copied


def _download_item(download: Download, copied: dict[str, Path]) -> str:
    path = copied[download.name]
    kind = {".pdf": "PDF", ".docx": "Word document"}.get(path.suffix.lower(), path.suffix.lstrip(".").upper())
    return (f"<li><a href=\"{attr(quote(DOWNLOADS_DIR + '/' + download.name))}\">{text(download.label)} "
            f"({kind}, {file_size(path.stat().st_size)})</a></li>")


def file_size(size: int) -> str:
    """'840 KB', '2.3 MB': as a reader judges a download."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    return f"{size / 1000 / 1000:.1f} MB"


# --- chapters and the agencies' reports --------------------------------------------------------------------

def _chapter_pages(edition: WebEdition, chapters: list[_Chapter], index: int, writer) -> list[Page]:
    chapter = chapters[index]
    section = chapter.section
    blocks = writer()
    parts = [blocks.blocks(section.blocks, top=2)]
    standalone = section.id in edition.standalone
    if standalone:
        parts.insert(0, f"<p class=\"standalone-note\">This chapter is also published on its own: "
                        f"<a href=\"{_standalone_name(section)}\">{text(section.title)}, stand-alone page</a>.</p>")
    own_pages = [s for s in chapter.children if s.kind in ("agency", "case-studies")]
    if own_pages:
        items = "\n".join(f"<li><a href=\"{_page(s)}\">{text(s.title)}</a></li>" for s in own_pages)
        parts.append(f"<h2 id=\"agencies\">{AGENCY_LIST_TITLE}</h2>\n<ul>\n{items}\n</ul>")
    for child in chapter.children:
        if child.kind not in ("agency", "case-studies"):
            parts.append(f"<h2>{text(child.title)}</h2>\n" + blocks.blocks(child.blocks, top=3))
    previous = chapters[index - 1] if index > 0 else None
    following = chapters[index + 1] if index + 1 < len(chapters) else None
    pages = [Page(name=chapter.page, title=section.title, main="\n".join(p for p in parts if p),
                  breadcrumbs=[Link(INDEX, "Summary"), Link(f"{INDEX}#contents", "Contents")],
                  previous=Link(previous.page, previous.section.title) if previous else None,
                  next=Link(following.page, following.section.title) if following else None)]
    for position, child in enumerate(own_pages):
        before = own_pages[position - 1] if position > 0 else None
        after = own_pages[position + 1] if position + 1 < len(own_pages) else None
        pages.append(Page(name=_page(child), title=child.title, main=writer().blocks(child.blocks, top=2),
                          breadcrumbs=[Link(INDEX, "Summary"), Link(chapter.page, section.title)],
                          previous=Link(_page(before), before.title) if before else None,
                          next=Link(_page(after), after.title) if after else None,
                          pager_label="Previous and next report"))
    if standalone:
        document = edition.document
        intro = (f"<p class=\"lead\">Published by the {text(document.partnership)}, {_date(document.date)}. "
                 f"It is also a chapter of the <a href=\"{INDEX}\">{text(document.full_title)}</a>.</p>")
        pages.append(Page(name=_standalone_name(section), title=f"{document.short_name} {section.title}",
                          main=intro + "\n" + writer().blocks(section.blocks, top=2)))
    return pages


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


# --- briefings -------------------------------------------------------------------------------------------

def _briefing_page(briefings: list[Briefing], index: int, blocks: BlockWriter) -> Page:
    briefing = briefings[index]
    # The audience as the PDF gives it, after a label: written to head a line ("All practitioners"), not to end one.
    parts = [f"<p class=\"lead\">A 7-minute briefing, {_date(briefing.date)}. For: {text(briefing.audience)}</p>",
             DOWNLOADS_MARK]  # _briefing_downloads, once the files are written
    for number, section in enumerate(briefing.sections, start=1):
        parts.append(f"<h2 dir=\"auto\">{number}. {text(section.heading)}</h2>\n" + blocks.blocks(section.blocks, top=3))
    before = briefings[index - 1] if index > 0 else None
    after = briefings[index + 1] if index + 1 < len(briefings) else None
    return Page(name=_briefing_name(briefing), title=briefing.title, main="\n".join(p for p in parts if p),
                breadcrumbs=[Link(INDEX, "Summary"), Link(f"{INDEX}#briefings", "7-minute briefings")],
                previous=Link(_briefing_name(before), before.title) if before else None,
                next=Link(_briefing_name(after), after.title) if after else None,
                pager_label="Previous and next briefing")
