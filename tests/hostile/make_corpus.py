"""Generate the hostile-returns corpus (issue 6): broken, huge and malicious files beside two good returns.

Nothing here is committed as a binary: the corpus is rebuilt into a temporary
folder by the tests (`build_corpus(folder)`) or by hand:

    python3 tests/hostile/make_corpus.py /tmp/hostile

Every file is deterministic (seeded bytes, fixed dates) so a failure reproduces.
`CASES` says what the gate should conclude about each file.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from docx import Document
from docx.oxml import parse_xml
from openpyxl import Workbook

PERIOD = "2023-24"
SECTION_HEADINGS = (
    "About our agency and what we do",
    "2023 activity and what we would like to celebrate",
    "Planned safeguarding priorities for 2024",
)
FIXED_ZIP_TIME = (2024, 4, 1, 9, 0, 0)


@dataclass(frozen=True)
class Case:
    name: str  # file name inside the corpus folder
    expect: Literal["reject", "accept", "either"]
    reason_words: tuple[str, ...] = ()  # words (any of them, case-insensitive) the rejection reason must contain
    what: str = ""
    screen_kind: str = ""  # what the screen lets it through as, when not its extension (or when reading rejects it)
    fix_starts: tuple[str, ...] = ("ask the agency", "ask them")  # the fix is the agency's, unless it is the officer's


CASES: tuple[Case, ...] = (
    Case("truncated.docx", "reject", ("damaged", "incomplete"), "a good .docx cut in half"),
    Case("truncated.xlsx", "reject", ("damaged", "incomplete"), "a good .xlsx cut short"),
    Case("corrupt-crc.docx", "reject", ("damaged", "incomplete"), "a .docx with one compressed byte flipped"),
    Case("random-bytes.docx", "reject", ("not a word",), "random bytes named .docx"),
    Case("text-renamed.xlsx", "reject", ("not a word",), "a text file named .xlsx"),
    Case("rich-text.doc", "reject", ("rich text",), "an RTF file named .doc, as old systems save them"),
    Case("opendocument.docx", "reject", ("opendocument",), "a LibreOffice text document renamed .docx"),
    Case("pdf-renamed.docx", "reject", ("pdf",), "a PDF renamed .docx"),
    Case("plain-zip.docx", "reject", ("compressed (.zip) folder",), "an ordinary zip archive named .docx"),
    Case("zip-bomb.docx", "reject", ("zip bomb", "expands"), "2 GiB of zeros in a 2 MB .docx, sizes declared truthfully"),
    Case("zip-bomb-lying.docx", "reject", ("damaged", "zip bomb", "expands"), "the same bomb with a header claiming 1 kB"),
    Case("ratio-bomb.docx", "reject", ("zip bomb", "absurd"), "48 MB of zeros packed 1000:1, under the size limit"),
    Case("too-many-parts.xlsx", "reject", ("parts",), "a .xlsx with 3,000 members"),
    Case("entry-flood.xlsx", "reject", ("parts",), "65,000 empty members, the archive's count claiming 1"),
    Case("duplicate-member.docx", "reject", ("same name",), "two word/document.xml parts: programs disagree on which is real"),
    Case("escaping-member.docx", "reject", ("outside",), "a .docx with a member named ../../evil.xml"),
    Case("xxe.docx", "reject", ("xml declarations",), "document.xml with DOCTYPE SYSTEM file:///etc/passwd"),
    Case("xxe-utf16.docx", "reject", ("xml declarations",), "the XXE attack encoded as UTF-16"),
    Case("billion-laughs.xlsx", "reject", ("xml declarations",), "sharedStrings.xml with nested entity expansion"),
    Case("macro.docm", "reject", ("macros",), "a .docm with vbaProject.bin and the macro-enabled content type"),
    Case("macro-disguised.docx", "reject", ("macros",), "a macro-enabled document renamed .docx"),
    Case("macro.xlsm", "reject", ("macros",), "a macro-enabled workbook"),
    Case("legacy.doc", "reject", ("old-style",), "an OLE2 (Word 97-2003) file"),
    Case("legacy.xls", "reject", ("old-style",), "an OLE2 (Excel 97-2003) file"),
    Case("empty.docx", "reject", ("empty",), "0 bytes"),
    Case("huge.docx", "reject", ("mb",), "a 600 MB sparse file (costs no disk)"),
    Case("hostile-names.eml", "either", (), "an e-mail whose attachment names try to escape the folder"),
    Case("nested-tables.docx", "reject", ("tables inside tables",), "a return with tables nested 50 deep"),
    Case("enormous-table.docx", "reject", ("rows",), "a return with a 20,000-row table"),
    Case("enormous-sheet.xlsx", "reject", ("cells",), "a workbook with 150,000 filled cells"),
    Case("long-table.docx", "accept", (), "a return with a 300-row table: long, but a return's business"),
    Case("mfrs-return.docx", "accept", (), "a good return from Merseyside Fire & Rescue Service"),
    Case("cafcass-return.docx", "accept", (), "a good return from Cafcass"),
    # Issue 15: screens that cannot be sidestepped by renaming, prefixes, case or links.
    Case("renamed-main-xxe.docx", "reject", ("xml declarations",), "the main part renamed word/main.xml, with XXE"),
    Case("renamed-main-entity.docx", "reject", ("xml declarations",),
         "a renamed main part with an internal entity: the text after '&agency;' would be lost"),
    Case("main-named-as-picture.docx", "reject", ("xml declarations",), "the main part named word/media/image1.png, with XXE"),
    Case("renamed-main-nested.docx", "reject", ("tables inside tables",), "a renamed main part with tables 50 deep"),
    Case("renamed-main-rows.docx", "reject", ("rows",), "a renamed main part with a 20,000-row table"),
    Case("prefixed-tables.docx", "reject", ("tables inside tables",), "tables 50 deep written with the prefix 'x:'"),
    Case("case-twins.docx", "reject", ("capital letters",), "word/document.xml and Word/Document.xml, different text"),
    Case("odd-encoding.docx", "reject", ("encoding",), "the main part declared as UTF-7, which hides declarations"),
    Case("utf16-nested.docx", "reject", ("tables inside tables",), "tables 50 deep in a main part written in UTF-16"),
    Case("shortcut.docx", "reject", ("link",), "a symbolic link to another agency's file outside returns/",
         fix_starts=("put the return itself",)),
    Case("pipe.docx", "reject", ("pipe",), "a FIFO: opening it would wait forever", fix_starts=("remove it",)),
    Case("too-deep.eml", "reject", ("deep",), "e-mails forwarded inside e-mails four deep", screen_kind="eml"),
    # Issue 15: good returns recognised by their content, not their name.
    Case("renamed-main.docx", "accept", (), "a good return whose main part is word/main.xml (from WUTH)"),
    Case("workbook-named.docx", "accept", (), "a good workbook named .docx", screen_kind="xlsx"),
    Case("ATT00001", "accept", (), "a good return with no extension, as Outlook names attachments (Education)",
         screen_kind="docx"),
    Case("forwarded-return.eml", "accept", (), "a return forwarded as an attachment (message/rfc822) by the officer"),
    Case("unknown-charset.eml", "accept", (), "an e-mail whose body is in an unknown charset, its return attached"),
)

HOSTILE_ATTACHMENT_NAMES = ("../../x.docx", "/etc/passwd.docx", "C:\\evil\\x.docx")


# ---------------------------------------------------------------- good returns


def valid_return(agency_name: str, agency_id: str, *, words: int = 120) -> Document:
    """A return written the way an agency might: title with the agency's name, three Heading 2 sections."""
    rng = random.Random(agency_id)
    document = Document()
    document.core_properties.title = f"{agency_name} annual return {PERIOD}"
    document.core_properties.identifier = f"assembler-return;agency={agency_id};period={PERIOD};version=1"
    document.add_heading(f"{agency_name}: annual safeguarding return {PERIOD}", level=1)
    for heading in SECTION_HEADINGS:
        document.add_heading(heading, level=2)
        document.add_paragraph(_prose(rng, words, agency_name))
        document.add_paragraph(_prose(rng, words // 2, agency_name))
    return document


_VOCABULARY = (
    "children families partners safeguarding training audit early help referrals practitioners "
    "young people schools community neglect exploitation learning review board assurance multi-agency "
    "domestic abuse missing episodes health police fire prevention visits outcomes voice"
).split()


def _prose(rng: random.Random, words: int, agency_name: str) -> str:
    chosen = [rng.choice(_VOCABULARY) for _ in range(words)]
    sentences = [" ".join(chosen[i : i + 12]).capitalize() + "." for i in range(0, words, 12)]
    return f"{agency_name} worked with " + " ".join(sentences)


def _docx_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Return"
    for row in range(1, 40):
        sheet.append([f"Indicator {row}", row * 3, "%", PERIOD, "note"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- zip helpers


def _members(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return [(info.filename, source.read(info)) for info in source.infolist()]


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _replace(package: bytes, replacements: dict[str, bytes], extra: list[tuple[str, bytes]] = ()) -> bytes:
    members = [(name, replacements.get(name, data)) for name, data in _members(package)]
    return _rezip(members + list(extra))


# ---------------------------------------------------------------- zip bomb

BOMB_CHUNK = 16 * 1024 * 1024
BOMB_CHUNKS = 128  # 2 GiB of zeros
BOMB_SIZE = BOMB_CHUNK * BOMB_CHUNKS
BOMB_CRC = 0x4DBDF21C  # zlib.crc32 of 2 GiB of zeros, precomputed (1 s of CPU)


def _bomb_stream(chunks: int = BOMB_CHUNKS) -> bytes:
    # After a full flush deflate forgets its history, so the compressed chunk can
    # be repeated verbatim: a 2 GiB member costs 2 MB and no time to make.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(bytes(BOMB_CHUNK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final_empty_block = b"\x03\x00"
    return chunk * chunks + final_empty_block


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand so the headers can say anything: (name, deflated, declared size, crc, method)."""
    out = io.BytesIO()
    central = io.BytesIO()
    dos_time, dos_date = 0x4800, 0x5881  # 2024-04-01 09:00
    for name, data, declared, crc, method in members:
        offset = out.tell()
        encoded = name.encode("utf-8")
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, dos_time, dos_date,
                              crc, len(data), declared, len(encoded), 0))
        out.write(encoded)
        out.write(data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, dos_time, dos_date,
                                  crc, len(data), declared, len(encoded), 0, 0, 0, 0, 0, offset))
        central.write(encoded)
    directory = central.getvalue()
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0))
    return out.getvalue()


def _entry_flood(count: int) -> bytes:
    """`count` empty members; the end record claims one, as zipfile trusts the directory's size, not its count."""
    empty_deflate = b"\x03\x00"
    data = bytearray(_raw_zip([(f"xl/p{i}.xml", empty_deflate, 0, 0, 8) for i in range(count)]))
    struct.pack_into("<2H", data, len(data) - 22 + 8, 1, 1)
    return bytes(data)


def _duplicate_member(good_docx: bytes) -> bytes:
    members = _members(good_docx)
    impostor = dict(members)["word/document.xml"].replace(b"Merseyside Police", b"Somebody Else")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate we mean to write
        return _rezip(members + [("word/document.xml", impostor)])


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _bomb(good_docx: bytes, *, lying: bool) -> bytes:
    members = [(name, _deflated(data), len(data), zlib.crc32(data), 8) for name, data in _members(good_docx)]
    declared = 1024 if lying else BOMB_SIZE
    members.append(("word/media/image1.bin", _bomb_stream(), declared, BOMB_CRC, 8))
    return _raw_zip(members)


def _small_bomb(good_docx: bytes, chunks: int = 3) -> bytes:
    """48 MB of zeros: under the inflated-size limit, but packed 1000:1, which no real picture is."""
    members = [(name, _deflated(data), len(data), zlib.crc32(data), 8) for name, data in _members(good_docx)]
    crc = 0
    zeros = bytes(BOMB_CHUNK)
    for _ in range(chunks):
        crc = zlib.crc32(zeros, crc)
    members.append(("word/media/image1.bin", _bomb_stream(chunks), BOMB_CHUNK * chunks, crc, 8))
    return _raw_zip(members)


# ---------------------------------------------------------------- XML attacks

XXE_PROLOG = (
    '<?xml version="1.0" encoding="{encoding}" standalone="yes"?>\n'
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)

BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    "<si><t>&lol9;</t></si></sst>"
)


def _xxe_docx(good_docx: bytes, encoding: str) -> bytes:
    body = dict(_members(good_docx))["word/document.xml"].decode("utf-8")
    body = body.split("?>", 1)[1].lstrip()  # drop the original declaration
    body = body.replace("<w:body>", "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", 1)
    text = XXE_PROLOG.format(encoding="UTF-16" if encoding.startswith("utf-16") else "UTF-8") + body
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    return _replace(good_docx, {"word/document.xml": data})


def _billion_laughs_xlsx(good_xlsx: bytes) -> bytes:
    members = dict(_members(good_xlsx))
    if "xl/sharedStrings.xml" in members:
        return _replace(good_xlsx, {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()})
    return _replace(good_xlsx, {}, [("xl/sharedStrings.xml", BILLION_LAUGHS.encode())])


# ---------------------------------------------------------------- macros and legacy files

DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_PROJECT = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nEnd Sub\r\n"
VBA_OVERRIDE = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'


def _macro(package: bytes, main_part: str, vba_path: str, plain: str, macro: str) -> bytes:
    types = dict(_members(package))["[Content_Types].xml"].decode()
    types = types.replace(plain, macro).replace("<Default ", VBA_OVERRIDE + "<Default ", 1)
    return _replace(package, {"[Content_Types].xml": types.encode()}, [(vba_path, VBA_PROJECT)])


def _ole2(kind: str) -> bytes:
    """The 512-byte compound-file header Word/Excel 97-2003 write, then empty sectors."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    header[76:512] = b"\xff" * (512 - 76)
    body = f"Microsoft {kind} 97-2003 document".encode("utf-16-le")
    return bytes(header) + body.ljust(1536, b"\x00")


def _odt() -> bytes:
    # OpenDocument puts an uncompressed 'mimetype' member first so the type can be read at a fixed offset.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype", FIXED_ZIP_TIME), "application/vnd.oasis.opendocument.text")
        package.writestr(zipfile.ZipInfo("content.xml", FIXED_ZIP_TIME), "<office:document-content/>",
                         zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
            b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
            b"trailer <</Root 1 0 R>>\n%%EOF\n")


# ---------------------------------------------------------------- e-mail and tables


def _hostile_email(attachment: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "PPU Wirral <ppu.wirral@merseyside-police.example>"
    message["To"] = "wscp@wirral.example"
    message["Subject"] = "Annual return 2023-24"
    message["Date"] = "Mon, 22 Apr 2024 10:00:00 +0100"
    message["Message-ID"] = "<hostile-names@corpus.example>"
    message.set_content("Please find our return attached.")
    for name in HOSTILE_ATTACHMENT_NAMES:
        message.add_attachment(attachment, maintype="application",
                               subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=name)
    return message.as_bytes()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _nested_table_xml(depth: int) -> str:
    inner = "<w:p><w:r><w:t>Deepest cell</w:t></w:r></w:p>"
    for level in range(depth):
        inner = (f"<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid>"
                 f"<w:tr><w:tc>{inner}<w:p><w:r><w:t>Level {depth - level}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    return inner


def _table_document(agency_name: str, agency_id: str, table_xml: str) -> bytes:
    document = valid_return(agency_name, agency_id)
    body = document.element.body
    table = parse_xml(table_xml.replace("<w:tbl>", f"<w:tbl {W_NS}>", 1))
    body.insert(len(body) - 1, table)  # before sectPr
    return _docx_bytes(document)


def _enormous_table_xml(rows: int) -> str:
    cells = "".join(
        f"<w:tr><w:tc><w:p><w:r><w:t>Indicator {row}</w:t></w:r></w:p></w:tc>"
        f"<w:tc><w:p><w:r><w:t>{row}</w:t></w:r></w:p></w:tc></w:tr>"
        for row in range(rows)
    )
    return f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>{cells}</w:tbl>"


def _sheet_xml(rows: int, columns: int) -> bytes:
    letters = "ABCDEFGHIJ"[:columns]
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{col}{r}"><v>{r}</v></c>' for col in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + body + "</sheetData></worksheet>").encode()


# ---------------------------------------------------------------- renamed main parts, prefixes, case, links

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def renamed_main(package: bytes, new_name: str, document_xml: bytes | None = None) -> bytes:
    """The package with its main part moved to `new_name`, found only through _rels/.rels and [Content_Types].xml."""
    members = _members(package)
    old_rels = "word/_rels/document.xml.rels"
    folder, base = new_name.rsplit("/", 1)
    renamed = []
    for name, data in members:
        if name == "word/document.xml":
            name, data = new_name, document_xml if document_xml is not None else data
        elif name == old_rels:
            name = f"{folder}/_rels/{base}.rels"
        elif name == "_rels/.rels":
            data = data.replace(b'Target="word/document.xml"', f'Target="{new_name}"'.encode())
        elif name == "[Content_Types].xml":
            data = data.replace(b'PartName="/word/document.xml"', f'PartName="/{new_name}"'.encode())
        renamed.append((name, data))
    return _rezip(renamed)


def _with_body(package: bytes, body_xml: str, prolog: str = "") -> bytes:
    """The package's document.xml with `body_xml` at the start of its body (and `prolog` before the root)."""
    document = dict(_members(package))["word/document.xml"].decode("utf-8")
    document = document.split("?>", 1)[1].lstrip()
    document = document.replace("<w:body>", "<w:body>" + body_xml, 1)
    return (prolog or '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n').encode() + document.encode()


def _prefixed_nested_tables(depth: int) -> str:
    inner = "<x:p><x:r><x:t>Deepest cell</x:t></x:r></x:p>"
    for _ in range(depth):
        inner = f"<x:tbl><x:tblGrid><x:gridCol/></x:tblGrid><x:tr><x:tc>{inner}<x:p/></x:tc></x:tr></x:tbl>"
    return f'<x:sdt xmlns:x="{W_MAIN}"><x:sdtContent>{inner}</x:sdtContent></x:sdt>'


def _case_twins(package: bytes) -> bytes:
    members = _members(package)
    impostor = dict(members)["word/document.xml"].replace(b"Cafcass", b"Somebody Else")
    return _rezip(members + [("Word/Document.xml", impostor)])


def forwarded(inner: bytes, *, sender: str, subject: str, date: str) -> bytes:
    """An e-mail carrying `inner` (a whole e-mail) as a message/rfc822 attachment, as Outlook's 'Forward as attachment'."""
    import email
    import email.policy

    message = EmailMessage()
    message["From"] = sender
    message["To"] = "wscp@wirral.example"
    message["Subject"] = subject
    message["Date"] = date
    message.set_content("Forwarding this return, which came to my inbox.")
    message.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
    return message.as_bytes()


def return_email(attachment: bytes, *, sender: str, name: str, subject: str = "Annual return 2023-24",
                 date: str = "Mon, 22 Apr 2024 10:00:00 +0100") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "wscp@wirral.example"
    message["Subject"] = subject
    message["Date"] = date
    message.set_content("Please find our return attached.")
    message.add_attachment(attachment, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _unknown_charset(email_bytes: bytes) -> bytes:
    # The body's charset is one Python has never heard of: its words decode as best they can, the attachment is intact.
    marked = email_bytes.replace(b'Content-Type: text/plain; charset="utf-8"', b'Content-Type: text/plain; charset="x-mac-klingon"', 1)
    assert marked != email_bytes
    return marked


# ---------------------------------------------------------------- the corpus


def build_corpus(folder: Path) -> dict[str, Case]:
    """Write every case into `folder` (created if needed); return the cases by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    good_docx = _docx_bytes(valid_return("Merseyside Police", "merseyside-police"))
    good_xlsx = _xlsx_bytes()
    rng = random.Random(6)
    files: dict[str, bytes] = {
        "truncated.docx": good_docx[: len(good_docx) // 2],
        "truncated.xlsx": good_xlsx[: len(good_xlsx) - 200],
        "corrupt-crc.docx": _flip_compressed_byte(good_docx),
        "random-bytes.docx": rng.randbytes(20_000),
        "text-renamed.xlsx": b"Indicator,Value\nReferrals,120\n",
        "rich-text.doc": b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Arial;}}\\f0\\fs22 About our agency\\par}",
        "opendocument.docx": _odt(),
        "pdf-renamed.docx": _pdf(),
        "plain-zip.docx": _rezip([("notes.txt", b"not a return"), ("photo.jpg", rng.randbytes(2000))]),
        "zip-bomb.docx": _bomb(good_docx, lying=False),
        "zip-bomb-lying.docx": _bomb(good_docx, lying=True),
        "ratio-bomb.docx": _small_bomb(good_docx),
        "too-many-parts.xlsx": _replace(good_xlsx, {}, [(f"xl/media/part{i}.xml", b"<a/>") for i in range(3000)]),
        "entry-flood.xlsx": _entry_flood(65_000),
        "duplicate-member.docx": _duplicate_member(good_docx),
        "escaping-member.docx": _replace(good_docx, {}, [("../../evil.xml", b"<evil/>")]),
        "xxe.docx": _xxe_docx(good_docx, "utf-8"),
        "xxe-utf16.docx": _xxe_docx(good_docx, "utf-16-le"),
        "billion-laughs.xlsx": _billion_laughs_xlsx(good_xlsx),
        "macro.docm": _macro(good_docx, "word/document.xml", "word/vbaProject.bin", DOCX_MAIN, DOCM_MAIN),
        "macro-disguised.docx": _macro(good_docx, "word/document.xml", "word/vbaProject.bin", DOCX_MAIN, DOCM_MAIN),
        "macro.xlsm": _macro(good_xlsx, "xl/workbook.xml", "xl/vbaProject.bin", XLSX_MAIN, XLSM_MAIN),
        "legacy.doc": _ole2("Word"),
        "legacy.xls": _ole2("Excel"),
        "empty.docx": b"",
        "hostile-names.eml": _hostile_email(good_docx),
        "nested-tables.docx": _table_document("Wirral Youth Justice Service", "yjs", _nested_table_xml(50)),
        "enormous-table.docx": _table_document("NSPCC", "nspcc", _enormous_table_xml(20_000)),
        "enormous-sheet.xlsx": _replace(good_xlsx, {"xl/worksheets/sheet1.xml": _sheet_xml(30_000, 5)}),
        "long-table.docx": _table_document("Barnardo's", "barnardos", _enormous_table_xml(300)),
        "mfrs-return.docx": _docx_bytes(valid_return("Merseyside Fire & Rescue Service", "mfrs")),
        "cafcass-return.docx": _docx_bytes(valid_return("Cafcass", "cafcass")),
    }
    files.update(_issue_15_files(good_docx, good_xlsx))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    _sparse(folder / "huge.docx", 600 * 1024 * 1024)
    special = _links_and_pipes(folder)
    cases = {case.name: case for case in CASES}
    assert set(cases) == set(files) | {"huge.docx"} | special, "CASES and the generated files disagree"
    return cases


def _issue_15_files(good_docx: bytes, good_xlsx: bytes) -> dict[str, bytes]:
    xxe = XXE_PROLOG.format(encoding="UTF-8")
    entity = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY agency "Merseyside Police">]>\n')
    entity_body = "<w:p><w:r><w:t>&agency; sent this; these words come after the entity.</w:t></w:r></w:p>"
    deep_nest = _nested_table_xml(50).replace("<w:tbl>", f"<w:tbl {W_NS}>", 1)
    cafcass = _docx_bytes(valid_return("Cafcass", "cafcass"))
    inner = return_email(_docx_bytes(valid_return("Probation Service (Merseyside)", "probation")),
                         sender="Wirral PDU <wirral.pdu@probation.example>", name="Probation return.docx",
                         date="Fri, 26 Apr 2024 16:20:00 +0100")
    deepest = return_email(cafcass, sender="Cafcass <merseyside@cafcass.example>", name="return.docx")
    for level in range(3):
        deepest = forwarded(deepest, sender="Officer <wscp@wirral.example>", subject=f"Fwd {level}",
                            date="Tue, 30 Apr 2024 09:00:00 +0100")
    return {
        "renamed-main-xxe.docx": renamed_main(good_docx, "word/main.xml",
                                              _with_body(good_docx, "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", xxe)),
        "renamed-main-entity.docx": renamed_main(good_docx, "word/main.xml", _with_body(good_docx, entity_body, entity)),
        "main-named-as-picture.docx": renamed_main(
            good_docx, "word/media/image1.png", _with_body(good_docx, "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", xxe)),
        "renamed-main-nested.docx": renamed_main(good_docx, "word/main.xml", _with_body(good_docx, deep_nest)),
        "renamed-main-rows.docx": renamed_main(
            good_docx, "word/main.xml",
            _with_body(good_docx, _enormous_table_xml(20_000).replace("<w:tbl>", f"<w:tbl {W_NS}>", 1))),
        "prefixed-tables.docx": _replace(good_docx, {"word/document.xml": _with_body(good_docx, _prefixed_nested_tables(50))}),
        "case-twins.docx": _case_twins(cafcass),
        "odd-encoding.docx": _replace(good_docx, {"word/document.xml": _with_body(
            good_docx, "", '<?xml version="1.0" encoding="UTF-7" standalone="yes"?>\n')}),
        "too-deep.eml": deepest,
        "utf16-nested.docx": _replace(good_docx, {"word/document.xml": b"\xff\xfe" + _with_body(
            good_docx, deep_nest, '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n').decode().encode("utf-16-le")}),
        "renamed-main.docx": renamed_main(
            _docx_bytes(valid_return("Wirral University Teaching Hospital NHS Foundation Trust", "wuth")), "word/main.xml"),
        "workbook-named.docx": good_xlsx,
        "ATT00001": _docx_bytes(valid_return("Wirral Education Safeguarding Service", "education")),
        "forwarded-return.eml": forwarded(inner, sender="Officer <wscp@wirral.example>", subject="Fwd: Annual return",
                                          date="Thu, 2 May 2024 09:00:00 +0100"),
        "unknown-charset.eml": _unknown_charset(return_email(
            _docx_bytes(valid_return("Wirral Domestic Abuse Hub", "domestic-abuse-hub")),
            sender="DA Hub <dahub@wirral.example>", name="DA Hub return.docx")),
    }


def _links_and_pipes(folder: Path) -> set[str]:
    """A link to another agency's return outside the folder, and a pipe: neither may ever be opened."""
    import os

    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.docx").write_bytes(_docx_bytes(valid_return("Wirral Council Children's Services", "wirral-council")))
    os.symlink(Path("..") / outside.name / "secret.docx", folder / "shortcut.docx")
    os.mkfifo(folder / "pipe.docx")
    return {"shortcut.docx", "pipe.docx"}


def _flip_compressed_byte(package: bytes) -> bytes:
    # Damage document.xml's compressed data in the middle, leaving the headers intact.
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        info = source.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    damaged = bytearray(package)
    damaged[middle] ^= 0xFF
    return bytes(damaged)


def _sparse(path: Path, size: int) -> None:
    # Seeking past the end and writing one byte makes a file of `size` bytes that uses one disk block.
    with open(path, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.seek(size - 1)
        handle.write(b"\x00")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in build_corpus(target).values():
        print(f"{case.expect:7} {case.name:24} {case.what}")
