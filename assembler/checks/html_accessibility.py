"""What a screen-reader or keyboard user would trip over in a web page, read from its HTML.

The build runs these on every page it writes (axe-core in a real browser runs in the tests: it needs
Chromium). Each finding names what is wrong and where, in words an officer can pass on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import html as lxml_html

LANDMARKS = ("header", "nav", "main", "footer")
RESOURCE_ATTRIBUTES = (("img", "src"), ("link", "href"), ("script", "src"), ("iframe", "src"), ("source", "src"),
                       ("source", "srcset"), ("video", "src"), ("audio", "src"), ("object", "data"), ("embed", "src"))


def check_html(path: Path) -> list[str]:
    """Findings for one page; links to other pages of the site are followed to check they and their anchors exist."""
    root = _parse(path)
    findings: list[str] = []
    findings += _document_findings(root)
    findings += _heading_findings(root)
    findings += _picture_findings(root)
    findings += _table_findings(root)
    findings += _request_findings(root)
    findings += _link_findings(root, path)
    return findings


def _parse(path: Path):
    return lxml_html.fromstring(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=256)
def _ids(path: Path, modified: float) -> frozenset[str]:
    return frozenset(_parse(path).xpath("//@id"))


def _document_findings(root) -> list[str]:
    found = []
    if not (root.get("lang") or "").strip():
        found.append("the page does not say its language (<html lang>)")
    if not root.xpath("//head/title[normalize-space()]"):
        found.append("the page has no title")
    for landmark in LANDMARKS:
        if not root.xpath(f"//{landmark}"):
            found.append(f"the page has no <{landmark}> landmark")
    if len(root.xpath("//main")) > 1:
        found.append("the page has more than one <main>")
    main_id = next(iter(root.xpath("//main/@id")), None)
    first_link = next(iter(root.xpath("//body//a[@href]")), None)
    if main_id is None or first_link is None or first_link.get("href") != f"#{main_id}":
        found.append("the page's first link is not a skip link to its main content")
    ids = root.xpath("//@id")
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        found.append(f"ids used twice on the page: {', '.join(repeated[:5])}")
    return found


def _heading_findings(root) -> list[str]:
    levels = [int(h.tag[1]) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    found = []
    if levels.count(1) != 1:
        found.append(f"the page has {levels.count(1)} h1 headings, not one")
    previous = 0
    for index, level in enumerate(levels):
        if level > previous + 1:
            text = " ".join(list(root.iter("h1", "h2", "h3", "h4", "h5", "h6"))[index].text_content().split())[:60]
            found.append(f"heading '{text}' is an h{level} after an h{previous}: a level is skipped")
        previous = level
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if not heading.text_content().strip():
            found.append(f"an empty {heading.tag} heading")
    return found


def _picture_findings(root) -> list[str]:
    found = []
    for img in root.iter("img"):
        if img.get("alt") is None or (not img.get("alt").strip() and img.get("role") not in ("presentation", "none")):
            found.append(f"picture {img.get('src')} has no alternative text (alt)")
    for figure in root.iter("figure"):
        if not figure.xpath("./figcaption[normalize-space()]"):
            found.append("a figure has no caption (figcaption)")
    for svg in root.iter("svg", "{http://www.w3.org/2000/svg}svg"):
        if svg.get("role") == "img" and not (svg.get("aria-labelledby") or svg.get("aria-label")):
            found.append("a chart (svg) has no text alternative")
    return found


def _table_findings(root) -> list[str]:
    found = []
    for number, table in enumerate(root.iter("table"), start=1):
        caption = " ".join(table.xpath("string(./caption)").split())
        name = f"table '{caption[:60]}'" if caption else f"table {number}"
        if not caption:
            found.append(f"{name} has no caption")
        headers = table.xpath(".//th")
        if not headers:
            found.append(f"{name} has no header cells (th)")
        if any(th.get("scope") not in ("col", "row", "colgroup", "rowgroup") for th in headers):
            found.append(f"{name} has a header cell without a scope")
    return found


def _request_findings(root) -> list[str]:
    """Anything the page would load from elsewhere (a font, a script, a picture): none is allowed."""
    found = []
    for tag, attribute in RESOURCE_ATTRIBUTES:
        for element in root.iter(tag):
            value = (element.get(attribute) or "").strip()
            if value and (urlsplit(value).scheme or value.startswith("//")):
                found.append(f"<{tag}> loads {value[:80]} from elsewhere")
    if root.xpath("//script"):
        found.append("the page has a script: the web edition needs none")
    for style in root.xpath("//style"):
        if "url(" in (style.text or "") or "@import" in (style.text or ""):
            found.append("an inline style loads something (url() or @import)")
    return found


def _link_findings(root, path: Path) -> list[str]:
    found = []
    own_ids = set(root.xpath("//@id"))
    for link in root.xpath("//a[@href]"):
        href = link.get("href")
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            continue  # a link to elsewhere is not followed by reading the page
        if not " ".join(link.text_content().split()) and not link.xpath(".//img[@alt!='']"):
            found.append(f"the link to {href} has no text")
        target = path if not parts.path else (path.parent / unquote(parts.path))
        if not target.is_file():
            found.append(f"the link to {href} leads to no file")
            continue
        if parts.fragment:
            ids = own_ids if target == path else (_ids(target.resolve(), target.stat().st_mtime) if target.suffix == ".html" else frozenset())
            if unquote(parts.fragment) not in ids:
                found.append(f"the link to {href} leads to no such place on the page")
    return found
