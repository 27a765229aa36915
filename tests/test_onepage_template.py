"""The Word 7-minute briefing template: written blank, filled in as an officer would, read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from assembler.errors import InputError
from assembler.document.briefing import plan_briefing
from assembler.writers.one_pagers import write_briefing
from assembler.config.model import Limits
from assembler.readers.briefing_docx import read_briefing_docx
from assembler.template_fields import (
    BRIEFING_FIELD_AUDIENCE as FIELD_AUDIENCE,
    BRIEFING_FIELD_DATE as FIELD_DATE,
    BRIEFING_FIELD_TITLE as FIELD_TITLE,
    briefing_section_fields as section_fields,
)
from assembler.templates_out.briefing import USUAL_HEADINGS, write_briefing_template
from assembler.schema import ListBlock, Paragraph
from tests.onepage_helpers import pdf_pages, pdf_text

REPO = Path(__file__).resolve().parent.parent


def load_briefing_docx(path: Path):
    return read_briefing_docx(path, Limits())
INPUTS = REPO / "inputs"


def _controls(document) -> dict:
    found = {}
    for sdt in document.element.body.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        found[tag.get(qn("w:val"))] = sdt
    return found


def _fill(sdt, xml_children: str, full_date: str | None = None) -> None:
    """What Word does when someone types into a control: the placeholder goes, their text arrives."""
    pr = sdt.find(qn("w:sdtPr"))
    placeholder = pr.find(qn("w:showingPlcHdr"))
    if placeholder is not None:
        pr.remove(placeholder)
    if full_date:
        pr.find(qn("w:date")).set(qn("w:fullDate"), full_date)
    content = sdt.find(qn("w:sdtContent"))
    for child in list(content):
        content.remove(child)
    for child in parse_xml(f"<w:wrap {nsdecls('w')}>{xml_children}</w:wrap>"):
        content.append(child)


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _filled_template(tmp_path: Path, config, skip: int | None = None) -> Path:
    path = tmp_path / "Safe Sleep.docx"
    write_briefing_template(path, config)
    document = docx.Document(str(path))
    controls = _controls(document)
    _fill(controls[FIELD_TITLE], _run("Safe sleep for babies"))
    _fill(controls[FIELD_DATE], _run("1 May 2024"), full_date="2024-05-01T00:00:00Z")
    _fill(controls[FIELD_AUDIENCE], _run("Health visitors and midwives"))
    for number in range(1, 8):
        if number == skip:
            continue
        heading, text = section_fields(number)
        if number == 3:
            _fill(controls[heading], _run("What we found"))
            # a bulleted list typed with Word's List Bullet style
            _fill(controls[text], "".join(f'<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>{_run(t)}</w:p>'
                                          for t in ("Babies sleep on their back.", "Never on a sofa.")))
        else:
            _fill(controls[text], f"<w:p>{_run(f'Text of part {number} with a word like lullaby{number}.')}</w:p>")
    document.save(str(path))
    return path


def test_blank_template_has_title_date_audience_and_seven_prefilled_headings(tmp_path, config):
    path = tmp_path / "7-minute-briefing.docx"
    write_briefing_template(path, config)
    document = docx.Document(str(path))
    controls = _controls(document)
    assert {FIELD_TITLE, FIELD_DATE, FIELD_AUDIENCE} <= set(controls)
    # python-docx's p.text skips content controls: read every w:t of the heading
    headings = ["".join(p._p.xpath(".//w:t/text()")) for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [f"{n}. {h}" for n, h in enumerate(USUAL_HEADINGS, start=1)]
    for number in range(1, 8):
        text_control = controls[section_fields(number)[1]]
        assert text_control.find(f"{qn('w:sdtPr')}/{qn('w:showingPlcHdr')}") is not None
    assert controls[FIELD_DATE].find(f"{qn('w:sdtPr')}/{qn('w:date')}") is not None
    # deterministic, like every other output
    again = tmp_path / "again.docx"
    write_briefing_template(again, config)
    assert again.read_bytes() == path.read_bytes()


def test_a_filled_template_reads_back_as_a_briefing(tmp_path, config):
    briefing = load_briefing_docx(_filled_template(tmp_path, config))
    assert briefing.slug == "safe-sleep"
    assert (briefing.title, briefing.date, briefing.audience) == ("Safe sleep for babies", date(2024, 5, 1), "Health visitors and midwives")
    assert [s.heading for s in briefing.sections] == ["Background", "Why it matters", "What we found", *USUAL_HEADINGS[3:]]
    listed = briefing.sections[2].blocks[0]
    assert isinstance(listed, ListBlock) and [i.runs[0].text for i in listed.items] == ["Babies sleep on their back.", "Never on a sofa."]
    assert isinstance(briefing.sections[0].blocks[0], Paragraph)


def test_a_filled_template_builds_a_one_page_briefing(tmp_path, config):
    briefing = load_briefing_docx(_filled_template(tmp_path, config))
    docx_path, pdf_path = write_briefing(plan_briefing(briefing, config, INPUTS, {}), tmp_path / "out")
    assert pdf_pages(pdf_path) == 1
    text = pdf_text(pdf_path)
    assert "What we found" in text and all(f"lullaby{n}" in text for n in (1, 2, 4, 5, 6, 7))


def test_an_unfilled_part_is_named(tmp_path, config):
    with pytest.raises(InputError) as caught:
        load_briefing_docx(_filled_template(tmp_path, config, skip=5))
    assert caught.value.field == "sections.5" and "part 5 has no text" in caught.value.message


def test_a_word_file_that_is_not_the_template_is_refused(tmp_path):
    path = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleague")
    document.save(str(path))
    with pytest.raises(InputError, match="not the 7-minute briefing template"):
        load_briefing_docx(path)


def test_a_picture_in_a_filled_template_is_kept_in_a_folder_of_this_run_only(tmp_path, config):
    import os
    import stat
    import tempfile

    from docx.text.paragraph import Paragraph as WordParagraph
    from PIL import Image as PILImage

    from assembler.schema import Image

    path = _filled_template(tmp_path, config)
    picture = tmp_path / "cot.png"
    PILImage.new("RGB", (40, 30), "navy").save(picture)
    document = docx.Document(str(path))
    content = _controls(document)[section_fields(1)[1]].find(qn("w:sdtContent"))
    run = WordParagraph(content.find(qn("w:p")), document._body).add_run()
    run.add_picture(str(picture))
    run._r.find(".//" + qn("wp:docPr")).set("descr", "A cot with a firm flat mattress")
    document.save(str(path))

    briefing = load_briefing_docx(path)
    [image] = [b for b in briefing.sections[0].blocks if isinstance(b, Image)]
    folder = Path(image.path).parent
    assert image.alt == "A cot with a firm flat mattress" and Path(image.path).is_file()
    assert folder != Path(tempfile.gettempdir()) / "assembler-briefing-images"  # never a folder others can write to
    assert folder.name.startswith("assembler-briefing-images-") and stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_briefing_file_passes_the_same_screen_as_a_return(tmp_path, config):
    import zipfile

    from assembler.content.briefings import load_briefings
    from test_readers_builders import rows_workbook

    folder = tmp_path / "inputs" / "briefings"
    folder.mkdir(parents=True)
    filled = _filled_template(tmp_path, config)
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(folder / "entities.docx", "w") as hostile:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":  # an entity declaration hidden in the body
                data = data.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "expanded">]>', 1)
            hostile.writestr(item, data)
    rows_workbook(folder / "figures.docx", [["About", "a workbook saved under a Word name"]])
    (folder / "safe-sleep.docx").write_bytes(filled.read_bytes())

    briefings, problems = load_briefings(tmp_path / "inputs", config.limits)

    assert [b.slug for b in briefings] == ["safe-sleep"]
    by_file = {Path(p.file).name: p for p in problems}
    assert set(by_file) == {"entities.docx", "figures.docx"}
    assert "XML declarations" in by_file["entities.docx"].message
    assert by_file["figures.docx"].message == "This is a .xlsx file, a kind the report does not read."
