"""One page's frame: the same header, navigation, landmarks and footer on every page of the site."""

from __future__ import annotations

from dataclasses import dataclass, field

from assembler.writers.html.blocks import attr, text

STYLESHEET = "site.css"


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass
class Page:
    name: str            # file name in the site's folder
    title: str           # the h1, and the first part of <title>
    main: str            # HTML inside <main>, after the h1
    breadcrumbs: list[Link] = field(default_factory=list)
    previous: Link | None = None
    next: Link | None = None
    pager_label: str = "Previous and next chapter"
    current: str = ""    # the site-navigation entry this page belongs to


@dataclass(frozen=True)
class Frame:
    site_title: str       # 'WSCP Annual Report 2023-24'
    language: str
    logo: tuple[str, int, int] | None  # (site path, width, height)
    logo_alt: str
    footer: str
    navigation: list[Link]


def render(page: Page, frame: Frame) -> str:
    logo = ""
    if frame.logo:
        source, width, height = frame.logo
        # The logo is part of the link's name: its alt says whose report this is, the text says which.
        logo = f"<img src=\"{attr(source)}\" alt=\"{attr(frame.logo_alt)}\" width=\"{width}\" height=\"{height}\">"
    current = ' aria-current="page"'
    navigation = "\n".join(
        f"<li><a href=\"{attr(link.href)}\"{current if link.href == page.current else ''}>{text(link.label)}</a></li>"
        for link in frame.navigation)
    crumbs = ""
    if page.breadcrumbs:
        items = "\n".join(f"<li><a href=\"{attr(link.href)}\">{text(link.label)}</a></li>" for link in page.breadcrumbs)
        crumbs = (f"<nav class=\"breadcrumbs\" aria-label=\"Where this page is\">\n<ol>\n{items}\n"
                  f"<li><span aria-current=\"page\">{text(page.title)}</span></li>\n</ol>\n</nav>\n")
    pager = ""
    if page.previous or page.next:
        entries = []
        if page.previous:
            entries.append(f"<li><a href=\"{attr(page.previous.href)}\" rel=\"prev\"><span class=\"label\">Previous</span> "
                           f"{text(page.previous.label)}</a></li>")
        if page.next:
            entries.append(f"<li><a href=\"{attr(page.next.href)}\" rel=\"next\"><span class=\"label\">Next</span> "
                           f"{text(page.next.label)}</a></li>")
        pager = f"<nav class=\"pager\" aria-label=\"{attr(page.pager_label)}\">\n<ul>\n" + "\n".join(entries) + "\n</ul>\n</nav>\n"
    title = page.title if page.title == frame.site_title else f"{page.title} – {frame.site_title}"
    return f"""<!DOCTYPE html>
<html lang="{attr(frame.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{text(title)}</title>
<link rel="stylesheet" href="{STYLESHEET}">
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<a class="site-title" href="index.html">{logo}<span>{text(frame.site_title)}</span></a>
<nav class="site-nav" aria-label="Site">
<ul>
{navigation}
</ul>
</nav>
</header>
{crumbs}<main id="main" tabindex="-1">
<h1 dir="auto">{text(page.title)}</h1>
{page.main}
</main>
{pager}<footer class="site-footer">
<p>{text(frame.footer)}</p>
</footer>
</body>
</html>
"""
