"""Saved e-mails: attachments read as returns, sender and date recorded, attachment names never trusted."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from assembler.config import load_config
from assembler.intake import read_file
from assembler.problems import Problem
from assembler.readers.email_return import read_eml
from assembler.readers.table import READERS
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
    message = read_eml(eml, work)
    assert not outside.exists()
    assert [a.name for a in message.attachments] == ["evil.docx", "x.docx"]
    assert message.attachments[0].described == "'../evil.docx' (saved as 'evil.docx')"
    assert all(a.path.parent == work for a in message.attachments)


def test_an_e_mail_without_attachments_is_rejected_with_a_fix(tmp_path):
    eml = eml_with(tmp_path / "empty.eml", [], subject="Return to follow")
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(eml, config, tmp_path / "img")
    assert isinstance(rejected, Problem)
    assert "Return to follow" in rejected.message and "attach" in rejected.fix


def test_an_e_mail_with_only_a_picture_or_the_return_in_its_text_says_so(tmp_path):
    """'has no attachment' was all an officer was told of a scan attached, or a return typed into the e-mail."""
    from test_readers_builders import png_bytes

    config = load_config(REPO / "inputs" / "report.yaml")
    scan = eml_with(tmp_path / "scan.eml", [("return page 1.png", png_bytes())], subject="WSCP return")
    [rejected] = read_file(scan, config, tmp_path / "img")
    assert rejected.message == ("the e-mail 'WSCP return' has only pictures attached ('return page 1.png'): a picture "
                                "or scan of a return cannot be read")
    assert "not a picture of it" in rejected.fix
    typed = eml_with(tmp_path / "typed.eml", [], subject="WSCP return", body=(
        "Dear colleague,\n\nAbout our agency and what we do\nWe run youth clubs.\n\n"
        "2023 activity and what we would like to celebrate\nWe opened a hub.\n"))
    [rejected] = read_file(typed, config, tmp_path / "img")
    assert "its text looks like the return itself (it has the headings 'About our agency and what we do', " in rejected.message
    assert "copy the e-mail's text into the template" in rejected.fix


def test_a_return_forwarded_in_the_text_by_a_colleague_is_credited_to_the_agency_quoted(tmp_path):
    """Jo at the council forwards SEND Local Offer's e-mail with its return: the quoted sender is the agency."""
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "fw.eml", [("return.docx", attachment)], sender="Jo Bloggs <jo.bloggs@gmail.example>",
                   subject="FW: WSCP return", body=("Forwarding this one.\n\n-----Original Message-----\n"
                                                     "From: SEND Local Offer <sendlo@wirral.example>\nSubject: return\n"))
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert item.source.sender == "sendlo@wirral.example"


