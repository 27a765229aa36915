"""Saved e-mails: attachments read as returns, sender and date recorded, attachment names never trusted."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assembler.config import load_config
from assembler.intake import read_file
from assembler.intake_types import Rejected
from assembler.readers.email_return import read_email
from test_readers_builders import ABOUT, free_form_docx, eml_with

REPO = Path(__file__).resolve().parent.parent


def test_eml_attachment_is_read_with_sender_and_date(tmp_path):
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "mail.eml", [("MFRS return.docx", attachment)])
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert item.source.format == "eml" and item.source.attachment == "MFRS return.docx"
    assert item.source.sender == "youth.engagement@merseyfire.example"
    assert item.source.received == datetime.fromisoformat("2024-04-22T10:15:00+01:00")
    assert item.content.sections["about"][0].runs[0].text == ABOUT


def test_attachment_names_cannot_escape_the_work_folder(tmp_path):
    work = tmp_path / "work"
    outside = tmp_path / "evil.docx"
    eml = eml_with(tmp_path / "mail.eml", [("../evil.docx", b"PK not really"), ("C:\\Windows\\x.docx", b"data")])
    message = read_email(eml, "eml", work)
    assert not outside.exists()
    assert [a.name for a in message.attachments] == ["evil.docx", "x.docx"]
    assert message.attachments[0].described == "'../evil.docx' (saved as 'evil.docx')"
    assert all(a.path.parent == work for a in message.attachments)


def test_an_e_mail_without_attachments_is_rejected_with_a_fix(tmp_path):
    eml = eml_with(tmp_path / "empty.eml", [], subject="Return to follow")
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(eml, config, tmp_path / "img")
    assert isinstance(rejected, Rejected)
    assert "Return to follow" in rejected.reason and "attach" in rejected.fix


def test_a_bad_attachment_is_rejected_and_a_good_one_still_read(tmp_path):
    good = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "two.eml", [("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), ("return.docx", good)])
    config = load_config(REPO / "inputs" / "report.yaml")
    entries = read_file(eml, config, tmp_path / "img")
    rejected = [e for e in entries if isinstance(e, Rejected)]
    read = [e for e in entries if not isinstance(e, Rejected)]
    assert len(rejected) == 1 and "attachment 'old.doc'" in rejected[0].reason
    assert len(read) == 1 and read[0].source.attachment == "return.docx"


def test_outlook_msg_is_read_when_extract_msg_can_open_it(tmp_path):
    # No .msg writer exists in Python; a file that is not a real .msg must be rejected, not crash.
    fake = tmp_path / "fake.msg"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    config = load_config(REPO / "inputs" / "report.yaml")
    [entry] = read_file(fake, config, tmp_path / "img")
    assert isinstance(entry, Rejected) and "Traceback" not in entry.reason


def test_a_rejected_attachment_is_attributed_to_the_sender_agency(tmp_path):
    eml = eml_with(tmp_path / "mail.eml", [("return.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)],
                   sender="NWAS <safeguarding@nwas.example>")
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(eml, config, tmp_path / "img")
    assert isinstance(rejected, Rejected) and rejected.agency_id == "nwas"


def test_signature_pictures_are_not_returns(tmp_path):
    from test_readers_builders import png_bytes

    good = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "sig.eml", [("image001.png", png_bytes()), ("return.docx", good)])
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert item.source.attachment == "return.docx"
