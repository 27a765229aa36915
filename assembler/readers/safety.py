"""Gatekeeping for files that arrive from outside, before any reader parses them.

Every return comes by e-mail from another organisation, so any of them can be
broken, huge or hostile. `check_file` looks at a file's bytes (never its name
alone), checks sizes against `report.yaml`'s limits and walks .docx/.xlsx
packages member by member with bounded reads, so that a zip bomb, an XML
entity attack or a disguised file is turned into a plain-English `Rejection`
(what is wrong, what to ask the agency for) instead of a hang or a traceback.

The screen knows no reader: which kinds are read, and each kind's own screen,
come from the table of readers (`readers.table.READERS`), which hands them to
`check_file`. The XML parsers behind the readers are safe on their own as well
(`readers.table.parsers_are_safe`).
"""

from __future__ import annotations

import os
import posixpath
import re
import signal
import stat
import struct
import threading
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Mapping, Protocol, TypeVar

from assembler.errors import InputError
from assembler.problems import Problem

# ---------------------------------------------------------------- rejection


class Rejection(InputError):
    """A file that must not be read, with what to ask its sender for instead. Raised before the file is known
    to intake (the screen sees bytes); intake adds the file and the agency to its `problem`."""

    default_code = "rejected_file"

    def __init__(self, reason: str | Problem, fix: str = "", *, code: str | None = None):
        if isinstance(reason, Problem):  # rebuilt from its problem after crossing a process boundary
            super().__init__(reason)
        else:
            super().__init__(None, reason, fix, code=code)

    @property
    def reason(self) -> str:
        return self.problem.message


class LimitsLike(Protocol):
    """The fields of `assembler.config.model.Limits` this module uses."""

    max_file_mb: float
    max_inflated_mb: float
    max_zip_entries: int
    max_seconds_per_file: float
    # Optional: max_table_rows, max_table_depth, max_workbook_cells (defaults below).


class Accepted(Protocol):
    """What the screen needs of a kind the readers take: a row of `readers.table.READERS`."""

    @property
    def screen(self) -> Callable[[Path, LimitsLike], None] | None: ...  # the kind's own screen, after the common one

    @property
    def recognise(self) -> Callable[[bytes], bool] | None: ...  # for a kind `sniff` does not name: its first bytes


MB = 1024 * 1024

# ---------------------------------------------------------------- sniffing

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
PDF_MAGIC = b"%PDF"

# The main part's content type says what an OOXML package really is.
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml."
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml."
WORD_MACRO = "application/vnd.ms-word.document.macroenabled"
WORD_MACRO_TEMPLATE = "application/vnd.ms-word.template.macroenabled"
EXCEL_MACRO = "application/vnd.ms-excel.sheet.macroenabled"
EXCEL_MACRO_TEMPLATE = "application/vnd.ms-excel.template.macroenabled"
EXCEL_BINARY = "application/vnd.ms-excel.sheet.binary.macroenabled"

CONTENT_TYPES_MAX_BYTES = 1 * MB  # a real [Content_Types].xml is a few kB