def _html_only_eml(path: Path, html: str, attachments: list[tuple[str, bytes]], sender: str) -> Path:
    """An e-mail as Outlook on the web or a phone sends it: no plain-text part, only HTML."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "wscp@wirral.example", "FW: WSCP return"
    message["Date"] = "Mon, 22 Apr 2024 10:15:00 +0100"
    message.set_content(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(bytes(message))
    return path


def test_an_html_only_forward_is_credited_to_the_agency_quoted(tmp_path):
    """Outlook quotes the original's headers in HTML ('<b>From:</b> SEND Local Offer &lt;sendlo@...&gt;<br>'):
    only a plain-text body was searched, so the forward was the colleague's, not SEND Local Offer's."""
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    html = ("<html><head><style>p.MsoNormal {margin:0}</style></head><body><p class=MsoNormal>Forwarding this one."
            "<o:p></o:p></p><div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> "
            "SEND Local Offer &lt;sendlo@wirral.example&gt; <br><b>Sent:</b> 19 April 2024 09:02<br><b>Subject:</b> "
            "return</p></div></body></html>")
    eml = _html_only_eml(tmp_path / "fw.eml", html, [("return.docx", attachment)], "Jo Bloggs <jo.bloggs@gmail.example>")
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert item.source.sender == "sendlo@wirral.example"


def test_an_html_only_e_mail_with_the_return_typed_in_a_table_says_so(tmp_path):
    html = ("<p>Our return is below.</p><table><tr><td><b>About our agency and what we do</b></td><td>We run youth "
            "clubs.</td></tr><tr><td>2023 activity and what we would like to celebrate</td><td>We opened a hub."
            "</td></tr></table>")
    eml = _html_only_eml(tmp_path / "typed.eml", html, [], "Dave <youth.engagement@merseyfire.example>")
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(eml, config, tmp_path / "img")
    assert ("its text looks like the return itself (it has the headings 'About our agency and what we do', "
            "'2023 activity and what we would like to celebrate')") in rejected.message


def test_html_words_keep_lines_and_leave_out_what_is_never_shown():
    from assembler.readers.email_return import html_words

    assert html_words("<head><title>x</title><style>b{}</style></head><body><p>One<br>Two &amp; three</p>"
                      "<script>alert(1)</script><ul><li>Four</li></ul></body>") == "One\nTwo & three\nFour"
    assert html_words("") == "" and html_words("<!-- nothing -->") == ""


def test_a_signed_e_mail_s_return_is_read_and_its_signature_is_not_a_rejected_file(tmp_path):
    """NHSmail and police forces sign their e-mails (S/MIME): the return sits inside what was signed, and was never
    read; the signature 'smime.p7s' was rejected as 'not a Word, Excel or e-mail file' instead."""
    from test_readers_builders import signed_message

    path = tmp_path / "signed.eml"
    path.write_bytes(bytes(signed_message([("MFRS return.docx", free_form_docx(tmp_path / "r.docx").read_bytes())])))
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(path, config, tmp_path / "img")
    assert not isinstance(item, Problem)
    assert item.source.attachment == "MFRS return.docx" and item.source.sender == "youth.engagement@merseyfire.example"
    assert item.content.sections["about"][0].runs[0].text == ABOUT


def test_an_encrypted_e_mail_says_so_rather_than_that_it_has_no_attachment(tmp_path):
    from test_readers_builders import encrypted_message

    path = tmp_path / "encrypted.eml"
    path.write_bytes(bytes(encrypted_message()))
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(path, config, tmp_path / "img")
    assert rejected.message == ("the e-mail 'Our WSCP return' is encrypted (S/MIME or PGP), so its text and any return "
                                "attached cannot be opened here")
    assert "save the attached return into returns/" in rejected.fix


def test_an_e_mail_sharing_the_return_online_says_so(tmp_path):
    """'Jo Bloggs shared "WSCP return.docx" with you': a link to SharePoint or OneDrive, no file attached. It was
    'the e-mail has no attachment', and the officer went looking for one; also when a logo is attached."""
    from test_readers_builders import png_bytes

    link = "https://wirralcouncil.sharepoint.com/:w:/s/CSC/EaBcD123?e=x7Yz"
    shared = eml_with(tmp_path / "shared.eml", [("image001.png", png_bytes())], subject="WSCP return", body=(
        f"Jo Bloggs shared a file with you\n\nWSCP return 2023-24.docx\n<{link}>\n\nOpen"))
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(shared, config, tmp_path / "img")
    assert rejected.message == (f"the e-mail 'WSCP return' links to a file kept online ({link}) instead of "
                                "attaching it: only attached files are read")
    assert rejected.fix.startswith("open the link, download the file and save it into returns/")


def test_apple_mail_s_text_after_an_inline_return_is_text_not_a_rejected_file(tmp_path):
    """Apple Mail sends 'Here it is:', the return inline, then 'Thanks, Dave' as three parts: the last was taken for
    an attachment and rejected as 'not a Word, Excel or e-mail file'."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Dave <youth.engagement@merseyfire.example>", "w@x.example", "Return"
    message["Date"] = "Mon, 22 Apr 2024 10:15:00 +0100"
    message.make_mixed()
    for text, data in (("Here it is:", None), (None, free_form_docx(tmp_path / "r.docx").read_bytes()),
                       ("Thanks, Dave", None)):
        part = EmailMessage()
        if data is None:
            part.set_content(text)
        else:
            part.set_content(data, maintype="application", disposition="inline", filename="MFRS return.docx",
                             subtype="vnd.openxmlformats-officedocument.wordprocessingml.document")
        message.attach(part)
    path = tmp_path / "apple.eml"
    path.write_bytes(bytes(message))
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(path, config, tmp_path / "img")
    assert item.source.attachment == "MFRS return.docx"
    assert read_eml(path, tmp_path / "work").body.split() == ["Here", "it", "is:", "Thanks,", "Dave"]


