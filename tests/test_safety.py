"""The gate in front of every reader: each hostile file is named for what it is and set aside, quickly and cheaply."""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from assembler.config.model import Limits
from assembler.readers.safety import Rejection, check_office_zip, safe_attachment_name, sniff
from assembler.readers.table import parsers_are_safe, reader_for

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
import make_corpus  # noqa: E402  (a script folder, not a package)

SECONDS_PER_FILE = 10
PEAK_PYTHON_MB = 64  # the bombs inflate to 2 GiB; the gate must never hold more than a few chunks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    make_corpus.build_corpus(folder)
    return folder


def check_file(path: Path, limits) -> str:
    """The kind the screen lets through, asked as intake asks it: through the table of readers."""
    return reader_for(path, limits).kind


def _timed_check(path: Path, limits: Limits = Limits()) -> tuple[str | Rejection, float, float]:
    """check_file's answer (kind or Rejection), seconds taken and peak Python memory in MB."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome: str | Rejection = check_file(path, limits)
    except Rejection as rejection:
        outcome = rejection
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return outcome, seconds, peak


@pytest.mark.parametrize("case", make_corpus.CASES, ids=lambda case: case.name)
def test_every_corpus_file_gets_a_verdict_quickly_and_cheaply(corpus: Path, case):
    outcome, seconds, peak = _timed_check(corpus / case.name)

    assert seconds < SECONDS_PER_FILE, f"{case.name} took {seconds:.1f} s"
    assert peak < PEAK_PYTHON_MB, f"{case.name} held {peak:.0f} MB"
    if case.expect == "reject" and not case.screen_kind:
        assert isinstance(outcome, Rejection), f"{case.name} ({case.what}) was let through as {outcome!r}"
        assert any(word in outcome.reason.lower() for word in case.reason_words), outcome.reason
        assert outcome.fix.lower().startswith(case.fix_starts), outcome.fix
    else:  # a good file, or one whose fault only reading finds (an e-mail's attachments)
        assert not isinstance(outcome, Rejection), f"{case.name}: {outcome.reason if isinstance(outcome, Rejection) else ''}"
        assert outcome == (case.screen_kind or Path(case.name).suffix.lstrip("."))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("mfrs-return.docx", "docx"),
        ("macro.docm", "docm"),
        ("macro-disguised.docx", "docm"),  # content wins over the name
        ("macro.xlsm", "xlsm"),
        ("legacy.doc", "doc"),
        ("legacy.xls", "xls"),
        ("pdf-renamed.docx", "pdf"),
        ("empty.docx", "empty"),
        ("hostile-names.eml", "eml"),
        ("plain-zip.docx", "zip"),
        ("truncated.docx", "zip"),
        ("random-bytes.docx", "unknown"),
        ("text-renamed.xlsx", "unknown"),
    ],
)
def test_sniff_reads_content_not_names(corpus: Path, name: str, kind: str):
    assert sniff(corpus / name) == kind


def test_sniff_tells_outlook_messages_and_unnamed_ole_files_apart(corpus: Path, tmp_path: Path):
    ole = (corpus / "legacy.doc").read_bytes()
    (tmp_path / "return.msg").write_bytes(ole)
    (tmp_path / "return.docx").write_bytes(ole)  # what a password-protected .docx looks like
    assert sniff(tmp_path / "return.msg") == "msg"
    assert sniff(tmp_path / "return.docx") == "ole"
    with pytest.raises(Rejection, match="password"):
        check_file(tmp_path / "return.docx", Limits())


def test_the_xlsx_template_kind_is_recognised(tmp_path: Path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "return.xlsx")
    assert check_file(tmp_path / "return.xlsx", Limits()) == "xlsx"


def test_limits_from_report_yaml_are_applied(corpus: Path):
    good = corpus / "mfrs-return.docx"
    assert check_file(good, Limits()) == "docx"
    with pytest.raises(Rejection, match="more than the 0.01 MB"):
        check_file(good, Limits(max_file_mb=0.01))
    with pytest.raises(Rejection, match="expands to more than 0.05 MB"):
        check_file(good, Limits(max_inflated_mb=0.05))
    with pytest.raises(Rejection, match="more than the 5 a return"):
        check_file(good, Limits(max_zip_entries=5))
    with pytest.raises(Rejection, match="seconds"):
        check_file(good, Limits(max_seconds_per_file=1e-9))


def test_xml_declarations_split_across_read_chunks_are_still_found(tmp_path: Path, monkeypatch):
    import assembler.readers.safety as safety

    monkeypatch.setattr(safety, "CHUNK", 7)  # "<!DOCTYPE" can never fit in one chunk
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    (tmp_path / "split.docx").write_bytes(buffer.getvalue())
    with pytest.raises(Rejection, match="XML declarations"):
        check_office_zip(tmp_path / "split.docx", Limits())


def _with_svg(tmp_path: Path, name: str, svg: bytes, declared: bool = True) -> Path:
    source = io.BytesIO()
    make_corpus.valid_return("Cafcass", "cafcass").save(source)
    members = dict(make_corpus._members(source.getvalue()))
    if declared:  # as Word declares the pictures it stores
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"<Default ", b'<Default Extension="svg" ContentType="image/svg+xml"/><Default ', 1)
    (tmp_path / name).write_bytes(make_corpus._rezip(list(members.items()) + [("word/media/image9.svg", svg)]))
    return tmp_path / name


def test_pictures_may_carry_a_doctype(tmp_path: Path):
    # SVG pictures often start with <!DOCTYPE svg ...>; no reader parses them, so they do no harm.
    assert check_file(_with_svg(tmp_path, "svg.docx", b'<!DOCTYPE svg PUBLIC "x" "y"><svg/>'), Limits()) == "docx"


@pytest.mark.parametrize(("svg", "declared"), [
    (b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg>&e;</svg>', True),  # a picture declares no entities
    (b'<!DOCTYPE svg PUBLIC "x" "y"><svg/>', False),  # named like a picture, not declared as one
])
def test_a_picture_is_no_hiding_place_for_declarations(tmp_path: Path, svg: bytes, declared: bool):
    with pytest.raises(Rejection, match="XML declarations"):
        check_file(_with_svg(tmp_path, "svg.docx", svg, declared), Limits())


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../x.docx", "x.docx"),
        ("/etc/passwd.docx", "passwd.docx"),
        ("C:\\evil\\x.docx", "x.docx"),
        ("C:x.docx", "x.docx"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("return\x00.docx", "return.docx"),
        ("line\nbreak\r.docx", "linebreak.docx"),
        ("Return 2023-24 (final).docx", "Return 2023-24 (final).docx"),
        ("Wirral’s return – Łódź.docx", "Wirral’s return – Łódź.docx"),
        ("..", "attachment"),
        ("", "attachment"),
        ("/", "attachment"),
        ("\\\\server\\share\\", "attachment"),
        ("a..b.docx", "ab.docx"),
        ("what?.docx", "what_.docx"),
    ],
)
def test_attachment_names_cannot_leave_the_folder(raw: str, safe: str):
    assert safe_attachment_name(raw) == safe


def test_long_attachment_names_keep_their_extension():
    name = safe_attachment_name("x" * 500 + ".docx")
    assert name.endswith(".docx") and len(name) <= 120


def test_the_parsers_behind_the_readers_never_expand_entities():
    # python-docx: lxml with resolve_entities=False; openpyxl: defusedxml (installed as a dependency).
    import openpyxl

    assert parsers_are_safe()
    assert openpyxl.DEFUSEDXML


def test_run_with_limits_turns_reader_failures_into_rejections():
    from assembler.readers.safety import run_with_limits

    def broken(path):
        raise KeyError("word/document.xml")

    def too_deep():
        return too_deep()

    assert run_with_limits(lambda x: x * 2, 21, seconds=5) == 42
    with pytest.raises(Rejection, match="damaged") as caught:
        run_with_limits(broken, "x.docx", seconds=5)
    assert isinstance(caught.value.__cause__, KeyError)
    with pytest.raises(Rejection, match="nested too deeply"):
        run_with_limits(too_deep, seconds=5)


def test_run_with_limits_stops_a_reader_that_hangs_even_if_it_catches_everything():
    from assembler.readers.safety import run_with_limits

    def stubborn():
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # a careless reader must not swallow the time limit
                pass

    started = time.monotonic()
    with pytest.raises(Rejection, match="more than 0.2 seconds"):
        run_with_limits(stubborn, seconds=0.2)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("chunk", [7, 11, 256 * 1024])
def test_table_depth_and_rows_are_counted_across_read_chunks(tmp_path: Path, monkeypatch, chunk: int):
    import assembler.readers.safety as safety

    monkeypatch.setattr(safety, "CHUNK", chunk)

    def docx_with(table_xml: str, name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(make_corpus._table_document("Cafcass", "cafcass", table_xml))
        return path

    deepest_allowed = docx_with(make_corpus._nested_table_xml(safety.MAX_TABLE_DEPTH), "deep-ok.docx")
    too_deep = docx_with(make_corpus._nested_table_xml(safety.MAX_TABLE_DEPTH + 1), "too-deep.docx")
    assert check_file(deepest_allowed, Limits()) == "docx"
    with pytest.raises(Rejection, match="tables inside tables more than 8 deep"):
        check_file(too_deep, Limits())

    forty_rows = Limits(max_table_rows=40)  # set in report.yaml under limits
    assert check_file(docx_with(make_corpus._enormous_table_xml(40), "rows-ok.docx"), forty_rows) == "docx"
    with pytest.raises(Rejection, match="more than 40 rows"):
        check_file(docx_with(make_corpus._enormous_table_xml(41), "rows-over.docx"), forty_rows)


def _as_zip64(package: bytes) -> bytes:
    """The same archive with ZIP64 end records: the classic end record's fields say 'look in the ZIP64 record'."""
    import struct

    end = len(package) - 22
    _, _, _, _, entries, size, offset, _ = struct.unpack("<4s4H2LH", package[end:])
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    classic = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return package[:end] + record + locator + classic


