"""The activation server's HTTP API, as the desktop app calls it (``requests``, blocking).

Every call here blocks, so the app only makes them on worker threads. Failures come out
as one exception type, :class:`ApiError`, that says whether retrying by itself can help.
"""

from __future__ import annotations

import socket
import ssl
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from app.domain.errors import TRANSIENT, ErrorCode

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


class Unreachable(StrEnum):
    """Why the server could not be asked: each calls for a different thing to check."""

    REFUSED = "refused"  # nothing listens at the address (stopped, starting, wrong port)
    NO_SUCH_HOST = "no_such_host"  # the server's name does not resolve (offline, typo)
    TIMED_OUT = "timed_out"  # no connection or no answer in time (network, overloaded)
    SECURE_CONNECTION = "secure_connection"  # TLS failed (certificate, clock, interception)
    NOT_STANDBY = "not_standby"  # something answered, but not as an activation server
    NETWORK = "network"  # any other failure to connect


class ApiError(Exception):
    """A refusal or failure of one call.

    ``code`` is a contract error code, or None when the server could not be reached or
    answered something that was not our API (then ``unreachable`` says why).
    """

    def __init__(
        self,
        code: ErrorCode | None,
        message: str,
        *,
        retry_after: float | None = None,
        unreachable: Unreachable | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.retry_after = retry_after
        self.unreachable = unreachable

    @property
    def transient(self) -> bool:
        """True when the same call may succeed later without anyone doing anything."""
        return self.unreachable is not None or self.code in TRANSIENT


class ActivationApi:
    """One activation server. Thread-safe: each call uses its own short-lived session."""

    def __init__(
        self,
        base_url: str,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.address = urlsplit(self.base_url).netloc or self.base_url  # host[:port]
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout

    def _url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        import requests  # here, not at the top: the window shows before it is needed

        try:
            response = requests.request(
                method,
                self._url(path),
                json=body,
                timeout=(self.connect_timeout, self.read_timeout),
            )
        except requests.RequestException as exc:
            why = unreachable_kind(exc)
            raise ApiError(
                None,
                f"cannot reach the activation server at {self.base_url} ({why.value})",
                unreachable=why,
            ) from None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if response.ok and isinstance(payload, dict):
            return payload
        error = payload.get("error") if isinstance(payload, dict) else None
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            try:
                code = ErrorCode(error["code"])
            except ValueError:
                code = ErrorCode.INTERNAL_ERROR
            message = str(error.get("message") or code.value)
            return_code = ErrorCode.INTERNAL_ERROR if response.status_code >= 500 else code
            reason = error.get("reason")
            raise ApiError(
                return_code,
                message,
                retry_after=retry_after,
                reason=reason if isinstance(reason, str) else None,
            )
        raise ApiError(
            None,
            f"the activation server at {self.base_url} answered HTTP {response.status_code}",
            retry_after=retry_after,
            unreachable=Unreachable.NOT_STANDBY,
        )

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/health")
        return result

    def keys(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/keys")
        return result

    def activate(self, code: str, device_id: str, app_version: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call(
            "POST",
            "/activations",
            {"code": code, "device_id": device_id, "app_version": app_version},
        )
        return result

    def check_reserve(
        self,
        code: str,
        device_id: str,
        app_version: str,
        current_license: str | None,
        reserve_code: str | None,
        *,
        replace_reserve: bool = False,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"code": code, "device_id": device_id, "app_version": app_version}
        if current_license:
            body["current_license"] = current_license
        if reserve_code:
            body["reserve_code"] = reserve_code
            body["replace_reserve"] = replace_reserve
        result: dict[str, Any] = self._call("POST", "/reserve-checks", body)
        return result

    def deactivate(self, license_token: str) -> bool:
        return bool(self._call("POST", "/deactivations", {"license": license_token})["freed"])

    def status(self, license_token: str) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/licenses/status", {"license": license_token})
        return result

    def sign_in(self, email: str, password: str, device_id: str) -> str:
        body = {"email": email, "password": password, "device_id": device_id}
        return str(self._call("POST", "/accounts/sign-in", body)["email"])


def unreachable_kind(error: BaseException) -> Unreachable:
    """What kept ``requests`` from the server, from the errors it wraps (urllib3's, the
    socket's): a refused connection, a name that does not resolve, a time-out, TLS."""
    import requests

    if isinstance(error, requests.Timeout):
        return Unreachable.TIMED_OUT
    if isinstance(error, requests.exceptions.SSLError):
        return Unreachable.SECURE_CONNECTION
    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        item = pending.pop()
        if id(item) in seen or not isinstance(item, BaseException):
            continue
        seen.add(id(item))
        if isinstance(item, socket.gaierror):
            return Unreachable.NO_SUCH_HOST
        if isinstance(item, ConnectionRefusedError):
            return Unreachable.REFUSED
        if isinstance(item, TimeoutError | socket.timeout):
            return Unreachable.TIMED_OUT
        if isinstance(item, ssl.SSLError):
            return Unreachable.SECURE_CONNECTION
        pending.extend(item.args)
        pending.extend((item.__cause__, item.__context__, getattr(item, "reason", None)))
    return Unreachable.NETWORK


def _retry_after(header: str | None) -> float | None:
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None