def test_a_bad_attachment_is_rejected_and_a_good_one_still_read(tmp_path):
    good = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "two.eml", [("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600), ("return.docx", good)])
    config = load_config(REPO / "inputs" / "report.yaml")
    entries = read_file(eml, config, tmp_path / "img")
    rejected = [e for e in entries if isinstance(e, Problem)]
    read = [e for e in entries if not isinstance(e, Problem)]
    assert len(rejected) == 1 and "attachment 'old.doc'" in rejected[0].message
    assert len(read) == 1 and read[0].source.attachment == "return.docx"


def test_outlook_msg_is_read_when_extract_msg_can_open_it(tmp_path):
    # No .msg writer exists in Python; a file that is not a real .msg must be rejected, not crash.
    fake = tmp_path / "fake.msg"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    config = load_config(REPO / "inputs" / "report.yaml")
    [entry] = read_file(fake, config, tmp_path / "img")
    assert isinstance(entry, Problem) and "Traceback" not in entry.message


def test_a_rejected_attachment_is_attributed_to_the_sender_agency(tmp_path):
    eml = eml_with(tmp_path / "mail.eml", [("return.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)],
                   sender="NWAS <safeguarding@nwas.example>")
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(eml, config, tmp_path / "img")
    assert isinstance(rejected, Problem) and rejected.agency_id == "nwas"


def test_signature_pictures_are_not_returns(tmp_path):
    from test_readers_builders import png_bytes

    good = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "sig.eml", [("image001.png", png_bytes()), ("return.docx", good)])
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert item.source.attachment == "return.docx"


# --- files recognised by their content (issue 15) ---------------------------------------------

def _forward(inner: bytes, path: Path, *, as_file: str | None = None) -> Path:
    """The officer's e-mail carrying `inner` whole: as message/rfc822 (Outlook's 'Forward as attachment'),
    or as a saved file attached under `as_file` (often with no extension)."""
    import email
    import email.policy
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "Officer <wscp@wirral.example>"
    message["To"] = "team@wirral.example"
    message["Subject"] = "Fwd: Our WSCP return"
    message["Date"] = "Thu, 02 May 2024 09:00:00 +0100"
    message.set_content("See below.")
    if as_file:
        message.add_attachment(inner, maintype="application", subtype="octet-stream", filename=as_file)
    else:
        message.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
    path.write_bytes(bytes(message))
    return path


def test_a_return_forwarded_as_an_attachment_is_read_and_credited_to_its_sender(tmp_path):
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    inner = eml_with(tmp_path / "inner.eml", [("MFRS return.docx", attachment)]).read_bytes()
    config = load_config(REPO / "inputs" / "report.yaml")
    for forwarded in (_forward(inner, tmp_path / "fwd.eml"), _forward(inner, tmp_path / "saved.eml", as_file="ATT00002")):
        [item] = read_file(forwarded, config, tmp_path / "img")
        assert not isinstance(item, Problem), item
        assert item.source.attachment == "MFRS return.docx" and item.source.path == str(forwarded)
        # The agency's own e-mail says who sent it and when, not the officer's forward.
        assert item.source.sender == "youth.engagement@merseyfire.example"
        assert item.source.received == datetime.fromisoformat("2024-04-22T10:15:00+01:00")
        assert item.content.sections["about"][0].runs[0].text == ABOUT


def test_a_forwarded_e_mail_without_a_return_is_reported_as_such(tmp_path):
    inner = eml_with(tmp_path / "inner.eml", [], subject="Return to follow").read_bytes()
    config = load_config(REPO / "inputs" / "report.yaml")
    [rejected] = read_file(_forward(inner, tmp_path / "fwd.eml"), config, tmp_path / "img")
    assert isinstance(rejected, Problem)
    assert "'Return to follow' (forwarded inside fwd.eml) has no attachment" in rejected.message
    assert rejected.agency_id == "mfrs"  # the forwarded e-mail's sender


def test_e_mails_inside_e_mails_stop_at_a_depth_and_the_good_return_beside_them_is_read(tmp_path):
    good = free_form_docx(tmp_path / "return.docx").read_bytes()
    nested = eml_with(tmp_path / "deep.eml", [("deep.docx", good)]).read_bytes()
    for level in range(3):
        nested = _forward(nested, tmp_path / f"level{level}.eml").read_bytes()
    outer = eml_with(tmp_path / "mail.eml", [("MFRS return.docx", good), ("chain.eml", nested)])
    config = load_config(REPO / "inputs" / "report.yaml")
    entries = read_file(outer, config, tmp_path / "img")
    read = [e for e in entries if not isinstance(e, Problem)]
    rejected = [e for e in entries if isinstance(e, Problem)]
    assert [e.source.attachment for e in read] == ["MFRS return.docx"]
    [too_deep] = rejected
    assert "more than 3 deep" in too_deep.message and "'chain.eml'" in too_deep.message and "one e-mail" in too_deep.fix


def test_a_body_in_an_unknown_charset_does_not_cost_the_attachment(tmp_path):
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "mail.eml", [("MFRS return.docx", attachment)])
    raw = eml.read_bytes()
    marked = raw.replace(b'text/plain; charset="utf-8"', b'text/plain; charset="x-mac-klingon"', 1)
    assert marked != raw
    eml.write_bytes(marked)
    message = read_eml(eml, tmp_path / "work")
    assert "Please find our return attached." in message.body  # decoded as best it can be
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert not isinstance(item, Problem), item
    assert item.content.sections["about"][0].runs[0].text == ABOUT


def test_an_attachment_name_in_an_unknown_charset_is_kept_as_it_can_be(tmp_path):
    attachment = free_form_docx(tmp_path / "return.docx").read_bytes()
    eml = eml_with(tmp_path / "mail.eml", [("MFRS return.docx", attachment)])
    raw = eml.read_bytes()
    marked = raw.replace(b'filename="MFRS return.docx"', b"filename*=x-mac-klingon''MFRS%20return.docx", 1)
    assert marked != raw
    eml.write_bytes(marked)
    config = load_config(REPO / "inputs" / "report.yaml")
    [item] = read_file(eml, config, tmp_path / "img")
    assert not isinstance(item, Problem), item
    assert "MFRS" in item.source.attachment


def test_attachments_are_read_by_what_they_are_whatever_their_names(tmp_path, monkeypatch):
    from test_readers_builders import rows_workbook

    read_as = []
    for kind in ("docx", "xlsx"):
        row = READERS[kind]
        monkeypatch.setitem(READERS, kind, replace(
            row, read=lambda path, images, row=row: read_as.append(row.kind) or row.read(path, images)))
    word = free_form_docx(tmp_path / "return.docx").read_bytes()
    book = rows_workbook(tmp_path / "figures.xlsx", [["About our agency and what we do", ABOUT]]).read_bytes()
    eml = eml_with(tmp_path / "mail.eml", [("ATT00001", word), ("figures.docx", book)])
    config = load_config(REPO / "inputs" / "report.yaml")
    entries = read_file(eml, config, tmp_path / "img")
    assert not [e for e in entries if isinstance(e, Problem)], entries
    assert [e.source.attachment for e in entries] == ["ATT00001", "figures.docx"] and read_as == ["docx", "xlsx"]
    assert entries[0].content.sections["about"][0].runs[0].text == ABOUT
    assert entries[1].content.sections["about"][0].runs[0].text == ABOUT


def test_html_words_of_a_body_that_opens_with_an_xml_declaration():
    """XHTML as some mail programs write it: lxml refuses a str that declares its encoding, and the whole body was
    read as no words (the forwarded sender and a return typed in it lost)."""
    from assembler.readers.email_return import html_words

    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
             "<p><b>From:</b> Jane Hart &lt;jane.hart@wirral-send.example&gt;</p></body></html>")
    assert html_words(xhtml) == "From: Jane Hart <jane.hart@wirral-send.example>"
