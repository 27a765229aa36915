"""Returns that are good in every way but one odd thing an agency may send (issue 16), generated in code.

Each maker writes a Word return for one agency in the sample registry; the
odd part is built from bytes here (an EMF chart, a truncated or bomb PNG, a
link to a bookmark that is not there, hostile link targets, absurd figures, a
500 kB paragraph), never from a committed binary.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from make_corpus import SECTION_HEADINGS, valid_return  # noqa: E402

FIXED_ZIP_TIME = (2024, 4, 1, 9, 0, 0)


def png(width: int = 40, height: int = 30, colour: bytes = b"\x1b\x3a\x6b") -> bytes:
    """A small, valid RGB PNG."""
    row = b"\x00" + colour * width
    return _png_chunks(width, height, 2, 8, zlib.compress(row * height))


def bomb_png(side: int = 40_000) -> bytes:
    """A 1-bit PNG of side x side pixels (1.6 billion): a few hundred kB that decode to 200 MB."""
    rows_per_block = 1000
    block = (b"\x00" + b"\x00" * ((side + 7) // 8)) * rows_per_block
    # After a full flush deflate forgets its history, so one compressed block can be repeated verbatim.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(side // rows_per_block):
        checksum = zlib.adler32(block, checksum)
    ending = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    data = b"\x78\xda" + compressed * (side // rows_per_block) + ending + struct.pack(">I", checksum)
    return _png_chunks(side, side, 0, 1, data)


def truncated_png() -> bytes:
    whole = _png_chunks(400, 300, 2, 8, zlib.compress(bytes(range(256)) * 1407))
    return whole[: len(whole) // 2]


def _png_chunks(width: int, height: int, colour_type: int, depth: int, data: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def emf_chart() -> bytes:
    """An Enhanced Metafile with two filled rectangles: what Word keeps of a chart pasted from Excel."""
    def record(kind: int, body: bytes) -> bytes:
        return struct.pack("<II", kind, 8 + len(body)) + body

    shapes = (
        record(39, struct.pack("<IIII", 1, 0, 0x6B3A1B, 0))        # EMR_CREATEBRUSHINDIRECT, brush 1
        + record(37, struct.pack("<I", 1))                          # EMR_SELECTOBJECT
        + record(43, struct.pack("<iiii", 10, 50, 40, 190))         # EMR_RECTANGLE
        + record(43, struct.pack("<iiii", 60, 100, 90, 190))
        + record(14, struct.pack("<III", 0, 16, 20))                # EMR_EOF
    )
    header_size = 88
    total = header_size + len(shapes)
    header = struct.pack(
        "<II" "iiii" "iiii" "I" "I" "I" "I" "HH" "I" "I" "I" "ii" "ii",
        1, header_size,
        0, 0, 199, 199,              # bounds, device units
        0, 0, 5292, 5292,            # frame, 0.01 mm
        0x464D4520,                  # ' EMF'
        0x10000, total, 6,           # version, bytes, records
        2, 0, 0, 0, 0,               # handles, reserved, description length/offset, palette entries
        1024, 768, 320, 240,         # device pixels, device millimetres
    )
    return header + shapes


def write_return(path: Path, agency_name: str, agency_id: str, *, words: int = 120, change=None,
                 media: dict[str, tuple[bytes, str]] | None = None) -> Path:
    """A good Word return for the agency; `change(document)` adds the odd part; `media` replaces
    word/media/<name> with (bytes, content type) after saving, for pictures python-docx cannot insert."""
    document = valid_return(agency_name, agency_id, words=words)
    if change:
        change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    package = buffer.getvalue()
    if media:
        package = _replace_media(package, media)
    path.write_bytes(package)
    return path


def add_picture(document, name: str = "chart", alt: str = "A bar chart of referrals by quarter") -> None:
    """A placeholder PNG picture at the end of the activity section, to be replaced through `media`."""
    paragraph = _activity_paragraph(document)
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(png(41 + len(name), 30)), width=None)
    doc_pr = next(run._r.iter(qn("wp:docPr")))
    doc_pr.set("descr", alt)


def add_link(document, text: str, target: str | None = None, anchor: str | None = None) -> None:
    """A hyperlink run at the end of the activity section's first paragraph."""
    paragraph = _activity_paragraph(document)
    paragraph.add_run(" See ")
    link = OxmlElement("w:hyperlink")
    if target is not None:
        link.set(qn("r:id"), document.part.relate_to(target, RT.HYPERLINK, is_external=True))
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(" for more.")


def add_paragraph(document, text: str) -> None:
    """A plain paragraph of the agency's own words at the end of the activity section's first paragraph."""
    _activity_paragraph(document).add_run(" " + text)


def add_indicators(document, rows: list[tuple[str, str]]) -> None:
    document.add_heading("Key indicators", level=2)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Indicator", "Value"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def add_long_paragraph(document, characters: int) -> None:
    sentence = "Practitioners from every partner met families at home and wrote down what the children said. "
    paragraph = _activity_paragraph(document)
    paragraph.add_run(" " + (sentence * (characters // len(sentence) + 1))[:characters].strip())


def _activity_paragraph(document):
    heading = next(p for p in document.paragraphs if p.text == SECTION_HEADINGS[1])
    body = document.paragraphs
    return body[[p._p for p in body].index(heading._p) + 1]


def _replace_media(package: bytes, media: dict[str, tuple[bytes, str]]) -> bytes:
    """Swap each word/media/<stem>.* for new bytes under a new name and content type, keeping the relationship."""
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    pictures = sorted(name for name in members if name.startswith("word/media/"))
    renamed: dict[str, str] = {}
    for old, (new_name, (data, content_type)) in zip(pictures, media.items()):
        new = f"word/media/{new_name}"
        del members[old]
        members[new] = data
        renamed[old[len("word/"):]] = new[len("word/"):]
        extension = new_name.rsplit(".", 1)[1]
        types = members["[Content_Types].xml"].decode()
        if f'Extension="{extension}"' not in types:
            types = types.replace("<Default ", f'<Default Extension="{extension}" ContentType="{content_type}"/><Default ', 1)
        members["[Content_Types].xml"] = types.encode()
    rels = members["word/_rels/document.xml.rels"].decode()
    for old, new in renamed.items():
        rels = rels.replace(f'Target="{old}"', f'Target="{new}"')
    members["word/_rels/document.xml.rels"] = rels.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(zipfile.ZipInfo(name, FIXED_ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
