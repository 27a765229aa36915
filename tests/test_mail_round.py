"""The yearly round through a real mailbox: send the templates, the agencies reply, fetch, check, build.

mail-devel runs a real IMAP (pymap) and SMTP (aiosmtpd) server on 127.0.0.1
with a mailbox for every address; nothing leaves the machine.
"""

from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import docx
import pytest

from assembler.cli import main
from assembler.config import load_config
from assembler.readers.docx_return import read_docx
from assembler.readers.xlsx_return import read_xlsx
from mail_server import LocalMailServer
from test_readers_builders import fill_excel_template, fill_word_template, free_form_docx

REPO = Path(__file__).resolve().parent.parent
PARTNERSHIP = "wscp@partnership.example"
OTHER_ADDRESS = {"merseyside-police": "j.smith@merseyside-police.example",   # a colleague on the agency's own domain
                 "cafcass": "cafcass.admin@personal-mail.example",           # a private address; the subject names the agency
                 "open-door": "helpdesk@outsourced-it.example"}              # nothing but the template says who it is
FORWARDED = "yjs"          # a colleague forwards the return from elsewhere
AS_ATTACHMENT = "koala"    # forwarded as an attachment (Outlook's "Forward as Attachment"): the agency's e-mail inside
TWO_FILES = "nspcc"        # the return and a PDF covering letter
HOSTILE = "rasa"           # a second e-mail whose attachment is a zip bomb named ../../evil.docx


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = LocalMailServer(tmp_path_factory.mktemp("mailserver") / "server.log").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def round_trip(server, tmp_path_factory):
    """Inputs without returns, with mail: settings for the local server; the run's folders."""
    base = tmp_path_factory.mktemp("round")
    inputs = base / "inputs"
    shutil.copytree(REPO / "inputs", inputs, ignore=shutil.ignore_patterns("returns"))
    (inputs / "returns").mkdir()
    with open(inputs / "report.yaml", "a", encoding="utf-8") as handle:
        handle.write(server.mail_yaml(PARTNERSHIP))
    return {"inputs": inputs, "out": base / "outputs", "base": base, "config": load_config(inputs / "report.yaml")}


@pytest.fixture(autouse=True)
def password(monkeypatch):
    from mail_server import PASSWORD

    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", PASSWORD)


def run(*args: str) -> int:
    return main(list(args))


def test_1_dry_run_writes_drafts_and_sends_nothing(server, round_trip, capsys):
    inputs, out, config = round_trip["inputs"], round_trip["out"], round_trip["config"]
    assert run("send", "--inputs", str(inputs), "--out", str(out)) == 0
    drafts = sorted((out / "outbox").glob("template-*.eml"))
    assert [d.name for d in drafts] == sorted(f"template-{a.id}.eml" for a in config.agencies)
    first = drafts[0].read_bytes()
    assert first.startswith(b"X-Unsent: 1\n")
    assert "nothing was sent" in capsys.readouterr().out
    assert not (out / "mail-log.json").exists()
    assert server.inbox(config.agencies[0].email) == []


