"""The mailbox when things go wrong: server down, wrong password, refused recipients, a dropped connection.
And `assembler chase`, through the same sender and the same send log.

Each failure gives one plain message (no traceback), exit code 1, and a send
log that says exactly what went out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assembler.cli import main
from assembler.config import load_config
from mail_server import PASSWORD, LocalMailServer, free_port

REPO = Path(__file__).resolve().parent.parent
PARTNERSHIP = "board@partnership.example"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = LocalMailServer(tmp_path_factory.mktemp("mailserver") / "server.log").start()
    yield running
    running.stop()


def _inputs(base: Path, mail_yaml: str, agencies: int | None = None) -> Path:
    inputs = base / "inputs"
    inputs.mkdir(parents=True)
    text = (REPO / "inputs" / "report.yaml").read_text(encoding="utf-8")
    if agencies is not None:  # a shorter registry: the first few agencies
        data = yaml.safe_load(text)
        data["agencies"] = data["agencies"][:agencies]
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (inputs / "report.yaml").write_text(text + mail_yaml, encoding="utf-8")
    (inputs / "returns").mkdir()
    return inputs


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", PASSWORD)


def _plain(capsys) -> str:
    captured = capsys.readouterr()
    printed = captured.out + captured.err
    assert "Traceback" not in printed and PASSWORD not in printed
    return " ".join(printed.split())


# ---------------------------------------------------------------- connection and login

def test_server_down_is_a_plain_message_and_nothing_is_logged(server, tmp_path, capsys):
    closed = free_port()
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP, smtp_port=closed, imap_port=closed), agencies=3)
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert f"Could not reach the SMTP server 127.0.0.1:{closed} (connection refused" in printed
    assert "Fix: check mail.smtp.host, port and security" in printed
    assert not (out / "mail-log.json").exists()
    assert main(["fetch", "--inputs", str(inputs), "--out", str(out)]) == 1
    assert f"Could not reach the IMAP server 127.0.0.1:{closed}" in _plain(capsys)


def test_wrong_password_is_a_plain_message(server, tmp_path, capsys, monkeypatch):
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP), agencies=3)
    out = tmp_path / "outputs"
    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", "wrong-horse-battery")
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert f"The SMTP server refused the password for {PARTNERSHIP}" in printed and "wrong-horse-battery" not in printed
    assert not (out / "mail-log.json").exists()
    assert main(["fetch", "--inputs", str(inputs), "--out", str(out)]) == 1
    printed = _plain(capsys)
    assert f"The IMAP server refused the password for {PARTNERSHIP}" in printed and "wrong-horse-battery" not in printed
    assert not (inputs / "returns" / ".mailbox-state.json").exists()


def test_no_password_anywhere_names_the_variable(server, tmp_path, capsys, monkeypatch):
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP), agencies=2)
    monkeypatch.delenv("ASSEMBLER_MAIL_PASSWORD")
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "o"), "--send"]) == 1
    assert "the environment variable ASSEMBLER_MAIL_PASSWORD is not set" in _plain(capsys)


def test_a_password_in_report_yaml_is_refused(server, tmp_path, capsys):
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP) + "  password: hunter2\n", agencies=2)
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "o")]) == 1
    printed = _plain(capsys)
    assert "mail: 'password' does not belong in report.yaml" in printed and "hunter2" not in printed


# ---------------------------------------------------------------- a misbehaving SMTP server

class Refusing:
    """An aiosmtpd handler: refuses some recipients, and can drop the connection in the middle of a message."""

    def __init__(self, refuse: dict[str, str], drop_at: int | None = None, rate_limit: int | None = None):
        self.refuse, self.drop_at, self.rate_limit = refuse, drop_at, rate_limit
        self.delivered: list[str] = []  # recipients of every message accepted
        self.data_commands = 0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.rate_limit is not None and len(self.delivered) >= self.rate_limit:
            return "452 4.4.2 Message submission rate for this client has exceeded the configured limit"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.drop_at is not None and self.data_commands == self.drop_at:
            server.transport.close()  # the line goes dead before the server says it has the message
            return "421 closing"
        self.delivered += envelope.rcpt_tos
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    started = []

    def start(handler):
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), auth_require_tls=False,
                                authenticator=lambda *args: AuthResult(success=True))
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for controller in started:
        controller.stop()


def test_a_refused_recipient_and_a_full_mailbox_are_logged_and_the_others_still_go(server, tmp_path, capsys, smtp_server):
    config_probe = _inputs(tmp_path / "probe", "", agencies=5)
    agencies = load_config(config_probe / "report.yaml").agencies
    handler = Refusing({agencies[1].email: "550 5.1.1 No such user here", agencies[3].email: "452 4.2.2 Mailbox full"})
    port = smtp_server(handler)
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP, smtp_port=port), agencies=5)
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert f"Not delivered to {agencies[1].id} <{agencies[1].email}>: the server refused the recipient (550 5.1.1 No such user here)" in printed
    assert f"Not delivered to {agencies[3].id} <{agencies[3].email}>: the recipient's mailbox is full (452" in printed
    assert sorted(handler.delivered) == sorted(a.email for i, a in enumerate(agencies) if i not in (1, 3))
    log = json.loads((out / "mail-log.json").read_text())["messages"]
    assert {e["agency_id"]: e["status"] for e in log} == {a.id: ("refused" if i in (1, 3) else "sent") for i, a in enumerate(agencies)}
    # Once the addresses are right (here: the server stops refusing), a re-run sends only to those two.
    handler.refuse.clear()
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert sorted(handler.delivered) == sorted(a.email for a in agencies)


def test_a_connection_dropped_halfway_leaves_a_true_log_and_the_rerun_sends_only_the_rest(server, tmp_path, capsys, smtp_server):
    handler = Refusing({}, drop_at=4)
    port = smtp_server(handler)
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP, smtp_port=port), agencies=8)
    agencies = load_config(inputs / "report.yaml").agencies
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert "Sending stopped: the server closed the connection" in printed and "run the same command again" in printed
    assert handler.delivered == [a.email for a in agencies[:3]]
    log = json.loads((out / "mail-log.json").read_text())["messages"]
    assert [(e["agency_id"], e["status"]) for e in log] == [(a.id, "sent") for a in agencies[:3]] + [(agencies[3].id, "failed")]
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert handler.delivered == [a.email for a in agencies]  # each agency exactly once
    log = json.loads((out / "mail-log.json").read_text())["messages"]
    assert sorted(e["agency_id"] for e in log if e["status"] == "sent") == sorted(a.id for a in agencies)
    # --again sends one agency its template a second time, and only that one.
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send", "--again", agencies[5].id]) == 0
    assert handler.delivered == [a.email for a in agencies] + [agencies[5].email]


def test_a_sending_limit_pauses_the_run_and_pause_seconds_spaces_the_messages(server, tmp_path, capsys, smtp_server):
    import time

    handler = Refusing({}, rate_limit=2)
    port = smtp_server(handler)
    inputs = _inputs(tmp_path, server.mail_yaml(PARTNERSHIP, smtp_port=port), agencies=4)
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert "Sending paused by the server: it will take no more for now (452 4.4.2 Message submission rate" in printed
    assert "set mail.pause_seconds" in printed and len(handler.delivered) == 2
    handler.rate_limit = None
    with open(inputs / "report.yaml", "a", encoding="utf-8") as handle:
        handle.write("  pause_seconds: 0.3\n")
    started = time.monotonic()
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert time.monotonic() - started >= 0.3  # two messages, one pause between them
    assert len(handler.delivered) == 4 and len(set(handler.delivered)) == 4


# ---------------------------------------------------------------- chase

def test_chase_sends_the_chase_list_once_through_the_same_sender(server, tmp_path, capsys):
    inputs = _inputs(tmp_path, server.mail_yaml("chaser@partnership.example"), agencies=4)
    agencies = load_config(inputs / "report.yaml").agencies
    out = tmp_path / "outputs"
    assert main(["chase", "--inputs", str(inputs), "--out", str(out)]) == 1
    assert "run 'assembler check' first" in _plain(capsys)
    main(["check", "--inputs", str(inputs), "--chase-out", str(out)])  # nothing has come back: all four are chased
    capsys.readouterr()
    assert main(["chase", "--inputs", str(inputs), "--out", str(out)]) == 0
    drafts = sorted((out / "outbox").glob("chase-*.eml"))
    assert [d.name for d in drafts] == sorted(f"chase-{a.id}.eml" for a in agencies)
    assert server.inbox(agencies[0].email) == [] or all("chase" not in str(m["Subject"]) for m, _ in server.inbox(agencies[0].email))
    assert main(["chase", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    for agency in agencies:
        chases = [m for m, _ in server.inbox(agency.email) if m["From"] == "chaser@partnership.example"]
        [chase] = chases
        assert chase["Subject"].endswith("your agency's return has not arrived")
        assert agency.name in chase.get_body(("plain",)).get_content()
    log = json.loads((out / "mail-log.json").read_text())["messages"]
    assert sorted((e["kind"], e["agency_id"]) for e in log) == sorted(("chase", a.id) for a in agencies)
    capsys.readouterr()
    assert main(["chase", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert "Nothing to send" in _plain(capsys)
    assert main(["chase", "--inputs", str(inputs), "--out", str(out), "--send", "--again", agencies[2].id]) == 0
    assert len([m for m, _ in server.inbox(agencies[2].email) if m["From"] == "chaser@partnership.example"]) == 2
    assert len([m for m, _ in server.inbox(agencies[1].email) if m["From"] == "chaser@partnership.example"]) == 1


# ---------------------------------------------------------------- OAuth 2.0 (Microsoft 365, Gmail)

class OAuthServer(Refusing):
    """Accepts SASL XOAUTH2 with one token, as Microsoft 365 does: on a bad token, a JSON challenge, then 535."""

    def __init__(self, user: str, token: str):
        super().__init__({})
        self.expected = f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
        self.attempts: list[bytes] = []

    async def auth_XOAUTH2(self, server, args):
        import base64

        from aiosmtpd.smtp import AuthResult

        answer = base64.b64decode(args[1]) if len(args) > 1 else b""
        self.attempts.append(answer)
        if answer == self.expected:
            return AuthResult(success=True)
        await server.challenge_auth('{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/SMTP.Send"}')
        return AuthResult(success=False, handled=False)


def _oauth_yaml(server, port: int, token_command: str | None) -> str:
    text = server.mail_yaml(PARTNERSHIP, smtp_port=port).replace("  secret_env: ASSEMBLER_MAIL_PASSWORD\n", "  auth: xoauth2\n")
    return text + (f"  token_command: {token_command}\n" if token_command else "")


def test_xoauth2_token_from_a_token_command(server, tmp_path, capsys, smtp_server):
    import sys

    handler = OAuthServer(PARTNERSHIP, "eyJ0eXAi.fresh-token")
    port = smtp_server(handler)
    script = tmp_path / "token.py"
    script.write_text("print('eyJ0eXAi.fresh-token')\n")
    inputs = _inputs(tmp_path, _oauth_yaml(server, port, f"{sys.executable} {script}"), agencies=2)
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--send"]) == 0
    assert len(handler.delivered) == 2 and handler.attempts == [handler.expected]
    assert "eyJ0eXAi" not in _plain(capsys)


def test_xoauth2_expired_token_from_the_environment_is_a_plain_message(server, tmp_path, capsys, smtp_server, monkeypatch):
    handler = OAuthServer(PARTNERSHIP, "the-right-token")
    port = smtp_server(handler)
    monkeypatch.setenv("ASSEMBLER_MAIL_TOKEN", "an-expired-token")
    inputs = _inputs(tmp_path, _oauth_yaml(server, port, None), agencies=2)
    out = tmp_path / "out"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert f"The SMTP server refused the access token for {PARTNERSHIP}" in printed and "get a fresh access token" in printed
    assert "an-expired-token" not in printed and handler.delivered == [] and not (out / "mail-log.json").exists()
    monkeypatch.setenv("ASSEMBLER_MAIL_TOKEN", "the-right-token")
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert len(handler.delivered) == 2


def test_a_failing_token_command_is_a_plain_message(server, tmp_path, capsys, smtp_server):
    import sys

    port = smtp_server(OAuthServer(PARTNERSHIP, "x"))
    script = tmp_path / "token.py"
    script.write_text("import sys\nprint('partial-secret')\nsys.exit('AADSTS700082: the refresh token has expired')\n")
    inputs = _inputs(tmp_path, _oauth_yaml(server, port, f"{sys.executable} {script}"), agencies=2)
    assert main(["send", "--inputs", str(inputs), "--out", str(tmp_path / "out"), "--send"]) == 1
    printed = _plain(capsys)
    assert "The token command in mail.token_command gave no access token (AADSTS700082" in printed
    assert "partial-secret" not in printed


def test_imap_xoauth2_answers_an_error_challenge_with_an_empty_line():
    from assembler.mail.connect import _Xoauth2Responder, xoauth2_string

    responder = _Xoauth2Responder(xoauth2_string("a@b.example", "tok").encode())
    assert responder(b"") == b"user=a@b.example\x01auth=Bearer tok\x01\x01"
    assert responder(b'{"status":"400"}') == b""


def test_chase_send_refuses_a_list_older_than_the_returns(server, tmp_path, capsys):
    import os

    inputs = _inputs(tmp_path, server.mail_yaml("stale@partnership.example"), agencies=3)
    out = tmp_path / "outputs"
    main(["check", "--inputs", str(inputs), "--chase-out", str(out)])
    late = inputs / "returns" / "cafcass" / "2026-reply.eml"
    late.parent.mkdir()
    late.write_bytes(b"From: a@b.example\n\nhello\n")
    later = max(p.stat().st_mtime for p in (out / "chase").glob("*.txt")) + 5
    os.utime(late, (later, later))
    capsys.readouterr()
    assert main(["chase", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = _plain(capsys)
    assert "1 returns arrived after the chase list was written (e.g. 2026-reply.eml)" in printed and "nothing was sent" in printed
    assert not (out / "mail-log.json").exists()


def test_the_password_can_come_from_the_system_keyring(monkeypatch):
    import sys
    import types

    from assembler.config.model import Mail
    from assembler.mail.credentials import mail_secret

    stored = {("assembler", "wscp@example.org"): "from-the-keyring"}
    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=lambda service, user: stored.get((service, user))))
    monkeypatch.delenv("ASSEMBLER_MAIL_PASSWORD")
    mail = Mail(address="wscp@example.org", user="wscp@example.org", smtp={"host": "h"}, imap={"host": "h"})
    assert mail_secret(mail) == "from-the-keyring"
    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", "from-the-environment")
    assert mail_secret(mail) == "from-the-environment"  # the variable wins: it is set for this one session
