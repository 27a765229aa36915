"""The build's web step, in two parts: the pages, written in the worker pool beside the other writers and
checked there; then, once the other outputs are written, the web edition finished: the files to download
copied in, the landing and briefing pages given their links with the files' sizes, and the site read back
whole for nothing-lost.

Every page is read back as the other outputs are: nothing lost, nothing inaccessible. A page that passed
the page checks in the pool passes them once the site is finished (finishing adds files and links to
files that are there, never an id a link could miss), so only the pages finished then, and any page that
had a finding, are checked again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assembler.config import ReportConfig
from assembler.errors import InputError
from assembler.problems import Problem
from assembler.schema import Report, SectionKey, section_title
from assembler.writers.html.site import (
    SITE_DIR, Download, SitePages, WebEdition, finish_web_site, page_order, write_web_pages,
)

if TYPE_CHECKING:  # in the signatures only: the checks are imported when the step runs
    from assembler.checks.nothing_lost import Expectation, OutputText

REPORT_FILES = (("annual-report", "The annual report"), ("summary", "The one-page summary"))


@dataclass
class WebPages:
    """What the pool's part of the web step hands to the build for finishing."""

    pages: SitePages
    order: list[str]                 # the pages in reading order (site.page_order)
    texts: dict[str, OutputText]     # page name -> its main text's words, for the pages already final
    findings: dict[Path, list[str]]  # the page checks' findings, for the pages already final
    problems: list[Problem]          # the summary's, if it could not be made
    expected: list[Expectation]      # what nothing-lost looks for: the report's submissions


def web_edition(report: Report, document, config: ReportConfig, inputs: Path) -> tuple[WebEdition, list[Problem]]:
    """The edition, its downloads not yet known; a summary that cannot be made is the summary's error (the build
    reports it there too): the landing page then holds the contents alone."""
    from assembler.document.summary import summary_content

    problems: list[Problem] = []
    try:
        summary = summary_content(report, config, inputs)
    except InputError as error:
        summary = None
        problems.append(error.problem)
    standalone = frozenset(f"chapter-{c.id}" for c in report.chapters if c.standalone)
    return WebEdition(document, summary, list(report.briefings), standalone), problems


def downloads(report: Report, built: Path, previous: Path) -> list[Download]:
    """The files the site offers: this build's, else the ones an earlier build left (assembler build --only web)."""
    names = [(f"{stem}{suffix}", label) for stem, label in REPORT_FILES for suffix in (".pdf", ".docx")]
    names += [(f"briefings/{b.slug}{suffix}", b.title) for b in report.briefings for suffix in (".pdf", ".docx")]
    found = []
    for name, label in names:
        source = built / name if (built / name).is_file() else previous / name
        found.append(Download(source, name, label))
    return found


def write_and_check_pages(report: Report, document, config: ReportConfig, inputs: Path, staging: Path) -> WebPages:
    """The pool's part: every page written (the files to download are not there yet, nor asked for) and
    checked, and what finishing needs to check the site whole."""
    from assembler.checks.html_accessibility import check_html
    from assembler.checks.html_text import html_main_text
    from assembler.checks.nothing_lost import OutputText, expectations

    edition, problems = web_edition(report, document, config, inputs)
    folder = staging / SITE_DIR
    # Written again when the build leaves out an agency whose section a writer could not lay out: no page of
    # the first attempt stays behind.
    shutil.rmtree(folder, ignore_errors=True)
    pages = write_web_pages(edition, folder)
    pending = {pages.folder / page.name for page in pages.pending}
    final = [path for path in pages.written if path.suffix == ".html" and path not in pending]
    order = page_order(edition)
    texts = {path.name: OutputText.of(html_main_text(path.read_text(encoding="utf-8"))) for path in final if path.name in order}
    first_title = section_title(SectionKey.ABOUT, config.activity_year, config.plan_year)
    return WebPages(pages, order, texts, {path: check_html(path) for path in final}, problems,
                    expectations(report.submissions, first_title))


def finish_and_check(web: WebPages, report: Report, staging: Path, previous: Path):
    """The build's part, after the other writers: (files written, problems, losses, {page: findings})."""
    from assembler.checks.html_accessibility import check_html
    from assembler.checks.html_text import html_main_text
    from assembler.checks.nothing_lost import OutputText, find_losses

    written = finish_web_site(web.pages, downloads(report, staging, previous))
    folder = web.pages.folder
    # The site's text is its pages' main text one after another (html_text.site_text), read in the pool but
    # for the pages finished here.
    texts = [web.texts[name] if name in web.texts else OutputText.of(html_main_text((folder / name).read_text(encoding="utf-8")))
             for name in web.order]
    losses = find_losses(SITE_DIR, OutputText.joined(texts), web.expected)
    findings = {}
    for path in (path for path in written if path.suffix == ".html"):
        passed = path in web.findings and not web.findings[path]
        findings[path] = [] if passed else check_html(path)
    return written, web.problems, losses, {path: found for path, found in findings.items() if found}
