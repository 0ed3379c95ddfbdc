"""One JSON request over HTTP(S), on the standard library's ``http.client``.

The engine runs from login and waits for days, so what it keeps loaded is what it costs:
``requests`` brings urllib3, charset detection, IDNA tables and the e-mail package (about
12 MB resident, ``bench/background.py``) for calls that are one JSON body each way. This
module does what the app needs of it: separate connect and read time-outs, TLS checked
against the system's certificates (and certifi's, where installed), and the proxies the
environment names (``https_proxy``, ``http_proxy``, ``all_proxy``, ``no_proxy``), as
``requests`` honours them.

Failures to reach the server come out as :class:`TransportError`, saying why.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import unquote, urlsplit


class Unreachable(StrEnum):
    """Why the server could not be asked: each calls for a different thing to check."""

    REFUSED = "refused"  # nothing listens at the address (stopped, starting, wrong port)
    NO_SUCH_HOST = "no_such_host"  # the server's name does not resolve (offline, typo)
    TIMED_OUT = "timed_out"  # no connection or no answer in time (network, overloaded)
    SECURE_CONNECTION = "secure_connection"  # TLS failed (certificate, clock, interception)
    NOT_STANDBY = "not_standby"  # something answered, but not as an activation server
    NETWORK = "network"  # any other failure to connect


class TransportError(Exception):
    def __init__(self, why: Unreachable, detail: str) -> None:
        super().__init__(detail)
        self.why = why


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:  # UnicodeDecodeError included
            return None


#: Answers larger than this are not an activation server's (a wrong URL to a big page).
MAX_BODY = 4 * 1024 * 1024


def request(
    method: str,
    url: str,
    body: dict[str, Any] | bytes | None = None,
    *,
    connect_timeout: float,
    read_timeout: float,
    headers: dict[str, str] | None = None,
) -> Response:
    """Send one request (``body``: JSON, or JSON already encoded; ``headers`` besides the
    usual ones) and read its whole answer; raise :class:`TransportError` when the server
    cannot be reached or the connection fails midway."""
    target = urlsplit(url)
    if target.scheme not in ("http", "https") or not target.hostname:
        raise TransportError(Unreachable.NETWORK, f"not an http(s) URL: {url!r}")
    path = target.path or "/"
    if target.query:
        path += "?" + target.query
    extra = headers or {}
    headers = {"Accept": "application/json", "User-Agent": "standby", "Connection": "close"}
    headers.update(extra)
    payload = None
    if body is not None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    connection, proxied = _connection(target, connect_timeout)
    if proxied is not None and target.scheme == "http":  # a plain proxy takes the whole URL
        path = url
        headers.update(proxied)
    try:
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(_why(exc), str(exc)) from None
        if connection.sock is not None:
            connection.sock.settimeout(read_timeout)
        try:
            connection.request(method, path, body=payload, headers=headers)
            answer = connection.getresponse()
            data = answer.read(MAX_BODY + 1)
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(_why(exc), str(exc)) from None
        if len(data) > MAX_BODY:
            raise TransportError(Unreachable.NOT_STANDBY, "the answer is too large")
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)
    finally:
        connection.close()


def _why(error: BaseException) -> Unreachable:
    if isinstance(error, socket.gaierror):
        return Unreachable.NO_SUCH_HOST
    if isinstance(error, ConnectionRefusedError):
        return Unreachable.REFUSED
    if isinstance(error, TimeoutError | socket.timeout):
        return Unreachable.TIMED_OUT
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return Unreachable.SECURE_CONNECTION
    return Unreachable.NETWORK


def _connection(
    target: Any, connect_timeout: float
) -> tuple[http.client.HTTPConnection, dict[str, str] | None]:
    """A connection to the server, or to the proxy the environment names for it (then
    also the header that authenticates to the proxy, if its URL carries credentials)."""
    host: str = target.hostname
    port = target.port or (443 if target.scheme == "https" else 80)
    proxy = None if _bypassed(host) else _proxy_for(target.scheme)
    if proxy is None:
        if target.scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=connect_timeout, context=tls_context()
            ), None
        return http.client.HTTPConnection(host, port, timeout=connect_timeout), None
    via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    credentials: dict[str, str] = {}
    if via.username is not None:
        pair = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
        credentials["Proxy-Authorization"] = "Basic " + base64.b64encode(pair).decode()
    proxy_host = via.hostname or ""
    proxy_port = via.port or 8080
    if target.scheme == "https":  # a tunnel through the proxy, TLS end to end
        connection = http.client.HTTPSConnection(
            proxy_host, proxy_port, timeout=connect_timeout, context=tls_context()
        )
        connection.set_tunnel(host, port, headers=credentials or None)
        return connection, None
    return http.client.HTTPConnection(proxy_host, proxy_port, timeout=connect_timeout), credentials


def _environment(name: str) -> str:
    return os.environ.get(name.lower()) or os.environ.get(name.upper()) or ""


def _proxy_for(scheme: str) -> str | None:
    return _environment(f"{scheme}_proxy") or _environment("all_proxy") or None


def _bypassed(host: str) -> bool:
    """True when ``no_proxy`` names ``host``: ``*``, the host itself, or a domain it is in."""
    host = host.lower().strip("[]")
    for entry in _environment("no_proxy").split(","):
        entry = entry.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        domain = entry.lstrip(".").split(":")[0].strip("[]")
        if host == domain or host.endswith("." + domain):
            return True
    return False


_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, certifi's where it is installed, and a bundle
    named by ``REQUESTS_CA_BUNDLE`` or ``SSL_CERT_FILE`` (for a company's own CA)."""
    global _context
    if _context is None:
        context = ssl.create_default_context()
        try:
            import certifi
        except ImportError:
            pass
        else:
            context.load_verify_locations(certifi.where())
        bundle = os.environ.get("REQUESTS_CA_BUNDLE")
        if bundle:
            context.load_verify_locations(bundle)
        _context = context
    return _context
