"""The activation server's HTTP API, as the desktop app calls it (blocking).

Every call here blocks, so the app only makes them on worker threads. Failures come out
as one exception type, :class:`ApiError`, that says whether retrying by itself can help.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from app.client import transport
from app.client.transport import TransportError, Unreachable
from app.domain.errors import TRANSIENT, ErrorCode

__all__ = ["ActivationApi", "ApiError", "Unreachable"]

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


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
    """One activation server. Thread-safe: each call uses its own short-lived connection."""

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
        try:
            response = transport.request(
                method,
                self._url(path),
                body,
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
            )
        except TransportError as exc:
            raise ApiError(
                None,
                f"cannot reach the activation server at {self.base_url} ({exc.why.value})",
                unreachable=exc.why,
            ) from None
        payload = response.json()
        if 200 <= response.status < 300 and isinstance(payload, dict):
            return payload
        error = payload.get("error") if isinstance(payload, dict) else None
        retry_after = _retry_after(response.headers.get("retry-after"))
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            try:
                code = ErrorCode(error["code"])
            except ValueError:
                code = ErrorCode.INTERNAL_ERROR
            message = str(error.get("message") or code.value)
            return_code = ErrorCode.INTERNAL_ERROR if response.status >= 500 else code
            reason = error.get("reason")
            raise ApiError(
                return_code,
                message,
                retry_after=retry_after,
                reason=reason if isinstance(reason, str) else None,
            )
        raise ApiError(
            None,
            f"the activation server at {self.base_url} answered HTTP {response.status}",
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


def _retry_after(header: str | None) -> float | None:
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None