# Headers that start a real e-mail message file (.eml).
EMAIL_HEADER = re.compile(
    rb"^(from|to|subject|date|received|return-path|mime-version|message-id|delivered-to|"
    rb"content-type|x-[a-z0-9-]+|reply-to|cc|sender|dkim-signature|arc-[a-z-]+|authentication-results)"
    rb"[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def sniff(path: Path) -> str:
    """What the file is by its content: docx, xlsx, docm, xlsm, doc, xls, ole, msg, eml, zip, pdf, empty or unknown.

    Never raises for unreadable content: a zip whose parts cannot be read is "zip"
    (and `check_office_zip` says why); only OS errors on opening the file escape.
    """
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head:
        return "empty"
    if head.startswith(OLE2_MAGIC):
        return _ole_kind(path)
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(path)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if _looks_like_email(head):
        return "eml"
    return "unknown"


def _ole_kind(path: Path) -> str:
    # Old Word, Excel and Outlook files share one container format; only the
    # name distinguishes them cheaply, and all three are handled differently.
    suffix = path.suffix.lower()
    if suffix == ".msg":
        return "msg"
    if suffix in (".doc", ".dot"):
        return "doc"
    if suffix in (".xls", ".xlt"):
        return "xls"
    return _ole_kind_by_content(path)


def _ole_kind_by_content(path: Path) -> str:
    """An Outlook message, old Word or old Excel file by the streams it holds, for a name that does not
    say (an e-mail attachment named 'ATT00001'); "ole" when it cannot be told."""
    try:
        import olefile  # comes with extract_msg, the .msg reader

        with olefile.OleFileIO(str(path)) as container:
            streams = {"/".join(entry).lower() for entry in container.listdir(streams=True, storages=True)}
    except Exception:  # not a readable container: check_file names it as an old or protected Office file
        return "ole"
    if "__properties_version1.0" in streams:
        return "msg"
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    return "ole"


SNIFF_MAX_ENTRIES = 20_000  # beyond this sniff does not even list the members (it is slow and costly)
CENTRAL_SIGNATURE = b"PK\x01\x02"


def _count_entries(path: Path) -> int | None:
    """How many member records the central directory really holds, counted without zipfile; None if unreadable.

    Counted before zipfile lists the members: listing tens of thousands of tiny
    entries takes seconds and hundreds of MB, and zipfile walks the directory by
    its size, whatever count the end record declares, so the count is not trusted.
    """
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            tail_start = max(0, size - (22 + 65535))
            handle.seek(tail_start)
            tail = handle.read()
            at = tail.rfind(b"PK\x05\x06")
            if at == -1 or len(tail) - at < 22:
                return None
            directory_size = struct.unpack("<L", tail[at + 12 : at + 16])[0]
            directory_end = tail_start + at
            locator = tail[at - 20 : at] if at >= 20 else b""
            if locator[:4] == b"PK\x06\x07":  # ZIP64: the real size is in the ZIP64 end record
                (zip64_offset,) = struct.unpack("<Q", locator[8:16])
                handle.seek(zip64_offset)
                record = handle.read(56)
                if len(record) < 56 or record[:4] != b"PK\x06\x06":
                    return None
                (directory_size,) = struct.unpack("<Q", record[40:48])
                directory_end = zip64_offset
            if directory_size > directory_end:
                return None
            handle.seek(directory_end - directory_size)
            return _count_signatures(handle, directory_size)
    except (OSError, struct.error, ValueError):
        return None


def _count_signatures(handle, length: int) -> int:
    count, carry, left = 0, b"", length
    while left > 0:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
        window = carry + chunk
        count += window.count(CENTRAL_SIGNATURE)
        carry = window[-(len(CENTRAL_SIGNATURE) - 1) :]  # too short to hold a whole signature: never counted twice
    return count


def _zip_kind(path: Path) -> str:
    if (_count_entries(path) or 0) > SNIFF_MAX_ENTRIES:
        return "zip"  # check_office_zip says why
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            by_fold = {name.casefold(): name for name in names}
            types = _small_member(package, by_fold.get("[content_types].xml"))
            if types is None:
                return "zip"
            main = main_part_name(_small_member(package, by_fold.get("_rels/.rels")) or b"")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, KeyError, IndexError, struct.error):
        return "zip"
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    if main is not None and main.casefold() in by_fold:
        # What the package says its main part is, as Word and Excel decide: not its name, nor any part's.
        return _kind_of_main(content_type_of(types, main), has_macros)
    text = types.decode("utf-8", errors="replace").lower()
    if WORD_MACRO in text or WORD_MACRO_TEMPLATE in text:
        return "docm"
    if EXCEL_MACRO in text or EXCEL_MACRO_TEMPLATE in text or EXCEL_BINARY in text:
        return "xlsm"
    if WORD_MAIN in text:
        return "docm" if has_macros else "docx"
    if EXCEL_MAIN in text:
        return "xlsm" if has_macros else "xlsx"
    return "zip"


def _small_member(package: zipfile.ZipFile, name: str | None) -> bytes | None:
    """A package-level part ([Content_Types].xml, _rels/.rels), read only if it is as small as a real one."""
    if name is None:
        return None
    info = package.getinfo(name)
    if info.file_size > CONTENT_TYPES_MAX_BYTES:
        return None
    with package.open(info) as member:
        return member.read(CONTENT_TYPES_MAX_BYTES + 1)[:CONTENT_TYPES_MAX_BYTES]


def _kind_of_main(content_type: str, has_macros: bool) -> str:
    content_type = content_type.lower()
    if content_type.startswith((WORD_MACRO, WORD_MACRO_TEMPLATE)):
        return "docm"
    if content_type.startswith((EXCEL_MACRO, EXCEL_MACRO_TEMPLATE, EXCEL_BINARY)):
        return "xlsm"
    if content_type.startswith(WORD_MAIN):
        return "docm" if has_macros else "docx"
    if content_type.startswith(EXCEL_MAIN):
        return "xlsm" if has_macros else "xlsx"
    return "zip"