def test_2_send_delivers_each_agency_its_own_template_once(server, round_trip, capsys, tmp_path):
    inputs, out, config = round_trip["inputs"], round_trip["out"], round_trip["config"]
    assert run("send", "--inputs", str(inputs), "--out", str(out), "--send") == 0
    log = json.loads((out / "mail-log.json").read_text())["messages"]
    assert sorted(e["agency_id"] for e in log if e["status"] == "sent") == sorted(a.id for a in config.agencies)
    for agency in config.agencies:
        [(message, flags)] = server.inbox(agency.email)
        assert message["Message-ID"] == next(e["message_id"] for e in log if e["agency_id"] == agency.id)
        assert message["Reply-To"] == PARTNERSHIP and message["From"] == PARTNERSHIP
        body = " ".join(message.get_body(("plain",)).get_content().split())
        assert agency.name in body and "30 April 2024" in body and "2023-24" in body
        assert "about your agency 300 words" in body and "Jo Bloggs, business manager" in body
        [attachment] = list(message.iter_attachments())
        name = attachment.get_filename()
        assert name == f"WSCP return 2023-24 - {agency.id}.{agency.format}"
        saved = tmp_path / name
        saved.write_bytes(attachment.get_payload(decode=True))
        reader = read_docx if agency.format == "docx" else read_xlsx
        identity = reader(saved, tmp_path / "img").identity
        assert (identity.agency_id, identity.period) == (agency.id, "2023-24")  # its own template, no one else's
    # A re-run sends nothing: every agency has had its template.
    capsys.readouterr()
    assert run("send", "--inputs", str(inputs), "--out", str(out), "--send") == 0
    assert "Nothing to send" in capsys.readouterr().out
    assert len(server.inbox(config.agencies[0].email)) == 1
    assert len(json.loads((out / "mail-log.json").read_text())["messages"]) == len(config.agencies)


def _reply(agency, template_message, sender: str, attachments: list[tuple[str, bytes, str]], *, subject=None, body=None):
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = template_message["Reply-To"]
    reply["Subject"] = subject or f"RE: {template_message['Subject']}"
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[1])
    reply["In-Reply-To"] = template_message["Message-ID"]
    reply.set_content(body or "Please find our return attached.\n\nKind regards")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        reply.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return reply


def _zip_bomb() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        package.writestr("word/document.xml", b"<w:document>" + b" " * 30_000_000 + b"</w:document>")
    return buffer.getvalue()


def test_3_agencies_reply_and_fetch_collects_every_return(server, round_trip, capsys, tmp_path):
    inputs, out, config = round_trip["inputs"], round_trip["out"], round_trip["config"]
    for number, agency in enumerate(config.agencies):
        [(template_message, _)] = server.inbox(agency.email)
        [attachment] = list(template_message.iter_attachments())
        blank = tmp_path / attachment.get_filename()
        blank.write_bytes(attachment.get_payload(decode=True))
        filled = tmp_path / f"filled-{agency.id}.{agency.format}"
        texts = {"about": f"{agency.name} keeps children safe in Wirral.",
                 "activity": f"In 2023 {agency.id} trained {number + 10} staff.",
                 "priorities": f"Priority for {agency.id}: listen to children.", "contact_email": agency.email}
        if agency.format == "docx":
            fill_word_template(blank, filled, texts, indicators=[["Staff trained", f"{number + 10}", "", "2023-24", ""]])
        else:
            fill_excel_template(blank, filled, texts, indicators=[["Staff trained", number + 10, None, "2023-24"]])
        mime = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if agency.format == "docx"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        files = [(attachment.get_filename(), filled.read_bytes(), mime)]
        if agency.id == TWO_FILES:
            files.append(("Covering letter.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"))
        sender = OTHER_ADDRESS.get(agency.id, agency.email)
        if agency.id == FORWARDED:
            sender = "team.admin@forwarding-service.example"
            reply = _reply(agency, template_message, sender, files, subject="FW: our return",
                           body=f"Forwarding this on behalf of the team.\n\n---------- Forwarded message ---------\n"
                                f"From: YJS Team <{agency.email}>\nSubject: return\n\nHere it is.")
        elif agency.id == AS_ATTACHMENT:
            inner = _reply(agency, template_message, agency.email, files)
            sender = "office.manager@another-org.example"
            reply = _reply(agency, template_message, sender, [], subject="FW: as requested", body="See the attached e-mail.")
            reply.add_attachment(inner)
        elif agency.id == "open-door":
            reply = _reply(agency, template_message, sender, [("return.docx", files[0][1], mime)], subject="Our return")
        else:
            reply = _reply(agency, template_message, sender, files)
        server.send(reply, sender)
        if agency.id == HOSTILE:
            server.send(_reply(agency, template_message, agency.email, [("../../evil.docx", _zip_bomb(), "application/octet-stream")],
                               subject="updated version"), agency.email)
    # Someone outside the registry, and a message with no attachment.
    stranger = free_form_docx(tmp_path / "Sefton return.docx", title="Sefton Council Children's Services")
    server.send(_reply(None, {"Reply-To": PARTNERSHIP, "Subject": "Annual return", "Message-ID": "<x@y>"},
                       "admin@sefton-council.example", [("Sefton return.docx", stranger.read_bytes(), "application/octet-stream")]),
                "admin@sefton-council.example")
    server.send(_reply(None, {"Reply-To": PARTNERSHIP, "Subject": "Our return", "Message-ID": "<z@y>"}, config.agencies[0].email, [],
                       body="Sorry, ours will be a week late."), config.agencies[0].email)

    capsys.readouterr()
    assert run("fetch", "--inputs", str(inputs), "--out", str(out)) == 0
    printed = capsys.readouterr().out
    returns = inputs / "returns"
    by_folder = {}
    for path in returns.rglob("*.eml"):
        by_folder.setdefault(path.parent.name, []).append(path)
    for agency in config.agencies:
        if agency.id == "open-door":
            continue
        expected = 2 if agency.id == HOSTILE else 1
        assert len(by_folder.get(agency.id, [])) == expected, (agency.id, printed)
    assert len(by_folder["unknown"]) == 2  # Sefton, and the help desk nothing but the template identifies
    assert all(p.resolve().is_relative_to(returns.resolve()) for p in returns.rglob("*"))
    assert not (round_trip["base"] / "evil.docx").exists() and not (inputs / "evil.docx").exists()
    assert "no attachment" in printed and "week late" not in printed
    assert "from j.smith@merseyside-police.example (sender)" in printed
    assert "(forwarded sender)" in printed
    [inner] = by_folder[AS_ATTACHMENT]
    assert inner.name.endswith("-forwarded-1.eml") and "(forwarded e-mail, sender)" in printed


