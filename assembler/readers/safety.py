"""Gatekeeping for files that arrive from outside, before any reader parses them.

Every return comes by e-mail from another organisation, so any of them can be
broken, huge or hostile. `check_file` looks at a file's bytes (never its name
alone), checks sizes against `report.yaml`'s limits and walks .docx/.xlsx
packages member by member with bounded reads, so that a zip bomb, an XML
entity attack or a disguised file is turned into a plain-English `Rejection`
(what is wrong, what to ask the agency for) instead of a hang or a traceback.

The XML parsers behind the readers are safe on their own as well: Word returns
are parsed with lxml, `resolve_entities=False` and `no_network=True`
(`docx_package.PARSER`), and openpyxl switches to defusedxml when it is
installed (it is a dependency; `parsers_are_safe()` verifies both at run time).
"""

from __future__ import annotations

import os

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
from typing import Callable, Protocol, TypeVar

# ---------------------------------------------------------------- rejection


class Rejection(Exception):
    """A file that must not be read, with what to ask its sender for instead."""

    def __init__(self, reason: str, fix: str):
        super().__init__(f"{reason} {fix}")
        self.reason = reason
        self.fix = fix


class LimitsLike(Protocol):
    """The fields of `assembler.config.model.Limits` this module uses."""

    max_file_mb: float
    max_inflated_mb: float
    max_zip_entries: int
    max_seconds_per_file: float
    # Optional: max_table_rows, max_table_depth, max_workbook_cells (defaults below).


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
            names = set(package.namelist())
            try:
                info = package.getinfo("[Content_Types].xml")
            except KeyError:
                return "zip"
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                return "zip"
            with package.open(info) as member:
                types = member.read(CONTENT_TYPES_MAX_BYTES + 1)[:CONTENT_TYPES_MAX_BYTES]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, KeyError, IndexError, struct.error):
        return "zip"
    text = types.decode("utf-8", errors="replace").lower()
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    if WORD_MACRO in text or WORD_MACRO_TEMPLATE in text:
        return "docm"
    if EXCEL_MACRO in text or EXCEL_MACRO_TEMPLATE in text or EXCEL_BINARY in text:
        return "xlsm"
    if WORD_MAIN in text:
        return "docm" if has_macros else "docx"
    if EXCEL_MAIN in text:
        return "xlsm" if has_macros else "xlsx"
    return "zip"


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
ZIP_KINDS = ("docx", "xlsx", "docm", "xlsm", "zip")
ACCEPTED_KINDS = ("docx", "xlsx", "eml", "msg")
RESEND_FIX = "Ask the agency to send the return again as the .docx or .xlsx template they were given."
SAVE_AS_FIX = ("Ask the agency to open it, choose File > Save As, pick 'Word Document (.docx)' "
               "(or 'Excel Workbook (.xlsx)' for a spreadsheet) and send that file.")


def check_file(path: Path, limits: LimitsLike) -> str:
    """The file's kind ("docx", "xlsx", "eml" or "msg") if it is safe to read; otherwise raise Rejection."""
    try:
        status = path.stat()
    except OSError as error:
        raise Rejection("The file could not be opened.", RESEND_FIX) from error
    if not stat.S_ISREG(status.st_mode):  # a pipe or device would block or never end
        raise Rejection("This is not an ordinary file (it is a folder, a device or a pipe).", RESEND_FIX)
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
    except OSError as error:
        raise Rejection("The file could not be read.", RESEND_FIX) from error
    if kind in ("doc", "xls"):
        raise Rejection(f"This is an old-style (.{kind}) file, which the report cannot read safely.", LEGACY_FIX[kind])
    if kind == "ole":
        raise Rejection(
            "This is an old-style Office file or a password-protected one, which the report cannot read.",
            "Ask the agency to remove any password and save it as a Word Document (.docx) or "
            "Excel Workbook (.xlsx), then send that file.",
        )
    if kind == "pdf":
        raise Rejection(
            "This is a PDF, not the Word or Excel template (whatever its name says).",
            "Ask the agency to fill in and send back the .docx or .xlsx template, not a PDF of it.",
        )
    if kind in ZIP_KINDS:
        check_office_zip(path, limits)
    if kind in ("docm", "xlsm"):
        raise Rejection(
            "The file contains macros (programs), which the report does not open for safety.",
            "Ask the agency to save a copy without macros: in Word choose Save As 'Word Document (.docx)', "
            "in Excel 'Excel Workbook (.xlsx)', and send that copy.",
        )
    if kind not in ACCEPTED_KINDS:
        reason = _what_else(path, kind)
        fix = RESEND_FIX if reason.startswith("This is not") else SAVE_AS_FIX
        raise Rejection(reason, fix)
    return kind


# Formats that often arrive instead of the template, named so the officer knows what happened.
OTHER_FORMATS = (
    (b"{\\rtf", "This is a Rich Text (RTF) file, not the Word template, whatever its name says."),
    (b"<html", "This is a web page, not the Word template, whatever its name says."),
    (b"<!doctype html", "This is a web page, not the Word template, whatever its name says."),
    (b"mime-version:", "This is a saved web page (.mht), not the Word template, whatever its name says."),
)