OFFICE_DOCUMENT_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)
_XML_ATTRIBUTE = re.compile(r'([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_RELATIONSHIP = re.compile(r"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_OVERRIDE = re.compile(r"<(?:[\w.-]+:)?Override\b([^>]*)>")
_DEFAULT = re.compile(r"<(?:[\w.-]+:)?Default\b([^>]*)>")


def _attributes(text: str) -> dict[str, str]:
    # Read without an XML parser: these parts are looked at before the screen has cleared them of declarations.
    return {match.group(1).rsplit(":", 1)[-1]: match.group(2) if match.group(2) is not None else match.group(3)
            for match in _XML_ATTRIBUTE.finditer(text)}


def main_part_name(package_rels: bytes) -> str | None:
    """The main document part that the package's _rels/.rels names (e.g. 'word/document.xml'), or None."""
    text = package_rels.decode("utf-8", errors="replace")
    for match in _RELATIONSHIP.finditer(text):
        attributes = _attributes(match.group(1))
        if attributes.get("Type") in OFFICE_DOCUMENT_TYPES and attributes.get("TargetMode") != "External":
            target = attributes.get("Target", "")
            return posixpath.normpath(target.lstrip("/")) if target else None
    return None


def content_type_of(content_types: bytes, part: str) -> str:
    """The part's content type by [Content_Types].xml: its override, else its extension's default (names compared
    without regard to case, as the packaging standard says)."""
    text = content_types.decode("utf-8", errors="replace")
    wanted = "/" + part.casefold()
    for match in _OVERRIDE.finditer(text):
        attributes = _attributes(match.group(1))
        if attributes.get("PartName", "").casefold() == wanted:
            return attributes.get("ContentType", "")
    extension = posixpath.splitext(part)[1].lstrip(".").casefold()
    for match in _DEFAULT.finditer(text):
        attributes = _attributes(match.group(1))
        if attributes.get("Extension", "").casefold() == extension:
            return attributes.get("ContentType", "")
    return ""


def _looks_like_email(head: bytes) -> bool:
    first_line = head.split(b"\n", 1)[0]
    # A header line, or the 'From sender date' line mailbox programs put first.
    if not re.match(rb"^([A-Za-z0-9-]+[ \t]*:|From \S+@\S+)", first_line):
        return False
    return len(EMAIL_HEADER.findall(head)) >= 2


# ---------------------------------------------------------------- checks

LEGACY_FIX = {
    "doc": "Ask the agency to open it in Word, choose File > Save As, pick 'Word Document (.docx)' and send that file.",
    "xls": "Ask the agency to open it in Excel, choose File > Save As, pick 'Excel Workbook (.xlsx)' and send that file.",
}
REFUSED_ZIP_KINDS = ("docm", "xlsm", "zip")  # screened as packages all the same: a zip bomb is named as one
RESEND_FIX = "Ask the agency to send the return again as the .docx or .xlsx template they were given."
SAVE_AS_FIX = ("Ask the agency to open it, choose File > Save As, pick 'Word Document (.docx)' "
               "(or 'Excel Workbook (.xlsx)' for a spreadsheet) and send that file.")


LINK_FIX = ("Put the return itself in the returns folder instead of the link: copy the real file there "
            "(in a terminal, `cp --dereference LINK COPY`) and delete the link.")
SPECIAL_FIX = "Remove it from the returns folder; only the files the agencies sent belong there."


def check_ordinary_file(path: Path) -> os.stat_result:
    """The file's status if it is an ordinary file, looked at without opening it or following a link.

    A link is refused rather than followed: it could bring any file on the computer into the
    report (a link named 'return.docx' pointing at someone's private files). A pipe or device
    would block the reader or never end."""
    try:
        status = path.lstat()
    except OSError as error:
        raise Rejection("The file could not be opened.", RESEND_FIX) from error
    if stat.S_ISLNK(status.st_mode):
        try:
            # The name only: the folders on the officer's computer are nobody else's business (this may reach a chase e-mail).
            target = f" ('{_printable(Path(os.readlink(path)).name, 120)}')"
        except OSError:
            target = ""
        raise Rejection(f"This is a link (shortcut) to another file{target}, not a return; links are not "
                        "followed, so that nothing outside the returns folder is read.", LINK_FIX)
    if stat.S_ISDIR(status.st_mode):
        raise Rejection("This is not an ordinary file (it is a folder).", SPECIAL_FIX)
    if not stat.S_ISREG(status.st_mode):
        what = ("a pipe (FIFO)" if stat.S_ISFIFO(status.st_mode) else "a socket" if stat.S_ISSOCK(status.st_mode)
                else "a device")
        raise Rejection(f"This is not an ordinary file but {what}, so it was not opened.", SPECIAL_FIX)
    return status


def check_file(path: Path, limits: LimitsLike, accepted: Mapping[str, Accepted]) -> str:
    """The file's kind, a key of `accepted` (the readers' table), if it is safe to read; otherwise raise Rejection."""
    status = check_ordinary_file(path)
    size = status.st_size
    if size == 0:
        raise Rejection("The file is empty (0 bytes): it was probably not saved or not attached properly.", RESEND_FIX)
    if size > limits.max_file_mb * MB:
        raise Rejection(
            f"The file is {size / MB:,.0f} MB, more than the {limits.max_file_mb:g} MB a return may be.",
            "Ask the agency to remove large pictures or embedded files and send it again, "
            "or raise limits.max_file_mb in report.yaml if the file is genuine.",
        )
    try:
        kind = sniff(path)
        if kind not in accepted:
            kind = _recognised(path, accepted) or kind
    except OSError as error:
        raise Rejection("The file could not be read.", RESEND_FIX) from error
    if kind not in accepted:
        raise _refusal(path, limits, kind)
    screen = accepted[kind].screen
    if screen is not None:
        screen(path, limits)
    return kind


def _recognised(path: Path, accepted: Mapping[str, Accepted]) -> str | None:
    """The kind whose reader knows the file by its first bytes, for a format `sniff` does not name."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    return next((kind for kind, row in accepted.items() if row.recognise is not None and row.recognise(head)), None)


def _refusal(path: Path, limits: LimitsLike, kind: str) -> Rejection:
    """Why a file of a kind no reader takes is not read, as the officer can pass it on to the agency."""
    if kind in ("doc", "xls"):
        return Rejection(f"This is an old-style (.{kind}) file, which the report cannot read safely.", LEGACY_FIX[kind])
    if kind == "ole":
        return Rejection(
            "This is an old-style Office file or a password-protected one, which the report cannot read.",
            "Ask the agency to remove any password and save it as a Word Document (.docx) or "
            "Excel Workbook (.xlsx), then send that file.",
        )
    if kind == "pdf":
        return Rejection(
            "This is a PDF, not the Word or Excel template (whatever its name says).",
            "Ask the agency to fill in and send back the .docx or .xlsx template, not a PDF of it.",
        )
    if kind in REFUSED_ZIP_KINDS:
        check_office_zip(path, limits, kind)
    if kind in ("docm", "xlsm"):
        return Rejection(
            "The file contains macros (programs), which the report does not open for safety.",
            "Ask the agency to save a copy without macros: in Word choose Save As 'Word Document (.docx)', "
            "in Excel 'Excel Workbook (.xlsx)', and send that copy.",
        )
    if kind not in ("zip", "unknown", "empty"):  # a kind the sniffer knows and no reader takes
        return Rejection(f"This is a .{kind} file, a kind the report does not read.", SAVE_AS_FIX)
    return Rejection(*_what_else(path, kind))


TNEF_MAGIC = b"\x78\x9f\x3e\x22"  # Outlook's winmail.dat
# Files whose fix is not to save them again: the agency did nothing wrong in Word or Excel.
TNEF = ("This is Outlook's winmail.dat: Outlook sent the e-mail in its Rich Text format, which wraps the "
        "attachments so that only Outlook can open them.",
        "Ask the agency to send the e-mail again as HTML or plain text (in Outlook: Format Text, HTML), "
        "with the return attached, or open it in Outlook and save the attachment into the returns folder.")
ZIP = ("This is a compressed (.zip) folder, not a Word or Excel file, whatever its name says.",
       "Ask the agency to send the .docx or .xlsx itself, not in a .zip folder, or unzip it and save "
       "the return it holds in the returns folder.")


# Formats that often arrive instead of the template, named so the officer knows what happened.
OTHER_FORMATS = (
    (b"{\\rtf", "This is a Rich Text (RTF) file, not the Word template, whatever its name says."),
    (b"<html", "This is a web page, not the Word template, whatever its name says."),
    (b"<!doctype html", "This is a web page, not the Word template, whatever its name says."),
    (b"mime-version:", "This is a saved web page (.mht), not the Word template, whatever its name says."),
)


def _what_else(path: Path, kind: str) -> tuple[str, str]:
    """(the rejection reason, its fix) for a file that is none of the formats we read, as specific as cheaply
    possible: a file some program saved is saved again as the template; one that is nothing known, sent again."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, reason in OTHER_FORMATS:
        if text.startswith(magic):
            return reason, SAVE_AS_FIX
    if b"mso-application" in text and b"word.document" in text:
        return "This is a Word 2003 XML file, an old format the report cannot read.", SAVE_AS_FIX
    if kind == "zip" and head[30:38] == b"mimetype" and b"opendocument" in head[38:120]:
        return "This is an OpenDocument file (from LibreOffice or OpenOffice), not the Word or Excel template.", SAVE_AS_FIX
    if kind == "zip":
        return ZIP
    if head.startswith(TNEF_MAGIC):
        return TNEF
    return "This is not a Word, Excel or e-mail file, whatever its name says.", RESEND_FIX


# Members that are pictures or fonts: never parsed as XML by the readers, and
# SVG pictures may legitimately carry a DOCTYPE.
BINARY_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf",
                   ".svg", ".odttf", ".ttf", ".fntdata", ".wdp", ".jfif")
