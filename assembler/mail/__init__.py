"""The partnership's mailbox: templates and chase e-mails out over SMTP, returns in over IMAP.

Only the standard library talks to the servers (smtplib, imaplib, email). Every
failure the officer can meet (server unreachable, login refused, recipient
refused, connection dropped) is a `MailError` with a plain message and a fix.
"""