def test_parts_are_counted_in_zip64_archives_too(tmp_path: Path, corpus: Path):
    from assembler.readers.safety import _count_entries

    good = (corpus / "mfrs-return.docx").read_bytes()
    (tmp_path / "zip64.docx").write_bytes(_as_zip64(good))
    with zipfile.ZipFile(tmp_path / "zip64.docx") as package:  # a well-formed ZIP64 archive
        expected = len(package.infolist())
    assert _count_entries(tmp_path / "zip64.docx") == expected
    assert check_file(tmp_path / "zip64.docx", Limits()) == "docx"
    with pytest.raises(Rejection, match=f"made of {expected:,} internal parts"):
        check_file(tmp_path / "zip64.docx", Limits(max_zip_entries=expected - 1))


def test_a_flood_of_parts_is_counted_without_listing_them(corpus: Path):
    outcome, seconds, peak = _timed_check(corpus / "entry-flood.xlsx")
    assert isinstance(outcome, Rejection) and "65,000 internal parts" in outcome.reason  # not the 1 it claims
    assert seconds < 1 and peak < 16


def test_pipes_and_folders_are_refused_without_being_opened(tmp_path: Path):
    import os

    os.mkfifo(tmp_path / "return.docx")  # opening it for reading would wait for a writer forever
    (tmp_path / "folder.docx").mkdir()
    for name in ("return.docx", "folder.docx"):
        with pytest.raises(Rejection, match="not an ordinary file"):
            check_file(tmp_path / name, Limits())