def test_4_check_attributes_every_return_and_build_builds(round_trip, capsys):
    inputs, out, config = round_trip["inputs"], round_trip["out"], round_trip["config"]
    export = round_trip["base"] / "returns.json"
    code = run("check", "--inputs", str(inputs), "--json", str(export), "--chase-out", str(out))
    data = json.loads(export.read_text())
    assert sorted(s["agency_id"] for s in data["submissions"]) == sorted(a.id for a in config.agencies)
    assert data["missing"] == []
    assert [s["agency_name"] for s in data["unknown"]] == ["Sefton Council Children's Services"]
    rejected = " ".join(r["message"] for r in data["rejected"])
    assert "Covering letter.pdf" in rejected and "evil.docx" in rejected
    assert code == 1  # the unknown sender and the two unusable attachments are for the officer to act on
    capsys.readouterr()
    assert run("build", "--inputs", str(inputs), "--out", str(out)) == 0
    text = "\n".join(p.text for p in docx.Document(str(out / "annual-report.docx")).paragraphs)
    for agency in config.agencies:
        assert f"Priority for {agency.id}: listen to children." in text, agency.id


def test_5_second_fetch_fetches_nothing_and_the_inbox_is_untouched(server, round_trip, capsys):
    inputs, out, config = round_trip["inputs"], round_trip["out"], round_trip["config"]
    before = sorted(str(p) for p in (inputs / "returns").rglob("*"))
    capsys.readouterr()
    assert run("fetch", "--inputs", str(inputs), "--out", str(out)) == 0
    assert "0 new e-mails" in capsys.readouterr().out
    assert sorted(str(p) for p in (inputs / "returns").rglob("*")) == before
    inbox = server.inbox(PARTNERSHIP)
    assert len(inbox) == len(config.agencies) + 3  # every reply, the hostile one, the stranger and the note
    assert all(b"\\Seen" not in flags for _, flags in inbox)
