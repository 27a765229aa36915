"""Charts made in Word (Insert > Chart, or pasted from Excel as a chart): their figures reach the report.

Word keeps such a chart as a drawing that names a chart part; the figures last shown are cached in that part.
Each test builds the chart as Word writes it, with figures of its own, and looks for them in what was read.
"""

from __future__ import annotations

from assembler.readers.docx_charts import _shown
from docx_constructs import _add_part
from test_docx_pandoc_constructs import ACTIVITY, _document, _p, _r, _read, _text

CHART_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CHART_REL = "chart"
C_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def _str_cache(ref: str, values: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    return f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(values)}\"/>{points}</c:strCache></c:strRef>"


def _num_cache(ref: str, values: list[str], number_format: str = "General") -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    return (f"<c:numRef><c:f>{ref}</c:f><c:numCache><c:formatCode>{number_format}</c:formatCode>"
            f"<c:ptCount val=\"{len(values)}\"/>{points}</c:numCache></c:numRef>")


def _chart_part(title: str | None, series: list[tuple[str, str]], categories: str, kind: str = "barChart") -> bytes:
    """A chart part as Word 2016 writes it: the title as rich text, each series' name, categories and values cached."""
    title_xml = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>'
                 '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>') if title else '<c:autoTitleDeleted val="1"/>'
    sers = "".join(f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx>{name}</c:tx><c:cat>{categories}</c:cat>'
                   f'<c:val>{values}</c:val></c:ser>' for i, (name, values) in enumerate(series))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace {C_NS}><c:date1904 val="0"/>'
            f'<c:roundedCorners val="0"/><c:chart>{title_xml}<c:plotArea><c:layout/><c:{kind}><c:barDir val="col"/>'
            f'<c:grouping val="clustered"/><c:varyColors val="0"/>{sers}<c:axId val="1"/><c:axId val="2"/></c:{kind}>'
            '</c:plotArea><c:plotVisOnly val="1"/></c:chart></c:chartSpace>').encode()


