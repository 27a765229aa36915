"""The mailbox over TLS: STARTTLS for IMAP and SMTP, implicit TLS (SMTPS), and a certificate that is not trusted."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import pytest
import yaml

from assembler.cli import main
from mail_server import PASSWORD, LocalMailServer, Relay

REPO = Path(__file__).resolve().parent.parent
BOX = "tls@partnership.example"


def _self_signed(folder: Path) -> tuple[str, str]:
    """A certificate for 127.0.0.1 that is its own authority, as an organisation's internal one would be."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "assembler test mail server")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("cryptography")
    folder = tmp_path_factory.mktemp("tls")
    cert = _self_signed(folder)
    running = LocalMailServer(folder / "server.log", cert=cert).start()
    running.imaps = Relay(running.imap_port, *cert)
    yield running
    running.imaps.stop()
    running.stop()


@pytest.fixture(autouse=True)
def password(monkeypatch):
    monkeypatch.setenv("ASSEMBLER_MAIL_PASSWORD", PASSWORD)


def _inputs(base: Path, server, smtp: dict, imap: dict, trust: bool = True) -> Path:
    inputs = base / "inputs"
    (inputs / "returns").mkdir(parents=True)
    data = yaml.safe_load((REPO / "inputs" / "report.yaml").read_text(encoding="utf-8"))
    data["agencies"] = data["agencies"][:2]
    data["mail"] = {"address": BOX, "user": BOX, "smtp": {"host": "127.0.0.1"} | smtp, "imap": {"host": "127.0.0.1"} | imap}
    if trust:
        (inputs / "certs").mkdir()
        (inputs / "certs" / "ours.pem").write_bytes(Path(server.cert[0]).read_bytes())
        data["mail"]["ca_file"] = "certs/ours.pem"  # relative to the inputs folder
    (inputs / "report.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return inputs


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_send_and_fetch_over_tls(server, tmp_path, capsys, security):
    smtp = {"port": server.smtp_port if security == "starttls" else server.smtps_port, "security": security}
    inputs = _inputs(tmp_path, server, smtp, {"port": server.imaps.port, "security": "ssl"})
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 0
    assert "Sent 2 templates" in capsys.readouterr().out
    assert len(server.inbox(BOX)) == 0 and len(server.inbox(yaml.safe_load(
        (inputs / "report.yaml").read_text())["agencies"][0]["email"])) >= 1
    assert main(["fetch", "--inputs", str(inputs), "--out", str(out)]) == 0
    assert "0 saved" in capsys.readouterr().out


def test_a_server_without_starttls_is_not_used_in_the_clear(server, tmp_path, capsys):
    inputs = _inputs(tmp_path, server, {"port": server.smtp_port, "security": "starttls"},
                     {"port": server.imap_port, "security": "starttls"})
    assert main(["fetch", "--inputs", str(inputs), "--out", str(tmp_path / "out")]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert f"The IMAP server 127.0.0.1:{server.imap_port} does not offer STARTTLS, so the password cannot be sent safely" in printed
    assert "use security: ssl" in printed


def test_an_untrusted_certificate_is_refused_plainly(server, tmp_path, capsys):
    inputs = _inputs(tmp_path, server, {"port": server.smtps_port, "security": "ssl"},
                     {"port": server.imap_port, "security": "starttls"}, trust=False)
    out = tmp_path / "outputs"
    assert main(["send", "--inputs", str(inputs), "--out", str(out), "--send"]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert f"Could not reach the SMTP server 127.0.0.1:{server.smtps_port} (the secure connection failed: CERTIFICATE_VERIFY_FAILED" in printed
    assert not (out / "mail-log.json").exists()
    inputs = _inputs(tmp_path / "imap", server, {"port": server.smtps_port, "security": "ssl"},
                     {"port": server.imaps.port, "security": "ssl"}, trust=False)
    assert main(["fetch", "--inputs", str(inputs), "--out", str(out)]) == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert f"Could not reach the IMAP server 127.0.0.1:{server.imaps.port} (the secure connection failed: CERTIFICATE_VERIFY_FAILED" in printed
