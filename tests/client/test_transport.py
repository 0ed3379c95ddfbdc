"""The app's HTTP calls: TLS checked, proxies from the environment honoured, and each
failure to reach the server named for what it is."""

from __future__ import annotations

import datetime
import ipaddress
import select
import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID

from app.client import transport
from app.client.transport import TransportError, request
from app.failures import Unreachable

ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{"ok": true}'
)


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) files."""
    key = Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "standby test")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, None)
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class Listener:
    """Accepts connections on 127.0.0.1; ``serve`` answers each (or holds it)."""

    def __init__(self, tls: ssl.SSLContext | None = None, *, answer: bool = True) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.tls = tls
        self.answer = answer
        self.requests: list[bytes] = []
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.socket.accept()
            except OSError:
                return
            if not self.answer:
                self.held.append(client)
                continue
            try:
                if self.tls is not None:
                    client = self.tls.wrap_socket(client, server_side=True)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = client.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.requests.append(data)
                client.sendall(ANSWER)
            except OSError:
                pass
            finally:
                client.close()

    def close(self) -> None:
        self.socket.close()
        for client in self.held:
            client.close()


class ConnectProxy(Listener):
    """An HTTP proxy that opens CONNECT tunnels and records what it was asked."""

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += client.recv(4096)
        self.requests.append(data)
        host, port = data.split()[1].decode().rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        sockets = [client, upstream]
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                break
            for source in readable:
                chunk = source.recv(65536)
                if not chunk:
                    client.close()
                    upstream.close()
                    return
                (upstream if source is client else client).sendall(chunk)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return _certificate(tmp_path)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUESTS_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setattr(transport, "_context", None)


def _get(url: str, read_timeout: float = 5.0) -> transport.Response:
    return request("GET", url, connect_timeout=5.0, read_timeout=read_timeout)


def _server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def test_a_certificate_nobody_vouches_for_is_a_secure_connection_failure(
    certificate: tuple[Path, Path],
) -> None:
    server = Listener(_server_tls(certificate))
    try:
        with pytest.raises(TransportError) as caught:
            _get(f"https://127.0.0.1:{server.port}/api/v1/health")
        assert caught.value.why is Unreachable.SECURE_CONNECTION
    finally:
        server.close()


def test_a_company_ca_named_in_the_environment_is_trusted(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    server = Listener(_server_tls(certificate))
    try:
        assert _get(f"https://127.0.0.1:{server.port}/api/v1/health").json() == {"ok": True}
    finally:
        server.close()


def test_https_goes_through_the_proxy_in_a_tunnel(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    server = Listener(_server_tls(certificate))
    proxy = ConnectProxy()
    monkeypatch.setenv("https_proxy", f"http://user:secret@127.0.0.1:{proxy.port}")
    try:
        assert _get(f"https://127.0.0.1:{server.port}/api/v1/keys").json() == {"ok": True}
        asked = proxy.requests[0]
        assert asked.startswith(f"CONNECT 127.0.0.1:{server.port} ".encode())
        assert b"Proxy-Authorization: Basic dXNlcjpzZWNyZXQ=" in asked
        assert server.requests[0].startswith(b"GET /api/v1/keys HTTP/1.1")
    finally:
        server.close()
        proxy.close()


def test_plain_http_asks_the_proxy_for_the_whole_url_unless_no_proxy_names_the_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy = Listener()
    monkeypatch.setenv("HTTP_PROXY", f"127.0.0.1:{proxy.port}")
    try:
        _get("http://activation.example:8765/api/v1/health")
        assert proxy.requests[0].startswith(
            b"GET http://activation.example:8765/api/v1/health HTTP/1.1"
        )
        monkeypatch.setenv("no_proxy", "localhost,.example")
        with pytest.raises(TransportError) as caught:
            _get("http://activation.example:8765/api/v1/health")
        assert caught.value.why is Unreachable.NO_SUCH_HOST
        assert len(proxy.requests) == 1
    finally:
        proxy.close()


def test_each_failure_is_named() -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    with pytest.raises(TransportError) as caught:
        _get(f"http://127.0.0.1:{port}/")
    assert caught.value.why is Unreachable.REFUSED

    silent = Listener(answer=False)
    try:
        with pytest.raises(TransportError) as caught:
            _get(f"http://127.0.0.1:{silent.port}/", read_timeout=0.2)
        assert caught.value.why is Unreachable.TIMED_OUT
    finally:
        silent.close()

    with pytest.raises(TransportError) as caught:
        _get("http://no-such-host.invalid/")
    assert caught.value.why is Unreachable.NO_SUCH_HOST