def test_mailbox_style_e_mails_are_recognised(tmp_path: Path):
    (tmp_path / "saved.eml").write_bytes(
        b"From ppu.wirral@merseyside-police.example Mon Apr 22 10:00:00 2024\n"
        b"From: PPU <ppu.wirral@merseyside-police.example>\nSubject: Return\nDate: Mon, 22 Apr 2024 10:00:00 +0100\n\nHi\n"
    )
    assert check_file(tmp_path / "saved.eml", Limits()) == "eml"
    (tmp_path / "notes.eml").write_bytes(b"Subject of the meeting: returns\nWe agreed to chase them.\n")
    with pytest.raises(Rejection, match="not a Word, Excel or e-mail file"):
        check_file(tmp_path / "notes.eml", Limits())


@pytest.mark.parametrize("chunk", [5, 256 * 1024])
def test_worksheet_cells_are_counted_across_sheets_and_chunks(tmp_path: Path, monkeypatch, chunk: int):
    import assembler.readers.safety as safety

    monkeypatch.setattr(safety, "CHUNK", chunk)
    good = make_corpus._xlsx_bytes()

    def workbook(rows: int, name: str) -> Path:
        path = tmp_path / name
        path.write_bytes(make_corpus._replace(good, {"xl/worksheets/sheet1.xml": make_corpus._sheet_xml(rows, 2)}))
        return path

    assert check_file(workbook(20, "forty.xlsx"), Limits(max_workbook_cells=40)) == "xlsx"
    with pytest.raises(Rejection, match="more than 40 filled cells"):
        check_file(workbook(21, "forty-two.xlsx"), Limits(max_workbook_cells=40))
    # A second sheet counts towards the same total.
    two_sheets = make_corpus._replace(good, {"xl/worksheets/sheet1.xml": make_corpus._sheet_xml(15, 2)},
                                      [("xl/worksheets/sheet2.xml", make_corpus._sheet_xml(6, 2))])
    (tmp_path / "two.xlsx").write_bytes(two_sheets)
    with pytest.raises(Rejection, match="filled cells"):
        check_file(tmp_path / "two.xlsx", Limits(max_workbook_cells=40))


