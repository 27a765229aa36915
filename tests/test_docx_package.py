"""WordPackage: the parts of a .docx a return's reader needs, read lazily."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone

import docx
import pytest

from assembler.readers.docx_package import NotAWordPackage, WordPackage
from assembler.readers.safety import Rejection


def _document(path, heading="Our work", identifier="wscp-return:police:2023-24:1"):
    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph("A paragraph.")
    document.core_properties.identifier = identifier
    document.core_properties.modified = datetime(2024, 4, 19, 15, 30)
    document.save(path)
    return path


def test_body_core_properties_and_styles(tmp_path):
    with WordPackage(_document(tmp_path / "a.docx")) as package:
        texts = ["".join(t.text for t in p.iter("{*}t")) for p in package.body.iter("{*}p")]
        assert texts == ["Our work", "A paragraph."]
        assert package.identifier == "wscp-return:police:2023-24:1"
        assert package.modified == datetime(2024, 4, 19, 15, 30, tzinfo=timezone.utc)
        name = package.styles["Heading1"].find("{*}name").get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
        assert name == "heading 1"


def test_one_template_s_styles_are_parsed_once_and_shared(tmp_path):
    with WordPackage(_document(tmp_path / "a.docx")) as first, WordPackage(_document(tmp_path / "b.docx", "Other")) as second:
        assert first.styles is second.styles


def test_a_different_styles_part_is_not_mistaken_for_a_known_one(tmp_path):
    source = _document(tmp_path / "a.docx")
    changed = tmp_path / "changed.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(changed, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="heading 1"', b'w:val="Titre 1"')
            copy.writestr(item, data)
    with WordPackage(source) as first, WordPackage(changed) as second:
        assert first.styles is not second.styles
        assert second.styles["Heading1"].find("{*}name").get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "Titre 1"


def test_relationships_resolve_to_part_names_and_external_links_stay_addresses(tmp_path):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document()
    link_id = document.part.relate_to("https://www.wirralsafeguarding.co.uk/", RT.HYPERLINK, is_external=True)
    document.save(tmp_path / "a.docx")
    with WordPackage(tmp_path / "a.docx") as package:
        targets = {r.target for r in package.relationships.values() if not r.external}
        assert {"word/styles.xml", "customXml/item1.xml"} <= targets  # "styles.xml" and "../customXml/item1.xml"
        assert package.relationships[link_id].external
        assert package.relationships[link_id].target == "https://www.wirralsafeguarding.co.uk/"
        assert package.content_type("word/document.xml").endswith("document.main+xml")


def test_a_zip_without_a_document_is_refused(tmp_path):
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
    with pytest.raises(NotAWordPackage):
        WordPackage(path)


def _rewrite(source, target, change):
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            data = change(item.filename, original.read(item))
            if data is not None:
                copy.writestr(item, data)
    return target


def test_a_part_the_document_refers_to_but_the_file_lacks_is_refused(tmp_path):
    """python-docx refused such a file too: a picture or the styles must never vanish without a word."""
    broken = _rewrite(_document(tmp_path / "a.docx"), tmp_path / "broken.docx",
                      lambda name, data: None if name == "word/styles.xml" else data)
    with pytest.raises(NotAWordPackage, match="word/styles.xml"):
        WordPackage(broken)


def test_strict_open_xml_is_refused_with_what_to_do(tmp_path):
    strict = _rewrite(_document(tmp_path / "a.docx"), tmp_path / "strict.docx",
                      lambda name, data: data.replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                                      b"http://purl.oclc.org/ooxml/wordprocessingml/main")
                      if name == "word/document.xml" else data)
    with pytest.raises(Rejection, match="Strict Open XML") as refused:
        WordPackage(strict)
    assert "Word Document (.docx)" in refused.value.fix


def test_a_modified_date_of_a_year_and_month_is_read(tmp_path):
    partial = _rewrite(_document(tmp_path / "a.docx"), tmp_path / "partial.docx",
                       lambda name, data: data.replace(b"2024-04-19T15:30:00Z", b"2024-04") if name == "docProps/core.xml" else data)
    with WordPackage(partial) as package:
        assert package.modified == datetime(2024, 4, 1)
