"""Document settings and properties: fields refreshed on open, title, author, language, fixed dates."""

from __future__ import annotations

from datetime import date, datetime, timezone

from docx.oxml.ns import qn

from assembler.writers.docx.ooxml import element

# CT_Settings children that must come after w:updateFields (ECMA-376 17.15.1.78).
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)


def update_fields_on_open(document) -> None:
    """Ask Word to refresh the contents and page fields when the file is opened."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    flag = element("w:updateFields", val="true")
    following = next((child for child in settings if child.tag.rsplit("}", 1)[-1] in _AFTER_UPDATE_FIELDS), None)
    if following is None:
        settings.append(flag)
    else:
        following.addprevious(flag)


def set_theme_language(document, language: str) -> None:
    node = document.settings.element.find(qn("w:themeFontLang"))
    if node is not None:
        node.set(qn("w:val"), language)
        for attr in ("w:eastAsia", "w:bidi"):
            node.attrib.pop(qn(attr), None)


def set_core_properties(document, *, title: str, author: str, subject: str, language: str, when: date,
                        keywords: str = "", description: str = "") -> None:
    """Title, author, language and fixed dates: what Word's Info pane and screen readers announce."""
    props = document.core_properties
    stamp = datetime(when.year, when.month, when.day, tzinfo=timezone.utc).replace(tzinfo=None)
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.subject = subject
    props.language = language
    props.keywords = keywords
    props.comments = description
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