# --- screens that cannot be sidestepped (issue 15) ---------------------------------------------

def _cafcass() -> bytes:
    return make_corpus._docx_bytes(make_corpus.valid_return("Cafcass", "cafcass"))


def test_the_reader_refuses_a_doctype_in_any_part_even_one_the_screen_never_saw(tmp_path: Path):
    # An external DTD leaves '&agency;' unresolved, and the words after it would silently vanish.
    from assembler.readers.docx_package import WordPackage

    good = _cafcass()
    body = make_corpus._with_body(good, "<w:p><w:r><w:t>&agency; wrote these words after it.</w:t></w:r></w:p>",
                                  '<?xml version="1.0"?>\n<!DOCTYPE w:document SYSTEM "return.dtd">\n')
    (tmp_path / "dtd.docx").write_bytes(make_corpus.renamed_main(good, "word/main.xml", body))
    with pytest.raises(Rejection, match="XML declarations"):
        check_file(tmp_path / "dtd.docx", Limits())
    with pytest.raises(Rejection, match="XML declarations or an unusual encoding .*word/main.xml"):
        WordPackage(tmp_path / "dtd.docx")


def test_a_renamed_main_part_is_found_through_the_package_relationships(tmp_path: Path):
    from assembler.readers.docx_return import read_docx
    from assembler.schema import plain_text

    (tmp_path / "renamed.docx").write_bytes(make_corpus.renamed_main(_cafcass(), "word/return-body.xml"))
    assert check_file(tmp_path / "renamed.docx", Limits()) == "docx"
    content = read_docx(tmp_path / "renamed.docx", tmp_path / "img")
    assert plain_text(content.sections["about"]).startswith("Cafcass worked with")


def test_part_names_are_compared_without_regard_to_case(tmp_path: Path):
    from assembler.readers.docx_return import read_docx
    from assembler.schema import plain_text

    # As Word does: the relationship names 'word/document.xml', the package holds 'Word/Document.XML'.
    members = [("Word/Document.XML" if name == "word/document.xml" else name, data)
               for name, data in make_corpus._members(_cafcass())]
    (tmp_path / "capitals.docx").write_bytes(make_corpus._rezip(members))
    assert check_file(tmp_path / "capitals.docx", Limits()) == "docx"
    assert plain_text(read_docx(tmp_path / "capitals.docx", tmp_path / "img").sections["about"]).startswith("Cafcass")
    # Two parts whose names differ only in case: which one is read would depend on the program.
    (tmp_path / "twins.docx").write_bytes(make_corpus._rezip(members + [("word/document.xml", b"<x/>")]))
    with pytest.raises(Rejection, match="differ only in capital letters"):
        check_file(tmp_path / "twins.docx", Limits())


def test_the_kind_is_the_main_parts_not_any_parts(tmp_path: Path):
    from openpyxl import Workbook

    # A workbook holding an embedded Word document, as Excel stores an inserted object: still a workbook.
    buffer = io.BytesIO()
    Workbook().save(buffer)
    members = dict(make_corpus._members(buffer.getvalue()))
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"<Default ", b'<Default Extension="docx" ContentType="application/vnd.openxmlformats-officedocument.'
                      b'wordprocessingml.document"/><Default ', 1)
    members["xl/embeddings/Microsoft_Word_Document.docx"] = _cafcass()
    (tmp_path / "figures.docx").write_bytes(make_corpus._rezip(list(members.items())))
    assert sniff(tmp_path / "figures.docx") == "xlsx"
    assert check_file(tmp_path / "figures.docx", Limits()) == "xlsx"


