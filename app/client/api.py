"""The activation server's HTTP API, as the desktop app calls it (``requests``, blocking).

Every call here blocks, so the app only makes them on worker threads. Failures come out
as one exception type, :class:`ApiError`, that says whether retrying by itself can help.
"""

from __future__ import annotations

from typing import Any

from app.domain.errors import TRANSIENT, ErrorCode

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


class ApiError(Exception):
    """A refusal or failure of one call.

    ``code`` is a contract error code, or None when the server could not be reached or
    answered something that was not our API (then ``unreachable`` is True).
    """

    def __init__(
        self,
        code: ErrorCode | None,
        message: str,
        *,
        retry_after: float | None = None,
        unreachable: bool = False,
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
        return self.unreachable or self.code in TRANSIENT


class ActivationApi:
    """One activation server. Thread-safe: each call uses its own short-lived session."""

    def __init__(
        self,
        base_url: str,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
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
            raise ApiError(
                None,
                f"cannot reach the activation server at {self.base_url} ({type(exc).__name__})",
                unreachable=True,
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
            unreachable=True,
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
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"code": code, "device_id": device_id, "app_version": app_version}
        if current_license:
            body["current_license"] = current_license
        if reserve_code:
            body["reserve_code"] = reserve_code
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
