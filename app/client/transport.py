"""One JSON request over HTTP(S), with ``requests``.

Each thread that calls the server (the engine's worker lanes) has a session of its own
(``requests`` sessions are not shared across threads), made once. What it does as every
Python tool does: separate connect and read time-outs, the proxies the environment names
(``https_proxy``, ``http_proxy``, ``all_proxy``, ``no_proxy``, credentials in the proxy's URL),
and a CA bundle named by ``REQUESTS_CA_BUNDLE``. Certificates are checked against the
system's (which ``SSL_CERT_FILE`` can name) and certifi's.

Failures to reach the server come out as :class:`TransportError`, saying why.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any

import certifi
import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError

from app.failures import Unreachable


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
#: Every request's own headers. One connection per call: the engine calls seldom, and a
#: connection the server closed while it sat idle would fail a call that cannot be repeated.
HEADERS = {"Accept": "application/json", "User-Agent": "standby", "Connection": "close"}


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
    if not url.startswith(("http://", "https://")):
        raise TransportError(Unreachable.NETWORK, f"not an http(s) URL: {url!r}")
    extra = dict(headers or {})
    payload = None
    if body is not None:
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        extra["Content-Type"] = "application/json"
    try:
        with _session().request(
            method,
            url,
            data=payload,
            headers=extra,
            timeout=(connect_timeout, read_timeout),
            stream=True,
            allow_redirects=False,
        ) as answer:
            data = bytearray()
            for chunk in answer.iter_content(65536):
                data += chunk
                if len(data) > MAX_BODY:
                    raise TransportError(Unreachable.NOT_STANDBY, "the answer is too large")
            named = {name.lower(): value for name, value in answer.headers.items()}
            return Response(answer.status_code, named, bytes(data))
    except requests.RequestException as exc:
        raise TransportError(_why(exc), str(exc)) from None


class _Adapter(HTTPAdapter):
    """``requests``' adapter with this module's TLS context, for the server and for a
    tunnel through a proxy alike."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self.context
        return super().proxy_manager_for(proxy, **kwargs)


_local = threading.local()


def _session() -> requests.Session:
    """This thread's session, made again if the TLS context changed (tests)."""
    context = tls_context()
    session: requests.Session | None = getattr(_local, "session", None)
    if session is None or getattr(_local, "context", None) is not context:
        if session is not None:
            session.close()
        session = requests.Session()
        session.headers.clear()
        session.headers.update(HEADERS)
        adapter = _Adapter(context)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        _local.session, _local.context = session, context
    return session


def _causes(error: BaseException) -> list[BaseException]:
    """``error`` and what it wraps (``requests`` and urllib3 nest the socket's error)."""
    found: list[BaseException] = []
    waiting: list[Any] = [error]
    while waiting:
        current = waiting.pop()
        if not isinstance(current, BaseException) or any(current is seen for seen in found):
            continue
        found.append(current)
        waiting += [getattr(current, "reason", None), current.__cause__, current.__context__]
        waiting += list(getattr(current, "args", ()))
    return found


def _why(error: BaseException) -> Unreachable:
    causes = _causes(error)

    def any_of(*kinds: type[BaseException]) -> bool:
        return any(isinstance(cause, kinds) for cause in causes)

    if any_of(socket.gaierror, NameResolutionError):
        return Unreachable.NO_SUCH_HOST
    if any_of(ConnectionRefusedError):
        return Unreachable.REFUSED
    if any_of(ssl.SSLError, ssl.CertificateError, requests.exceptions.SSLError):
        return Unreachable.SECURE_CONNECTION
    if any_of(requests.Timeout, TimeoutError):
        return Unreachable.TIMED_OUT
    return Unreachable.NETWORK


_context: ssl.SSLContext | None = None


def tls_context() -> ssl.SSLContext:
    """The system's trusted certificates (``SSL_CERT_FILE`` names others) and certifi's;
    ``requests`` adds a bundle named by ``REQUESTS_CA_BUNDLE`` (a company's own CA)."""
    global _context
    if _context is None:
        context = ssl.create_default_context()
        context.load_verify_locations(certifi.where())  # requests depends on certifi
        _context = context
    return _context
