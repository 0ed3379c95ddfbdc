"""The activation server's HTTP API, as the desktop app calls it (blocking).

Every call here blocks, so the app only makes them on worker threads. Failures come out
as one exception type, :class:`ApiError`, that says whether retrying by itself can help.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from app import protocol
from app.client import transport
from app.client.transport import TransportError
from app.device_proof import DeviceKey, Refusal
from app.domain.errors import ErrorCode
from app.failures import Failure, Unreachable

__all__ = ["ActivationApi", "ApiError", "Unreachable"]

Record = TypeVar("Record")

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0


def reserve_request(
    code: str,
    device_id: str,
    app_version: str,
    current_license: str | None,
    reserve_code: str | None,
    *,
    replace_reserve: bool = False,
) -> protocol.ReserveCheckRequest:
    """What the reserve check and the hold are asked: ``code`` as the reserve of the device
    whose current license is ``current_license`` and whose saved reserve is ``reserve_code``
    (replaced by ``code`` if ``replace_reserve``)."""
    return protocol.ReserveCheckRequest(
        code=code,
        device_id=device_id,
        app_version=app_version,
        current_license=current_license or None,
        reserve_code=reserve_code or None,
        replace_reserve=replace_reserve and bool(reserve_code),
    )


class ApiError(Exception):
    """A refusal or failure of one call: its :class:`~app.failures.Failure` says which (the
    server's error code and reason, or why the server could not be reached)."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _unreachable(why: Unreachable, message: str, retry_after: float | None = None) -> ApiError:
    return ApiError(Failure(unreachable=why, message=message, retry_after=retry_after))


class ActivationApi:
    """One activation server. Thread-safe: each call uses its own short-lived connection.

    Calls that act for a device (every POST) are signed with the key ``device_key`` gives
    (asked for at the first such call: it comes from the secret store); without one they
    go unsigned, and the server refuses them with ``device_not_proven``.
    """

    def __init__(
        self,
        base_url: str,
        connect_timeout: float = CONNECT_TIMEOUT,
        read_timeout: float = READ_TIMEOUT,
        device_key: Callable[[], DeviceKey] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.address = urlsplit(self.base_url).netloc or self.base_url  # host[:port]
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.device_key = device_key
        #: The server's clock less this one's, learned when a proof was refused for its
        #: moment (this computer's clock is wrong): later proofs are made in server time.
        self.clock_offset = 0.0

    def _url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def _call(self, answer: type[Record], method: str, path: str, body: Any = None) -> Record:
        """Send ``body`` (a protocol request) and read the answer as ``answer``."""
        payload = self._send(method, path, None if body is None else protocol.wire(body))
        try:
            return protocol.read(answer, payload)
        except protocol.Malformed as exc:
            raise _unreachable(
                Unreachable.NOT_STANDBY,
                f"the activation server at {self.base_url} answered something unexpected ({exc})",
            ) from None

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        response = self._request(method, path, body)
        if self._clock_refused(response):
            response = self._request(method, path, body)  # now in the server's time
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
                Failure(
                    return_code,
                    reason if isinstance(reason, str) else None,
                    message=message,
                    retry_after=retry_after,
                )
            )
        raise _unreachable(
            Unreachable.NOT_STANDBY,
            f"the activation server at {self.base_url} answered HTTP {response.status}",
            retry_after,
        )

    def _request(self, method: str, path: str, body: dict[str, Any] | None) -> transport.Response:
        url = self._url(path)
        payload = None if body is None else json.dumps(body).encode()
        headers = None
        if method == "POST" and self.device_key is not None:
            moment = int(time.time() + self.clock_offset)
            headers = self.device_key().headers(method, urlsplit(url).path, payload or b"", moment)
        try:
            return transport.request(
                method,
                url,
                payload,
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                headers=headers,
            )
        except TransportError as exc:
            raise _unreachable(
                exc.why, f"cannot reach the activation server at {self.base_url} ({exc.why.value})"
            ) from None

    def _clock_refused(self, response: transport.Response) -> bool:
        """True when the server refused a proof for its moment and said its own time (its
        ``Date``): the offset is learned, for this call's second try and every later one."""
        if response.status != 401:
            return False
        payload = response.json()
        error = payload.get("error") if isinstance(payload, dict) else None
        if not isinstance(error, dict) or error.get("reason") != Refusal.CLOCK.value:
            return False
        try:
            server_time = parsedate_to_datetime(response.headers["date"]).timestamp()
        except (KeyError, TypeError, ValueError):
            return False
        self.clock_offset = server_time - time.time()
        return True

    def health(self) -> protocol.Health:
        return self._call(protocol.Health, "GET", "/health")

    def keys(self) -> dict[str, Any]:
        """The server's public keys, as the JWKS it publishes."""
        return self._send("GET", "/keys", None)

    def activate(self, code: str, device_id: str, app_version: str) -> protocol.Activation:
        request = protocol.ActivationRequest(
            code=code, device_id=device_id, app_version=app_version
        )
        return self._call(protocol.Activation, "POST", "/activations", request)

    def check_reserve(self, request: protocol.ReserveCheckRequest) -> protocol.ReserveCheck:
        """Check a code as the reserve (the server holds nothing)."""
        return self._call(protocol.ReserveCheck, "POST", "/reserve-checks", request)

    def hold(self, request: protocol.ReserveCheckRequest) -> protocol.ReserveCheck:
        """Save as the reserve, with its seat held and its license signed ahead."""
        return self._call(protocol.ReserveCheck, "POST", "/holds", request)

    def renew_hold(
        self, held_license: str, current_license: str, app_version: str
    ) -> protocol.ReserveCheck:
        request = protocol.HoldRenewal(
            license=held_license, current_license=current_license, app_version=app_version
        )
        return self._call(protocol.ReserveCheck, "POST", "/holds/renew", request)

    def start_hold(self, held_license: str) -> protocol.Activation:
        request = protocol.LicenseRequest(license=held_license)
        return self._call(protocol.Activation, "POST", "/holds/start", request)

    def deactivate(self, license_token: str) -> bool:
        request = protocol.LicenseRequest(license=license_token)
        return self._call(protocol.Deactivation, "POST", "/deactivations", request).freed

    def status(
        self,
        license_token: str,
        *,
        device_name: str | None = None,
        reserve_seat: str | None = None,
        reserve_saved: bool = False,
    ) -> protocol.Status:
        """The license's status; ``device_name`` when the name changed since it was last
        sent, ``reserve_seat`` (the held reserve's seat) and ``reserve_saved`` (a reserve
        of the device's own) so the account's reserve never silently replaces it."""
        request = protocol.StatusRequest(
            license=license_token,
            device_name=device_name,
            reserve_seat=reserve_seat,
            reserve_saved=reserve_saved,
        )
        return self._call(protocol.Status, "POST", "/licenses/status", request)

    def restore(self, device_id: str, app_version: str) -> protocol.Restored:
        """Every seat the server keeps for this device (it lost its own record of them)."""
        request = protocol.RestoreRequest(device_id=device_id, app_version=app_version)
        return self._call(protocol.Restored, "POST", "/licenses/restore", request)

    def sign_in(
        self,
        email: str,
        password: str,
        device_id: str,
        device_name: str | None = None,
        one_time_code: str | None = None,
    ) -> str:
        """Connect the device to the account; with ``one_time_code`` (mailed by
        :meth:`send_sign_in_code`) the right password signs in even while the e-mail is
        held back for wrong passwords tried by others (``rate_limited``, ``email_limited``)."""
        request = protocol.SignInRequest(
            email=email,
            password=password,
            device_id=device_id,
            device_name=device_name,
            one_time_code=one_time_code or None,
        )
        return self._call(protocol.SignedIn, "POST", "/accounts/sign-in", request).email

    def send_sign_in_code(self, email: str, language: str = "en") -> None:
        """Have the server mail a one-time sign-in code to the account of ``email``, written
        in ``language``. Accepted alike whether or not such an account exists; refused with
        ``rate_limited`` (``mail_limited``) when asked too often, and by a server that sends
        no e-mail (reason ``recovery_not_offered``)."""
        request = protocol.MailRequest(email=email, language=language)
        self._send("POST", "/accounts/sign-in-code", protocol.wire(request))


def _retry_after(header: str | None) -> float | None:
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None
