"""The kinds of file the assembler reads, one row each: the table intake and the safety screen go by.

A row names a kind as the content sniffer (`safety.sniff`) names it, or brings
its own test of a file's first bytes for a kind the sniffer does not know; the
names such files have; its own safety screen, run after the common one; and
its reader. A file whose kind has no row is refused by the screen with what it
is and what to ask for: it is never handed to some other reader.

Adding an input format: its reader module in readers/, and one row below.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Literal

from lxml import etree

from assembler.excel_library import openpyxl
from assembler.readers.base import ReturnContent
from assembler.readers.docx_package import PARSER
from assembler.readers.docx_return import read_docx
from assembler.readers.email_return import Email, read_eml, read_msg
from assembler.readers.safety import LimitsLike, check_file, check_office_zip
from assembler.readers.xlsx_return import WORKBOOK_SUFFIXES, read_xlsx

ReadReturn = Callable[[Path, Path], ReturnContent]  # (file, folder for its pictures) -> the return
ReadMail = Callable[[Path, Path], Email]             # (file, folder for its attachments) -> the message


@dataclass(frozen=True)
class Reader:
    kind: str                   # the row's name, and what `safety.sniff` calls such a file by its content
    suffixes: tuple[str, ...]   # the names files of this kind have, the usual one first
    read: ReadReturn | ReadMail
    gives: Literal["return", "mail"] = "return"  # mail: a message whose attachments are read in turn
    screen: Callable[[Path, LimitsLike], None] | None = None  # after the common screen (size, true type)
    recognise: Callable[[bytes], bool] | None = None  # its first bytes, for a kind `safety.sniff` does not name


READERS: dict[str, Reader] = {row.kind: row for row in (
    Reader("docx", (".docx",), read_docx, screen=partial(check_office_zip, kind="docx")),
    Reader("xlsx", WORKBOOK_SUFFIXES, read_xlsx, screen=partial(check_office_zip, kind="xlsx")),
    Reader("eml", (".eml",), read_eml, gives="mail"),
    Reader("msg", (".msg",), read_msg, gives="mail"),
)}


def reader_for(path: Path, limits: LimitsLike) -> Reader:
    """The row that reads `path`, once the file has passed the safety screen; Rejection otherwise."""
    return READERS[check_file(path, limits, READERS)]


def parsers_are_safe() -> bool:
    """True if no reader's XML parser expands entities: lxml as the Word reader sets it up, openpyxl through defusedxml."""
    # lxml exposes no getter for its options; a parser made with
    # resolve_entities=False leaves an internal entity unexpanded.
    probe = b'<!DOCTYPE r [<!ENTITY e "expanded">]><r>&e;</r>'
    word_safe = "expanded" not in etree.tostring(etree.fromstring(probe, PARSER)).decode()
    return word_safe and bool(getattr(openpyxl, "DEFUSEDXML", False))
