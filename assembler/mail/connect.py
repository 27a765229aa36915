"""Opening the SMTP and IMAP connections: TLS as report.yaml says, then the password or XOAUTH2 token.

Connection and login failures become `MailError`s that say which server,
what went wrong and what to check; the secret never appears in them.
"""

from __future__ import annotations

import imaplib
import smtplib
import socket
import ssl

from assembler.config.model import Mail, MailServer
from assembler.mail.errors import MailError

TIMEOUT_SECONDS = 30
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}
IMAP_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}


def _tls(mail: Mail) -> ssl.SSLContext:
    """Certificates checked against the system's authorities (and mail.ca_file, if given): never switched off."""
    try:
        return ssl.create_default_context(cafile=mail.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise MailError(f"mail.ca_file '{mail.ca_file}' cannot be used as a certificate ({_reason(exc)})",
                        "give the PEM file your IT team supplied, relative to the inputs folder") from None


def xoauth2_string(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (Google and Microsoft use the same form)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def where(server: MailServer, ports: dict[str, int]) -> str:
    return f"{server.host}:{server.port or ports[server.security]}"


def unreachable(kind: str, server: MailServer, ports: dict[str, int], exc: BaseException) -> MailError:
    reason = _reason(exc)
    return MailError(f"Could not reach the {kind} server {where(server, ports)} ({reason})",
                     f"check mail.{kind.lower()}.host, port and security in report.yaml, and that this computer is online; "
                     "then run the command again")


def no_starttls(kind: str, server: MailServer, ports: dict[str, int]) -> MailError:
    # Going on without encryption would send the password in the clear: never done silently.
    implicit = 993 if kind == "IMAP" else 465
    return MailError(f"The {kind} server {where(server, ports)} does not offer STARTTLS, so the password cannot be sent safely",
                     f"use security: ssl with the server's TLS port (usually {implicit}) for mail.{kind.lower()} in report.yaml")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: nothing is listening on that port"
    if isinstance(exc, socket.gaierror):
        return "no such host name"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(exc, ssl.SSLError):
        return f"the secure connection failed: {exc.reason or exc}"
    text = str(exc).strip() or type(exc).__name__
    return text[:160]


# ------------------------------------------------------------------- SMTP

def open_smtp(mail: Mail, secret: str) -> smtplib.SMTP:
    server = mail.smtp
    port = server.port or SMTP_PORTS[server.security]
    try:
        if server.security == "ssl":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(server.host, port, timeout=TIMEOUT_SECONDS,
                                                       context=_tls(mail))
        else:
            connection = smtplib.SMTP(server.host, port, timeout=TIMEOUT_SECONDS)
            if server.security == "starttls":
                connection.ehlo()
                if not connection.has_extn("starttls"):
                    _quit(connection)
                    raise no_starttls("SMTP", server, SMTP_PORTS)
                connection.starttls(context=_tls(mail))
        connection.ehlo_or_helo_if_needed()
    except (OSError, smtplib.SMTPException) as exc:
        raise unreachable("SMTP", server, SMTP_PORTS, exc) from None
    try:
        if mail.auth == "xoauth2":
            connection.auth("XOAUTH2", lambda challenge=None: "" if challenge else xoauth2_string(mail.user, secret))
        else:
            connection.login(mail.user, secret)
    except smtplib.SMTPAuthenticationError as exc:
        _quit(connection)
        raise login_refused("SMTP", mail, exc.smtp_code, _text(exc.smtp_error)) from None
    except smtplib.SMTPNotSupportedError:
        _quit(connection)
        raise MailError(f"The SMTP server {where(server, SMTP_PORTS)} does not offer sign-in"
                        + (" by XOAUTH2" if mail.auth == "xoauth2" else ""),
                        "check mail.smtp.security (many servers offer sign-in only after 'starttls') and mail.auth") from None
    except (OSError, smtplib.SMTPException) as exc:
        _quit(connection)
        raise unreachable("SMTP", server, SMTP_PORTS, exc) from None
    return connection


def login_refused(kind: str, mail: Mail, code, reply: str) -> MailError:
    what = "access token" if mail.auth == "xoauth2" else "password"
    detail = f" (server said: {code} {reply})" if reply else ""
    fix = ("get a fresh access token (they last about an hour) and check mail.user" if mail.auth == "xoauth2" else
           "check mail.user in report.yaml and the password in the environment variable or keyring; if the provider "
           "has switched off passwords (Microsoft 365, Gmail), use auth: xoauth2")
    return MailError(f"The {kind} server refused the {what} for {mail.user}{detail}", fix)


def _text(value) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value or "")
    return " ".join(text.split())[:200]


def _quit(connection) -> None:
    try:
        connection.quit()
    except Exception:
        try:
            connection.close()
        except Exception:
            pass


# ------------------------------------------------------------------- IMAP

def open_imap(mail: Mail, secret: str) -> imaplib.IMAP4:
    server = mail.imap
    port = server.port or IMAP_PORTS[server.security]
    try:
        if server.security == "ssl":
            connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(server.host, port, ssl_context=_tls(mail),
                                                         timeout=TIMEOUT_SECONDS)
        else:
            connection = imaplib.IMAP4(server.host, port, timeout=TIMEOUT_SECONDS)
            if server.security == "starttls":
                if "STARTTLS" not in connection.capabilities:
                    close_imap(connection)
                    raise no_starttls("IMAP", server, IMAP_PORTS)
                connection.starttls(ssl_context=_tls(mail))
    except (OSError, imaplib.IMAP4.error) as exc:
        raise unreachable("IMAP", server, IMAP_PORTS, exc) from None
    try:
        if mail.auth == "xoauth2":
            connection.authenticate("XOAUTH2", _Xoauth2Responder(xoauth2_string(mail.user, secret).encode("utf-8")))
        else:
            connection.login(mail.user, secret)
        # Servers announce more after sign-in (MOVE, UIDPLUS) than before it.
        status, data = connection.capability()
        if status == "OK" and data and data[-1]:
            connection.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())
    except imaplib.IMAP4.error as exc:
        close_imap(connection)
        raise login_refused("IMAP", mail, "", _text(exc.args[0] if exc.args else "")) from None
    except OSError as exc:
        close_imap(connection)
        raise unreachable("IMAP", server, IMAP_PORTS, exc) from None
    return connection


class _Xoauth2Responder:
    """The token on the first challenge; on a second one (the server's error details) an empty answer, as RFC 7628 asks."""

    def __init__(self, token: bytes):
        self.token: bytes | None = token

    def __call__(self, _challenge: bytes) -> bytes:
        token, self.token = self.token, None
        return token or b""


def close_imap(connection: imaplib.IMAP4) -> None:
    try:
        connection.logout()
    except Exception:
        try:
            connection.shutdown()
        except Exception:
            pass
