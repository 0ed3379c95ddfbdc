"""The activation server's wire format: each request and answer under ``/api/v1``, once.

The routes take and return these records (FastAPI validates the requests, serializes the
answers and documents both at ``/openapi.json``); the client builds its requests from them
and reads every answer with :func:`read` (from :mod:`app.wire_format`). They are
standard-library dataclasses on purpose: the engine that waits from login must not load
pydantic for them.

Limits on text are :class:`Text` markers, which the server's validation enforces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from app.domain.license import LicenseState, LicenseType
from app.wire_format import Malformed as Malformed  # how the records travel, named here too
from app.wire_format import read as read
from app.wire_format import wire as wire

# pydantic_core is imported inside the one method only the server calls: the desktop app reads
# these records without pydantic.


@dataclass(frozen=True)
class Text:
    """A limit on a text field of a request, which the server's validation enforces."""

    min_length: int = 1
    max_length: int = 100
    pattern: str | None = None

    def __get_pydantic_core_schema__(self, _source: Any, _handler: Any) -> Any:
        """How pydantic (on the server only) validates and documents the field: text
        within the limits, and nothing else turned into text."""
        from pydantic_core import core_schema

        return core_schema.str_schema(
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self.pattern,
            strict=True,
        )


@dataclass(frozen=True)
class Exact:
    """A field of a request taken only as its own type (``"true"`` is no yes)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


#: Fields a newer client sends that this server does not know are ignored.
_REQUESTS = {"extra": "ignore"}


DeviceId = Annotated[str, Text(8, 64, r"^[A-Za-z0-9_.:-]{8,64}$")]
CodeText = Annotated[str, Text(1, 100)]
AppVersion = Annotated[str, Text(1, 64)]
Token = Annotated[str, Text(10, 4096)]
Email = Annotated[str, Text(3, 320)]
Password = Annotated[str, Text(1, 1024)]
#: What the device's user calls it (its host name unless renamed), for the account console.
DeviceName = Annotated[str, Text(1, 100)]
#: A one-time sign-in code as mailed: six digits (spaces a user types are dropped).
OneTimeCode = Annotated[str, Text(6, 12, r"^[0-9 ]{6,12}$")]
#: The language a mail is written in (``en`` or ``pl``; another is written in English).
Language = Annotated[str, Text(2, 8, r"^[A-Za-z-]{2,8}$")]
Flag = Annotated[bool, Exact()]

# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ActivationRequest:
    __pydantic_config__ = _REQUESTS

    code: CodeText
    device_id: DeviceId
    app_version: AppVersion


@dataclass(frozen=True, kw_only=True)
class ReserveCheckRequest:
    __pydantic_config__ = _REQUESTS

    code: CodeText
    device_id: DeviceId
    app_version: AppVersion
    current_license: Token | None = None
    reserve_code: CodeText | None = None
    #: The device means to replace its saved reserve (``reserve_code``) with this code if it
    #: passes in full; without it, a saved reserve is refused as reserve_already_set.
    replace_reserve: Flag = False


@dataclass(frozen=True, kw_only=True)
class HoldRenewal:
    """Sign the held license again behind the current license as it stands now."""

    __pydantic_config__ = _REQUESTS

    #: The license signed ahead for the reserve (its seat is held).
    license: Token
    current_license: Token
    app_version: AppVersion


@dataclass(frozen=True, kw_only=True)
class LicenseRequest:
    __pydantic_config__ = _REQUESTS

    license: Token


@dataclass(frozen=True, kw_only=True)
class RestoreRequest:
    """What does this device hold? Asked by a device that lost (or cannot trust) its own
    record of it; only the device itself may ask (its key signs the call)."""

    __pydantic_config__ = _REQUESTS

    device_id: DeviceId
    app_version: AppVersion


@dataclass(frozen=True, kw_only=True)
class SignInRequest:
    __pydantic_config__ = _REQUESTS

    email: Email
    password: Password
    device_id: DeviceId
    device_name: DeviceName | None = None
    #: The code mailed to the owner (``/accounts/sign-in-code``): with the right password it
    #: signs in even while the e-mail is limited (``rate_limited``, reason ``email_limited``).
    one_time_code: OneTimeCode | None = None


@dataclass(frozen=True, kw_only=True)
class MailRequest:
    """Mail a one-time sign-in code, or a link to set a new password, to the account of
    ``email``: answered 202 alike whether or not such an account exists. The mail is in
    ``language`` (else the request's Accept-Language)."""

    __pydantic_config__ = _REQUESTS

    email: Email
    language: Language | None = None


@dataclass(frozen=True, kw_only=True)
class MailAccepted:
    """Taken: if an account has the address, the mail is on its way."""

    status: str = "accepted"


@dataclass(frozen=True, kw_only=True)
class StatusRequest(LicenseRequest):
    """A status sync; ``device_name`` when the device's name changed since it last sent it.
    ``reserve_seat``: the seat (``lid``) of the held reserve the device has, if any;
    ``reserve_saved``: whether it has a reserve at all (the account's reserve does not
    silently replace a device's own)."""

    device_name: DeviceName | None = None
    reserve_seat: Annotated[str, Text(1, 64)] | None = None
    reserve_saved: Flag = False


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Health:
    status: str
    version: str


@dataclass(frozen=True, kw_only=True)
class LicenseFacts:
    """What a code gives, as the server tells the device (and ``codes show`` the operator)."""

    code_last5: str
    type: LicenseType
    term_seconds: int
    max_devices: int
    #: Seats that keep another device out.
    devices_used: int
    requires_account: bool
    valid_until: datetime
    #: The code's first activation on any device; None until then.
    activated_at: datetime | None
    #: When its license ends (for a reserve: when it would end, taking over as planned).
    expires_at: datetime | None
    blocked: bool
    state: LicenseState


@dataclass(frozen=True, kw_only=True)
class Activation(LicenseFacts):
    #: The license: a compact JWS (EdDSA) the device verifies against ``/keys``.
    license: str
    #: True for a new seat (201), False when the device held this seat already (200).
    created: bool


@dataclass(frozen=True, kw_only=True)
class SomeFacts:
    """:class:`LicenseFacts`' fields in an answer that carries them only sometimes."""

    code_last5: str | None = None
    type: LicenseType | None = None
    term_seconds: int | None = None
    max_devices: int | None = None
    devices_used: int | None = None
    requires_account: bool | None = None
    valid_until: datetime | None = None
    activated_at: datetime | None = None
    expires_at: datetime | None = None
    blocked: bool | None = None
    state: LicenseState | None = None


@dataclass(frozen=True, kw_only=True)
class ReserveCheck(SomeFacts):
    """``activate``: save would activate the code now. ``reserve``: the code passed in
    full and may wait as the reserve; the facts describe it."""

    action: Literal["activate", "reserve"]
    takes_over_at: datetime | None = None
    replaces_reserve: bool | None = None
    #: From ``/holds``: the license signed ahead, valid from ``takes_over_at`` (its seat is
    #: held for this device, counted against the code's devices).
    license: str | None = None


@dataclass(frozen=True, kw_only=True)
class Deactivation:
    #: False when the seat was freed before.
    freed: bool


@dataclass(frozen=True, kw_only=True)
class DeviceSeat(LicenseFacts):
    """One seat a device holds: in use, or held for its reserve (``held``)."""

    #: The seat's license, signed now: for a held seat, signed ahead from ``takes_over_at``.
    license: str
    held: bool
    takes_over_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Status(SomeFacts):
    """The license as the server sees it now. Without a seat: ``seat`` false, ``state``
    "none", no facts."""

    checked_at: datetime
    account: str | None
    seat: bool
    #: The license signed again, as it stands now.
    license: str | None = None
    #: Without a seat, why, where the server knows: ``seat_freed`` (freed from the account
    #: console; the device is no longer linked to the account either).
    reason: str | None = None
    #: The account's reserve for this device (saved once in the account console): its
    #: seat held and its license signed ahead, to install as the held reserve. Sent until
    #: the device says it has it (``reserve_seat``).
    reserve: DeviceSeat | None = None
    #: It takes the place of the device's own reserve (the user chose so in the console).
    replaces_reserve: bool = False


@dataclass(frozen=True, kw_only=True)
class Restored:
    """Every seat the device holds, as the server keeps them."""

    checked_at: datetime
    account: str | None
    seats: list[DeviceSeat]


@dataclass(frozen=True, kw_only=True)
class ErrorDetail:
    code: str  # an error code (contract.md)
    message: str  # for people
    reason: str | None = None  # a finer reason, for some codes


@dataclass(frozen=True, kw_only=True)
class ErrorAnswer:
    """Every 4xx and 5xx answer."""

    error: ErrorDetail


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    email: str
    device_id: str
