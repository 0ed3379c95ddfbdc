"""nginx in front of a test server, with TLS, as ``packaging/nginx-standby.conf`` sets it up.

:func:`nginx_in_front` makes a self-signed certificate for 127.0.0.1 and localhost, writes a
configuration whose ``upstream`` and ``server`` blocks are the shipped snippet's (only its
addresses, port and certificate paths replaced), runs ``nginx -p DIR -c CONF`` in the
foreground until the block ends, and gives the https URL and the certificate to trust.
"""

from __future__ import annotations

import ipaddress
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.needs import nginx_command
from tests.servers import free_port

#: The snippet operators install, and the test configurations are made from.
SNIPPET = Path(__file__).resolve().parents[2] / "packaging" / "nginx-standby.conf"
STARTUP_SECONDS = 30.0


@dataclass
class RunningNginx:
    url: str  # https://127.0.0.1:PORT
    certificate: Path  # the self-signed certificate it serves, to trust
    folder: Path  # its configuration, logs, pid file and temporary files
    process: subprocess.Popen[bytes]

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1{path}"

    def error_log(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key, in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "localhost.pem", folder / "localhost.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _replace_once(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new``; ``old`` must occur exactly once, so a
    changed snippet fails here rather than being tested half."""
    assert text.count(old) == 1, f"{SNIPPET.name} no longer has exactly one {old!r}"
    return text.replace(old, new)


def site_config(upstream: str, port: int, certificate: Path, key: Path) -> str:
    """The shipped snippet, for a server at ``upstream`` (host:port), listening on
    127.0.0.1:``port`` with ``certificate`` and ``key``."""
    text = SNIPPET.read_text()
    text = _replace_once(text, "server 127.0.0.1:8765;", f"server {upstream};")
    text = _replace_once(text, "listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;")
    text = _replace_once(text, "    listen [::]:443 ssl;\n", "")
    text = _replace_once(text, "/etc/ssl/certs/licenses.example.com.pem", str(certificate))
    return _replace_once(text, "/etc/ssl/private/licenses.example.com.key", str(key))


def main_config(folder: Path, site: str) -> str:
    """A whole nginx configuration around ``site``: in the foreground, everything it writes
    in ``folder``."""
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
        f"error_log {folder / 'error.log'} info;\n"
        "events {\n    worker_connections 512;\n}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n\n{site}}}\n"
    )


@contextmanager
def nginx_in_front(upstream_url: str) -> Iterator[RunningNginx]:
    """nginx with TLS on a free port of 127.0.0.1 in front of the server at ``upstream_url``
    (``http://host:port``); answering when the block starts, stopped after it."""
    command = nginx_command()
    assert command is not None, "check tests.needs.nginx_missing() first"
    with tempfile.TemporaryDirectory(prefix="standby-nginx-") as name:
        folder = Path(name)
        # nginx's workers run as nobody when it is started by root: they must reach their
        # temporary folders in here (the key is read by the master only).
        folder.chmod(0o755)
        certificate, key = make_certificate(folder)
        port = free_port()
        upstream = upstream_url.removeprefix("http://").rstrip("/")
        conf = folder / "nginx.conf"
        conf.write_text(main_config(folder, site_config(upstream, port, certificate, key)))
        process = subprocess.Popen(
            [command, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        running = RunningNginx(f"https://127.0.0.1:{port}", certificate, folder, process)
        try:
            _wait_until_answering(running)
            yield running
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


def _wait_until_answering(nginx: RunningNginx) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if nginx.process.poll() is not None:
            stderr = nginx.process.stderr.read().decode() if nginx.process.stderr else ""
            raise RuntimeError(f"nginx exited: {stderr}{nginx.error_log()}")
        try:
            if requests.get(nginx.api("/health"), verify=str(nginx.certificate), timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not answer: {nginx.error_log()}")
        time.sleep(0.05)  # polling a port that is not open yet; there is no signal to await
