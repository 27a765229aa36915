"""The build's web step: gather the edition (document, summary plan, briefings, the files to download),
write the site, and read it back as the other outputs are read: nothing lost, nothing inaccessible."""

from __future__ import annotations

from pathlib import Path

from assembler.config import ReportConfig
from assembler.errors import InputError
from assembler.schema import Report, SectionKey, section_title
from assembler.writers.html.site import SITE_DIR, Download, WebEdition, page_order, write_web_site

REPORT_FILES = (("annual-report", "The annual report"), ("summary", "The one-page summary"))


def web_edition(report: Report, document, config: ReportConfig, inputs: Path, built: Path, previous: Path
                ) -> tuple[WebEdition, list[InputError]]:
    """The edition; a summary that cannot be made is the summary's error (the build reports it there too):
    the landing page then holds the contents alone."""
    from assembler.document.summary import summary_content

    problems: list[InputError] = []
    try:
        summary = summary_content(report, config, inputs)
    except InputError as error:
        summary = None
        problems.append(error)
    names = [(f"{stem}{suffix}", label) for stem, label in REPORT_FILES for suffix in (".pdf", ".docx")]
    names += [(f"briefings/{b.slug}{suffix}", b.title) for b in report.briefings for suffix in (".pdf", ".docx")]
    downloads = []
    for name, label in names:  # this build's file, else the one an earlier build left (assembler build --only web)
        source = built / name if (built / name).is_file() else previous / name
        downloads.append(Download(source, name, label))
    standalone = frozenset(f"chapter-{c.id}" for c in report.chapters if c.standalone)
    return WebEdition(document, summary, list(report.briefings), standalone, downloads), problems


def write_and_check_web(report: Report, document, config: ReportConfig, inputs: Path, staging: Path, previous: Path):
    """(files written, problems, losses, {page: findings})."""
    from assembler.checks.html_accessibility import check_html
    from assembler.checks.html_text import site_text
    from assembler.checks.nothing_lost import expectations, find_losses

    edition, problems = web_edition(report, document, config, inputs, staging, previous)
    folder = staging / SITE_DIR
    written = write_web_site(edition, folder)
    first_title = section_title(SectionKey.ABOUT, config.activity_year, config.plan_year)
    losses = find_losses(SITE_DIR, site_text(folder, page_order(edition)), expectations(report.submissions, first_title))
    findings = {path: check_html(path) for path in written if path.suffix == ".html"}
    return written, problems, losses, {path: found for path, found in findings.items() if found}