# Declarations that let XML pull in files or expand itself: XXE and "billion laughs".
_MARKERS = ("<!DOCTYPE", "<!ENTITY")
NARROW_DANGER = tuple(marker.encode("ascii") for marker in _MARKERS)
# XML may also be UTF-16 or UTF-32; such a part has NUL bytes among its first four.
WIDE_DANGER = tuple(
    marker.encode(encoding) for marker in _MARKERS for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
XML_DANGER = NARROW_DANGER + WIDE_DANGER
OVERLAP = max(len(marker) for marker in XML_DANGER)
CHUNK = 256 * 1024
MAX_RATIO = 200          # a Word/Excel part rarely compresses better than 20:1
RATIO_MIN_SIZE = 10 * MB  # small parts may compress absurdly (runs of spaces) and do no harm


def check_office_zip(path: Path, limits: LimitsLike, kind: str | None = None) -> None:
    """Raise Rejection unless the .docx/.xlsx package is intact, modest once unzipped and free of XML declarations.

    Every part is screened by what it holds, whatever its name: a main part renamed through
    `_rels/.rels` (or an XML part named like a picture) gets the same limits as `word/document.xml`.
    `kind` ("docx", "xlsx") says which shape limits apply to every XML part; without it they
    apply to the parts by their usual names.
    """
    started = time.monotonic()
    inflated_limit = int(limits.max_inflated_mb * MB)
    counted = _count_entries(path) or 0
    if counted > limits.max_zip_entries:
        raise _too_many_parts(counted, limits)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            _check_directory(members, limits, inflated_limit)
            screen = _PackageScreen(package, kind, limits)
            actual_total = 0
            for info in members:
                actual_total = _scan_member(package, info, actual_total, inflated_limit, started, limits, screen)
    except Rejection:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, IndexError, KeyError,
            OSError, struct.error) as error:
        raise Rejection(
            "The file is damaged or incomplete (it may have been cut short when it was sent) and cannot be opened.",
            "Ask the agency to check it opens on their computer and send it again.",
        ) from error
    except (NotImplementedError, RuntimeError) as error:  # unknown compression method, encryption
        raise Rejection(
            "The file uses encryption or a compression method the report cannot open.",
            "Ask the agency to remove any password and save it again as a normal .docx or .xlsx.",
        ) from error