@pytest.mark.parametrize("chunk", [7, 64, 4096])
def test_table_tags_with_long_prefixes_are_counted_across_read_chunks(tmp_path: Path, monkeypatch, chunk: int):
    import assembler.readers.safety as safety

    monkeypatch.setattr(safety, "CHUNK", chunk)
    prefix = "p" * 300  # longer than any fixed look-back
    nested = make_corpus._prefixed_nested_tables(9).replace("x:", f"{prefix}:").replace(f"xmlns:{prefix}", f"xmlns:{prefix}")
    good = _cafcass()
    (tmp_path / "deep.docx").write_bytes(make_corpus._replace(good, {"word/document.xml": make_corpus._with_body(good, nested)}))
    with pytest.raises(Rejection, match="tables inside tables"):
        check_file(tmp_path / "deep.docx", Limits())


def test_worksheet_cells_are_counted_whatever_the_sheets_name_and_prefix(tmp_path: Path):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    members = make_corpus._members(buffer.getvalue())
    sheet = make_corpus._sheet_xml(20, 3).replace(b"<row", b"<s:row").replace(b"</row", b"</s:row") \
        .replace(b"<c ", b"<s:c ").replace(b"</c>", b"</s:c>").replace(b"<v>", b"<s:v>").replace(b"</v>", b"</s:v>") \
        .replace(b"<worksheet xmlns=", b"<worksheet xmlns:s=")
    renamed = []
    for name, data in members:
        if name == "xl/worksheets/sheet1.xml":
            name, data = "xl/data/figures.xml", sheet
        elif name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"worksheets/sheet1.xml", b"data/figures.xml")
        elif name == "[Content_Types].xml":
            data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/data/figures.xml")
        renamed.append((name, data))
    (tmp_path / "cells.xlsx").write_bytes(make_corpus._rezip(renamed))
    assert check_file(tmp_path / "cells.xlsx", Limits(max_workbook_cells=60)) == "xlsx"
    with pytest.raises(Rejection, match="more than 59 filled cells"):
        check_file(tmp_path / "cells.xlsx", Limits(max_workbook_cells=59))


def test_an_element_name_thousands_of_characters_long_is_refused(tmp_path: Path, monkeypatch):
    # Held back whole while it spans read chunks, a name may not grow without end.
    import assembler.readers.safety as safety

    monkeypatch.setattr(safety, "CHUNK", 1024)
    good = _cafcass()
    name = "q" * 5000
    body = make_corpus._with_body(good, f'<{name}:p xmlns:{name}="urn:x"/>')
    (tmp_path / "long-name.docx").write_bytes(make_corpus._replace(good, {"word/document.xml": body}))
    outcome, seconds, _ = _timed_check(tmp_path / "long-name.docx")
    assert isinstance(outcome, Rejection) and "thousands of characters" in outcome.reason and seconds < 2


def test_links_are_refused_without_being_followed(tmp_path: Path):
    import os

    os.mkfifo(tmp_path / "pipe")  # followed and opened, it would wait for ever
    os.symlink(tmp_path / "pipe", tmp_path / "return.docx")
    os.symlink(tmp_path, tmp_path / "folder.docx")
    os.symlink(tmp_path / "nowhere.docx", tmp_path / "dangling.docx")
    for name in ("return.docx", "folder.docx", "dangling.docx"):
        outcome, seconds, _ = _timed_check(tmp_path / name)
        assert isinstance(outcome, Rejection) and "link" in outcome.reason and seconds < 1, name
        assert "copy the real file" in outcome.fix


