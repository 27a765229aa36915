"""Older pictures and embedded objects in a Word body: VML pictures (w:pict, as in a document converted from .doc)
and OLE objects (w:object: an Excel worksheet or chart, a PDF, a Word document, an Equation Editor 3.0 equation).

A VML picture is a picture like any other: printed, with its alt text. An embedded object shows in Word as a
picture of itself (v:imagedata, its preview), which is printed; its own words are in a part the report cannot
read in place (a workbook, a PDF), so the reader counts them where it can, and the return is told.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from assembler.readers.docx_package import PARSER, qn

V, O = "{urn:schemas-microsoft-com:vml}", "{urn:schemas-microsoft-com:office:office}"
V_IMAGEDATA, V_TEXTBOX, O_OLE = V + "imagedata", V + "textbox", O + "OLEObject"
R_ID, R_HREF = qn("r:id"), "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}href"

# What the object is, by the start of its ProgID (the program that made it), as an officer would name it.
_KINDS = (("excel.chart", "Excel chart"), ("excel", "Excel worksheet"), ("word", "Word document"),
          ("acroexch", "PDF"), ("acrobat", "PDF"), ("acropdf", "PDF"), ("foxit", "PDF"),
          ("equation", "equation (Equation Editor 3.0)"), ("mathtype", "equation (MathType)"),
          ("powerpoint", "PowerPoint slide"), ("visio", "Visio drawing"), ("package", "file"))
# The parts of an embedded Office file that hold its words, and the element of each that holds a piece of text.
_WORD_PARTS = re.compile(r"^(xl/sharedStrings\.xml|xl/worksheets/sheet\d+\.xml|word/document\.xml|ppt/slides/slide\d+\.xml)$")
MAX_EMBEDDED_BYTES = 20 * 1024 * 1024  # unpacked: more than a real worksheet's words, less than a zip bomb


def vml_pictures(element):
    """The v:imagedata of the VML pictures under `element`, not those inside a text box (read with the box)."""
    for data in element.iter(V_IMAGEDATA):
        if not any(ancestor.tag == V_TEXTBOX for ancestor in data.iterancestors()):
            yield data


def vml_alt(data) -> str:
    """A VML picture's description: the shape's alt text, else the picture's title (o:title)."""
    shape = data.getparent()
    for text in ((shape.get("alt") if shape is not None else None), data.get(O + "title"),
                 (shape.get(O + "title") if shape is not None else None)):
        if text and text.strip():
            return text.strip()
    return ""


def object_kind(obj) -> str:
    """'Excel worksheet', 'PDF', ...: what an embedded object is, from its ProgID; 'object' when it does not say."""
    ole = next(obj.iter(O_OLE), None)
    prog_id = (ole.get("ProgID") or "").casefold() if ole is not None else ""
    if ole is None and obj.find(qn("w:control")) is not None:
        return "form control (ActiveX)"
    return next((kind for start, kind in _KINDS if prog_id.startswith(start)), "object")


def object_part(obj) -> str | None:
    """The relationship id of the object's own part (word/embeddings/...), when it is embedded, not linked."""
    ole = next(obj.iter(O_OLE), None)
    if ole is None or (ole.get("Type") or "Embed") != "Embed":
        return None
    return ole.get(R_ID)


def embedded_words(blob: bytes) -> int | None:
    """How many words an embedded Office file (.xlsx, .docx, .pptx) holds; None for another kind (a PDF, an old
    binary OLE object) or a damaged or oversized one: said as not counted."""
    if not blob.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as package:
            members = [m for m in package.infolist() if _WORD_PARTS.match(m.filename)]
            if not members or sum(m.file_size for m in members) > MAX_EMBEDDED_BYTES:
                return None
            words = 0
            for member in members:
                root = etree.fromstring(package.read(member), PARSER)
                for element in root.iter():
                    name = etree.QName(element).localname if isinstance(element.tag, str) else ""
                    # text (t), and in a worksheet the figures typed in cells (v) that are not shared strings
                    if name == "t" or (name == "v" and element.getparent().get("t") not in ("s",)):
                        words += len((element.text or "").split())
            return words
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, OSError, ValueError):
        return None
