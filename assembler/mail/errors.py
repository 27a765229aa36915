"""Mailbox problems the officer can act on: what happened and what to do, never a traceback."""

from __future__ import annotations


class MailError(Exception):
    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message.rstrip('.')}. Fix: {self.fix}"