def _check_directory(members: list[zipfile.ZipInfo], limits: LimitsLike, inflated_limit: int) -> None:
    if len(members) > limits.max_zip_entries:
        raise _too_many_parts(len(members), limits)
    names = [info.filename for info in members]
    if len(set(names)) != len(names):
        raise Rejection(
            "The file contains two internal parts with the same name, so different programs would show "
            "different content; it has been tampered with or built by an unusual program.",
            RESEND_FIX,
        )
    folded: dict[str, str] = {}
    for name in names:
        # Part names are compared without regard to case (Word refuses such a file): which one a program reads
        # would depend on the program.
        other = folded.setdefault(name.casefold(), name)
        if other != name:
            raise Rejection(
                f"The file contains two internal parts whose names differ only in capital letters ('{_printable(other)}' "
                f"and '{_printable(name)}'), which Word refuses to open; it has been tampered with or built by an "
                "unusual program.",
                RESEND_FIX,
            )
    for info in members:
        if not _member_name_is_safe(info.filename):
            raise Rejection(
                "The file contains an internal part whose name points outside the document "
                f"('{_printable(info.filename)}'); it has been tampered with or built by an unusual program.",
                RESEND_FIX,
            )
        if info.flag_bits & 0x1:
            raise Rejection(
                "The file is password-protected, so the report cannot read it.",
                "Ask the agency to remove the password and send it again.",
            )
    declared = sum(info.file_size for info in members)
    if declared > inflated_limit:
        raise Rejection(_too_big_unzipped(limits), _TOO_BIG_FIX)
    for info in members:
        # Deflate never grows data by more than a few bytes per 16 kB, so a part
        # whose packed size dwarfs its declared size has a lying header.
        if info.compress_size > info.file_size + info.file_size // 1000 + 64:
            raise Rejection(
                "The file is damaged: one of its internal parts does not match its own description "
                "(it may also be a disguised 'zip bomb').",
                "Ask the agency to check it opens on their computer and send it again.",
            )
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Rejection(
                "The file contains a part that expands to an absurd size when opened "
                "(a 'zip bomb'); it is not a normal Word or Excel file.",
                RESEND_FIX,
            )


def _too_many_parts(count: int, limits: LimitsLike) -> Rejection:
    return Rejection(
        f"The file is made of {count:,} internal parts, more than the {limits.max_zip_entries:,} "
        "a return may have; it is not a normal Word or Excel file.",
        RESEND_FIX,
    )


class _PackageScreen:
    """What the package says about its parts (main part, content types), and the counts shared by its parts."""

    def __init__(self, package: zipfile.ZipFile, kind: str | None, limits: LimitsLike):
        self.kind = kind
        self.limits = limits
        by_fold = {info.filename.casefold(): info.filename for info in package.infolist()}
        try:
            self.content_types = _small_member(package, by_fold.get("[content_types].xml")) or b""
            rels = _small_member(package, by_fold.get("_rels/.rels")) or b""
        except KeyError:
            self.content_types, rels = b"", b""
        main = main_part_name(rels)
        self.main = main.casefold() if main else None
        self.rows = [0]   # table rows in all the Word parts
        self.cells = [0]  # cells in all the worksheets

    def is_picture(self, name: str, head: bytes) -> bool:
        """A picture or font part the readers never parse as XML: binary by name and by content, or an SVG
        declared as one (which may carry a DOCTYPE, but never entity declarations)."""
        if name.casefold() == self.main:
            return False
        lowered = name.lower()
        if lowered.endswith(".svg"):
            return content_type_of(self.content_types, name).lower() == "image/svg+xml"
        return lowered.endswith(BINARY_SUFFIXES) and not _starts_like_xml(head)

    def shape_counter(self, name: str):
        """The counter that watches this part's shape as it streams past, if it is a part we bound."""
        limits = self.limits
        word = self.kind == "docx" if self.kind else _WORD_STORY.match(name) or name.casefold() == self.main
        sheet = self.kind == "xlsx" if self.kind else _WORKSHEET.match(name)
        if word and not _is_package_part(name):
            return _TableShape(self.rows, getattr(limits, "max_table_rows", MAX_TABLE_ROWS),
                               getattr(limits, "max_table_depth", MAX_TABLE_DEPTH))
        if sheet and not _is_package_part(name):
            return _CellCount(self.cells, getattr(limits, "max_workbook_cells", MAX_SHEET_CELLS))
        return None


