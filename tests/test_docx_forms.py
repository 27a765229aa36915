"""Form fields and form controls in a Word return: what the agency ticked, chose or typed is read as Word shows it,
and a box's prompt, never typed over, is not printed as the agency's words."""

from __future__ import annotations

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
