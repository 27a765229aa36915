"""A DOCX's text as a reader gets it: what the nothing-lost check reads back from every Word file."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_text(path: Path) -> str:
    """The body text of a DOCX in reading order, one paragraph per line (tables included)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    lines = []
    for paragraph in root.iter(f"{{{W_NS}}}p"):
        pieces = []
        for node in paragraph.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}tab", f"{{{W_NS}}}br", f"{{{W_NS}}}noBreakHyphen"):
            tag = node.tag.rsplit("}", 1)[1]
            pieces.append(node.text or "" if tag == "t" else "-" if tag == "noBreakHyphen" else " ")
        lines.append("".join(pieces))
    return "\n".join(lines)