def _is_package_part(name: str) -> bool:
    lowered = name.casefold()
    return lowered == "[content_types].xml" or lowered.endswith(".rels")


def _starts_like_xml(head: bytes) -> bool:
    """Whether a part begins as XML text does (in UTF-8, UTF-16 or UTF-32, after a byte order mark)."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    return head.replace(b"\x00", b"").lstrip(b" \t\r\n").startswith(b"<")


def _scan_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, actual_total: int,
                 inflated_limit: int, started: float, limits: LimitsLike, screen: _PackageScreen) -> int:
    """Read one member in chunks, counting real bytes (never trusting the header); return the new total."""
    tail = b""
    markers = NARROW_DANGER
    scan_xml, shape, decoder = True, None, None
    with package.open(info) as member:
        first = True
        while True:
            chunk = member.read(CHUNK)
            if not chunk:
                return actual_total
            if first:
                first = False
                picture = screen.is_picture(info.filename, chunk[:64])
                scan_xml = not picture or info.filename.lower().endswith(".svg")
                shape = None if picture else screen.shape_counter(info.filename)
                wide = b"\x00" in chunk[:4]
                decoder = _wide_decoder(chunk) if wide and shape is not None else None
                if not picture:
                    _check_encoding(info.filename, chunk[:200])
                if picture:
                    markers = tuple(m for m in (XML_DANGER if wide else NARROW_DANGER) if _is_entity_marker(m))
                elif wide:
                    markers = XML_DANGER  # a wide encoding: look for the declarations in every width
            actual_total += len(chunk)
            if actual_total > inflated_limit:
                raise Rejection(_too_big_unzipped(limits), _TOO_BIG_FIX)
            if scan_xml:
                window = tail + chunk
                if any(marker in window for marker in markers):
                    raise Rejection(
                        f"The file contains hidden XML declarations (in '{_printable(info.filename)}') of a kind "
                        "used to attack computers; Word and Excel never write them.",
                        "Ask the agency to copy the content into a fresh copy of the template and send that.",
                    )
                tail = window[-OVERLAP:]
            if shape is not None:
                shape.feed(decoder.decode(chunk).encode("utf-8") if decoder is not None else chunk)
            if time.monotonic() - started > limits.max_seconds_per_file:
                raise Rejection(
                    f"The file took more than {limits.max_seconds_per_file:g} seconds to check, so it was set aside.",
                    "Ask the agency to send a smaller file, or raise limits.max_seconds_per_file in report.yaml.",
                    code="read_timeout",
                )


# The byte patterns above are ASCII (and, for the declarations, UTF-16 and UTF-32 too): a part in an
# encoding that can write '<!DOCTYPE' or '<w:tbl' with other bytes (UTF-7, EBCDIC, ISO-2022) would hide
# them, so only UTF-8, UTF-16/32 and single-byte encodings that keep ASCII as it is are read.
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']", re.IGNORECASE)
WIDE_ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
_ASCII_BYTES = bytes(range(128))


def screenable_encoding(name: str) -> bool:
    """Whether the screen's byte patterns see through XML declared in this encoding."""
    import codecs

    try:
        codec = codecs.lookup(name).name
        if codec in WIDE_ENCODINGS or codec in ("utf-8", "ascii"):
            return True
        if codec.startswith("iso2022") or codec in ("hz", "utf-7"):
            return False  # escape sequences switch what the same bytes mean: a tag could be split by one
        return (_ASCII_BYTES.decode(codec) == _ASCII_BYTES.decode("ascii")
                and len(bytes(range(256)).decode(codec, errors="replace")) == 256)  # one byte, one character
    except (LookupError, UnicodeError, ValueError):
        return False  # a name Python does not know may still be one the XML parser knows


def _check_encoding(name: str, head: bytes) -> None:
    match = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    declared = match.group(1).decode("ascii", errors="replace") if match else ""
    if declared and not screenable_encoding(declared):
        raise Rejection(
            f"The file contains a part ('{_printable(name)}') written in an unusual text encoding "
            f"('{_printable(declared)}') that Word and Excel never use; "
            "it has been tampered with or built by an unusual program.",
            RESEND_FIX,
        )


