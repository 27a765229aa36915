"""The password or OAuth 2.0 access token for the mailbox: never in report.yaml, never printed.

Looked for in this order: the token command (xoauth2), the environment
variable, then the system keyring (the optional `keyring` package).
"""

from __future__ import annotations

import os
import shlex
import subprocess

from assembler.config.model import Mail
from assembler.mail.errors import MailError

TOKEN_COMMAND_SECONDS = 60


def secret_env_name(mail: Mail) -> str:
    if mail.secret_env:
        return mail.secret_env
    return "ASSEMBLER_MAIL_TOKEN" if mail.auth == "xoauth2" else "ASSEMBLER_MAIL_PASSWORD"


def mail_secret(mail: Mail) -> str:
    """The password (auth: password) or access token (auth: xoauth2)."""
    what = "access token" if mail.auth == "xoauth2" else "password"
    if mail.auth == "xoauth2" and mail.token_command:
        return _from_command(mail.token_command)
    name = secret_env_name(mail)
    value = os.environ.get(name)
    if value:
        return value
    value = _from_keyring(mail.keyring_service, mail.user)
    if value:
        return value
    raise MailError(
        f"No mail {what} for {mail.user}: the environment variable {name} is not set"
        + (" and the system keyring has no entry for it" if _keyring_available() else ""),
        f"set {name} in this terminal (it is never written to report.yaml), e.g. 'read -s {name} && export {name}'"
        + (f", or store it once with 'keyring set {mail.keyring_service} {mail.user}'" if _keyring_available() else "")
        + (", or give mail.token_command in report.yaml" if mail.auth == "xoauth2" else ""),
    )


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=TOKEN_COMMAND_SECONDS, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise MailError(f"The token command in mail.token_command could not be run ({type(exc).__name__})",
                        "check the command in report.yaml runs in this terminal and prints the access token") from None
    token = done.stdout.strip().splitlines()[-1].strip() if done.stdout.strip() else ""
    if done.returncode != 0 or not token:
        # stderr may describe the failure; stdout may hold a partial token, so it is never shown.
        detail = done.stderr.strip().splitlines()[-1][:200] if done.stderr.strip() else f"exit code {done.returncode}"
        raise MailError(f"The token command in mail.token_command gave no access token ({detail})",
                        "run the command yourself, sign in again if it asks, and try once more")
    return token


def _keyring_available() -> bool:
    try:
        import keyring  # noqa: F401
    except ImportError:
        return False
    return True


def _from_keyring(service: str, user: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(service, user)
    except Exception:  # no keyring backend on this machine (a server, a container): the variable is the way
        return None