def test_memory_budget_holds_in_a_reading_worker_and_never_in_the_officers_process():
    import multiprocessing
    import resource

    from assembler.readers.safety import run_with_limits

    before = resource.getrlimit(resource.RLIMIT_AS)
    with multiprocessing.get_context("fork").Pool(1) as pool:
        outcome = pool.apply(_greedy_in_worker)
    assert outcome.startswith("rejected: The file needs more memory to read than a return may take (100 MB)"), outcome
    # In the main process the budget is not applied (it would bind everything else running there).
    assert run_with_limits(lambda: resource.getrlimit(resource.RLIMIT_AS), seconds=5, memory_mb=100) == before
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def _greedy_in_worker() -> str:
    import resource

    from assembler.readers.safety import run_with_limits

    before = resource.getrlimit(resource.RLIMIT_AS)

    def greedy():
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        assert soft != resource.RLIM_INFINITY, "no budget was set"
        bytearray(soft)  # all of it at once: fails at once under the budget, never touches the memory

    try:
        run_with_limits(greedy, seconds=5, memory_mb=100)
        return "read"
    except Rejection as rejection:
        assert resource.getrlimit(resource.RLIMIT_AS) == before, "the budget outlived the file"
        return f"rejected: {rejection.reason}"


def test_a_part_in_a_latin_encoding_is_screened_and_read(tmp_path: Path):
    # Some programs other than Word write ISO-8859-1: the screen's patterns see through it, so it is read.
    from assembler.readers.docx_return import read_docx
    from assembler.schema import plain_text

    good = _cafcass()
    body = make_corpus._with_body(good, "", '<?xml version="1.0" encoding="ISO-8859-1"?>\n')
    body = body.decode("utf-8").replace("Cafcass worked with", "Cafcass café worked with", 1).encode("latin-1")
    (tmp_path / "latin.docx").write_bytes(make_corpus._replace(good, {"word/document.xml": body}))
    assert check_file(tmp_path / "latin.docx", Limits()) == "docx"
    assert plain_text(read_docx(tmp_path / "latin.docx", tmp_path / "img").sections["about"]).startswith("Cafcass café worked")


def _ole_with_stream(stream: str) -> bytes:
    """A minimal compound file (the container of .msg, .doc, .xls) holding one empty stream named `stream`:
    a header, one FAT sector and one directory sector, written by hand (no Python library writes them)."""
    import struct

    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6,
                         bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108  # the FAT is sector 0
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, child: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, no_stream, no_stream, child,
                           bytes(16), 0, 0, 0, end, 0)

    directory = entry("Root Entry", 5, 1) + entry(stream, 2, no_stream) + bytes(128) * 2
    return header + fat + directory


@pytest.mark.parametrize(("stream", "kind"), [("__properties_version1.0", "msg"), ("WordDocument", "doc"),
                                              ("Workbook", "xls"), ("EncryptedPackage", "ole")])
def test_an_office_file_with_no_telling_name_is_known_by_its_streams(tmp_path: Path, stream: str, kind: str):
    (tmp_path / "ATT00002").write_bytes(_ole_with_stream(stream))
    assert sniff(tmp_path / "ATT00002") == kind
    (tmp_path / "return.msg").write_bytes(_ole_with_stream("WordDocument"))
    assert sniff(tmp_path / "return.msg") == "msg"  # a name that says what it is is believed (Outlook's own .msg)


def test_an_old_word_file_sent_without_extension_is_named_for_what_it_is(tmp_path: Path):
    (tmp_path / "ATT00001").write_bytes(_ole_with_stream("WordDocument"))
    with pytest.raises(Rejection, match=r"old-style \(\.doc\)") as raised:
        check_file(tmp_path / "ATT00001", Limits())
    assert "Word Document (.docx)" in raised.value.fix


def test_a_winmail_dat_and_a_zipped_return_are_named_with_a_fix_that_fits(tmp_path: Path):
    """Saving the file again from Word fixes neither: Outlook's format, or unzipping, does."""
    (tmp_path / "winmail.dat").write_bytes(b"\x78\x9f\x3e\x22" + b"\x01\x06\x90\x08\x00" + b"\0" * 200)
    with pytest.raises(Rejection) as caught:
        check_file(tmp_path / "winmail.dat", Limits())
    assert "Outlook's winmail.dat" in caught.value.reason and "HTML or plain text" in caught.value.fix
    with zipfile.ZipFile(tmp_path / "returns.zip", "w") as archive:
        archive.writestr("YMCA return.docx", b"PK not opened here")
    with pytest.raises(Rejection) as caught:
        check_file(tmp_path / "returns.zip", Limits())
    assert "compressed (.zip) folder" in caught.value.reason and "unzip it and save the return" in caught.value.fix
