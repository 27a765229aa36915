"""The web edition: a static, accessible site from the same document model as the DOCX and PDF."""

from assembler.writers.html.site import SITE_DIR, Download, WebEdition, page_order, write_web_site

__all__ = ["SITE_DIR", "Download", "WebEdition", "page_order", "write_web_site"]
