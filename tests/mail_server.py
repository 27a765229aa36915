"""A real IMAP and SMTP server on 127.0.0.1 for the mailbox tests: mail-devel (pymap + aiosmtpd) in a subprocess.

--multi-user gives every address its own mailbox (all with one password), so
the tests can log in as each agency and as the partnership.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import os
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest

PASSWORD = "not-a-real-password-42"
REQUIRE_TOOLS = os.environ.get("ASSEMBLER_REQUIRE_TOOLS") == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class LocalMailServer:
    def __init__(self, log_path, cert: tuple[str, str] | None = None):
        self.imap_port, self.smtp_port, self.smtps_port = free_port(), free_port(), free_port()
        self.log_path = log_path
        self.cert = cert  # (certificate, key) PEM files: STARTTLS on IMAP and SMTP, and SMTPS
        self.process: subprocess.Popen | None = None

    def start(self) -> "LocalMailServer":
        try:
            import mail_devel  # noqa: F401
        except ImportError:
            if REQUIRE_TOOLS:
                raise
            pytest.skip("mail-devel is not installed (pip install -e '.[test]' installs it)")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mail_devel", "--host", "127.0.0.1", "--multi-user", "--password", PASSWORD,
             "--imap-port", str(self.imap_port), "--smtp-port", str(self.smtp_port), "--no-http", "--auth-required",
             *(["--cert", self.cert[0], "--key", self.cert[1], "--smtps-port", str(self.smtps_port)] if self.cert else [])],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not (_listening(self.imap_port) and _listening(self.smtp_port) and (not self.cert or _listening(self.smtps_port))):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"mail-devel did not start: {self.log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def mail_yaml(self, address: str, *, password_env: str = "ASSEMBLER_MAIL_PASSWORD", smtp_port: int | None = None,
                  imap_port: int | None = None) -> str:
        return (f"\nmail:\n  address: {address}\n  reply_to: {address}\n  user: {address}\n  secret_env: {password_env}\n"
                f"  contact: Jo Bloggs, business manager, on 0151 000 0000\n"
                f"  smtp: {{host: 127.0.0.1, port: {smtp_port or self.smtp_port}, security: plain}}\n"
                f"  imap: {{host: 127.0.0.1, port: {imap_port or self.imap_port}, security: plain}}\n")

    def imap(self, user: str) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        connection.login(user, PASSWORD)
        return connection

    def inbox(self, user: str) -> list[tuple[EmailMessage, bytes]]:
        """(message, flags line) for every message in the user's INBOX, read without changing any flag."""
        connection = self.imap(user)
        try:
            connection.select("INBOX", readonly=True)
            _, data = connection.uid("SEARCH", "ALL")
            found = []
            for uid in (data[0] or b"").split():
                _, parts = connection.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                head, body = next(p for p in parts if isinstance(p, tuple))
                found.append((email.message_from_bytes(body, policy=email.policy.default), head))
            return found
        finally:
            connection.logout()

    def send(self, message: EmailMessage, login: str) -> None:
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as connection:
            connection.login(login, PASSWORD)
            connection.send_message(message)


class Relay:
    """A relay in front of a plain port: adds implicit TLS (as on port 993; mail-devel's IMAP offers no TLS of its
    own), or cuts the line when the client sends `cut_on` for the `cut_at`-th time (a connection dropped halfway)."""

    def __init__(self, target_port: int, cert: str | None = None, key: str | None = None,
                 cut_on: bytes | None = None, cut_at: int = 0):
        import ssl
        import threading

        self.context = None
        if cert:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.context.load_cert_chain(cert, key)
        self.target_port = target_port
        self.cut_on, self.cut_at, self.seen = cut_on, cut_at, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed by stop()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        import select
        import ssl

        try:
            near = self.context.wrap_socket(client, server_side=True) if self.context else client
        except (OSError, ssl.SSLError):
            client.close()  # the client did not trust the certificate: that is what one test wants
            return
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        try:
            while True:
                readable, _, _ = select.select([near, upstream], [], [], 30)
                if not readable:
                    return
                if near in readable:
                    try:
                        data = near.recv(65536)
                    except ssl.SSLWantReadError:
                        continue
                    while self.context and near.pending():
                        data += near.recv(65536)
                    if not data or self._cut(data):
                        return
                    upstream.sendall(data)
                if upstream in readable:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    near.sendall(data)
        except (OSError, ssl.SSLError):
            return
        finally:
            near.close()
            upstream.close()

    def _cut(self, data: bytes) -> bool:
        if self.cut_on is None or self.cut_on not in data:
            return False
        self.seen += data.count(self.cut_on)
        return self.seen >= self.cut_at

    def stop(self) -> None:
        self.listener.close()
