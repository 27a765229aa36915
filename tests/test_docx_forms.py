"""Form fields and form controls in a Word return: what the agency ticked, chose or typed is read as Word shows it,
and a box's prompt, never typed over, is not printed as the agency's words."""

from __future__ import annotations

from docx_constructs import NS
from test_docx_pandoc_constructs import ABOUT, ACTIVITY, PRIORITIES, _document, _p, _r, _read, _text


def _legacy_field(instruction: str, ff_data: str, result: str = "") -> str:
    """A Word 97-2003 form field (Developer > Legacy Tools) as Word writes it: its settings in w:ffData."""
    separate = f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result}' if result else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="F1"/><w:enabled/>{ff_data}</w:ffData>'
            f'</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            f'{separate}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _check_box(state: str) -> str:
    return _legacy_field("FORMCHECKBOX", f"<w:checkBox><w:sizeAuto/>{state}</w:checkBox>")


def _return(*paragraphs: str):
    return _document([("heading", 1, ABOUT), *paragraphs, ("heading", 1, ACTIVITY), _p(_r("We ran the clubs.")),
                      ("heading", 1, PRIORITIES), _p(_r("Training for all staff."))])


def test_a_legacy_check_box_prints_as_ticked_or_not(tmp_path):
    # Word draws the box from w:ffData: there is no result text, so a ticked box printed as nothing at all.
    document = _return(
        _p(_check_box('<w:default w:val="0"/><w:checked/>') + _r(" Holiday clubs at Larkhollow")),
        _p(_check_box('<w:default w:val="1"/>') + _r(" Staff trained every year")),
        _p(_check_box('<w:default w:val="1"/><w:checked w:val="0"/>') + _r(" Volunteers in every school")),
    )
    text = _text(_read(document, tmp_path))
    assert "☒ Holiday clubs at Larkhollow" in text
    assert "☒ Staff trained every year" in text
    assert "☐ Volunteers in every school" in text


def test_a_legacy_drop_down_prints_its_chosen_entry(tmp_path):
    choices = ('<w:ddList><w:result w:val="2"/><w:listEntry w:val="Low"/><w:listEntry w:val="Medium"/>'
               '<w:listEntry w:val="Severe and rising"/></w:ddList>')
    document = _return(_p(_r("Risk in the Marlcombe ward: ") + _legacy_field("FORMDROPDOWN", choices)))
    assert "Risk in the Marlcombe ward: Severe and rising" in _text(_read(document, tmp_path))


def test_a_legacy_text_field_prints_what_was_typed_once(tmp_path):
    typed = _r("Gwendolyn Marsh")
    document = _return(_p(_r("Lead officer: ") + _legacy_field("FORMTEXT", "<w:textInput/>", typed)))
    text = _text(_read(document, tmp_path))
    assert "Lead officer: Gwendolyn Marsh" in text and "FORMTEXT" not in text


# --- content controls ---------------------------------------------------------------------------

PROMPT = "Click or tap here to enter text."
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _control(properties: str, content: str) -> str:
    return f"<w:sdt><w:sdtPr>{properties}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def test_a_control_still_showing_its_prompt_is_not_printed_as_the_agency_s_words(tmp_path):
    # A form of the agency's own (not our template) left a box empty: Word shows its grey prompt, and the prompt
    # was printed in the report as if the agency had written it.
    prompt = f'<w:r><w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr><w:t>{PROMPT}</w:t></w:r>'
    document = _return(
        _p(_r("Named lead for Oakbridge: ") + _control("<w:showingPlcHdr/><w:text/>", prompt)),
        _control("<w:showingPlcHdr/>", _p(_r("Choose an item."))).replace("<w:sdt>", f"<w:sdt {NS}>", 1),
        _p(_r("Deputy: ") + _control("<w:text/>", _r("Rowena Ashcombe"))),
    )
    text = _text(_read(document, tmp_path))
    assert "Named lead for Oakbridge:" in text and "Deputy: Rowena Ashcombe" in text
    assert PROMPT not in text and "Choose an item" not in text


def test_check_box_drop_down_and_date_controls_print_what_they_show(tmp_path):
    check_box = ('<w14:checkbox><w14:checked w14:val="1"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                 '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox>')
    glyph = '<w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic"/></w:rPr><w:t>☒</w:t></w:r>'
    choices = '<w:dropDownList><w:listItem w:displayText="Compliant" w:value="1"/></w:dropDownList>'
    date = '<w:date w:fullDate="2024-03-05T00:00:00Z"><w:dateFormat w:val="dd/MM/yyyy"/></w:date>'
    document = _return(
        _p(_control(check_box, glyph) + _r(" Safer recruitment in Thornwick")).replace("<w:p ", f"<w:p {W14} ", 1),
        _p(_r("Section 11 audit: ") + _control(choices, _r("Compliant")) + _r(" on ") + _control(date, _r("05/03/2024"))),
    )
    text = _text(_read(document, tmp_path))
    assert "☒ Safer recruitment in Thornwick" in text
    assert "Section 11 audit: Compliant on 05/03/2024" in text