def _chart_drawing(rel_id: str) -> str:
    return _p(_r("Our referrals this year:") + (
        '<w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="3" name="Chart 3"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="{rel_id}"/>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))


def test_a_chart_made_in_word_is_read_as_its_figures_and_noted(tmp_path):
    """Insert > Chart: the drawing names a chart part, whose cached figures were left out of the report unsaid."""
    months = _num_cache("Sheet1!$A$2:$A$4", ["45383", "45413", "45444"], "mmm\\-yy")
    series = [(_str_cache("Sheet1!$B$1", ["Referrals"]), _num_cache("Sheet1!$B$2:$B$4", ["1204", "987", "1310"], "#,##0")),
              (_str_cache("Sheet1!$C$1", ["Seen within 24 hours"]), _num_cache("Sheet1!$C$2:$C$4", ["0.91", "0.875", "0.93"], "0%"))]
    document = _document([("heading", 1, ACTIVITY), _p(_r("We saw more families than ever."))])
    rel_id = _add_part(document, "/word/charts/chart1.xml", CHART_TYPE, CHART_REL,
                       _chart_part("Referrals to the Brackenfold hub", series, months))
    document.element.body[-1].addprevious(_parse(_chart_drawing(rel_id)))
    content = _read(document, tmp_path)

    text = _text(content)
    assert "Chart: Referrals to the Brackenfold hub" in text
    assert "April 2024: Referrals 1,204, Seen within 24 hours 91%" in text
    assert "June 2024: Referrals 1,310, Seen within 24 hours 93%" in text
    [note] = [n for n in content.notes if n.code == "chart_printed_as_figures"]
    assert note.message == ("1 chart ('Referrals to the Brackenfold hub') made in Word was printed as its figures, a line "
                            "per category: the report cannot draw the agency's own chart")


def test_a_chart_with_one_unnamed_series_and_no_title_still_prints_every_figure(tmp_path):
    categories = _str_cache("Sheet1!$A$2:$A$3", ["Emotional abuse", "Neglect"])
    document = _document([("heading", 1, ACTIVITY)])
    rel_id = _add_part(document, "/word/charts/chart1.xml", CHART_TYPE, CHART_REL,
                       _chart_part(None, [("", _num_cache("Sheet1!$B$2:$B$3", ["37", "112"]))], categories, "pieChart"))
    document.element.body[-1].addprevious(_parse(_chart_drawing(rel_id)))
    text = _text(_read(document, tmp_path))
    assert "Chart\nEmotional abuse: 37\nNeglect: 112" in text


def test_a_chart_whose_part_is_missing_is_reported_not_dropped(tmp_path):
    document = _document([("heading", 1, ACTIVITY), _chart_drawing("rId99")])  # rId99 names no part: a damaged file
    content = _read(document, tmp_path)
    [note] = [n for n in content.notes if n.code == "chart_not_read"]
    assert note.message.startswith("1 chart made in Word was not read: it holds no figures or picture")


def test_a_newer_chart_type_is_printed_from_word_s_own_picture_of_it(tmp_path):
    """A Waterfall or Histogram chart (cx:chart) has no figures Word keeps readably, but a picture beside it in the
    file's fallback: that was dropped with the chart, and is now the chart in the report."""
    from test_readers_builders import png_bytes

    document = _document([("heading", 1, ACTIVITY)])
    image_id = _add_part(document, "/word/media/image9.png", "image/png", "image", png_bytes())
    chartex = (
        '<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        '<mc:Choice xmlns:cx1="http://schemas.microsoft.com/office/drawing/2015/9/8/chartex" Requires="cx1">'
        '<w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/><wp:docPr id="4" name="Chart 4"/><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/drawing/2014/chartex">'
        '<cx:chart xmlns:cx="http://schemas.microsoft.com/office/drawing/2014/chartex" r:id="rId77"/>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback>'
        '<w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/>'
        '<wp:docPr id="4" name="Chart 4" descr="Waterfall chart of the hub\'s budget, 2023-24"/><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        '<pic:nvPicPr><pic:cNvPr id="4" name="Chart 4"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{image_id}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
        '</wp:inline></w:drawing></mc:Fallback></mc:AlternateContent></w:r>')
    document.element.body[-1].addprevious(_parse(_p(chartex)))
    content = _read(document, tmp_path)
    images = [b for b in content.sections["activity"] if b.kind == "image"]
    assert [i.alt for i in images] == ["Waterfall chart of the hub’s budget, 2023-24"]  # typeset by the firewall
    assert not [n for n in content.notes if n.code.startswith("chart_")]


def test_figures_are_shown_as_the_chart_s_number_format_shows_them():
    assert [_shown(t, f) for t, f in [("0.35", "0%"), ("0.125", "0.0%"), ("1204", "#,##0"), ("12.5", "General"),
                                      ("45383", "mmm\\-yy"), ("45383", "d/m/yyyy"), ("n/a", "0")]] == [
        "35%", "12.5%", "1,204", "12.5", "April 2024", "1 April 2024", "n/a"]
    # General shows ten significant digits at most, as Excel does: a worked-out average is not printed to 17.
    assert [_shown(t, "General") for t in ("91.666666666666671", "1204", "-3", "0.1")] == ["91.66666667", "1204", "-3", "0.1"]


def _parse(xml: str):
    from docx.oxml import parse_xml

    return parse_xml(xml)



def _lines(series: list[tuple[str, str]], categories: str, kind: str = "barChart") -> list[str]:
    from lxml import etree

    from assembler.readers.docx_charts import chart_lines

    return chart_lines(etree.fromstring(_chart_part("Cases", series, categories, kind)))


def test_two_categories_with_the_same_label_keep_a_line_each_with_their_own_figures():
    """The lines were keyed by label: both 'Other' categories were merged into one line ('Other: A 1, A 3, B 4, B 6')."""
    categories = _str_cache("Sheet1!$A$2:$A$4", ["Other", "Neglect", "Other"])
    series = [(_str_cache("Sheet1!$B$1", ["Boys"]), _num_cache("Sheet1!$B$2:$B$4", ["1", "2", "3"])),
              (_str_cache("Sheet1!$C$1", ["Girls"]), _num_cache("Sheet1!$C$2:$C$4", ["4", "5", "6"]))]
    assert _lines(series, categories) == ["Chart: Cases", "Other: Boys 1, Girls 4", "Neglect: Boys 2, Girls 5",
                                          "Other: Boys 3, Girls 6"]


def test_a_series_without_categories_of_its_own_lines_up_with_the_chart_s_categories():
    """Excel draws every series against the chart's categories; one that names none got lines '1:', '2:' of its own."""
    categories = _str_cache("Sheet1!$A$2:$A$3", ["April", "May"])
    chart = _chart_part("Cases", [(_str_cache("Sheet1!$B$1", ["Boys"]), _num_cache("Sheet1!$B$2:$B$3", ["1", "2"])),
                                  (_str_cache("Sheet1!$C$1", ["Girls"]), _num_cache("Sheet1!$C$2:$C$3", ["4", "5"]))],
                        categories)
    first, rest = chart.split(b"</c:ser>", 1)
    rest = rest.replace(b"<c:cat>" + categories.encode() + b"</c:cat>", b"")  # the second series names none
    from lxml import etree

    from assembler.readers.docx_charts import chart_lines

    assert chart_lines(etree.fromstring(first + b"</c:ser>" + rest)) == ["Chart: Cases", "April: Boys 1, Girls 4",
                                                                         "May: Boys 2, Girls 5"]


def test_multi_level_categories_name_their_group_on_every_line():
    """'Q2' of 2023 and 'Q2' of 2024 were one line, 'Q2: 2, 4'."""
    years_and_quarters = (
        '<c:multiLvlStrRef><c:f>Sheet1!$A$2:$B$5</c:f><c:multiLvlStrCache><c:ptCount val="4"/>'
        '<c:lvl><c:pt idx="0"><c:v>Q1</c:v></c:pt><c:pt idx="1"><c:v>Q2</c:v></c:pt><c:pt idx="2"><c:v>Q1</c:v></c:pt>'
        '<c:pt idx="3"><c:v>Q2</c:v></c:pt></c:lvl><c:lvl><c:pt idx="0"><c:v>2023</c:v></c:pt>'
        '<c:pt idx="2"><c:v>2024</c:v></c:pt></c:lvl></c:multiLvlStrCache></c:multiLvlStrRef>')
    series = [(_str_cache("Sheet1!$C$1", ["Referrals"]), _num_cache("Sheet1!$C$2:$C$5", ["1", "2", "3", "4"]))]
    assert _lines(series, years_and_quarters) == ["Chart: Cases", "2023 Q1: 1", "2023 Q2: 2", "2024 Q1: 3", "2024 Q2: 4"]


def test_a_scatter_chart_s_points_are_lined_up_by_their_x_value():
    xs = _num_cache("Sheet1!$A$2:$A$3", ["10", "20"])
    chart = _chart_part("Cases", [(_str_cache("Sheet1!$B$1", ["Boys"]), _num_cache("Sheet1!$B$2:$B$3", ["1", "2"]))],
                        xs, "scatterChart").replace(b"<c:cat>", b"<c:xVal>").replace(b"</c:cat>", b"</c:xVal>")
    chart = chart.replace(b"<c:val>", b"<c:yVal>").replace(b"</c:val>", b"</c:yVal>")
    from lxml import etree

    from assembler.readers.docx_charts import chart_lines

    assert chart_lines(etree.fromstring(chart)) == ["Chart: Cases", "10: 1", "20: 2"]


def test_a_spreadsheet_error_in_a_chart_s_figures_prints_not_available():
    categories = _str_cache("Sheet1!$A$2:$A$3", ["April", "May"])
    series = [(_str_cache("Sheet1!$B$1", ["Seen"]), _num_cache("Sheet1!$B$2:$B$3", ["0.91", "#N/A"], "0%"))]
    assert _lines(series, categories) == ["Chart: Cases", "April: 91%", "May: not available"]



def test_a_damaged_chart_part_is_reported_not_read_and_the_return_still_read(tmp_path):
    """The chart part was parsed unguarded: a part cut short made the whole return unreadable."""
    document = _document([("heading", 1, ACTIVITY), _p(_r("We saw more families than ever."))])
    rel_id = _add_part(document, "/word/charts/chart1.xml", CHART_TYPE, CHART_REL,
                       _chart_part("Cases", [], "")[:120])
    document.element.body[-1].addprevious(_parse(_chart_drawing(rel_id)))
    content = _read(document, tmp_path)
    assert "We saw more families than ever." in _text(content)
    assert [n.code for n in content.notes if n.code.startswith("chart_")] == ["chart_not_read"]


def test_a_number_format_s_words_and_currency_are_shown_and_never_taken_for_a_date():
    """'0 \"days\"' was read as a date format by the 'y' in 'days' (14 printed '13 January 1900'), '[Red]' by its
    'd' (50% printed '30 December 1899'); a currency sign or words in the format were dropped ('£1,204' printed
    '1,204')."""
    assert [_shown(t, f) for t, f in [
        ("14", '0 "days"'), ("14", '#,##0" young people"'), ("0.5", "[Red]0.0%"), ("1204", '"£"#,##0'),
        ("1204", "[$£-809]#,##0"), ("1204", "€#,##0"), ("1204", "\\£#,##0"), ("-5", "#,##0;(#,##0)"),
        ("-5", "#,##0"), ("45383", "[$-de-DE]mmm yy"), ("1204000", '#,##0,"k"'), ("12040", "0.00E+00"),
        ("0.25", "# ?/?"), ("0.3", "0%_)")]] == [
        "14 days", "14 young people", "50.0%", "£1,204", "£1,204", "€1,204", "£1,204", "(5)", "-5", "April 2024",
        "1,204k", "1.20E+04", "0.25", "30%"]


def test_a_figure_is_rounded_as_excel_rounds_it_and_optional_decimals_are_kept():
    """Python rounds a half to even ('2.5' with '#,##0' printed '2', 91.25% with '0.0%' printed '91.2%'), and '0.#'
    was read as no decimals at all (2.5 printed '2')."""
    assert [_shown(t, f) for t, f in [("2.5", "#,##0"), ("0.9125", "0.0%"), ("2.5", "0.#"), ("2", "0.#"),
                                      ("1234.5", "#,##0.0#"), ("1234.567", "#,##0.0#")]] == [
        "3", "91.3%", "2.5", "2", "1,234.5", "1,234.57"]


def _chart_in_a_table(title: str, row_properties: str = ""):
    """A return whose table has a row 'Shown' and a row holding a chart (with `row_properties`)."""
    categories = _str_cache("Sheet1!$A$2:$A$3", ["April", "May"])
    document = _document([("heading", 1, ACTIVITY), _p(_r("We saw more families than ever."))])
    rel_id = _add_part(document, "/word/charts/chart1.xml", CHART_TYPE, CHART_REL,
                       _chart_part(title, [("", _num_cache("Sheet1!$B$2:$B$3", ["37", "112"]))], categories))
    table = ('<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:tblPr/><w:tblGrid>'
             '<w:gridCol/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>Shown</w:t></w:r></w:p></w:tc></w:tr>'
             f'<w:tr>{row_properties}<w:tc>{_chart_drawing(rel_id)}</w:tc></w:tr></w:tbl>')
    document.element.body[-1].addprevious(_parse(table))
    return document


def test_a_chart_in_a_hidden_table_row_is_hidden_with_it_not_said_to_be_printed(tmp_path):
    """A hidden row is never read, but the chart in it was counted as 'printed as its figures'."""
    content = _read(_chart_in_a_table("Secret", "<w:trPr><w:hidden/></w:trPr>"), tmp_path)
    assert "April" not in _text(content) and "Shown" in _text(content)
    assert not [n for n in content.notes if n.code.startswith("chart_")]


def test_a_chart_in_a_table_cell_is_noted_once(tmp_path):
    """A table is read more than once; each reading counted its chart again ('3 charts' for one)."""
    content = _read(_chart_in_a_table("Visits"), tmp_path)
    assert "April: 37" in _text(content)
    [note] = [n for n in content.notes if n.code.startswith("chart_")]
    assert note.message.startswith("1 chart ('Visits') made in Word was printed")