def _what_else(path: Path, kind: str) -> str:
    """The rejection reason for a file that is none of the formats we read, as specific as cheaply possible."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, reason in OTHER_FORMATS:
        if text.startswith(magic):
            return reason
    if b"mso-application" in text and b"word.document" in text:
        return "This is a Word 2003 XML file, an old format the report cannot read."
    if kind == "zip" and head[30:38] == b"mimetype" and b"opendocument" in head[38:120]:
        return "This is an OpenDocument file (from LibreOffice or OpenOffice), not the Word or Excel template."
    if kind == "zip":
        return "This is a compressed (.zip) folder, not a Word or Excel file, whatever its name says."
    return "This is not a Word, Excel or e-mail file, whatever its name says."


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


def check_office_zip(path: Path, limits: LimitsLike) -> None:
    """Raise Rejection unless the .docx/.xlsx package is intact, modest once unzipped and free of XML declarations."""
    started = time.monotonic()
    inflated_limit = int(limits.max_inflated_mb * MB)
    counted = _count_entries(path) or 0
    if counted > limits.max_zip_entries:
        raise _too_many_parts(counted, limits)
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
            _check_directory(members, limits, inflated_limit)
            actual_total = 0
            cells = [0]
            for info in members:
                actual_total = _scan_member(package, info, actual_total, inflated_limit, started, limits, cells)
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


def _scan_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, actual_total: int,
                 inflated_limit: int, started: float, limits: LimitsLike, cells_so_far: list[int]) -> int:
    """Read one member in chunks, counting real bytes (never trusting the header); return the new total."""
    scan_xml = not info.filename.lower().endswith(BINARY_SUFFIXES)
    shape = _shape_counter(info.filename, cells_so_far, limits)
    tail = b""
    markers = NARROW_DANGER
    with package.open(info) as member:
        while True:
            chunk = member.read(CHUNK)
            if not chunk:
                return actual_total
            if not tail and b"\x00" in chunk[:4]:
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
                shape.feed(chunk)
            if time.monotonic() - started > limits.max_seconds_per_file:
                raise Rejection(
                    f"The file took more than {limits.max_seconds_per_file:g} seconds to check, so it was set aside.",
                    "Ask the agency to send a smaller file, or raise limits.max_seconds_per_file in report.yaml.",
                )


# Word returns are a few pages: an indicator table has a dozen rows and a layout
# table may hold another. Far beyond that, the file is a stress test, not a return,
# and reading and printing it would take minutes.
MAX_TABLE_ROWS = 5000
MAX_TABLE_DEPTH = 8
_TABLE_TAG = re.compile(rb"<(/?)w:(tbl|tr)([\s>/])")
_WORD_STORY = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$", re.IGNORECASE)


_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# A return workbook holds a few hundred cells; openpyxl needs about a second per 20,000.
MAX_SHEET_CELLS = 100_000
_CELL_TAGS = (b"<c ", b"<c>")


def _shape_counter(name: str, cells_so_far: list[int], limits: LimitsLike):
    """The counter that watches this part's shape as it streams past, if it is a part we bound."""
    if _WORD_STORY.match(name):
        return _TableShape(name, getattr(limits, "max_table_rows", MAX_TABLE_ROWS), getattr(limits, "max_table_depth", MAX_TABLE_DEPTH))
    if _WORKSHEET.match(name):
        return _CellCount(cells_so_far, getattr(limits, "max_workbook_cells", MAX_SHEET_CELLS))
    return None


class _CellCount:
    """Counts worksheet cells (<c> elements) across every sheet of a workbook, without parsing."""

    def __init__(self, total: list[int], most: int):
        self.total = total  # shared by the workbook's sheets: one mutable count
        self.most = most
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        window = self.carry + chunk
        self.total[0] += sum(window.count(tag) for tag in _CELL_TAGS)
        self.carry = window[-2:]  # shorter than a tag, so never counted twice
        if self.total[0] > self.most:
            raise Rejection(
                f"The workbook has more than {self.most:,} filled cells, far more than a return needs; "
                "reading it would take too long.",
                "Ask the agency to send the return template with its key figures only, not their full data "
                "(or raise limits.max_workbook_cells in report.yaml).",
            )


class _TableShape:
    """Counts table rows and nesting depth in a Word part as it streams past, without parsing it."""

    def __init__(self, part: str, max_rows: int, max_depth: int):
        self.part = part
        self.max_rows, self.max_depth = max_rows, max_depth
        self.rows = 0
        self.depth = 0
        self.carry = b""

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        # Hold back a possibly cut tag ('<w:t' at the end) for the next chunk.
        last_open = data.rfind(b"<")
        if last_open != -1 and len(data) - last_open < 12:
            data, self.carry = data[:last_open], data[last_open:]
        else:
            self.carry = b""
        for closing, tag, after in _TABLE_TAG.findall(data):
            if tag == b"tr":
                self.rows += 0 if closing else 1
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
        if self.rows > self.max_rows:
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


def run_with_limits(fn: Callable[..., T], *args, seconds: float, **kwargs) -> T:
    """fn(*args, **kwargs), with any failure turned into a Rejection and a wall-clock limit.

    The limit uses SIGALRM, so it applies only in a main thread (a worker
    process's tasks run there; a thread pool's do not). A reader stuck inside
    one long C call (a parse) is stopped when that call returns.
    The original error stays attached as __cause__ for debugging.
    """
    use_alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = None
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _out_of_time)
        signal.setitimer(signal.ITIMER_REAL, seconds)
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
        ) from None
    except MemoryError:
        raise Rejection(
            "The file needs more memory to read than the report allows.",
            "Ask the agency to send a shorter return without very large tables or pictures.",
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
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- parsers


def parsers_are_safe() -> bool:
    """True if the Word reader never resolves entities and openpyxl parses through defusedxml."""
    from assembler.excel_library import openpyxl
    from assembler.readers.docx_package import PARSER

    # lxml exposes no getter for its options; a parser made with
    # resolve_entities=False leaves an internal entity unexpanded.
    from lxml import etree

    probe = b'<!DOCTYPE r [<!ENTITY e "expanded">]><r>&e;</r>'
    docx_safe = "expanded" not in (etree.tostring(etree.fromstring(probe, PARSER)).decode())
    return docx_safe and bool(getattr(openpyxl, "DEFUSEDXML", False))
