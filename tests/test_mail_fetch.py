"""`assembler fetch` against a real IMAP server: read-only by default, what it leaves out, and what it remembers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import pytest
import yaml

from assembler.cli import main
from mail_server import PASSWORD, LocalMailServer
from test_readers_builders import free_form_docx

REPO = Path(__file__).resolve().parent.parent
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = LocalMailServer(tmp_path_factory.mktemp("mailserver") / "server.log").start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", PASSWORD)


def _inputs(base: Path, server, partnership: str, *, limits: dict | None = None, mail: dict | None = None) -> Path:
    inputs = base / "inputs"
    (inputs / "returns").mkdir(parents=True)
    data = yaml.safe_load((REPO / "inputs" / "report.yaml").read_text(encoding="utf-8"))
    data["agencies"] = data["agencies"][:8]
    data["mail"] = yaml.safe_load(server.mail_yaml(partnership))["mail"] | (mail or {})
    data["limits"] = data["limits"] | (limits or {})
    (inputs / "report.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return inputs


def _send(server, to: str, sender: str, subject: str, files: list[tuple[str, bytes, str]]) -> str:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="sender.example")
    message.set_content("Our return is attached.")
    for name, data, mime in files:
        message.add_attachment(data, maintype=mime.split("/")[0], subtype=mime.split("/")[1], filename=name)
    server.send(message, sender)
    return message["Message-ID"]


def _return(tmp_path: Path, title: str = "Merseyside Fire and Rescue Service") -> bytes:
    return free_form_docx(tmp_path / "r.docx", title=title).read_bytes()


def _fetch(inputs: Path, tmp_path: Path, *extra: str) -> int:
    return main(["fetch", "--inputs", str(inputs), "--out", str(tmp_path / "outputs"), *extra])


def _printed(capsys) -> str:
    captured = capsys.readouterr()
    return " ".join((captured.out + captured.err).split())


def test_mark_seen_and_move_to_only_when_asked(server, tmp_path, capsys):
    box = "seen-and-moved@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    _send(server, box, "ppu.wirral@merseyside-police.example", "Police return", [("Police.docx", _return(tmp_path, "Merseyside Police"), DOCX)])
    assert _fetch(inputs, tmp_path, "--mark-seen") == 0
    [(_, flags)] = server.inbox(box)
    assert b"\\Seen" in flags
    _send(server, box, "ppu.wirral@merseyside-police.example", "Police return v2", [("Police v2.docx", _return(tmp_path, "Merseyside Police"), DOCX)])
    assert _fetch(inputs, tmp_path, "--move-to", "Returns 2024") == 0
    assert "Moved 1 e-mails to Returns 2024" in _printed(capsys)
    assert len(server.inbox(box)) == 1  # the first one; the second is in the folder now
    connection = server.imap(box)
    status, data = connection.select('"Returns 2024"', readonly=True)
    assert status == "OK" and data == [b"1"]
    connection.logout()
    assert len(list((inputs / "returns" / "merseyside-police").glob("*.eml"))) == 2


def test_limits_no_attachment_and_since(server, tmp_path, capsys):
    box = "limits@partnership.example"
    inputs = _inputs(tmp_path, server, box, limits={"max_file_mb": 0.2}, mail={"max_attachments": 2})
    big = _send(server, box, "safeguarding@cwp.example", "CWP return", [("CWP.docx", b"x" * 300_000, DOCX)])
    many = _send(server, box, "safeguarding@nwas.example", "NWAS return",
                 [(f"part {n}.docx", _return(tmp_path, "North West Ambulance Service"), DOCX) for n in range(3)])
    _send(server, box, "safeguarding@wuth.example", "Ours is late", [])
    _send(server, box, "safeguarding@wuth.example", "WUTH return", [("WUTH.docx", _return(tmp_path, "Wirral University Teaching Hospital"), DOCX)])
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert _fetch(inputs, tmp_path, "--since", tomorrow) == 0
    assert "0 new e-mails" in _printed(capsys)
    assert _fetch(inputs, tmp_path) == 0
    printed = _printed(capsys)
    assert "from safeguarding@cwp.example | CWP return | the e-mail is" in printed and "over limits.max_file_mb (0.2 MB)" in printed
    assert "from safeguarding@nwas.example | NWAS return | the e-mail has 3 attachments, more than mail.max_attachments (2)" in printed
    assert "Ours is late | the e-mail has no attachment" in printed
    assert "4 new e-mails in INBOX" in printed and "1 saved" in printed and "3 not fetched" in printed
    assert [p.parent.name for p in (inputs / "returns").rglob("*.eml")] == ["wuth"]
    state = json.loads((inputs / "returns" / ".mailbox-state.json").read_text())
    assert big in state["message_ids"] and many in state["message_ids"]
    assert len(state["folders"]["INBOX"]["uids"]) == 4
    # Remembered, so not listed again.
    assert _fetch(inputs, tmp_path) == 0
    assert "0 new e-mails" in _printed(capsys)


def test_a_renumbered_folder_is_recognised_by_message_id(server, tmp_path, capsys):
    box = "renumbered@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    _send(server, box, "ppu.wirral@merseyside-police.example", "Police return",
          [("Police.docx", _return(tmp_path, "Merseyside Police"), DOCX)])
    assert _fetch(inputs, tmp_path) == 0
    state_path = inputs / "returns" / ".mailbox-state.json"
    state = json.loads(state_path.read_text())
    state["folders"]["INBOX"]["uidvalidity"] = "1"  # as if the server had rebuilt the folder
    state_path.write_text(json.dumps(state))
    capsys.readouterr()
    assert _fetch(inputs, tmp_path) == 0
    printed = _printed(capsys)
    assert "0 saved" in printed and "was fetched before" in printed
    assert len(list((inputs / "returns").rglob("*.eml"))) == 1


def test_hostile_subjects_and_senders_make_safe_file_names(server, tmp_path):
    box = "hostile@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    _send(server, box, "someone@nowhere.example", "../../../etc/passwd\\..\\C:\\x <script>",
          [("../../evil.docx", _return(tmp_path, "Unknown Agency"), DOCX)])
    assert _fetch(inputs, tmp_path) == 0
    [saved] = list((inputs / "returns").rglob("*.eml"))
    assert saved.parent == inputs / "returns" / "unknown"
    assert saved.name.endswith("-etc-passwd-C-x-script.eml")


def test_a_covering_text_with_an_unknown_field_is_a_plain_message(server, tmp_path, capsys):
    inputs = _inputs(tmp_path, server, "x@partnership.example", mail={"body": "Dear {agency}, by {deadline} please."})
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "o")]) == 1
    printed = _printed(capsys)
    assert "report.yaml mail.body uses {deadline}, which is not a field" in printed and "{due}" in printed


def test_an_email_nested_thousands_deep_is_kept_for_check_to_reject(tmp_path, capsys):
    """Neither the test server's SMTP nor its IMAP side can store such an e-mail (both parse it, and both fail),
    so the fetch step is handed the bytes as an IMAP server would send them."""
    from assembler.config import load_config
    from assembler.mail.fetcher import FetchState, _fetch_one
    from assembler.readers.agency_match import AgencyMatcher

    raw = b"From: a@b.example\nSubject: inner\n\nhello\n"
    for depth in range(3000):
        raw = (b"From: x@y.example\nSubject: fw\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n"
               b"--b%d\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n" % (depth, depth) + raw + b"\n--b%d--\n" % depth)

    class Server:
        def uid(self, command, uid, what):
            if "RFC822.SIZE" in what:
                return "OK", [b"1 (UID 7 RFC822.SIZE %d)" % len(raw)]
            return "OK", [(b"1 (UID 7 BODY[] {%d}" % len(raw), raw), b")"]

    inputs = _inputs(tmp_path, type("S", (), {"mail_yaml": LocalMailServer.mail_yaml, "smtp_port": 1, "imap_port": 1})(),
                     "nested@partnership.example")
    config = load_config(inputs / "report.yaml")
    returns = inputs / "returns"
    [saved], message_id = _fetch_one(Server(), 7, config, config.mail, AgencyMatcher(config), returns,
                                     FetchState(returns / ".mailbox-state.json"), set())
    assert saved.agency_id is None and saved.how == "could not be read as an e-mail: RecursionError"
    assert saved.path.parent == returns / "unknown" and saved.path.read_bytes() == raw
    assert main(["check", "--inputs", str(inputs), "--chase-out", str(tmp_path / "outputs")]) == 1
    printed = _printed(capsys)
    assert f"rejected: unknown agency | {saved.path.name} |" in printed and "Traceback" not in printed


def test_a_connection_dropped_halfway_through_a_fetch_is_resumed(server, tmp_path, capsys):
    from mail_server import Relay

    box = "dropped@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    senders = ["csc.safeguarding@wirral.example", "ppu.wirral@merseyside-police.example", "safeguarding@wchc.example",
               "safeguarding.team@wuth.example"]
    for sender in senders:
        _send(server, box, sender, "Our return", [("return.docx", _return(tmp_path, "Return"), DOCX)])
    relay = Relay(server.imap_port, cut_on=b"BODY.PEEK[]", cut_at=3)  # the line dies as the third e-mail is asked for
    try:
        cut = _inputs(tmp_path / "cut", server, box)
        report = cut / "report.yaml"
        report.write_text(report.read_text().replace(f"port: {server.imap_port}", f"port: {relay.port}"))
        (cut / "returns").rmdir()
        (cut / "returns").symlink_to(inputs / "returns")  # the same returns folder, reached through the relay
        assert _fetch(cut, tmp_path) == 1
    finally:
        relay.stop()
    printed = _printed(capsys)
    assert "was lost" in printed and "run assembler fetch again" in printed and "Traceback" not in printed
    assert len(list((inputs / "returns").rglob("*.eml"))) == 2
    assert _fetch(inputs, tmp_path) == 0
    assert "2 new e-mails in INBOX" in _printed(capsys)
    saved = sorted(p.parent.name for p in (inputs / "returns").rglob("*.eml"))
    assert saved == ["merseyside-police", "wchc", "wirral-council", "wuth"]  # each once


def test_bounces_and_our_own_template_quoted_back_are_not_returns(server, tmp_path, capsys):
    box = "bounced@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "outputs")]) == 0  # the dry run: a template e-mail
    ours = (tmp_path / "outputs" / "outbox" / "template-icb.eml").read_bytes().split(b"\n", 1)[1]  # without X-Unsent
    template = message_from_bytes(ours, policy=policy.default)
    bounce = EmailMessage()
    bounce["From"], bounce["To"], bounce["Subject"] = "MAILER-DAEMON@mx.example", box, "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = make_msgid(domain="mx.example")
    bounce.set_content("This is the mail system. Your message could not be delivered.")
    bounce.add_attachment(template)
    bounce.replace_header("Content-Type", bounce["Content-Type"].replace("multipart/mixed", "multipart/report; report-type=delivery-status"))
    server.send(bounce, "mailer-daemon@mx.example")
    quoted = EmailMessage()
    quoted["From"], quoted["To"], quoted["Subject"] = "safeguarding.wirral@cheshireandmerseyside.example", box, "RE: your template"
    quoted["Message-ID"] = make_msgid(domain="cheshireandmerseyside.example")
    quoted.set_content("We will reply next week.")
    quoted.add_attachment(template)  # Outlook: "reply with the original attached"
    server.send(quoted, "safeguarding.wirral@cheshireandmerseyside.example")
    capsys.readouterr()
    assert _fetch(inputs, tmp_path) == 0
    printed = _printed(capsys)
    assert "Undelivered Mail Returned to Sender | a delivery report (an e-mail bounced or was delayed)" in printed
    assert "RE: your template | the e-mail has no attachment" in printed
    assert list((inputs / "returns").rglob("*.eml")) == []


def test_a_signed_e_mail_is_fetched_by_its_return_and_an_encrypted_one_is_named(server, tmp_path, capsys):
    """A signed e-mail's return is inside what it signed (its signature is no return), and an encrypted e-mail's
    cannot be seen: it was 'the e-mail has no attachment'."""
    from test_readers_builders import encrypted_message, signed_message

    box = "sealed@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    sender = "ppu.wirral@merseyside-police.example"
    signed = signed_message([("Police.docx", _return(tmp_path, "Merseyside Police"))], sender=sender, subject="Signed return")
    encrypted = encrypted_message(sender=sender, subject="Encrypted return")
    for message in (signed, encrypted):
        message.replace_header("To", box)
        message["Message-ID"] = make_msgid(domain="sender.example")
        server.send(message, sender)
    assert _fetch(inputs, tmp_path) == 0
    printed = _printed(capsys)
    saved = sorted(p.name for p in (inputs / "returns").rglob("*.eml"))
    assert len(saved) == 1 and "Signed-return" in saved[0]
    assert "the e-mail is encrypted (S/MIME or PGP), so whether it holds a return cannot be seen here" in printed


def test_an_e_mail_sharing_the_return_online_is_named_with_its_link(server, tmp_path, capsys):
    box = "shared-link@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    link = "https://merseysidepolice-my.sharepoint.com/:w:/g/personal/ppu/EaBcD123"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ppu.wirral@merseyside-police.example", box, "Shared: WSCP return"
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="sender.example")
    message.set_content(f"PPU Wirral shared a file with you\n\nWSCP return.docx\n{link}\n")
    server.send(message, "ppu.wirral@merseyside-police.example")
    assert _fetch(inputs, tmp_path) == 0
    assert not list((inputs / "returns").rglob("*.eml"))
    assert f"the e-mail links to a file kept online ({link}) instead of attaching it; it was not fetched" in _printed(capsys)


def test_apple_mail_s_text_pieces_around_a_signature_picture_are_no_attachment(server, tmp_path, capsys):
    """'Will send it Friday', a logo inline, 'Dave': the last piece of text was counted as a file, so the e-mail was
    fetched as a return (and check then said it had none)."""
    from test_readers_builders import png_bytes

    box = "apple-pieces@partnership.example"
    inputs = _inputs(tmp_path, server, box)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ppu.wirral@merseyside-police.example", box, "Our return"
    message["Date"], message["Message-ID"] = formatdate(localtime=True), make_msgid(domain="sender.example")
    message.make_mixed()
    for piece in ("Will send it on Friday.", png_bytes(), "Dave"):
        part = EmailMessage()
        if isinstance(piece, str):
            part.set_content(piece)
        else:
            part.set_content(piece, maintype="image", subtype="png", disposition="inline", filename="logo.png")
        message.attach(part)
    server.send(message, "ppu.wirral@merseyside-police.example")
    assert _fetch(inputs, tmp_path) == 0
    assert not list((inputs / "returns").rglob("*.eml"))
    assert "the e-mail has no attachment (a picture in a signature does not count); it was not fetched" in _printed(capsys)