def _wide_decoder(head: bytes):
    """For a part in UTF-16 or UTF-32 (told by its byte order mark or its NUL bytes), an incremental
    decoder, so that the table and cell counters see its tags as the bytes they look for."""
    import codecs

    for start, encoding in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
                            (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
                            (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be")):
        if head.startswith(start):
            return codecs.getincrementaldecoder(encoding)(errors="replace")
    return None


def _is_entity_marker(marker: bytes) -> bool:
    return marker.replace(b"\x00", b"") == b"<!ENTITY"


# Word returns are a few pages: an indicator table has a dozen rows and a layout
# table may hold another. Far beyond that, the file is a stress test, not a return,
# and reading and printing it would take minutes.
MAX_TABLE_ROWS = 5000
MAX_TABLE_DEPTH = 8
# Any namespace prefix (or none): the prefix is the file's choice, 'w:' only by custom.
# Found by their local name (fast), then checked back to their '<' for a prefix of any length.
_TABLE_TAG = re.compile(rb"(?:tbl|tr)[\s>/]")
_TABLE_NAME = re.compile(rb"tbl[\s>/]")
_WORD_STORY = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$", re.IGNORECASE)


_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# A return workbook holds a few hundred cells; openpyxl needs about a second per 20,000.
MAX_SHEET_CELLS = 100_000
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_UNPREFIXED_CELLS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_NOT_IN_A_NAME = re.compile(rb"[\s<>/\"'=]")


def _tag_start(data: bytes, colon: int) -> tuple[bool, bool] | None:
    """For a local name found just after a ':' at `colon`: (is it an element tag, is it a closing tag).

    The prefix runs back to a '<' (or '</') with no space, quote or '>' in between; anything else
    (a colon in text or in an attribute's value) is not a tag."""
    start = data.rfind(b"<", 0, colon)
    if start == -1:
        return None
    closing = data[start + 1 : start + 2] == b"/"
    name_from = start + 1 + closing
    if name_from >= colon or _NOT_IN_A_NAME.search(data, name_from, colon) or b":" in data[name_from:colon]:
        return None
    return True, closing


def _count_cells(data: bytes) -> int:
    count = sum(data.count(tag) for tag in _UNPREFIXED_CELLS)
    for match in _PREFIXED_CELL.finditer(data):
        found = _tag_start(data, match.start())
        if found is not None and not found[1]:
            count += 1
    return count
_NAME_END = re.compile(rb"[\s>/]")
MAX_TAG_NAME = 4096  # bytes; Word's and Excel's longest element names are a few dozen


def _whole_tags(carry: bytes, chunk: bytes) -> tuple[bytes, bytes]:
    """(data whose every element name is complete, the cut name held back for the next chunk).

    Element names may carry any namespace prefix, of any length, so a name cut at the end of a
    chunk is held back whole, however long, rather than a fixed number of bytes."""
    data = carry + chunk
    cut = data.rfind(b"<")
    if cut == -1:
        return data, b""
    start = cut + 1 + (data[cut + 1 : cut + 2] == b"/")
    if data[start : start + 1] in (b"!", b"?") or _NAME_END.search(data, start):
        return data, b""  # a comment, CDATA or declaration, or a name already complete
    if len(data) - cut > MAX_TAG_NAME:
        raise Rejection(
            "The file contains an XML element name thousands of characters long, which Word and Excel never write; "
            "it has been tampered with or built by an unusual program.",
            RESEND_FIX,
        )
    return data[:cut], data[cut:]


class _CellCount:
    """Counts worksheet cells (<c> elements) across every sheet of a workbook, without parsing."""

    def __init__(self, total: list[int], most: int):
        self.total = total  # shared by the workbook's sheets: one mutable count
        self.most = most
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        data, self.carry = _whole_tags(self.carry, chunk)
        self.total[0] += _count_cells(data)
        if self.total[0] > self.most:
            raise Rejection(
                f"The workbook has more than {self.most:,} filled cells, far more than a return needs; "
                "reading it would take too long.",
                "Ask the agency to send the return template with its key figures only, not their full data "
                "(or raise limits.max_workbook_cells in report.yaml).",
            )


class _TableShape:
    """Counts table rows and nesting depth in a Word part as it streams past, without parsing it."""

    def __init__(self, rows: list[int], max_rows: int, max_depth: int):
        self.max_rows, self.max_depth = max_rows, max_depth
        self.total = rows  # shared by the package's parts: "rows in all"
        self.depth = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        data, self.carry = _whole_tags(self.carry, chunk)
        if self.depth == 0 and not _TABLE_NAME.search(data):
            return  # no table open and none opening: most parts (styles, themes) are passed over at C speed
        for match in _TABLE_TAG.finditer(data):
            at = match.start()
            before = data[at - 1 : at]
            if before == b":":
                found = _tag_start(data, at - 1)
                if found is None:
                    continue
                closing = found[1]
            elif before == b"<":
                closing = False
            elif before == b"/" and data[at - 2 : at - 1] == b"<":
                closing = True
            else:
                continue  # the letters in text or in another name
            tag, after = match.group()[:-1], match.group()[-1:]
            if tag == b"tr":
                self.total[0] += 0 if closing else 1
            elif closing:
                self.depth = max(0, self.depth - 1)
            elif after != b"/":
                self.depth += 1
                if self.depth > self.max_depth:
                    raise Rejection(
                        f"The file has tables inside tables more than {self.max_depth} deep, "
                        "which the report cannot lay out.",
                        "Ask the agency to put the content in plain paragraphs or single tables and send it again.",
                    )
        if self.total[0] > self.max_rows:
            raise Rejection(
                f"The file has tables with more than {self.max_rows:,} rows in all, far more than a return "
                "needs; reading and printing them would take too long.",
                "Ask the agency to send the key figures only (the template's indicator table has a dozen rows) "
                "and keep long data in their own records (or raise limits.max_table_rows in report.yaml).",
            )


_TOO_BIG_FIX = ("Ask the agency to remove large pictures or embedded files and send it again, "
                "or raise limits.max_inflated_mb in report.yaml if the file is genuine.")


def _too_big_unzipped(limits: LimitsLike) -> str:
    return (f"The file expands to more than {limits.max_inflated_mb:g} MB when opened, "
            "far more than a return needs (it may be a 'zip bomb').")


def _member_name_is_safe(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return False
    parts = re.split(r"[\\/]", name)
    return ".." not in parts and not any(ord(c) < 32 for c in name)


def _printable(text: str, limit: int = 80) -> str:
    cleaned = "".join(c if c.isprintable() else "?" for c in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


# ---------------------------------------------------------------- attachment names

WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
MAX_NAME_CHARS = 120


def safe_attachment_name(name: str) -> str:
    """A file name that stays inside the folder it is saved to: basename only, no drive, '..' or control characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    text = text.replace("\\", "/")
    text = re.sub(r"^[A-Za-z]:", "", text)  # C:evil.docx or C:/evil/x.docx
    base = text.rsplit("/", 1)[-1]  # a name ending in a separator names a folder, not a file
    base = base.replace("..", "")
    base = WINDOWS_FORBIDDEN.sub("_", base).strip(" .")
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix) if dot and len(suffix) <= 10 else base[:MAX_NAME_CHARS]
    return base or "attachment"


# ---------------------------------------------------------------- running a reader

T = TypeVar("T")


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so a reader's `except Exception` cannot swallow it."""


def _out_of_time(signum, frame) -> None:
    raise _OutOfTime()


def run_with_limits(fn: Callable[..., T], *args, seconds: float, memory_mb: float | None = None, **kwargs) -> T:
    """fn(*args, **kwargs), with any failure turned into a Rejection, a wall-clock limit and a memory budget.

    The time limit uses SIGALRM, so it applies only in a main thread (a worker
    process's tasks run there; a thread pool's do not). A reader stuck inside
    one long C call (a parse) is stopped when that call returns.
    The memory budget (`memory_mb` more than the process holds when reading starts) is enforced
    by the system (RLIMIT_AS) in a reading worker process only: in the officer's own process it
    would also bind whatever else runs there. An allocation past it fails with MemoryError.
    The original error stays attached as __cause__ for debugging.
    """
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = None
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    restore_memory = _limit_memory(memory_mb) if use_alarm and memory_mb else None
    try:
        return fn(*args, **kwargs)
    except Rejection:
        raise
    except _OutOfTime:
        raise Rejection(
            f"The file took more than {seconds:g} seconds to read, so it was set aside "
            "(it may hold enormous or deeply nested tables).",
            "Ask the agency to send a shorter return (no very large tables), "
            "or raise limits.max_seconds_per_file in report.yaml.",
            code="read_timeout",
        ) from None
    except MemoryError:
        if restore_memory is not None:
            restore_memory()
            restore_memory = None
        budget = f" ({memory_mb:g} MB)" if memory_mb else ""
        raise Rejection(
            f"The file needs more memory to read than a return may take{budget}, so it was set aside "
            "(it may hold enormous tables or pictures, or be deliberately complex).",
            "Ask the agency to send a shorter return without very large tables or pictures, "
            "or raise limits.max_memory_mb_per_file in report.yaml if the file is genuine.",
            code="read_memory",
        ) from None
    except RecursionError as error:
        raise Rejection(
            "The file is nested too deeply to read (tables inside tables inside tables).",
            "Ask the agency to put the content in plain paragraphs or a single table and send it again.",
        ) from error
    except Exception as error:
        if os.environ.get("ASSEMBLER_DEBUG"):
            raise  # a maintainer looking for a fault in a reader wants the traceback, not the verdict
        # The detail names what failed, so a fault in a reader is not mistaken for a damaged file for long.
        detail = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}" if str(error) else type(error).__name__
        raise Rejection(
            f"The file is damaged inside and could not be read, although it opens as a Word or Excel package ({detail}).",
            "Ask the agency to check it opens on their computer, save it again and send the new copy.",
        ) from error
    finally:
        if restore_memory is not None:
            restore_memory()
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _limit_memory(memory_mb: float) -> Callable[[], None] | None:
    """Cap this worker's address space at what it holds now plus `memory_mb`; return what undoes it.

    Nothing is capped in the main process (see run_with_limits), nor where the system has no such limit."""
    import multiprocessing

    try:
        import resource
    except ImportError:  # not on this system
        return None
    if multiprocessing.parent_process() is None or not hasattr(resource, "RLIMIT_AS"):
        return None
    try:
        with open("/proc/self/statm", "rb") as handle:
            held = int(handle.read().split()[0]) * resource.getpagesize()
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = held + int(memory_mb * MB)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return None  # already held tighter
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (OSError, ValueError, IndexError):
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
